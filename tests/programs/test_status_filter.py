"""The catalogue, the exports and the feeds filter on today's application status."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.utils import timezone

SEOUL_MARCH_15 = dt.datetime(2019, 3, 15, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def plan(make_program):
    make_program("2월 접수", milestones=[("공고/접수", 2, 2)])
    make_program("3월 접수", milestones=[("공고/접수", 3, 3), ("선정", 4, 4)])
    make_program("3월 접수 날짜", milestones=[("접수 (3.4~3.18)", 3, 3)])
    make_program("9월 접수", milestones=[("모집", 9, 9)])
    make_program("접수 없음", milestones=[("교육", 3, 5)])


def names(client, query) -> list[str]:
    with mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15):
        response = client.get(f"/programs/?{query}")
    assert response.status_code == 200
    return sorted(p.name for p in response.context["page"].object_list)


def test_the_catalogue_shows_what_is_open_today(client, plan):
    assert names(client, "status=open") == ["3월 접수", "3월 접수 날짜"]
    assert names(client, "status=upcoming") == ["9월 접수"]
    assert names(client, "status=closed") == ["2월 접수"]


def test_leaving_out_closed_programs_keeps_the_ones_without_a_status_out_too(client, plan):
    assert names(client, "status=open&status=upcoming") == ["3월 접수", "3월 접수 날짜", "9월 접수"]


def test_an_unknown_status_is_named_and_left_out(client, plan):
    with mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15):
        response = client.get("/programs/?status=soon")
    assert response.status_code == 200
    assert "접수 상태(status): ‘soon’" in response.content.decode()
    assert len(response.context["page"].object_list) == 5


def test_the_status_shows_as_a_removable_chip(client, plan):
    with mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15):
        html = client.get("/programs/?status=open").content.decode()
    assert "접수 상태: 접수중" in html


def test_the_exports_and_the_feed_follow_the_status_filter(client, plan):
    with mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15):
        data = json.loads(client.get("/programs.json?status=upcoming").content)
        csv = client.get("/programs.csv?status=upcoming").content.decode("utf-8-sig")
        ics = client.get("/calendar.ics?status=upcoming").content.decode()
        bad = client.get("/programs.json?status=soon")
    assert [p["name"] for p in data["programs"]] == ["9월 접수"]
    assert "9월 접수" in csv and "3월 접수" not in csv
    assert "9월 접수" in ics and "2월 접수" not in ics
    assert bad.status_code == 400 and "status" in bad.content.decode()


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with (
        mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_status_filter_costs_one_query_whatever_the_number_of_programs(
    client, make_program, plan
):
    few = count_queries(client, "/programs/?status=open&q=접수")
    without = count_queries(client, "/programs/?q=접수&month=3")
    for n in range(30):
        make_program(f"접수 {n}", milestones=[("공고/접수", 1 + n % 12, 1 + n % 12)])
    many = count_queries(client, "/programs/?status=open&q=접수&sort=name")
    assert few == many == without + 1

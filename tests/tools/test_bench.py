"""The bench's trivial ceiling view exists only under bench.settings."""

from django.test import override_settings


def test_the_bench_ceiling_view_is_not_a_production_url(client, db):
    assert client.get("/bench/static/1000/").status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bench_ceiling_view_returns_a_body_of_the_asked_size(client, db):
    response = client.get("/bench/static/1000/")
    assert response.status_code == 200
    assert len(response.content) == 1000

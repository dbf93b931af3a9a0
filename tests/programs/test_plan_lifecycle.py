"""A plan year is a draft until someone publishes it: invisible to the public on
every page, feed and download, visible to logged-in staff under a banner, and
never cached for anyone else."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs.models import Plan, Program
from tests.support.xlsx_helpers import plan_workbook, save

BANNER = 'class="draft-banner"'


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def draft_2020(make_program):
    """2019 published with one program; 2020 a draft with one program."""
    make_program("생협매장 입점지원", year=2019, milestones=[("공고/접수", 3, 3)])
    draft = make_program(
        "초안 전용 유통지원",
        year=2020,
        milestones=[("공고/접수", 4, 4)],
        contacts=[("서울시협동조합지원센터", "판로지원팀", "+827042675038")],
    )
    Plan.objects.filter(year=2020).update(state=Plan.State.DRAFT)
    return draft


def text(response) -> str:
    return response.content.decode()


PUBLIC_LISTINGS = [
    "/",
    "/programs/",
    "/programs/?year=2020",
    "/calendar/",
    "/calendar/?year=2020",
    "/check/?year=2020",
    "/programs.atom",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", PUBLIC_LISTINGS)
def test_a_draft_year_appears_on_no_public_page(client, draft_2020, url):
    response = client.get(url)
    assert response.status_code == 200
    body = text(response)
    assert "초안 전용 유통지원" not in body
    assert f"/programs/{draft_2020.pk}/" not in body
    assert BANNER not in body
    assert "2020년" not in body


def test_a_draft_programs_page_and_feed_are_not_found(client, draft_2020):
    assert client.get(f"/programs/{draft_2020.pk}/").status_code == 404
    assert client.get(f"/programs/{draft_2020.pk}/calendar.ics").status_code == 404
    assert client.get("/calendar/2020/4/").status_code == 404


@pytest.mark.parametrize("url", ["/programs.json", "/programs.csv", "/calendar.ics"])
def test_downloads_and_feeds_leave_a_draft_year_out(client, draft_2020, url):
    everything = client.get(url)
    assert everything.status_code == 200
    assert "초안 전용 유통지원" not in text(everything)
    asked = client.get(f"{url}?year=2020")
    assert asked.status_code == 400
    assert "2020" in text(asked)


def test_the_catalogue_names_a_draft_year_as_one_it_does_not_have(client, draft_2020):
    body = text(client.get("/programs/?year=2020"))
    assert "‘2020’년 계획은 없습니다. 2019년 계획을 보여 드립니다." in body
    assert "생협매장 입점지원" in body


def test_staff_see_a_draft_with_the_banner(editor_client, draft_2020):
    page = editor_client.get(f"/programs/{draft_2020.pk}/")
    assert page.status_code == 200
    assert "초안 전용 유통지원" in text(page) and BANNER in text(page)
    assert "미공개 초안</strong> 2020년 계획은 아직 공개되지 않았습니다" in text(page)
    listing = text(editor_client.get("/programs/?year=2020"))
    assert "초안 전용 유통지원" in listing and BANNER in listing
    month = editor_client.get("/calendar/2020/4/")
    assert month.status_code == 200 and BANNER in text(month)


def test_staff_start_on_the_published_year_and_may_pick_the_draft(editor_client, draft_2020):
    body = text(editor_client.get("/programs/"))
    assert "생협매장 입점지원" in body and BANNER not in body
    assert "2020년 (미공개 초안)" in body


def test_a_published_year_shows_no_banner_to_staff(editor_client, draft_2020):
    assert BANNER not in text(editor_client.get("/programs/?year=2019"))


def test_what_staff_looked_at_is_never_served_to_the_public(client, editor_client, draft_2020):
    detail, listing = f"/programs/{draft_2020.pk}/", "/programs/?year=2020"
    assert editor_client.get(detail).status_code == 200
    assert "초안 전용 유통지원" in text(editor_client.get(listing))
    editor_client.logout()
    client.cookies.clear()
    assert client.get(detail).status_code == 404
    body = text(client.get(listing))
    assert "초안 전용 유통지원" not in body and "생협매장 입점지원" in body


def test_an_anonymous_page_is_still_cached(client, draft_2020, django_assert_num_queries):
    assert client.get("/programs/").status_code == 200
    with django_assert_num_queries(1):  # the version read, nothing else
        assert client.get("/programs/").status_code == 200


def test_publishing_shows_the_year_on_the_next_request(client, draft_2020):
    before = text(client.get("/programs/"))  # cached now, under the old versions
    assert "생협매장 입점지원" in before
    Plan.objects.get(year=2020).publish()
    after = text(client.get("/programs/"))
    assert "초안 전용 유통지원" in after
    assert client.get(f"/programs/{draft_2020.pk}/").status_code == 200
    assert f"/programs/{draft_2020.pk}/" in text(client.get("/sitemap.xml"))


def test_unpublishing_hides_the_year_on_the_next_request(client, draft_2020):
    Plan.objects.get(year=2020).publish()
    assert client.get(f"/programs/{draft_2020.pk}/").status_code == 200
    assert "초안 전용 유통지원" in text(client.get("/programs/"))
    Plan.objects.get(year=2020).unpublish()
    assert client.get(f"/programs/{draft_2020.pk}/").status_code == 404
    assert "초안 전용 유통지원" not in text(client.get("/programs/"))


def test_publishing_records_when_and_by_whom(draft_2020):
    user = User.objects.create_user("publisher", is_staff=True)
    plan = Plan.objects.get(year=2020)
    assert plan.publish(by=user) is True
    plan.refresh_from_db()
    assert plan.is_published and plan.published_by == user and plan.published_at
    assert plan.publish(by=user) is False


# -- the commands ---------------------------------------------------------------------------
def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_publish_plan_publishes_and_unpublishes_a_year(draft_2020):
    assert "2020년 계획(사업 1개)을 공개했습니다" in run("publish_plan", "2020")
    assert Plan.objects.get(year=2020).is_published
    assert "이미 공개되어 있습니다" in run("publish_plan", "2020")
    assert "미공개 초안으로 돌렸습니다" in run("publish_plan", "2020", "--unpublish")
    assert not Plan.objects.get(year=2020).is_published


def test_publish_plan_warns_of_amounts_not_yet_confirmed(draft_2020):
    Program.objects.filter(pk=draft_2020.pk).update(amounts_confirmed=False)
    assert "금액을 아직 확인하지 않은 사업이 1개" in run("publish_plan", "2020")


def test_publish_plan_names_a_year_it_does_not_have(db):
    with pytest.raises(CommandError, match="2031: 그런 연도의 계획이 없습니다"):
        run("publish_plan", "2031")


def test_export_programs_still_exports_a_draft_year(draft_2020):
    assert "초안 전용 유통지원" in run("export_programs", "--year", "2020", "--format", "json")


# -- the admin's actions --------------------------------------------------------------------
def changelist() -> str:
    return reverse("admin:programs_plan_changelist")


def test_the_publish_action_asks_first_then_publishes(editor_client, draft_2020):
    form = {"action": "publish_plans", "_selected_action": ["2020"]}
    asked = editor_client.post(changelist(), form)
    assert asked.status_code == 200
    assert "아래 연도를 <strong>공개</strong>합니다" in text(asked)
    assert not Plan.objects.get(year=2020).is_published
    done = editor_client.post(changelist(), {**form, "post": "yes"}, follow=True)
    assert "2020년 계획을 공개했습니다." in text(done)
    plan = Plan.objects.get(year=2020)
    assert plan.is_published and plan.published_by.username == "editor"


def test_the_plan_list_shows_each_years_state(editor_client, draft_2020):
    body = text(editor_client.get(changelist()))
    assert "미공개 초안" in body and "공개" in body
    assert "연간 계획 엑셀 올리기" in body


def test_without_the_permissions_the_actions_are_not_offered_and_answer_403(client, draft_2020):
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(
        *Group.objects.get(name="편집자").permissions.exclude(
            codename__in=["import_plan", "publish_plan"]
        )
    )
    client.force_login(user)
    body = text(client.get(changelist()))
    assert "publish_plans" not in body and "rollover_plan" not in body
    assert "연간 계획 엑셀 올리기" not in body
    assert "연간 계획 엑셀 올리기" not in text(client.get(reverse("admin:index")))
    for action in ("publish_plans", "unpublish_plans", "rollover_plan"):
        form = {"action": action, "_selected_action": ["2020"], "post": "yes"}
        assert client.post(changelist(), form).status_code == 403
    assert not Plan.objects.get(year=2020).is_published


def test_the_editor_group_may_import_and_publish(db):
    codes = set(Group.objects.get(name="편집자").permissions.values_list("codename", flat=True))
    assert {"import_plan", "publish_plan"} <= codes


# -- importing ----------------------------------------------------------------------------
@pytest.fixture
def sheet(db, tmp_path):
    return save(plan_workbook(), tmp_path)


def test_import_draft_makes_a_new_year_a_draft(sheet):
    output = run("import_programs", str(sheet), "--draft")
    assert "공개 상태: 새 연도, 미공개 초안으로 만듦" in output
    assert Plan.objects.get(year=2019).state == Plan.State.DRAFT
    assert Program.objects.public().count() == 0


def test_import_without_draft_publishes_at_once_as_scripts_expect(sheet):
    assert "공개 상태" not in run("import_programs", str(sheet))
    plan = Plan.objects.get(year=2019)
    assert plan.is_published and plan.published_at is not None


def test_import_without_draft_publishes_a_draft_year(sheet):
    run("import_programs", str(sheet), "--draft")
    output = run("import_programs", str(sheet))
    assert "공개 상태: 미공개 초안이던 연도, 공개" in output
    assert Plan.objects.get(year=2019).is_published


def test_a_draft_import_into_a_published_year_updates_it_in_place(sheet):
    run("import_programs", str(sheet))
    output = run("import_programs", str(sheet), "--draft")
    assert "0 created, 0 updated, 3 unchanged" in output
    assert Plan.objects.get(year=2019).is_published


def test_a_dry_run_says_what_it_would_do_to_a_draft_and_does_nothing(sheet):
    run("import_programs", str(sheet), "--draft")
    output = run("import_programs", str(sheet), "--dry-run")
    assert "공개 상태: 미공개 초안이던 연도, 공개" in output
    assert Plan.objects.get(year=2019).state == Plan.State.DRAFT


def test_a_plan_added_by_hand_in_the_admin_starts_as_a_draft(admin_client):
    response = admin_client.post(
        reverse("admin:programs_plan_add"), {"year": "2021", "title": "2021년 계획"}
    )
    assert response.status_code == 302
    assert Plan.objects.get(year=2021).state == Plan.State.DRAFT

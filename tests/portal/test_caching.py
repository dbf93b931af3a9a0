"""Public pages are cached, and a cached page is never stale.

Every test here fails if pages were served stale, and the query budgets fail if
pages were not cached at all (a warm page costs the one version query)."""

import datetime as dt
import io
import os
import re
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from contacts.models import ContactDesk
from programs import opendata
from programs.models import PLAN_VERSIONS_STAMP, Eligibility, Plan, Program
from programs.versions import bumps_coalesced
from schedules.models import Milestone
from tests.support.paths import PLAN_2019_XLSX
from tools.server import free_port, serve

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = sys.executable
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def two_years(make_program):
    """One program in 2019 and one in 2020 that share a contact desk."""
    desk = ("서울시협동조합지원센터", "판로지원팀", "+827042675038")
    old = make_program(
        "생협매장 입점지원", year=2019, target="서울시 사회적경제기업", contacts=[desk]
    )
    new = make_program(
        "유통채널 입점지원", year=2020, target="서울시 사회적경제기업", contacts=[desk]
    )
    return old, new


def pages_of(program) -> list[str]:
    year = program.area.plan_id
    return [
        f"/?year={year}",
        f"/programs/?year={year}",
        f"/programs/{program.pk}/",
        f"/programs.json?year={year}",
    ]


def body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_served_from_cache(client, url, django_assert_num_queries, queries=1):
    """Served without rendering: the version query at most (none with Redis,
    while the plan versions this process read are current)."""
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# -- cached at all -------------------------------------------------------------------------
def test_a_repeated_page_costs_one_small_query(client, two_years, django_assert_num_queries):
    for url in pages_of(two_years[0]):
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"] and "no-cache" in first["Cache-Control"]
        assert_served_from_cache(client, url, django_assert_num_queries)


def test_the_same_path_with_another_query_string_is_another_page(client, two_years):
    assert "생협매장" in body(client, "/programs/?year=2019")
    assert "생협매장" not in body(client, "/programs/?year=2019&q=유통채널")


# -- a change shows up on the next request --------------------------------------------------
def test_a_save_shows_up_on_the_next_request_of_every_page(client, two_years):
    program = two_years[0]
    for url in pages_of(program):
        body(client, url)
    program.area.name = "민간판로 지원"
    program.area.save()
    for url in pages_of(program):
        assert "민간판로 지원" in body(client, url), url


def test_an_admin_save_shows_up_on_the_next_request(client, admin_user, two_years):
    program = two_years[0]
    detail = f"/programs/{program.pk}/"
    assert "서울시 사회적경제기업" in body(client, detail)

    client.force_login(admin_user)
    change = reverse("admin:programs_program_change", args=[program.pk])
    data = form_fields(body(client, change))
    data["target"] = ["서울시 마을기업"]
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()

    assert "서울시 마을기업" in body(client, detail)


def test_an_admin_change_to_a_shared_desk_shows_up_in_every_year(client, admin_user, two_years):
    old, new = two_years
    for program in two_years:
        assert "070-4267-5038" in body(client, f"/programs/{program.pk}/")

    client.force_login(admin_user)
    desk = ContactDesk.objects.get()
    change = reverse("admin:contacts_contactdesk_change", args=[desk.pk])
    data = form_fields(body(client, change))
    data["phone"] = ["070-4267-5099"]
    assert client.post(change, data).status_code == 302
    client.logout()

    for program in (old, new):
        html = body(client, f"/programs/{program.pk}/")
        # The page's public change log may name the old number; the rest may not.
        current = re.sub(r'<section[^>]*id="changes".*?</section>', "", html, flags=re.S)
        assert "070-4267-5099" in current and "070-4267-5038" not in current


def test_an_admin_delete_shows_up_on_the_next_request(client, admin_user, two_years):
    program = two_years[0]
    assert "생협매장" in body(client, "/programs/?year=2019")
    client.force_login(admin_user)
    delete = reverse("admin:programs_program_delete", args=[program.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert "생협매장" not in body(client, "/programs/?year=2019")
    assert client.get(f"/programs/{program.pk}/").status_code == 404


def sheet_of_2019(path, year=2019, **changes):
    """The 2019 plan as the importable sheet, with the first program changed."""
    programs = list(Program.objects.for_year(2019).for_listing().in_sheet_order())
    for field, value in changes.items():
        setattr(programs[0], field, value)
    opendata.write_xlsx(year, programs, path, title=f"{year}년 지원사업 추진일정")
    return programs[0]


def test_an_import_shows_up_on_the_next_request(client, plan_2019, tmp_path):
    first = Program.objects.for_year(2019).in_sheet_order().first()
    pages = [f"/programs/{first.pk}/", "/programs/?year=2019", "/programs.json?year=2019"]
    for url in pages:
        assert "서울시 마을기업 대상 변경" not in body(client, url)

    sheet_of_2019(tmp_path / "plan.xlsx", target="서울시 마을기업 대상 변경")
    call_command("import_programs", str(tmp_path / "plan.xlsx"), stdout=io.StringIO())

    assert "서울시 마을기업 대상 변경" in body(client, pages[0])
    assert "서울시 마을기업 대상 변경" in body(client, pages[2])


def test_importing_a_new_year_shows_up_on_cached_pages_of_other_years(client, plan_2019, tmp_path):
    assert "2020년" not in body(client, "/programs/?year=2019")
    sheet_of_2019(tmp_path / "plan-2020.xlsx", year=2020)
    call_command("import_programs", str(tmp_path / "plan-2020.xlsx"), stdout=io.StringIO())
    assert "2020년" in body(client, "/programs/?year=2019")


def test_an_unchanged_import_keeps_pages_cached(
    client, plan_2019, tmp_path, django_assert_num_queries
):
    url = "/programs/?year=2019"
    body(client, url)
    sheet_of_2019(tmp_path / "same.xlsx")
    call_command("import_programs", str(tmp_path / "same.xlsx"), stdout=io.StringIO())
    assert_served_from_cache(client, url, django_assert_num_queries)


# -- exactly what changed ---------------------------------------------------------------------
def test_a_2019_change_does_not_evict_2020_pages(client, two_years, django_assert_num_queries):
    old, new = two_years
    for url in pages_of(old) + pages_of(new):
        body(client, url)
    Milestone.objects.create(program=old, label="공고/접수", start_month=3, end_month=3)

    for url in pages_of(new):
        assert_served_from_cache(client, url, django_assert_num_queries)
    assert "공고/접수" in body(client, f"/programs/{old.pk}/")


def plan_versions():
    return dict(Plan.objects.values_list("year", "version"))


def rename(obj, field="name"):
    setattr(obj, field, getattr(obj, field) + " 변경")
    obj.save()


EDITS_OF_2019 = {
    "program saved": lambda p: rename(p),
    "program deleted": lambda p: p.delete(),
    "milestone added": lambda p: Milestone.objects.create(
        program=p, label="공고/접수", start_month=3, end_month=3
    ),
    "milestone changed": lambda p: rename(
        Milestone.objects.create(program=p, label="공고", start_month=3, end_month=3), "label"
    ),
    "milestone deleted": lambda p: p.milestones.get().delete(),
    "contact link deleted": lambda p: p.contact_links.get().delete(),
    "contact desk added through the m2m": lambda p: p.contacts.add(
        ContactDesk.objects.create(team="새 팀"), through_defaults={"position": 5}
    ),
    "support area renamed": lambda p: rename(p.area),
    "section renamed": lambda p: rename(p.area.section),
    "plan retitled": lambda p: rename(p.area.plan, "title"),
    "eligibility tag added": lambda p: p.eligibility.add(Eligibility.objects.first()),
    "eligibility tags cleared": lambda p: p.eligibility.clear(),
    "program added to a tag": lambda p: Eligibility.objects.get(code="citizen").programs.add(p),
    "tag's programs cleared": lambda p: Eligibility.objects.get(
        code="cooperative"
    ).programs.clear(),
}


@pytest.mark.parametrize("edit", EDITS_OF_2019.values(), ids=EDITS_OF_2019.keys())
def test_an_edit_bumps_its_own_year_and_no_other(make_program, edit):
    program = make_program(
        "창업컨설팅",
        year=2019,
        milestones=[("공고/접수", 2, 2)],
        contacts=[("서울시협동조합지원센터", "", "+827041688536")],
        eligibility=["cooperative"],
    )
    make_program("교육 지원", year=2020, area="교육")
    before = plan_versions()
    edit(program)
    after = plan_versions()
    assert after[2019] > before[2019]
    assert after[2020] == before[2020]


def test_a_program_moved_to_another_year_bumps_both_years(two_years):
    old, new = two_years
    before = plan_versions()
    old.area = new.area
    old.save()
    after = plan_versions()
    assert after[2019] > before[2019] and after[2020] > before[2020]


@pytest.mark.parametrize(
    "edit",
    [
        lambda: rename(ContactDesk.objects.get(), "team"),
        lambda: rename(Eligibility.objects.first()),
        lambda: Plan.objects.create(year=2021),
        lambda: Plan.objects.create(year=2021).delete(),
    ],
    ids=["shared desk renamed", "eligibility renamed", "plan added", "plan deleted"],
)
def test_an_edit_shown_in_every_year_bumps_every_year(two_years, edit):
    before = plan_versions()
    edit()
    after = plan_versions()
    assert after[2019] > before[2019] and after[2020] > before[2020]


def test_many_saves_in_a_coalesced_block_bump_each_year_once(two_years, make_program):
    programs = [make_program(f"사업 {n}", year=2019) for n in range(5)]
    before = plan_versions()
    with transaction.atomic(), bumps_coalesced():
        for program in programs:
            program.target = "서울시민"
            program.save()
    after = plan_versions()
    assert after == {2019: before[2019] + 1, 2020: before[2020]}


def test_a_new_year_appears_in_the_year_choice_of_cached_pages(client, two_years):
    assert "2021년" not in body(client, "/programs/?year=2019")
    Plan.objects.create(year=2021)
    assert "2021년" in body(client, "/programs/?year=2019")


def test_a_year_without_a_plan_follows_the_latest_plan(client, two_years):
    """The catalogue shows the latest plan for a year it does not know."""
    assert "유통채널" in body(client, "/programs/?year=1999")
    rename(two_years[1])
    assert "유통채널 입점지원 변경" in body(client, "/programs/?year=1999")


def test_pages_are_rendered_again_the_next_day(client, two_years, monkeypatch):
    """The home page's "opens this month" moves with the date, not only with edits."""
    first = client.get("/?year=2020")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    second = client.get("/?year=2020")
    assert first["ETag"] != second["ETag"]


# -- conditional requests --------------------------------------------------------------------
def test_a_repeat_visitor_gets_304_until_the_page_changes(client, two_years):
    url = f"/programs/{two_years[0].pk}/"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    rename(two_years[0])
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_304_costs_one_query_and_no_rendering(client, two_years, django_assert_num_queries):
    url = f"/programs/?year={two_years[1].area.plan_id}"
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(1):
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_a_visitor_revalidating_by_date_gets_304_until_the_page_changes(client, two_years):
    Plan.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))
    url = "/programs/?year=2019"
    modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    rename(two_years[0])
    time.sleep(2.1)  # a date is only sent once it cannot share its second with a change
    response = client.get(url, headers={"if-modified-since": modified})
    assert response.status_code == 200
    assert "생협매장 입점지원 변경" in response.content.decode()


def test_a_page_changed_this_second_carries_no_date_to_revalidate_by(client, two_years):
    rename(two_years[0])
    response = client.get("/programs/?year=2019")
    assert response.has_header("ETag") and not response.has_header("Last-Modified")


# -- pages that are not shared ---------------------------------------------------------------
def test_a_missing_program_is_404_and_stays_404_only_while_missing(client, two_years):
    assert client.get("/programs/999999/").status_code == 404
    assert client.get("/programs/99999999999999999999999/").status_code == 404


def test_admin_pages_are_never_cached(admin_client, two_years):
    url = reverse("admin:programs_program_changelist")
    assert "생협매장 입점지원" in admin_client.get(url).content.decode()
    rename(two_years[0])
    assert "생협매장 입점지원 변경" in admin_client.get(url).content.decode()


# -- shared cache: Redis ---------------------------------------------------------------------
def redis_server():
    """The real local Redis (a client, and its URL); fails the test when it is down."""
    import redis

    url = os.environ.get("REDIS_URL") or LOCAL_REDIS
    server = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis at {url} is not answering ({exc}); these tests prove the shared cache "
            "on a real Redis: start it (`redis-server --daemonize yes`) or set REDIS_URL."
        )
    return server, url


@pytest.fixture
def redis_cache():
    """The page cache on the real local Redis, under keys only this test uses."""
    server, url = redis_server()
    prefix = f"portal-test-{uuid.uuid4().hex}"
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix},
    }
    with override_settings(CACHES=config):
        yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def test_pages_are_shared_through_redis_and_never_stale(
    client, two_years, redis_cache, django_assert_num_queries
):
    """A page one server rendered is served by another (an empty process
    cache in front of the same Redis) without rendering it again."""
    server, prefix = redis_cache
    url = f"/programs/{two_years[0].pk}/"
    body(client, url)
    assert list(server.scan_iter(f"{prefix}:*")), "nothing was stored in Redis"
    # Another server: only Redis has the page, and it has read no plan versions.
    caches["local"].clear()
    PLAN_VERSIONS_STAMP.forget()
    assert_served_from_cache(client, url, django_assert_num_queries)
    assert_served_from_cache(client, url, django_assert_num_queries, queries=0)
    rename(two_years[0])
    assert "생협매장 입점지원 변경" in body(client, url)


def test_with_redis_a_hit_reads_no_database_until_a_plan_changes(
    client, two_years, redis_cache, django_assert_num_queries
):
    """The plan versions read for one page serve every page until a write, in
    this process or any other, gives the stamp in Redis a new value."""
    server, prefix = redis_cache
    pages = [url for url in pages_of(two_years[0]) if "생협매장 입점지원" in body(client, url)]
    assert len(pages) >= 3
    for url in pages:
        assert_served_from_cache(client, url, django_assert_num_queries, queries=0)

    # Another process's write: it bumps the version in the database and the
    # stamp in Redis; this process has heard of neither.
    Plan.objects.filter(year=2019).update(title="다른 프로세스가 바꾼 제목")
    Program.objects.filter(pk=two_years[0].pk).update(name="다른 프로세스가 고친 이름")
    Plan.objects.filter(year=2019).update(version=F("version") + 1)
    for url in pages:  # the stamp has not moved: still the page as this process read it
        assert "다른 프로세스가 고친 이름" not in body(client, url)
    # ... until its ContentStamp.changed() gives the stamp a new value.
    assert list(server.scan_iter(f"{prefix}:*:{PLAN_VERSIONS_STAMP.key}"))
    caches["default"].set(PLAN_VERSIONS_STAMP.key, "renewed by another process", None)

    for url in pages:
        assert "다른 프로세스가 고친 이름" in body(client, url), url


def test_a_stamp_lost_from_redis_makes_every_process_read_again(
    client, two_years, redis_cache, django_assert_num_queries
):
    server, prefix = redis_cache
    url = f"/programs/{two_years[0].pk}/"
    body(client, url)
    assert_served_from_cache(client, url, django_assert_num_queries, queries=0)
    for key in server.scan_iter(f"{prefix}:*stamp.*"):
        server.delete(key)  # evicted, flushed, or a new Redis
    assert_served_from_cache(client, url, django_assert_num_queries, queries=1)
    assert_served_from_cache(client, url, django_assert_num_queries, queries=0)


def test_with_redis_unreachable_every_hit_reads_the_versions(
    client, two_years, django_assert_num_queries, caplog
):
    closed = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
                          "OPTIONS": {"socket_connect_timeout": 0.2}}}  # fmt: skip
    url = f"/programs/{two_years[0].pk}/"
    with override_settings(CACHES=closed):
        body(client, url)
        rename(two_years[0])
        assert "생협매장 입점지원 변경" in body(client, url)


def test_with_redis_url_set_the_redis_backend_is_used(redis_cache):
    url = os.environ.get("REDIS_URL") or LOCAL_REDIS
    script = (
        "from django.core.cache import caches; c = caches['default']; "
        "c.set('portal-test-probe', 'ok', 5); "
        "print(type(c).__name__, c.get('portal-test-probe'), type(caches['local']).__name__)"
    )
    result = manage(["shell", "-c", script], REDIS_URL=url)
    assert result.stdout.split()[-3:] == ["RedisCache", "ok", "LocMemCache"], result.stderr


def test_a_redis_url_that_is_not_one_stops_start_up():
    result = manage(["check"], REDIS_URL="127.0.0.1:6379", check=False)
    assert result.returncode != 0
    assert "REDIS_URL='127.0.0.1:6379': expected redis://host:port/db" in result.stderr


def test_a_stamp_dir_that_is_not_absolute_stops_start_up():
    result = manage(["check"], DJANGO_STAMP_DIR="var/stamps", check=False)
    assert result.returncode != 0
    assert "DJANGO_STAMP_DIR='var/stamps': expected an absolute path" in result.stderr


def test_pages_still_answer_when_the_cache_is_down(client, two_years, caplog):
    closed = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
                          "OPTIONS": {"socket_connect_timeout": 0.2}}}  # fmt: skip
    with override_settings(CACHES=closed):
        assert "생협매장" in body(client, f"/programs/{two_years[0].pk}/")
    assert "page cache unavailable" in caplog.text


# -- several processes ------------------------------------------------------------------------
@pytest.fixture
def scratch_database(tmp_path):
    """A database of the same engine as this run that other processes can open."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_xproc"[:63]
    admin = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/postgres"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SEED = """
from programs.models import Plan, Program, Section, SupportArea
plan = Plan.objects.create(year=2019)
section = Section.objects.create(plan=plan, name="협동조합 지원사업")
area = SupportArea.objects.create(plan=plan, section=section, name="상담")
print(Program.objects.create(area=area, name="원래 이름", target="서울시민").pk)
"""
EDIT = """
from programs.models import Program
program = Program.objects.get(name="원래 이름")
program.name = "다른 프로세스가 고친 이름"
program.save()
"""


@pytest.fixture(params=["memory", "stamp dir", "redis"])
def shared_cache_env(request, tmp_path):
    """The cache settings every process of the site gets: none shared (each
    worker its own memory cache), the same with stamps in a directory (one app
    server), or the real Redis under a prefix of its own (several)."""
    if request.param == "memory":
        yield {"REDIS_URL": ""}
        return
    if request.param == "stamp dir":
        yield {"REDIS_URL": "", "DJANGO_STAMP_DIR": str(tmp_path / "stamps")}
        return
    server, url = redis_server()
    prefix = f"portal-test-{uuid.uuid4().hex}"
    yield {"REDIS_URL": url, "DJANGO_CACHE_KEY_PREFIX": prefix}
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def test_an_edit_in_another_process_shows_up_at_once_in_every_worker(
    scratch_database, shared_cache_env, tmp_path
):
    """Two gunicorn workers, each with its own memory cache (and the plan
    versions it read, with Redis), and an edit made by a third process: every
    worker serves the change on its next request."""
    env = {"DATABASE_URL": scratch_database, **shared_cache_env}
    manage(["migrate", "--noinput"], **env)
    pk = manage(["shell", "-c", SEED], **env).stdout.split()[-1]
    with serve(
        scratch_database,
        log_path=tmp_path / "gunicorn.log",
        workers=2,
        redis_url=shared_cache_env["REDIS_URL"],
        env={k: v for k, v in shared_cache_env.items() if k != "REDIS_URL"},
    ) as server:
        url = f"/programs/{pk}/"
        before = [fetch(server, url) for _ in range(12)]
        assert all("원래 이름" in html for _, html, _ in before)
        etag = before[0][2]
        assert all(tag == etag for _, _, tag in before)  # every worker serves the same version
        assert fetch(server, url, etag)[0] == 304

        manage(["shell", "-c", EDIT], **env)

        after = [fetch(server, url) for _ in range(12)]
        assert all("다른 프로세스가 고친 이름" in html for _, html, _ in after)
        assert fetch(server, url, etag)[0] == 200

        # An import writes in bulk, without signals: every worker serves the
        # year's new programs, compressed, on its next request.
        listing = "/programs/?year=2019"
        assert all("유통채널 입점지원" not in fetch_br(server, listing) for _ in range(12))
        manage(["import_programs", str(PLAN_2019_XLSX)], **env)
        assert all("유통채널 입점지원" in fetch_br(server, listing) for _ in range(12))

        manage(["publish_plan", "2019", "--unpublish"], **env)
        assert {fetch(server, url)[0] for _ in range(12)} == {404}


# -- helpers ----------------------------------------------------------------------------------
class _FormFields(HTMLParser):
    """The values a browser would submit from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._text = ""

    def _add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        name = attr.get("name")
        if tag == "input" and name:
            kind = attr.get("type", "text")
            if kind in {"submit", "button", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attr:
                return
            self._add(name, attr.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attr:
            self._add(self._select, attr.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None


def form_fields(html: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(html)
    return {name: values for name, values in parser.fields.items() if "__prefix__" not in name}


def child_env(**overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_")) or key == "DJANGO_SETTINGS_MODULE"
    }
    env.update(overrides, PYTHONDONTWRITEBYTECODE="1")
    return env


def manage(args, check=True, **env) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def fetch_br(server, path) -> str:
    """The page as a browser gets it: brotli, decoded."""
    response = server.get(path, {"Accept-Encoding": "br, gzip"}, timeout=10)
    assert response.status == 200 and response.headers["Content-Encoding"] == "br"
    return brotli.decompress(response.body).decode()


def fetch(server, path, etag=None) -> tuple[int, str, str | None]:
    response = server.get(path, {"If-None-Match": etag} if etag else None, timeout=10)
    return response.status, response.text, response.headers.get("ETag")

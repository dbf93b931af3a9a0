"""Real-browser fixtures: Debian's Chromium driven by Playwright for Python against
pytest-django's live server, with the shipped 2019 plan loaded for every test.

- `browser` is one Chromium for the whole session (launching costs about a second).
- `site` is the live server with the 2019 plan: the live server only sees committed
  rows, so these tests are transactional and the database is flushed after each one;
  the plan is therefore imported per test, and serialized rollback brings back what
  the data migrations made (eligibility vocabulary, the 편집자 group), which a flush
  would otherwise wipe for every later test.
- `page` (1280×900), `mobile_page` (375×812, touch) and `nojs_page` (JavaScript off)
  are fresh browser contexts, so no cookie or cache leaks from one test to the next.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connections

from tests.browser.support import DESKTOP, MOBILE, watch_console

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run after everything else (after pytest-django has put database
    tests first). Their transactional flushes empty the database, and Playwright's
    sync API keeps an event loop in the main thread while Chromium is open; neither
    must reach the fast tests. A stable sort keeps every other order as it was."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}; the browser tests need it. "
            "Run `make browser-deps` (installs chromium, fonts-noto-cjk and poppler-utils).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    # Playwright's sync API drives Chromium from an asyncio loop parked in this thread.
    # While a loop runs here, Django refuses ORM calls (the test code is plain
    # synchronous code, so the flag below says it is safe, for as long as the browser
    # lives), and asgiref hands this thread new connection objects. Those lack the
    # database snapshot taken at set-up, without which serialized rollback silently
    # restores nothing: give it to them.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Site:
    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def site(live_server, plan_2019, django_db_serialized_rollback):
    # Pages are cached under the plan's content version, which starts again at 1
    # after every flush and re-import: an old page (with old program ids) must not
    # be served to this test.
    for cache in caches.all():
        cache.clear()
    return Site(live_server.url)


def _new_page(browser, site, **options):
    context = browser.new_context(locale="ko-KR", base_url=site.url, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch_console(page)
    return context, page


@pytest.fixture
def page(browser, site):
    context, page = _new_page(browser, site, viewport=DESKTOP)
    yield page
    context.close()


@pytest.fixture
def mobile_page(browser, site):
    context, page = _new_page(browser, site, viewport=MOBILE, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, site):
    context, page = _new_page(browser, site, viewport=DESKTOP, java_script_enabled=False)
    yield page
    context.close()


@dataclass
class Account:
    username: str
    password: str


@pytest.fixture
def editor(site, django_user_model):
    """A staff member of the 편집자 group, as center staff are set up."""
    from django.contrib.auth.models import Group

    account = Account("editor", "seoul-social-economy-2019")
    user = django_user_model.objects.create_user(
        account.username, password=account.password, is_staff=True
    )
    user.groups.add(Group.objects.get(name="편집자"))
    return account

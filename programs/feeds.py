"""/programs.atom: a catalogue search as an Atom feed, and the links a listing
offers to follow its search ("이 조건 구독").

The feed takes every filter the catalogue takes and lists the same programs, all
of them (no pages), in the catalogue's order: the order the search asked for
(`sort`), so a feed reader that keeps document order shows what the page shows.
Readers that sort by date use each entry's `updated`, the program's last change.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from programs.filters import FILTER_PARAMS, search_programs
from programs.versions import cached_plan_page
from schedules.status import application_periods

SITE_NAME = "서울 사회적경제 지원사업"
# Chips whose label starts with what the parameter is called ("지원대상: 협동조합"):
# a feed title names the values alone, "협동조합 · 접수중".
_NAMED_BY_VALUE = {"section", "area", "eligibility", "kind", "status", "contact"}


def search_title(search) -> str:
    """ "2019년 지원사업: 협동조합 · 접수중" — the year and what the search keeps."""
    title = f"{search.year}년 지원사업" if search.year else SITE_NAME
    if not search.chips:
        return title
    labels = [
        chip.label.split(": ", 1)[-1] if chip.param in _NAMED_BY_VALUE else chip.label
        for chip in search.chips
    ]
    return f"{title}: {' · '.join(labels)}"


def application_text(program) -> str:
    """ "3~4월, 9월 · 접수중 (마감 D-3)": when it takes applications, and today's status."""
    periods = application_periods(program.milestones.all(), program.year)
    if not periods:
        return "계획표에 접수 일정이 없습니다"
    text = ", ".join(period.text for period in periods)
    status = program.application_status
    text += f" · {status.label}"
    if status.deadline_label:
        text += f" ({status.deadline_label})"
    return text


class SearchFeed(Feed):
    """A catalogue search as an Atom feed: it links to the catalogue page of the
    same search, and `answer` refuses a search the catalogue would explain."""

    feed_type = Atom1Feed
    author_name = f"{SITE_NAME} 포털"
    url_name = ""  # the feed's own page

    def get_object(self, request, search):
        return search

    def link(self, search):
        return _with_query(reverse("programs:catalogue"), search.query_string)

    def feed_url(self, search):
        return _with_query(reverse(self.url_name), search.query_string)

    def answer(self, request, search) -> HttpResponse:
        if search.messages:
            # A feed reader shows no page to read a message on: refuse, naming why.
            return HttpResponse(
                "\n".join(search.messages), status=400, content_type="text/plain; charset=utf-8"
            )
        return self(request, search=search)


class ProgramSearchFeed(SearchFeed):
    url_name = "programs:atom"

    def title(self, search):
        return search_title(search)

    def subtitle(self, search):
        return (
            "서울시사회적경제지원센터와 서울시협동조합지원센터의 지원사업 가운데 "
            "이 조건에 맞는 사업입니다. 사업이 새로 생기거나 바뀌면 여기에 나옵니다."
        )

    def items(self, search):
        return search.programs.for_listing() if search.year else []

    def item_title(self, program):
        status = program.application_status
        return f"{program.name} ({status.label})" if status else program.name

    def item_description(self, program):
        rows = [
            ("지원분야", f"{program.area.section.name} · {program.area.name}"),
            ("지원대상", program.target or "계획표에 적혀 있지 않습니다"),
            ("업체당 지원", program.per_company_display or "계획표에 적혀 있지 않습니다"),
            ("사업 전체 규모", program.budget_display or "계획표에 적혀 있지 않습니다"),
            ("접수", application_text(program)),
        ]
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", rows))

    def item_pubdate(self, program):
        return program.created_at

    def item_updateddate(self, program):
        return program.updated_at

    def item_categories(self, program):
        return [program.area.name, *(tag.name for tag in program.eligibility.all())]


program_search_feed = ProgramSearchFeed()


@cached_plan_page(params=FILTER_PARAMS)  # every filter; a feed has no pages
def programs_atom(request):
    search = search_programs(request.GET, path=reverse("programs:catalogue"))
    return program_search_feed.answer(request, search)


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def subscribe_links(search, request) -> dict:
    """Where to follow a listing's search: its Atom feed and its calendar feed
    (both the same filters), absolute so they can be copied into a reader or a
    calendar app. The e-mail alert's page is named in the template, which leaves
    the link out when that app is not installed."""
    atom = request.build_absolute_uri(_with_query(reverse("programs:atom"), search.query_string))
    ics = request.build_absolute_uri(_with_query(reverse("programs:ics"), search.query_string))
    return {
        "title": search_title(search),
        "atom_url": atom,
        "ics_url": ics,
        # Calendar apps subscribe (and keep refreshing) from a webcal: link; an
        # https link to an .ics only imports the events once.
        "webcal_url": "webcal://" + ics.split("://", 1)[1],
        "query": search.query_string,
    }

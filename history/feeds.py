"""/changes.atom: corrections to published programs, newest first.

Each entry is one correction of one program ("유통채널 입점지원: 지원규모
변경") listing every fact it changed, old → new, and links to the program's
page. `year` and `area` narrow it as they narrow the catalogue; without `year`
it is the latest published year's, as the catalogue is.
"""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from history.changelog import recent_corrections
from programs.feeds import SITE_NAME, SearchFeed
from programs.filters import search_programs
from programs.versions import cached_plan_page

PARAMS = ("year", "area")


class ChangesFeed(SearchFeed):
    url_name = "history:changes_atom"

    def title(self, search):
        area = dict(search.params).get("area")
        title = f"{search.year}년 지원사업 변경 이력" if search.year else f"{SITE_NAME} 변경 이력"
        return f"{title}: {area}" if area else title

    def subtitle(self, search):
        return (
            "공개한 뒤 고친 지원사업 내용입니다: 사업명, 지원대상, 지원규모, 업체평균, "
            "추진일정, 문의처가 바뀌면 바뀌기 전과 후를 알려 드립니다."
        )

    def items(self, search):
        return recent_corrections(search.programs) if search.year else []

    def item_title(self, correction):
        return f"{correction.program.name}: {correction.summary}"

    def item_description(self, correction):
        program = correction.program
        lines = [(change.label, change.before, change.after) for change in correction.changes]
        return format_html(
            "<p>{}년 · {} · {}</p><ul>{}</ul>",
            program.year,
            program.area.section.name,
            program.area.name,
            format_html_join("", "<li>{}: {} → {}</li>", lines),
        )

    def item_link(self, correction):
        return f"{correction.program.get_absolute_url()}#changes"

    def item_guid(self, correction):
        return f"{correction.program.get_absolute_url()}#change-{correction.slug}"

    item_guid_is_permalink = False

    def item_pubdate(self, correction):
        return correction.moment

    def item_updateddate(self, correction):
        return correction.moment

    def item_categories(self, correction):
        return [correction.program.area.name]


changes_feed = ChangesFeed()


@cached_plan_page(params=PARAMS)
def changes_atom(request):
    data = QueryDict(mutable=True)
    for name in PARAMS:
        data.setlist(name, request.GET.getlist(name))
    search = search_programs(data, path=reverse("programs:catalogue"))
    return changes_feed.answer(request, search)

"""{% program_corrections program %}: the detail page's "변경 이력" section.

A template tag rather than a view change, so the page of the programs app
shows the log without programs importing history."""

from django import template

from history.changelog import program_corrections as corrections_of

register = template.Library()


@register.inclusion_tag("history/corrections.html")
def program_corrections(program):
    return {"corrections": corrections_of(program)}

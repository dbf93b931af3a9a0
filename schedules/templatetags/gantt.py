from django import template

from schedules.kinds import date_ranges
from schedules.labels import date_span

register = template.Library()


@register.filter
def stated_dates(milestone) -> list[dict]:
    """The exact dates a milestone's label states, for <time> elements."""
    if not milestone.start_date:
        return []
    return [
        {"iso": start.isoformat(), "text": date_span(start, end)}
        for start, end in date_ranges(milestone.label, milestone.start_date.year)
    ]

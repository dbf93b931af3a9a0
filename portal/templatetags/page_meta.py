"""What a page says about itself to search engines and link previews: its
canonical address, and its title and description written once but read in
several places (<title>, og:title, twitter:title …)."""

from django import template
from django.core.exceptions import DisallowedHost
from django.template.loader_tags import BLOCK_CONTEXT_KEY

from portal.text import normalise

register = template.Library()


@register.simple_tag(takes_context=True)
def page_block(context, name: str) -> str:
    """The text of block `name` as the page being rendered defines it (the most
    derived template's version). A block can appear only once in a
    template, yet a page's title also belongs in og:title and twitter:title:
    pages write it once and the base template reads it wherever it is needed."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    # A rendered block is escaped already (safe text), so it is not escaped twice.
    return block.render(context) if block is not None else ""


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    """`path` (default: this request's, with the query the page reads) as an
    absolute URL on the host the request came to. Public pages reach here after
    the page cache has dropped the query parameters they do not read, so the
    page's own address is already its canonical one. "" without a request (the
    500 page renders without one) or with a host the site does not serve."""
    request = context.get("request")
    if request is None:
        return ""
    try:
        return request.build_absolute_uri(path or request.get_full_path())
    except DisallowedHost:
        return ""  # the 400 page for a host we do not serve names no address on it


@register.filter
def one_line(text) -> str:
    """Text for a meta attribute: normalised, line breaks folded into spaces."""
    return normalise(text)

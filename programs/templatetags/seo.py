"""What a program's page tells search engines beyond its text."""

from django import template

from programs.structured_data import json_ld_script, program_graph

register = template.Library()


@register.simple_tag(takes_context=True)
def program_json_ld(context, program):
    """The program's schema.org data (programs.structured_data) as JSON-LD."""
    request = context["request"]
    return json_ld_script(program_graph(program, request.build_absolute_uri))

"""Field shapes that more than one app stores the same way."""

from django.db import models


def web_address(label: str, help_text: str) -> models.URLField:
    """An optional address a public page links to; its model also declares
    `only_web_addresses` for it."""
    return models.URLField(label, blank=True, help_text=help_text)


def only_web_addresses(field: str, name: str) -> models.CheckConstraint:
    """The address becomes an href on a public page: blank or http(s), never
    javascript: or data:."""
    return models.CheckConstraint(
        condition=models.Q((field, ""))
        | models.Q((f"{field}__startswith", "https://"))
        | models.Q((f"{field}__startswith", "http://")),
        name=name,
    )

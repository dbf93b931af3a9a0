import re

from django.contrib import admin
from django.db.models import Count

from contacts.models import ContactDesk

# A search term that is a piece of a phone number as people type it.
_PHONE_PIECE = re.compile(r"[\d()+.\- ]{3,30}")


def phone_search_term(term: str) -> str | None:
    """A typed piece of a number in the stored E.164 form: "070-4267" ->
    "+82704267", which the desks it starts contain; digits without the leading
    0 ("4267-5038" -> "42675038") are looked for anywhere in the number."""
    term = term.strip()
    if not _PHONE_PIECE.fullmatch(term):
        return None
    digits = "".join(char for char in term if char.isdigit())
    if len(digits) < 3:
        return None
    if term.startswith("+82"):
        return "+" + digits
    return "+82" + digits[1:] if digits.startswith("0") else digits


class PhoneSearchMixin:
    """Admin search that finds desks by their number as people write it.

    Phone numbers are stored in E.164 ("+827042675038"), so the search term is
    written the same way before it is compared: "070-4267" finds that desk."""

    phone_lookup = "phone"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        phone = phone_search_term(search_term)
        if phone:
            results |= queryset.filter(**{f"{self.phone_lookup}__contains": phone})
            may_have_duplicates = may_have_duplicates or "__" in self.phone_lookup
        return results, may_have_duplicates


@admin.register(ContactDesk)
class ContactDeskAdmin(PhoneSearchMixin, admin.ModelAdmin):
    list_display = ["organization", "team", "phone_display", "url", "program_count"]
    search_fields = ["organization", "team", "phone", "url"]

    def get_queryset(self, request):
        # Meta.ordering is dropped from GROUP BY queries, so order explicitly.
        return (
            super()
            .get_queryset(request)
            .annotate(program_count=Count("program_links"))
            .order_by(*ContactDesk._meta.ordering)
        )

    @admin.display(description="전화번호", ordering="phone")
    def phone_display(self, obj):
        return obj.phone_display

    @admin.display(description="담당 사업 수", ordering="program_count")
    def program_count(self, obj):
        return obj.program_count

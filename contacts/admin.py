from django.contrib import admin
from django.db.models import Count

from contacts.models import ContactDesk


@admin.register(ContactDesk)
class ContactDeskAdmin(admin.ModelAdmin):
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

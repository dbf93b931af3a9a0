"""Plan years."""

from django.contrib import admin

from programs.models import Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "source_name", "imported_at", "updated_at"]
    readonly_fields = ["source_name", "source_sha256", "imported_at", "version", "updated_at"]

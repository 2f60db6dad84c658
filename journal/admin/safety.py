"""Admin for safety signals: read-only."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from ..models import (
    SafetySignal,
)


@admin.register(SafetySignal)
class SafetySignalAdmin(ReadOnlyAdmin):
    list_display = ["id", "client", "source", "assessment", "created_at"]
    list_filter = ["source"]
    search_fields = ["client__email"]
    date_hierarchy = "created_at"
    fields = ["client", "source", "assessment", "created_at"]
    list_select_related = ["client"]

"""Admin for medication events: read-only, never the client's note."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from ..models import (
    MedicationEvent,
)


@admin.register(MedicationEvent)
class MedicationEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "client", "medication", "kind", "side_effect", "occurred_on"]
    list_filter = ["kind", "side_effect"]
    search_fields = ["medication", "client__email"]
    date_hierarchy = "occurred_on"
    fields = [
        "client",
        "medication",
        "kind",
        "dose",
        "side_effect",
        "occurred_on",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["client"]

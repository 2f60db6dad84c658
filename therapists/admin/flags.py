"""Admin for flags and their notes: levels and dates, never the notes' text."""

from django.contrib import admin

from ..models import Flag, FlagNote


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """Flags are generated; staff can see levels and dates, not notes (clinical free text)."""

    list_display = ["client", "kind", "level", "status", "raised_at", "onset", "resolved_at"]
    list_filter = ["kind", "level", "status", "suggest_phq9"]
    date_hierarchy = "raised_at"
    search_fields = ["client__email", "client__display_name"]
    list_select_related = ["client"]
    readonly_fields = [
        "client",
        "kind",
        "level",
        "status",
        "raised_at",
        "onset",
        "drivers",
        "summary",
        "suggest_phq9",
        "acknowledged_at",
        "resolved_at",
        "created_at",
        "updated_at",
    ]
    exclude = ["related_medication_events"]

    def has_add_permission(self, request):
        return False


@admin.register(FlagNote)
class FlagNoteAdmin(admin.ModelAdmin):
    list_display = ["flag", "therapist", "action", "created_at"]
    list_filter = ["action", "flag__kind"]
    search_fields = ["therapist__email", "flag__client__email"]
    list_select_related = ["flag__client", "therapist"]
    exclude = ["note"]
    readonly_fields = ["flag", "therapist", "action", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

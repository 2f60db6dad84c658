"""Admin for therapists' medication notes: never the text."""

from django.contrib import admin

from ..models import MedicationNote


@admin.register(MedicationNote)
class MedicationNoteAdmin(admin.ModelAdmin):
    list_display = ["client", "therapist", "medication_event", "created_at"]
    search_fields = ["client__email", "therapist__email"]
    list_filter = [("medication_event", admin.EmptyFieldListFilter)]
    date_hierarchy = "created_at"
    list_select_related = ["client", "therapist", "medication_event"]
    exclude = ["text"]
    readonly_fields = ["client", "therapist", "medication_event", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

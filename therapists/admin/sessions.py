"""Admin for session dates."""

from django.contrib import admin

from ..models import TherapySession


@admin.register(TherapySession)
class TherapySessionAdmin(admin.ModelAdmin):
    list_display = ["therapist", "client", "held_on"]
    list_filter = ["held_on"]
    search_fields = ["therapist__email", "client__email"]
    list_select_related = ["therapist", "client"]
    raw_id_fields = ["therapist", "client"]

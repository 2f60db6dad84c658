"""Admin for questionnaire results and schedules: read-only."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from ..models import (
    Assessment,
    AssessmentSchedule,
)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "client", "instrument", "score", "severity", "safety_flag", "taken_at"]
    list_filter = ["instrument", "severity", "safety_flag"]
    search_fields = ["client__email"]
    date_hierarchy = "taken_at"
    fields = ["client", "instrument", "score", "severity", "safety_flag", "taken_at", "created_at"]
    list_select_related = ["client"]


@admin.register(AssessmentSchedule)
class AssessmentScheduleAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "client",
        "therapist",
        "instrument",
        "every_days",
        "next_due_on",
        "is_active",
    ]
    list_filter = ["instrument", "is_active"]
    search_fields = ["client__email", "therapist__email"]
    fields = [
        "client",
        "therapist",
        "instrument",
        "every_days",
        "next_due_on",
        "is_active",
        "created_at",
    ]
    list_select_related = ["client", "therapist"]

"""Admin for questionnaire results and schedules: read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin

from ..instruments import SEVERITY_LABELS, SEVERITY_ORDER
from ..models import (
    Assessment,
    AssessmentSchedule,
)


class SeverityFilter(admin.SimpleListFilter):
    title = _("band")
    parameter_name = "severity"

    def lookups(self, request, model_admin):
        return [(code, SEVERITY_LABELS[code]) for code in SEVERITY_ORDER]

    def queryset(self, request, queryset):
        return queryset.filter(severity=self.value()) if self.value() else queryset


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "client", "instrument", "score", "band", "safety_flag", "taken_at"]
    list_filter = ["instrument", SeverityFilter, "safety_flag"]
    search_fields = ["client__email"]
    date_hierarchy = "taken_at"
    fields = ["client", "instrument", "score", "band", "safety_flag", "taken_at", "created_at"]
    readonly_fields = ["band"]
    list_select_related = ["client"]

    @admin.display(description=_("band"), ordering="severity")
    def band(self, obj: Assessment) -> str:
        return str(SEVERITY_LABELS.get(obj.severity, obj.severity))


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

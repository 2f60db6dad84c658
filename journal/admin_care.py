"""Admin for homework templates (editable content) and read-only views of care data.

Staff never see clinical free text: no medication notes, no homework reflections (logs
are not registered at all), no assignment instructions a therapist wrote for a client.
Clinical rows cannot be added, changed or deleted here; writes go through the services.
Imported from journal/admin.py (Django only autodiscovers admin.py).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .markdown import render_markdown
from .models import (
    Assessment,
    AssessmentSchedule,
    HomeworkAssignment,
    HomeworkTemplate,
    MedicationEvent,
    SafetySignal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HomeworkTemplate)
class HomeworkTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "frequency", "times_per_week", "owner", "is_active"]
    list_filter = ["category", "frequency", "is_active", ("owner", admin.EmptyFieldListFilter)]
    search_fields = ["title", "instructions"]
    list_editable = ["is_active"]
    readonly_fields = ["preview", "created_at", "updated_at"]
    fields = [
        "title",
        "category",
        "frequency",
        "times_per_week",
        "instructions",
        "preview",
        "owner",
        "is_active",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["owner"]

    @admin.display(description=_("Preview (as clients see it; save to refresh)"))
    def preview(self, obj: HomeworkTemplate):
        return render_markdown(obj.instructions) if obj.pk else "—"


@admin.register(HomeworkAssignment)
class HomeworkAssignmentAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "title",
        "client",
        "therapist",
        "frequency",
        "status",
        "starts_on",
        "due_on",
    ]
    list_filter = ["status", "frequency", "template__category"]
    search_fields = ["title", "client__email", "therapist__email"]
    date_hierarchy = "starts_on"
    fields = [
        "client",
        "therapist",
        "template",
        "title",
        "frequency",
        "times_per_week",
        "starts_on",
        "due_on",
        "status",
        "ended_on",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["client", "therapist"]


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


@admin.register(SafetySignal)
class SafetySignalAdmin(ReadOnlyAdmin):
    list_display = ["id", "client", "source", "assessment", "created_at"]
    list_filter = ["source"]
    search_fields = ["client__email"]
    date_hierarchy = "created_at"
    fields = ["client", "source", "assessment", "created_at"]
    list_select_related = ["client"]

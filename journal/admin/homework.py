"""Admin for homework: templates (content staff edit the library), assignments read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin

from ..markdown import render_markdown
from ..models import (
    HomeworkAssignment,
    HomeworkTemplate,
)


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

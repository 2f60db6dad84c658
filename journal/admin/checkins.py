"""Admin for check-ins and daily aggregates: read-only, and never the note."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from ..models import SYMPTOM_FIELDS, CheckIn, ClientDay, EmotionRating


class EmotionRatingInline(admin.TabularInline):
    model = EmotionRating
    fields = ["emotion", "intensity"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    # "note" is deliberately absent from every list below: clinical free text.
    list_display = ["id", "client", "occurred_at", "local_date", "felt_intensity", "shared"]
    list_filter = ["shared", "local_date"]
    search_fields = ["client__email"]
    list_select_related = ["client"]
    date_hierarchy = "occurred_at"
    fields = [
        "client",
        "occurred_at",
        "local_date",
        "felt_intensity",
        *SYMPTOM_FIELDS.values(),
        "triggers",
        "shared",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [EmotionRatingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("note")


@admin.register(ClientDay)
class ClientDayAdmin(ReadOnlyAdmin):
    list_display = [
        "client",
        "date",
        "checkins",
        "felt_intensity",
        "distinct_emotions",
        "distinct_emotions_7d",
        "symptom_score",
        "empty_checkins",
        "blunting_index",
    ]
    list_filter = ["date"]
    search_fields = ["client__email"]
    list_select_related = ["client"]
    date_hierarchy = "date"
    fields = [
        "client",
        "date",
        "checkins",
        "felt_intensity",
        "felt_intensity_max",
        "emotion_counts",
        "distinct_emotions",
        "distinct_emotions_7d",
        "positive_affect",
        "negative_affect",
        "symptom_score",
        "empty_checkins",
        "blunting_index",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

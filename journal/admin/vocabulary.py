"""Admin for the feelings vocabulary (the wheel) and the trigger tags: content staff edit these."""

from django.contrib import admin
from django.db.models import Case, F, IntegerField, When
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Emotion, Trigger


class EmotionParentFilter(admin.SimpleListFilter):
    """Filter by core feeling: shows the whole branch under it."""

    title = _("core feeling")
    parameter_name = "core"

    def lookups(self, request, model_admin):
        return [
            (e.slug, e.name) for e in Emotion.objects.filter(level=1).order_by("position", "name")
        ]

    def queryset(self, request, queryset):
        slug = self.value()
        if not slug:
            return queryset
        return (
            queryset.filter(slug=slug)
            | queryset.filter(parent__slug=slug)
            | queryset.filter(parent__parent__slug=slug)
        )


def _by_level(level1, level2, level3):
    return Case(
        When(level=1, then=level1),
        When(level=2, then=level2),
        default=level3,
        output_field=IntegerField(),
    )


class EmotionChildInline(admin.TabularInline):
    model = Emotion
    fk_name = "parent"
    fields = ["position", "slug", "name", "valence", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(Emotion)
class EmotionAdmin(admin.ModelAdmin):
    """The wheel as a tree: each feeling under its parent, indented by level."""

    list_display = ["tree_name", "slug", "level", "valence", "parent", "position", "is_active"]
    list_display_links = ["tree_name"]
    list_filter = ["level", "valence", "is_active", EmotionParentFilter]
    search_fields = ["slug", "name", "synonyms", "parent__name"]
    list_select_related = ["parent"]
    list_per_page = 200
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fields = [
        "name",
        "slug",
        "synonyms",
        "parent",
        "level",
        "valence",
        "position",
        "is_active",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [EmotionChildInline]

    def get_queryset(self, request):
        # Tree order: core feeling, then its secondary, then the specific one.
        # Not super(): it orders by get_ordering() before these annotations exist.
        return self.model._default_manager.get_queryset().annotate(
            _root_pos=_by_level(
                F("position"), F("parent__position"), F("parent__parent__position")
            ),
            _root_id=_by_level(F("id"), F("parent_id"), F("parent__parent_id")),
            _mid_pos=_by_level(-1, F("position"), F("parent__position")),
            _mid_id=_by_level(-1, F("id"), F("parent_id")),
            _leaf_pos=_by_level(-1, -1, F("position")),
        )

    def get_ordering(self, request):
        # A method, not ``ordering``: the admin's checks only know model fields, not annotations.
        return ["_root_pos", "_root_id", "_mid_pos", "_mid_id", "_leaf_pos", "name"]

    def get_field_queryset(self, db, db_field, request):
        # The "parent" choices would be ordered by get_ordering(), whose annotations exist
        # only in get_queryset(): order them by plain fields (the change page was a 500).
        if db_field.remote_field.model is Emotion:
            return Emotion.objects.using(db).order_by("level", "position", "name")
        return super().get_field_queryset(db, db_field, request)

    @admin.display(description=_("feeling"), ordering="name")
    def tree_name(self, obj: Emotion) -> str:
        indent = "\u2003" * (obj.level - 1)
        marker = "" if obj.level == 1 else "└ "
        return format_html("{}{}{}", indent, marker, obj.name)


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["slug", "name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["position", "name"]

from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.template import Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from .drf import ascii_int
from .messaging import render_override
from .models import (
    AuditEvent,
    CareRelationship,
    DataExport,
    Invitation,
    MessageTemplate,
    OutboxMessage,
    Role,
    SentMessage,
    User,
)
from .twofactor import enrolment_link_create, needs_second_factor


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "role",
        "therapist_approved_at",
        "is_active",
        "created_at",
    ]
    list_filter = [
        "role",
        "is_active",
        "is_staff",
        ("therapist_approved_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "display_name"]
    readonly_fields = ["created_at", "updated_at", "last_login", "next_reminder_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "role",
                    "timezone",
                    "reminder_times",
                    "weekly_summary_opt_in",
                    "next_reminder_at",
                ]
            },
        ),
        (
            _("Access"),
            {
                "fields": [
                    "is_active",
                    "therapist_approved_at",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "role", "password1", "password2"],
            },
        )
    ]
    actions = ["approve_therapists", "send_enrolment_links"]

    @admin.action(description=_("Approve selected therapists (emails each a set-up link)"))
    def approve_therapists(self, request, queryset):
        pending = list(queryset.filter(role=Role.THERAPIST, therapist_approved_at__isnull=True))
        with transaction.atomic():
            User.objects.filter(pk__in=[t.pk for t in pending]).update(
                therapist_approved_at=timezone.now()
            )
            for therapist in pending:
                if not user_has_device(therapist, confirmed=True):
                    enrolment_link_create(user=therapist, send_email=True)
        self.message_user(
            request,
            _("%(count)d therapist(s) approved; each is emailed a link to set up the second step.")
            % {"count": len(pending)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Email a new second-step set-up link"))
    def send_enrolment_links(self, request, queryset):
        people = [u for u in queryset if needs_second_factor(u)]
        with transaction.atomic():
            for person in people:
                enrolment_link_create(user=person, send_email=True)
        self.message_user(
            request,
            _(
                "%(count)d set-up link(s) emailed; older unused links stop working. Clients "
                "need no second step and get none."
            )
            % {"count": len(people)},
            messages.SUCCESS,
        )


@admin.register(CareRelationship)
class CareRelationshipAdmin(admin.ModelAdmin):
    list_display = ["therapist", "client", "started_at", "ended_at", "ended_by"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter), "ended_by"]
    search_fields = [
        "therapist__email",
        "client__email",
        "therapist__display_name",
        "client__display_name",
    ]
    list_select_related = ["therapist", "client"]
    raw_id_fields = ["therapist", "client"]
    date_hierarchy = "started_at"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "therapist", "created_at", "expires_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "therapist__email"]
    list_select_related = ["therapist"]
    readonly_fields = ["code_digest", "accepted_by", "accepted_at", "created_at", "updated_at"]
    raw_id_fields = ["therapist"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: staff browse and filter the trail but cannot add, change or delete it."""

    list_display = [
        "at",
        "actor_email",
        "action",
        "subject_id",
        "object_type",
        "object_id",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_email", "object_id"]
    date_hierarchy = "at"

    def get_search_results(self, request, queryset, search_term):
        # A number also finds the events about that client ("=subject_id" as a search
        # field was a 500: FieldError, no iexact on a foreign key).
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = ascii_int(search_term)
        if number is not None and number < 2**63:
            results |= queryset.filter(subject_id=number)
        return results, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["task_name", "created_at", "dispatched_at", "attempts"]
    list_filter = ["task_name", ("dispatched_at", admin.EmptyFieldListFilter)]
    search_fields = ["task_name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "task_name",
        "kwargs",
        "created_at",
        "updated_at",
        "dispatched_at",
        "attempts",
    ]

    def has_add_permission(self, request):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look, never add, change or delete (clinical records, logs, bookkeeping)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SentMessage)
class SentMessageAdmin(ReadOnlyAdmin):
    """Which reminder or digest went to whom, once (the idempotency keys); no content."""

    list_display = ["kind", "recipient", "created_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    """Export jobs and their progress; the files themselves are only for the client."""

    list_display = ["client", "status", "progress", "created_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["client__email"]
    list_select_related = ["client"]
    exclude = ["file_name"]


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["key", "subject", "body", "is_active"]

    def clean(self):
        cleaned = super().clean()
        for field in ("subject", "body"):
            try:
                Engine.get_default().from_string(cleaned.get(field) or "")
            except TemplateSyntaxError as exc:
                self.add_error(
                    field, _("This is not valid template syntax: %(error)s") % {"error": exc}
                )
        return cleaned


SAMPLE_PERSON = SimpleNamespace(display_name="Sam", pk=0)
SAMPLE_CONTEXT = {
    "client": SAMPLE_PERSON,
    "recipient": SAMPLE_PERSON,
    "therapist": SimpleNamespace(display_name="Dr. Lee", pk=0),
    "homework_due": 2,
    "questionnaires_due": 1,
    "checkins": 9,
    "days": 5,
    "homework_done": 4,
    "week": "2026-W48",
    "client_count": 12,
    "flagged_count": 2,
    "no_checkin_week": 1,
    "mean_adherence": 64,
    "rows": [],
}


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Staff's wording for reminders, digests and alerts, with a preview on sample data."""

    form = MessageTemplateForm
    list_display = ["key", "subject", "is_active", "updated_at"]
    list_filter = ["is_active", "key"]
    search_fields = ["subject", "body"]
    readonly_fields = ["preview", "created_at", "updated_at"]

    @admin.display(description=_("Preview with sample data"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return _("Save to see a preview.")
        try:
            subject, text, _html = render_override(
                obj.subject, obj.body, {"site_url": "https://companion.example", **SAMPLE_CONTEXT}
            )
        except Exception as exc:  # a preview must never break the admin page
            return _("The template cannot be rendered: %(error)s") % {"error": exc}
        return format_html("<p><strong>{}</strong></p><pre>{}</pre>", subject, text)

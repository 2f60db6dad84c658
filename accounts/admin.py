import importlib
from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template import Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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
from .passwords import ResetRequestView, SiteLinkResetForm
from .services import care_end
from .twofactor import enrolment_link_create, needs_second_factor


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look, never add, change or delete (clinical records, logs, bookkeeping)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
        (None, {"fields": ["email"]}),
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
    actions = ["approve_therapists", "send_enrolment_links", "send_password_links"]

    def user_change_password(self, request, id, form_url=""):
        """Staff do not set people's passwords (they could then sign in as them): the
        person sets a new one from an emailed link (the action below, or "Forgot your
        password?" on the sign-in page)."""
        raise PermissionDenied

    @admin.action(description=_("Email a link to set a new password"))
    def send_password_links(self, request, queryset):
        people = list(queryset.filter(is_active=True))
        for person in people:
            form = SiteLinkResetForm({"email": person.email})
            if form.is_valid():
                form.save(
                    request=request,
                    email_template_name=ResetRequestView.email_template_name,
                    subject_template_name=ResetRequestView.subject_template_name,
                )
        self.message_user(
            request,
            _("%(count)d link(s) emailed; each works once, for three days.")
            % {"count": len(people)},
            messages.SUCCESS,
        )

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
class CareRelationshipAdmin(ReadOnlyAdmin):
    """Who cares for whom, to look up, and to end (through the service, audited). Staff
    cannot start one: a therapist reaches a client only by an invitation the client
    accepts, so nobody is given someone's records without their say (found by an
    attacker run: an admin 'add' gave a therapist a client's check-ins, unaudited)."""

    list_display = ["therapist", "client", "started_at", "ended_at", "ended_by"]
    actions = ["end_selected"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter), "ended_by"]
    search_fields = [
        "therapist__email",
        "client__email",
        "therapist__display_name",
        "client__display_name",
    ]
    list_select_related = ["therapist", "client"]
    date_hierarchy = "started_at"

    @admin.action(description=_("End the selected care relationships"), permissions=["view"])
    def end_selected(self, request, queryset):
        with transaction.atomic():
            ended = [
                care_end(relationship=r, ended_by=request.user, request=request)
                for r in queryset.filter(ended_at__isnull=True).select_for_update()
            ]
        self.message_user(
            request,
            _("%(count)d care relationship(s) ended; the therapist's access stopped at once.")
            % {"count": len(ended)},
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "therapist", "created_at", "expires_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "therapist__email"]
    list_select_related = ["therapist"]
    readonly_fields = ["code_digest", "accepted_by", "accepted_at", "created_at", "updated_at"]
    raw_id_fields = ["therapist"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: staff browse and filter the trail but cannot add, change or delete it.

    People by name (with their email beside), actions by their label; every column shown
    in full, so nothing is cut to an id.
    """

    list_display = ["at", "who", "action", "about", "what", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_email", "object_id", "actor__display_name", "subject__display_name"]
    list_select_related = ["actor", "subject"]
    date_hierarchy = "at"
    fields = ["at", "who", "action", "about", "what", "ip_address", "user_agent"]
    readonly_fields = fields

    @admin.display(description=_("who"), ordering="actor_email")
    def who(self, obj: AuditEvent) -> str:
        if obj.actor is not None:
            return f"{obj.actor.display_name} <{obj.actor.email}> ({obj.actor.get_role_display()})"
        return obj.actor_email or str(_("the system"))

    @admin.display(description=_("about whom"), ordering="subject__display_name")
    def about(self, obj: AuditEvent) -> str:
        if obj.subject is not None:
            return f"{obj.subject.display_name} <{obj.subject.email}>"
        return (
            str(_("(a deleted account, id %(id)s)") % {"id": obj.subject_id})
            if obj.subject_id
            else "—"
        )

    @admin.display(description=_("what"), ordering="object_type")
    def what(self, obj: AuditEvent) -> str:
        kind = obj.object_type.replace("_", " ").replace(".", ": ") or "—"
        return f"{kind} {obj.object_id}".strip() if obj.object_id else kind

    def get_search_results(self, request, queryset, search_term):
        # A number also finds the events about that client ("=subject_id" as a search
        # field was a 500: FieldError, no iexact on a foreign key).
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = ascii_int(search_term)
        if number is not None and number < 2**63:
            results |= queryset.filter(subject_id=number)
        return results, may_have_duplicates


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


# What each kind of sent message is, in words (the kinds are codes the senders choose).
MESSAGE_KINDS = {
    "reminder": _("Check-in reminder"),
    "care_reminder": _("Homework and questionnaire reminder"),
    "weekly_summary": _("Weekly client summary"),
    "digest": _("Weekly therapist digest"),
    "safety_alert": _("Safety alert to the therapist"),
    "enrolment": _("Second-step set-up link"),
    "registration-notice": _("Registration notice"),
}


def message_kind_label(kind: str) -> str:
    return str(MESSAGE_KINDS.get(kind, kind.replace("_", " ").replace("-", " ").capitalize()))


@admin.register(SentMessage)
class SentMessageAdmin(ReadOnlyAdmin):
    """Which reminder or digest went to whom, once (the idempotency keys); no content."""

    list_display = ["kind_label", "recipient", "created_at"]
    list_filter = ["kind"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj: SentMessage) -> str:
        return message_kind_label(obj.kind)

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


# The names a staff wording may use, per kind, with what each holds. Records (a client,
# a therapist) offer only ``display_name`` and ``pk`` (messaging._staff_view).
MESSAGE_VARIABLES: dict[str, list[tuple[str, str]]] = {
    MessageTemplate.Key.CHECKIN_REMINDER: [
        ("client.display_name", _("the client's name")),
        ("site_url", _("the site's address, e.g. {{ site_url }}/checkin/")),
    ],
    MessageTemplate.Key.CARE_REMINDER: [
        ("client.display_name", _("the client's name")),
        ("homework_due", _("how many homework tasks are due today")),
        ("questionnaires_due", _("how many questionnaires are ready")),
        ("site_url", _("the site's address")),
    ],
    MessageTemplate.Key.WEEKLY_DIGEST: [
        ("therapist.display_name", _("the therapist's name")),
        ("week", _("the week, e.g. 2026-W48")),
        ("client_count", _("clients in the caseload")),
        ("flagged_count", _("clients with open flags")),
        ("no_checkin_week", _("clients without a check-in in 7 days")),
        ("mean_adherence", _("average homework adherence over 14 days, in %")),
        ("site_url", _("the site's address, e.g. {{ site_url }}/dashboard/")),
    ],
    MessageTemplate.Key.WEEKLY_SUMMARY: [
        ("client.display_name", _("the client's name")),
        ("checkins", _("check-ins this week")),
        ("days", _("days with a check-in this week")),
        ("homework_done", _("homework completions this week")),
        ("site_url", _("the site's address")),
    ],
    MessageTemplate.Key.SAFETY_ALERT: [
        ("recipient.display_name", _("the therapist's name")),
        ("client.display_name", _("the client's name")),
        (
            "client.pk",
            _("the client's number, for {{ site_url }}/dashboard/clients/{{ client.pk }}/"),
        ),
        ("site_url", _("the site's address")),
    ],
}


def built_in_wording(key: str) -> tuple[str, str] | None:
    """The built-in email (subject, text) as a recipient reads it, on the sample data:
    the reviewed template files that are sent while no staff wording is switched on."""
    context = {"site_url": "https://companion.example", **SAMPLE_CONTEXT}
    try:
        subject = render_to_string(f"emails/{key}-subject.txt", context)
        text = render_to_string(f"emails/{key}-body.txt", context)
    except Exception:  # a preview must never break the admin page
        return None
    return " ".join(subject.split()), text


def variables_html(key: str):
    rows = MESSAGE_VARIABLES.get(key, [])
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "", "<li><code>{{{{ {} }}}}</code>: {}</li>", ((name, text) for name, text in rows)
        ),
    )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Staff's wording for reminders, digests and alerts, with a preview on sample data.

    The list shows every kind of email, with the built-in wording and the variables, so
    staff see what is sent today before writing their own."""

    form = MessageTemplateForm
    change_list_template = "accounts/admin/message_templates.html"
    list_display = ["key", "subject", "is_active", "updated_at"]
    list_filter = ["is_active", "key"]
    search_fields = ["subject", "body"]
    readonly_fields = ["preview", "variables", "built_in", "created_at", "updated_at"]
    fields = ["key", "variables", "built_in", "subject", "body", "is_active", "preview"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        key = initial.get("key")
        if key in MessageTemplate.Key.values and (wording := built_in_wording(key)):
            initial.setdefault("subject", wording[0])
            initial.setdefault("body", wording[1])
        return initial

    def changelist_view(self, request, extra_context=None):
        custom = dict(MessageTemplate.objects.values_list("key", "is_active"))
        kinds = []
        for key, label in MessageTemplate.Key.choices:
            wording = built_in_wording(key)
            kinds.append(
                {
                    "key": key,
                    "label": label,
                    "custom": key in custom,
                    "active": custom.get(key, False),
                    "subject": wording[0] if wording else "",
                    "text": wording[1] if wording else "",
                    "variables": variables_html(key),
                }
            )
        return super().changelist_view(request, {"kinds": kinds, **(extra_context or {})})

    @admin.display(description=_("Variables you can use"))
    def variables(self, obj):
        key = obj.key if obj and obj.pk else None
        if key is None:
            return _(
                "Choose the kind and save; the variables for it are listed then, and on the list page."
            )
        return variables_html(key)

    @admin.display(description=_("Built-in wording (used while yours is off or absent)"))
    def built_in(self, obj):
        wording = built_in_wording(obj.key) if obj and obj.pk else None
        if wording is None:
            return "—"
        return format_html("<p><strong>{}</strong></p><pre>{}</pre>", *wording)

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


# django-otp's own admin pages show each authenticator's secret key and the unused backup
# codes: with them staff could pass anyone's second step. Devices are made and replaced
# only through the enrolment link and Settings (accounts.twofactor).
for _device_admin in ("django_otp.plugins.otp_totp.admin", "django_otp.plugins.otp_static.admin"):
    importlib.import_module(_device_admin)  # registered first, so it can be taken away
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

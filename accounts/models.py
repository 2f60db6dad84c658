"""Users, care relationships, invitations, the audit trail and the task outbox."""

import functools
import hashlib
import re
import secrets
import unicodedata
import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@functools.cache
def known_time_zones() -> frozenset[str]:
    """Every zone name tzdata has (reading them walks its folder: done once a process)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (for example Europe/Berlin)."),
            params={"value": value},
        )


def validate_reminder_times(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and HHMM.match(v) for v in value):
        raise ValidationError(
            _('Reminder times must be a list of "HH:MM" times, for example ["09:00", "20:30"].')
        )
    if len(value) > 6:
        raise ValidationError(_("At most six reminder times a day."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Each reminder time may appear only once."))


# Characters that make one line of text into several, or reorder what a reader sees:
# control characters (Cc: CR, LF, NUL, ...), line and paragraph separators (Zl, Zp),
# lone surrogates (Cs), and the bidirectional overrides and isolates that can make a name
# display as something else.
_NOT_ONE_LINE = {"Cc", "Cs", "Zl", "Zp"}
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def validate_one_line(value: str) -> None:
    """Names are one line of plain text: no line breaks, control or direction characters."""
    if any(ch in _BIDI_CONTROLS or unicodedata.category(ch) in _NOT_ONE_LINE for ch in value):
        raise ValidationError(
            _("Use one line of plain text, without line breaks or control characters."),
            code="not_one_line",
        )


def one_line(value: object) -> str:
    """Any stored name, made safe to print on one line (for names saved before the validator)."""
    text = "".join(
        " " if ch in _BIDI_CONTROLS or unicodedata.category(ch) in _NOT_ONE_LINE else ch
        for ch in str(value or "")
    )
    return " ".join(text.split())


def canonical_email(value: str) -> str:
    """The one spelling of an email address that is stored and looked up: trimmed, lower case.

    Sign-in looks accounts up by exactly this form (not by a database case-insensitive
    match, whose rules differ between databases and from Python's), so every spelling that
    reaches an account has the same canonical form, and the lockout key is made from it.
    """
    return BaseUserManager.normalize_email(str(value).strip()).lower()


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    THERAPIST = "therapist", _("Therapist")
    STAFF = "staff", _("Staff")


class UserQuerySet(models.QuerySet):
    def clients_of(self, therapist: "User") -> "UserQuerySet":
        """The only path from a therapist to client rows: active care relationships only.

        Both conditions sit in one filter() so they apply to the same relationship row.
        """
        if (
            not therapist.is_authenticated
            or therapist.role != Role.THERAPIST
            or not therapist.is_active
        ):
            return self.none()
        return self.filter(
            role=Role.CLIENT,
            is_active=True,
            care_as_client__therapist=therapist,
            care_as_client__ended_at__isnull=True,
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=canonical_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("role", Role.CLIENT)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.update(role=Role.STAFF, is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email=canonical_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), max_length=254, unique=True)
    display_name = models.CharField(
        _("display name"), max_length=80, validators=[validate_one_line]
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CLIENT, db_index=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    reminder_times = models.JSONField(
        default=list, blank=True, validators=[validate_reminder_times]
    )
    # The next moment a check-in reminder is due (UTC), kept up to date so the reminder
    # scan reads an index instead of every client.
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)
    weekly_summary_opt_in = models.BooleanField(default=False)
    # Therapists: the Monday caseload digest by email (safety alerts always go out).
    weekly_digest_opt_in = models.BooleanField(default=True)
    # Therapists: safety alerts also as a notification on their devices (email always goes).
    push_safety_alerts = models.BooleanField(default=False)
    therapist_approved_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} <{self.email}>"

    def save(self, *args, **kwargs) -> None:
        # Every way in (admin forms, the shell, services) stores the canonical spelling,
        # because sign-in looks accounts up by exactly that form.
        self.email = canonical_email(self.email)
        super().save(*args, **kwargs)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST and self.therapist_approved_at is not None

    def local_now(self) -> datetime:
        return timezone.now().astimezone(self.tz)

    def local_today(self, now: datetime | None = None) -> date:
        """The date it is for this person (at ``now``, default: now), in their time zone."""
        return timezone.localdate(now or timezone.now(), timezone=self.tz)


class CareRelationship(models.Model):
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_as_therapist"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_as_client"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=16, choices=Role.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "client"],
                condition=models.Q(ended_at__isnull=True),
                name="care_one_active_per_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="care_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["therapist", "ended_at"], name="care_therapist_active_idx")]

    def __str__(self) -> str:
        return f"{self.therapist_id} → {self.client_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


def invitation_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def new_invitation_code() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A single-use code a therapist sends to a future client. Only its digest is stored."""

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    email = models.EmailField()
    code_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When the invitation was last emailed (None: never, e.g. made before emails existed).
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["therapist", "-created_at"], name="invitation_therapist_idx")
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.email}"

    @property
    def is_usable(self) -> bool:
        return self.state == "pending"

    @property
    def state(self) -> str:
        """accepted, revoked, expired or pending: what a therapist's list says of it."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class EnrolmentLink(models.Model):
    """A one-time link that lets a new therapist or staff member set up their second step.

    Without one, whoever first signs in with the password could enrol their own
    authenticator. The link reaches only the real person (printed by create_therapist,
    emailed on approval); the URL carries this row's id signed with SECRET_KEY, so the
    row itself holds nothing that could be turned into a link.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Second-step set-up link for user {self.user_id}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Locked out")
    LOGOUT = "logout", _("Logged out")
    READ = "read", _("Read")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    ACKNOWLEDGE = "acknowledge", _("Acknowledged a flag")
    CARE_START = "care_start", _("Care started")
    CARE_END = "care_end", _("Care ended")


class AuditEvent(models.Model):
    """Append-only: who read or changed which client's data, when, from where.

    Never holds clinical free text: only ids, object types and actions. On PostgreSQL a
    trigger (migration 0002) refuses UPDATE and DELETE as well.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices, db_index=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["subject", "at"], name="audit_subject_at_idx")]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class OutboxMessage(models.Model):
    """A task to run, written in the same transaction as the change that causes it.

    If the broker is down at commit time the row stays undispatched and the relay
    (accounts.tasks.relay_outbox) sends it later, so no work is lost.
    """

    task_name = models.CharField(max_length=120)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=models.Q(dispatched_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.kwargs}"


class SentMessage(models.Model):
    """One outgoing message, keyed so that no retry or duplicate delivery sends it twice.

    The key names what the message is for (``reminder:<client>:<slot>``,
    ``digest:<therapist>:<iso week>``, ``safety:<signal>:<therapist>``); the unique
    constraint is the guarantee, not a check in Python.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, db_index=True)
    # How it went out: "email", or "push" when a notification reached a device instead.
    channel = models.CharField(max_length=8, default="email")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key


class PushSubscription(models.Model):
    """A browser on one of the person's devices that accepts notifications (Web Push).

    ``endpoint`` is the push service's address for that browser, ``p256dh`` and ``auth``
    the browser's keys the payload is encrypted to (RFC 8291). Nothing clinical is ever
    sent: a title, a sentence and a link (``accounts.push``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.CharField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    # "Chrome on Android": from the browser's user agent when subscribed, for the settings list.
    label = models.CharField(max_length=80, blank=True)
    # The server's VAPID public key the browser subscribed with. After a key change the
    # push service refuses this subscription, so delivery drops it and the settings page
    # subscribes the browser again with the new key. Blank: made before this was kept.
    server_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.label or f"Device {self.pk}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Could not be prepared")


class DataExport(models.Model):
    """A client's copy of all their data (JSON + CSV in a zip), built in the background."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file_name = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="export_progress_0_100"
            )
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.status})"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == ExportStatus.DONE
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class MessageTemplate(models.Model):
    """Staff's wording for an outgoing email, used instead of the built-in template.

    Lives beside the sender (accounts.messaging) rather than in companion, because the
    sender must read it and accounts imports nothing above it. The context offers names,
    ids, counts and links only (`messaging._staff_view` replaces every record by its display
    name and id), so clinical text never reaches an email, whatever the wording.
    """

    class Key(models.TextChoices):
        CHECKIN_REMINDER = "checkin-reminder", _("Check-in reminder")
        CARE_REMINDER = "care-reminder", _("Homework and questionnaire reminder")
        WEEKLY_DIGEST = "weekly-digest", _("Weekly therapist digest")
        WEEKLY_SUMMARY = "weekly-summary", _("Weekly client summary")
        SAFETY_ALERT = "safety-alert", _("Safety alert to the therapist")

    key = models.CharField(max_length=40, choices=Key.choices, unique=True)
    subject = models.CharField(
        max_length=200, help_text=_("Django template syntax, e.g. {{ client.display_name }}.")
    )
    body = models.TextField(
        help_text=_("Plain text, Django template syntax. The HTML version is made from it.")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()

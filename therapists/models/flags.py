"""Flags: what the caseload shows a therapist first (safety, blunting, worsening scores,
missed check-ins), and each flag's history of acknowledgements."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.fields import EncryptedTextField
from journal.models import MedicationEvent


class FlagKind(models.TextChoices):
    SAFETY = "safety", _("Safety")
    BLUNTING = "blunting", _("Emotional blunting")
    WORSENING = "worsening", _("Worsening scores")
    MISSED_CHECKINS = "missed_checkins", _("Missed check-ins")


class FlagLevel(models.TextChoices):
    WATCH = "watch", _("Watch")
    FLAGGED = "flagged", _("Flagged")
    ESCALATED = "escalated", _("Escalated")
    ALERT = "alert", _("Alert")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class FlagQuerySet(models.QuerySet):
    def current(self) -> "FlagQuerySet":
        return self.exclude(status=FlagStatus.RESOLVED)


class Flag(models.Model):
    """Something about a client that needs a therapist's attention.

    At most one unresolved flag per client and kind (a database constraint); a blunting
    flag's level, onset and drivers are updated in place as the trend engine re-assesses.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(max_length=16, choices=FlagKind.choices)
    level = models.CharField(max_length=10, choices=FlagLevel.choices)
    status = models.CharField(max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_at = models.DateTimeField()
    onset = models.DateField(null=True, blank=True)
    drivers = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=200)
    suggest_phq9 = models.BooleanField(default=False)
    related_medication_events = models.ManyToManyField(
        MedicationEvent, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind"],
                condition=~models.Q(status="resolved"),
                name="flag_one_current_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["client", "status"], name="flag_client_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.level} for {self.client_id}"

    @property
    def is_current(self) -> bool:
        return self.status != FlagStatus.RESOLVED


class FlagNote(models.Model):
    """A therapist's acknowledgement, resolution or note on a flag: who, when, what."""

    class Action(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("Acknowledged")
        RESOLVE = "resolve", _("Resolved")

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="notes")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.action} on flag {self.flag_id}"

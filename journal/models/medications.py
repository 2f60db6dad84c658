from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.fields import EncryptedTextField


class MedicationEventKind(models.TextChoices):
    START = "start", _("Started")
    INCREASE = "increase", _("Dose increased")
    DECREASE = "decrease", _("Dose decreased")
    STOP = "stop", _("Stopped")
    SIDE_EFFECT = "side_effect", _("Side effect noticed")


class SideEffect(models.TextChoices):
    BLUNTING = "blunting", _("Emotional blunting / numbness")
    SLEEP = "sleep", _("Sleep changes")
    APPETITE = "appetite", _("Appetite or weight changes")
    NAUSEA = "nausea", _("Nausea or stomach upset")
    SEXUAL = "sexual", _("Sexual side effects")
    OTHER = "other", _("Something else")


class MedicationEvent(models.Model):
    """A client-reported change. The current medication list is derived from these, not stored."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medication_events"
    )
    medication = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=MedicationEventKind.choices)
    dose = models.CharField(max_length=60, blank=True)
    side_effect = models.CharField(max_length=12, choices=SideEffect.choices, blank=True)
    occurred_on = models.DateField()
    note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["client", "occurred_on"], name="medevent_client_date_idx")]

    def __str__(self) -> str:
        return f"{self.medication} {self.kind} {self.occurred_on}"

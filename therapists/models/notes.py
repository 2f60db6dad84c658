"""A therapist's medication notes on a client's timeline (theirs unless shared with the
care team)."""

from django.conf import settings
from django.db import models

from accounts.fields import EncryptedTextField
from journal.models import MedicationEvent


class MedicationNote(models.Model):
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medication_notes"
    )
    medication_event = models.ForeignKey(
        MedicationEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="therapist_notes",
    )
    text = EncryptedTextField()
    # A therapist's medication notes are theirs; a co-therapist reads one only when its
    # author chose to share it with the care team.
    shared_with_care_team = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "-created_at"], name="mednote_client_time_idx")]

    def __str__(self) -> str:
        return f"Medication note {self.pk}"

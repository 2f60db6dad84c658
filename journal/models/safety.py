"""Safety: a client said they may not be safe (the button, or PHQ-9 item 9 above 0)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .assessments import Assessment


class SafetySource(models.TextChoices):
    PHQ9_ITEM9 = "phq9_item9", _("PHQ-9 item 9")
    BUTTON = "button", _("“I don't feel safe” button")


class SafetySignal(models.Model):
    """A client said they may not be safe. The therapist side raises a safety flag from it."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_signals"
    )
    source = models.CharField(max_length=12, choices=SafetySource.choices)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Safety signal {self.pk} ({self.source})"

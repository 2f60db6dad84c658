"""Session dates a therapist records, for the "since last session" brief."""

from django.conf import settings
from django.db import models


class TherapySession(models.Model):
    """A session date the therapist records, for the "since last session" brief."""

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapy_sessions"
    )
    held_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "client", "held_on"], name="session_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Session {self.held_on}"

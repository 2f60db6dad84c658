"""Questionnaires (PHQ-9, GAD-7): results and the schedules therapists set."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Instrument(models.TextChoices):
    PHQ9 = "phq9", _("PHQ-9")
    GAD7 = "gad7", _("GAD-7")


class Assessment(models.Model):
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments"
    )
    instrument = models.CharField(max_length=8, choices=Instrument.choices)
    answers = models.JSONField()
    score = models.PositiveSmallIntegerField()
    severity = models.CharField(max_length=24)
    safety_flag = models.BooleanField(default=False)
    taken_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [
            models.Index(
                fields=["client", "instrument", "-taken_at"], name="assessment_client_time_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.score}"


class AssessmentSchedule(models.Model):
    """A therapist asks a client to take an instrument every N days."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_schedules"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    instrument = models.CharField(max_length=8, choices=Instrument.choices)
    every_days = models.PositiveSmallIntegerField(default=14)
    next_due_on = models.DateField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "therapist", "instrument"],
                condition=models.Q(is_active=True),
                name="schedule_one_active",
            ),
            models.CheckConstraint(
                condition=models.Q(every_days__gte=1), name="schedule_every_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} every {self.every_days} days"

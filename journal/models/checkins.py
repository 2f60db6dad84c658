from django.conf import settings
from django.db import models

from accounts.fields import EncryptedTextField
from journal.daily import SYMPTOM_KEYS, Day

from .vocabulary import Emotion, Trigger

# API key → column. The six numbness items (journal.daily.SYMPTOM_KEYS, the one list),
# each 0–3 over the last 24 hours; CheckIn declares one column per item below.
SYMPTOM_FIELDS = {key: f"symptom_{key}" for key in SYMPTOM_KEYS}


def _symptom_field():
    return models.PositiveSmallIntegerField(null=True, blank=True)


class CheckIn(models.Model):
    # No index of its own: checkin_client_time_idx / checkin_client_date_idx lead with client.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    occurred_at = models.DateTimeField()
    # The date in the client's own time zone when it happened: the unit of the daily aggregate.
    local_date = models.DateField()
    felt_intensity = models.PositiveSmallIntegerField()
    symptom_disconnected = _symptom_field()
    symptom_lost_interest = _symptom_field()
    symptom_fatigue = _symptom_field()
    symptom_misaligned = _symptom_field()
    symptom_autopilot = _symptom_field()
    symptom_others_concerned = _symptom_field()
    triggers = models.ManyToManyField(Trigger, blank=True, related_name="+")
    note = EncryptedTextField(blank=True, default="")
    shared = models.BooleanField(default=False)
    # Made by the client's device (the portal form, the offline outbox, an app): a repeat of
    # the same check-in, sent twice or retried, finds the first instead of storing another.
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["client", "-occurred_at"], name="checkin_client_time_idx"),
            models.Index(fields=["client", "local_date"], name="checkin_client_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(felt_intensity__lte=10), name="checkin_felt_0_10"
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{column}__lte": 3}), name=f"checkin_{key}_0_3"
                )
                for key, column in SYMPTOM_FIELDS.items()
            ],
        ]

    def __str__(self) -> str:
        return f"Check-in {self.pk} ({self.local_date})"

    @property
    def symptoms(self) -> dict[str, int]:
        return {
            key: getattr(self, column)
            for key, column in SYMPTOM_FIELDS.items()
            if getattr(self, column) is not None
        }


class EmotionRating(models.Model):
    # No index of its own: the (checkin, emotion) unique constraint leads with checkin.
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )
    emotion = models.ForeignKey(Emotion, on_delete=models.PROTECT, related_name="+")
    intensity = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkin", "emotion"], name="rating_one_per_emotion"),
            models.CheckConstraint(
                condition=models.Q(intensity__lte=10), name="rating_intensity_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.emotion_id}={self.intensity}"


class ClientDay(models.Model):
    """One client's day in numbers, kept in step with their check-ins in the same transaction.

    The fields mirror journal.daily.Day (the pure summary the trend engine reads);
    dashboards and the engine read these rows, never raw check-ins. ``blunting_index`` is
    written by the therapist side's trend refresh.
    """

    # No index of its own: the (client, date) unique constraint leads with client.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="days", db_index=False
    )
    date = models.DateField()
    checkins = models.PositiveSmallIntegerField()
    felt_intensity = models.FloatField()
    felt_intensity_max = models.PositiveSmallIntegerField()
    emotion_counts = models.JSONField(default=dict)
    distinct_emotions = models.PositiveSmallIntegerField(default=0)
    distinct_emotions_7d = models.PositiveSmallIntegerField(default=0)
    positive_affect = models.FloatField()
    negative_affect = models.FloatField()
    symptom_score = models.FloatField(null=True, blank=True)
    empty_checkins = models.PositiveSmallIntegerField(default=0)
    blunting_index = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["client", "date"], name="clientday_one_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.date}"

    # The columns ``columns_from`` fills, for UPDATE ... SET lists.
    SUMMARY_COLUMNS = (
        "checkins",
        "felt_intensity",
        "felt_intensity_max",
        "emotion_counts",
        "distinct_emotions",
        "positive_affect",
        "negative_affect",
        "symptom_score",
        "empty_checkins",
    )

    @staticmethod
    def columns_from(summary: Day) -> dict:
        """The columns a day's summary fills (``distinct_emotions_7d`` needs the week
        around it and ``blunting_index`` the engine, so neither is here). The one mapping
        between a ``Day`` and its row; ``as_day`` is its inverse."""
        values = (
            summary.checkins,
            summary.felt_intensity,
            summary.felt_intensity_max,
            dict(summary.emotion_counts),
            len(summary.emotion_counts),
            summary.positive_affect,
            summary.negative_affect,
            summary.symptom_score,
            summary.empty_checkins,
        )
        return dict(zip(ClientDay.SUMMARY_COLUMNS, values, strict=True))

    def as_day(self) -> Day:
        """The stored row as the engine's plain record (emotions sorted by slug)."""
        return Day(
            date=self.date,
            checkins=self.checkins,
            felt_intensity=self.felt_intensity,
            felt_intensity_max=self.felt_intensity_max,
            emotion_counts=tuple(
                sorted((slug, int(n)) for slug, n in (self.emotion_counts or {}).items())
            ),
            positive_affect=self.positive_affect,
            negative_affect=self.negative_affect,
            symptom_score=self.symptom_score,
            empty_checkins=self.empty_checkins,
        )

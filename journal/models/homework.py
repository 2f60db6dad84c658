from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.fields import EncryptedTextField


class HomeworkCategory(models.TextChoices):
    GROUNDING = "grounding", _("Grounding")
    MINDFULNESS = "mindfulness", _("Mindfulness")
    MOVEMENT = "movement", _("Movement and exercise")
    NAMING_FEELINGS = "naming_feelings", _("Naming feelings")
    ACTIVITY = "activity", _("Pleasant activities")
    TRAUMA = "trauma", _("Trauma work")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Some days a week")


class HomeworkStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class HomeworkTemplate(models.Model):
    """A reusable exercise. No owner: the shared library staff manage; an owner: a therapist's own."""

    title = models.CharField(max_length=120)
    instructions = models.TextField(help_text=_("Markdown."))
    category = models.CharField(
        max_length=20, choices=HomeworkCategory.choices, default=HomeworkCategory.OTHER
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    times_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="homework_templates",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class HomeworkAssignment(models.Model):
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="homework"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    template = models.ForeignKey(
        HomeworkTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=120)
    instructions = models.TextField(blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    times_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=HomeworkStatus.choices, default=HomeworkStatus.ACTIVE
    )
    # The client's local date the assignment ended; that day and later are not expected.
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "status"], name="homework_client_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(times_per_week__isnull=True)
                | models.Q(times_per_week__gte=1, times_per_week__lte=7),
                name="homework_times_per_week_1_7",
            )
        ]

    def __str__(self) -> str:
        return self.title


class HomeworkPause(models.Model):
    """A stretch of days an assignment was paused: [starts_on, ends_on), in the client's dates.

    Kept as history (not just the current status) because adherence must not count paused
    days as expected, including pauses that are over. ``ends_on`` empty: still paused.
    """

    assignment = models.ForeignKey(
        HomeworkAssignment, on_delete=models.CASCADE, related_name="pauses"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(ends_on__isnull=True),
                name="homeworkpause_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="homeworkpause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Pause of {self.assignment_id} from {self.starts_on}"


class HomeworkLog(models.Model):
    assignment = models.ForeignKey(
        HomeworkAssignment, on_delete=models.CASCADE, related_name="logs"
    )
    completed_at = models.DateTimeField()
    local_date = models.DateField()
    before_feeling = models.PositiveSmallIntegerField(null=True, blank=True)
    after_feeling = models.PositiveSmallIntegerField(null=True, blank=True)
    reflection = EncryptedTextField(blank=True, default="")
    shared = models.BooleanField(default=False)
    # The portal form's one-time id: the same form sent twice (Back, then Save again; a
    # double tap) is one log. Null for logs made without one (the API).
    submission = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [
            models.Index(fields=["assignment", "local_date"], name="homeworklog_assign_date_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "submission"], name="homeworklog_one_per_submission"
            ),
            models.CheckConstraint(
                condition=models.Q(before_feeling__lte=10), name="homeworklog_before_0_10"
            ),
            models.CheckConstraint(
                condition=models.Q(after_feeling__lte=10), name="homeworklog_after_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"Log {self.pk} of {self.assignment_id}"

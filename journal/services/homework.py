"""Writes for homework: assigning, templates, pausing and ending, logging a completion.

Each service is keyword-only, typed and atomic, validates its input (a Django
ValidationError keyed by field, so a rejected write stores nothing).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.limits import field_error, long_text, one_line_text
from accounts.models import User

from ..models import (
    Frequency,
    HomeworkAssignment,
    HomeworkCategory,
    HomeworkLog,
    HomeworkStatus,
    HomeworkTemplate,
)
from ..models.homework import HomeworkPause
from ..selectors.homework import homework_template_list

REFLECTION_MAX = 5000
LOG_MAX_AGE = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=5)


def _check_frequency(frequency: str, times_per_week: int | None) -> int | None:
    if frequency not in Frequency.values:
        raise field_error("frequency", _("Choose once, daily or weekly."))
    if frequency == Frequency.WEEKLY:
        if times_per_week is None or not 1 <= times_per_week <= 7:
            raise field_error("times_per_week", _("For a weekly task, choose 1 to 7 times a week."))
        return times_per_week
    if times_per_week is not None:
        raise field_error("times_per_week", _("Only weekly tasks have a number of times a week."))
    return None


@transaction.atomic
def homework_assign(
    *,
    therapist: User,
    client: User,
    title: str = "",
    instructions: str = "",
    frequency: str | None = None,
    times_per_week: int | None = None,
    due_on: date | None = None,
    starts_on: date | None = None,
    template_id: int | None = None,
    save_as_template: bool = False,
    category: str = HomeworkCategory.OTHER,
) -> HomeworkAssignment:
    """Assign a library template, one of the therapist's own, or a custom task; with
    ``save_as_template`` a custom task is also kept as the therapist's own template (in
    ``category``), in the same transaction.

    Blank title, instructions or frequency are taken from the template. Dates are the
    client's own: a task starts on the client's today unless told otherwise, and cannot
    be due before it starts. The client must be in the therapist's active caseload
    (callers reach them through ``access_client``; anything else is a programming error).
    """
    if not User.objects.clients_of(therapist).filter(pk=client.pk).exists():
        raise PermissionDenied("homework_assign: the client is not in this caseload")
    template = None
    if template_id is not None:
        template = homework_template_list(viewer=therapist).filter(pk=template_id).first()
        if template is None:
            raise field_error("template", _("That template is not in your library."))
        title, instructions, frequency, times_per_week = _template_defaults(
            template, title, instructions, frequency, times_per_week
        )
    if not (title or "").strip():
        raise field_error("title", _("Give the task a title, or choose one from the library."))
    frequency = frequency or Frequency.DAILY
    title = one_line_text("title", title, max_length=120, required=True)
    instructions = long_text("instructions", instructions, max_length=10000)
    times_per_week = _check_frequency(frequency, times_per_week)
    today = client.local_today()
    starts_on = starts_on or today
    if starts_on < today:
        raise field_error("starts_on", _("A task cannot start in the past."))
    if due_on is not None and due_on < starts_on:
        raise field_error("due_on", _("The due date cannot be before the task starts."))
    assignment = HomeworkAssignment.objects.create(
        client=client,
        therapist=therapist,
        template=template,
        title=title,
        instructions=instructions,
        frequency=frequency,
        times_per_week=times_per_week,
        starts_on=starts_on,
        due_on=due_on,
    )
    if save_as_template and template is None:
        homework_template_create(
            owner=therapist,
            title=title,
            instructions=instructions,
            frequency=frequency,
            times_per_week=times_per_week,
            category=category,
        )
    return assignment


def _template_defaults(
    template: HomeworkTemplate,
    title: str,
    instructions: str,
    frequency: str | None,
    times_per_week: int | None,
) -> tuple[str, str, str, int | None]:
    """What the therapist left blank, filled in from the template."""
    if frequency is None:
        frequency = template.frequency
        times_per_week = times_per_week or template.times_per_week
    return title or template.title, instructions or template.instructions, frequency, times_per_week


@transaction.atomic
def homework_template_create(
    *,
    owner: User,
    title: str,
    instructions: str,
    frequency: str = Frequency.DAILY,
    times_per_week: int | None = None,
    category: str = HomeworkCategory.OTHER,
) -> HomeworkTemplate:
    """A therapist's private template; only its owner sees it."""
    if not owner.is_therapist:
        raise field_error("owner", _("Only therapists keep their own templates."))
    if category not in HomeworkCategory.values:
        raise field_error("category", _("Choose one of the categories."))
    return HomeworkTemplate.objects.create(
        owner=owner,
        title=one_line_text("title", title, max_length=120, required=True),
        instructions=long_text("instructions", instructions, max_length=10000),
        frequency=frequency,
        times_per_week=_check_frequency(frequency, times_per_week),
        category=category,
    )


@transaction.atomic
def homework_set_status(
    *, assignment: HomeworkAssignment, status: str, now: datetime | None = None
) -> HomeworkAssignment:
    """Pause, resume or end an assignment, keeping the pause history adherence needs.

    Pausing on a day makes that day not expected; resuming on a day makes it expected
    again. Ending is final (assign it again to restart).
    """
    assignment = HomeworkAssignment.objects.select_for_update().get(pk=assignment.pk)
    if status not in HomeworkStatus.values:
        raise field_error("status", _("Choose active, paused or ended."))
    if status == assignment.status:
        return assignment
    if assignment.status == HomeworkStatus.ENDED:
        raise field_error("status", _("This task has ended. Assign it again to restart it."))
    today = assignment.client.local_today(now)
    open_pause = HomeworkPause.objects.filter(assignment=assignment, ends_on__isnull=True)
    if status == HomeworkStatus.PAUSED:
        HomeworkPause.objects.create(assignment=assignment, starts_on=today)
    else:
        open_pause.update(ends_on=today, updated_at=timezone.now())
    if status == HomeworkStatus.ENDED:
        assignment.ended_on = today
    assignment.status = status
    assignment.save(update_fields=["status", "ended_on", "updated_at"])
    return assignment


@transaction.atomic
def homework_log_create(
    *,
    client: User,
    assignment: HomeworkAssignment,
    completed_at: datetime | None = None,
    before_feeling: int | None = None,
    after_feeling: int | None = None,
    reflection: str = "",
    shared: bool = False,
    submission: UUID | None = None,
) -> HomeworkLog:
    """The client did their homework. The reflection is encrypted at rest and reaches the
    therapist only when ``shared``. With ``submission`` (the form's one-time id) the same
    form sent again returns the log it made instead of a second one."""
    if assignment.client_id != client.pk:
        raise PermissionDenied("homework_log_create: not the client's own assignment")
    if assignment.status == HomeworkStatus.ENDED:
        raise field_error(
            "non_field_errors", _("This task has ended, so there is nothing to log for it.")
        )
    now = timezone.now()
    completed_at = completed_at or now
    if timezone.is_naive(completed_at):
        raise field_error("completed_at", _("Include a time zone offset, for example +01:00."))
    if completed_at > now + CLOCK_SKEW:
        raise field_error("completed_at", _("This time is in the future."))
    if completed_at < now - LOG_MAX_AGE:
        raise field_error("completed_at", _("You can log homework from the last 30 days."))
    for field, value in (("before_feeling", before_feeling), ("after_feeling", after_feeling)):
        if value is not None and not 0 <= value <= 10:
            raise field_error(field, _("Choose a number from 0 to 10."))
    reflection = long_text("reflection", reflection, max_length=REFLECTION_MAX)
    if submission is not None:
        earlier = HomeworkLog.objects.filter(assignment=assignment, submission=submission).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            return HomeworkLog.objects.create(
                assignment=assignment,
                completed_at=completed_at,
                local_date=timezone.localdate(completed_at, timezone=client.tz),
                before_feeling=before_feeling,
                after_feeling=after_feeling,
                reflection=reflection,
                shared=shared,
                submission=submission,
            )
    except IntegrityError:  # the same form, sent twice at once: the other request won
        if submission is None:
            raise
        return HomeworkLog.objects.get(assignment=assignment, submission=submission)

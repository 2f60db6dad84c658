"""Writes for care between sessions: homework, medication events, assessments, safety.

Each service is keyword-only, typed and atomic, validates its input (raising a Django
ValidationError keyed by field, so a rejected write stores nothing) and enqueues any
background work through the outbox inside the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.outbox import outbox_enqueue

from .. import instruments
from ..access_care import homework_templates_visible_to
from ..models import (
    Assessment,
    AssessmentSchedule,
    Frequency,
    HomeworkAssignment,
    HomeworkCategory,
    HomeworkLog,
    HomeworkStatus,
    HomeworkTemplate,
    Instrument,
    MedicationEvent,
    MedicationEventKind,
    SafetySignal,
    SafetySource,
    SideEffect,
)
from ..models.homework import HomeworkPause

SAFETY_TASK = "therapists.tasks.raise_safety_flag"
WORSENING_TASK = "therapists.tasks.assess_worsening"

REFLECTION_MAX = 5000
NOTE_MAX = 2000
LOG_MAX_AGE = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=5)
# Two presses of the safety button this close together are one request for help: the
# therapist is alerted once, and the first alert is already safely in the outbox.
SAFETY_BUTTON_DEDUP = timedelta(minutes=5)

CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DOSE_MAX = 60
DOSE_RULE = gettext_lazy(
    "Optional. When given: at most 60 characters, on one line, and including the amount as "
    "a number, for example “20 mg”, “0.5 mg twice a day” or “1 tablet”."
)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _client_today(client: User, now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now(), timezone=client.tz)


def _plain_line(field: str, value: str, *, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _invalid(field, _("This field may not be blank."))
    if len(value) > max_length:
        raise _invalid(field, _("Keep this to %(max)d characters or fewer.") % {"max": max_length})
    if CONTROL_CHARS.search(value):
        raise _invalid(field, _("Use plain text on one line, without control characters."))
    return value


def validate_dose(value: str) -> str:
    """The dose rule (see DOSE_RULE): empty, or one short line containing a digit."""
    value = _plain_line("dose", value, max_length=DOSE_MAX, required=False)
    if value and not any(ch.isdigit() for ch in value):
        raise _invalid("dose", _("Include the amount as a number, for example “20 mg”."))
    return value


def _text(field: str, value: str, *, max_length: int) -> str:
    value = value or ""
    if len(value) > max_length:
        raise _invalid(field, _("Keep this to %(max)d characters or fewer.") % {"max": max_length})
    if "\x00" in value:
        raise _invalid(field, _("This text contains characters that cannot be stored."))
    return value


# --- Homework ---------------------------------------------------------------------------


def _check_frequency(frequency: str, times_per_week: int | None) -> int | None:
    if frequency not in Frequency.values:
        raise _invalid("frequency", _("Choose once, daily or weekly."))
    if frequency == Frequency.WEEKLY:
        if times_per_week is None or not 1 <= times_per_week <= 7:
            raise _invalid("times_per_week", _("For a weekly task, choose 1 to 7 times a week."))
        return times_per_week
    if times_per_week is not None:
        raise _invalid("times_per_week", _("Only weekly tasks have a number of times a week."))
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
    template: HomeworkTemplate | None = None,
    save_as_template: bool = False,
    category: str = HomeworkCategory.OTHER,
) -> HomeworkAssignment:
    """Assign a template or a custom task to a client in the therapist's active caseload.

    Blank title, instructions or frequency are taken from the template. Dates are the
    client's own: a task starts on the client's today unless told otherwise, and cannot
    be due before it starts.
    """
    if not User.objects.clients_of(therapist).filter(pk=client.pk).exists():
        raise Http404
    if template is not None:
        if not homework_templates_visible_to(therapist).filter(pk=template.pk).exists():
            raise _invalid("template", _("That template is not in your library."))
        title = title or template.title
        instructions = instructions or template.instructions
        if frequency is None:
            frequency = template.frequency
            times_per_week = times_per_week or template.times_per_week
    frequency = frequency or Frequency.DAILY
    title = _plain_line("title", title, max_length=120, required=True)
    instructions = _text("instructions", instructions, max_length=10000)
    times_per_week = _check_frequency(frequency, times_per_week)
    today = _client_today(client)
    starts_on = starts_on or today
    if starts_on < today:
        raise _invalid("starts_on", _("A task cannot start in the past."))
    if due_on is not None and due_on < starts_on:
        raise _invalid("due_on", _("The due date cannot be before the task starts."))
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
        raise _invalid("owner", _("Only therapists keep their own templates."))
    if category not in HomeworkCategory.values:
        raise _invalid("category", _("Choose one of the categories."))
    return HomeworkTemplate.objects.create(
        owner=owner,
        title=_plain_line("title", title, max_length=120, required=True),
        instructions=_text("instructions", instructions, max_length=10000),
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
        raise _invalid("status", _("Choose active, paused or ended."))
    if status == assignment.status:
        return assignment
    if assignment.status == HomeworkStatus.ENDED:
        raise _invalid("status", _("This task has ended. Assign it again to restart it."))
    today = _client_today(assignment.client, now)
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
) -> HomeworkLog:
    """The client did their homework. The reflection is encrypted at rest and reaches the
    therapist only when ``shared``."""
    if assignment.client_id != client.pk:
        raise Http404
    if assignment.status == HomeworkStatus.ENDED:
        raise _invalid(
            "non_field_errors", _("This task has ended, so there is nothing to log for it.")
        )
    now = timezone.now()
    completed_at = completed_at or now
    if timezone.is_naive(completed_at):
        raise _invalid("completed_at", _("Include a time zone offset, for example +01:00."))
    if completed_at > now + CLOCK_SKEW:
        raise _invalid("completed_at", _("This time is in the future."))
    if completed_at < now - LOG_MAX_AGE:
        raise _invalid("completed_at", _("You can log homework from the last 30 days."))
    for field, value in (("before_feeling", before_feeling), ("after_feeling", after_feeling)):
        if value is not None and not 0 <= value <= 10:
            raise _invalid(field, _("Choose a number from 0 to 10."))
    return HomeworkLog.objects.create(
        assignment=assignment,
        completed_at=completed_at,
        local_date=timezone.localdate(completed_at, timezone=client.tz),
        before_feeling=before_feeling,
        after_feeling=after_feeling,
        reflection=_text("reflection", reflection, max_length=REFLECTION_MAX),
        shared=shared,
    )


# --- Medications ------------------------------------------------------------------------


def _medication_fields(
    *, client: User, medication: str, kind: str, dose: str, side_effect: str, occurred_on, note: str
) -> dict:
    if kind not in MedicationEventKind.values:
        raise _invalid("kind", _("Choose start, increase, decrease, stop or side_effect."))
    if kind == MedicationEventKind.SIDE_EFFECT:
        if side_effect not in SideEffect.values:
            raise _invalid("side_effect", _("Choose which side effect you noticed."))
    elif side_effect:
        raise _invalid("side_effect", _("A side effect goes with the “side effect noticed” kind."))
    if not isinstance(occurred_on, date) or isinstance(occurred_on, datetime):
        raise _invalid("occurred_on", _("Give the date as YYYY-MM-DD."))
    if occurred_on > _client_today(client):
        raise _invalid("occurred_on", _("This date is in the future."))
    if occurred_on.year < 1900:
        raise _invalid("occurred_on", _("This date is too far in the past."))
    return {
        "medication": _plain_line("medication", medication, max_length=120, required=True),
        "kind": kind,
        "dose": validate_dose(dose),
        "side_effect": side_effect,
        "occurred_on": occurred_on,
        "note": _text("note", note, max_length=NOTE_MAX),
    }


@transaction.atomic
def medication_event_create(
    *,
    client: User,
    medication: str,
    kind: str,
    occurred_on: date,
    dose: str = "",
    side_effect: str = "",
    note: str = "",
) -> MedicationEvent:
    if client.role != Role.CLIENT:
        raise _invalid("non_field_errors", _("Medication events are for client accounts."))
    fields = _medication_fields(
        client=client,
        medication=medication,
        kind=kind,
        dose=dose,
        side_effect=side_effect,
        occurred_on=occurred_on,
        note=note,
    )
    return MedicationEvent.objects.create(client=client, **fields)


@transaction.atomic
def medication_event_update(*, event: MedicationEvent, **changes: object) -> MedicationEvent:
    """Change some fields of the client's own event; the whole event is re-validated."""
    allowed = {"medication", "kind", "dose", "side_effect", "occurred_on", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise _invalid(sorted(unknown)[0], _("This field cannot be changed."))
    current = {name: getattr(event, name) for name in allowed}
    current.update(changes)
    if (
        changes.get("kind") not in (None, MedicationEventKind.SIDE_EFFECT)
        and "side_effect" not in changes
    ):
        current["side_effect"] = ""  # changing away from a side effect clears it
    fields = _medication_fields(client=event.client, **current)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    return event


@transaction.atomic
def medication_event_delete(*, event: MedicationEvent) -> None:
    event.delete()


# --- Assessments and safety -------------------------------------------------------------


@transaction.atomic
def safety_signal_raise(
    *, client: User, source: str = SafetySource.BUTTON, assessment: Assessment | None = None
) -> tuple[SafetySignal, bool]:
    """A client may not be safe: record it and alert their therapist, in one transaction.

    The outbox row is written with the signal, so the alert survives a broker outage
    and is sent once the transaction commits (the therapist side makes the flag and the
    single email idempotently). Button presses within a few minutes of an earlier one
    return that signal instead of alerting again. Returns (signal, created).
    """
    if client.role != Role.CLIENT:
        raise _invalid("non_field_errors", _("This is for client accounts."))
    if source not in SafetySource.values:
        raise _invalid("source", _("Unknown source."))
    # Serialise concurrent presses by the same client so the de-duplication holds.
    User.objects.select_for_update().filter(pk=client.pk).first()
    if source == SafetySource.BUTTON:
        recent = SafetySignal.objects.filter(
            client=client,
            source=SafetySource.BUTTON,
            created_at__gte=timezone.now() - SAFETY_BUTTON_DEDUP,
        ).first()
        if recent is not None:
            return recent, False
    signal = SafetySignal.objects.create(client=client, source=source, assessment=assessment)
    outbox_enqueue(SAFETY_TASK, signal_id=signal.pk)
    return signal, True


@transaction.atomic
def assessment_submit(
    *, client: User, instrument: str, answers: Sequence[object], now: datetime | None = None
) -> tuple[Assessment, SafetySignal | None]:
    """Score and store a questionnaire, then cause what follows from it, atomically:

    - PHQ-9 item 9 above 0: a SafetySignal and the therapist's safety alert (outbox);
    - always: the therapist side's worsening check (outbox);
    - the client's schedules for this instrument move to their next due date.
    """
    if client.role != Role.CLIENT:
        raise _invalid("non_field_errors", _("Questionnaires are for client accounts."))
    try:
        result = instruments.score(instrument, answers)
    except instruments.AnswersError as exc:
        raise _invalid(exc.field, exc.message) from exc
    taken_at = now or timezone.now()
    assessment = Assessment.objects.create(
        client=client,
        instrument=instrument,
        answers=list(answers),
        score=result.score,
        severity=result.severity,
        safety_flag=result.safety_flag,
        taken_at=taken_at,
    )
    signal = None
    if result.safety_flag:
        signal, _created = safety_signal_raise(
            client=client, source=SafetySource.PHQ9_ITEM9, assessment=assessment
        )
    outbox_enqueue(WORSENING_TASK, assessment_id=assessment.pk)
    today = _client_today(client, taken_at)
    for schedule in AssessmentSchedule.objects.select_for_update().filter(
        client=client, instrument=instrument, is_active=True, next_due_on__lte=today
    ):
        schedule.next_due_on = today + timedelta(days=schedule.every_days)
        schedule.save(update_fields=["next_due_on", "updated_at"])
    return assessment, signal


@transaction.atomic
def assessment_schedule_set(
    *,
    therapist: User,
    client: User,
    instrument: str,
    every_days: int,
    first_due_on: date | None = None,
) -> AssessmentSchedule:
    """Ask a caseload client to take a questionnaire every N days (replacing this
    therapist's earlier schedule for the same questionnaire)."""
    if not User.objects.clients_of(therapist).filter(pk=client.pk).exists():
        raise Http404
    if instrument not in Instrument.values:
        raise _invalid("instrument", _("Choose phq9 or gad7."))
    if not 1 <= every_days <= 365:
        raise _invalid("every_days", _("Choose from 1 to 365 days."))
    today = _client_today(client)
    first_due_on = first_due_on or today
    if first_due_on < today:
        raise _invalid("first_due_on", _("The first due date cannot be in the past."))
    AssessmentSchedule.objects.filter(
        client=client, therapist=therapist, instrument=instrument, is_active=True
    ).update(is_active=False, updated_at=timezone.now())
    return AssessmentSchedule.objects.create(
        client=client,
        therapist=therapist,
        instrument=instrument,
        every_days=every_days,
        next_due_on=first_due_on,
    )


@transaction.atomic
def assessment_schedule_stop(*, schedule: AssessmentSchedule) -> None:
    AssessmentSchedule.objects.filter(pk=schedule.pk).update(
        is_active=False, updated_at=timezone.now()
    )

"""Writes for questionnaires: a client's answers (scored, and a safety signal when PHQ-9
item 9 is above 0) and the schedules therapists set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import task_names
from accounts.limits import field_error
from accounts.models import Role, User
from accounts.outbox import outbox_enqueue

from .. import instruments
from ..models import (
    Assessment,
    AssessmentSchedule,
    Instrument,
    SafetySignal,
    SafetySource,
)
from .safety import safety_signal_raise

WORSENING_TASK = task_names.ASSESS_WORSENING


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
        raise field_error("non_field_errors", _("Questionnaires are for client accounts."))
    try:
        result = instruments.score(instrument, answers)
    except instruments.AnswersError as exc:
        raise field_error(exc.field, exc.message) from exc
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
    today = client.local_today(taken_at)
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
        raise field_error("instrument", _("Choose phq9 or gad7."))
    if not 1 <= every_days <= 365:
        raise field_error("every_days", _("Choose from 1 to 365 days."))
    today = client.local_today()
    first_due_on = first_due_on or today
    if first_due_on < today:
        raise field_error("first_due_on", _("The first due date cannot be in the past."))
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

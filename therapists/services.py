"""Writes on the therapist side: trend refresh and flags, acknowledgements, notes, sessions."""

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from journal import instruments
from journal.models import Assessment, CheckIn, ClientDay, Instrument, MedicationEvent, SafetySignal
from journal.selectors.assessments import assessment_previous
from therapists import trends

from .models import Flag, FlagKind, FlagLevel, FlagNote, FlagStatus, MedicationNote, TherapySession
from .trend_cache import client_assessment

logger = logging.getLogger(__name__)

# A client who has not checked in for this many days gets a gentle missed-check-ins flag.
MISSED_CHECKIN_DAYS = 4


def _current_flag(client_id: int, kind: str) -> Flag | None:
    return Flag.objects.select_for_update().filter(client_id=client_id, kind=kind).current().first()


def _blunting_summary(assessment: trends.Assessment) -> str:
    level = {"watch": _("Watch"), "flagged": _("Flagged"), "escalated": _("Escalated")}[
        assessment.level
    ]
    onset = date_format(assessment.onset, "j M") if assessment.onset else "?"
    first = assessment.drivers[0] if assessment.drivers else _("several measures moved together")
    text = _("%(level)s (onset %(onset)s): %(driver)s") % {
        "level": level,
        "onset": onset,
        "driver": first,
    }
    if assessment.suggest_phq9:
        text += _(" (a PHQ-9 is suggested)")
    return text[:200]


def _resolve(flag: Flag, now) -> None:
    flag.status = FlagStatus.RESOLVED
    flag.resolved_at = now
    flag.save(update_fields=["status", "resolved_at", "updated_at"])


def _apply_blunting(
    client_id: int, assessment: trends.Assessment, events_by_id: dict[str, MedicationEvent]
) -> Flag | None:
    now = timezone.now()
    flag = _current_flag(client_id, FlagKind.BLUNTING)
    if assessment.level is None:
        if flag is not None:
            _resolve(flag, now)
        return None
    if flag is None:
        dismissed = (
            Flag.objects.filter(
                client_id=client_id,
                kind=FlagKind.BLUNTING,
                status=FlagStatus.RESOLVED,
                onset=assessment.onset,
            )
            .order_by("-resolved_at")
            .first()
        )
        if dismissed is not None and trends.level_rank(dismissed.level) >= trends.level_rank(
            assessment.level
        ):
            # A therapist closed this very episode; raise it again only if it deepens.
            return None
        flag = Flag(client_id=client_id, kind=FlagKind.BLUNTING, raised_at=now)
    flag.level = assessment.level
    flag.onset = assessment.onset
    flag.drivers = list(assessment.drivers)
    flag.summary = _blunting_summary(assessment)
    flag.suggest_phq9 = assessment.suggest_phq9
    flag.save()
    related = [
        events_by_id[e.id] for e in assessment.related_medication_events if e.id in events_by_id
    ]
    flag.related_medication_events.set(related)
    return flag


def _apply_missed_checkins(client: User, today: date) -> None:
    last = (
        CheckIn.objects.filter(client=client)
        .order_by("-occurred_at")
        .values_list("local_date", flat=True)
        .first()
    )
    flag = _current_flag(client.pk, FlagKind.MISSED_CHECKINS)
    if last is None or (today - last).days < MISSED_CHECKIN_DAYS:
        if flag is not None and last is not None:
            _resolve(flag, timezone.now())
        return
    days = (today - last).days
    summary = _("No check-in for %(days)d days (last on %(date)s)") % {
        "days": days,
        "date": date_format(last, "j M"),
    }
    if flag is None:
        flag = Flag(
            client=client,
            kind=FlagKind.MISSED_CHECKINS,
            raised_at=timezone.now(),
            level=FlagLevel.WATCH,
        )
    flag.summary = summary
    flag.onset = last + timedelta(days=1)
    flag.save()


@transaction.atomic
def trend_refresh(*, client_id: int, today: date | None = None) -> trends.Assessment | None:
    """Re-assess one client from the trailing window of daily aggregates.

    Cost is bounded by the window (trend_inputs.WINDOW_DAYS), not by the client's
    history. Idempotent: running it twice for the same day changes nothing more.
    """
    client = User.objects.filter(pk=client_id, role="client", is_active=True).first()
    if client is None:
        return None
    today = today or client.local_now().date()
    # Shared with the trend and client pages: a page viewed after this refresh (or a
    # refresh after a page view, with no new data in between) does not run the engine again.
    trend = client_assessment(client_id, today)
    assessment = trend.assessment
    _apply_blunting(client_id, assessment, trend.events_by_id)
    _apply_missed_checkins(client, today)
    todays_index = dict(assessment.index).get(today)
    ClientDay.objects.filter(client_id=client_id, date=today).exclude(
        blunting_index=todays_index
    ).update(blunting_index=todays_index)
    return assessment


@transaction.atomic
def safety_flag_raise(*, signal: SafetySignal) -> Flag:
    """Open (or refresh) the client's safety flag; it stays until a therapist acknowledges it."""
    flag = _current_flag(signal.client_id, FlagKind.SAFETY)
    if flag is None:
        flag = Flag(
            client_id=signal.client_id,
            kind=FlagKind.SAFETY,
            level=FlagLevel.ALERT,
            raised_at=timezone.now(),
        )
    flag.status = FlagStatus.OPEN
    flag.acknowledged_at = None
    flag.onset = timezone.localdate(signal.created_at)
    flag.summary = (
        _("Answered PHQ-9 item 9 above 0 (thoughts of self-harm)")
        if signal.source == "phq9_item9"
        else _("Said “I don't feel safe right now”")
    )
    flag.save()
    return flag


@transaction.atomic
def worsening_assess(*, assessment: Assessment) -> Flag | None:
    previous = assessment_previous(assessment)
    # One rule for "worsening", shared with the client side (journal/instruments.py).
    if not instruments.is_worsening(
        assessment.instrument, assessment.score, previous.score if previous else None
    ):
        return None
    flag = _current_flag(assessment.client_id, FlagKind.WORSENING)
    if flag is None:
        flag = Flag(
            client_id=assessment.client_id,
            kind=FlagKind.WORSENING,
            level=FlagLevel.FLAGGED,
            raised_at=timezone.now(),
        )
    name = Instrument(assessment.instrument).label
    if previous is not None:
        flag.summary = _("%(name)s rose from %(before)d to %(after)d (%(severity)s)") % {
            "name": name,
            "before": previous.score,
            "after": assessment.score,
            "severity": assessment.severity,
        }
    else:
        flag.summary = _("%(name)s score %(after)d (%(severity)s)") % {
            "name": name,
            "after": assessment.score,
            "severity": assessment.severity,
        }
    flag.onset = timezone.localdate(assessment.taken_at)
    flag.save()
    return flag


@transaction.atomic
def flag_acknowledge(*, flag: Flag, therapist: User, note: str, resolve: bool = False) -> Flag:
    """Record who saw the flag, when, and what they noted. A safety flag needs a note.

    Acknowledging a safety flag closes it (it was raised for exactly this). A blunting,
    worsening or missed-check-ins flag stays visible, marked acknowledged, until the data
    says it is over or the therapist resolves it.
    """
    note = (note or "").strip()
    if flag.kind == FlagKind.SAFETY and not note:
        raise ValidationError({"note": [_("Please note what you did about this safety flag.")]})
    if len(note) > 5000:
        raise ValidationError({"note": [_("Keep the note under 5,000 characters.")]})
    now = timezone.now()
    close = resolve or flag.kind == FlagKind.SAFETY
    FlagNote.objects.create(
        flag=flag,
        therapist=therapist,
        note=note,
        action=FlagNote.Action.RESOLVE if close else FlagNote.Action.ACKNOWLEDGE,
    )
    flag.acknowledged_at = now
    if close:
        flag.status = FlagStatus.RESOLVED
        flag.resolved_at = now
    else:
        flag.status = FlagStatus.ACKNOWLEDGED
    flag.save(update_fields=["acknowledged_at", "status", "resolved_at", "updated_at"])
    return flag


@transaction.atomic
def medication_note_create(
    *,
    therapist: User,
    client: User,
    text: str,
    medication_event: MedicationEvent | None = None,
    shared_with_care_team: bool = False,
) -> MedicationNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write a note.")]})
    if len(text) > 5000:
        raise ValidationError({"text": [_("Keep the note under 5,000 characters.")]})
    if medication_event is not None and medication_event.client_id != client.pk:
        raise ValidationError(
            {"medication_event": [_("That medication event belongs to someone else.")]}
        )
    return MedicationNote.objects.create(
        therapist=therapist,
        client=client,
        medication_event=medication_event,
        text=text,
        shared_with_care_team=shared_with_care_team,
    )


@transaction.atomic
def session_record(*, therapist: User, client: User, held_on: date) -> TherapySession:
    if held_on > client.local_now().date() + timedelta(days=1):
        raise ValidationError({"held_on": [_("A session date cannot be in the future.")]})
    session, _created = TherapySession.objects.get_or_create(
        therapist=therapist, client=client, held_on=held_on
    )
    return session

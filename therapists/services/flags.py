"""Writes of flags: raising safety and worsening flags, acknowledging and resolving."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from journal import instruments
from journal.models import Assessment, Instrument, SafetySignal
from journal.selectors.assessments import assessment_previous

from ..models import Flag, FlagKind, FlagLevel, FlagNote, FlagStatus


def current_flag_for_update(client_id: int, kind: str) -> Flag | None:
    return Flag.objects.select_for_update().filter(client_id=client_id, kind=kind).current().first()


def resolve_flag(flag: Flag, now) -> None:
    flag.status = FlagStatus.RESOLVED
    flag.resolved_at = now
    flag.save(update_fields=["status", "resolved_at", "updated_at"])


@transaction.atomic
def safety_flag_raise(*, signal: SafetySignal) -> Flag:
    """Open (or refresh) the client's safety flag; it stays until a therapist acknowledges it."""
    flag = current_flag_for_update(signal.client_id, FlagKind.SAFETY)
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
    flag = current_flag_for_update(assessment.client_id, FlagKind.WORSENING)
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

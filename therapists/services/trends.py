"""The trend refresh: run the blunting engine for a client and keep their blunting and
missed-check-in flags in step with it."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from journal.models import CheckIn, ClientDay, MedicationEvent
from therapists import trends

from ..models import Flag, FlagKind, FlagLevel, FlagStatus
from ..trends.store import client_trend
from .flags import current_flag_for_update, resolve_flag

logger = logging.getLogger(__name__)

# A client who has not checked in for this many days gets a gentle missed-check-ins flag.
MISSED_CHECKIN_DAYS = 4


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


def _apply_blunting(
    client_id: int, assessment: trends.Assessment, events_by_id: dict[str, MedicationEvent]
) -> Flag | None:
    now = timezone.now()
    flag = current_flag_for_update(client_id, FlagKind.BLUNTING)
    if assessment.level is None:
        if flag is not None:
            resolve_flag(flag, now)
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
    flag = current_flag_for_update(client.pk, FlagKind.MISSED_CHECKINS)
    if last is None or (today - last).days < MISSED_CHECKIN_DAYS:
        if flag is not None and last is not None:
            resolve_flag(flag, timezone.now())
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
def trend_refresh(
    *, client_id: int, today: date | None = None, since: date | None = None
) -> trends.Assessment | None:
    """Re-assess one client and keep their blunting and missed-check-in flags in step.

    The engine steps the client's saved state through the days since its last run
    (``therapists.trends.store``): the cost is the same after two weeks or three years.
    ``since`` is the earliest day whose check-ins changed (the journal names it when it
    enqueues this): the state replays from before it. Idempotent: running it twice for
    the same day changes nothing more.
    """
    client = User.objects.filter(pk=client_id, role="client", is_active=True).first()
    if client is None:
        return None
    today = today or client.local_now().date()
    # Shared with the trend and client pages: a page viewed after this refresh (or a
    # refresh after a page view, with no new data in between) does not run the engine again.
    trend = client_trend(client_id, today, since=since, chart=False)
    assessment = trend.assessment
    _apply_blunting(client_id, assessment, trend.events_by_id)
    _apply_missed_checkins(client, today)
    todays_index = dict(assessment.index).get(today)
    ClientDay.objects.filter(client_id=client_id, date=today).exclude(
        blunting_index=todays_index
    ).update(blunting_index=todays_index)
    return assessment

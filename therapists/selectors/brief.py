"""The "since last session" brief: everything since the last recorded session, on one screen."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, Sum

from accounts.limits import EARLIEST_DATE
from accounts.models import User
from journal.models import Assessment, CheckIn, ClientDay, HomeworkLog, MedicationEvent
from journal.selectors.homework import homework_log_list
from journal.selectors.medications import medication_event_list

from ..models import Flag, TherapySession
from .assessments import assessment_results
from .flags import flag_list_for

DEFAULT_LOOKBACK_DAYS = 14


@dataclass
class Brief:
    since: date
    last_session: date | None
    checkins: int
    days_with_checkins: int
    felt_intensity: float | None
    felt_intensity_before: float | None
    distinct_feelings: int
    distinct_feelings_before: int
    # "Before" is the same number of days just before the period (so the two compare).
    period_days: int
    flags: list[Flag]
    homework_logs: list[HomeworkLog]
    medication_events: list[MedicationEvent]
    scores: list[Assessment]  # each with previous_score (therapists.selectors.assessments)
    shared_notes: list[CheckIn]


def _period(caseload, client: User, start: date, end: date) -> tuple[int, int, float | None, int]:
    rows = ClientDay.objects.filter(
        client__in=caseload, client=client, date__gte=start, date__lte=end
    )
    totals = rows.aggregate(checkins=Sum("checkins"), days=Count("pk"), felt=Avg("felt_intensity"))
    slugs: set[str] = set()
    for counts in rows.values_list("emotion_counts", flat=True):
        slugs.update(counts or {})
    return totals["checkins"] or 0, totals["days"] or 0, totals["felt"], len(slugs)


def brief_since_last_session(*, viewer: User, client: User) -> Brief:
    """Everything since the last session; every query is scoped to the viewer's caseload too,
    so the brief stays empty even if a caller forgot access_client."""
    caseload = User.objects.clients_of(viewer)
    today = client.local_now().date()
    last_session = (
        TherapySession.objects.filter(therapist=viewer, client=client)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    since = last_session or today - timedelta(days=DEFAULT_LOOKBACK_DAYS)
    # A session stored before dates were bounded (say 0001-01-01) must not make the
    # "before" window's arithmetic overflow.
    since = max(since, EARLIEST_DATE)
    length = (today - since).days + 1  # since … today, both days counted
    checkins, days, felt, distinct = _period(caseload, client, since, today)
    _c, _d, felt_before, distinct_before = _period(
        caseload, client, since - timedelta(days=length), since - timedelta(days=1)
    )
    return Brief(
        since=since,
        last_session=last_session,
        checkins=checkins,
        days_with_checkins=days,
        felt_intensity=felt,
        felt_intensity_before=felt_before,
        distinct_feelings=distinct,
        distinct_feelings_before=distinct_before,
        period_days=length,
        flags=list(
            flag_list_for(viewer=viewer)
            .filter(client=client, updated_at__date__gte=since)
            .order_by("-raised_at")
        ),
        # Reflections only where shared, and the rest never selected (homework_log_list).
        homework_logs=list(
            homework_log_list(viewer=viewer, client=client).filter(local_date__gte=since)
        ),
        medication_events=list(
            medication_event_list(viewer, client).filter(occurred_on__gte=since)
        ),
        scores=[
            a
            for a in assessment_results(viewer=viewer, client=client)
            if a.taken_at.astimezone(client.tz).date() >= since
        ],
        shared_notes=list(
            CheckIn.objects.filter(
                client__in=caseload, client=client, shared=True, local_date__gte=since
            )
            .exclude(note="")
            .order_by("-occurred_at")[:50]
        ),
    )

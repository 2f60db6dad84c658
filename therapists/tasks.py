"""Therapist-side jobs. Thin: each loads by id and calls a service; all are idempotent."""

import logging
from datetime import date

from celery import shared_task

from accounts import task_names
from accounts.jobs import RETRY, parse_now
from accounts.models import Role, User
from journal.models import Assessment, SafetySignal

from . import emails
from .services.flags import safety_flag_raise, worsening_assess
from .services.trends import trend_refresh

logger = logging.getLogger(__name__)

CHUNK = 25


@shared_task(name=task_names.REFRESH_CLIENT_TREND, **RETRY)
def refresh_client_trend(
    client_id: int, now: str | None = None, since: str | None = None
) -> str | None:
    """``since``: the earliest local day whose check-ins changed (ISO date), if the
    journal named one; the client's saved engine state replays from before it."""
    moment = parse_now(now)
    client = User.objects.filter(pk=client_id).only("timezone").first()
    if client is None:
        return None
    assessment = trend_refresh(
        client_id=client_id, today=moment.astimezone(client.tz).date(), since=_day(since)
    )
    return assessment.level if assessment else None


def _day(text: str | None) -> date | None:
    """An ISO date, or None; a garbled one replays the whole history (never a wrong answer)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        logger.warning("refresh_client_trend: since=%r is not a date; rebuilding", text)
        return date.min


@shared_task(name=task_names.REFRESH_TREND_CHUNK, **RETRY)
def refresh_trend_chunk(client_ids: list[int], now: str | None = None) -> int:
    for client_id in client_ids:
        refresh_client_trend(client_id, now)
    return len(client_ids)


@shared_task(name=task_names.REFRESH_TRENDS, **RETRY)
def refresh_trends(now: str | None = None) -> int:
    """Nightly: every client in someone's care, in short chunks (a crash redoes one chunk)."""
    parse_now(now)  # validate early
    ids = list(
        User.objects.filter(role=Role.CLIENT, is_active=True, care_as_client__ended_at__isnull=True)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK):
        refresh_trend_chunk.delay(ids[start : start + CHUNK], now)
    return len(ids)


@shared_task(name=task_names.RAISE_SAFETY_FLAG, **RETRY)
def raise_safety_flag(signal_id: int) -> int:
    """Open the safety flag and alert every therapist in the client's care, once each."""
    signal = SafetySignal.objects.filter(pk=signal_id).select_related("client").first()
    if signal is None:
        return 0
    flag = safety_flag_raise(signal=signal)
    return emails.safety_alerts_send(signal=signal, flag=flag)


@shared_task(name=task_names.ASSESS_WORSENING, **RETRY)
def assess_worsening(assessment_id: int) -> bool:
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return False
    return worsening_assess(assessment=assessment) is not None


@shared_task(name=task_names.SEND_DIGEST_CHUNK, **RETRY)
def send_digest_chunk(therapist_ids: list[int], now: str | None = None) -> int:
    moment = parse_now(now)
    return sum(emails.weekly_digest_send(therapist_id=tid, now=moment) for tid in therapist_ids)


@shared_task(name=task_names.SEND_WEEKLY_DIGESTS, **RETRY)
def send_weekly_digests(now: str | None = None) -> int:
    """Monday morning in each therapist's time zone; already-sent weeks are skipped by key."""
    moment = parse_now(now)
    ids = emails.therapists_due_for_digest(now=moment)
    for start in range(0, len(ids), CHUNK):
        send_digest_chunk.delay(ids[start : start + CHUNK], moment.isoformat())
    return len(ids)

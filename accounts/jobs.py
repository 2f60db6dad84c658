"""What every Celery task shares: the retry policy and the optional ``now`` argument."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

# Retries with exponential backoff, capped; acks_late so a crashed worker's task is
# redelivered. Tasks are idempotent, so a redelivery or retry never sends twice.
RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 5,
    "acks_late": True,
}


def parse_now(now: str | None) -> datetime:
    """The moment a job runs for: now, or an ISO 8601 time with offset to replay a window."""
    if not now:
        return timezone.now()
    parsed = parse_datetime(now)
    if parsed is None or timezone.is_naive(parsed):
        raise ValueError("now must be an ISO 8601 datetime with an offset")
    return parsed

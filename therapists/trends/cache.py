"""The engine's Assessment of one client on one day, cached under a key of its inputs.

Running `trends.assess` over the whole window costs far more than reading it back, and
the trend page, the client page and the trend refresh all ask the same question. The
cache key changes whenever an input of the engine changes, so a cached answer is never
stale; nothing has to remember to invalidate it:

- the client and the client's local ``today`` (the window moves every day);
- their ClientDay rows in the window: count, highest id, latest ``updated_at`` (every
  rebuild of a day sets ``updated_at``; a day that loses its last check-in loses its row);
- their PHQ-9 results in the window: count, highest id, latest ``updated_at``;
- their medication events in the window: each id with its ``updated_at`` (read anyway,
  the pages show them);
- the engine itself: a digest of the source of ``therapists/trends`` (its parameters
  included), ``journal/daily.py`` (``inputs.py`` is in the package), so a deploy of changed code
  never serves an answer of the old one.

The key holds ids, counts and timestamps, hashed: never a note, a medication or a score.
The value is the frozen Assessment (levels, dates, driver sentences, numbers); medication
events are read from the database on every call, so their encrypted notes never reach
the cache. A cache that is down or answers garbage is logged and bypassed: the engine
then runs as before.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.cache import cache
from django.db.models import Count, IntegerField, Max, QuerySet, Value

from accounts.models import User
from journal import daily
from journal.models import MedicationEvent
from therapists import trends

from .inputs import (
    medication_record,
    window_day_rows,
    window_days,
    window_events,
    window_screen_rows,
    window_screens,
)

logger = logging.getLogger(__name__)

KEY_PREFIX = "trend-assessment"
# The key carries the date, so yesterday's entries are never read again; let them expire.
TIMEOUT_SECONDS = 36 * 60 * 60


@functools.cache
def engine_digest() -> str:
    """A digest of the code that turns stored rows into an Assessment, taken once per process.

    The engine package (its parameters included), the `Day` record it reads and the
    row-to-record translation: a deploy that changes any of them never serves an answer
    of the old code.
    """
    digest = hashlib.sha256()
    package = Path(trends.__file__).resolve().parent
    sources = [*sorted(package.rglob("*.py")), Path(daily.__file__)]
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.resolve().read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ClientTrend:
    """The engine's answer and the medication events of the window (oldest first)."""

    assessment: trends.Assessment
    events: list[MedicationEvent]

    @property
    def events_by_id(self) -> dict[str, MedicationEvent]:
        return {str(e.pk): e for e in self.events}


def _fingerprint(
    client_id: int, today: date, events: list[MedicationEvent], viewer: User | None
) -> tuple:
    """What identifies the engine's inputs: one query (plus the events in hand).

    For the day rows and the PHQ-9 results of the window: count, highest id, latest
    ``updated_at``, as two rows of one UNION ALL (tagged 1 and 2).
    """

    def summary(qs: QuerySet, tag: int) -> QuerySet:
        return (
            qs.order_by()
            .values("client_id")
            .annotate(
                tag=Value(tag, output_field=IntegerField()),
                n=Count("pk"),
                top=Max("pk"),
                last=Max("updated_at"),
            )
            .values_list("tag", "n", "top", "last")
        )

    days = window_day_rows(client_id, today, viewer)
    screens = window_screen_rows(client_id, today, viewer)
    rows = sorted(summary(days, 1).union(summary(screens, 2), all=True))
    return (
        tuple(tuple(_stamp(v) for v in row) for row in rows),
        tuple((e.pk, _stamp(e.updated_at)) for e in events),
    )


def _stamp(value) -> str:
    return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)


def cache_key(client_id: int, today: date, fingerprint: tuple) -> str:
    """Client id, date, engine digest and a hash of ids/counts/timestamps: no clinical text."""
    inputs = hashlib.sha256(repr(fingerprint).encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{engine_digest()}:{client_id}:{today.isoformat()}:{inputs}"


def _cache_get(key: str) -> trends.Assessment | None:
    try:
        value = cache.get(key)
    except Exception as exc:  # the cache is an optimisation: never fail a page on it
        logger.warning("trend cache: read failed (%s)", type(exc).__name__)
        return None
    return value if isinstance(value, trends.Assessment) else None


def _cache_set(key: str, assessment: trends.Assessment) -> None:
    try:
        cache.set(key, assessment, TIMEOUT_SECONDS)
    except Exception as exc:
        logger.warning("trend cache: write failed (%s)", type(exc).__name__)


def client_assessment(client_id: int, today: date, viewer: User | None = None) -> ClientTrend:
    """The engine's Assessment of the client for ``today``, computed at most once per input.

    Two queries when cached (medication events, input fingerprint); four when the engine
    has to run (plus the day rows and PHQ-9 results). The fingerprint is read before the
    inputs, so an answer is only ever stored under a key at least as old as its data.
    A therapist's pages pass ``viewer``: every row is then read through their active
    caseload in the queryset (a client outside it reads as a client with no data).
    """
    events = window_events(client_id, today, viewer)
    key = cache_key(client_id, today, _fingerprint(client_id, today, events, viewer))
    assessment = _cache_get(key)
    if assessment is None:
        assessment = trends.assess(
            window_days(client_id, today, viewer),
            [medication_record(e) for e in events],
            today=today,
            phq9=window_screens(client_id, today, viewer),
        )
        _cache_set(key, assessment)
    return ClientTrend(assessment=assessment, events=events)

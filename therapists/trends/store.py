"""Each client's engine state, saved: a day's update costs the same after two weeks or
three years of history.

``client_trend(client_id, today)`` answers the trend page, the client page, the trends
API and the trend refresh alike. It keeps one ``TrendState`` row per client:

- ``state``: the engine's carried state (``EngineState``) *settled* through the last
  complete local day (yesterday). Each call steps it through the days observed since,
  then steps a copy through today's (still changing) summary for today's answer. The
  engine's work per call is the new days only; what is read is bounded too (the replay
  span of day rows, the medication events of the window, the client's PHQ-9 totals).
- ``days``: the chart, one ``DayTrend`` per calendar day for the last year, up to the
  settled day; today's answer adds the days after it.
- ``current`` and ``current_key``: the answer for the latest day asked, under a digest of
  its inputs (the day rows of the replay span with their ``updated_at``, the PHQ-9
  totals, the medication events with their ``updated_at``, the settled day, today, the
  engine's code). A call whose inputs match reads it back and runs nothing.

Late data. A check-in can be added, changed or removed for an earlier day. Day rows in the
replay span (``REPLAY_DAYS`` before the settled day) are stamped with their
``updated_at``; a call that finds a stamp changed, a row gone or a new one replays from
the newest weekly ``TrendCheckpoint`` before that day (checkpoints are kept for the
replay span and two weeks more). Older changes are named by the journal: its services
enqueue the refresh with ``since=<the earliest changed day>``, which replays the same
way. With no usable checkpoint, or a state from other engine code (any change to the
package's source, `engine_digest`), the state is rebuilt from the client's first day:
the one case whose cost grows with history, and it happens once.
``manage.py rebuild_trends`` rebuilds every client (after changing day rows by hand).

The answers are exactly those of ``trends.assess`` over the client's whole history
(tests/therapists/test_trend_state.py compares them after every kind of change).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from accounts.models import Role, User
from journal import daily
from journal.models import Assessment, ClientDay, Instrument, MedicationEvent
from therapists import trends

from ..models import TrendCheckpoint, TrendState
from .inputs import medication_record, scoped, window_events

logger = logging.getLogger(__name__)

# Day rows this far back from the settled day are stamped, so a change to one of them is
# found by the page that reads them, not only by the refresh the journal enqueues.
REPLAY_DAYS = 45
# The chart keeps a year (the trends API shows up to 365 days).
KEEP_DAYS = 365
# Checkpoints are the states at the end of each Sunday in the replay span and two weeks more.
CHECKPOINT_WEEKDAY = 6
CHECKPOINT_SPAN_DAYS = REPLAY_DAYS + 14

EMPTY = trends.Assessment(
    level=None,
    onset=None,
    drivers=(),
    related_medication_events=(),
    suggest_phq9=False,
    index=(),
)


@functools.cache
def engine_digest() -> str:
    """A digest of the code that turns stored rows into an Assessment, taken once per process.

    The engine package (its parameters and this module included) and the `Day` record it
    reads: a saved state of other code is rebuilt, never resumed.
    """
    digest = hashlib.sha256()
    package = Path(trends.__file__).resolve().parent
    for source in [*sorted(package.rglob("*.py")), Path(daily.__file__)]:
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


# --- saving records as JSON -------------------------------------------------------------

_DAY_FIELDS = tuple(trends.DayTrend.__dataclass_fields__)


def _day_to_row(d: trends.DayTrend) -> list:
    return [d.date.isoformat(), *(getattr(d, f) for f in _DAY_FIELDS[1:])]


def _day_from_row(row: list) -> trends.DayTrend:
    return trends.DayTrend(date.fromisoformat(row[0]), *row[1:])


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _answer_to_dict(answer: trends.Assessment, settled_through: date) -> dict:
    """Today's answer without the settled chart (kept once, in ``TrendState.days``)."""
    return {
        "level": answer.level,
        "onset": _iso(answer.onset),
        "drivers": list(answer.drivers),
        "related": [
            [e.id, e.medication, e.kind, e.dose, e.occurred_on.isoformat()]
            for e in answer.related_medication_events
        ],
        "suggest_phq9": answer.suggest_phq9,
        "raised_on": _iso(answer.raised_on),
        "escalation_reason": answer.escalation_reason,
        "baseline": answer.baseline,
        "days": [_day_to_row(d) for d in answer.days if d.date > settled_through],
    }


def _answer_from_dict(data: dict, settled_days: list) -> trends.Assessment:
    days = tuple(_day_from_row(r) for r in [*settled_days, *data["days"]])
    return trends.Assessment(
        level=data["level"],
        onset=_date(data["onset"]),
        drivers=tuple(data["drivers"]),
        related_medication_events=tuple(
            trends.MedicationEvent(id, medication, kind, dose, date.fromisoformat(on))
            for id, medication, kind, dose, on in data["related"]
        ),
        suggest_phq9=data["suggest_phq9"],
        index=tuple((d.date, d.index) for d in days),
        raised_on=_date(data["raised_on"]),
        escalation_reason=data["escalation_reason"],
        baseline=data["baseline"],
        days=days,
    )


# --- reading the inputs -----------------------------------------------------------------


def _day_rows(
    client_id: int, viewer: User | None, *, after: date | None, through: date
) -> list[ClientDay]:
    """The client's day rows in (after, through], oldest first: the summary columns only."""
    rows = ClientDay.objects.filter(client_id=client_id, date__lte=through)
    if after is not None:
        rows = rows.filter(date__gt=after)
    columns = ("date", "updated_at", *ClientDay.SUMMARY_COLUMNS)
    return list(scoped(rows, viewer).only(*columns).order_by("date"))


def _day_stamps(client_id: int, viewer: User | None, *, after: date, through: date) -> dict:
    rows = scoped(
        ClientDay.objects.filter(client_id=client_id, date__gt=after, date__lte=through), viewer
    )
    return {d.isoformat(): u.isoformat() for d, u in rows.values_list("date", "updated_at")}


def _screens(client_id: int, viewer: User | None, today: date) -> list[trends.ScreenResult]:
    """Every PHQ-9 total of the client up to today (a few a month: small, and the engine
    checks a resumed state against the ones it has seen)."""
    rows = scoped(
        Assessment.objects.filter(client_id=client_id, instrument=Instrument.PHQ9), viewer
    )
    screens = [
        trends.ScreenResult(taken_on=taken_at.date(), score=score)
        for taken_at, score in rows.values_list("taken_at", "score")
    ]
    return sorted((s for s in screens if s.taken_on <= today), key=lambda s: s.taken_on)


def _stamp_span(rows: Iterable[ClientDay], after: date, through: date) -> dict:
    return {r.date.isoformat(): r.updated_at.isoformat() for r in rows if after < r.date <= through}


def _current_key(
    settled_through: date,
    today: date,
    stamps: dict,
    screens: Sequence[trends.ScreenResult],
    events: Sequence[MedicationEvent],
) -> str:
    """Ids, dates, counts and timestamps, hashed: never a note, a medication or a score."""
    inputs = (
        engine_digest(),
        settled_through.isoformat(),
        today.isoformat(),
        sorted(stamps.items()),
        [(s.taken_on.isoformat(), s.score) for s in screens],
        [(e.pk, e.updated_at.isoformat()) for e in events],
    )
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


# --- the state --------------------------------------------------------------------------


def client_trend(
    client_id: int,
    today: date,
    viewer: User | None = None,
    *,
    since: date | None = None,
    chart: bool = True,
) -> ClientTrend:
    """The engine's answer for the client on ``today``, from their whole history.

    Four queries when nothing changed since the last call (medication events, the saved
    state, the replay span's stamps, the PHQ-9 totals); otherwise the state is settled
    through yesterday and saved, under a row lock, then today's answer computed and saved.
    ``since`` (the refresh passes the journal's earliest changed day) replays from there.
    ``chart=False`` (the refresh) leaves the settled days out of the answer's ``days`` and
    ``index``, which then cover only the days after the settled one (today, usually).
    A therapist's pages pass ``viewer``: every row is then read through their active
    caseload in the queryset (a client outside it reads as a client with no data).
    """
    events = window_events(client_id, today, viewer)
    saved = TrendState.objects.filter(client_id=client_id).defer(
        "state", *(() if chart else ("days",))
    )
    row = scoped(saved, viewer).first()
    if row is not None and since is None and row.settled_through is not None:
        after = row.settled_through - timedelta(days=REPLAY_DAYS)
        stamps = _day_stamps(client_id, viewer, after=after, through=today)
        screens = _screens(client_id, viewer, today)
        key = _current_key(row.settled_through, today, stamps, screens, events)
        if key == row.current_key and row.current:
            days = row.days if chart else []
            return ClientTrend(_answer_from_dict(row.current, days), events)
    if row is None and not _visible(client_id, viewer):
        return ClientTrend(EMPTY, [])
    with transaction.atomic():
        locked = TrendState.objects.select_for_update().defer("days")
        row, _ = locked.get_or_create(client_id=client_id)
        answer = _refresh(row, client_id, today, viewer, events, since, chart)
    return ClientTrend(answer, events)


def _visible(client_id: int, viewer: User | None) -> bool:
    clients = (
        User.objects.filter(role=Role.CLIENT)
        if viewer is None
        else (User.objects.clients_of(viewer))
    )
    return clients.filter(pk=client_id).exists()


def _resume(row: TrendState) -> trends.EngineState | None:
    if row.engine != engine_digest() or row.settled_through is None:
        return None
    try:
        return trends.EngineState.from_dict(row.state)
    except (trends.LateData, AttributeError, KeyError, TypeError, ValueError):
        return None


def _first_change(row: TrendState, rows: Sequence[ClientDay]) -> date | None:
    """The earliest day in the stamped span whose row was added, changed or removed."""
    through = row.settled_through
    now = _stamp_span(rows, through - timedelta(days=REPLAY_DAYS), through)
    changed = [d for d in now.keys() | row.stamps.keys() if now.get(d) != row.stamps.get(d)]
    return date.fromisoformat(min(changed)) if changed else None


def _first_screen_change(
    state: trends.EngineState, screens: Sequence[trends.ScreenResult]
) -> date | None:
    """The earliest day of a PHQ-9 added, changed or removed on or before the state's
    last stepped day (the engine would refuse to resume over it)."""
    if state.last_day is None:
        return None
    seen = {(s.taken_on, s.score) for s in state.screens}
    now = {(s.taken_on, s.score) for s in screens if s.taken_on <= state.last_day}
    return min((d for d, _ in seen ^ now), default=None)


def _refresh(
    row: TrendState,
    client_id: int,
    today: date,
    viewer: User | None,
    events: list[MedicationEvent],
    since: date | None,
    chart: bool,
) -> trends.Assessment:
    settle_to = today - timedelta(days=1)
    screens = _screens(client_id, viewer, today)
    medication = [medication_record(e) for e in events]
    try:
        settled = _settled(row, client_id, viewer, screens, settle_to, today, since)
        _, answer = _today(settled.state, settled.rows, medication, today, screens)
    except trends.LateData:  # cannot happen with the checks in _settled; never answer wrong
        logger.warning(
            "trend state of client %s: late data after the checks; rebuilding", client_id
        )
        settled = _settled(None, client_id, viewer, screens, settle_to, today, None)
        _, answer = _today(settled.state, settled.rows, medication, today, screens)
    stamp_after = settle_to - timedelta(days=REPLAY_DAYS)
    fields = ["current", "current_key", "updated_at"]
    if settled.moved:
        row.engine = engine_digest()
        row.settled_through = settle_to
        row.state = settled.state.to_dict()
        row.stamps = _stamp_span(settled.rows, stamp_after, settle_to)
        row.days = settled.days
        fields += ["engine", "settled_through", "state", "stamps", "days"]
    row.current = _answer_to_dict(answer, settle_to)
    row.current_key = _current_key(
        settle_to, today, _stamp_span(settled.rows, stamp_after, today), screens, events
    )
    row.save(update_fields=fields)
    new_days = tuple(d for d in answer.days if d.date > settle_to)
    days = (*(_day_from_row(r) for r in row.days), *new_days) if chart else new_days
    return replace(answer, days=days, index=tuple((d.date, d.index) for d in days))


def _today(
    state: trends.EngineState,
    rows: Sequence[ClientDay],
    medication: list[trends.MedicationEvent],
    today: date,
    screens: Sequence[trends.ScreenResult],
) -> tuple[trends.EngineState, trends.Assessment]:
    """Today's answer: a copy of the settled state stepped through today's summary."""
    todays = [r.as_day() for r in rows if r.date == today]
    return trends.advance(state, todays, medication, today=today, phq9=screens)


@dataclass
class _Settled:
    state: trends.EngineState
    rows: list[ClientDay]  # at least the replay span before the settled day, and today's
    moved: bool  # False: the saved state was already settled through the day, unchanged
    days: list | None = None  # the chart rows, when moved


def _settled(
    row: TrendState | None,
    client_id: int,
    viewer: User | None,
    screens: Sequence[trends.ScreenResult],
    settle_to: date,
    today: date,
    since: date | None,
) -> _Settled:
    """The state settled through ``settle_to``.

    Resumes the saved state when it is of this code and nothing before its settled day
    changed; else replays from the newest checkpoint before the earliest change; else
    starts from the client's first day.
    """
    state = _resume(row) if row is not None else None
    through = row.settled_through if state is not None else None
    read_after = min(through, settle_to) - timedelta(days=REPLAY_DAYS) if through else None
    rows = _day_rows(client_id, viewer, after=read_after, through=today) if state else []
    days = None
    if state is not None:
        changes = [since, _first_change(row, rows), _first_screen_change(state, screens)]
        if settle_to < through:  # asked about an earlier day (or the client moved west)
            changes.append(settle_to + timedelta(days=1))
        changes = [d for d in changes if d is not None and d <= through]
        if changes:
            state, through = _from_checkpoint(client_id, min(changes))
            days = [r for r in row.days if through is not None and r[0] <= through.isoformat()]
        elif through >= settle_to:
            return _Settled(state, rows, moved=False)
    if state is None:
        state, through, days = trends.EngineState(), None, []
        TrendCheckpoint.objects.filter(client_id=client_id).delete()
    if through is None or read_after is None or through < read_after:
        rows = _day_rows(client_id, viewer, after=through, through=today)
    if days is None:
        days = list(row.days)
    observed = [r for r in rows if through is None or r.date > through]
    state, days = _settle(client_id, state, through, observed, screens, settle_to, days)
    return _Settled(state, rows, moved=True, days=days)


def _from_checkpoint(
    client_id: int, changed: date
) -> tuple[trends.EngineState | None, date | None]:
    """The newest checkpoint before ``changed`` (later ones are dropped: they are redone)."""
    checkpoint = (
        TrendCheckpoint.objects.filter(client_id=client_id, through__lt=changed)
        .order_by("-through")
        .first()
    )
    if checkpoint is None:
        return None, None
    TrendCheckpoint.objects.filter(client_id=client_id, through__gt=checkpoint.through).delete()
    try:
        return trends.EngineState.from_dict(checkpoint.state), checkpoint.through
    except (trends.LateData, AttributeError, KeyError, TypeError, ValueError):
        return None, None


def _chunk_ends(first: date, settle_to: date) -> list[date]:
    """Where a settle stops to save a checkpoint: each Sunday of the kept span, then the end."""
    start = max(first, settle_to - timedelta(days=CHECKPOINT_SPAN_DAYS))
    ends = []
    day = start + timedelta(days=(CHECKPOINT_WEEKDAY - start.weekday()) % 7)
    while day < settle_to:
        ends.append(day)
        day += timedelta(days=7)
    return [*ends, settle_to]


def _settle(
    client_id: int,
    state: trends.EngineState,
    through: date | None,
    observed: Sequence[ClientDay],
    screens: Sequence[trends.ScreenResult],
    settle_to: date,
    days: list,
) -> tuple[trends.EngineState, list]:
    """Step ``state`` from ``through`` to ``settle_to``; chart rows and checkpoints follow."""
    if through is not None and through >= settle_to:
        return state, days
    first = (
        through + timedelta(days=1) if through else (observed[0].date if observed else settle_to)
    )
    checkpoints = []
    position = through
    for end in _chunk_ends(first, settle_to):
        chunk = [r.as_day() for r in observed if (position is None or r.date > position)]
        chunk = [d for d in chunk if d.date <= end]
        state, result = trends.advance(state, chunk, today=end, phq9=screens)
        days.extend(_day_to_row(d) for d in result.days if position is None or d.date > position)
        position = end
        if end.weekday() == CHECKPOINT_WEEKDAY:
            checkpoints.append(
                TrendCheckpoint(client_id=client_id, through=end, state=state.to_dict())
            )
    if checkpoints:
        TrendCheckpoint.objects.bulk_create(
            checkpoints,
            update_conflicts=True,
            unique_fields=["client", "through"],
            update_fields=["state"],
        )
    oldest = settle_to - timedelta(days=CHECKPOINT_SPAN_DAYS)
    TrendCheckpoint.objects.filter(client_id=client_id, through__lt=oldest).delete()
    keep_after = (settle_to - timedelta(days=KEEP_DAYS)).isoformat()
    return state, [r for r in days if r[0] > keep_after]


def rebuild(client_ids: Iterable[int]) -> int:
    """Drop the saved states of these clients; the next call rebuilds each from its first
    day. Returns how many were dropped."""
    ids = list(client_ids)
    TrendCheckpoint.objects.filter(client_id__in=ids).delete()
    return TrendState.objects.filter(client_id__in=ids).delete()[0]

"""`assess` and `advance`: days in, one assessment out. Pure and deterministic.

One forward pass over the observed days: measures over trailing windows, a baseline
(the client's own earlier weeks, frozen while a change is in progress), the daily index,
then the CUSUM episode policy. Every step looks only backwards, so the state on any day
is what `assess(days, today=that day)` would have said on it.

Everything the pass carries from one day to the next lives in an `EngineState` (a
bounded amount: two weeks of day summaries, the baseline's pool, the detector), so a
client's state can be saved after any day and the pass resumed later with `advance`:
the daily update costs the same after two weeks or three years, and gives exactly the
answer a full `assess` over the whole history gives (property-tested). `assess` itself is
`advance` from an empty state.

Late data. A state has stepped every observed day up to `state.last_day`. `advance`
accepts only days after it; a summary for a day on or before it (a late or a changed
day), or a PHQ-9 taken on or before it that the state has not seen, raises `LateData`:
the caller then recomputes from an earlier saved state (one whose `last_day` is before
the changed day) or from an empty one. Online, keep the saved state at the last
*complete* local day, and advance a copy of it through today's (still changing) summary
on each check-in; see docs/BLUNTING.md, "Incremental state".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from hashlib import sha256
from itertools import pairwise

from journal.daily import Day

from .baseline import Baseline, BaselineStore
from .detector import Detector, detector_from_dict, detector_to_dict
from .drivers import describe_drivers
from .index import blunting_index
from .measures import DayMeasures, measure_day
from .params import DEFAULT_PARAMS, Params
from .records import Assessment, DayTrend, MedicationEvent, ScreenResult, level_rank

STATE_VERSION = 3


class LateData(ValueError):
    """A day or a PHQ-9 on or before the state's last stepped day: recompute instead."""


def _observed_days(days: Sequence[Day], today: date) -> list[Day]:
    """Days up to `today`, oldest first; rejects shapes that cannot be real data."""
    kept = sorted((d for d in days if d.date <= today), key=lambda d: d.date)
    for earlier, later in pairwise(kept):
        if earlier.date == later.date:
            raise ValueError(f"two summaries for {later.date}")
    for day in kept:
        if day.checkins < 1:
            raise ValueError(f"{day.date}: a day without check-ins must be absent, not zero")
    return kept


def _baseline_last_day(day: date, anchor: date | None, params: Params) -> date:
    """Newest day the baseline may use: a week back, and never past a change's onset.

    The week's gap keeps a developing change from being compared with itself; the freeze
    at the onset keeps a long episode from becoming the new normal.
    """
    last = day - timedelta(days=params.baseline_gap_days)
    if anchor is not None:
        last = min(last, anchor - timedelta(days=1))
    return last


def _related_events(
    events: Sequence[MedicationEvent], onset: date | None, params: Params
) -> tuple[MedicationEvent, ...]:
    """Medication events in the 28 days before onset, the onset day included."""
    if onset is None:
        return ()
    start = onset - timedelta(days=params.medication_window_days)
    related = [e for e in events if start <= e.occurred_on <= onset]
    return tuple(sorted(related, key=lambda e: (e.occurred_on, e.id)))


def _suggest_phq9(
    reason: str | None, phq9: Sequence[ScreenResult], today: date, params: Params
) -> bool:
    """Suggest a screen when duration escalated the flag and none was taken lately."""
    if reason != "duration":
        return False
    since = today - timedelta(days=params.phq9_recent_days - 1)
    return not any(since <= s.taken_on <= today for s in phq9)


def _trend(m: DayMeasures | None, day: date, index: float | None, level: str | None) -> DayTrend:
    if m is None:
        return DayTrend(
            day, 0, None, None, None, None, None, None, None, None, None, None, None, level
        )
    return DayTrend(
        date=day,
        checkins=m.checkins,
        felt_intensity=m.felt_intensity,
        distinct_emotions_7d=m.distinct_emotions_7d,
        emotional_range=m.emotional_range,
        emodiversity=m.emodiversity,
        positive_affect_sd=m.positive_affect_sd,
        negative_affect_sd=m.negative_affect_sd,
        positive_affect_mssd=m.positive_affect_mssd,
        negative_affect_mssd=m.negative_affect_mssd,
        symptom_score=m.symptom_score,
        empty_share=m.empty_share,
        index=index,
        level=level,
    )


def _params_digest(params: Params) -> str:
    """Fingerprint of the parameters a state was built with (a state from other
    parameters is as stale as one from other code)."""
    return sha256(repr(params).encode()).hexdigest()[:16]


@dataclass
class EngineState:
    """Everything the engine carries between days for one client (see `advance`).

    Serialise with `to_dict()` (plain JSON types, a `version`) and load with
    `EngineState.from_dict(data)`. `last_day` is the last observed day stepped.
    """

    params: Params = DEFAULT_PARAMS
    last_day: date | None = None
    window: deque[Day] = field(default_factory=deque)  # observed days, variability window
    recent: deque[DayMeasures] = field(default_factory=deque)  # last week's measures
    store: BaselineStore = None  # type: ignore[assignment]  # set in __post_init__
    detector: Detector = None  # type: ignore[assignment]
    source: str = "population"  # baseline source on the last stepped day
    screens: tuple[ScreenResult, ...] = ()  # PHQ-9s on or before last_day, as used

    def __post_init__(self) -> None:
        if self.store is None:
            self.store = BaselineStore(self.params)
        if self.detector is None:
            self.detector = Detector(self.params)

    def to_dict(self) -> dict:
        return {
            "version": STATE_VERSION,
            "params": _params_digest(self.params),
            "last_day": _iso(self.last_day),
            "window": [_day_row(d) for d in self.window],
            "recent": [_measures_row(m) for m in self.recent],
            "store": [[d.isoformat(), list(values)] for d, values in self.store.entries],
            "detector": detector_to_dict(self.detector),
            "source": self.source,
            "screens": [[s.taken_on.isoformat(), s.score] for s in self.screens],
        }

    @classmethod
    def from_dict(cls, data: dict, params: Params = DEFAULT_PARAMS) -> EngineState:
        """Load a saved state. One of another version or other parameters raises
        `LateData`: recompute it from the days."""
        if data.get("version") != STATE_VERSION or data.get("params") != _params_digest(params):
            raise LateData("saved engine state is from another engine version or parameters")
        entries = [(date.fromisoformat(d), tuple(values)) for d, values in data["store"]]
        return cls(
            params=params,
            last_day=_day(data["last_day"]),
            window=deque(_day_from_row(r) for r in data["window"]),
            recent=deque(_measures_from_row(r) for r in data["recent"]),
            store=BaselineStore(params, entries),
            detector=detector_from_dict(data["detector"], params),
            source=data["source"],
            screens=tuple(ScreenResult(date.fromisoformat(d), s) for d, s in data["screens"]),
        )

    def copy(self) -> EngineState:
        """An independent copy. Only the containers are copied: the records in them (days,
        measures, baseline entries, parameters) are immutable, and a generic deep copy
        would cost more than the day's update itself."""
        return EngineState(
            params=self.params,
            last_day=self.last_day,
            window=deque(self.window),
            recent=deque(self.recent),
            store=self.store.copy(),
            detector=self.detector.copy(),
            source=self.source,
            screens=self.screens,
        )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _day_row(d: Day) -> list:
    return [
        d.date.isoformat(),
        d.checkins,
        d.felt_intensity,
        d.felt_intensity_max,
        [list(pair) for pair in d.emotion_counts],
        d.positive_affect,
        d.negative_affect,
        d.symptom_score,
        d.empty_checkins,
    ]


def _day_from_row(r: list) -> Day:
    emotion_counts = tuple((slug, n) for slug, n in r[4])
    return Day(date.fromisoformat(r[0]), r[1], r[2], r[3], emotion_counts, *r[5:])


_MEASURE_FIELDS = tuple(DayMeasures.__dataclass_fields__)


def _measures_row(m: DayMeasures) -> list:
    return [m.date.isoformat(), *(getattr(m, f) for f in _MEASURE_FIELDS[1:])]


def _measures_from_row(r: list) -> DayMeasures:
    return DayMeasures(date.fromisoformat(r[0]), *r[1:])


def _new_days(state: EngineState, days: Sequence[Day], today: date) -> list[Day]:
    kept = _observed_days(days, today)
    if state.last_day is not None and kept and kept[0].date <= state.last_day:
        raise LateData(f"{kept[0].date} is on or before the state's last day {state.last_day}")
    return kept


def _check_screens(state: EngineState, screens: Sequence[ScreenResult]) -> None:
    """A PHQ-9 on or before the last stepped day must be one the state already used."""
    if state.last_day is None:
        return
    old = sorted((s.taken_on, s.score) for s in screens if s.taken_on <= state.last_day)
    if old != sorted((s.taken_on, s.score) for s in state.screens):
        raise LateData("a PHQ-9 on or before the state's last day was added or changed")


def _step(state: EngineState, day: Day) -> tuple[DayMeasures, float]:
    """Take one observed day: measures, baseline, index, detector; keep what is needed."""
    p, store, detector, window = state.params, state.store, state.detector, state.window
    window.append(day)
    first = day.date - timedelta(days=p.variability_window_days - 1)
    while window[0].date < first:
        window.popleft()
    m = measure_day(window, p)
    state.recent.append(m)
    while state.recent[0].date < day.date - timedelta(days=p.recent_days - 1):
        state.recent.popleft()

    last_pool_day = _baseline_last_day(m.date, detector.anchor, p)
    baseline = store.get(last_pool_day)
    value = blunting_index(m, baseline, p)
    detector.step(m.date, value.value)
    state.source = baseline.source
    state.last_day = day.date

    episode = detector.episode
    if episode is not None and level_rank(episode.level) >= level_rank("watch"):
        store.drop_from(episode.start)  # the episode will be left out of later baselines
    elif detector.just_closed is not None:
        store.drop_from(detector.just_closed[0])
    else:
        store.add(m)
    store.prune(last_pool_day)
    return m, value.value


def advance(
    state: EngineState,
    days: Sequence[Day],
    medication_events: Sequence[MedicationEvent] = (),
    *,
    today: date,
    phq9: Sequence[ScreenResult] = (),
) -> tuple[EngineState, Assessment]:
    """Step a saved state through `days` (all after `state.last_day`) and assess on `today`.

    Returns the new state (the given one is not changed) and the assessment a full
    `assess` over the whole history gives, except that `index` and `days` cover only the
    calendar days after the state's last day (from the first check-in, for an empty
    state) up to `today`: the part of the chart this call adds.

    `medication_events` and `phq9` are the client's events and screens (all of them, or
    at least those from 28 days before the state's onset on): inputs, not state. Raises
    `LateData` for a day on or before `state.last_day`, or for a PHQ-9 on or before it
    that the state had not seen.
    """
    return _advance(state.copy(), days, medication_events, today=today, phq9=phq9)


def _advance(
    state: EngineState,
    days: Sequence[Day],
    medication_events: Sequence[MedicationEvent],
    *,
    today: date,
    phq9: Sequence[ScreenResult],
) -> tuple[EngineState, Assessment]:
    p, detector, store = state.params, state.detector, state.store
    new = _new_days(state, days, today)
    screens = tuple(s for s in phq9 if s.taken_on <= today)
    _check_screens(state, screens)
    calendar_from = state.last_day + timedelta(days=1) if state.last_day else None
    if calendar_from is None and new:
        calendar_from = new[0].date
    start_level = detector.level
    detector.phq9 = screens
    trends: dict[date, tuple[DayMeasures, float, str | None]] = {}
    for day in new:
        m, x = _step(state, day)
        trends[day.date] = (m, x, detector.level)
    detector.phq9 = ()
    last = state.last_day
    state.screens = tuple(s for s in screens if last is not None and s.taken_on <= last)

    episode = detector.episode if detector.level is not None else None
    drivers: tuple[str, ...] = ()
    source = state.source
    if episode is not None:
        baseline: Baseline = store.get(_baseline_last_day(today, episode.start, p))
        drivers = describe_drivers(list(state.recent), baseline, p)
        source = baseline.source
    onset = episode.onset if episode else None
    reason = episode.escalation_reason if episode else None
    calendar = _calendar(calendar_from, trends, start_level, today)
    return state, Assessment(
        level=episode.level if episode else None,
        onset=onset,
        drivers=drivers,
        related_medication_events=_related_events(
            [e for e in medication_events if e.occurred_on <= today], onset, p
        ),
        suggest_phq9=_suggest_phq9(reason, screens, today, p),
        index=tuple((t.date, t.index) for t in calendar),
        raised_on=episode.raised_on if episode else None,
        escalation_reason=reason,
        baseline=source,
        days=calendar,
    )


def _calendar(
    first: date | None,
    trends: dict[date, tuple[DayMeasures, float, str | None]],
    level: str | None,
    today: date,
) -> tuple[DayTrend, ...]:
    """One DayTrend per calendar day from `first` to `today` (levels carried over gaps)."""
    if first is None:
        return ()
    out = []
    day = first
    while day <= today:
        found = trends.get(day)
        if found is None:
            out.append(_trend(None, day, None, level))
        else:
            m, x, level = found
            out.append(_trend(m, day, x, level))
        day += timedelta(days=1)
    return tuple(out)


def assess(
    days: Sequence[Day],
    medication_events: Sequence[MedicationEvent] = (),
    *,
    today: date,
    phq9: Sequence[ScreenResult] = (),
    params: Params = DEFAULT_PARAMS,
) -> Assessment:
    """Assess one client's blunting as of `today`, from the whole history given.

    `days` may be any trailing span in any order (days after `today` are ignored); a date
    without check-ins must simply be absent. Medication events and PHQ-9 results after
    `today` are ignored too. The same as `advance` from an empty state.
    """
    return _advance(EngineState(params), days, medication_events, today=today, phq9=phq9)[1]

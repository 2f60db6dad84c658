"""`assess`: days in, one assessment out. Pure, deterministic, no shared state.

One forward pass over the observed days: measures over trailing windows, a baseline
(the client's own earlier weeks, frozen while a change is in progress), the daily index,
then the CUSUM episode policy. Every step looks only backwards, so the state on any day
is what `assess(days, today=that day)` would have said on it: the incremental task, the
nightly refresh and the offline command all get the same answer. The cost is
O(len(days)): windows and the baseline look-back have fixed widths.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise

from journal.daily import Day

from .baseline import Baseline, Baselines
from .detector import Detector
from .drivers import describe_drivers
from .index import blunting_index
from .measures import DayMeasures, compute_measures
from .params import DEFAULT_PARAMS, Params
from .records import Assessment, DayTrend, MedicationEvent, ScreenResult


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


def _recent_measures(measures: Sequence[DayMeasures], params: Params) -> list[DayMeasures]:
    """The last week of check-ins, ending on the last observed day."""
    if not measures:
        return []
    start = measures[-1].date - timedelta(days=params.recent_days - 1)
    return [m for m in measures if m.date >= start]


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


def _calendar(
    measures: Sequence[DayMeasures],
    index: dict[date, float],
    levels: dict[date, str | None],
    today: date,
) -> tuple[DayTrend, ...]:
    """One DayTrend per calendar day from the first check-in to `today`."""
    if not measures:
        return ()
    by_date = {m.date: m for m in measures}
    trends = []
    level: str | None = None
    day = measures[0].date
    while day <= today:
        level = levels.get(day, level)
        trends.append(_trend(by_date.get(day), day, index.get(day), level))
        day += timedelta(days=1)
    return tuple(trends)


def assess(
    days: Sequence[Day],
    medication_events: Sequence[MedicationEvent] = (),
    *,
    today: date,
    phq9: Sequence[ScreenResult] = (),
) -> Assessment:
    """Assess one client's blunting as of `today`.

    `days` may be any trailing span in any order (days after `today` are ignored); a date
    without check-ins must simply be absent. Medication events and PHQ-9 results after
    `today` are ignored too.
    """
    return _assess(days, medication_events, today=today, phq9=phq9, params=DEFAULT_PARAMS)


def _assess(
    days: Sequence[Day],
    medication_events: Sequence[MedicationEvent],
    *,
    today: date,
    phq9: Sequence[ScreenResult],
    params: Params,
) -> Assessment:
    measures = compute_measures(_observed_days(days, today), params)
    screens = tuple(s for s in phq9 if s.taken_on <= today)
    detector = Detector(params, phq9=screens)
    baselines = Baselines(measures, params)
    index: dict[date, float] = {}
    levels: dict[date, str | None] = {}
    baseline: Baseline | None = None
    for m in measures:
        last_day = _baseline_last_day(m.date, detector.anchor, params)
        baseline = baselines.get(last_day, detector.closed)
        value = blunting_index(m, baseline, params)
        index[m.date] = value.value
        detector.step(m.date, value.value, value.same_day)
        levels[m.date] = detector.level

    episode = detector.episode if detector.level is not None else None
    drivers: tuple[str, ...] = ()
    if episode is not None:
        baseline = baselines.get(_baseline_last_day(today, episode.start, params), detector.closed)
        drivers = describe_drivers(_recent_measures(measures, params), baseline, params)
    trends = _calendar(measures, index, levels, today)
    onset = episode.onset if episode else None
    reason = episode.escalation_reason if episode else None
    return Assessment(
        level=episode.level if episode else None,
        onset=onset,
        drivers=drivers,
        related_medication_events=_related_events(
            [e for e in medication_events if e.occurred_on <= today], onset, params
        ),
        suggest_phq9=_suggest_phq9(reason, screens, today, params),
        index=tuple((t.date, t.index) for t in trends),
        raised_on=episode.raised_on if episode else None,
        escalation_reason=reason,
        baseline=baseline.source if baseline else "population",
        days=trends,
    )

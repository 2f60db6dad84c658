"""The personal baseline: the client's own earlier weeks, summarised robustly.

Median and MAD (Leys et al. 2013) rather than mean and SD, because the earlier weeks
contain the odd bad day and the odd burst of check-ins, and one of those must not move
the reference. Until a client has `min_baseline_days` observed days the engine compares
with population defaults, so a client who joins already numb can still be noticed.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .measures import DayMeasures
from .params import Norm, Params

MAD_TO_SD = 1.4826  # makes the MAD a consistent estimator of the SD under normality

BASELINE_MEASURES: tuple[str, ...] = (
    "felt_intensity",
    "emotional_range",
    "emodiversity",
    "empty_share",
    "feelings_per_checkin",
    "symptom_score",
    "positive_affect_sd",
    "negative_affect_sd",
    "positive_affect_rmssd",
    "negative_affect_rmssd",
    "positive_affect",
    "negative_affect",
    "distinct_emotions_7d",
)


@dataclass(frozen=True)
class Baseline:
    """Reference centre and scale per measure, and where they came from."""

    norms: Mapping[str, Norm]
    source: str  # "personal" | "population"
    days: int  # observed days in the personal pool (0 for pure population)


def robust_norm(values: Sequence[float], floor: float) -> Norm:
    """Median and MAD-based scale, the scale floored so steady clients stay sane."""
    centre = statistics.median(values)
    mad = statistics.median(abs(v - centre) for v in values)
    return Norm(centre, max(MAD_TO_SD * mad, floor))


def select_pool(
    measures: Sequence[DayMeasures],
    dates: Sequence[date],
    last_day: date,
    excluded: Sequence[tuple[date, date]],
    params: Params,
) -> list[DayMeasures]:
    """The most recent observed days on or before `last_day`, outside past episodes.

    Past blunting episodes are left out so a resolved episode does not lower the bar for
    the next one; the look-back is bounded, so the cost does not grow with history.
    """
    pool: list[DayMeasures] = []
    earliest = last_day - timedelta(days=params.baseline_lookback_days)
    i = bisect.bisect_right(dates, last_day) - 1
    while i >= 0 and len(pool) < params.baseline_max_days and dates[i] >= earliest:
        if not any(start <= dates[i] <= end for start, end in excluded):
            pool.append(measures[i])
        i -= 1
    return pool


def _values(pool: Iterable[DayMeasures], measure: str) -> list[float]:
    return [v for v in (m.value(measure) for m in pool) if v is not None]


def build_baseline(pool: Sequence[DayMeasures], params: Params) -> Baseline:
    """Personal norms from the pool; population defaults while the pool is too small.

    A measure the client rarely provides (e.g. symptom items always skipped) falls back
    to its population default on its own, without discarding the others.
    """
    if len(pool) < params.min_baseline_days:
        return Baseline(params.population, "population", len(pool))
    norms: dict[str, Norm] = {}
    for measure in BASELINE_MEASURES:
        values = _values(pool, measure)
        if len(values) >= params.min_measure_values:
            norms[measure] = robust_norm(values, params.scale_floor[measure])
        else:
            norms[measure] = params.population[measure]
    return Baseline(norms, "personal", len(pool))

"""The personal baseline: the client's own earlier weeks, summarised robustly.

Median and MAD (Leys et al. 2013) rather than mean and SD, because the earlier weeks
contain the odd bad day and the odd burst of check-ins, and one of those must not move
the reference. Until a client has `min_baseline_days` observed days the engine compares
with population defaults, so a client who joins already numb can still be noticed.

`Baselines` serves one `assess` call. The pool for a day is determined by its last pool
day and the episodes left out, so a baseline is built once per distinct pool (days
without check-ins, and every day while the baseline is frozen, reuse it). Consecutive
pools differ by a day or two, so each measure is kept as a sorted list that is updated
in place (insert the new days, remove the old ones) instead of re-sorted: the median is
then O(1) and the MAD an O(log n) selection over the two sorted halves. The numbers are
exactly those of `statistics.median` over the same values.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Mapping, Sequence
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

# Rebuild the sorted lists from scratch when the pool moved by more than this many days
# (a freeze, an episode left out): cheaper than that many single updates.
_REBUILD_AFTER = 12


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


def _sorted_mad(s: Sequence[float], centre: float) -> float:
    """Median of |v - centre| over a sorted list, by selection over its two halves.

    Left of the centre the deviations `centre - s[p-1-i]` ascend with i, right of it
    `s[p+j] - centre` ascend with j; the median deviation is found by binary search on
    how many of the smallest deviations come from the left half (O(log n)).
    """
    n = len(s)
    p = bisect.bisect_left(s, centre)
    n_left, n_right = p, n - p
    take = n // 2 + (n % 2)  # deviations on the low side of the split (incl. the median)
    lo, hi = max(0, take - n_right), min(take, n_left)
    while True:
        a = (lo + hi) // 2  # from the left half
        b = take - a  # from the right half
        # compare the last taken of one side with the first not taken of the other
        left_a = centre - s[p - a] if a > 0 else -1.0  # a-th left deviation (1-based)
        next_a = centre - s[p - a - 1] if a < n_left else float("inf")
        left_b = s[p + b - 1] - centre if b > 0 else -1.0
        next_b = s[p + b] - centre if b < n_right else float("inf")
        if a < hi and left_b > next_a:
            lo = a + 1
        elif a > lo and left_a > next_b:
            hi = a - 1
        else:
            low_max = max(left_a, left_b)
            if n % 2:
                return low_max
            return (low_max + min(next_a, next_b)) / 2


def select_pool(
    dates: Sequence[date],
    last_day: date,
    excluded: Sequence[tuple[date, date]],
    params: Params,
) -> list[int]:
    """Indices of the most recent observed days on or before `last_day`, outside past episodes.

    Past blunting episodes are left out so a resolved episode does not lower the bar for
    the next one; the look-back is bounded, so the cost does not grow with history.
    """
    earliest = last_day - timedelta(days=params.baseline_lookback_days)
    i = bisect.bisect_right(dates, last_day) - 1
    if not excluded:
        first = max(bisect.bisect_left(dates, earliest), i - params.baseline_max_days + 1, 0)
        return list(range(i, first - 1, -1))
    pool: list[int] = []
    while i >= 0 and len(pool) < params.baseline_max_days and dates[i] >= earliest:
        if not any(start <= dates[i] <= end for start, end in excluded):
            pool.append(i)
        i -= 1
    return pool


class Baselines:
    """Baselines for one `assess` call, one per distinct pool, built incrementally."""

    def __init__(self, measures: Sequence[DayMeasures], params: Params) -> None:
        self._dates = [m.date for m in measures]
        self._params = params
        self._columns = {name: [m.value(name) for m in measures] for name in BASELINE_MEASURES}
        self._cache: dict[tuple[int, int, int], Baseline] = {}
        self._pool: set[int] = set()
        self._sorted: dict[str, list[float]] = {name: [] for name in BASELINE_MEASURES}

    def get(self, last_day: date, excluded: Sequence[tuple[date, date]]) -> Baseline:
        """The baseline whose pool ends on `last_day`, leaving out `excluded` episodes."""
        pool = select_pool(self._dates, last_day, excluded, self._params)
        key = (pool[0] if pool else -1, len(pool), len(excluded))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._build(pool)
        return found

    def _build(self, pool: list[int]) -> Baseline:
        p = self._params
        if len(pool) < p.min_baseline_days:
            return Baseline(p.population, "population", len(pool))
        self._move_to(pool)
        norms: dict[str, Norm] = {}
        floors, enough = p.scale_floor, p.min_measure_values
        for name, s in self._sorted.items():
            n = len(s)
            if n < enough:
                norms[name] = p.population[name]
                continue
            i = n // 2
            centre = s[i] if n % 2 else (s[i - 1] + s[i]) / 2
            norms[name] = Norm(centre, max(MAD_TO_SD * _sorted_mad(s, centre), floors[name]))
        return Baseline(norms, "personal", len(pool))

    def _move_to(self, pool: list[int]) -> None:
        """Make the sorted lists hold exactly the values of `pool`."""
        new = set(pool)
        added, removed = new - self._pool, self._pool - new
        self._pool = new
        columns = self._columns
        if len(added) + len(removed) > _REBUILD_AFTER:
            for name, column in columns.items():
                self._sorted[name] = sorted(v for i in pool if (v := column[i]) is not None)
            return
        for name, s in self._sorted.items():
            column = columns[name]
            for i in removed:
                v = column[i]
                if v is not None:
                    del s[bisect.bisect_left(s, v)]
            for i in added:
                v = column[i]
                if v is not None:
                    bisect.insort(s, v)

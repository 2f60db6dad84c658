"""The personal baseline: the client's own earlier weeks, summarised robustly.

Median and MAD (Leys et al. 2013) rather than mean and SD, because the earlier weeks
contain the odd bad day and the odd burst of check-ins, and one of those must not move
the reference. Until a client has `min_baseline_days` observed days the engine compares
with population defaults, so a client who joins already numb can still be noticed.

`BaselineStore` is part of a client's engine state. It keeps only the observed days that
can still enter a pool: the current pool and the days after it. Days of an episode that
reached `watch` are dropped as soon as it does (they are left out of every later
baseline), and days older than the oldest member of a full pool are pruned (the pool's
last day never moves back, so they can never re-enter). Its size therefore does not grow
with the length of the history. A baseline is built once per distinct pool (days while
the baseline is frozen reuse it); consecutive pools differ by a day or two, so each
measure is kept as a sorted list updated in place (insert the new days, remove the old
ones) instead of re-sorted: the median is then O(1) and the MAD an O(log n) selection
over the two sorted halves. The numbers are exactly those of `statistics.median` over the
same values, whichever way the sorted lists were reached (rebuilt after loading a saved
state, or updated in place).
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
# (a freeze released, a loaded state): cheaper than that many single updates.
_REBUILD_AFTER = 12

Entry = tuple[date, tuple[float | None, ...]]  # a day and its BASELINE_MEASURES values


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


class BaselineStore:
    """The days a client's future baselines can draw on, and the baseline they give.

    Entries are `(date, values)` in date order, `values` in BASELINE_MEASURES order. The
    pool for a last day `L` is the newest `baseline_max_days` entries dated on or before
    `L` and within `baseline_lookback_days` of it.
    """

    def __init__(self, params: Params, entries: Sequence[Entry] = ()) -> None:
        self._params = params
        self.entries: list[Entry] = list(entries)
        self._dates = [d for d, _ in self.entries]
        self._pool_key: tuple[date, date, int] | None = None
        self._pool: set[date] = set()
        self._baseline: Baseline | None = None
        self._sorted: list[list[float]] = [[] for _ in BASELINE_MEASURES]

    def copy(self) -> BaselineStore:
        """An independent copy (entries are immutable tuples; the lists are copied)."""
        other = BaselineStore(self._params, ())
        other.entries, other._dates = list(self.entries), list(self._dates)
        other._pool_key, other._pool, other._baseline = (
            self._pool_key,
            set(self._pool),
            self._baseline,
        )
        other._sorted = [list(s) for s in self._sorted]
        return other

    def add(self, m: DayMeasures) -> None:
        """Keep an observed day (newer than every kept day)."""
        self.entries.append((m.date, tuple(m.value(name) for name in BASELINE_MEASURES)))
        self._dates.append(m.date)

    def drop_from(self, first: date) -> None:
        """Forget the days on or after `first` (an episode that will be left out)."""
        keep = bisect.bisect_left(self._dates, first)
        del self.entries[keep:], self._dates[keep:]

    def _pool_range(self, last_day: date) -> tuple[int, int]:
        p = self._params
        end = bisect.bisect_right(self._dates, last_day)
        earliest = last_day - timedelta(days=p.baseline_lookback_days)
        start = max(bisect.bisect_left(self._dates, earliest), end - p.baseline_max_days)
        return start, end

    def prune(self, last_day: date) -> None:
        """Drop the days no pool ending on `last_day` or later can reach."""
        start, _ = self._pool_range(last_day)
        if start:
            del self.entries[:start], self._dates[:start]

    def get(self, last_day: date) -> Baseline:
        """The baseline whose pool ends on `last_day`."""
        start, end = self._pool_range(last_day)
        if end - start < self._params.min_baseline_days:
            return Baseline(self._params.population, "population", end - start)
        key = (self._dates[start], self._dates[end - 1], end - start)
        if key != self._pool_key or self._baseline is None:
            self._move_to(start, end)
            self._pool_key, self._baseline = key, self._build(end - start)
        return self._baseline

    def _build(self, days: int) -> Baseline:
        p = self._params
        norms: dict[str, Norm] = {}
        floors, enough = p.scale_floor, p.min_measure_values
        for name, s in zip(BASELINE_MEASURES, self._sorted, strict=True):
            n = len(s)
            if n < enough:
                norms[name] = p.population[name]
                continue
            i = n // 2
            centre = s[i] if n % 2 else (s[i - 1] + s[i]) / 2
            norms[name] = Norm(centre, max(MAD_TO_SD * _sorted_mad(s, centre), floors[name]))
        return Baseline(norms, "personal", days)

    def _move_to(self, start: int, end: int) -> None:
        """Make the sorted lists hold exactly the values of entries[start:end]."""
        pool = self.entries[start:end]
        new = {d for d, _ in pool}
        added = [e for e in pool if e[0] not in self._pool]
        removed = self._pool - new
        if len(added) + len(removed) > _REBUILD_AFTER or removed - set(self._dates):
            # a removed day already pruned from `entries` has no values left to remove
            self._sorted = [
                sorted(v for _, values in pool if (v := values[k]) is not None)
                for k in range(len(BASELINE_MEASURES))
            ]
        else:
            old = {d: values for d, values in self.entries if d in removed}
            for k, s in enumerate(self._sorted):
                for values in old.values():
                    if (v := values[k]) is not None:
                        del s[bisect.bisect_left(s, v)]
                for _, values in added:
                    if (v := values[k]) is not None:
                        bisect.insort(s, v)
        self._pool = new

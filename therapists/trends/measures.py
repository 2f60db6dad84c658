"""Per-day measures over trailing windows of observed days.

Every window is a span of *calendar* days that contains only the days the client checked
in: a missing day is left out, never counted as a zero. Measures that need enough data to
mean anything (range, emodiversity, variability) are None when the window is too thin,
so sparse check-ins produce gaps, not false lows.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from journal.daily import Day

from .params import Params


@dataclass(frozen=True)
class DayMeasures:
    """All measures for one observed day (window measures end on that day)."""

    date: date
    checkins: int
    felt_intensity: float
    positive_affect: float
    negative_affect: float
    symptom_score: float | None
    empty_share: float
    feelings_per_checkin: float
    distinct_emotions_7d: int
    emotional_range: float | None
    emodiversity: float | None
    positive_affect_sd: float | None
    negative_affect_sd: float | None
    positive_affect_mssd: float | None
    negative_affect_mssd: float | None

    @property
    def positive_affect_rmssd(self) -> float | None:
        """Root of the MSSD: the same units as the SD, so z-scores compare."""
        return None if self.positive_affect_mssd is None else math.sqrt(self.positive_affect_mssd)

    @property
    def negative_affect_rmssd(self) -> float | None:
        return None if self.negative_affect_mssd is None else math.sqrt(self.negative_affect_mssd)

    def value(self, measure: str) -> float | None:
        """A measure by name (the names used in params.POPULATION)."""
        return getattr(self, measure)


def shannon_entropy(counts: Sequence[int]) -> float:
    """Emodiversity (Quoidbach et al. 2014): -sum(p ln p) over the feelings named."""
    total = sum(counts)
    if total == 0:
        return 0.0
    return -sum((c / total) * math.log(c / total) for c in counts if c)


def rarefied_richness(counts: Sequence[int], mentions: int) -> float:
    """Expected distinct feelings among `mentions` draws from the named ones (Hurlbert 1971).

    Raw "distinct feelings per week" grows with the number of check-ins; rarefying to a
    fixed number of mentions removes that effect, so checking in less is not read as a
    narrower range. With fewer mentions than that, the observed count is the honest value
    (it is already below what a wider range would show).
    """
    total = sum(counts)
    if total <= mentions:
        return float(sum(1 for c in counts if c))
    denominator = math.comb(total, mentions)
    return sum(1.0 - math.comb(total - c, mentions) / denominator for c in counts if c)


def mean_squared_successive_difference(
    points: Sequence[tuple[date, float]], max_gap_days: int, min_pairs: int
) -> float | None:
    """MSSD (von Neumann et al. 1941) over pairs of observed days at most `max_gap_days` apart.

    Pairs across longer gaps are skipped rather than bridged: the change over a week of
    silence is not a day-to-day change (cf. Jahng et al. 2008 on unequal intervals).
    """
    diffs = [
        (b - a) ** 2 for (d_a, a), (d_b, b) in pairwise(points) if (d_b - d_a).days <= max_gap_days
    ]
    return statistics.fmean(diffs) if len(diffs) >= min_pairs else None


def measure_day(window: Sequence[Day], params: Params) -> DayMeasures:
    """Measures of the last day of `window`, which holds the observed days of the
    variability window ending on it (oldest first); the range window is its tail."""
    day = window[-1]
    range_first = day.date - timedelta(days=params.range_window_days - 1)
    var_first = day.date - timedelta(days=params.variability_window_days - 1)
    var_days = [d for d in window if d.date >= var_first]
    range_days = [d for d in var_days if d.date >= range_first]

    counts: Counter[str] = Counter()
    for d in range_days:
        counts.update(dict(d.emotion_counts))
    enough = sum(d.checkins for d in range_days) >= params.min_checkins_for_range
    values = list(counts.values())
    return DayMeasures(
        date=day.date,
        checkins=day.checkins,
        felt_intensity=day.felt_intensity,
        positive_affect=day.positive_affect,
        negative_affect=day.negative_affect,
        symptom_score=day.symptom_score,
        empty_share=day.empty_checkins / day.checkins,
        feelings_per_checkin=sum(n for _, n in day.emotion_counts) / day.checkins,
        distinct_emotions_7d=len(counts),
        emotional_range=(
            rarefied_richness(values, params.rarefaction_mentions) if enough else None
        ),
        emodiversity=shannon_entropy(values) if enough else None,
        positive_affect_sd=_sd([d.positive_affect for d in var_days], params),
        negative_affect_sd=_sd([d.negative_affect for d in var_days], params),
        positive_affect_mssd=mean_squared_successive_difference(
            [(d.date, d.positive_affect) for d in var_days],
            params.max_gap_for_mssd,
            params.min_pairs_for_mssd,
        ),
        negative_affect_mssd=mean_squared_successive_difference(
            [(d.date, d.negative_affect) for d in var_days],
            params.max_gap_for_mssd,
            params.min_pairs_for_mssd,
        ),
    )


def _sd(values: list[float], params: Params) -> float | None:
    """Within-person SD of daily values, or None when there are too few to estimate it.

    The sample SD in floating point (two passes, `math.fsum`): `statistics.stdev` works in
    exact fractions and cost more than the rest of the engine together; the two agree to
    the last bit or two.
    """
    n = len(values)
    if n < params.min_values_for_sd:
        return None
    mean = math.fsum(values) / n
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))

"""Every tunable number of the blunting engine, in one place (see docs/BLUNTING.md).

The values were chosen from the design targets (watch after about a week, flagged within
14 days, escalated at about 28 days, a 3-4 day dip never flagged) and checked against the
synthetic benchmark in bench/blunting_synthetic.py; they are not fitted to real patients.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple


class Norm(NamedTuple):
    """A centre and a robust scale (a MAD-based SD estimate) for one measure.

    A named tuple rather than a frozen dataclass: one is built per measure per baseline,
    and a tuple is several times cheaper to make.
    """

    median: float
    scale: float


# Population defaults, used while a client has fewer than `min_baseline_days` days of
# their own. Deliberately wide: a quiet but well client should not trip them, and they
# are replaced by the client's own weeks as soon as there are enough.
POPULATION: Mapping[str, Norm] = MappingProxyType(
    {
        "felt_intensity": Norm(5.0, 1.75),
        "emotional_range": Norm(4.5, 0.9),
        "emodiversity": Norm(2.0, 0.5),
        "empty_share": Norm(0.0, 0.25),
        "feelings_per_checkin": Norm(2.2, 0.9),
        "symptom_score": Norm(3.0, 2.5),
        "positive_affect_sd": Norm(1.5, 0.6),
        "negative_affect_sd": Norm(1.5, 0.6),
        "positive_affect_rmssd": Norm(1.8, 0.8),
        "negative_affect_rmssd": Norm(1.8, 0.8),
        "positive_affect": Norm(4.0, 1.5),
        "negative_affect": Norm(3.5, 1.5),
        "distinct_emotions_7d": Norm(8.0, 3.0),
    }
)

# Smallest scale a personal baseline may have. Without a floor a very steady client
# (symptoms always 0, never an empty check-in) would turn a tiny wobble into a huge z.
# Feelings named and empty share are floored high (0.75 feelings, 35 points of share): a
# client who usually names one word turns one empty check-in into both a feelings and
# an empty-share signal; at 0.4 / 0.2 such clients made up most false flags on `vocab`.
SCALE_FLOOR: Mapping[str, float] = MappingProxyType(
    {
        "felt_intensity": 0.6,
        "emotional_range": 0.5,
        "emodiversity": 0.25,
        "empty_share": 0.35,
        "feelings_per_checkin": 0.75,
        "symptom_score": 1.5,
        "positive_affect_sd": 0.35,
        "negative_affect_sd": 0.35,
        "positive_affect_rmssd": 0.45,
        "negative_affect_rmssd": 0.45,
        "positive_affect": 0.8,
        "negative_affect": 0.8,
        "distinct_emotions_7d": 1.0,
    }
)

# Weight of each component in the composite (a weighted mean of robust z-scores). The
# same-day measures respond at once and carry most weight; the window measures (range,
# variability) lag and are noisy over a week or two, so they count for less. Numbness
# symptoms (the checklist of the feeling being gone) separate blunted from ordinary days
# best, about 3 robust SDs on the tuning families against 1-2 for felt intensity and 1-1.6
# for feelings named and empty check-ins, so they weigh most when answered.
WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "intensity": 1.5,
        "feelings": 1.0,
        "empty": 1.0,
        "symptoms": 2.5,
        "range": 0.25,
        "pleasant_variability": 0.1,
        "unpleasant_variability": 0.1,
    }
)


@dataclass(frozen=True)
class Params:
    """Tunable parameters; the defaults are the documented method.

    Units: `*_days` are calendar days; z-scores (`*_z`, guards) are robust SDs of the
    client's baseline; `cusum_k`, `watch_h`, `flag_h`, `lasted_margin` and
    `resolve_below` are in units of the daily evidence (a weighted mean of z-scores).
    """

    # measures
    range_window_days: int = 7
    variability_window_days: int = 14
    min_checkins_for_range: int = 3
    rarefaction_mentions: int = 6
    min_values_for_sd: int = 4
    min_pairs_for_mssd: int = 3
    max_gap_for_mssd: int = 2
    # baseline
    baseline_gap_days: int = 7
    baseline_max_days: int = 42
    baseline_lookback_days: int = 180
    min_baseline_days: int = 14
    min_measure_values: int = 7
    # daily evidence
    z_clip: float = 3.0
    guard_intensity_above: float = -0.5  # intensity z below this: felt more, not numb
    guard_unpleasant_rise: float = 1.0  # unpleasant affect up this many SDs ...
    guard_intensity_down: float = 0.5  # ... with intensity z below this: sad or anxious
    absence_full_z: float = 0.25  # mean absence-of-feeling z giving the day full weight
    absence_floor: float = 0.35  # weight of a day with no absence-of-feeling sign
    # CUSUM and levels
    cusum_k: float = 0.6
    watch_h: float = 1.0
    flag_h: float = 2.0
    min_change_days: int = 5  # a change must last this long (a dip is 3-4 days) ...
    lasted_margin: float = 1.25  # ... with evidence summing to k + this on its later days
    onset_lookback_days: int = 21
    onset_max_points: int = 60
    onset_ramps: tuple[int, ...] = (1, 4, 8, 16, 32)  # ramp lengths tried (days)
    recent_days: int = 7
    escalate_after_days: int = 28
    phq9_escalation_score: int = 10
    phq9_recent_days: int = 14
    resolve_below: float = 0.25
    resolve_after_days: int = 10
    # output
    driver_min_z: float = 1.0
    medication_window_days: int = 28
    population: Mapping[str, Norm] = field(default_factory=lambda: POPULATION)
    scale_floor: Mapping[str, float] = field(default_factory=lambda: SCALE_FLOOR)
    weights: Mapping[str, float] = field(default_factory=lambda: WEIGHTS)


DEFAULT_PARAMS = Params()

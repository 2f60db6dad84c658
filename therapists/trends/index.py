"""The daily blunting index: robust z-scores of the measures, combined with a policy.

Each measure becomes a z-score against the baseline, signed so that a positive value
always means "in the blunting direction" (less intensity, narrower range, less movement,
more numbness symptoms, more check-ins naming nothing), clipped so no single measure can
carry the index alone. The index is their weighted mean, subject to two rules taken from
the clinical picture ("blunting is less of everything"):

* Intense feeling is not numbness. When felt intensity is above baseline, or negative
  affect has risen while felt intensity has not dropped (a sad or anxious episode), the
  day cannot count towards blunting.
* Breadth. The day counts only if there is *dampening* (felt intensity below baseline,
  or variability of both pleasant and unpleasant affect well below it) *and* an
  *absence-of-feeling* sign (the mean of the range, feelings-named-per-check-in,
  empty-check-in and symptom z-scores is above `numbness_min_z`). Lower intensity and
  variability alone is an anxious client calming down, not blunting.

A gated day contributes at most `gated_cap` (0) to the detector, so it pulls the CUSUM
back down.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .baseline import Baseline
from .measures import DayMeasures
from .params import Params

# measure -> +1 when higher means more blunted, -1 when lower does
DIRECTION: dict[str, int] = {
    "felt_intensity": -1,
    "emotional_range": -1,
    "emodiversity": -1,
    "empty_share": +1,
    "feelings_per_checkin": -1,
    "symptom_score": +1,
    "positive_affect_sd": -1,
    "negative_affect_sd": -1,
    "positive_affect_rmssd": -1,
    "negative_affect_rmssd": -1,
}

NUMBNESS_COMPONENTS = ("range", "feelings", "empty", "symptoms")
POPULATION_COMPONENTS = ("intensity", "empty", "symptoms")
# Components measured on the day itself (no trailing window). Only these decide whether a
# day is "clearly blunted" for persistence: window measures lag, so they would stretch
# a 3-4 day dip into a week-long one.
SAME_DAY_COMPONENTS = ("intensity", "feelings", "empty", "symptoms")


def blunting_z(
    value: float | None, measure: str, baseline: Baseline, params: Params
) -> float | None:
    """Robust z-score of one value, positive in the blunting direction, clipped."""
    if value is None:
        return None
    norm = baseline.norms[measure]
    z = DIRECTION[measure] * (value - norm.median) / norm.scale
    return max(-params.z_clip, min(params.z_clip, z))


def _mean_of(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def components(m: DayMeasures, baseline: Baseline, params: Params) -> dict[str, float]:
    """The index components available on this day (missing measures are left out)."""

    def z(measure: str) -> float | None:
        return blunting_z(m.value(measure), measure, baseline, params)

    found = {
        "intensity": z("felt_intensity"),
        "range": z("emotional_range"),
        "emodiversity": z("emodiversity"),
        "empty": z("empty_share"),
        "feelings": z("feelings_per_checkin"),
        "symptoms": z("symptom_score"),
        "pleasant_variability": _mean_of([z("positive_affect_sd"), z("positive_affect_rmssd")]),
        "unpleasant_variability": _mean_of([z("negative_affect_sd"), z("negative_affect_rmssd")]),
    }
    if baseline.source == "population":
        # How many and which feelings a person names is a habit (one word always, or the
        # whole wheel): against population defaults it reads as blunting from day one.
        # Until there is a personal baseline only intensity, empty check-ins and symptoms
        # count; they still show a client who joins already numb.
        found = {name: found[name] for name in POPULATION_COMPONENTS}
    return {name: value for name, value in found.items() if value is not None}


@dataclass(frozen=True)
class IndexValue:
    """The day's index and whether a policy rule held it at or below zero."""

    value: float
    same_day: float  # the same, from same-day components only
    gated_by: str | None  # None | "intensity" | "negative_affect" | "breadth"


def blunting_index(m: DayMeasures, baseline: Baseline, params: Params) -> IndexValue:
    """Weighted mean of the components, then the 'less of everything' rules."""
    parts = components(m, baseline, params)
    raw = _weighted_mean(parts, params)
    same_day = _weighted_mean(
        {name: v for name, v in parts.items() if name in SAME_DAY_COMPONENTS}, params
    )

    intensity = parts["intensity"]  # always present: every observed day has a rating
    if intensity < params.gate_opposite_intensity:
        return _gated(raw, same_day, "intensity", params)
    na = baseline.norms["negative_affect"]
    negative_rise = (m.negative_affect - na.median) / na.scale
    if negative_rise >= params.gate_negative_affect_rise and intensity < params.breadth_min_z:
        return _gated(raw, same_day, "negative_affect", params)

    flatter = [parts.get("pleasant_variability"), parts.get("unpleasant_variability")]
    present = [v for v in flatter if v is not None]
    dampened = intensity >= params.breadth_min_z or (
        bool(present) and min(present) >= params.flatness_min_z
    )
    numbness = [parts[name] for name in NUMBNESS_COMPONENTS if name in parts]
    numb = bool(numbness) and statistics.fmean(numbness) >= params.numbness_min_z
    if not (dampened and numb):
        return _gated(raw, same_day, "breadth", params)
    return IndexValue(raw, same_day, None)


def _weighted_mean(parts: dict[str, float], params: Params) -> float:
    weights = params.weights
    return sum(weights[name] * v for name, v in parts.items()) / sum(weights[n] for n in parts)


def _gated(raw: float, same_day: float, rule: str, params: Params) -> IndexValue:
    cap = params.gated_cap
    return IndexValue(min(raw, cap), min(same_day, cap), rule)

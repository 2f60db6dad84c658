"""The daily blunting evidence: a composite of robust z-scores, with two guards.

Each measure becomes a z-score against the baseline, signed so that a positive value
always means "in the blunting direction" (less intensity, fewer feelings named, more
check-ins naming nothing, more numbness symptoms, a narrower range, less movement of
pleasant and unpleasant affect), clipped so no single measure can carry the day alone. The composite is their weighted mean. What the CUSUM then adds
up is that composite, except:

* **Intense feeling is not numbness.** When felt intensity is above baseline, or
  unpleasant affect has risen while felt intensity has not dropped (a sad or anxious
  day), the day's evidence is zeroed out: at most 0, so it drains the sum.
* **Absence of feeling.** Lower intensity and calmer affect alone is an anxious client
  calming down, not blunting. A day's positive evidence is scaled by how clearly it
  shows an *absence-of-feeling* sign (fewer feelings named, more empty check-ins, more
  numbness symptoms): the mean of those z-scores, from `absence_floor` (0.35) at or
  below 0 to full weight at `absence_full_z`. Continuous rather than a hard bar, and
  never quite zero: a one-word or few-word client who skips the symptom items shows no
  absence sign on most blunted days, and a partial blunting (intensity down, the words
  unchanged) shows it only on some; at 0.35 a calm day still needs a composite of
  about 1.7 to pass the CUSUM's reference k.
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

# The signs that feeling is absent, not merely quieter (see the module docstring).
ABSENCE_COMPONENTS = ("feelings", "empty", "symptoms")
# Against population defaults only these count: how many and which feelings a person
# names is a habit (one word always, or the whole wheel), read as blunting from day one.
POPULATION_COMPONENTS = ("intensity", "empty", "symptoms")


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
    """The composite's components available on this day (missing measures left out)."""

    def z(measure: str) -> float | None:
        return blunting_z(m.value(measure), measure, baseline, params)

    found = {
        "intensity": z("felt_intensity"),
        "feelings": z("feelings_per_checkin"),
        "empty": z("empty_share"),
        "symptoms": z("symptom_score"),
        "range": z("emotional_range"),
        "pleasant_variability": _mean_of([z("positive_affect_sd"), z("positive_affect_rmssd")]),
        "unpleasant_variability": _mean_of([z("negative_affect_sd"), z("negative_affect_rmssd")]),
    }
    if baseline.source == "population":
        found = {name: found[name] for name in POPULATION_COMPONENTS}
    weights = params.weights
    return {name: value for name, value in found.items() if value is not None and weights[name] > 0}


@dataclass(frozen=True)
class IndexValue:
    """The day's evidence, and which guard (if any) zeroed it out."""

    value: float
    guarded_by: str | None  # None | "intensity" | "negative_affect"


def blunting_index(m: DayMeasures, baseline: Baseline, params: Params) -> IndexValue:
    """Weighted mean of the components, guarded and scaled by the absence of feeling."""
    na = baseline.norms["negative_affect"]
    return evidence(
        components(m, baseline, params), (m.negative_affect - na.median) / na.scale, params
    )


def evidence(parts: dict[str, float], unpleasant_z: float, params: Params) -> IndexValue:
    """The day's evidence from its components and how far unpleasant affect rose (in
    robust SDs, unsigned by blunting direction)."""
    raw = sum(params.weights[n] * v for n, v in parts.items()) / sum(
        params.weights[n] for n in parts
    )
    intensity = parts["intensity"]  # always present: every observed day has a rating
    if intensity < params.guard_intensity_above:
        return IndexValue(min(raw, 0.0), "intensity")
    if unpleasant_z >= params.guard_unpleasant_rise and intensity < params.guard_intensity_down:
        return IndexValue(min(raw, 0.0), "negative_affect")
    if raw <= 0:  # evidence against blunting counts in full
        return IndexValue(raw, None)
    absence = [parts[name] for name in ABSENCE_COMPONENTS if name in parts]
    share = statistics.fmean(absence) / params.absence_full_z if absence else 0.0
    return IndexValue(raw * max(params.absence_floor, min(1.0, share)), None)

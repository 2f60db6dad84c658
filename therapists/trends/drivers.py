"""Plain-language drivers: which measures moved, with before -> after figures.

"Before" is the baseline the episode is measured against (frozen at its onset); "after"
is the last week of check-ins. A measure is named only if it moved at least
`driver_min_z` robust SDs *in the blunting direction*, so a driver never reports a change
that argues against the flag. The wording carries numbers only, never clinical free text.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from .baseline import Baseline
from .index import blunting_z
from .measures import DayMeasures
from .params import Params


def _mean(recent: Sequence[DayMeasures], measure: str) -> float | None:
    values = [v for v in (m.value(measure) for m in recent) if v is not None]
    return statistics.fmean(values) if values else None


def _share_phrase(share: float) -> str:
    if 0.45 <= share <= 0.55:
        return f"Half of check-ins ({share:.0%})"
    if share > 0.55:
        return f"Most check-ins ({share:.0%})"
    return f"{share:.0%} of check-ins"


def _moved(
    recent: Sequence[DayMeasures],
    baseline: Baseline,
    params: Params,
    measures: Sequence[str],
) -> tuple[float, float, float, str] | None:
    """(z, before, after) for the first measure of a group that moved far enough."""
    scored = []
    for measure in measures:
        after = _mean(recent, measure)
        z = blunting_z(after, measure, baseline, params)
        if after is not None and z is not None and z >= params.driver_min_z:
            scored.append((z, baseline.norms[measure].median, after, measure))
    return max(scored) if scored else None


POPULATION_NOTE = "Compared with typical values: too few earlier check-ins for a personal baseline"

Phrase = Callable[[float, float, str], str]
POPULATION_DRIVERS = ("felt_intensity", "symptom_score")  # + empty check-ins (see index)


def _variability_phrase(valence: str) -> Phrase:
    def phrase(before: float, after: float, measure: str) -> str:
        label = "spread across days" if measure.endswith("_sd") else "typical day-to-day change"
        return f"{valence} feelings moved less from day to day ({label} {before:.1f} → {after:.1f})"

    return phrase


# (measures tried, wording); the first figure is the baseline, the second the last week
SIMPLE_DRIVERS: tuple[tuple[tuple[str, ...], Phrase], ...] = (
    (("felt_intensity",), lambda b, a, _: f"Felt intensity {b:.1f} → {a:.1f}"),
    (
        ("emodiversity",),
        lambda b, a, _: f"Emodiversity (spread of feelings named) fell from {b:.1f} to {a:.1f}",
    ),
    (("positive_affect_sd", "positive_affect_rmssd"), _variability_phrase("Pleasant")),
    (("negative_affect_sd", "negative_affect_rmssd"), _variability_phrase("Unpleasant")),
    (
        ("symptom_score",),
        lambda b, a, _: f"Numbness symptoms rose from {b:.1f} to {a:.1f} (of 18)",
    ),
)


def _range_driver(
    recent: Sequence[DayMeasures], baseline: Baseline, params: Params
) -> tuple[float, str] | None:
    """Distinct feelings per week, shown raw but judged on the rarefied range.

    The raw weekly count is what a therapist recognises, but it also falls when a client
    simply checks in less; so the sampling-adjusted range decides, and the raw figures
    must agree before the sentence is shown.
    """
    moved = _moved(recent, baseline, params, ("emotional_range",))
    if moved is None:
        return None
    before = baseline.norms["distinct_emotions_7d"].median
    after = recent[-1].distinct_emotions_7d
    if after >= before:
        return None
    return moved[0], f"Distinct feelings per week fell from {before:.0f} to {after}"


def _empty_driver(
    recent: Sequence[DayMeasures], baseline: Baseline, params: Params
) -> tuple[float, str] | None:
    """Share of check-ins naming no feeling, pooled over the week's check-ins."""
    total = sum(m.checkins for m in recent)
    share = sum(m.empty_share * m.checkins for m in recent) / total
    z = blunting_z(share, "empty_share", baseline, params)
    before = baseline.norms["empty_share"].median
    if z is None or z < params.driver_min_z or share <= before:
        return None
    return z, f"{_share_phrase(share)} named no feeling, up from {before:.0%}"


def describe_drivers(
    recent: Sequence[DayMeasures], baseline: Baseline, params: Params
) -> tuple[str, ...]:
    """Driver sentences in a fixed, reader-first order.

    The order is the one a therapist reads a blunting picture in (how much can they
    feel, how many feelings, naming nothing, symptoms, then the finer measures); ranking
    by z would reshuffle it from week to week, since strong moves all clip at the same z.
    """
    if not recent:
        return ()
    simple = {}
    population = baseline.source == "population"
    for measures, phrase in SIMPLE_DRIVERS:
        if population and measures[0] not in POPULATION_DRIVERS:
            continue  # vocabulary and variability habits are not compared with strangers
        moved = _moved(recent, baseline, params, measures)
        if moved is not None:
            _, before, after, measure = moved
            simple[measures[0]] = phrase(before, after, measure)
    special = {
        "range": None if population else _range_driver(recent, baseline, params),
        "empty": _empty_driver(recent, baseline, params),
    }
    ordered = [
        simple.get("felt_intensity"),
        special["range"] and special["range"][1],
        special["empty"] and special["empty"][1],
        simple.get("symptom_score"),
        simple.get("emodiversity"),
        simple.get("positive_affect_sd"),
        simple.get("negative_affect_sd"),
    ]
    sentences = tuple(text for text in ordered if text)
    if sentences and baseline.source == "population":
        sentences += (POPULATION_NOTE,)
    return sentences

"""advance(): a saved per-client state, stepped day by day, gives exactly what assess gives."""

import itertools
import json
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from therapists.trends import (
    EngineState,
    LateData,
    MedicationEvent,
    ScreenResult,
    advance,
    assess,
)

from .test_engine import blunted_checkin, build, normal_checkin, sad_checkin

START = date(2026, 1, 1)
KINDS = {"normal": normal_checkin, "blunted": blunted_checkin, "sad": sad_checkin}
SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _summary(a):
    """Everything but the chart span (which `advance` returns only for its own days)."""
    return (
        a.level,
        a.onset,
        a.drivers,
        a.related_medication_events,
        a.suggest_phq9,
        a.raised_on,
        a.escalation_reason,
        a.baseline,
    )


@st.composite
def histories(draw):
    """Segments of normal / blunted / sad days, some days missing, and where to cut it."""
    kinds = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(sorted(KINDS)))
        kinds += [KINDS[kind]] * draw(st.integers(2, 40))
    kinds = [normal_checkin] * draw(st.integers(10, 40)) + kinds
    skip = set(draw(st.sets(st.integers(1, len(kinds) - 2), max_size=len(kinds) // 3)))
    days = build(kinds, seed=draw(st.integers(0, 999)), skip=skip)
    cuts = sorted(draw(st.sets(st.integers(1, len(days) - 1), max_size=6)))
    return days, cuts


def _events(days):
    onset_guess = days[len(days) // 2].date
    return [
        MedicationEvent("m1", "sertraline", "start", "50 mg", onset_guess - timedelta(days=5)),
        MedicationEvent("m2", "vitamin d", "stop", None, days[0].date),
    ]


@SLOW
@given(histories())
def test_advancing_in_chunks_through_saved_states_equals_one_full_assessment(history):
    days, cuts = history
    events = _events(days)
    today = days[-1].date + timedelta(days=2)  # a day or two after the last check-in
    full = assess(days, events, today=today)

    state = EngineState()
    chart = []
    bounds = [0, *cuts, len(days)]
    for lo, hi in itertools.pairwise(bounds):
        chunk = days[lo:hi]
        last = hi == len(days)
        step_today = today if last else chunk[-1].date
        state, part = advance(state, chunk, events, today=step_today)
        chart += part.days
        # what a database would store: plain JSON, read back before the next day
        state = EngineState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert _summary(part) == _summary(full)
    assert tuple(chart) == full.days


def test_advance_does_not_change_the_given_state():
    days = build([normal_checkin] * 30 + [blunted_checkin] * 10)
    state, _ = advance(EngineState(), days[:20], today=days[19].date)
    saved = json.dumps(state.to_dict())
    advance(state, days[20:], today=days[-1].date)
    assert json.dumps(state.to_dict()) == saved


def test_a_late_day_raises_and_a_recompute_from_an_earlier_state_agrees():
    days = build([normal_checkin] * 50 + [blunted_checkin] * 20, skip={55})
    checkpoint, _ = advance(EngineState(), days[:40], today=days[39].date)
    later, _ = advance(checkpoint, days[40:], today=days[-1].date)
    late = build([normal_checkin] * 50 + [blunted_checkin] * 20)[55]  # the skipped day
    with pytest.raises(LateData):
        advance(later, [late], today=days[-1].date)
    everything = sorted([*days, late], key=lambda d: d.date)
    _, redone = advance(checkpoint, everything[40:], today=days[-1].date)
    assert _summary(redone) == _summary(assess(everything, today=days[-1].date))


def test_a_late_phq9_raises_but_a_new_one_is_taken():
    days = build([normal_checkin] * 50 + [blunted_checkin] * 20)
    state, _ = advance(EngineState(), days[:60], today=days[59].date)
    with pytest.raises(LateData):
        advance(state, days[60:], today=days[-1].date, phq9=[ScreenResult(days[55].date, 12)])
    taken = days[65].date
    _, result = advance(state, days[60:], today=days[-1].date, phq9=[ScreenResult(taken, 12)])
    full = assess(days, today=days[-1].date, phq9=[ScreenResult(taken, 12)])
    assert _summary(result) == _summary(full)


def test_a_state_from_other_parameters_or_version_is_refused():
    from dataclasses import replace

    from therapists.trends import DEFAULT_PARAMS

    data = advance(EngineState(), build([normal_checkin] * 5), today=START + timedelta(4))[0]
    saved = data.to_dict()
    with pytest.raises(LateData):
        EngineState.from_dict(saved, replace(DEFAULT_PARAMS, cusum_k=0.4))
    with pytest.raises(LateData):
        EngineState.from_dict({**saved, "version": -1})


def test_state_size_does_not_grow_with_history():
    rng = random.Random(4)
    kinds = [normal_checkin] * 1100
    days = build(kinds, skip={i for i in range(1100) if rng.random() < 0.2})
    state = EngineState()
    sizes = []
    for i in range(0, len(days), 50):
        state, _ = advance(state, days[i : i + 50], today=days[min(i + 49, len(days) - 1)].date)
        sizes.append(len(json.dumps(state.to_dict())))
    assert max(sizes[4:]) < 1.3 * min(sizes[4:])  # bounded once the baseline pool is full

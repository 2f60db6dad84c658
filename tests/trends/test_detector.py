"""The detector's onset fit: the fast least-squares sums agree with the direct ones, and
once flagged the onset only moves earlier, until it is fixed."""

import random
from collections import deque
from datetime import date, timedelta
from itertools import pairwise

from therapists.trends import DEFAULT_PARAMS, EngineState, advance, level_rank
from therapists.trends.detector import Detector

from .test_engine import START, blunted_checkin, build, normal_checkin


def direct_fit(points, start, params=DEFAULT_PARAMS):
    """The onset fit written out: every start day and ramp, sums taken point by point."""
    best, onset = 0.0, start
    for i, (t0, _) in enumerate(points):
        if (start - t0).days > params.onset_lookback_days:
            continue
        for r in params.onset_ramps:
            num = den = 0.0
            for t, x in points[i:]:
                u = min(1.0, ((t - t0).days + 1) / r)
                num += u * x
                den += u * u
            if num > 0 and num * num / den > best:
                best, onset = num * num / den, t0
    return onset


def test_onset_fit_equals_the_direct_least_squares():
    rng = random.Random(3)
    for _ in range(500):
        day, points = date(2026, 1, 1), []
        for _ in range(rng.randint(1, 60)):
            day += timedelta(days=rng.choice((1, 1, 1, 2, 3, 6)))
            points.append((day, rng.gauss(0.3, 1.0)))
        detector = Detector(DEFAULT_PARAMS)
        detector._trail = deque(points)
        start = rng.choice(points)[0]
        assert detector._estimate_onset(start) == direct_fit(points, start)


def slow_onset_days(seed):
    """Blunted check-ins from day 60 on, on a share of days that grows over three weeks."""
    rng = random.Random(seed)
    kinds = [normal_checkin] * 60
    for i in range(60):
        share = min(1.0, (i + 1) / 21)
        kinds.append(blunted_checkin if rng.random() < share else normal_checkin)
    return build(kinds, seed=seed)


def test_after_the_flag_the_onset_only_moves_earlier_and_is_then_fixed():
    """A slow onset is flagged on a fit that dates it late; the days after the flag show
    the ramp's start, which moves the onset (and the 28-day escalation clock) earlier."""
    onset_day = START + timedelta(days=60)
    moved = 0
    for seed in (1, 2, 3, 4):
        state, onsets = EngineState(), []
        for day in slow_onset_days(seed):
            state, result = advance(state, [day], today=day.date)
            if level_rank(result.level) >= 2:
                onsets.append((day.date, result.level, result.onset))
        assert onsets, "a three-week onset is flagged"
        assert all(b[2] <= a[2] for a, b in pairwise(onsets))
        final = onsets[-1][2]
        assert abs((final - onset_day).days) <= 7
        moved += final < onsets[0][2]
        # fixed once escalated (and at most 28 days after the onset in any case)
        escalated = [o for d, level, o in onsets if level == "escalated"]
        assert escalated and len(set(escalated)) == 1
    assert moved >= 2

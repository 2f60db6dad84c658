"""Family `ramps`: slow and partial onsets.

What differs from `classic`: onsets build over 1 to 21 days (classic: at most 14), and
half of the blunting clients blunt only in part: either pleasant feelings fade first and
the rest follows 4-10 days later (the anhedonic start many SSRI users describe, Price et
al. 2009), or felt intensity and affect drop while the client keeps naming the same range
of words ("I still say 'content', I just don't feel it"). Everything else is the broad
population: 1-2 evening check-ins on 60-95 % of days, one time zone.
"""

from __future__ import annotations

import random

from .base import choose, draw_style
from .common import MIX, evening, make_client

NAME = "ramps"
ROLE = "tuning"
MODES = (("full", 0.5), ("pleasant_first", 0.25), ("intensity_only", 0.25))


def generate(seed: int, clients: int) -> list:
    rng = random.Random(f"{NAME}:{seed}")
    out = []
    for i in range(clients):
        kind = choose(rng, MIX)
        mode = choose(rng, MODES)
        ramp_days = rng.randint(1, 21)
        style = draw_style(rng)
        per_day = rng.choice((1, 1, 2))

        def schedule(r, t, day, n=per_day):
            return evening(r, n if r.random() < 0.8 else 1)

        out.append(
            make_client(
                rng,
                NAME,
                i,
                kind,
                style,
                schedule,
                mode=mode,
                ramp_days=ramp_days,
                day_prob=rng.uniform(0.6, 0.95),
                notes={
                    "mode": mode,
                    "ramp": "≤ 7" if ramp_days <= 7 else "8–14" if ramp_days <= 14 else "15–21",
                },
            )
        )
    return out

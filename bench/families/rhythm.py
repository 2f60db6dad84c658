"""Family `rhythm`: when and how often people check in.

What differs from `classic`: the check-in pattern. Once a day at a fixed hour; twice
(morning and evening); several (3-6) times a day; weekends only (Saturday and Sunday,
1-3 check-ins); or sparse (25-50 % of days). A third of clients also miss one to three
whole weeks (holidays, a lost phone). Onsets ramp over 1-10 days, full blunting.
Weekend-only clients have at most four check-in days between onset and onset + 14:
the benchmark reports them as a subgroup, since no detector can be sure from two
weekends.
"""

from __future__ import annotations

import random

from .base import choose, draw_style
from .common import MIX, evening, make_client

NAME = "rhythm"
ROLE = "tuning"
PATTERNS = (
    ("once", 0.25),
    ("twice", 0.2),
    ("several", 0.2),
    ("weekends", 0.15),
    ("sparse", 0.2),
)


def generate(seed: int, clients: int) -> list:
    rng = random.Random(f"{NAME}:{seed}")
    out = []
    for i in range(clients):
        kind = choose(rng, MIX)
        pattern = choose(rng, PATTERNS)
        style = draw_style(rng)
        hour = rng.randint(7, 22)
        missing: list[int] = []
        if rng.random() < 1 / 3:
            missing = [rng.randrange(0, 125) for _ in range(rng.randint(1, 3))]

        def schedule(r, t, day, pattern=pattern, hour=hour, missing=tuple(missing)):
            if any(m <= t < m + 7 for m in missing):
                return []
            if pattern == "weekends":
                return evening(r, r.randint(1, 3), 9, 21) if day.weekday() >= 5 else []
            if pattern == "twice":
                return [(r.randint(7, 9), r.randrange(60)), (r.randint(19, 22), r.randrange(60))]
            if pattern == "several":
                return evening(r, r.randint(3, 6), 7, 22)
            return [(min(23, max(0, hour + r.randint(-1, 1))), r.randrange(60))]

        day_prob = {
            "once": rng.uniform(0.7, 0.95),
            "twice": rng.uniform(0.7, 0.95),
            "several": rng.uniform(0.7, 0.95),
            "weekends": 0.85,
            "sparse": rng.uniform(0.25, 0.5),
        }[pattern]
        out.append(
            make_client(
                rng,
                NAME,
                i,
                kind,
                style,
                schedule,
                ramp_days=rng.randint(1, 10),
                day_prob=day_prob,
                notes={"pattern": pattern, "missing weeks": "yes" if missing else "no"},
            )
        )
    return out

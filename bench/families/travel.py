"""Family `travel` (HELD OUT: written last, evaluated once, reported apart).

Different in kind from the tuning families, by combining what real check-ins do that
none of them does alone:

* a time-zone move: on a random day the phone's UTC offset changes by 5-9 hours (a move
  or a long trip), and the client keeps checking in at the same *local* hours;
* odd hours: night owls check in between 22:00 and 02:00 local time, so part of an
  "evening" lands on the next local date (two check-in days, or one doubled);
* several check-ins a day (2-5) on some days, one on others;
* one or two missing weeks;
* every blunting client is a mixture: full, pleasant-first or intensity-only blunting,
  ramps of 1-21 days, and any vocabulary habit (few, usual, many words).

The engine's parameters were not chosen on this family.
"""

from __future__ import annotations

import random

from .base import PLEASANT, UNPLEASANT, choose, draw_style
from .common import MIX, make_client

NAME = "travel"
ROLE = "held-out"
MODES = (("full", 0.4), ("pleasant_first", 0.3), ("intensity_only", 0.3))


def generate(seed: int, clients: int) -> list:
    rng = random.Random(f"{NAME}:{seed}")
    out = []
    for i in range(clients):
        kind = choose(rng, MIX)
        mode = choose(rng, MODES)
        style = draw_style(rng)
        habit = rng.choice(("few", "usual", "many"))
        if habit == "few":
            style.words_mean, style.words_sd = rng.uniform(0.6, 1.3), 0.5
        elif habit == "many":
            style.words_mean, style.words_sd = rng.uniform(4.0, 6.0), 1.5
            style.weights = {s: rng.uniform(0.5, 1.5) for s in PLEASANT + UNPLEASANT}
        night_owl = rng.random() < 0.5
        home = rng.choice((-8, -5, 0, 1, 2, 5.5, 8, 10))
        moved = home + rng.choice((-9, -7, -5, 5, 7, 9))
        move_day = rng.randrange(20, 120)
        missing = [rng.randrange(0, 125) for _ in range(rng.randint(0, 2))]

        def schedule(r, t, day, night_owl=night_owl, missing=tuple(missing)):
            if any(m <= t < m + 7 for m in missing):
                return []
            n = r.choice((1, 1, 2, 3, 5))
            if night_owl:  # 22:00-01:59, hours past 24 spill into the next local date
                return sorted((r.randint(22, 25), r.randrange(60)) for _ in range(n))
            return sorted((r.randint(7, 23), r.randrange(60)) for _ in range(n))

        def offset(t, home=home, moved=moved, move_day=move_day):
            return home if t < move_day else moved

        out.append(
            make_client(
                rng,
                NAME,
                i,
                kind,
                style,
                schedule,
                mode=mode,
                ramp_days=rng.randint(1, 21),
                day_prob=rng.uniform(0.55, 0.95),
                offset_hours=offset,
                notes={"mode": mode, "habit": habit, "night owl": "yes" if night_owl else "no"},
            )
        )
    return out

"""Family `vocab`: different vocabulary habits.

What differs from `classic`: how people name feelings. A quarter name few (0.5-1.2 a
check-in, often none), a quarter many (4-7, the whole wheel), a quarter nearly always the
same word ("okay-ish" people: 85 % of their named check-ins are one favourite slug), the
rest as usual; a third never answer the symptom items at all (skipping optional
questions is common). The vocabulary is the seeded wheel (110+ feelings), not a
hand-picked list. Onsets ramp over 1-14 days; one blunting client in five starts with
pleasant feelings fading.
"""

from __future__ import annotations

import random

from .base import PLEASANT, UNPLEASANT, choose, draw_style
from .common import MIX, evening, make_client

NAME = "vocab"
ROLE = "tuning"
HABITS = (("few", 0.25), ("many", 0.25), ("same", 0.25), ("usual", 0.25))


def _style(rng: random.Random, habit: str):
    style = draw_style(rng)
    if habit == "few":
        style.words_mean, style.words_sd = rng.uniform(0.5, 1.2), 0.5
        style.empty_prob = rng.uniform(0.05, 0.25)
    elif habit == "many":
        style.words_mean, style.words_sd = rng.uniform(4.0, 7.0), 1.5
        style.weights = {s: rng.uniform(0.5, 1.5) for s in PLEASANT + UNPLEASANT}
    elif habit == "same":
        style.words_mean, style.words_sd = 1.0, 0.3
        style.same_word = rng.choice(("content", "peaceful", "tired", "stressed", "hopeful"))
    if rng.random() < 1 / 3:
        style.symptom_prob = 0.0
    assert UNPLEASANT  # the wheel has both valences
    return style


def generate(seed: int, clients: int) -> list:
    rng = random.Random(f"{NAME}:{seed}")
    out = []
    for i in range(clients):
        kind = choose(rng, MIX)
        habit = choose(rng, HABITS)
        style = _style(rng, habit)
        mode = "pleasant_first" if rng.random() < 0.2 else "full"
        per_day = rng.choice((1, 2, 3))

        def schedule(r, t, day, n=per_day):
            return evening(r, r.randint(1, n), 8, 22)

        out.append(
            make_client(
                rng,
                NAME,
                i,
                kind,
                style,
                schedule,
                mode=mode,
                ramp_days=rng.randint(1, 14),
                day_prob=rng.uniform(0.55, 0.95),
                notes={"habit": habit, "symptoms": "never" if style.symptom_prob == 0 else "some"},
            )
        )
    return out

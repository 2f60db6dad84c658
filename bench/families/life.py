"""Family `life` (HELD OUT in round 4: written after the round's tuning, evaluated once
with the final engine, reported apart; do not tune on it).

What differs from the tuning families and from `travel`: things that happen in a life,
around the check-ins, rather than check-in habits.

Never blunting (hard negatives):

* bereavement: a sad episode of 2-5 weeks (intense grief, more fatigue, lost interest
  and disconnection, then a long tail of less pleasure and a little more fatigue while
  the sadness recedes);
* holiday: 1-2 weeks of more pleasant feelings and more felt, checking in on a third of
  the days, then back to ordinary life (which, against holiday weeks, looks flatter);
* illness: 1-3 weeks of being unwell: felt intensity a little down, fatigue up (one of
  the six numbness items), "tired" named more, and checking in on a fifth of the days;
* an SSRI start after which the client calms (less unpleasant feeling, no numbness);
* stable clients, 3-4 day dips, and anxious clients calming down, as elsewhere.

Blunting:

* after a medication change: an SSRI start or dose increase, then blunting 7-28 days
  later (the tuning families: 2-21), ramping over 3-21 days, full or partial (pleasant
  feelings first, or intensity only); a third of them were prescribed after a
  bereavement that ends before the start;
* after overwhelm: 2-4 weeks of anxiety, then numbness ramping in over 3-21 days as the
  anxiety falls away (the baseline is the anxious weeks, as for a client calming down).

Anyone may also have an illness week (a fifth of clients) and unrelated medication events.
Check-in habits are the broad population's (1-3 check-ins on 50-95 % of days).
"""

from __future__ import annotations

import random
from datetime import timedelta

from .base import (
    SSRIS,
    Latent,
    Synthetic,
    Truth,
    background_events,
    blunting_latent,
    choose,
    draw_style,
    medication,
    ramp,
    simulate,
)
from .common import FIRST_DAY, evening

NAME = "life"
ROLE = "held-out"
DAYS = 130
MIX = (
    ("stable", 0.18),
    ("bereavement", 0.12),
    ("holiday", 0.10),
    ("illness", 0.10),
    ("dip", 0.07),
    ("med_no_change", 0.08),
    ("calming", 0.05),
    ("medication", 0.17),
    ("blunting", 0.13),
)
MODES = (("full", 0.5), ("pleasant_first", 0.25), ("intensity_only", 0.25))


def _grief(t: int, start: int, length: int) -> Latent:
    """Intense sadness for the first half, then a tail of less pleasure as it recedes."""
    if not start <= t < start + length:
        return Latent()
    half = length // 2
    if t < start + half:
        return Latent(sad=min(1.0, (t - start + 1) / 2))
    fade = 1 - (t - start - half) / max(1, length - half)
    return Latent(sad=0.6 * fade, pleasant=0.35 * fade, symptoms=0.15 * fade)


def _client(rng: random.Random, number: int) -> Synthetic:
    kind = choose(rng, MIX)
    mode = choose(rng, MODES) if kind in ("medication", "blunting") else "full"
    style = draw_style(rng)
    client = f"{NAME}-{number:04d}"
    first = FIRST_DAY + timedelta(days=rng.randrange(120))
    truth = Truth(
        client=client,
        family=NAME,
        kind=kind,
        first_day=first,
        last_day=first + timedelta(days=DAYS - 1),
        mode=mode,
        notes={"event": kind, "mode": mode},
    )
    day_prob = rng.uniform(0.5, 0.95)
    per_day = rng.choice((1, 1, 2, 3))
    base_fatigue = style.symptom_means["fatigue"]
    records: list[dict] = []

    # an illness week anyone may have (and every `illness` client has)
    ill: tuple[int, int] | None = None
    if kind == "illness" or rng.random() < 0.2:
        ill = (rng.randrange(20, DAYS - 25), rng.randint(7, 21))
    truth.notes["illness"] = "yes" if ill else "no"

    parts: list = []  # (first day, length, latent function of t) segments, in order
    thin: list[tuple[int, int, float]] = []  # (first, length, day-probability factor)
    onset = None
    if kind == "bereavement":
        start, length = rng.randrange(30, DAYS - 40), rng.randint(14, 35)
        parts.append(lambda t, s=start, n=length: _grief(t, s, n))
    elif kind == "holiday":
        start, length = rng.randrange(30, DAYS - 30), rng.randint(7, 14)
        thin.append((start, length, 0.35))

        def holiday(t, s=start, n=length):
            if s <= t < s + n:
                return Latent(intensity=-0.3, pleasant=-0.5, unpleasant=0.3)
            return Latent()

        parts.append(holiday)
    elif kind == "dip":
        start, length = rng.randrange(35, DAYS - 14), rng.randint(3, 4)
        depth = rng.uniform(0.8, 1.0)
        truth.dip = (first + timedelta(days=start), first + timedelta(days=start + 3))

        def dip(t, s=start, n=length, d=depth):
            b = d if s <= t < s + n else 0.0
            return Latent(intensity=b, pleasant=b, unpleasant=b, words=b, symptoms=b)

        parts.append(dip)
    elif kind == "calming":
        start, length = rng.randrange(25, DAYS - 30), rng.randint(7, 21)
        parts.append(
            lambda t, s=start, n=length: Latent(
                anxious=1.0 if t < s else max(0.15, 1 - (t - s) / n)
            )
        )
    elif kind in ("medication", "med_no_change"):
        name, dose = rng.choice(SSRIS)
        if kind == "medication":
            start = rng.randrange(30, DAYS - 50)
            onset = start + rng.randint(7, 28)
            if rng.random() < 1 / 3:  # prescribed after a bereavement
                length = rng.randint(14, 28)
                g0 = max(5, start - length - rng.randint(0, 7))
                parts.append(lambda t, s=g0, n=length: _grief(t, s, n))
                truth.notes["event"] = "medication after bereavement"
        else:
            start = rng.randrange(20, DAYS - 20)

            def calmer(t, s=start):
                return Latent(unpleasant=0.3) if t >= s + 10 else Latent()

            parts.append(calmer)
        truth.trigger_id = f"{client}-ssri"
        records.append(
            medication(
                client,
                truth.trigger_id,
                name,
                rng.choice(("start", "increase")),
                dose,
                first + timedelta(days=start),
            )
        )
    elif kind == "blunting":  # after overwhelm: anxious weeks, then numbness
        a0 = rng.randrange(20, DAYS - 60)
        onset = a0 + rng.randint(14, 28)

        def overwhelm(t, a=a0, o=onset):
            if a <= t < o:
                return Latent(anxious=1.0)
            return Latent()

        parts.append(overwhelm)
        truth.notes["event"] = "blunting after overwhelm"

    if onset is not None:
        truth.onset = first + timedelta(days=onset)
        truth.ramp = rng.randint(3, 21)
        depth = rng.uniform(0.5, 1.0)
        late = rng.randint(4, 10) if mode == "pleasant_first" else 0

        def blunt(t, o=onset, r=truth.ramp, d=depth, lag=late):
            return blunting_latent(mode, d * ramp(t, o, r), d * ramp(t, o + lag, r))

        parts.append(blunt)

    def latent(t: int) -> Latent:
        total = Latent()
        for part in parts:
            lat = part(t)
            for field in ("intensity", "pleasant", "unpleasant", "words", "symptoms"):
                setattr(total, field, getattr(total, field) + getattr(lat, field))
            total.sad = max(total.sad, lat.sad)
            total.anxious = max(total.anxious, lat.anxious)
        sick = ill is not None and ill[0] <= t < ill[0] + ill[1]
        # illness: fatigue up (read by the simulator from the style, day by day)
        style.symptom_means["fatigue"] = base_fatigue + (1.5 if sick else 0.0)
        if sick:
            total.intensity += 0.25
            total.words += 0.15
        return total

    def check_prob(t: int, lat: Latent) -> float:
        prob = day_prob * (1 - 0.2 * max(0.0, lat.words))
        if ill is not None and ill[0] <= t < ill[0] + ill[1]:
            prob *= 0.25
        for s, n, factor in thin:
            if s <= t < s + n:
                prob *= factor
        return prob

    def schedule(r, t, day, n=per_day):
        return evening(r, r.randint(1, n), 8, 22)

    records = simulate(rng, truth, style, latent, schedule, check_prob=check_prob) + records
    records += background_events(rng, client, first, DAYS)
    return Synthetic(truth, records)


def generate(seed: int, clients: int) -> list[Synthetic]:
    rng = random.Random(f"{NAME}:{seed}")
    return [_client(rng, i) for i in range(clients)]

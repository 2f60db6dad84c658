"""Building blocks the newer families share: one client from a kind, a style and a schedule."""

from __future__ import annotations

import random
from datetime import date, timedelta

from .base import (
    SSRIS,
    Schedule,
    Style,
    Synthetic,
    Truth,
    background_events,
    medication,
    simulate,
    standard_latent,
)

# Kinds and their shares: about 30 % of clients blunt (as in the outside benchmark,
# 237 of 800); the rest are the hard negatives of shared/PRODUCT.md.
MIX = (
    ("stable", 0.22),
    ("blunting", 0.17),
    ("medication", 0.13),
    ("sad", 0.10),
    ("calming", 0.10),
    ("dip", 0.10),
    ("med_no_change", 0.08),
    ("sparse", 0.10),
)

FIRST_DAY = date(2026, 1, 5)


def make_client(
    rng: random.Random,
    family: str,
    number: int,
    kind: str,
    style: Style,
    schedule: Schedule,
    *,
    days: int = 130,
    mode: str = "full",
    ramp_days: int = 1,
    day_prob: float = 0.85,
    offset_hours=lambda t: 0.0,
    notes: dict | None = None,
) -> Synthetic:
    """One client: the latent timeline of `kind`, check-ins by `schedule`, medication events.

    Blunted clients check in a little less (up to 20 % fewer days at full depth);
    a `sparse` client is a stable one who checks in on 25-45 % of days.
    """
    client = f"{family}-{number:04d}"
    first = FIRST_DAY + timedelta(days=rng.randrange(120))
    truth = Truth(
        client=client,
        family=family,
        kind=kind,
        first_day=first,
        last_day=first + timedelta(days=days - 1),
        mode=mode,
        ramp=ramp_days,
        notes=dict(notes or {}),
    )
    latent, start = standard_latent(rng, truth, days)
    if kind == "sparse":
        day_prob = rng.uniform(0.25, 0.45)
    if start is not None and kind in ("blunting", "medication"):
        truth.onset = first + timedelta(days=start)
    if kind == "dip" and start is not None:
        truth.dip = (first + timedelta(days=start), first + timedelta(days=start + 3))

    def check_prob(t: int, lat) -> float:
        return day_prob * (1 - 0.2 * lat.words)

    records = simulate(rng, truth, style, latent, schedule, offset_hours, check_prob)
    records += background_events(rng, client, first, days)
    if kind in ("medication", "med_no_change"):
        name, dose = rng.choice(SSRIS)
        if kind == "medication":
            assert truth.onset is not None
            on = truth.onset - timedelta(days=rng.randint(2, 21))
        else:
            on = first + timedelta(days=rng.randrange(20, days - 20))
        truth.trigger_id = f"{client}-ssri"
        records.append(
            medication(client, truth.trigger_id, name, rng.choice(("start", "increase")), dose, on)
        )
    return Synthetic(truth, records)


def evening(rng: random.Random, count: int, first_hour: int = 18, last_hour: int = 22):
    """`count` check-in times between two local hours, in order."""
    return sorted((rng.randint(first_hour, last_hour), rng.randrange(60)) for _ in range(count))

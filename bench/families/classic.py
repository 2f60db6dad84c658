"""Family `classic`: the engine's original generator (bench/blunting_synthetic.py), as records.

The same clients as the original benchmark (its scenario mix, 150 days, a 35-feeling
hand-picked vocabulary), written as export lines at noon UTC so they go through the same
reading path as every other family. Kept as one family among several: the engine was
written alongside it, so on its own it flatters the engine.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from .base import Synthetic, Truth, medication

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import blunting_synthetic as original

NAME = "classic"
ROLE = "tuning"
KINDS = {"anxious": "sad"}  # an anxious episode is the same kind of hard negative


def generate(seed: int, clients: int) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(clients):
        profile = original.make_profile(rng, original._choose_kind(rng))
        client = original.generate(rng, profile)
        name = f"{NAME}-{i:04d}"
        kind = KINDS.get(profile.kind, profile.kind)
        truth = Truth(
            client=name,
            family=NAME,
            kind=kind,
            first_day=profile.start,
            last_day=profile.start + timedelta(days=original.HISTORY_DAYS - 1),
            ramp=profile.ramp,
            notes={"sparse": "yes" if profile.day_prob < 0.6 else "no"},
        )
        if profile.kind in original.BLUNTING_KINDS:
            truth.onset = profile.start + timedelta(days=profile.onset)
        if profile.kind == "dip":
            dip = profile.start + timedelta(days=profile.onset)
            truth.dip = (dip, dip + timedelta(days=profile.episode_days - 1))
        records = []
        for c in client.checkins:
            at = datetime.combine(c.local_date, time(12), tzinfo=UTC)
            records.append(
                {
                    "client": name,
                    "occurred_at": at.isoformat(),
                    "felt_intensity": c.felt_intensity,
                    "emotions": [{"emotion": e.slug, "intensity": e.intensity} for e in c.emotions],
                    "symptoms": dict(c.symptoms),
                }
            )
        for e in client.medication_events:
            event_id = f"{name}-{e.id}"
            if e is profile.trigger:
                truth.trigger_id = event_id
            records.append(medication(name, event_id, e.medication, e.kind, e.dose, e.occurred_on))
        out.append(Synthetic(truth, records))
    return out

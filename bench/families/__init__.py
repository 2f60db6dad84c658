"""Generator families for the blunting benchmark (see docs/BLUNTING.md, "Families").

Each module exposes `NAME`, `ROLE` ("tuning" or "held-out") and
`generate(seed, clients) -> list[Synthetic]`. `FAMILIES` lists them by name; the
held-out family is written last and is evaluated once, reported apart.
"""

from __future__ import annotations

import importlib

TUNING = ("classic", "ramps", "vocab", "rhythm")
HELD_OUT = ("travel", "life")  # travel: written in round 3; life: round 4


def load(name: str):
    return importlib.import_module(f"families.{name}")

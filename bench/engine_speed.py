"""Per-call cost of the blunting engine: `assess` on 14 vs 180 days of summarized data.

    python bench/engine_speed.py [--reps N] [--module therapists.trends]

The data come from the synthetic generator (bench/blunting_synthetic.py): one client
per scenario (stable, blunting, calming, sparse stable), 200 days generated, summarized
once; the timed call is `assess(days[-window:], events, today=last day)`, i.e. exactly
what `therapists.services.trend_refresh` does with its trailing window (at most 180
days). Summarizing and the database are not timed. `--module` lets you time another copy
of the package (e.g. a saved pre-change version on PYTHONPATH) on the same data.
"""

from __future__ import annotations

import argparse
import importlib
import random
import statistics
import sys
import timeit
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import blunting_synthetic as synthetic

from journal.daily import summarize

WINDOWS = (14, 180)


def clients(seed: int = 5) -> list[tuple[str, list, list]]:
    """(label, days, medication events) for a few representative 200-day clients."""
    synthetic.HISTORY_DAYS = 200
    rng = random.Random(seed)
    out = []
    for label, kind, sparse in (
        ("stable", "stable", False),
        ("blunting", "medication", False),
        ("calming", "calming", False),
        ("stable, sparse", "stable", True),
    ):
        while True:
            profile = synthetic.make_profile(rng, kind)
            if (profile.day_prob < 0.6) == sparse and not profile.gaps:
                break
        if profile.onset is not None:
            profile.onset = 170  # a change in progress near the end of the window
        client = synthetic.generate(rng, profile)
        out.append((label, summarize(client.checkins), client.medication_events))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--module", default="therapists.trends")
    args = parser.parse_args(argv)
    assess = importlib.import_module(args.module).assess

    print(f"module {args.module}; best of {args.reps} calls, ms per call")
    print("| client | " + " | ".join(f"{w} days" for w in WINDOWS) + " | ratio |")
    print("|---|" + "---|" * (len(WINDOWS) + 1))
    totals = {w: [] for w in WINDOWS}
    for label, days, events in clients():
        today = days[-1].date
        row = []
        for window in WINDOWS:
            span = [d for d in days if d.date > today - timedelta(days=window)]
            timer = timeit.Timer(lambda s=span, e=events, t=today: assess(s, e, today=t))
            times = timer.repeat(repeat=args.reps, number=1)
            ms = min(times) * 1000
            totals[window].append(ms)
            row.append(ms)
        print(
            f"| {label} | "
            + " | ".join(f"{ms:.2f}" for ms in row)
            + f" | {row[-1] / row[0]:.1f}× |"
        )
    means = [statistics.fmean(totals[w]) for w in WINDOWS]
    print(
        "| **mean** | "
        + " | ".join(f"{ms:.2f}" for ms in means)
        + f" | {means[-1] / means[0]:.1f}× |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

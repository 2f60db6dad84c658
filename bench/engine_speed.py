"""Cost of one daily update of the blunting engine: after 14 days vs after 3 years.

    python bench/engine_speed.py [--reps N]

The data come from the synthetic generator (bench/blunting_synthetic.py): one client per
scenario (stable, blunting, calming, sparse stable), 3 years generated and summarized
once. For each history length the engine state is built by `advance` up to the day
before the last, and the timed operation is what a daily refresh does with it:

* `advance`: step the saved state through the newest day (in memory);
* `load + advance + save`: the same with the state read from and written to JSON, as a
  database column would hold it.

At 14 days the pool is too small for a personal baseline, so the engine uses population
defaults and skips building one: 3 months vs 3 years shows whether the cost grows with
history; 14 days vs 3 years adds the (fixed) cost of a personal baseline.

Also timed, for comparison: a full `assess` over a 180-day trailing window (what the
refresh did before the state existed). Summarizing and the database are not timed. Best
of `--reps` runs; the machine is shared, so expect a few per cent of noise.
"""

from __future__ import annotations

import argparse
import json
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
from therapists.trends import EngineState, advance, assess

HISTORIES = (("14 days", 14), ("3 months", 91), ("3 years", 3 * 365))


def clients(seed: int = 5) -> list[tuple[str, list, list]]:
    """(label, days, medication events) for a few representative 3-year clients."""
    synthetic.HISTORY_DAYS = 3 * 365
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
        client = synthetic.generate(rng, profile)
        out.append((label, summarize(client.checkins), client.medication_events))
    return out


def _best_ms(fn, reps: int) -> float:
    return min(timeit.Timer(fn).repeat(repeat=reps, number=1)) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50)
    args = parser.parse_args(argv)

    print(f"best of {args.reps} runs, ms per daily update")
    print("| client | history | advance | load + advance + save | assess, 180-day window |")
    print("|---|---|---|---|---|")
    totals: dict[tuple[str, str], list[float]] = {}
    for label, days, events in clients():
        for name, length in HISTORIES:
            # the history ends on the client's last check-in day; the update is its newest day
            span = [d for d in days if d.date > days[-1].date - timedelta(days=length)]
            today = span[-1].date
            state, _ = advance(EngineState(), span[:-1], events, today=span[-2].date)
            saved = json.dumps(state.to_dict())
            newest = span[-1:]

            def step(state=state, newest=newest, today=today, events=events):
                advance(state, newest, events, today=today)

            def stored(saved=saved, newest=newest, today=today, events=events):
                loaded = EngineState.from_dict(json.loads(saved))
                new, _ = advance(loaded, newest, events, today=today)
                json.dumps(new.to_dict())

            window = [d for d in span if d.date > today - timedelta(days=180)]
            row = [
                _best_ms(step, args.reps),
                _best_ms(stored, args.reps),
                _best_ms(lambda w=window, t=today, e=events: assess(w, e, today=t), 5),
            ]
            for kind, ms in zip(("advance", "stored", "assess"), row, strict=True):
                totals.setdefault((name, kind), []).append(ms)
            print(f"| {label} | {name} | " + " | ".join(f"{ms:.3f}" for ms in row) + " |")
    for kind in ("advance", "stored", "assess"):
        short, _, long = (statistics.fmean(totals[(n, kind)]) for n, _ in HISTORIES)
        print(
            f"| **mean, {kind}** | 3 years / 14 days | {long:.3f} / {short:.3f} ms "
            f"| ratio {long / short:.2f} | |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

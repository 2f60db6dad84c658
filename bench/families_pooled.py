"""Families benchmark pooled over seeds: headline figures with 95 % intervals per family.

    python bench/families_pooled.py [--families classic,ramps,vocab,rhythm] [--seeds 1,2]
        [--clients 800] [--held-out] [--subgroups] [--set NAME=VALUE ...] [--brief]

The same per-client evaluation as bench/families_bench.py, outcomes of every seed pooled
before the Wilson intervals; also prints flagged by + 14 and false flags (ever) per seed,
so a gain can be checked on each seed. `--set` changes an engine parameter (full runs,
not a replay); `--brief` prints one line per family instead of the tables.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import families_bench as fb
from families import HELD_OUT, TUNING


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(TUNING))
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--clients", type=int, default=800)
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--subgroups", action="store_true")
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE")
    parser.add_argument("--brief", action="store_true")
    args = parser.parse_args(argv)
    params = fb.params_from(args.set)
    names = list(HELD_OUT) if args.held_out else args.families.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    for name in names:
        started = time.perf_counter()
        pooled, per_seed = [], []
        for seed in seeds:
            outcomes, _ = fb.run_family(name, seed, args.clients, params)
            pooled += outcomes
            f = fb.figures(outcomes)
            per_seed.append(
                f"seed {seed}: flagged by +14 {fb._pct(f.sens14)}, "
                f"false flags ever {sum(f.false_ever)}/{len(f.false_ever)}, "
                f"dips flagged {sum(f.dips)}/{len(f.dips)}"
            )
        if args.brief:
            f = fb.figures(pooled)
            print(
                f"{name:8} +7 {fb._pct(f.sens7)} +14 {fb.rate(f.sens14)} "
                f"false-ever {fb.rate(f.false_ever)} last {sum(f.false_last)} "
                f"err {statistics.median(f.onset_errors):g} esc {fb._pct(f.escalated)} "
                f"link {fb._pct(f.linked)} dips {sum(f.dips)}/{len(f.dips)} | "
                + "; ".join(per_seed),
                flush=True,
            )
            continue
        print()
        print(fb.headline(f"{name} (seeds {args.seeds})", pooled, time.perf_counter() - started))
        print()
        print("; ".join(per_seed))
        if args.subgroups:
            print()
            print(fb.subgroups(pooled))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

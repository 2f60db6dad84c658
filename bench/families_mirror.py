"""The benchmark's figures through the real `manage.py analyze_checkins`, and its time.

    python bench/families_mirror.py FAMILY [--clients 800] [--seed 1]

Writes the family's export to a temporary JSON Lines file and:

1. times one run of the command over all clients (800 clients x ~130 days: the issue's
   "time, 800 clients" figure; wall clock, one process, includes Django start-up);
2. for every blunting client, runs the command with `--today` = onset + 14 on a file
   holding only the clients that need that day (grouped, so one run per distinct day),
   and compares level, onset and medication link with the in-process benchmark
   (bench/families_bench.py); any difference is printed and counted.

Uses the SQLite default (no DATABASE_URL): valences come from the migrated vocabulary
or, without one, from the wheel migration itself, as the command documents.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import families_bench as bench  # noqa: E402 - after the path set-up
from families import load  # noqa: E402


def _command(path: Path, today: str | None = None) -> dict[str, dict]:
    args = [sys.executable, str(ROOT / "manage.py"), "analyze_checkins", str(path)]
    if today:
        args += ["--today", today]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    return {r["client"]: r for r in map(json.loads, done.stdout.splitlines())}


def _write(path: Path, synthetics) -> None:
    with path.open("w") as handle:
        for s in synthetics:
            for line in s.records:
                handle.write(json.dumps(line) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("family")
    parser.add_argument("--clients", type=int, default=800)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    synthetics = load(args.family).generate(args.seed, args.clients)
    with tempfile.TemporaryDirectory() as tmp:
        everything = Path(tmp) / "all.jsonl"
        _write(everything, synthetics)
        lines = sum(len(s.records) for s in synthetics)
        started = time.perf_counter()
        _command(everything)
        elapsed = time.perf_counter() - started
        print(f"analyze_checkins, {len(synthetics)} clients, {lines} lines: {elapsed:.1f} s")

        groups = defaultdict(list)
        for s in synthetics:
            if s.truth.onset is not None:
                groups[(s.truth.onset + timedelta(days=14)).isoformat()].append(s)
        differ = found = 0
        for today, group in sorted(groups.items()):
            path = Path(tmp) / f"{today}.jsonl"
            _write(path, group)
            printed = _command(path, today)
            for s in group:
                mine = bench.evaluate(s)
                theirs = printed[s.truth.client]
                linked = any(
                    e["id"] == s.truth.trigger_id for e in theirs["related_medication_events"]
                )
                same = (
                    theirs["level"] == mine.level14
                    and theirs["onset"] == (mine.onset14.isoformat() if mine.onset14 else None)
                    and (mine.linked14 is None or linked == mine.linked14)
                )
                found += theirs["level"] in ("flagged", "escalated")
                if not same:
                    differ += 1
                    print("differs:", s.truth.client, theirs["level"], mine.level14)
        blunting = sum(len(g) for g in groups.values())
        print(
            f"onset + 14 through the command: {found}/{blunting} flagged; "
            f"{differ} differ from the in-process benchmark ({len(groups)} runs)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

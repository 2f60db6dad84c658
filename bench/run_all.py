"""Every benchmark, from an empty database to docs/BENCHMARKS.md.

    make bench                 # == bench/run_all.sh: full run, about 15–25 min on 2 cores
    bench/run_all.sh --quick   # smaller data and shorter runs, about 5 min
    bench/run_all.sh --keep-data   # reuse the seeded database (skips drop/migrate/seed)

Drops and recreates the PostgreSQL database companion_bench (only that one), migrates,
seeds with `manage.py seed_scale` under several prefixes (ANALYZE after each: the bench
server may run with autovacuum off), runs bench/http_bench.py,
bench/explain.py, bench/jobs_bench.py and bench/loadtest.py, then bench/report.py.
Needs PostgreSQL and Redis on 127.0.0.1 (db 12 is flushed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATABASE_URL, PYTHON, REDIS_URL, RESULTS, run, save_result

FULL = {
    "scale": (1, 200, 365),
    "small": (1, 20, 365),
    "hist2w": (1, 5, 14),
    "hist3y": (1, 5, 1095),
    "dig-a": (50, 20, 14),
    "dig-b": (450, 20, 14),
    "rem-a": (10, 1000, 0),
    "rem-b": (90, 1000, 0),
}
QUICK = {
    "scale": (1, 200, 365),
    "small": (1, 20, 365),
    "hist2w": (1, 3, 14),
    "hist3y": (1, 3, 1095),
    "dig-a": (10, 20, 7),
    "dig-b": (90, 20, 7),
    "rem-a": (2, 1000, 0),
    "rem-b": (18, 1000, 0),
}


def analyze() -> None:
    """Planner statistics for the rows just loaded, as a live database has them.

    Autovacuum may not have analyzed a bulk load yet when the next benchmark starts; without
    statistics the planner guesses, and the figures measure the guess, not the code.
    """
    subprocess.run(["psql", DATABASE_URL, "-qc", "ANALYZE"], check=True)


def seed(prefix: str, sizes: tuple[int, int, int]) -> None:
    t, c, d = sizes
    run(
        [
            PYTHON,
            "manage.py",
            "seed_scale",
            "--prefix",
            prefix,
            "--therapists",
            str(t),
            "--clients-per-therapist",
            str(c),
            "--days",
            str(d),
        ]
    )
    analyze()


def bench(*args: str) -> None:
    run([PYTHON, *args])


def reset_database() -> None:
    base, name = DATABASE_URL.rsplit("/", 1)
    if name != "companion_bench":
        raise SystemExit(f"Refusing to drop {name!r}: the bench only ever drops companion_bench.")
    admin = f"{base}/postgres"
    subprocess.run(
        ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True
    )
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    subprocess.run(
        [sys.executable, "-c", f"import redis; redis.Redis.from_url({REDIS_URL!r}).flushdb()"],
        check=False,
    )
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep-data", action="store_true")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    started = time.time()
    if RESULTS.exists() and not args.keep_data:
        RESULTS.unlink()
    save_result(
        "run",
        {
            "mode": "quick" if args.quick else "full",
            "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "sizes": sizes,
        },
    )

    if not args.keep_data:
        reset_database()
        for prefix in ("scale", "small", "hist2w", "hist3y"):
            seed(prefix, sizes[prefix])
        seed("dig-a", sizes["dig-a"])
    quick = ["--quick"] if args.quick else []
    bench("bench/http_bench.py", *quick)
    bench("bench/explain.py")
    bench(
        "bench/jobs_bench.py",
        "trend",
        "--short",
        "hist2w",
        "--long",
        "hist3y",
        "--reps",
        "2" if args.quick else "4",
    )

    few = sizes["dig-a"][0]
    many = few + sizes["dig-b"][0]
    bench("bench/jobs_bench.py", "digest", "--label", str(few), "--prefix", "dig-a")
    if not args.keep_data:
        seed("dig-b", sizes["dig-b"])
    bench(
        "bench/jobs_bench.py",
        "digest",
        "--label",
        str(many),
        "--prefix",
        "dig-a",
        "--prefix",
        "dig-b",
    )

    if not args.keep_data:
        seed("rem-a", sizes["rem-a"])
    bench("bench/jobs_bench.py", "reminders", "--label", "fewer", "--due", "200")
    if not args.keep_data:
        seed("rem-b", sizes["rem-b"])
    bench("bench/jobs_bench.py", "reminders", "--label", "more", "--due", "200")
    bench("bench/explain.py")  # the reminder plan again, at full volume

    bench("bench/loadtest.py", *quick)
    save_result(
        "run_end",
        {
            "seconds": round(time.time() - started),
            "command": " ".join(["bench/run_all.sh", *sys.argv[1:]]),
        },
    )
    bench("bench/report.py")
    print(f"done in {time.time() - started:.0f} s; see docs/BENCHMARKS.md", flush=True)


if __name__ == "__main__":
    sys.exit(main())

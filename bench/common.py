"""Shared pieces of the benchmarks: the bench environment, Django set-up, a gunicorn
server on loopback, tokens, timing helpers and the results file.

Everything runs against PostgreSQL database ``companion_bench`` and Redis db 12 on
127.0.0.1 (override with BENCH_DATABASE_URL / BENCH_REDIS_URL), never anything else.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
RESULTS = ROOT / "bench" / "results" / "latest.json"
HOST = "127.0.0.1"

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/companion_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
# Fixed, public, bench-only values: the bench database holds synthetic data only.
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdef"
FERNET_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"companion-bench-only").digest()).decode()


def bench_env(**extra: str) -> dict[str, str]:
    """The production-like environment (DEBUG off) every bench process runs with."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        FIELD_ENCRYPTION_KEYS=FERNET_KEY,
        ALLOWED_HOSTS=f"{HOST},testserver",
        SECURE_SSL_REDIRECT="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="companion.settings",
        COMPANION_PASSWORD=os.environ.get("COMPANION_PASSWORD", "scale-password-1234"),
    )
    env.pop("COMPANION_TESTING", None)
    env.update(extra)
    return env


def setup_django() -> None:
    os.environ.update(bench_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- Results --------------------------------------------------------------------------------


def load_results() -> dict:
    if RESULTS.exists():
        return json.loads(RESULTS.read_text())
    return {}


def save_result(section: str, data: dict) -> None:
    """Merge one benchmark's figures into bench/results/latest.json."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = load_results()
    results[section] = data
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True, default=str))


# --- Statistics -----------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(latencies: list[float]) -> dict[str, float]:
    """Milliseconds."""
    ms = [x * 1000 for x in latencies]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(pct(ms, 95), 2),
        "p99_ms": round(pct(ms, 99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


# --- Server ---------------------------------------------------------------------------------


@contextmanager
def gunicorn(workers: int, port: int = 8765):
    """A gunicorn server on 127.0.0.1 with the bench environment; stopped on exit."""
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "companion.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=bench_env())
    base = f"http://{HOST}:{port}"
    try:
        import requests

        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code in (200, 503):
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("gunicorn did not come up")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def token_for(email: str) -> str:
    """A knox API token for a user, made in-process (as POST /auth/token/ would, minus Argon2)."""
    from knox.models import AuthToken

    from accounts.models import User

    _instance, token = AuthToken.objects.create(User.objects.get(email=email))
    return token


# --- Load -----------------------------------------------------------------------------------


def sequential(
    call: Callable[[], int],
    n: int,
    warmup: int = 10,
    expect: tuple[int, ...] = (200,),
    before: Callable[[], None] | None = None,
) -> dict:
    """One caller, one request at a time: unloaded latency. ``before`` runs ahead of each
    timed request, outside the timing (e.g. to empty a cache)."""
    for _ in range(warmup):
        call()
    latencies, errors = [], 0
    for _ in range(n):
        if before is not None:
            before()
        t0 = time.perf_counter()
        status = call()
        latencies.append(time.perf_counter() - t0)
        errors += status not in expect
    return {**summary(latencies), "errors": errors}


def concurrent(
    make_call: Callable[[int], Callable[[], int]],
    threads: int,
    seconds: float,
    max_requests: int = 100_000,
    expect: tuple[int, ...] = (200,),
) -> dict:
    """``threads`` closed-loop callers for ``seconds`` (bounded by max_requests): throughput."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [max_requests]

    def worker(k: int) -> None:
        call = make_call(k)
        local_lat, local_status = [], {}
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            t0 = time.perf_counter()
            try:
                status = call()
            except Exception:
                status = -1
            local_lat.append(time.perf_counter() - t0)
            local_status[status] = local_status.get(status, 0) + 1
        with lock:
            latencies.extend(local_lat)
            for s, c in local_status.items():
                statuses[s] = statuses.get(s, 0) + c

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(seconds + 60)
    elapsed = time.monotonic() - started
    ok = sum(c for s, c in statuses.items() if s in expect)
    return {
        **(summary(latencies) if latencies else {}),
        "threads": threads,
        "seconds": round(elapsed, 2),
        "ok": ok,
        "errors": sum(statuses.values()) - ok,
        "statuses": {str(k): v for k, v in statuses.items()},
        "throughput_rps": round(ok / elapsed, 1),
    }


def run(cmd: list[str], **kw) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=bench_env(), check=True, **kw)


def machine() -> dict[str, str]:
    import platform

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    pg = subprocess.run(
        ["psql", DATABASE_URL, "-Atc", "show server_version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": pg,
    }

"""Load test on 127.0.0.1: clients check in while therapists load dashboards.

Bounded in time and count, stops by itself. Threads with `requests` against gunicorn:

1. floor: sequential GET /api/v1/me/ (p95 measured in this run);
2. steps: 1, 2, 4, 8 check-in threads (+1 therapist thread), a few seconds each, to find
   the check-in rate reached while check-in p95 stays within the target (3 × floor p95);
3. main run: ``--clients`` check-in threads and 2 therapist threads for ``--seconds``
   (60 by default): zero errors, and the stored check-ins equal the 201 answers (each
   201 id distinct and found in the database: nothing lost, nothing doubled).

    python bench/loadtest.py [--seconds 60] [--clients 8] [--workers 3] [--quick]
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import gunicorn, save_result, sequential, setup_django, summary, token_for
from http_bench import checkin_body

MAX_REQUESTS = 50_000  # hard bound whatever the duration


def mixed(
    base: str,
    client_tokens: list[list[str]],
    therapist_calls: list[tuple[str, str]],
    seconds: float,
    slugs: list[str],
) -> dict:
    import requests

    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    out = {
        "checkin_lat": [],
        "dash_lat": [],
        "statuses": {},
        "ids": [],
        "errors": [],
        "budget": MAX_REQUESTS,
    }

    def record(kind: str, status: int, latency: float, ident: int | None = None) -> None:
        with lock:
            out["budget"] -= 1
            out[f"{kind}_lat"].append(latency)
            key = f"{kind}:{status}"
            out["statuses"][key] = out["statuses"].get(key, 0) + 1
            if ident is not None:
                out["ids"].append(ident)

    def checkin_worker(tokens: list[str], seed: int) -> None:
        session, rng, i = requests.Session(), random.Random(seed), 0
        while time.monotonic() < stop_at and out["budget"] > 0:
            i += 1
            t0 = time.perf_counter()
            try:
                r = session.post(
                    base + "/api/v1/checkins/",
                    json=checkin_body(rng, slugs),
                    headers={"Authorization": f"Token {tokens[i % len(tokens)]}"},
                    timeout=30,
                )
                status, ident = (
                    r.status_code,
                    (r.json().get("id") if r.status_code == 201 else None),
                )
                if status != 201:
                    out["errors"].append(f"{status}: {r.text[:200]}")
            except Exception as exc:  # a timeout or reset is an error of the run, counted
                status, ident = -1, None
                out["errors"].append(repr(exc)[:200])
            record("checkin", status, time.perf_counter() - t0, ident)

    def dashboard_worker(token: str, paths: list[str]) -> None:
        session, i = requests.Session(), 0
        session.headers["Authorization"] = f"Token {token}"
        while time.monotonic() < stop_at and out["budget"] > 0:
            i += 1
            t0 = time.perf_counter()
            try:
                status = session.get(base + paths[i % len(paths)], timeout=30).status_code
            except Exception as exc:
                status = -1
                out["errors"].append(repr(exc)[:200])
            if status != 200:
                out["errors"].append(f"dashboard {status}")
            record("dash", status, time.perf_counter() - t0)

    threads = [
        threading.Thread(target=checkin_worker, args=(tokens, k), daemon=True)
        for k, tokens in enumerate(client_tokens)
    ]
    threads += [
        threading.Thread(target=dashboard_worker, args=(token, [path_a, path_b]), daemon=True)
        for token, (path_a, path_b) in therapist_calls
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    elapsed = time.monotonic() - started
    created = out["statuses"].get("checkin:201", 0)
    return {
        "seconds": round(elapsed, 1),
        "checkin_threads": len(client_tokens),
        "dashboard_threads": len(therapist_calls),
        "checkins_201": created,
        "checkin_rate_per_s": round(created / elapsed, 1),
        "dashboard_rate_per_s": round(out["statuses"].get("dash:200", 0) / elapsed, 1),
        "checkin": summary(out["checkin_lat"]) if out["checkin_lat"] else {},
        "dashboard": summary(out["dash_lat"]) if out["dash_lat"] else {},
        "statuses": out["statuses"],
        "errors": len(out["errors"]),
        "error_samples": out["errors"][:5],
        "ids": out["ids"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8, help="check-in threads in the main run")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.seconds = min(args.seconds, 20)
    step_seconds = 5 if args.quick else 10
    setup_django()
    import requests

    from accounts.models import User
    from journal.models import CheckIn, Emotion

    therapist = User.objects.get(email="scale-therapist-1@example.test")
    small = User.objects.get(email="small-therapist-1@example.test")
    clients = list(User.objects.clients_of(therapist).order_by("pk")[100:180])
    tokens = [token_for(c.email) for c in clients]
    slugs = list(Emotion.objects.filter(level=3, is_active=True).values_list("slug", flat=True))
    trend_id = clients[0].pk
    t_token, s_token = token_for(therapist.email), token_for(small.email)
    dash = [
        (t_token, ("/api/v1/clients/", f"/api/v1/clients/{trend_id}/trends/?days=90")),
        (s_token, ("/api/v1/clients/", "/api/v1/clients/")),
    ]

    def split(n: int) -> list[list[str]]:
        per = len(tokens) // n
        return [tokens[k * per : (k + 1) * per] for k in range(n)]

    result: dict = {"workers": args.workers}
    with gunicorn(args.workers) as base:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {t_token}"
        floor = sequential(lambda: session.get(base + "/api/v1/me/", timeout=30).status_code, 200)
        target = 3 * floor["p95_ms"]
        result["floor"] = floor
        result["target_checkin_p95_ms"] = round(target, 2)
        steps = []
        for n in (1, 2, 4, 8):
            step = mixed(base, split(n), dash[:1], step_seconds, slugs)
            step.pop("ids")
            steps.append(step)
            print(
                f"step {n}: {step['checkin_rate_per_s']}/s check-ins, p95 {step['checkin'].get('p95_ms')} ms, errors {step['errors']}",
                flush=True,
            )
        result["steps"] = steps
        within = [s for s in steps if s["checkin"] and s["checkin"]["p95_ms"] <= target]
        result["rate_at_target_p95"] = max((s["checkin_rate_per_s"] for s in within), default=None)

        started_at = time.time()
        from django.utils import timezone

        t_start = timezone.now()
        main_run = mixed(base, split(args.clients), dash, args.seconds, slugs)
        ids = main_run.pop("ids")
        stored = CheckIn.objects.filter(client__in=clients, created_at__gte=t_start).count()
        found = CheckIn.objects.filter(pk__in=ids).count()
        main_run.update(
            stored_checkins=stored,
            distinct_201_ids=len(set(ids)),
            ids_found_in_db=found,
            nothing_lost_or_doubled=stored == main_run["checkins_201"] == len(set(ids)) == found,
            wall_clock_s=round(time.time() - started_at, 1),
        )
        result["main"] = main_run
        print("main:", {k: v for k, v in main_run.items() if k not in ("statuses",)}, flush=True)
    lat = main_run["checkin"]
    result["main_checkin_p95_over_floor"] = (
        round(lat["p95_ms"] / floor["p95_ms"], 2) if lat else None
    )
    result["p95_floor_ms"] = floor["p95_ms"]
    save_result("loadtest", result)


if __name__ == "__main__":
    main()

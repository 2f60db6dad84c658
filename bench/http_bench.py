"""HTTP figures against gunicorn on 127.0.0.1, each as a ratio to the floor.

Floor: GET /api/v1/me/ with a token (one indexed query, same middleware and auth).
Measured: caseload GET /api/v1/clients/ (200 clients × 1 year, and 20 clients for the
query count), trend page GET /api/v1/clients/{id}/trends/?days=90, and check-in
POST /api/v1/checkins/. p95 from one caller at a time (unloaded latency); throughput
from closed-loop concurrent callers. Query counts in-process with the Django test client
against the same database.

    python bench/http_bench.py [--quick]

Needs the datasets made by bench/run_all.py (prefixes "scale" and "small").
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (
    concurrent,
    gunicorn,
    save_result,
    sequential,
    setup_django,
    token_for,
)

from journal.daily import SYMPTOM_KEYS  # pure Python: no Django needed yet

SYMPTOMS = list(SYMPTOM_KEYS)


def checkin_body(rng: random.Random, slugs: list[str]) -> dict:
    return {
        "emotions": [
            {"emotion": s, "intensity": rng.randint(0, 10)}
            for s in rng.sample(slugs, rng.randint(0, 3))
        ],
        "felt_intensity": rng.randint(0, 10),
        "symptoms": {k: rng.randint(0, 3) for k in rng.sample(SYMPTOMS, rng.randint(0, 6))},
        "shared": rng.random() < 0.3,
    }


def query_counts(
    tokens: dict[str, str], trend_client: int, client_token: str, slugs: list[str]
) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def count(token: str, method: str, path: str, body: dict | None = None) -> tuple[int, int]:
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        with CaptureQueriesContext(connection) as ctx:
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, body, content_type="application/json")
        return len(ctx.captured_queries), response.status_code

    rng = random.Random(7)
    # Twice each: the first call may refresh the token's expiry (knox AUTO_REFRESH).
    for _ in range(2):
        out = {
            "floor_me": count(tokens["t200"], "GET", "/api/v1/me/"),
            "caseload_20": count(tokens["t20"], "GET", "/api/v1/clients/"),
            "caseload_200": count(tokens["t200"], "GET", "/api/v1/clients/"),
            "trends_90": count(
                tokens["t200"], "GET", f"/api/v1/clients/{trend_client}/trends/?days=90"
            ),
            "checkin_post": count(
                client_token, "POST", "/api/v1/checkins/", checkin_body(rng, slugs)
            ),
        }
    return {k: {"queries": q, "status": s} for k, (q, s) in out.items()}


def forget_trend_answers() -> None:
    """Forget the saved answers for today, as new data would: the next view settles nothing
    (the states are settled through yesterday) but steps the engine through today."""
    from therapists.models import TrendState  # needs Django set up (main does it)

    TrendState.objects.update(current_key="")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--workers",
        default=None,
        help="comma-separated gunicorn worker counts (default 3,5; quick 3)",
    )
    args = parser.parse_args()
    setup_django()
    import requests

    from accounts.models import User
    from journal.models import Emotion

    n_seq = 150 if args.quick else 400
    seconds = 10 if args.quick else 20
    threads = 8
    workers = [int(w) for w in (args.workers or ("3" if args.quick else "3,5")).split(",")]

    t200 = User.objects.get(email="scale-therapist-1@example.test")
    trend_clients = list(
        User.objects.clients_of(t200).order_by("pk").values_list("pk", flat=True)[:10]
    )
    tokens = {"t200": token_for(t200.email), "t20": token_for("small-therapist-1@example.test")}
    posting = list(
        User.objects.clients_of(t200).order_by("pk").values_list("email", flat=True)[20:60]
    )
    client_tokens = [token_for(e) for e in posting]
    slugs = list(Emotion.objects.filter(level=3, is_active=True).values_list("slug", flat=True))
    result: dict = {"query_counts": query_counts(tokens, trend_clients[0], client_tokens[0], slugs)}
    print("query counts:", result["query_counts"], flush=True)

    def trend_path(i: int) -> str:
        return f"/api/v1/clients/{trend_clients[i % len(trend_clients)]}/trends/?days=90"

    def getter(base: str, token: str, path_of):
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        counter = [0]

        def call() -> int:
            counter[0] += 1
            return session.get(base + path_of(counter[0]), timeout=30).status_code

        return call

    def poster(base: str, tokens_: list[str], seed: int):
        session = requests.Session()
        rng = random.Random(seed)
        counter = [0]

        def call() -> int:
            counter[0] += 1
            token = tokens_[counter[0] % len(tokens_)]
            return session.post(
                base + "/api/v1/checkins/",
                json=checkin_body(rng, slugs),
                headers={"Authorization": f"Token {token}"},
                timeout=30,
            ).status_code

        return call

    runs: dict = {}
    for w in workers:
        with gunicorn(w) as base:
            r: dict = {}
            if w == workers[0]:
                r["floor_seq"] = sequential(
                    getter(base, tokens["t200"], lambda i: "/api/v1/me/"), n_seq
                )
                r["caseload200_seq"] = sequential(
                    getter(base, tokens["t200"], lambda i: "/api/v1/clients/"), n_seq // 2
                )
                r["caseload20_seq"] = sequential(
                    getter(base, tokens["t20"], lambda i: "/api/v1/clients/"), n_seq // 2
                )
                r["trends90_seq"] = sequential(getter(base, tokens["t200"], trend_path), n_seq // 2)
                # The trend page when its cached answer is gone (as after new data).
                r["trends90_cold_seq"] = sequential(
                    getter(base, tokens["t200"], trend_path),
                    n_seq // 4,
                    warmup=0,
                    before=forget_trend_answers,
                )
                r["checkin_seq"] = sequential(
                    poster(base, client_tokens, 1), n_seq // 2, expect=(201,)
                )
            r["floor_conc"] = concurrent(
                lambda k: getter(base, tokens["t200"], lambda i: "/api/v1/me/"), threads, seconds
            )
            # Each thread posts for its own clients, as real clients would.
            per = max(1, len(client_tokens) // threads)
            r["checkin_conc"] = concurrent(
                lambda k, per=per: poster(
                    base, client_tokens[k * per : (k + 1) * per] or client_tokens, 100 + k
                ),
                threads,
                seconds,
                expect=(201,),
            )
            for name, figures in r.items():
                print(f"workers={w} {name}: {figures}", flush=True)
            runs[str(w)] = r
    result["runs"] = runs
    result["workers"] = workers
    result["threads"] = threads
    save_result("http", result)


if __name__ == "__main__":
    main()

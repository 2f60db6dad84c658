"""Background-job figures, in-process (no HTTP): trend refresh, weekly digest, reminder scan.

    python bench/jobs_bench.py trend    --short hist2w --long hist3y
    python bench/jobs_bench.py digest   --label 50      (one fresh process per measurement,
                                                         so ru_maxrss is the digest's peak)
    python bench/jobs_bench.py reminders --label 10000

Each appends its figures to bench/results/latest.json; bench/run_all.py seeds the data
between calls (more therapists, more clients not due) and bench/report.py works out the
ratios.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_results, save_result, setup_django, summary


def trend(short: str, long: str, reps: int) -> None:
    """trend_refresh right after one new check-in, for clients with 2 weeks vs 3 years of history."""
    from accounts.models import User
    from journal.models import ClientDay
    from journal.services.checkins import checkin_create
    from therapists.services.trends import trend_refresh

    out = {}
    for prefix in (short, long):
        clients = list(User.objects.filter(email__startswith=f"{prefix}-client-").order_by("pk"))
        for client in clients:  # warm the code paths and the caches once
            trend_refresh(client_id=client.pk)
        times = []
        for rep in range(reps):
            for client in clients:
                checkin_create(client=client, felt_intensity=4 + rep % 3, symptoms={"fatigue": 1})
                t0 = time.perf_counter()
                trend_refresh(client_id=client.pk)
                times.append(time.perf_counter() - t0)
        history = ClientDay.objects.filter(client__in=clients).count() / max(1, len(clients))
        out[prefix] = {
            **summary(times),
            "clients": len(clients),
            "days_per_client": round(history, 1),
        }
        print(prefix, out[prefix], flush=True)
    out["ratio_median"] = round(out[long]["p50_ms"] / out[short]["p50_ms"], 2)
    out["ratio_p95"] = round(out[long]["p95_ms"] / out[short]["p95_ms"], 2)
    out["short"], out["long"] = short, long
    save_result("trend_refresh", out)


def digest(label: str, prefixes: list[str], trace: bool) -> None:
    """Every due therapist's digest through therapists.tasks.send_digest_chunk, chunk by chunk.

    Runs as a worker would (the task function, chunks of tasks.CHUNK, locmem email whose
    outbox is emptied after each chunk as a sent message leaves a worker). Peak memory is
    this process's ru_maxrss; with --trace, tracemalloc's peak of Python allocations too.
    """
    from django.core import mail
    from django.utils import timezone

    from accounts.models import Role, SentMessage, User
    from therapists import emails, tasks

    # This week's Monday 08:00 UTC: digest time for the seeded therapists (Europe/Berlin).
    # The due list is computed by the product, not assumed; earlier digests are cleared.
    now = timezone.now()
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    SentMessage.objects.filter(kind="digest").delete()
    therapists = User.objects.filter(role=Role.THERAPIST, is_active=True)
    if prefixes:
        from django.db.models import Q

        q = Q()
        for prefix in prefixes:
            q |= Q(email__startswith=f"{prefix}-therapist-")
        therapists = therapists.filter(q)
    ids = list(therapists.order_by("pk").values_list("pk", flat=True))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    due = emails.therapists_due_for_digest(now=monday)
    fan_out = time.perf_counter() - t0
    due_set = set(due)
    ids = [pk for pk in ids if pk in due_set]
    chunk_times, sent = [], 0
    started = time.perf_counter()
    for start in range(0, len(ids), tasks.CHUNK):
        chunk = ids[start : start + tasks.CHUNK]
        c0 = time.perf_counter()
        sent += tasks.send_digest_chunk(chunk, monday.isoformat())
        chunk_times.append((time.perf_counter() - c0) / len(chunk))
        mail.outbox = []
    total = time.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    clients = User.objects.filter(
        role=Role.CLIENT,
        care_as_client__therapist_id__in=ids,
        care_as_client__ended_at__isnull=True,
    ).count()
    result = {
        "therapists": len(ids),
        "clients": clients,
        "sent": sent,
        "total_s": round(total, 2),
        "per_therapist_ms": round(1000 * total / max(1, len(ids)), 2),
        "per_therapist_chunk_median_ms": round(1000 * statistics.median(chunk_times), 2)
        if chunk_times
        else None,
        "fan_out_ms": round(1000 * fan_out, 2),
        "peak_rss_mb": round(rss_peak / 1024, 1),
        "rss_before_mb": round(rss_before / 1024, 1),
        "tracemalloc_peak_mb": round(traced_peak / 1024 / 1024, 1) if traced_peak else None,
    }
    print(label, result, flush=True)
    section = load_results().get("digest", {})
    section[label] = result
    save_result("digest", section)


def reminders(label: str, due_count: int, reps: int) -> None:
    """reminders_send_due with a fixed number due and everyone else not due.

    Everyone's next_reminder_at is put 1–24 h ahead; then ``due_count`` clients get a slot a
    minute before ``now`` (a new slot each repetition, so each is a fresh, unsent slot).
    """
    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Role, User
    from journal.emails import BATCH, reminders_send_due

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET next_reminder_at = %s + (interval '1 minute' * (60 + id %% 1380)) WHERE role = 'client'",
            [now],
        )
        cursor.execute("ANALYZE accounts_user")
    clients = User.objects.filter(role=Role.CLIENT, is_active=True)
    total = clients.count()
    due_ids = list(clients.order_by("?").values_list("pk", flat=True)[:due_count])
    times, sent = [], 0
    for rep in range(reps):
        slot = now - timedelta(minutes=1 + rep)
        User.objects.filter(pk__in=due_ids).update(next_reminder_at=slot)
        t0 = time.perf_counter()
        n = 0
        while True:  # the task runs the scan until nothing is due (BATCH at a time)
            batch = reminders_send_due(now=now)
            n += batch
            if (
                User.objects.filter(
                    next_reminder_at__lte=now, role=Role.CLIENT, is_active=True
                ).count()
                == 0
                or batch == 0
            ):
                break
        times.append(time.perf_counter() - t0)
        sent += n
        mail.outbox = []
    plan = (
        User.objects.filter(next_reminder_at__lte=now, role=Role.CLIENT, is_active=True)
        .order_by("next_reminder_at")[:BATCH]
        .explain()
    )
    result = {
        **summary(times),
        "clients": total,
        "due": len(due_ids),
        "not_due": total - len(due_ids),
        "sent_per_scan": sent // max(1, reps),
        "index_scan": "Index" in plan and "next_reminder_at" in plan,
        "plan": plan,
    }
    print(label, {k: v for k, v in result.items() if k != "plan"}, flush=True)
    section = load_results().get("reminders", {})
    section[label] = result
    save_result("reminders", section)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["trend", "digest", "reminders"])
    parser.add_argument("--label", default="run")
    parser.add_argument("--short", default="hist2w")
    parser.add_argument("--long", default="hist3y")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--prefix", action="append", default=[])
    parser.add_argument("--due", type=int, default=200)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    setup_django()
    if args.what == "trend":
        trend(args.short, args.long, args.reps)
    elif args.what == "digest":
        digest(args.label, args.prefix, args.trace)
    else:
        reminders(args.label, args.due, args.reps)


if __name__ == "__main__":
    main()

"""EXPLAIN every query the caseload page runs, and the reminder scan.

Captures the SQL of GET /api/v1/clients/ for the 200-client therapist in-process, runs
EXPLAIN on each SELECT, and lists any sequential scan on the check-in and aggregate
tables (journal_checkin, journal_clientday, journal_emotionrating, homework tables). The
reminder scan's query is EXPLAINed at full volume; the plan must use the
next_reminder_at index.

    python bench/explain.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import save_result, setup_django, token_for

# The target: never a sequential scan on these (they grow with every check-in).
CORE = ("journal_checkin", "journal_clientday", "journal_emotionrating")
# Reported too; small at bench volume, where a sequential scan can be the right plan, so
# these are re-planned with enable_seqscan off to prove an index is there to use.
WATCHED = (
    *CORE,
    "journal_homeworkassignment",
    "journal_homeworklog",
    "journal_homeworkpause",
    "therapists_flag",
)


def seq_scans(plan: str) -> list[str]:
    return sorted({m for m in re.findall(r"Seq Scan on (\w+)", plan) if m in WATCHED})


def caseload_plans() -> dict:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    token = token_for("scale-therapist-1@example.test")
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    client.get("/api/v1/clients/")  # token refresh out of the way
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/clients/").status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for q in ctx.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            entry = {"sql": sql[:300], "plan": plan, "seq_scans": seq_scans(plan)}
            if entry["seq_scans"]:
                with transaction.atomic():
                    cursor.execute("SET LOCAL enable_seqscan = off")
                    cursor.execute("EXPLAIN " + sql)
                    forced = "\n".join(row[0] for row in cursor.fetchall())
                entry["seq_scans_with_seqscan_off"] = seq_scans(forced)
            plans.append(entry)
    every = sorted({s for p in plans for s in p["seq_scans"]})
    return {
        "queries": len(ctx.captured_queries),
        "plans": plans,
        "seq_scans": every,
        "core_seq_scans": [s for s in every if s in CORE],
        "no_index_available": sorted(
            {s for p in plans for s in p.get("seq_scans_with_seqscan_off", [])}
        ),
    }


def reminder_plan() -> dict:
    from django.utils import timezone

    from accounts.models import Role, User
    from journal.emails import BATCH

    qs = User.objects.filter(
        next_reminder_at__lte=timezone.now(), role=Role.CLIENT, is_active=True
    ).order_by("next_reminder_at")[:BATCH]
    plan = qs.explain()
    return {
        "plan": plan,
        "uses_index": "next_reminder_at" in plan and "Index" in plan,
        "seq_scan": "Seq Scan on accounts_user" in plan,
        "users": User.objects.count(),
    }


def main() -> None:
    setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result = {"caseload": caseload_plans(), "reminders": reminder_plan()}
    print(
        "caseload: seq scans on check-in/aggregate tables:",
        result["caseload"]["core_seq_scans"] or "none",
    )
    print(
        "caseload: seq scans on other watched tables:",
        result["caseload"]["seq_scans"] or "none",
        "; without an index even with enable_seqscan off:",
        result["caseload"]["no_index_available"] or "none",
    )
    print("reminder scan uses index:", result["reminders"]["uses_index"])
    print(result["reminders"]["plan"])
    save_result("explain", result)


if __name__ == "__main__":
    main()

"""Turn bench/results/latest.json into docs/BENCHMARKS.md (figures, ratios, targets)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, load_results, machine

OUT = ROOT / "docs" / "BENCHMARKS.md"


def yes(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**yes**" if ok else "**no**")


def rows(r: dict) -> list[tuple[str, str, str, str, str]]:
    out = []
    http = r.get("http")
    if http:
        w0 = str(http["workers"][0])
        run = http["runs"][w0]
        floor_p95 = run["floor_seq"]["p95_ms"]
        qc = http["query_counts"]
        out.append(
            (
                "Floor: GET /api/v1/me/ (token)",
                f"p95 {floor_p95} ms, p50 {run['floor_seq']['p50_ms']} ms, {qc['floor_me']['queries']} queries",
                "1.00",
                "—",
                "—",
            )
        )
        for w in http["workers"]:
            rw = http["runs"][str(w)]
            fl, ci = rw["floor_conc"], rw["checkin_conc"]
            ratio = ci["throughput_rps"] / fl["throughput_rps"] if fl["throughput_rps"] else 0
            out.append(
                (
                    f"Check-in POST throughput ({w} workers, {http['threads']} callers)",
                    f"{ci['throughput_rps']} vs floor {fl['throughput_rps']} req/s; errors {ci['errors']}",
                    f"{ratio:.2f}",
                    "≥ 0.5",
                    yes(ratio >= 0.5),
                )
            )
        ci = run["checkin_seq"]
        ratio = ci["p95_ms"] / floor_p95
        out.append(
            (
                "Check-in POST p95 (one caller)",
                f"{ci['p95_ms']} ms",
                f"{ratio:.1f}",
                "≤ 3",
                yes(ratio <= 3),
            )
        )
        out.append(
            (
                "Check-in POST queries",
                f"{qc['checkin_post']['queries']} (fixed: same for every check-in)",
                "—",
                "fixed, small",
                yes(qc["checkin_post"]["queries"] <= 15),
            )
        )
        cl = run["caseload200_seq"]
        ratio = cl["p95_ms"] / floor_p95
        out.append(
            (
                "Caseload GET /api/v1/clients/, 200 clients × 1 year",
                f"p95 {cl['p95_ms']} ms",
                f"{ratio:.1f}",
                "≤ 10",
                yes(ratio <= 10),
            )
        )
        same = qc["caseload_20"]["queries"] == qc["caseload_200"]["queries"]
        out.append(
            (
                "Caseload queries at 20 vs 200 clients",
                f"{qc['caseload_20']['queries']} vs {qc['caseload_200']['queries']}",
                "—",
                "identical",
                yes(same),
            )
        )
        tr = run["trends90_seq"]
        ratio = tr["p95_ms"] / floor_p95
        out.append(
            (
                "Trend page GET …/trends/?days=90 (saved answer)",
                f"p95 {tr['p95_ms']} ms, {qc['trends_90']['queries']} queries",
                f"{ratio:.1f}",
                "≤ 5",
                yes(ratio <= 5),
            )
        )
        cold = run.get("trends90_cold_seq")
        if cold:
            out.append(
                (
                    "Trend page, first view after new data (engine steps today)",
                    f"p95 {cold['p95_ms']} ms, p50 {cold['p50_ms']} ms",
                    f"{cold['p95_ms'] / floor_p95:.1f}",
                    "reported",
                    "—",
                )
            )
    ex = r.get("explain")
    if ex:
        core = ex["caseload"]["core_seq_scans"]
        other = [s for s in ex["caseload"]["seq_scans"] if s not in core]
        out.append(
            (
                "Caseload EXPLAIN: seq scans on check-in / aggregate tables",
                ("none" if not core else ", ".join(core))
                + (
                    f" (small tables planned as seq scan at this volume: {', '.join(other)}; an index is used with enable_seqscan off)"
                    if other
                    else ""
                ),
                "—",
                "none",
                yes(not core),
            )
        )
    tr = r.get("trend_refresh")
    if tr:
        s, lg = tr[tr["short"]], tr[tr["long"]]
        out.append(
            (
                "Trend refresh after one check-in: 3 years vs 2 weeks of history",
                f"median {lg['p50_ms']} vs {s['p50_ms']} ms (p95 {lg['p95_ms']} vs {s['p95_ms']})",
                f"{tr['ratio_median']:.2f}",
                "≤ 1.2",
                yes(tr["ratio_median"] <= 1.2),
            )
        )
    dg = r.get("digest")
    if dg and len(dg) >= 2:
        labels = sorted(dg, key=lambda k: dg[k]["therapists"])
        few, many = dg[labels[0]], dg[labels[-1]]
        ratio = many["per_therapist_ms"] / few["per_therapist_ms"]
        out.append(
            (
                f"Weekly digest per therapist: {few['therapists']} → {many['therapists']} therapists ({many['clients']} clients)",
                f"{few['per_therapist_ms']} → {many['per_therapist_ms']} ms per therapist",
                f"{ratio:.2f}",
                "≤ 1.2",
                yes(ratio <= 1.2),
            )
        )
        peak = max(d["peak_rss_mb"] for d in dg.values())
        out.append(
            (
                "Digest worker peak memory (ru_maxrss)",
                f"{peak} MB",
                "—",
                "< 300 MB",
                yes(peak < 300),
            )
        )
    rm = r.get("reminders")
    if rm and "fewer" in rm and "more" in rm:
        a, b = rm["fewer"], rm["more"]
        ratio = b["p50_ms"] / a["p50_ms"]
        out.append(
            (
                f"Reminder scan, {a['due']} due: {a['clients']} vs {b['clients']} clients",
                f"median {a['p50_ms']} → {b['p50_ms']} ms",
                f"{ratio:.2f}",
                "independent (≤ 1.2)",
                yes(ratio <= 1.2),
            )
        )
        out.append(
            (
                "Reminder scan EXPLAIN at full volume",
                "index scan on next_reminder_at" if b["index_scan"] else "no index scan",
                "—",
                "index scan",
                yes(b["index_scan"]),
            )
        )
    lt = r.get("loadtest")
    if lt:
        m = lt["main"]
        out.append(
            (
                f"Load test {m['seconds']} s: {m['checkin_threads']} check-in + {m['dashboard_threads']} dashboard threads",
                f"{m['checkins_201']} check-ins ({m['checkin_rate_per_s']}/s), {m['dashboard_rate_per_s']} dashboards/s, errors {m['errors']}, stored {m['stored_checkins']}",
                "—",
                "0 errors, stored = 201s",
                yes(m["errors"] == 0 and m["nothing_lost_or_doubled"]),
            )
        )
        rate = lt["rate_at_target_p95"]
        out.append(
            (
                "Check-in rate reached at target p95 (≤ 3 × floor p95, under mixed load)",
                f"{rate}/s (target p95 {lt['target_checkin_p95_ms']} ms)"
                if rate is not None
                else f"none of the steps kept p95 ≤ {lt['target_checkin_p95_ms']} ms",
                "—",
                "reported",
                "—",
            )
        )
    return out


def main() -> None:
    r = load_results()
    m = machine()
    run, end = r.get("run", {}), r.get("run_end", {})
    lines = [
        "# Benchmarks",
        "",
        "Every figure is a ratio to a **floor measured in the same run**: an authenticated API GET",
        "(`GET /api/v1/me/` with a token) that runs one indexed query through the same middleware",
        "and auth. Produced by `make bench` (= `bench/run_all.sh`; `ARGS=--quick` for a short run).",
        "",
        f"- Date: {run.get('started', time.strftime('%Y-%m-%d'))}; mode: {run.get('mode', '?')}; total {end.get('seconds', '?')} s",
        f"- Command: `{end.get('command', 'bench/run_all.sh')}`",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['os']}; Python {m['python']}; PostgreSQL {m['postgresql']}",
        "- Server: gunicorn (sync workers) on 127.0.0.1, DEBUG=0, PostgreSQL `companion_bench`, Redis db 12;",
        "  the load generator (Python threads + requests) shares the same 2 cores.",
        "",
        "| figure | measured | ratio | target | met? |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows(r)]
    lines += [
        "",
        "## How each figure is measured",
        "",
        "- **Data**: `manage.py seed_scale`, then ANALYZE after each seed (autovacuum may be off",
        "  on the bench server).",
        "- **Latency p95** (floor, caseload, trends, check-in): one caller, one request at a time,",
        "  after a warm-up: the unloaded latency of each endpoint, divided by the floor's.",
        "- **Throughput**: 8 closed-loop callers for a fixed time (20 s; 10 s quick) against 3 and",
        "  5 gunicorn workers; check-ins rotate over 40 clients so no two callers post for the",
        "  same client. Ratio = check-in 201s per second / floor 200s per second.",
        "- **Trend page**: 10 clients in turn; each client's engine state and latest answer are",
        "  saved (`therapists/trends/store.py`), so the warm-up fills them and the figure is the",
        "  saved answer. The first view after new data (the engine steps today) is measured",
        "  apart, with the saved answers forgotten before each request (outside the timed part).",
        "- **Query counts**: in-process with the Django test client on the same database",
        "  (second request, so a token expiry refresh is not counted).",
        "- **EXPLAIN**: every SELECT the caseload request runs, captured and EXPLAINed after",
        "  ANALYZE; the reminder scan's query EXPLAINed with 100,000+ clients.",
        "- **Trend refresh**: `therapists.services.trends.trend_refresh` right after a",
        "  `checkin_create`, for clients with 14 days vs 1,095 days of history.",
        "- **Digest**: `therapists.tasks.send_digest_chunk` in chunks of `tasks.CHUNK`, in a fresh",
        "  process per measurement (locmem email, emptied after each chunk); memory is that",
        "  process's `ru_maxrss`. The larger measurement covers every therapist in the database.",
        "- **Reminders**: `journal.emails.reminders_send_due` with the same number due, first",
        "  with ~10,000 other clients not due, then with 100,000 more.",
        "- **Load test**: bench/loadtest.py; stored check-ins are counted in the database",
        "  after the run (created during it) and compared with the 201 answers and their ids.",
        "",
        "## Where the time goes (notes on the code, not figures of this run)",
        "",
        "- Trend page and trend refresh: `therapists/trends/store.client_trend` keeps each",
        "  client's engine state settled through yesterday (and weekly checkpoints for late",
        "  data); a call steps it through the days since and a copy through today, so the",
        "  engine's work and the rows read do not grow with history. A call whose inputs",
        "  (the replay span's day stamps, PHQ-9 totals, medication events) are unchanged reads",
        "  the saved answer back with four queries.",
        "- Check-in POST: one transaction and one UPDATE after it (the outbox row, marked once",
        "  the broker took it); the day rebuild reads the day's check-ins with their ratings in",
        "  one query and the week's ClientDay rows in another, with no savepoint; the answer is",
        "  built from what was written. What is left is one statement per table written, the",
        "  client lock, the vocabulary lookup and the Redis publish.",
        "- Caseload: the order needs only flags and last check-ins, so the 7-day figure and",
        "  homework adherence are read for the 50 rows of the page; User rows carry id, name",
        "  and time zone only. The single-column FK indexes on check-ins, daily summaries and",
        "  ratings were dropped (journal migration 0004): the composite `(client, date)` /",
        "  `(client, local_date)` indexes serve those lookups.",
        "",
        "Raw figures: `bench/results/latest.json`.",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[11 : 13 + len(rows(r))]))


if __name__ == "__main__":
    main()

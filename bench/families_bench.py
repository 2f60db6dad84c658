"""Blunting benchmark over several generator families, with operating curves.

    python bench/families_bench.py [--families classic,ramps,vocab,rhythm] [--clients 800]
        [--seed 1] [--sweep NAME=V1,V2,... [--sweep NAME2=...]] [--held-out]

Each family (bench/families/) writes its clients as export records, exactly what
`manage.py analyze_checkins` reads; this runner reads them the same way (local date =
date of `occurred_at` in its own offset, valences from the wheel, unknown slugs neutral)
and asks the engine, per client, what the command would print with `--today` at:

* onset + 7 and onset + 14 (blunting clients): level `flagged` or `escalated` counts as
  found; the onset error is |reported onset - true onset| at onset + 14, among those
  found; the medication link is whether the triggering event is among the related
  events at onset + 14 (all medication-triggered clients, found or not);
* onset + 35 (blunting clients whose history reaches it): `escalated`;
* the last day (every client) and, from the level history of that same call, every
  earlier day: a never-blunting client is a false flag if it is `flagged`+ on the last
  day ("last day") or on any day ("ever"). The engine is causal (its level history equals
  what `--today` on each day would say; tested), so one call gives both.

`--mirror` reruns the final figures through the real management command (grouping clients
by the `--today` they need), to check the two paths agree.

Proportions carry 95 % Wilson intervals; the median onset error a 95 % order-statistic
interval. `--sweep` reruns a family over values of an engine parameter: that is the
operating curve (sensitivity at +7 / +14 against false flags); several `--sweep`s run
every combination (e.g. `--sweep cusum_k=0.5,0.6 --sweep flag_h=1.5,2,3`).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import math
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from families import HELD_OUT, TUNING, load
from families.base import VALENCES, Synthetic, Truth

from journal.daily import CheckinPoint, Day, EmotionPoint, summarize
from therapists import trends
from therapists.trends import MedicationEvent, level_rank

FLAGGED = 2  # level_rank of "flagged"


def read_records(records: Sequence[dict]) -> tuple[list[Day], list[MedicationEvent]]:
    """Days and medication events of one client, read as `analyze_checkins` reads them."""
    points, events = [], []
    for line in records:
        if "medication_event" in line:
            raw = line["medication_event"]
            events.append(
                MedicationEvent(
                    id=str(raw["id"]),
                    medication=str(raw["medication"]),
                    kind=str(raw["kind"]),
                    dose=raw.get("dose") or None,
                    occurred_on=date.fromisoformat(raw["occurred_on"]),
                )
            )
            continue
        emotions = tuple(
            EmotionPoint(e["emotion"], e["intensity"], VALENCES.get(e["emotion"], "neutral"))
            for e in line.get("emotions") or ()
        )
        points.append(
            CheckinPoint(
                local_date=datetime.fromisoformat(line["occurred_at"]).date(),
                felt_intensity=line["felt_intensity"],
                emotions=emotions,
                symptoms=dict(line.get("symptoms") or {}),
            )
        )
    return summarize(points), events


@dataclass
class Outcome:
    truth: Truth
    level7: str | None = None
    level14: str | None = None
    onset14: date | None = None
    linked14: bool | None = None
    level35: str | None = None  # None also when the history ends before onset + 35
    reaches35: bool = False
    last_level: str | None = None
    ever_flagged: bool = False  # flagged+ on any day (never-blunting clients)
    dip_flagged: bool = False  # flagged raised during a dip or the week after


def evaluate(synthetic: Synthetic, params: trends.Params = trends.DEFAULT_PARAMS) -> Outcome:
    """One pass of the engine over the client's days, read at each `--today` we need.

    `advance` from an empty state through the days up to each reading day gives exactly
    what `assess(days, today=that day)` gives (tested in tests/trends/test_incremental.py),
    so one pass serves every reading; the chart of the pass is the level history.
    """
    truth = synthetic.truth
    days, events = read_records(synthetic.records)
    out = Outcome(truth)
    readings: dict[date, str] = {truth.last_day: "last"}
    if truth.onset is not None:
        for offset, name in ((7, "7"), (14, "14"), (35, "35")):
            day = truth.onset + timedelta(days=offset)
            if day <= truth.last_day:
                readings[day] = name
    state = trends.EngineState(params)
    chart: list = []
    done = 0
    for today in sorted(readings):
        upto = done
        while upto < len(days) and days[upto].date <= today:
            upto += 1
        state, result = trends.advance(state, days[done:upto], events, today=today)
        done = upto
        chart += [t for t in result.days if not chart or t.date > chart[-1].date]
        name = readings[today]
        if name == "last":
            out.last_level = result.level
        elif name == "7":
            out.level7 = result.level
        elif name == "14":
            out.level14, out.onset14 = result.level, result.onset
            if truth.trigger_id is not None and truth.kind == "medication":
                out.linked14 = any(
                    e.id == truth.trigger_id for e in result.related_medication_events
                )
        else:
            out.reaches35, out.level35 = True, result.level
    out.ever_flagged = any(level_rank(t.level) >= FLAGGED for t in chart)
    if truth.dip is not None:
        before = 0
        first, last = truth.dip[0], truth.dip[1] + timedelta(days=7)
        for t in chart:
            rank = level_rank(t.level)
            if first <= t.date <= last and rank >= FLAGGED > before:
                out.dip_flagged = True
            before = rank
    return out


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % score interval for a proportion (Wilson 1927)."""
    if n == 0:
        return math.nan, math.nan
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def rate(answers: Sequence[bool]) -> str:
    if not answers:
        return "–"
    hits, n = sum(answers), len(answers)
    low, high = wilson(hits, n)
    return f"{hits / n:.3f} ({low:.3f}–{high:.3f}; {hits}/{n})"


def median_interval(values: Sequence[int]) -> str:
    """Median with a 95 % distribution-free interval (order statistics, normal approx.)."""
    if not values:
        return "–"
    s = sorted(values)
    n = len(s)
    half = 1.96 * math.sqrt(n) / 2
    lo = max(0, math.floor(n / 2 - half))
    hi = min(n - 1, math.ceil(n / 2 + half) - 1)
    return f"{statistics.median(s):g} ({s[lo]:g}–{s[hi]:g})"


@dataclass
class Figures:
    """The headline figures of one family under one engine setting."""

    sens7: list[bool]
    sens14: list[bool]
    watch_only14: int
    nothing14: int
    false_ever: list[bool]
    false_last: list[bool]
    onset_errors: list[int]
    escalated: list[bool]
    linked: list[bool]
    dips: list[bool]


def figures(outcomes: Sequence[Outcome]) -> Figures:
    blunting = [o for o in outcomes if o.truth.blunting]
    never = [o for o in outcomes if not o.truth.blunting]
    found = [o for o in blunting if level_rank(o.level14) >= FLAGGED]
    return Figures(
        sens7=[level_rank(o.level7) >= FLAGGED for o in blunting],
        sens14=[level_rank(o.level14) >= FLAGGED for o in blunting],
        watch_only14=sum(1 for o in blunting if o.level14 == "watch"),
        nothing14=sum(1 for o in blunting if o.level14 is None),
        false_ever=[o.ever_flagged for o in never],
        false_last=[level_rank(o.last_level) >= FLAGGED for o in never],
        onset_errors=[abs((o.onset14 - o.truth.onset).days) for o in found if o.onset14],
        escalated=[o.level35 == "escalated" for o in blunting if o.reaches35],
        linked=[bool(o.linked14) for o in blunting if o.linked14 is not None],
        dips=[o.dip_flagged for o in never if o.truth.dip is not None],
    )


def headline(name: str, outcomes: Sequence[Outcome], elapsed: float) -> str:
    f = figures(outcomes)
    n_blunt = len(f.sens14)
    return "\n".join(
        [
            f"**{name}**: {len(outcomes)} clients ({n_blunt} blunting, "
            f"{len(f.false_ever)} never blunting), {elapsed:.0f} s",
            "",
            "| figure | value (95% interval; count) | target |",
            "|---|---|---|",
            f"| flagged by onset + 7 | {rate(f.sens7)} | |",
            f"| flagged by onset + 14 | {rate(f.sens14)} "
            f"({f.watch_only14} only at `watch`, {f.nothing14} at nothing) | ≥ 0.95 |",
            f"| false flags, never-blunting, last day | {rate(f.false_last)} | ≤ 0.02 |",
            f"| false flags, never-blunting, ever | {rate(f.false_ever)} | ≤ 0.02 |",
            f"| median onset error (days) | {median_interval(f.onset_errors)} | ≤ 2 |",
            f"| escalated at onset + 35 | {rate(f.escalated)} | ≥ 0.90 |",
            f"| medication-link recall | {rate(f.linked)} | ≥ 0.90 |",
            f"| 3–4-day dips flagged (during or week after) | {rate(f.dips)} | 0 |",
        ]
    )


def subgroups(outcomes: Sequence[Outcome]) -> str:
    """Sensitivity by +14 and false flags per kind and per family label."""
    rows = ["| group | clients | flagged by +14 | false flag ever |", "|---|---|---|---|"]
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[f"kind={o.truth.kind}"].append(o)
        for key, value in o.truth.notes.items():
            groups[f"{key}={value}"].append(o)
    for name in sorted(groups):
        group = groups[name]
        blunt = [level_rank(o.level14) >= FLAGGED for o in group if o.truth.blunting]
        never = [o.ever_flagged for o in group if not o.truth.blunting]
        rows.append(f"| {name} | {len(group)} | {_short(blunt)} | {_short(never)} |")
    return "\n".join(rows)


def _short(answers: Sequence[bool]) -> str:
    return f"{statistics.fmean(answers):.3f} (n={len(answers)})" if answers else "–"


def curve_row(value: str, outcomes: Sequence[Outcome]) -> str:
    f = figures(outcomes)
    errors = f.onset_errors
    return (
        f"| {value} | {_pct(f.sens7)} | {_pct(f.sens14)} | {_pct(f.false_last)} "
        f"| {_pct(f.false_ever)} | {statistics.median(errors) if errors else '–'} "
        f"| {_pct(f.escalated)} | {_pct(f.dips)} |"
    )


def _pct(answers: Sequence[bool]) -> str:
    return f"{statistics.fmean(answers):.3f}" if answers else "–"


CURVE_HEADER = (
    "| value | flagged by +7 | flagged by +14 | false flags (last day) | false flags (ever) "
    "| median onset error | escalated +35 | dips flagged |\n|---|---|---|---|---|---|---|---|"
)


def run_family(
    name: str, seed: int, clients: int, params: trends.Params = trends.DEFAULT_PARAMS
) -> tuple[list[Outcome], float]:
    started = time.perf_counter()
    synthetics = load(name).generate(seed, clients)
    outcomes = [evaluate(s, params) for s in synthetics]
    return outcomes, time.perf_counter() - started


def parse_value(name: str, text: str):
    """A parameter's value from the command line: ``1/4/8`` for a tuple,
    ``intensity:2/symptoms:3`` for weights (the rest kept), a plain number otherwise."""
    default = getattr(trends.DEFAULT_PARAMS, name)
    if isinstance(default, bool):
        return text.lower() in ("1", "true", "yes")
    if isinstance(default, tuple):
        return tuple(int(v) for v in text.split("/"))
    if isinstance(default, dict) or hasattr(default, "keys"):
        base = dict(default)
        for item in text.split("/"):
            key, _, value = item.partition(":")
            base[key] = float(value)
        return base
    return type(default)(text)


def params_from(settings: Sequence[str]) -> trends.Params:
    """The default parameters with each ``NAME=VALUE`` of ``--set`` applied."""
    change = {}
    for text in settings:
        key, _, value = text.partition("=")
        change[key] = parse_value(key, value)
    return dataclasses.replace(trends.DEFAULT_PARAMS, **change)


def parse_sweep(text: str) -> tuple[str, list]:
    name, _, values = text.partition("=")
    return name, [parse_value(name, v) for v in values.split(",")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(TUNING))
    parser.add_argument("--clients", type=int, default=800)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sweep", action="append", help="NAME=V1,V2,... an engine parameter to vary"
    )
    parser.add_argument("--subgroups", action="store_true")
    parser.add_argument("--held-out", action="store_true", help="run the held-out family")
    args = parser.parse_args(argv)
    names = list(HELD_OUT) if args.held_out else args.families.split(",")
    if args.sweep:
        sweeps = [parse_sweep(text) for text in args.sweep]
        label = " × ".join(f"`{param}`" for param, _ in sweeps)
        for name in names:
            print(f"\n**{name}**, operating curve over {label} ({args.clients} clients)\n")
            print(CURVE_HEADER)
            for combo in itertools.product(*(values for _, values in sweeps)):
                change = {param: value for (param, _), value in zip(sweeps, combo, strict=True)}
                params = dataclasses.replace(trends.DEFAULT_PARAMS, **change)
                outcomes, _ = run_family(name, args.seed, args.clients, params)
                print(curve_row(" ".join(f"{v}" for v in combo), outcomes), flush=True)
        return 0
    for name in names:
        outcomes, elapsed = run_family(name, args.seed, args.clients)
        print()
        print(headline(name, outcomes, elapsed))
        if args.subgroups:
            print()
            print(subgroups(outcomes))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

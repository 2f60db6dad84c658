"""Replay the detector on cached daily evidence: fast what-ifs for the blunting engine.

    python bench/replay.py capture --families classic,ramps,vocab,rhythm --seeds 1,2
    python bench/replay.py run [--set NAME=VALUE ...] [--subgroups] [--families ...]
    python bench/replay.py trace FAMILY SEED CLIENT

`capture` runs the real engine once per client (as bench/families_bench.py does) and
keeps, for every observed day, the composite's components (robust z-scores) and the
unpleasant-affect z, under /tmp/blunting_cache/. `run` recomputes each day's evidence
from them with `index.evidence` and steps the real `Detector`, so any parameter of the
evidence or of the detector can be changed without rerunning the measures. Exact for the
detector's own parts; close for the others (each day's baseline stays as the captured run
froze it). Confirm a change with a full families_bench run.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import statistics
import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import families_bench as fb
from families import load

from therapists import trends
from therapists.trends import engine as engine_module
from therapists.trends import index as index_module
from therapists.trends.detector import Detector
from therapists.trends.records import level_rank

CACHE = Path("/tmp/blunting_cache")


@dataclasses.dataclass
class Cached:
    truth: object
    events: list  # (id, occurred_on)
    days: list  # (date, checkins, parts, unpleasant_z, source, raw z-scores by measure)


def capture(name: str, seed: int, clients: int) -> list[Cached]:
    captured: list = []
    original = engine_module.blunting_index

    def spy(m, baseline, params):
        parts = index_module.components(m, baseline, params)
        na = baseline.norms["negative_affect"]
        uz = (m.negative_affect - na.median) / na.scale
        raw = {}
        for k, norm in baseline.norms.items():
            v = m.value(k)
            raw[k] = None if v is None else (v - norm.median) / norm.scale
        captured.append((m.date, m.checkins, parts, uz, baseline.source, raw))
        return original(m, baseline, params)

    engine_module.blunting_index = spy
    out = []
    try:
        for s in load(name).generate(seed, clients):
            captured.clear()
            fb.evaluate(s)
            _, events = fb.read_records(s.records)
            out.append(Cached(s.truth, [(e.id, e.occurred_on) for e in events], list(captured)))
    finally:
        engine_module.blunting_index = original
    return out


CLIP: dict[str, float] = {}  # what-if clip per component (bench only, see --clip)


def parts_from_raw(raw: dict, source: str, p: trends.Params) -> dict[str, float]:
    """The composite's components from cached unsigned z-scores (as index.components)."""

    def z(measure: str, name: str) -> float | None:
        v = raw.get(measure)
        if v is None:
            return None
        c = CLIP.get(name, p.z_clip)
        return max(-p.z_clip, min(c, index_module.DIRECTION[measure] * v))

    def mean(a, b):
        present = [v for v in (a, b) if v is not None]
        return statistics.fmean(present) if present else None

    found = {
        "intensity": z("felt_intensity", "intensity"),
        "feelings": z("feelings_per_checkin", "feelings"),
        "empty": z("empty_share", "empty"),
        "symptoms": z("symptom_score", "symptoms"),
        "range": z("emotional_range", "range"),
        "pleasant_variability": mean(
            z("positive_affect_sd", "pv"), z("positive_affect_rmssd", "pv")
        ),
        "unpleasant_variability": mean(
            z("negative_affect_sd", "uv"), z("negative_affect_rmssd", "uv")
        ),
    }
    if source == "population":
        found = {n: found[n] for n in index_module.POPULATION_COMPONENTS}
    return {n: v for n, v in found.items() if v is not None and p.weights[n] > 0}


def day_parts(row, p: trends.Params) -> dict[str, float]:
    _, _, parts, _, src, raw = row
    return parts_from_raw(raw, src, p) if CLIP else parts


def replay(c: Cached, p: trends.Params) -> fb.Outcome:
    truth = c.truth
    det = Detector(p)
    hist: list[tuple[date, str | None, date | None]] = []
    for row in c.days:
        day, uz = row[0], row[3]
        x = index_module.evidence(day_parts(row, p), uz, p).value
        det.step(day, x)
        ep = det.episode
        hist.append((day, det.level, ep.onset if ep else None))

    def at(today: date):
        level = onset = None
        for d, lv, on in hist:
            if d > today:
                break
            level, onset = lv, on
        return level, onset

    out = fb.Outcome(truth)
    out.last_level = at(truth.last_day)[0]
    if truth.onset is not None:
        out.level7 = at(truth.onset + timedelta(days=7))[0]
        out.level14, out.onset14 = at(truth.onset + timedelta(days=14))
        if truth.trigger_id is not None and truth.kind == "medication":
            on = out.onset14
            out.linked14 = bool(on) and any(
                i == truth.trigger_id and on - timedelta(days=28) <= d <= on for i, d in c.events
            )
            if level_rank(out.level14) < 1:
                out.linked14 = False
        d35 = truth.onset + timedelta(days=35)
        if d35 <= truth.last_day:
            out.reaches35, out.level35 = True, at(d35)[0]
    out.ever_flagged = any(level_rank(lv) >= fb.FLAGGED for _, lv, _ in hist)
    if truth.dip is not None:
        before = 0
        first, last = truth.dip[0], truth.dip[1] + timedelta(days=7)
        for d, lv, _ in hist:
            rank = level_rank(lv)
            if first <= d <= last and rank >= fb.FLAGGED > before:
                out.dip_flagged = True
            before = rank
    return out


def cache_path(name: str, seed: int) -> Path:
    return CACHE / f"{name}_{seed}.pkl"


class _Unpickler(pickle.Unpickler):
    """Caches written by ``python bench/replay.py capture`` name the class ``__main__.Cached``."""

    def find_class(self, module, name):
        if name == "Cached":
            return Cached
        return super().find_class(module, name)


def load_cached(name: str, seeds: Sequence[int]) -> list[Cached]:
    """The cached clients of one family, the seeds pooled in order."""
    out: list[Cached] = []
    for seed in seeds:
        with cache_path(name, seed).open("rb") as handle:
            out += _Unpickler(handle).load()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("capture", "run", "trace", "diagnose"))
    parser.add_argument("rest", nargs="*")
    parser.add_argument("--families", default="classic,ramps,vocab,rhythm")
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--clients", type=int, default=800)
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--subgroups", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--clip", default="", help="what-if clips: name:value/...")
    args = parser.parse_args(argv)
    names = args.families.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    p = fb.params_from(args.set)
    for item in filter(None, args.clip.split("/")):
        key, _, value = item.partition(":")
        CLIP[key] = float(value)
    if args.command == "capture":
        CACHE.mkdir(exist_ok=True)
        for name in names:
            for seed in seeds:
                data = capture(name, seed, args.clients)
                cache_path(name, seed).write_bytes(pickle.dumps(data))
                print(f"captured {name} seed {seed}: {len(data)} clients", flush=True)
        return 0
    if args.command == "trace":
        name, seed, client = args.rest[0], int(args.rest[1]), args.rest[2]
        data = load_cached(name, [seed])
        c = next(c for c in data if c.truth.client == client)
        print(c.truth)
        det = Detector(p)
        for day, n, parts, uz, src, *_ in c.days:
            x = index_module.evidence(parts, uz, p)
            det.step(day, x.value)
            rel = (day - c.truth.onset).days if c.truth.onset else ""
            comp = " ".join(f"{k[:4]}={v:+.1f}" for k, v in parts.items())
            print(
                f"{day} {rel!s:>4} n={n} {src[:3]} x={x.value:+.2f} {x.guarded_by or '':9}"
                f" S={det.cusum:.2f} {det.level or '':9} {comp} uz={uz:+.1f}"
            )
        return 0
    if args.command == "diagnose":
        key = args.rest[0] if args.rest else "mode"

        def group_key(t):
            return t.notes.get(key, t.mode) if key != "mode" else t.mode

        diagnose(names, seeds, p, group_key)
        return 0
    totals = defaultdict(list)
    for name in names:
        for seed in seeds:
            data = load_cached(name, [seed])
            outcomes = [replay(c, p) for c in data]
            totals[name] += outcomes
            f = fb.figures(outcomes)
            if args.quiet:
                continue
            print(
                f"{name:8} s{seed} +7 {fb._pct(f.sens7)} +14 {fb._pct(f.sens14)} "
                f"false-ever {fb._pct(f.false_ever)} ({sum(f.false_ever)}) "
                f"err {statistics.median(f.onset_errors) if f.onset_errors else '-'} "
                f"esc {fb._pct(f.escalated)} link {fb._pct(f.linked)} "
                f"dips {sum(f.dips)}/{len(f.dips)}",
                flush=True,
            )
            if args.subgroups:
                print(fb.subgroups(outcomes))
    print(pooled(totals))
    return 0


def pooled(totals) -> str:
    """One line: per family (seeds pooled) flagged by +14, false flags ever, dips, esc, link."""
    cells = []
    for name, outcomes in totals.items():
        f = fb.figures(outcomes)
        cells.append(
            f"{name[:5]} {fb._pct(f.sens14)} fe{sum(f.false_ever)} d{sum(f.dips)}"
            f" e{fb._pct(f.escalated)[1:]} l{fb._pct(f.linked)[1:]}"
            f" o{statistics.median(f.onset_errors):g}"
        )
    return " | ".join(cells)


def diagnose(names, seeds, p, group_key):
    """Misses at onset + 14: what blocks them, and which components move."""
    rows = defaultdict(lambda: defaultdict(list))
    for name in names:
        for seed in seeds:
            for c in load_cached(name, [seed]):
                t = c.truth
                if t.onset is None:
                    continue
                g = f"{name}:{group_key(t)}"
                det = Detector(p)
                end = t.onset + timedelta(days=14)
                smax, xs, comps, nobs = 0.0, [], defaultdict(list), 0
                for day, _n, parts, uz, _s, *_ in c.days:
                    if day > end:
                        break
                    x = index_module.evidence(parts, uz, p).value
                    det.step(day, x)
                    if day >= t.onset:
                        nobs += 1
                        smax = max(smax, det.cusum)
                        xs.append(x)
                        for k, v in parts.items():
                            comps[k].append(v)
                found = level_rank(det.level) >= 2
                r = rows[g]
                r["found"].append(found)
                if not found:
                    r["level"].append(det.level or "none")
                    r["smax"].append(smax)
                    r["S14"].append(det.cusum)
                    r["xmean"].append(statistics.fmean(xs) if xs else 0.0)
                    r["nobs"].append(nobs)
                    for k, v in comps.items():
                        r["z_" + k].append(statistics.fmean(v))
    for g in sorted(rows):
        r = rows[g]
        miss = len(r["level"])
        line = f"{g:32} n={len(r['found'])} found={statistics.fmean(r['found']):.2f} miss={miss}"
        if miss:
            lv = defaultdict(int)
            for v in r["level"]:
                lv[v] += 1
            line += f" {dict(lv)} Smax~{statistics.median(r['smax']):.2f}"
            line += (
                f" S14~{statistics.median(r['S14']):.2f} xmean~{statistics.median(r['xmean']):.2f}"
            )
            line += f" obs~{statistics.median(r['nobs'])}"
            line += " | " + " ".join(
                f"{k[2:6]}={statistics.median(v):+.2f}" for k, v in r.items() if k.startswith("z_")
            )
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())

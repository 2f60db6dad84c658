"""How much can any detector see by onset + 14? A ceiling and a simple rival, per family.

    python bench/replay.py capture --families classic,ramps,vocab,rhythm,travel,life --seeds 1,2
    python bench/ceiling.py [--families ...] [--seeds 1,2] [--fp 0.02]

Both read the daily components cached by `bench/replay.py capture` (the engine's own
robust z-scores against its own baseline), so they measure the information in the
evidence, not the engine's rules.

* **Oracle window.** A detector that is *told* the onset and scores the evidence of the
  observed days onset … onset + 14 as Σx/√n (a z-like sum, fair to sparse checkers),
  optionally after dropping the window's `trim` highest days (`--trims`, so a 3–4-day dip weighs
  less). Its threshold is set on the never-blunting clients (dips, sad episodes, illness
  weeks …), where it must scan every 15-day window of the series, so that at most `--fp`
  of them ever cross it. It is not a proof of a ceiling, but it is a detector a real one
  cannot beat by much: it knows the onset, and a real detector does not.
* **Simple CUSUM.** The "60-line" rival of issue #18: S = max(0, S + x − k) on a plain
  composite (the mean of the felt-intensity, feelings-named, empty-check-in and symptom
  z-scores, no guards, no absence factor, no duration rule), flagged when S ≥ h. Over a
  grid of k and h, the best sensitivity by onset + 14 whose false flags (ever) stay
  within `--fp` on that family, and the single setting that is best across families.

Evidence kinds: `engine` (the engine's daily evidence, guards and absence factor
included), `engine+pleasant×W` (with `--pleasant W,...`: plus W times the clipped z of the
day's drop in pleasant affect, the candidate measure for "pleasant feelings fade first"),
`engine+calm-pleasant×W` (with `--calm-pleasant W,...`: the same term only on days when
unpleasant affect is not up and felt intensity not above baseline, z < 0.5 both, so a sad
day's lost pleasure does not count),
`plain` (the composite above) and `fitted` (Fisher's linear discriminant of all
seven components and the unpleasant-affect z, fitted on the tuning families' blunted days
onset + 4 … + 14 against the never-blunting clients' days: the best linear weights in
hindsight).
"""

from __future__ import annotations

import argparse
import bisect
import math
import statistics
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import replay

from therapists import trends
from therapists.trends import index as index_module

PLAIN = ("intensity", "feelings", "empty", "symptoms")
WINDOW = 14  # onset … onset + 14: 15 calendar days
KS = (0.3, 0.4, 0.5, 0.6, 0.7)
HS = (2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


COMPONENTS = (
    "intensity",
    "feelings",
    "empty",
    "symptoms",
    "range",
    "pleasant_variability",
    "unpleasant_variability",
)
TUNING = ("classic", "ramps", "vocab", "rhythm")


def features(parts: dict, uz: float) -> list[float]:
    return [parts.get(n, 0.0) for n in COMPONENTS] + [uz]


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8 × 8)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit_weights(pooled: dict) -> list[float]:
    """Fisher's discriminant: Σ⁻¹ (mean blunted − mean ordinary), Σ the pooled covariance."""
    groups: tuple[list, list] = ([], [])
    for name in TUNING:
        for c in pooled.get(name, []):
            t = c.truth
            for day, _n, parts, uz, source, *_ in c.days:
                if source == "population":
                    continue
                if t.onset is None:
                    groups[0].append(features(parts, uz))
                elif t.onset + timedelta(days=4) <= day <= t.onset + timedelta(days=WINDOW):
                    groups[1].append(features(parts, uz))
    k = len(COMPONENTS) + 1
    means = [[statistics.fmean(r[i] for r in g) for i in range(k)] for g in groups]
    cov = [[0.0] * k for _ in range(k)]
    for g, mu in zip(groups, means, strict=True):
        for r in g:
            d = [r[i] - mu[i] for i in range(k)]
            for i in range(k):
                for j in range(k):
                    cov[i][j] += d[i] * d[j]
    total = sum(len(g) for g in groups)
    cov = [
        [v / total + (1e-3 if i == j else 0.0) for j, v in enumerate(row)]
        for i, row in enumerate(cov)
    ]
    w = solve(cov, [b - a for a, b in zip(*means, strict=True)])
    scale = sum(abs(v) for v in w)
    return [v / scale for v in w]


WEIGHTS: list[float] = []


def series(c, kind: str, p) -> list[tuple]:
    out = []
    for day, _n, parts, uz, _source, raw in c.days:
        if kind == "engine":
            x = index_module.evidence(parts, uz, p).value
        elif kind.startswith("engine+pleasant"):
            # the engine's evidence plus a weight × the drop in pleasant affect (clipped z)
            weight = float(kind.rpartition("×")[2])
            drop = -raw["positive_affect"] if raw.get("positive_affect") is not None else 0.0
            x = index_module.evidence(parts, uz, p).value + weight * max(-3.0, min(3.0, drop))
        elif kind.startswith("engine+calm-pleasant"):
            # the same, counted only on a calm day: neither unpleasant affect nor felt
            # intensity above baseline (a sad or anxious day loses pleasure too)
            weight = float(kind.rpartition("×")[2])
            x = index_module.evidence(parts, uz, p).value
            felt = raw.get("felt_intensity")
            if raw.get("positive_affect") is not None and uz < 0.5 and (felt or 0.0) < 0.5:
                x += weight * max(-3.0, min(3.0, -raw["positive_affect"]))
        elif kind == "fitted":
            x = sum(w * v for w, v in zip(WEIGHTS, features(parts, uz), strict=True))
        else:
            present = [parts[n] for n in PLAIN if n in parts]
            x = statistics.fmean(present) if present else 0.0
        out.append((day, x))
    return out


def score(values: list[float], trim: int, ramp: bool = False) -> float:
    """Σx/√n after dropping the `trim` highest days; −∞ when nothing is left.

    With `ramp`, the window's days are weighted 1, 2, 3 … in date order instead
    (Σwx/√Σw²: the filter matched to a change growing linearly over the window) and
    `trim` is unused.
    """
    if ramp and values:
        n = len(values)
        weighted = sum((i + 1) * x for i, x in enumerate(values))
        return weighted / math.sqrt(n * (n + 1) * (2 * n + 1) / 6)
    kept = sorted(values)[: len(values) - trim] if trim else values
    return sum(kept) / math.sqrt(len(kept)) if kept else -math.inf


def every_window(xs: list[tuple], first, last, trim: int, ramp: bool = False) -> float:
    """The highest score over the windows day … day + 14 of every observed day after a
    14-day run-in whose window ends by the last day."""
    days = [d for d, _ in xs]
    best = -math.inf
    for i, d0 in enumerate(days):
        if (d0 - first).days < 14 or d0 + timedelta(days=WINDOW) > last:
            continue
        j = bisect.bisect_right(days, d0 + timedelta(days=WINDOW))
        best = max(best, score([x for _, x in xs[i:j]], trim, ramp))
    return best


def oracle(data, kind: str, trim: int, fp: float, p, ramp: bool = False) -> float:
    """Flagged by onset + 14 when told the onset, at the threshold that ≤ fp of the
    never-blunting clients cross in any window."""
    null_max, hits = [], []
    for c in data:
        xs = series(c, kind, p)
        t = c.truth
        if t.onset is None:
            null_max.append(every_window(xs, t.first_day, t.last_day, trim, ramp))
        else:
            end = t.onset + timedelta(days=WINDOW)
            hits.append(score([x for d, x in xs if t.onset <= d <= end], trim, ramp))
    null_max.sort()
    cut = null_max[min(len(null_max) - 1, math.floor((1 - fp) * len(null_max)))]
    return sum(h > cut for h in hits) / len(hits)


def cusum(prepared, k: float, h: float) -> tuple[float, float]:
    """(flagged by onset + 14, false flags ever) of S = max(0, S + x − k) ≥ h."""
    found, false = [], []
    for t, xs in prepared:
        s, alarm = 0.0, None
        for d, x in xs:
            s = max(0.0, s + x - k)
            if s >= h:
                alarm = d
                break
        if t.onset is None:
            false.append(alarm is not None)
        else:
            found.append(alarm is not None and t.onset <= alarm <= t.onset + timedelta(days=WINDOW))
    return statistics.fmean(found), statistics.fmean(false)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", default="classic,ramps,vocab,rhythm,travel,life")
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--fp", type=float, default=0.02)
    parser.add_argument(
        "--pleasant",
        default="",
        help="weights (comma-separated) for a pleasant-affect-level term added to the engine's evidence",
    )
    parser.add_argument(
        "--calm-pleasant",
        default="",
        help="weights for the same term counted only on calm days (see engine+calm-pleasant)",
    )
    parser.add_argument("--trims", default="0,2", help="highest days dropped, comma-separated")
    parser.add_argument(
        "--ramp",
        action="store_true",
        help="also score the engine's evidence with the ramp-matched window weights",
    )
    args = parser.parse_args(argv)
    p = trends.DEFAULT_PARAMS
    names = args.families.split(",")
    seeds = [int(seed) for seed in args.seeds.split(",")]
    pooled = {name: replay.load_cached(name, seeds) for name in names}
    WEIGHTS[:] = fit_weights(pooled)
    print(
        "fitted weights: "
        + ", ".join(
            f"{n} {w:+.3f}" for n, w in zip((*COMPONENTS, "unpleasant"), WEIGHTS, strict=True)
        )
    )
    print(f"\n## Oracle window (told the onset; false flags ≤ {args.fp:.0%} over every window)\n")
    kinds = ["engine", "plain", "fitted"]
    kinds += [f"engine+pleasant×{w}" for w in filter(None, args.pleasant.split(","))]
    kinds += [f"engine+calm-pleasant×{w}" for w in filter(None, args.calm_pleasant.split(","))]
    trims = [int(t) for t in args.trims.split(",")]
    variants = [(kind, trim) for kind in kinds for trim in trims]
    labels = [f"{k}, top {t} dropped" for k, t in variants]
    if args.ramp:
        variants.append(("engine", "ramp"))
        labels.append("engine, ramp-weighted")
    print("| family | blunting | " + " | ".join(labels) + " |")
    print("|---|---|" + "---|" * len(variants))
    for name, data in pooled.items():
        cells = [
            f"{oracle(data, k, 0 if t == 'ramp' else t, args.fp, p, ramp=t == 'ramp'):.3f}"
            for k, t in variants
        ]
        n = sum(1 for c in data if c.truth.onset is not None)
        print(f"| {name} | {n} | " + " | ".join(cells) + " |", flush=True)
    print(
        f"\n## Simple CUSUM on the plain composite (best k, h with false flags ≤ {args.fp:.0%})\n"
    )
    grid = {(k, h): {} for k in KS for h in HS}
    for name, data in pooled.items():
        prepared = [(c.truth, series(c, "plain", p)) for c in data]
        for k, h in grid:
            grid[(k, h)][name] = cusum(prepared, k, h)
    print("| family | best flagged by + 14 | false flags ever | k, h |")
    print("|---|---|---|---|")
    for name in names:
        ok = [(v[name], kh) for kh, v in grid.items() if v[name][1] <= args.fp]
        if not ok:
            print(f"| {name} | none within {args.fp:.0%} | | |")
            continue
        (sens, false), (k, h) = max(ok)
        print(f"| {name} | {sens:.3f} | {false:.3f} | {k}, {h} |")
    common = [
        (min(v[n][0] for n in names), kh)
        for kh, v in grid.items()
        if all(v[n][1] <= args.fp for n in names)
    ]
    if common:
        _worst, kh = max(common)
        row = grid[kh]
        print(
            f"\nOne setting for all (k, h = {kh[0]}, {kh[1]}): "
            + ", ".join(f"{n} {row[n][0]:.3f} (false {row[n][1]:.3f})" for n in names)
        )
    else:
        print(f"\nNo single setting keeps false flags within {args.fp:.0%} on every family.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

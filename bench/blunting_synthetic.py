"""Synthetic EMA benchmark for the blunting engine.

Generates seeded, EMA-like check-in histories for a mix of clients (stable, blunting of
varied depth and speed, medication-triggered blunting, sad/anxious episodes, short dips,
anxious clients calming down; every kind with dense or sparse check-ins), runs them
through `journal.daily.summarize` and `therapists.trends.assess`, and prints a Markdown
table of the figures the engine is held to.

    python bench/blunting_synthetic.py [--seeds 1-20] [--clients 400] [--jobs N]
    python bench/blunting_synthetic.py --seed 1        # one seed, about 25 s

Figures are pooled over all seeds and shown with 95 % intervals; one seed alone is too
small to tell 89 % from 91 % (see `report`).

The generator's assumptions are listed in docs/BLUNTING.md; they are modelling choices,
not estimates from real patients.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journal.daily import SYMPTOM_KEYS, CheckinPoint, EmotionPoint, summarize
from therapists.trends import (
    Assessment,
    MedicationEvent,
    assess,
    level_rank,
)

PLEASANT = [
    "happy",
    "joyful",
    "content",
    "grateful",
    "hopeful",
    "proud",
    "excited",
    "calm",
    "relaxed",
    "loving",
    "playful",
    "inspired",
    "curious",
    "confident",
    "peaceful",
    "amused",
]
UNPLEASANT = [
    "sad",
    "lonely",
    "anxious",
    "worried",
    "angry",
    "frustrated",
    "irritated",
    "ashamed",
    "guilty",
    "hurt",
    "disappointed",
    "overwhelmed",
    "stressed",
    "afraid",
    "jealous",
]
NEUTRAL = ["tired", "okay", "surprised", "confused"]
FLAT = ("tired", "okay", "indifferent", "flat", "bored")
FLAT_VALENCE = {
    "tired": "neutral",
    "okay": "neutral",
    "indifferent": "neutral",
    "flat": "neutral",
    "bored": "unpleasant",
}
SAD = ("sad", "lonely", "hurt", "disappointed", "guilty")
ANXIOUS = ("anxious", "worried", "afraid", "overwhelmed", "stressed")
VALENCE = {
    **dict.fromkeys(PLEASANT, "pleasant"),
    **dict.fromkeys(UNPLEASANT, "unpleasant"),
    **dict.fromkeys(NEUTRAL, "neutral"),
    **FLAT_VALENCE,
}

HISTORY_DAYS = 150
BLUNTING_KINDS = ("blunting", "medication")
SCENARIO_MIX = (  # (kind, share of clients)
    ("stable", 0.26),
    ("blunting", 0.20),
    ("medication", 0.20),
    ("sad", 0.08),
    ("anxious", 0.06),
    ("dip", 0.10),
    ("calming", 0.10),
)


@dataclass
class Profile:
    """A client's personal style (drawn once) and scenario timeline."""

    kind: str
    start: date
    intensity: float
    pleasant: float
    unpleasant: float
    mood_sd: float
    day_prob: float
    per_day: tuple[float, float, float]  # P(1), P(2), P(3) check-ins on a check-in day
    emotions_mean: float
    empty_prob: float
    symptom_answer_prob: float
    symptom_means: dict[str, float]
    weights: dict[str, float]
    gaps: list[tuple[int, int]] = field(default_factory=list)
    onset: int | None = None  # day number of the blunting onset (or episode start)
    ramp: int = 1
    depth: float = 0.0
    episode_days: int = 0
    trigger: MedicationEvent | None = None


@dataclass(frozen=True)
class Client:
    profile: Profile
    checkins: list[CheckinPoint]
    medication_events: list[MedicationEvent]


def _choose_kind(rng: random.Random) -> str:
    r = rng.random()
    for kind, share in SCENARIO_MIX:
        if r < share:
            return kind
        r -= share
    return SCENARIO_MIX[0][0]


def make_profile(rng: random.Random, kind: str) -> Profile:
    sparse = rng.random() < 0.3
    day_prob = rng.uniform(0.4, 0.6) if sparse else rng.uniform(0.6, 0.95)
    p1 = rng.uniform(0.4, 0.8)
    p2 = rng.uniform(0.1, 1 - p1)
    vocabulary = PLEASANT + UNPLEASANT + NEUTRAL
    profile = Profile(
        kind=kind,
        start=date(2026, 1, 1) + timedelta(days=rng.randrange(200)),
        intensity=rng.uniform(4.0, 7.5),
        pleasant=rng.uniform(3.5, 6.5),
        unpleasant=rng.uniform(2.0, 4.5),
        mood_sd=rng.uniform(0.9, 1.8),
        day_prob=day_prob,
        per_day=(p1, p2, 1 - p1 - p2),
        emotions_mean=rng.uniform(1.5, 3.2),
        empty_prob=rng.uniform(0.0, 0.08),
        symptom_answer_prob=rng.uniform(0.3, 1.0),
        symptom_means={k: rng.uniform(0.0, 0.8) for k in SYMPTOM_KEYS},
        weights={s: rng.gammavariate(0.8, 1.0) + 0.05 for s in vocabulary},
    )
    if rng.random() < 0.2:
        for _ in range(rng.randint(1, 2)):
            begin = rng.randrange(10, HISTORY_DAYS - 15)
            profile.gaps.append((begin, begin + rng.randint(5, 12)))
    if kind in BLUNTING_KINDS:
        profile.onset = rng.randrange(40, 110)
        profile.ramp = rng.choice((1, 2, 3, 5, 7, 10, 14))
        profile.depth = rng.uniform(0.45, 1.0)
    elif kind in ("sad", "anxious"):
        profile.onset = rng.randrange(40, 120)
        profile.episode_days = rng.randint(7, 21)
    elif kind == "dip":
        profile.onset = rng.randrange(40, 130)
        profile.episode_days = rng.randint(3, 4)
        profile.depth = rng.uniform(0.8, 1.0)
    elif kind == "calming":
        profile.onset = rng.randrange(30, 100)
        profile.episode_days = rng.randint(7, 21)  # how long calming takes
    return profile


def blunting_at(p: Profile, t: int) -> float:
    """Blunting factor 0..1 on day t: a ramp to `depth` (dips end after a few days)."""
    if p.onset is None or p.kind not in (*BLUNTING_KINDS, "dip") or t < p.onset:
        return 0.0
    if p.kind == "dip":
        return p.depth if t < p.onset + p.episode_days else 0.0
    return p.depth * min(1.0, (t - p.onset + 1) / p.ramp)


def episode_at(p: Profile, t: int) -> float:
    """Sad/anxious episode strength 0..1 (two-day ramp in and out)."""
    if p.kind not in ("sad", "anxious") or p.onset is None:
        return 0.0
    end = p.onset + p.episode_days
    if t < p.onset or t >= end + 2:
        return 0.0
    return min(1.0, (t - p.onset + 1) / 2, (end + 2 - t) / 2)


def anxiety_at(p: Profile, t: int) -> float:
    """Anxiety 0..1 of a client who calms down after `onset` over `episode_days`."""
    if p.kind != "calming" or p.onset is None:
        return 0.0
    if t < p.onset:
        return 1.0
    return max(0.15, 1.0 - (t - p.onset) / p.episode_days)


def _pick(rng: random.Random, slugs: Sequence[str], weights: dict[str, float], k: int) -> list:
    chosen: list[str] = []
    pool = list(slugs)
    while pool and len(chosen) < k:
        w = [weights.get(s, 1.0) for s in pool]
        s = rng.choices(pool, w)[0]
        chosen.append(s)
        pool.remove(s)
    return chosen


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def generate(rng: random.Random, p: Profile) -> Client:
    checkins: list[CheckinPoint] = []
    mood_pa = mood_na = 0.0
    for t in range(HISTORY_DAYS):
        b, s, a = blunting_at(p, t), episode_at(p, t), anxiety_at(p, t)
        # AR(1) daily mood; blunting shrinks its movement, distress widens it
        noise = p.mood_sd * (1 - 0.75 * b) * (1 + 0.5 * s + 0.6 * a)
        mood_pa = 0.4 * mood_pa + rng.gauss(0, noise)
        mood_na = 0.4 * mood_na + rng.gauss(0, noise)
        day_pa = p.pleasant * (1 - 0.55 * b) - 1.8 * s - 1.0 * a + mood_pa
        day_na = p.unpleasant * (1 - 0.5 * b) + 3.5 * s + 3.0 * a + mood_na
        if any(lo <= t < hi for lo, hi in p.gaps):
            continue
        if rng.random() > p.day_prob * (1 - 0.15 * b):
            continue
        n = rng.choices((1, 2, 3), p.per_day)[0]
        day = p.start + timedelta(days=t)
        for _ in range(n):
            checkins.append(_checkin(rng, p, day, b, s, a, day_pa, day_na))
    return Client(p, checkins, _medications(rng, p))


def _checkin(rng, p: Profile, day: date, b, s, a, day_pa, day_na) -> CheckinPoint:
    felt = p.intensity * (1 - 0.6 * b) + 2.0 * s + 1.5 * a + rng.gauss(0, 1.0 * (1 - 0.4 * b))
    emotions: list[EmotionPoint] = []
    if rng.random() >= p.empty_prob + 0.5 * b:
        k = max(1, round(rng.gauss(p.emotions_mean * (1 - 0.6 * b), 0.8)))
        if rng.random() < 0.85 * b:
            slugs = _pick(rng, FLAT, {}, min(k, 2))
        else:
            tilt_na = max(0.2, day_na) + (3.0 if s or a > 0.5 else 0.0)
            pool_w = dict(p.weights)
            for slug in PLEASANT:
                pool_w[slug] *= max(0.2, day_pa) / 5
            for slug in UNPLEASANT:
                pool_w[slug] *= tilt_na / 5
            focus = SAD if p.kind == "sad" else ANXIOUS
            if s or a > 0.3:
                for slug in focus:
                    pool_w[slug] *= 6
            slugs = _pick(rng, PLEASANT + UNPLEASANT + NEUTRAL, pool_w, k)
        for slug in slugs:
            valence = VALENCE[slug]
            centre = day_pa if valence == "pleasant" else day_na if valence == "unpleasant" else 3
            intensity = _clip(centre + rng.gauss(0, 1.2 * (1 - 0.5 * b)), 0, 10)
            emotions.append(EmotionPoint(slug, intensity, valence))
    symptoms: dict[str, int] = {}
    if rng.random() < p.symptom_answer_prob:
        answered = SYMPTOM_KEYS if rng.random() < 0.8 else rng.sample(SYMPTOM_KEYS, 3)
        for key in answered:
            sad_part = 0.8 * s if key in ("lost_interest", "fatigue", "disconnected") else 0
            value = p.symptom_means[key] + 2.0 * b + sad_part + 0.3 * a + rng.gauss(0, 0.5)
            symptoms[key] = _clip(value, 0, 3)
    return CheckinPoint(day, _clip(felt, 0, 10), tuple(emotions), symptoms)


def _medications(rng: random.Random, p: Profile) -> list[MedicationEvent]:
    """Unrelated background events for anyone, and the trigger for medication cases."""
    events = []
    for i in range(rng.choice((0, 0, 1, 2))):
        t = rng.randrange(HISTORY_DAYS)
        events.append(
            MedicationEvent(
                f"bg{i}",
                "vitamin d",
                rng.choice(("start", "stop")),
                None,
                p.start + timedelta(days=t),
            )
        )
    if p.kind == "medication" and p.onset is not None:
        lag = rng.randint(2, 21)
        p.trigger = MedicationEvent(
            "trigger",
            rng.choice(("sertraline", "escitalopram", "fluoxetine")),
            rng.choice(("start", "increase")),
            rng.choice(("50 mg", "100 mg", "20 mg")),
            p.start + timedelta(days=p.onset - lag),
        )
        events.append(p.trigger)
    return events


@dataclass
class Outcome:
    kind: str
    sparse: bool
    ramp: int = 0
    observed_14: int = 0  # days with check-ins from onset to onset + 14
    detected: bool = False
    onset_error: int | None = None
    linked: bool | None = None
    false_flag: bool = False
    dip_flagged: bool = False  # `flagged` raised during a short dip or in the week after it
    any_watch: bool = False
    days_to_watch: int | None = None
    days_to_flag: int | None = None
    escalated_by_35: bool = False


def _first_day(a: Assessment, rank: int, since: date) -> date | None:
    for trend in a.days:
        if trend.date >= since and level_rank(trend.level) >= rank:
            return trend.date
    return None


def _raised_between(a: Assessment, first: date, last: date) -> bool:
    """Whether the level rose to `flagged` or above on a day in first..last.

    A flag already standing when the dip began was raised on earlier data, so it is a
    false flag (counted as one) but not one the dip caused.
    """
    before = 0
    for trend in a.days:
        rank = level_rank(trend.level)
        if first <= trend.date <= last and rank >= 2 > before:
            return True
        before = rank
    return False


def evaluate(client: Client) -> Outcome:
    p = client.profile
    days = summarize(client.checkins)
    last = p.start + timedelta(days=HISTORY_DAYS - 1)
    full = assess(days, client.medication_events, today=last)
    out = Outcome(p.kind, p.day_prob < 0.6, p.ramp)
    out.any_watch = any(t.level for t in full.days)
    if p.kind not in BLUNTING_KINDS:
        out.false_flag = any(level_rank(t.level) >= 2 for t in full.days)
        if p.kind == "dip" and p.onset is not None:
            dip = p.start + timedelta(days=p.onset)
            out.dip_flagged = _raised_between(full, dip, dip + timedelta(days=p.episode_days + 7))
        return out
    assert p.onset is not None
    onset = p.start + timedelta(days=p.onset)
    out.observed_14 = sum(1 for d in days if onset <= d.date <= onset + timedelta(days=14))
    at14 = assess(days, client.medication_events, today=onset + timedelta(days=14))
    out.detected = level_rank(at14.level) >= 2
    if out.detected and at14.onset is not None:
        out.onset_error = abs((at14.onset - onset).days)
    if p.trigger is not None:
        out.linked = p.trigger in at14.related_medication_events
    watch, flag = _first_day(full, 1, onset - timedelta(days=3)), _first_day(full, 2, onset)
    out.days_to_watch = (watch - onset).days if watch else None
    out.days_to_flag = (flag - onset).days if flag else None
    out.escalated_by_35 = any(
        t.level == "escalated" for t in full.days if t.date <= onset + timedelta(days=35)
    )
    return out


def _pct(values: Sequence[bool]) -> str:
    return f"{statistics.fmean(values):.1%}" if values else "–"


def _median(values: Sequence[int | None]) -> str:
    present = [v for v in values if v is not None]
    return f"{statistics.median(present):g}" if present else "–"


def wilson_interval(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % score interval for a proportion (Wilson 1927); sound near 0 and 1, unlike p ± 2 SE."""
    if n == 0:
        return math.nan, math.nan
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _rate(values: Sequence[bool]) -> str:
    """A proportion with its 95 % interval, e.g. `91.2% (90.1–92.1%)`."""
    if not values:
        return "–"
    low, high = wilson_interval(sum(values), len(values))
    return f"{statistics.fmean(values):.1%} ({100 * low:.1f}–{high:.1%})"


# The yes/no answers a proportion figure is the share of, one per client it applies to.
def _detected(outcomes: Sequence[Outcome]) -> list[bool]:
    return [o.detected for o in outcomes if o.kind in BLUNTING_KINDS]


def _false_flags(outcomes: Sequence[Outcome]) -> list[bool]:
    return [o.false_flag for o in outcomes if o.kind not in BLUNTING_KINDS]


def _linked(outcomes: Sequence[Outcome]) -> list[bool]:
    return [bool(o.linked) for o in outcomes if o.kind == "medication"]


def _dip_flags(outcomes: Sequence[Outcome]) -> list[bool]:
    return [o.dip_flagged for o in outcomes if o.kind == "dip"]


def _pooled(by_seed: dict[int, list[Outcome]], answers) -> str:
    """Pooled share with its interval, then the lowest and highest seed (blank for one seed)."""
    pooled = _rate(answers([o for group in by_seed.values() for o in group]))
    per_seed = [statistics.fmean(v) for v in map(answers, by_seed.values()) if v]
    if len(by_seed) < 2 or not per_seed:
        return f"{pooled} | "
    return f"{pooled} | {min(per_seed):.1%} – {max(per_seed):.1%}"


def _seed_label(seeds: Sequence[int]) -> str:
    if len(seeds) == 1:
        return f"Seed {seeds[0]}"
    if list(seeds) == list(range(seeds[0], seeds[-1] + 1)):
        return f"Seeds {seeds[0]}–{seeds[-1]}"
    return "Seeds " + ", ".join(map(str, seeds))


def report(by_seed: dict[int, list[Outcome]], elapsed: float) -> str:
    """Markdown tables: pooled figures with 95 % intervals, and the spread between seeds.

    One seed of 400 clients holds about 150 blunting clients, so its sensitivity has a
    standard error of about 2.4 points: single seeds cannot tell 89 % from 91 %. The
    pooled figure over many seeds can.
    """
    outcomes = [o for group in by_seed.values() for o in group]
    blunting = [o for o in outcomes if o.kind in BLUNTING_KINDS]
    never = [o for o in outcomes if o.kind not in BLUNTING_KINDS]
    onset_errors = [o.onset_error for o in blunting if o.onset_error is not None]
    error = statistics.median(onset_errors) if onset_errors else math.nan
    seeds = sorted(by_seed)
    per_client = len(outcomes) // len(seeds)
    lines = [
        f"{_seed_label(seeds)}, {per_client} clients each: {len(outcomes)} clients "
        f"({len(blunting)} blunting, {len(never)} never blunting), {elapsed:.1f} s",
        "",
        "| figure | value (95% interval) | lowest – highest seed | target |",
        "|---|---|---|---|",
        f"| sensitivity: `flagged` by onset + 14 days | {_pooled(by_seed, _detected)} | ≥ 90% |",
        f"| false flags (`flagged`+ ever, never-blunting clients) "
        f"| {_pooled(by_seed, _false_flags)} | ≤ 5% |",
        f"| median onset error (days) | {error:g} | | ≤ 5 |",
        f"| medication-link recall | {_pooled(by_seed, _linked)} | ≥ 90% |",
        f"| median days onset → `watch` / → `flagged` | {_median([o.days_to_watch for o in blunting])}"
        f" / {_median([o.days_to_flag for o in blunting])} | | ~7 / ≤ 14 |",
        f"| `escalated` by onset + 35 days | {_pct([o.escalated_by_35 for o in blunting])} | | |",
        f"| short dips: `flagged` raised during the dip or the week after "
        f"| {_pooled(by_seed, _dip_flags)} | 0 |",
        f"| watch ever raised, stable clients | "
        f"{_pct([o.any_watch for o in outcomes if o.kind == 'stable'])} | | |",
        "",
        "| blunting subgroup | clients | flagged by +14 | medication link |",
        "|---|---|---|---|",
        *_subgroups(blunting),
        "",
        "| scenario | clients | sparse | flagged by +14 | false flag | any `watch` |",
        "|---|---|---|---|---|---|",
    ]
    for kind, _ in SCENARIO_MIX:
        group = [o for o in outcomes if o.kind == kind]
        detected = _pct([o.detected for o in group]) if kind in BLUNTING_KINDS else "–"
        false = "–" if kind in BLUNTING_KINDS else _pct([o.false_flag for o in group])
        lines.append(
            f"| {kind} | {len(group)} | {sum(o.sparse for o in group)} | {detected} | {false} "
            f"| {_pct([o.any_watch for o in group])} |"
        )
    if len(seeds) > 1:
        lines += [
            "",
            "Sensitivity per seed: "
            + ", ".join(f"{seed}: {_pct(_detected(by_seed[seed]))}" for seed in seeds),
        ]
    return "\n".join(lines)


def _subgroups(blunting: list[Outcome]) -> list[str]:
    groups = {
        "dense check-ins (≥ 60% of days)": [o for o in blunting if not o.sparse],
        "sparse check-ins (40–60% of days)": [o for o in blunting if o.sparse],
        "onset ramp ≤ 7 days": [o for o in blunting if o.ramp <= 7],
        "onset ramp 10–14 days": [o for o in blunting if o.ramp > 7],
        "≥ 6 days with check-ins in onset..+14": [o for o in blunting if o.observed_14 >= 6],
        "< 6 days with check-ins in onset..+14": [o for o in blunting if o.observed_14 < 6],
    }
    rows = []
    for name, group in groups.items():
        linked = [bool(o.linked) for o in group if o.linked is not None]
        rows.append(
            f"| {name} | {len(group)} | {_pct([o.detected for o in group])} | {_pct(linked)} |"
        )
    return rows


def run(seed: int, clients: int) -> list[Outcome]:
    """Generate and evaluate `clients` clients from one seed (deterministic)."""
    rng = random.Random(seed)
    outcomes = []
    for _ in range(clients):
        profile = make_profile(rng, _choose_kind(rng))
        outcomes.append(evaluate(generate(rng, profile)))
    return outcomes


def run_seeds(seeds: Sequence[int], clients: int, jobs: int = 1) -> dict[int, list[Outcome]]:
    """`run` for each seed, in `jobs` worker processes; the result does not depend on `jobs`."""
    if jobs <= 1 or len(seeds) == 1:
        return {seed: run(seed, clients) for seed in seeds}
    with multiprocessing.get_context("spawn").Pool(min(jobs, len(seeds))) as pool:
        results = pool.starmap(run, [(seed, clients) for seed in seeds])
    return dict(zip(seeds, results, strict=True))


def parse_seeds(text: str) -> list[int]:
    """'1-20', '3' or '1,4,9' -> a sorted list of distinct seeds."""
    seeds: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        seeds.update(range(int(first), int(last or first) + 1))
    if not seeds:
        raise argparse.ArgumentTypeError("no seeds")
    return sorted(seeds)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seeds", type=parse_seeds, default=parse_seeds("1-20"), help="e.g. 1-20 or 1,2,3"
    )
    parser.add_argument("--seed", type=int, help="a single seed (same as --seeds N)")
    parser.add_argument("--clients", type=int, default=400, help="clients per seed")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    seeds = [args.seed] if args.seed is not None else args.seeds
    started = time.perf_counter()
    by_seed = run_seeds(seeds, args.clients, args.jobs)
    print(report(by_seed, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Shared pieces of the benchmark's generator families: the latent-day simulator,
the wheel vocabulary and the JSON Lines records `manage.py analyze_checkins` reads.

A family module decides *who* the clients are (their check-in habits, vocabulary,
schedule, what happens to them); this module turns one client's day-by-day latent state
into check-in records. Every family writes the same record shape as an export: a
check-in is `{"client", "occurred_at" (ISO 8601 with its own UTC offset), "felt_intensity",
"emotions": [{"emotion", "intensity"}], "symptoms": {...}}` and a medication event is
`{"client", "medication_event": {...}}`. The engine sees nothing else, so the benchmark
reads these records exactly as the command does (local date = date of `occurred_at` in
its own offset).

Ground truth (`Truth`) is kept beside the records, never inside them.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from journal.daily import SYMPTOM_KEYS  # the one list of the six items (pure Python)


def wheel_valences() -> dict[str, str]:
    """Slug -> valence of every feeling on the seeded wheel (the migration's own list)."""
    wheel = importlib.import_module("journal.migrations.0002_seed_feelings_wheel_and_triggers")
    return dict(wheel.valences())


VALENCES = wheel_valences()
PLEASANT = sorted(s for s, v in VALENCES.items() if v == "pleasant")
UNPLEASANT = sorted(s for s, v in VALENCES.items() if v == "unpleasant")
# What blunted clients name on the wheel when they name anything: low-arousal, flat words.
FLAT = ("tired", "bored", "indifferent", "apathetic", "numb", "empty", "sleepy", "withdrawn")
SAD = ("sad", "lonely", "hurt", "grief", "disappointed", "despair", "isolated")
ANXIOUS = ("anxious", "worried", "overwhelmed", "nervous", "stressed", "tense", "scared")

NEVER_BLUNTING = ("stable", "sad", "calming", "dip", "med_no_change", "sparse")
BLUNTING = ("blunting", "medication")


@dataclass
class Truth:
    """What really happened to one synthetic client (never shown to the engine)."""

    client: str
    family: str
    kind: str  # one of BLUNTING or NEVER_BLUNTING
    first_day: date
    last_day: date
    onset: date | None = None  # first local day of blunting (blunting kinds only)
    mode: str = "full"  # full | pleasant_first | intensity_only
    ramp: int = 0  # days from onset to full depth
    trigger_id: str | None = None  # the medication event that started it
    dip: tuple[date, date] | None = None  # first and last day of a short dip
    notes: dict = field(default_factory=dict)  # family-specific labels for subgroups

    @property
    def blunting(self) -> bool:
        return self.kind in BLUNTING


@dataclass
class Synthetic:
    truth: Truth
    records: list[dict]


@dataclass
class Style:
    """A client's personal way of feeling and of checking in (drawn once)."""

    intensity: float  # usual felt intensity, 0-10
    pleasant: float  # usual strongest pleasant feeling, 0-10
    unpleasant: float
    mood_sd: float  # day-to-day SD of affect (AR(1), phi below)
    words_mean: float  # feelings named per check-in
    words_sd: float
    empty_prob: float  # check-ins naming nothing, before any blunting
    symptom_prob: float  # share of check-ins that answer the symptom items
    symptom_means: dict[str, float]
    weights: dict[str, float]  # preference over the vocabulary
    same_word: str | None = None  # a client who names (nearly) always this one word
    phi: float = 0.4
    felt_noise: float = 1.0  # SD of felt intensity between check-ins


def draw_style(rng: random.Random, **override) -> Style:
    """A style from the broad population every family starts from."""
    vocabulary = PLEASANT + UNPLEASANT
    style = Style(
        intensity=rng.uniform(4.0, 7.5),
        pleasant=rng.uniform(3.5, 6.5),
        unpleasant=rng.uniform(2.0, 4.5),
        mood_sd=rng.uniform(0.9, 1.8),
        words_mean=rng.uniform(1.5, 3.2),
        words_sd=0.8,
        empty_prob=rng.uniform(0.0, 0.08),
        symptom_prob=rng.uniform(0.3, 1.0),
        symptom_means={k: rng.uniform(0.0, 0.8) for k in SYMPTOM_KEYS},
        # most people use a small part of the wheel often: a skewed preference
        weights={s: rng.gammavariate(0.6, 1.0) + 0.02 for s in vocabulary},
    )
    for key, value in override.items():
        setattr(style, key, value)
    return style


@dataclass
class Latent:
    """The day's hidden state: blunting per channel (0..1) and distress episodes."""

    intensity: float = 0.0  # felt intensity dampened
    pleasant: float = 0.0  # pleasant feelings fade
    unpleasant: float = 0.0  # unpleasant feelings fade
    words: float = 0.0  # fewer, flatter words and more empty check-ins
    symptoms: float = 0.0  # numbness symptom items rise
    sad: float = 0.0  # a sad episode (intense, not numb)
    anxious: float = 0.0  # anxiety (the calming clients start high)


def ramp(t: int, onset: int, days: int) -> float:
    """0 before `onset`, then a linear ramp to 1 over `days` days."""
    if t < onset:
        return 0.0
    return min(1.0, (t - onset + 1) / max(1, days))


def blunting_latent(mode: str, b: float, b_late: float) -> Latent:
    """Per-channel blunting for a blunting mode.

    `b` is the ramp from the true onset; `b_late` the same ramp delayed (used by the
    partial modes, where some channels follow a week or so later, or only in part).
    """
    if mode == "pleasant_first":  # anhedonia-like start: pleasant feelings fade first
        return Latent(
            intensity=0.8 * max(0.5 * b, b_late),
            pleasant=b,
            unpleasant=0.6 * b_late,
            words=0.8 * max(0.4 * b, b_late),
            symptoms=max(0.5 * b, b_late),
        )
    if mode == "intensity_only":  # "I name the same words, I just don't feel them"
        return Latent(
            intensity=b, pleasant=0.8 * b, unpleasant=0.8 * b, words=0.2 * b, symptoms=0.6 * b
        )
    return Latent(intensity=b, pleasant=b, unpleasant=b, words=b, symptoms=b)


Schedule = Callable[[random.Random, int, date], list[tuple[int, int]]]
"""(rng, day number, calendar date) -> [(local hour, minute), ...] check-ins that day."""


def simulate(
    rng: random.Random,
    truth: Truth,
    style: Style,
    latent: Callable[[int], Latent],
    schedule: Schedule,
    offset_hours: Callable[[int], float] = lambda t: 0.0,
    check_prob: Callable[[int, Latent], float] = lambda t, lat: 1.0,
) -> list[dict]:
    """Check-in records for one client, day by day over truth.first_day..last_day.

    `schedule` gives the local times of a day's check-ins; a time at 24:00 or later
    spills into the next local date (a late-evening habit that crosses midnight).
    `offset_hours(t)` is the UTC offset the phone wrote on day t (a time-zone move
    changes it). `check_prob` can thin check-ins out (blunted clients check in less).
    """
    records = []
    mood_pa = mood_na = 0.0
    n_days = (truth.last_day - truth.first_day).days + 1
    for t in range(n_days):
        lat = latent(t)
        widen = 1 + 0.5 * lat.sad + 0.6 * lat.anxious
        noise_pa = style.mood_sd * (1 - 0.75 * lat.pleasant) * widen
        noise_na = style.mood_sd * (1 - 0.75 * lat.unpleasant) * widen
        mood_pa = style.phi * mood_pa + rng.gauss(0, noise_pa)
        mood_na = style.phi * mood_na + rng.gauss(0, noise_na)
        day_pa = style.pleasant * (1 - 0.6 * lat.pleasant) - 1.8 * lat.sad - lat.anxious + mood_pa
        day_na = (
            style.unpleasant * (1 - 0.5 * lat.unpleasant)
            + 3.5 * lat.sad
            + 3.0 * lat.anxious
            + mood_na
        )
        if rng.random() > check_prob(t, lat):
            continue
        day = truth.first_day + timedelta(days=t)
        tz = timezone(timedelta(hours=offset_hours(t)))
        for hour, minute in schedule(rng, t, day):
            at = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(
                hours=hour, minutes=minute
            )
            records.append(_checkin(rng, truth.client, at, style, lat, day_pa, day_na))
    return records


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _pick(rng: random.Random, pool: Sequence[str], weights: dict[str, float], k: int) -> list[str]:
    chosen: list[str] = []
    pool = list(pool)
    while pool and len(chosen) < k:
        slug = rng.choices(pool, [weights.get(s, 1.0) for s in pool])[0]
        chosen.append(slug)
        pool.remove(slug)
    return chosen


def _checkin(rng, client, at: datetime, style: Style, lat: Latent, day_pa, day_na) -> dict:
    felt = (
        style.intensity * (1 - 0.6 * lat.intensity)
        + 2.0 * lat.sad
        + 1.5 * lat.anxious
        + rng.gauss(0, style.felt_noise * (1 - 0.4 * lat.intensity))
    )
    emotions: list[dict] = []
    if rng.random() >= style.empty_prob + 0.5 * lat.words:
        k = max(1, round(rng.gauss(style.words_mean * (1 - 0.6 * lat.words), style.words_sd)))
        if rng.random() < 0.85 * lat.words:
            slugs = _pick(rng, FLAT, {}, min(k, 2))
        elif style.same_word is not None and rng.random() < 0.85:
            slugs = [style.same_word]
        else:
            weights = dict(style.weights)
            for slug in PLEASANT:
                weights[slug] *= max(0.2, day_pa) / 5
            for slug in UNPLEASANT:
                weights[slug] *= max(0.2, day_na) / 5
            focus = SAD if lat.sad > 0 else ANXIOUS if lat.anxious > 0.3 else ()
            for slug in focus:
                weights[slug] = weights.get(slug, 0.1) * 6 + 0.5
            slugs = _pick(rng, PLEASANT + UNPLEASANT, weights, k)
        for slug in slugs:
            valence = VALENCES[slug]
            centre = day_pa if valence == "pleasant" else day_na if valence == "unpleasant" else 3
            damp = lat.pleasant if valence == "pleasant" else lat.unpleasant
            intensity = _clip(centre + rng.gauss(0, 1.2 * (1 - 0.5 * damp)), 0, 10)
            emotions.append({"emotion": slug, "intensity": intensity})
    symptoms: dict[str, int] = {}
    if rng.random() < style.symptom_prob:
        answered = SYMPTOM_KEYS if rng.random() < 0.8 else rng.sample(SYMPTOM_KEYS, 3)
        for key in answered:
            sad_part = 0.8 * lat.sad if key in ("lost_interest", "fatigue", "disconnected") else 0
            value = (
                style.symptom_means[key]
                + 2.0 * lat.symptoms
                + sad_part
                + 0.3 * lat.anxious
                + rng.gauss(0, 0.5)
            )
            symptoms[key] = _clip(value, 0, 3)
    return {
        "client": client,
        "occurred_at": at.isoformat(),
        "felt_intensity": _clip(felt, 0, 10),
        "emotions": emotions,
        "symptoms": symptoms,
    }


def medication(
    client: str, event_id: str, name: str, kind: str, dose: str | None, on: date
) -> dict:
    return {
        "client": client,
        "medication_event": {
            "id": event_id,
            "medication": name,
            "kind": kind,
            "dose": dose,
            "occurred_on": on.isoformat(),
        },
    }


SSRIS = (("sertraline", "50 mg"), ("escitalopram", "10 mg"), ("fluoxetine", "20 mg"))


def background_events(rng: random.Random, client: str, first: date, days: int) -> list[dict]:
    """Unrelated medication events anyone may have (vitamins, painkillers)."""
    events = []
    for i in range(rng.choice((0, 0, 1, 2))):
        on = first + timedelta(days=rng.randrange(days))
        name = rng.choice(("vitamin d", "ibuprofen", "iron"))
        events.append(
            medication(client, f"{client}-bg{i}", name, rng.choice(("start", "stop")), None, on)
        )
    return events


def choose(rng: random.Random, mix: Sequence[tuple[str, float]]) -> str:
    r = rng.random()
    for kind, share in mix:
        if r < share:
            return kind
        r -= share
    return mix[0][0]


def standard_latent(
    rng: random.Random, truth: Truth, n_days: int, first_onset: int = 35
) -> tuple[Callable[[int], Latent], int | None]:
    """The latent timeline of a kind, with its day number (onset or episode start).

    Shared by the families that differ in habits rather than in what happens; the
    blunting mode and ramp come from `truth` (set by the family before the call).
    """
    kind = truth.kind
    if kind in BLUNTING:
        onset = rng.randrange(first_onset, n_days - 20)
        late = rng.randint(4, 10) if truth.mode == "pleasant_first" else 0
        depth = rng.uniform(0.5, 1.0)
        span = truth.ramp

        def blunting(t: int) -> Latent:
            b = depth * ramp(t, onset, span)
            b_late = depth * ramp(t, onset + late, span)
            return blunting_latent(truth.mode, b, b_late)

        return blunting, onset
    if kind == "sad":
        start, length = rng.randrange(first_onset, n_days - 10), rng.randint(7, 21)

        def sad(t: int) -> Latent:
            level = min(1.0, (t - start + 1) / 2, (start + length + 2 - t) / 2)
            return Latent(sad=max(0.0, level))

        return sad, start
    if kind == "calming":
        start, length = rng.randrange(25, n_days - 30), rng.randint(7, 21)

        def calming(t: int) -> Latent:
            return Latent(anxious=1.0 if t < start else max(0.15, 1 - (t - start) / length))

        return calming, start
    if kind == "dip":
        start, length = rng.randrange(first_onset, n_days - 14), rng.randint(3, 4)
        depth = rng.uniform(0.8, 1.0)

        def dip(t: int) -> Latent:
            b = depth if start <= t < start + length else 0.0
            return Latent(intensity=b, pleasant=b, unpleasant=b, words=b, symptoms=b)

        return dip, start
    return (lambda t: Latent()), None

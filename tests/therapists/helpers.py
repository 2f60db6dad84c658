"""Realistic daily aggregates for therapist-side tests, built with the same summarizer
the product uses (journal.daily), stored as ClientDay rows."""

import random
from datetime import date, timedelta

from journal.daily import SYMPTOM_KEYS, CheckinPoint, EmotionPoint, summarize_day
from journal.models import ClientDay

PLEASANT = ["joyful", "content", "hopeful", "proud", "relieved", "grateful", "curious", "calm"]
UNPLEASANT = ["anxious", "sad", "irritated", "lonely", "frustrated", "worried", "ashamed", "tired"]


def stable_checkin(day: date, rng: random.Random) -> CheckinPoint:
    pleasant = rng.sample(PLEASANT, rng.randint(1, 3))
    unpleasant = rng.sample(UNPLEASANT, rng.randint(1, 2))
    emotions = tuple(EmotionPoint(s, rng.randint(3, 9), "pleasant") for s in pleasant) + tuple(
        EmotionPoint(s, rng.randint(2, 8), "unpleasant") for s in unpleasant
    )
    symptoms = {k: rng.choice([0, 0, 1]) for k in SYMPTOM_KEYS}
    return CheckinPoint(day, rng.randint(5, 8), emotions, symptoms)


def blunted_checkin(day: date, rng: random.Random) -> CheckinPoint:
    emotions = (
        () if rng.random() < 0.6 else (EmotionPoint("tired", rng.randint(1, 3), "unpleasant"),)
    )
    symptoms = {k: rng.choice([2, 3]) for k in SYMPTOM_KEYS}
    return CheckinPoint(day, rng.randint(1, 2), emotions, symptoms)


def store_day(client, point_days: list[CheckinPoint]) -> ClientDay:
    day = summarize_day(point_days[0].local_date, point_days)
    return ClientDay.objects.update_or_create(
        client=client,
        date=day.date,
        defaults=ClientDay.columns_from(day),
    )[0]


def store_history(
    client, *, today: date, stable_days: int, blunted_days: int = 0, seed: int = 1
) -> date:
    """stable_days of ordinary life, then blunted_days of numbness ending today; returns the onset."""
    rng = random.Random(seed)
    start = today - timedelta(days=stable_days + blunted_days - 1)
    onset = start + timedelta(days=stable_days)
    for offset in range(stable_days + blunted_days):
        day = start + timedelta(days=offset)
        make = blunted_checkin if day >= onset else stable_checkin
        store_day(client, [make(day, rng) for _ in range(2)])
    return onset

"""Demo history for seed_demo: months of realistic check-ins, medications, homework.

Four clients tell four stories the dashboard should get right:
- Alex: steady for months, then numb for the last three weeks, starting a few days after
  a sertraline dose increase: a blunting flag with the medication beside it.
- Sam: steady, with a sad week a month ago (more feeling, not less): no blunting flag.
- Rivka: steady, but no check-in for the last five days: a missed-check-ins flag.
- Jo: a three-day dip about three and a half weeks ago that passed: no flag; homework
  going well. (A dip still within the last ten days may show the soft `watch` signal.)
Check-ins are bulk-inserted and the daily aggregates rebuilt once per client, then the
trend engine runs for each client exactly as the nightly refresh would.
"""

import random
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from journal.models import (
    SYMPTOM_FIELDS,
    CheckIn,
    Emotion,
    EmotionRating,
    HomeworkAssignment,
    HomeworkTemplate,
    Valence,
)
from journal.reminders import reminder_schedule
from journal.services.assessments import assessment_submit
from journal.services.checkins import clientday_rebuild
from journal.services.homework import homework_assign, homework_log_create
from journal.services.medications import medication_event_create
from therapists.models import Flag
from therapists.services.trends import trend_refresh
from therapists.trends.store import client_trend

HISTORY_DAYS = 150
SYMPTOMS = list(SYMPTOM_FIELDS.values())
NOTES = {
    "steady": ["Good walk after work.", "Busy but okay.", "Talked to my sister.", ""],
    "sad": ["Missing my dad a lot this week.", "Cried at the film, felt better after.", ""],
    "numb": [
        "Feels like watching my life through glass.",
        "Nothing really landed today.",
        "On autopilot again.",
        "",
    ],
}


def _day_kind(story: str, days_ago: int) -> str:
    if story == "alex" and days_ago < 21:
        return "numb"
    if story == "sam" and 28 <= days_ago < 35:
        return "sad"
    if story == "jo" and 24 <= days_ago < 27:
        return "numb"
    return "steady"


def _checkins(
    client, story: str, pleasant: list[Emotion], unpleasant: list[Emotion], rng: random.Random
):
    tz = client.tz
    today = timezone.now().astimezone(tz).date()
    rows, ratings = [], []
    for days_ago in range(HISTORY_DAYS, -1, -1):
        if story == "rivka" and days_ago < 5:
            continue
        if rng.random() < 0.12:  # real people skip days
            continue
        day = today - timedelta(days=days_ago)
        kind = _day_kind(story, days_ago)
        for hour in (9, 20):
            occurred = datetime.combine(day, time(hour, rng.randint(0, 50)), tzinfo=tz)
            if occurred > timezone.now() or rng.random() < 0.15:
                continue
            if kind == "numb":
                felt = rng.randint(1, 3)
                chosen = [] if rng.random() < 0.6 else [(rng.choice(unpleasant), rng.randint(1, 3))]
                symptoms = [rng.choice([2, 2, 3]) for _ in SYMPTOMS]
            elif kind == "sad":
                felt = rng.randint(7, 9)
                chosen = [(e, rng.randint(6, 9)) for e in rng.sample(unpleasant, 3)] + [
                    (rng.choice(pleasant), rng.randint(2, 4))
                ]
                symptoms = [rng.choice([0, 1, 1]) for _ in SYMPTOMS]
            else:
                felt = rng.randint(5, 8)
                chosen = [
                    (e, rng.randint(3, 9)) for e in rng.sample(pleasant, rng.randint(1, 3))
                ] + [(e, rng.randint(2, 7)) for e in rng.sample(unpleasant, rng.randint(0, 2))]
                symptoms = [rng.choice([0, 0, 1]) for _ in SYMPTOMS]
            note = rng.choice(NOTES[kind]) if hour == 20 else ""
            checkin = CheckIn(
                client=client,
                occurred_at=occurred.astimezone(UTC),
                local_date=day,
                felt_intensity=felt,
                note=note,
                shared=bool(note) and rng.random() < 0.6,
                **dict(zip(SYMPTOMS, symptoms, strict=True)),
            )
            rows.append((checkin, chosen))
    CheckIn.objects.bulk_create([c for c, _ in rows], batch_size=500)
    for checkin, chosen in rows:
        ratings.extend(EmotionRating(checkin=checkin, emotion=e, intensity=i) for e, i in chosen)
    EmotionRating.objects.bulk_create(ratings, batch_size=1000)
    clientday_rebuild(client=client, dates={c.local_date for c, _ in rows})
    return today


def _date_the_flag_as_the_nightly_run_would_have(client, trend) -> None:
    """Demo history only: the engine ran once, today, over ~150 days written at once, so
    its flag says "raised today" although the nightly refresh would have raised it on the
    first day the level reached flagged ("onset 11 Nov · raised 1 Dec" read as a flag 20
    days late). That day comes from the engine's own level history."""
    onset = trend.assessment.onset
    if onset is None:
        return
    first = next(
        (
            d.date
            for d in trend.assessment.days
            if d.date >= onset and d.level in ("flagged", "escalated")
        ),
        None,
    )
    if first is not None:
        raised = datetime.combine(first, time(21, 0), tzinfo=client.tz)
        Flag.objects.filter(client=client, kind="blunting").update(raised_at=raised)


def seed_history(*, therapist, clients, stdout) -> None:
    rng = random.Random(2026)
    pleasant = list(Emotion.objects.filter(level=3, valence=Valence.PLEASANT))
    unpleasant = list(Emotion.objects.filter(level=3, valence=Valence.UNPLEASANT))
    stories = dict(zip(["alex", "sam", "rivka", "jo"], clients, strict=True))
    for story, client in stories.items():
        today = _checkins(client, story, pleasant, unpleasant, rng)
        if story == "alex":
            medication_event_create(
                client=client,
                medication="Sertraline",
                kind="start",
                dose="50 mg",
                occurred_on=today - timedelta(days=120),
            )
            medication_event_create(
                client=client,
                medication="Sertraline",
                kind="increase",
                dose="100 mg",
                occurred_on=today - timedelta(days=25),
            )
            medication_event_create(
                client=client,
                medication="Sertraline",
                kind="side_effect",
                side_effect="blunting",
                occurred_on=today - timedelta(days=6),
            )
        if story == "sam":
            medication_event_create(
                client=client,
                medication="Propranolol",
                kind="start",
                dose="10 mg as needed",
                occurred_on=today - timedelta(days=60),
            )
        templates = {t.category: t for t in HomeworkTemplate.objects.filter(owner__isnull=True)}
        if story in ("alex", "jo") and templates:
            template = templates.get("naming_feelings") or next(iter(templates.values()))
            assignment = homework_assign(
                therapist=therapist, client=client, template_id=template.pk
            )
            # Demo history only: the assignment was given three weeks ago.
            HomeworkAssignment.objects.filter(pk=assignment.pk).update(
                starts_on=today - timedelta(days=20)
            )
            assignment.refresh_from_db()
            for days_ago in range(14, 0, -1):
                if (story == "jo" and rng.random() < 0.85) or (
                    story == "alex" and rng.random() < 0.35
                ):
                    homework_log_create(
                        client=client,
                        assignment=assignment,
                        completed_at=timezone.now() - timedelta(days=days_ago, hours=2),
                        before_feeling=rng.randint(2, 5),
                        after_feeling=rng.randint(4, 7),
                        reflection="Noticed the smell of coffee and the cold air."
                        if days_ago % 4 == 0
                        else "",
                        shared=days_ago % 8 == 0,
                    )
        if story == "jo":
            assessment_submit(client=client, instrument="phq9", answers=[1, 0, 1, 1, 0, 0, 1, 0, 0])
        if story == "alex":
            # The familiar picture: low mood lifts on the higher dose while feeling goes
            # flat. PHQ-9 16 → 12 → 9 (item 9 always 0), GAD-7 11 → 6; the last PHQ-9
            # stays below 10, so it does not itself escalate the blunting flag.
            for instrument, answers, days_ago in (
                ("phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0], 56),
                ("gad7", [2, 2, 2, 2, 1, 1, 1], 56),
                ("phq9", [2, 1, 2, 2, 1, 1, 2, 1, 0], 28),
                ("phq9", [2, 0, 1, 2, 1, 1, 1, 1, 0], 7),
                ("gad7", [1, 1, 1, 1, 1, 1, 0], 7),
            ):
                assessment, _signal = assessment_submit(
                    client=client, instrument=instrument, answers=answers
                )
                # Demo history only: taken on those days.
                type(assessment).objects.filter(pk=assessment.pk).update(
                    taken_at=timezone.now() - timedelta(days=days_ago)
                )
        trend_refresh(client_id=client.pk, today=today)
        # The chart's answer carries the level history of the days the refresh settled.
        _date_the_flag_as_the_nightly_run_would_have(client, client_trend(client.pk, today))
        reminder_schedule(user=client, now=timezone.now())
    # A reminder due in two minutes, so the embedded worker shows one arriving in data/mail/.
    # Rivka, because she has not checked in since her previous reminder time.
    rivka = stories["rivka"]
    type(rivka).objects.filter(pk=rivka.pk).update(
        next_reminder_at=timezone.now() + timedelta(minutes=2)
    )
    stdout.write(
        "Demo history: ~150 days of check-ins per client; Alex shows blunting after a dose increase."
    )

"""factory_boy factories and helpers for journal test data: check-ins (written through the
real service, so day aggregates stay in step), homework, medications and assessments."""

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from journal.models import (
    Assessment,
    AssessmentSchedule,
    CheckIn,
    Frequency,
    HomeworkAssignment,
    HomeworkLog,
    HomeworkTemplate,
    MedicationEvent,
)
from journal.services.checkins import RatingInput, checkin_create


def make_checkin(
    client,
    *,
    felt_intensity: int = 5,
    emotions: dict[str, int] | None = None,
    symptoms: dict[str, int] | None = None,
    triggers: list[str] | None = None,
    note: str = "",
    shared: bool = False,
    occurred_at: datetime | None = None,
    days_ago: float | None = None,
) -> CheckIn:
    if occurred_at is None and days_ago is not None:
        occurred_at = timezone.now() - timedelta(days=days_ago)
    return checkin_create(
        client=client,
        felt_intensity=felt_intensity,
        emotions=[RatingInput(emotion=slug, intensity=n) for slug, n in (emotions or {}).items()],
        symptoms=symptoms or {},
        triggers=triggers or [],
        note=note,
        shared=shared,
        occurred_at=occurred_at,
    )


def make_history(client, count: int) -> list[CheckIn]:
    """``count`` check-ins spread over the last days, with feelings, symptoms and triggers."""
    slugs = ["anxious", "content", "numb", "lonely", "hopeful", "tired"]
    return [
        make_checkin(
            client,
            felt_intensity=i % 11,
            emotions={slugs[i % len(slugs)]: 4, slugs[(i + 1) % len(slugs)]: 7},
            symptoms={"fatigue": i % 4, "autopilot": 1},
            triggers=["chronic_stress"] if i % 2 else ["poor_sleep", "conflict"],
            note=f"note {i}",
            days_ago=(i % 25) + 0.01 * i,
        )
        for i in range(count)
    ]


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeworkTemplate

    title = factory.Sequence(lambda n: f"Exercise {n}")
    instructions = "Breathe in for four, out for six."
    frequency = Frequency.DAILY


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeworkAssignment

    title = factory.Sequence(lambda n: f"Task {n}")
    instructions = "Take a **short** walk."
    frequency = Frequency.DAILY
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class LogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeworkLog

    completed_at = factory.LazyFunction(timezone.now)
    local_date = factory.LazyAttribute(lambda o: timezone.localdate(o.completed_at))


class MedicationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicationEvent

    medication = "Sertraline"
    kind = "start"
    dose = "50 mg"
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    instrument = "phq9"
    answers = factory.LazyFunction(lambda: [1] * 9)
    score = 9
    severity = "mild"
    taken_at = factory.LazyFunction(timezone.now)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentSchedule

    instrument = "phq9"
    every_days = 14
    next_due_on = factory.LazyFunction(timezone.localdate)

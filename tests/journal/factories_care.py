"""factory_boy factories for homework, medications and assessments."""

from datetime import timedelta

import factory
from django.utils import timezone

from journal.models import (
    Assessment,
    AssessmentSchedule,
    Frequency,
    HomeworkAssignment,
    HomeworkLog,
    HomeworkTemplate,
    MedicationEvent,
)


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

"""Reads for questionnaires: results, what is due, the schedules therapists set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from accounts.models import Role, User

from .. import instruments
from ..models import (
    Assessment,
    AssessmentSchedule,
)


def assessment_list(*, viewer: User, client: User | None = None) -> QuerySet[Assessment]:
    """The client's own assessments, or a caseload client's for their therapist."""
    client = client or viewer
    queryset = Assessment.objects.filter(client=client).order_by("-taken_at", "-pk")
    if viewer.pk == client.pk and viewer.role == Role.CLIENT:
        return queryset
    return queryset.filter(client__in=User.objects.clients_of(viewer))


def assessment_previous(assessment: Assessment) -> Assessment | None:
    """The client's result of the same questionnaire just before this one (None: the
    first). Ties on the time go by id, so two results saved in one second still order."""
    return (
        Assessment.objects.filter(client_id=assessment.client_id, instrument=assessment.instrument)
        .filter(
            Q(taken_at__lt=assessment.taken_at)
            | Q(taken_at=assessment.taken_at, pk__lt=assessment.pk)
        )
        .order_by("-taken_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class DueAssessment:
    instrument: str
    name: str
    due_on: date


def assessments_due(client: User, today: date | None = None) -> list[DueAssessment]:
    """Questionnaires the client's active care team has asked for that are due by today.

    One prompt per instrument even when two therapists schedule the same one, and a
    schedule stops prompting as soon as its therapist's care relationship ends.
    """
    today = today or client.local_today()
    due: dict[str, date] = {}
    for instrument, next_due_on in (
        AssessmentSchedule.objects.filter(
            client=client,
            is_active=True,
            next_due_on__lte=today,
            therapist__care_as_therapist__client=client,
            therapist__care_as_therapist__ended_at__isnull=True,
        )
        .values_list("instrument", "next_due_on")
        .order_by("next_due_on")
    ):
        due.setdefault(instrument, next_due_on)
    return [
        DueAssessment(instrument=code, name=instruments.INSTRUMENTS[code].name, due_on=due_on)
        for code, due_on in sorted(due.items())
    ]


def assessment_schedule_list(*, viewer: User, client: User) -> QuerySet[AssessmentSchedule]:
    return AssessmentSchedule.objects.filter(
        client=client, client__in=User.objects.clients_of(viewer), is_active=True
    ).order_by("instrument", "pk")

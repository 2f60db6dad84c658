"""Data the browser tests share: a client with two weeks of history and a blunting flag,
homework, a medication change and a questionnaire result, in therapist_a's care."""

from datetime import timedelta

from django.utils import timezone

from journal.models import Assessment, HomeworkAssignment, MedicationEvent
from tests.journal.factories import AssessmentFactory, AssignmentFactory, make_checkin
from tests.therapists.helpers import store_history
from therapists.services.trends import trend_refresh


def build_flagged_client(client, therapist) -> dict:
    today = timezone.localdate()
    onset = store_history(client, today=today, stable_days=60, blunted_days=16)
    MedicationEvent.objects.create(
        client=client,
        medication="Sertraline",
        kind="increase",
        dose="100 mg",
        occurred_on=onset - timedelta(days=5),
    )
    trend_refresh(client_id=client.pk, today=today)
    return {"onset": onset}


def build_client_world(client, therapist) -> dict:
    """Everything a client's pages can show, so the scan sees them filled in."""
    build_flagged_client(client, therapist)
    checkin = make_checkin(
        client, felt_intensity=4, emotions={"content": 5}, triggers=["chronic_stress"], note="n"
    )
    assignment: HomeworkAssignment = AssignmentFactory(
        client=client, therapist=therapist, title="Evening walk"
    )
    assessment: Assessment = AssessmentFactory(client=client)
    return {
        "checkin": checkin,
        "assignment": assignment,
        "assessment": assessment,
    }

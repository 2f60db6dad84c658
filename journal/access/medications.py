"""Who may reach which medication event: clients their own; anything else is a 404.

Therapists read a client's events through the caseload (journal.selectors.medications
with the viewer), never by id here.
"""

from django.shortcuts import get_object_or_404

from accounts.models import Role, User

from ..models import MedicationEvent


def access_own_medication_event(viewer: User, event_id: int | str) -> MedicationEvent:
    if viewer.role != Role.CLIENT:
        return get_object_or_404(MedicationEvent.objects.none(), pk=event_id)
    return get_object_or_404(MedicationEvent.objects.filter(client=viewer), pk=event_id)

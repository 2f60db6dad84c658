"""Which medication event a therapist's note may point at: one of a caseload client's."""

from django.shortcuts import get_object_or_404

from accounts.models import User
from journal.models import MedicationEvent


def access_client_medication_event(viewer: User, client: User, event_id: int) -> MedicationEvent:
    """An event of ``client`` (in the viewer's active caseload), or 404; the client's
    private note on it is not selected."""
    return get_object_or_404(
        MedicationEvent.objects.filter(client__in=User.objects.clients_of(viewer)).defer("note"),
        client=client,
        pk=event_id,
    )

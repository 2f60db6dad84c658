"""Access on the therapist side: every lookup by id goes through the viewer's caseload."""

from django.shortcuts import get_object_or_404

from accounts.access import access_client
from accounts.models import User
from journal.models import MedicationEvent

from .models import Flag
from .selectors import flag_list_for

__all__ = ["access_client", "access_client_medication_event", "access_flag"]


def access_flag(viewer: User, flag_id: int) -> Flag:
    """A flag of a client in the viewer's active caseload, or 404."""
    return get_object_or_404(flag_list_for(viewer=viewer).select_related("client"), pk=flag_id)


def access_client_medication_event(viewer: User, client: User, event_id: int) -> MedicationEvent:
    return get_object_or_404(
        MedicationEvent.objects.filter(client__in=User.objects.clients_of(viewer)),
        client=client,
        pk=event_id,
    )

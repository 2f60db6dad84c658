"""Reads of medication notes: the viewer's own and those shared with the care team."""

from django.db.models import Q, QuerySet

from accounts.models import User

from ..models import MedicationNote


def medication_note_list(*, viewer: User, client: User) -> QuerySet[MedicationNote]:
    """The viewer's own medication notes on a client of theirs, and co-therapists' notes
    shared with the care team; a colleague's unshared note is never selected."""
    return (
        MedicationNote.objects.filter(client__in=User.objects.clients_of(viewer), client=client)
        .filter(Q(therapist=viewer) | Q(shared_with_care_team=True))
        .select_related("therapist", "medication_event")
        .defer("medication_event__note")
    )

"""Who may reach which homework, medication event or assessment. Anything else is a 404.

Clients reach their own rows. Therapists reach a client's rows only through
``User.objects.clients_of`` (an active care relationship), so access stops the moment a
relationship ends.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User

from .models import HomeworkAssignment, HomeworkTemplate, MedicationEvent


def access_own_homework(viewer: User, assignment_id: int | str) -> HomeworkAssignment:
    """One of the client's own assignments."""
    if viewer.role != Role.CLIENT:
        return get_object_or_404(HomeworkAssignment.objects.none(), pk=assignment_id)
    return get_object_or_404(HomeworkAssignment.objects.filter(client=viewer), pk=assignment_id)


def access_client_homework(
    viewer: User, client: User, assignment_id: int | str
) -> HomeworkAssignment:
    """An assignment of ``client``, who must be in the therapist's active caseload."""
    queryset = HomeworkAssignment.objects.filter(
        client=client, client__in=User.objects.clients_of(viewer)
    ).select_related("client")
    return get_object_or_404(queryset, pk=assignment_id)


def access_own_medication_event(viewer: User, event_id: int | str) -> MedicationEvent:
    if viewer.role != Role.CLIENT:
        return get_object_or_404(MedicationEvent.objects.none(), pk=event_id)
    return get_object_or_404(MedicationEvent.objects.filter(client=viewer), pk=event_id)


def homework_templates_visible_to(viewer: User) -> QuerySet[HomeworkTemplate]:
    """The shared library plus the therapist's own private templates; never another's."""
    if not viewer.is_authenticated or not viewer.is_therapist:
        return HomeworkTemplate.objects.none()
    return HomeworkTemplate.objects.filter(is_active=True).filter(
        Q(owner__isnull=True) | Q(owner=viewer)
    )

"""Who may reach which homework assignment or template. Anything else is a 404.

Clients reach their own assignments. Therapists reach a client's only through
``User.objects.clients_of`` (an active care relationship), so access stops the moment a
relationship ends.
"""

from django.shortcuts import get_object_or_404

from accounts.models import Role, User

from ..models import HomeworkAssignment


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

"""Who may see what, once per entity. Anything the viewer may not see is a 404."""

from django.shortcuts import get_object_or_404

from .models import CareRelationship, DataExport, Invitation, PushSubscription, User


def access_client(viewer: User, client_id: int | str) -> User:
    """A client in the viewer's active caseload, or 404."""
    return get_object_or_404(User.objects.clients_of(viewer), pk=client_id)


def access_care_relationship(viewer: User, therapist_id: int | str) -> CareRelationship:
    """One of the client's own active relationships, addressed by the therapist's id."""
    return get_object_or_404(
        CareRelationship.objects.select_related("therapist"),
        client=viewer,
        therapist_id=therapist_id,
        ended_at__isnull=True,
    )


def access_export(viewer: User, export_id: int | str) -> DataExport:
    """One of the viewer's own exports, or 404."""
    return get_object_or_404(DataExport.objects.filter(client=viewer), pk=export_id)


def access_own_invitation(viewer: User, invitation_id: int | str) -> Invitation:
    """One of the therapist's own invitations, or 404."""
    return get_object_or_404(Invitation.objects.filter(therapist=viewer), pk=invitation_id)


def access_push_subscription(viewer: User, subscription_id: int | str) -> PushSubscription:
    """One of the viewer's own devices, or 404."""
    return get_object_or_404(PushSubscription.objects.filter(user=viewer), pk=subscription_id)

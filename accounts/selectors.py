"""Reads for accounts, each taking the viewer."""

from django.db.models import QuerySet

from .models import CareRelationship, Invitation, Role, User


def care_team_list(*, viewer: User) -> QuerySet[CareRelationship]:
    """The client's active care relationships, with the therapist, oldest first."""
    if viewer.role != Role.CLIENT:
        return CareRelationship.objects.none()
    return (
        CareRelationship.objects.filter(client=viewer, ended_at__isnull=True)
        .select_related("therapist")
        .order_by("started_at", "pk")
    )


def care_history_list(*, viewer: User) -> QuerySet[CareRelationship]:
    """Every relationship the viewer has been part of, newest first (active and ended)."""
    field = "client" if viewer.role == Role.CLIENT else "therapist"
    return (
        CareRelationship.objects.filter(**{field: viewer})
        .select_related("therapist", "client")
        .order_by("-started_at")
    )


def invitation_list(*, viewer: User) -> QuerySet[Invitation]:
    """The therapist's own invitations, newest first (pending, accepted, expired, withdrawn)."""
    return Invitation.objects.filter(therapist=viewer).order_by("-created_at", "-pk")

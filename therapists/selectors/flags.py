"""Reads of flags: always through the viewer's active caseload."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from journal.selectors.medications import medication_events_without_notes

from ..models import Flag, FlagStatus


def medication_events_prefetch() -> Prefetch:
    """A flag's related medication events, their private notes never selected: the one
    way any therapist read loads them."""
    return Prefetch("related_medication_events", queryset=medication_events_without_notes())


def flag_list_for(*, viewer: User) -> QuerySet[Flag]:
    """Flags of the viewer's active caseload only: the one way to reach a flag by id."""
    return Flag.objects.filter(client__in=User.objects.clients_of(viewer))


def client_flag_history(*, viewer: User, client: User, since: date) -> QuerySet[Flag]:
    """The client's flags since a date, with their medication events (never their notes);
    the client page adds the flags' notes, the one place that shows them."""
    return (
        flag_list_for(viewer=viewer)
        .filter(client=client)
        .exclude(status=FlagStatus.RESOLVED, resolved_at__date__lt=since)
        .prefetch_related(medication_events_prefetch())
        .order_by("raised_at")
    )

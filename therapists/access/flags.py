"""Who may reach which flag: only flags of the viewer's active caseload; else 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from accounts.models import User
from journal.selectors.medications import medication_events_without_notes

from ..models import Flag
from ..selectors.flags import flag_list_for


def access_flag(viewer: User, flag_id: int) -> Flag:
    """A flag of a client in the viewer's active caseload, or 404."""
    flags = (
        flag_list_for(viewer=viewer)
        .select_related("client")
        .prefetch_related(
            Prefetch("related_medication_events", queryset=medication_events_without_notes())
        )
    )
    return get_object_or_404(flags, pk=flag_id)

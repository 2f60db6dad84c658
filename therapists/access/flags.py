"""Who may reach which flag: only flags of the viewer's active caseload; else 404."""

from django.shortcuts import get_object_or_404

from accounts.models import User

from ..models import Flag
from ..selectors.flags import flag_list_for, medication_events_prefetch


def access_flag(viewer: User, flag_id: int) -> Flag:
    """A flag of a client in the viewer's active caseload, or 404."""
    flags = (
        flag_list_for(viewer=viewer)
        .select_related("client")
        .prefetch_related(medication_events_prefetch())
    )
    return get_object_or_404(flags, pk=flag_id)

"""Who may see which journal rows, once per entity. Anything not the viewer's own is a 404."""

from django.shortcuts import get_object_or_404

from accounts.models import User

from ..models import CheckIn
from ..selectors.checkins import checkin_list


def access_checkin(viewer: User, checkin_id: int | str) -> CheckIn:
    """One of the viewer's own check-ins, or 404: another client's id looks exactly like a missing one.

    Therapists read check-ins through their caseload (accounts.access.access_client), not here.
    """
    return get_object_or_404(checkin_list(viewer=viewer), pk=checkin_id)

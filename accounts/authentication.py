"""API authentication: knox tokens, and portal sessions only once fully signed in.

Its own module because DRF imports the authentication classes while ``rest_framework.views``
is still loading; ``accounts.drf`` imports views and would make a cycle.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied

from .twofactor import needs_second_factor


class VerifiedSessionAuthentication(SessionAuthentication):
    """Portal sessions on the API, refused (403) for a therapist or staff member who has
    given the password but not the second step, whatever the endpoint.

    Tokens need no such check: the token endpoint issues one to these roles only after the
    second step.
    """

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user = request._request.user
        is_verified = getattr(user, "is_verified", None)
        if needs_second_factor(found[0]) and not (is_verified and is_verified()):
            raise PermissionDenied(
                _("Finish signing in with your second step (/accounts/2fa/) first.")
            )
        return found


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI description of VerifiedSessionAuthentication: the portal's session cookie."""

    target_class = "accounts.authentication.VerifiedSessionAuthentication"
    priority = 0

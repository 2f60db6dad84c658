"""Rate limits per connecting address, on the shared cache (Redis in production).

Sign-in, registration and invitations are the doors a stranger can knock on without an
account; each allows a few requests per address and then answers 429 with Retry-After.
The address is the one the lockout uses (``accounts.lockout.client_address``), so the
trusted-proxy setting applies to both. The same classes guard the portal's forms.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle

from .lockout import client_address


class AddressThrottle(SimpleRateThrottle):
    """A fixed number of requests per address per period, for one named door."""

    scope = ""

    def get_rate(self) -> str:
        # Read at each request (not at import) so settings and tests can change the rates.
        return settings.COMPANION_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request) or "unknown",
        }


class SignInThrottle(AddressThrottle):
    scope = "sign-in"


class RegisterThrottle(AddressThrottle):
    scope = "register"


class InvitationThrottle(AddressThrottle):
    scope = "invitation"


class PasswordResetThrottle(AddressThrottle):
    scope = "password-reset"


class PasswordConfirmThrottle(SimpleRateThrottle):
    """Confirming an action with one's password (deleting the account): a few tries per
    account, so a stolen session or token cannot be used to guess the password."""

    scope = "password-confirm"

    def get_rate(self) -> str:
        return settings.COMPANION_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def portal_wait(throttle_class: type[SimpleRateThrottle], request: HttpRequest) -> int | None:
    """For a portal form: None when the request may go ahead, else the seconds to wait."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    return max(1, int(throttle.wait() or 1))


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    """The portal's 429 page, with Retry-After."""
    response = render(request, "accounts/too_many.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response

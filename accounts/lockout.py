"""Who is signing in, from where, and when to stop them (django-axes, configured for us).

The design (docs/SECURITY.md, "Lockout"):

- **The account, whatever its spelling.** Failures are counted per account key, made from
  the canonical email (the very form sign-in looks accounts up by) and then NFKC-normalised
  and case-folded. Every spelling that can reach an account therefore shares one counter:
  ``LOCKME@X.TEST`` and ``lockme@x.test`` cannot each get their own five guesses.
- **The pair, not the account.** The lock is on (account, address): five failures from one
  address lock that address out of that account for the cool-off, while the owner, signing
  in from elsewhere, is not locked out by a stranger.
- **The address, across accounts.** ``AXES_ADDRESS_FAILURE_LIMIT`` failures from one
  address, whatever accounts they named, lock that address out of every account (password
  spraying: one guess each at many accounts).
- **The real address.** Behind ``TRUSTED_PROXY_COUNT`` proxies that each append to
  ``X-Forwarded-For``, the client is the entry that many places from the right; entries
  further left were written by the client and are ignored. With no trusted proxy the
  header is ignored entirely.
"""

import ipaddress
import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import canonical_email


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request really came from (see the module docstring)."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        # Fewer hops than trusted proxies: the request did not come through all of them,
        # so nothing in the header can be trusted.
        if len(hops) >= count:
            forwarded = _address(hops[-count])
            if forwarded is not None:
                return forwarded
    return _address(request.META.get("REMOTE_ADDR"))


def account_key(value: object) -> str:
    """The lockout key of whatever was typed as the email (a function of canonical_email)."""
    if not isinstance(value, str):
        return ""
    return unicodedata.normalize("NFKC", canonical_email(value)).casefold()


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the account key, from the credentials or the login form."""
    value = None
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return account_key(value)


def address_failures(request: HttpRequest) -> int:
    """Failures from this address within the cool-off, whatever accounts they named."""
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    if address is None:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit across accounts."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair = super().get_failures(request, credentials)
        spraying = address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        request.companion_address_locked = spraying
        if spraying:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def lockout_message(request: HttpRequest) -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if getattr(request, "companion_address_locked", False):
        return _(
            "Too many failed sign-in attempts came from your network, so sign-in from it is "
            "locked for %(minutes)d minutes. Try again later, or ask your therapist to have it "
            "unlocked."
        ) % {"minutes": minutes}
    return _(
        "Too many failed attempts. This account is locked from your connection for "
        "%(minutes)d minutes; try again later, or ask your therapist to have it unlocked."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """What a locked-out sign-in sees (AXES_LOCKOUT_CALLABLE): JSON for the API, a page
    otherwise."""
    message = lockout_message(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)

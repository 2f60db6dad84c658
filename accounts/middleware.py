"""Per-user time zone for pages, and the session idle timeout."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class UserTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tz)
        else:
            timezone.deactivate()
        return self.get_response(request)


class SessionIdleTimeoutMiddleware:
    """Ends a portal session after SESSION_IDLE_SECONDS without a request.

    The absolute lifetime is SESSION_COOKIE_AGE, counted from the session's first
    authenticated request (``started_at``), because every save of the session (the
    ``last_seen`` updates) would otherwise push the stored expiry date forward.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and user is not None
            and user.is_authenticated
            and "_auth_user_id" in session
        ):
            now = int(time.time())
            last = session.get("last_seen")
            # Every save of the session moves its expiry date, so the absolute lifetime is
            # kept here too: from the first request of the session, SESSION_COOKIE_AGE.
            started = session.setdefault("started_at", now)
            too_old = now - int(started) > settings.SESSION_COOKIE_AGE
            idle = last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS
            if too_old or idle:
                logout(request)
            elif last is None or now - int(last) > 30:
                session["last_seen"] = now
        return self.get_response(request)

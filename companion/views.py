"""Site-wide pages: each role's home, health."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from journal.views import client_home

from .library import article_list

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == "client":
        return client_home(request, extra={"library": article_list(viewer=user)[:3]})
    if user.is_therapist:
        return redirect("therapists:dashboard")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "companion/pending.html")


def _broker_status() -> str:
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            ).ping()
        except Exception:  # any failure means the broker is not usable right now
            return "down"
        return "ok"
    broker_dir = settings.BROKER_DIR / "out"
    return "ok" if broker_dir.is_dir() else "down"


def healthz(request: HttpRequest) -> JsonResponse:
    body = {
        "database": "ok",
        "broker": _broker_status(),
        "broker_kind": "redis" if settings.REDIS_URL else "filesystem",
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.error("healthz: database unreachable: %s", type(exc).__name__)
        body["database"] = "down"
        return JsonResponse(body, status=503)
    return JsonResponse(body)

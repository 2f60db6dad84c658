"""The installable portal (#20): the web app manifest, the service worker and the page it
shows without a connection.

The service worker is served from ``/sw.js`` (not under ``/static/``) so its scope can
be the whole site. Its cache holds only what carries no personal data: the offline page,
the check-in page's shell (``/checkin/shell/``: the form as anyone sees it, without
anyone's recent feelings or care team) and static assets. A check-in made offline waits in the browser's IndexedDB until it is sent
(docs/OFFLINE.md says what is kept on the device and for how long).
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .safety import country_for, crisis_resource_rows

THEME_COLOUR = "#2f6f73"
BACKGROUND_COLOUR = "#fbfaf7"

# Same-origin pages the service worker keeps for offline use: no personal data in any.
OFFLINE_PAGE = "/offline/"
# A page that works offline from a shell: the page's path → the shell the worker keeps.
SHELLS = {"/checkin/": "/checkin/shell/"}
# Static files every page needs, kept so the offline page and the shells look right.
STATIC_ASSETS = [
    "companion/css/site.css",
    "companion/js/site.js",
    "companion/js/outbox.js",
    "companion/favicon.svg",
    "companion/icons/icon-192.png",
    "django_htmx/htmx-2.min.js",
    "journal/journal.css",
    "journal/checkin.js",
]


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": staticfiles_storage.url(f"companion/icons/{name}"), "sizes": size,
         "type": "image/png", "purpose": purpose}
        for name, size, purpose in (
            ("icon-192.png", "192x192", "any"),
            ("icon-512.png", "512x512", "any"),
            ("icon-maskable-512.png", "512x512", "maskable"),
        )
    ]  # fmt: skip
    data = {
        "id": "/",
        "name": "Companion",
        "short_name": "Companion",
        "description": _("Your check-ins, homework and notes between therapy sessions."),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
        "shortcuts": [{"name": _("Check in"), "url": "/checkin/"}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def shell_pages() -> list[str]:
    return [OFFLINE_PAGE, *SHELLS.values()]


def _precache() -> list[str]:
    return [*shell_pages(), *(staticfiles_storage.url(name) for name in STATIC_ASSETS)]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker, with a cache name that changes whenever it or what it keeps changes."""
    precache = _precache()
    body = render_to_string(
        "companion/sw.js",
        {
            "precache": json.dumps(precache),
            "offline_page": json.dumps(OFFLINE_PAGE),
            "shells": json.dumps(SHELLS),
            "outbox_script": json.dumps(staticfiles_storage.url("companion/js/outbox.js")),
            "icon": json.dumps(staticfiles_storage.url("companion/icons/icon-192.png")),
            "version": json.dumps("VERSION"),
        },
    )
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    response = HttpResponse(
        body.replace('"VERSION"', json.dumps(version)),
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when a page cannot be reached. Rendered without the
    person's details (it is kept on the device), with the crisis lines of their country."""
    return render(
        request,
        "companion/offline.html",
        {"crisis_resources": crisis_resource_rows(country_for(request.user))},
    )


urlpatterns = [
    path("manifest.webmanifest", manifest, name="manifest"),
    path("sw.js", service_worker, name="service-worker"),
    path("offline/", offline_page, name="offline"),
]

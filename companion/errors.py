"""Error answers for the whole site: JSON under /api/, calm pages with a way back elsewhere.

Django calls these for errors no view answered itself (an unknown path, a PermissionDenied,
a request it could not read, a crash). Under /api/ every answer is JSON with a ``detail``
(the contract: never an HTML page to an API client).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from accounts.input_guard import API_PREFIX

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"non_field_errors": [_("The request could not be read.")]}, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": _("You do not have permission to perform this action.")}, status=403
        )
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {
                "detail": _(
                    "Something went wrong on our side. Nothing was stored; please try again."
                )
            },
            status=500,
        )
    # No request context: the database or a context processor may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": _("The form expired or came from elsewhere. Reload and try again.")},
            status=403,
        )
    return render(request, "403_csrf.html", status=403)


class ApiAnswersInJsonMiddleware:
    """JSON under /api/ with DEBUG on as well.

    With DEBUG on (``make run``, the embedded default) Django answers an unknown path, or
    an Http404 no view caught, with its HTML debug page and a crash with a traceback page,
    whatever the handlers above say. An API client of the demo must get the contract's
    JSON there too; the traceback still goes to the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and _is_api(request)
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not settings.DEBUG or not _is_api(request) or isinstance(exception, Http404):
            return None  # production: handler500; a 404 becomes JSON above
        if isinstance(exception, PermissionDenied):
            return permission_denied(request)
        logger.exception("API request failed: %s %s", request.method, request.path)
        return server_error(request)

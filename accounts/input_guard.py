"""One defence for everything a client sends the API, before any view sees it.

- **Size**: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413, in JSON, whether it
  announces its length or not (the parser reads one byte past the limit at most).
- **Shape**: JSON nested deeper than ``MAX_DEPTH`` answers 400; Python's decoder would
  otherwise raise RecursionError at about a thousand levels (a server error).
- **Text**: a NUL character or an unpaired surrogate anywhere in the body (a value or a
  key, at any depth) or in a query parameter answers 400 naming the top-level field or
  the parameter. NUL cannot be stored in PostgreSQL text, and a surrogate cannot be
  encoded as UTF-8, so either would fail later, deep in a query or the renderer.
- **Rendering**: ``SafeJSONRenderer`` falls back to ASCII escapes rather than fail, so
  an error message can always be sent, whatever it quotes.

Views keep their own validation; this layer only guarantees that what reaches them is
something Python, PostgreSQL and UTF-8 can all hold.
"""

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import parsers, renderers, status
from rest_framework.exceptions import APIException, ParseError, ValidationError

API_PREFIX = "/api/"
# Deeper than any body the API accepts (a check-in is four levels: body, emotions, an
# emotion, its fields), with room to spare; far below the decoder's recursion limit.
MAX_DEPTH = 32


def unsafe_text(value: str) -> bool:
    """NUL or an unpaired surrogate: text no database column or UTF-8 stream can hold."""
    return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)


def unsafe_text_message() -> str:
    return _("Remove the NUL character or unpaired surrogate from this text.")


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        limit_kib = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        super().__init__(
            _("The request body is too large: at most %(kib)d KiB.") % {"kib": limit_kib}
        )


def too_large_response() -> JsonResponse:
    return JsonResponse(
        {"detail": str(PayloadTooLarge().detail)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    )


def check_parsed(data: object) -> None:
    """Walk the parsed body (iteratively: no recursion to exhaust) for depth and text."""
    stack: list[tuple[object, int, str]] = []
    if isinstance(data, dict):
        stack.extend((value, 1, str(key)) for key, value in data.items())
        bad_keys = [key for key in data if unsafe_text(key)]
        if bad_keys:
            raise ValidationError({"non_field_errors": [unsafe_text_message()]})
    elif isinstance(data, list):
        stack.extend((value, 1, "non_field_errors") for value in data)
    elif isinstance(data, str) and unsafe_text(data):
        raise ValidationError({"non_field_errors": [unsafe_text_message()]})
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_DEPTH:
            raise ValidationError(
                {field: [_("This is nested too deeply (at most %(n)d levels).") % {"n": MAX_DEPTH}]}
            )
        if isinstance(value, str):
            if unsafe_text(value):
                raise ValidationError({field: [unsafe_text_message()]})
        elif isinstance(value, dict):
            for key, inner in value.items():
                if unsafe_text(key):
                    raise ValidationError({field: [unsafe_text_message()]})
                stack.append((inner, depth + 1, field))
        elif isinstance(value, list):
            stack.extend((inner, depth + 1, field) for inner in value)


class GuardedJSONParser(parsers.JSONParser):
    """DRF's JSON parser with the limits above."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            text = raw.decode((parser_context or {}).get("encoding") or "utf-8")
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise ValidationError(
                {
                    "non_field_errors": [
                        _("This is nested too deeply (at most %(n)d levels).") % {"n": MAX_DEPTH}
                    ]
                }
            ) from exc
        except (ValueError, UnicodeDecodeError, LookupError) as exc:
            # LookupError: a charset Python knows that is not a text encoding (rot13, hex)
            raise ParseError() from exc
        check_parsed(data)
        return data


def _refuse_constant(name: str):
    # NaN and Infinity are not JSON; Python's decoder would accept them.
    raise ValueError(f"{name} is not JSON")


class SafeJSONRenderer(renderers.JSONRenderer):
    """DRF's renderer, which falls back to ASCII escapes where UTF-8 cannot encode a text."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except (UnicodeEncodeError, ValueError, TypeError, RecursionError):
            safe = json.dumps(_plain(data), ensure_ascii=True, default=str)
            return safe.encode("ascii")


def _plain(data):
    """A copy of ``data`` that json.dumps can always write (no lazy strings, no objects)."""
    try:
        return json.loads(json.dumps(data, default=str, ensure_ascii=True))
    except (ValueError, TypeError, RecursionError):
        return {"detail": "The answer could not be written."}


class InputMiddleware:
    """Refuses what no view should have to handle. Everywhere: query parameters with NUL or
    unpaired surrogates (400; under /api/ as JSON naming the parameter, elsewhere the
    calm 400 page). Under /api/: a declared body over the size limit (413, JSON)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith(API_PREFIX)
        if api:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return too_large_response()
        bad = {
            (key if not unsafe_text(key) else "non_field_errors"): [unsafe_text_message()]
            for key, values in request.GET.lists()
            if unsafe_text(key) or any(unsafe_text(v) for v in values)
        }
        if bad and api:
            return JsonResponse(_plain(bad), status=status.HTTP_400_BAD_REQUEST)
        if bad:
            return render(request, "400.html", status=status.HTTP_400_BAD_REQUEST)
        return self.get_response(request)

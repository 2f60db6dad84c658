"""Project-wide API plumbing: pagination, the error handler, role permissions, and the
input fields every app shares (ASCII digits, dates the product can use).

Kept apart from the views so DRF settings can import it without importing generics.
"""

import logging
import re
from datetime import datetime

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, ParseError, Throttled, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .input_guard import PayloadTooLarge, unsafe_text
from .limits import date_in_range, date_range_message
from .models import Role

logger = logging.getLogger(__name__)
ASCII_DIGITS = re.compile(r"[0-9]+")


def ascii_int(raw: object) -> int | None:
    """The number written in ASCII digits, or None (``"²"`` and ``"١"`` are not numbers here,
    nor is a string longer than Python will convert: 4,300 digits)."""
    text = str(raw).strip()
    if not ASCII_DIGITS.fullmatch(text):
        return None
    try:
        return int(text)
    except ValueError:
        return None


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or 1
        if raw in self.last_page_strings:
            return raw
        if ascii_int(raw) is None:
            raise NotFound(_("Invalid page."))
        return raw

    def get_page_size(self, request):
        number = ascii_int(request.query_params.get(self.page_size_query_param, ""))
        if number is None or number < 1:
            return self.page_size
        return min(number, self.max_page_size)


def named_choice_field(component: str, choices) -> type[serializers.ChoiceField]:
    """A ChoiceField documented as one named enum component, so that the same choices
    share one name and do not collide with other apps' "status" or "kind" enums."""
    field_class = type(f"{component}Field", (serializers.ChoiceField,), {})
    values = [value for value, _label in choices]
    return extend_schema_field({"type": "string", "enum": values}, component_name=component)(
        field_class
    )


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer and nothing else: DRF's own field would take 2.0, "3", true or "٣"."""

    default_error_messages = {"invalid": _("A whole number is required.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictUUIDField(serializers.UUIDField):
    """A UUID written as text, as every client sends one: DRF's own field takes integers too."""

    default_error_messages = {
        "invalid": _("Give a UUID, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301.")
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class BoundedDateField(serializers.DateField):
    """A date the product can use (accounts.limits); the error says the range."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not date_in_range(parsed):
            raise ValidationError(date_range_message())
        return parsed


class BoundedDateTimeField(serializers.DateTimeField):
    """A moment on a date the product can use (year 1 with an offset cannot even be converted
    to UTC: DRF's field would raise OverflowError)."""

    def to_internal_value(self, value):
        try:
            parsed = super().to_internal_value(value)
        except OverflowError as exc:
            raise ValidationError(date_range_message()) from exc
        if isinstance(parsed, datetime) and not date_in_range(parsed.date()):
            raise ValidationError(date_range_message())
        return parsed


def _where(path: str, label: str) -> str:
    return f"{path[:-2]}, {label}: " if path else f"{label}: "


def _messages(value, path: str = "") -> list[str]:
    """Nested errors (a list item, a nested object) as flat messages that say where."""
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            number = ascii_int(key)
            label = f"item {number + 1}" if number is not None else str(key)
            out.extend(_messages(inner, _where(path, label)))
        return out
    if isinstance(value, list):
        out = []
        for index, inner in enumerate(value):
            if isinstance(inner, dict | list):
                out.extend(_messages(inner, _where(path, f"item {index + 1}")))
            else:
                out.append(f"{path}{inner}")
        return out
    return [f"{path}{value}"]


def exception_handler(exc, context):
    """DRF's handler, shaped to the contract: 400 bodies are always {"field": ["message"]}.

    Django ValidationErrors raised by services become field errors; a body that is not
    JSON becomes a non_field_errors message; nested errors (one item of ``emotions``)
    are flattened to messages that name the item, under the top-level field. It never
    raises: if shaping fails, the answer is a plain 400 (for a client's mistake) or 500.
    """
    try:
        return _handle(exc, context)
    except Exception:
        logger.exception("the API error handler failed on %r", type(exc).__name__)
        code = getattr(exc, "status_code", status.HTTP_500_INTERNAL_SERVER_ERROR)
        code = code if isinstance(code, int) and 400 <= code < 600 else 500
        return Response({"detail": _("The request could not be handled.")}, status=code)


def _handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = ValidationError(detail)
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = ValidationError({"non_field_errors": [_("The request could not be read.")]})
    if isinstance(exc, Throttled):
        exc = Throttled(
            wait=exc.wait,
            detail=str(
                _("Too many requests from your connection. Please wait a little and try again.")
            ),
        )
    if isinstance(exc, ParseError):
        exc = ValidationError({"non_field_errors": [_("The request body is not valid JSON.")]})
    response = drf_exception_handler(exc, context)
    if (
        isinstance(exc, ValidationError)
        and response is not None
        and isinstance(response.data, dict)
    ):
        response.data = {
            _safe(field): [_safe(m) for m in _messages(errors)]
            for field, errors in response.data.items()
        }
    return response


def _safe(text: object) -> str:
    """A message as text UTF-8 can carry, whatever it quotes from the request."""
    text = str(text)
    if not unsafe_text(text):
        return text
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text).replace(
        "\x00", "\ufffd"
    )


class IsClient(permissions.BasePermission):
    message = _("This is for client accounts.")

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.role == Role.CLIENT
        )


class IsTherapist(permissions.BasePermission):
    message = _("This is for approved therapist accounts.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_therapist)

"""Project-wide API plumbing: pagination, the error handler, role permissions.

Kept apart from the views so DRF settings can import it without importing generics.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.exceptions import ParseError, Throttled, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from .models import Role


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _where(path: str, label: str) -> str:
    return f"{path[:-2]}, {label}: " if path else f"{label}: "


def _messages(value, path: str = "") -> list[str]:
    """Nested errors (a list item, a nested object) as flat messages that say where."""
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            label = f"item {int(key) + 1}" if str(key).isdigit() else str(key)
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
    are flattened to messages that name the item, under the top-level field.
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = ValidationError(detail)
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
        response.data = {field: _messages(errors) for field, errors in response.data.items()}
    return response


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

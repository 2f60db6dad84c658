"""Project-wide API plumbing: pagination, the error handler, role permissions.

Kept apart from the views so DRF settings can import it without importing generics.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from .models import Role


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler, plus Django ValidationErrors raised by services become field 400s."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


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
        if not (user and user.is_authenticated and user.is_therapist):
            return False
        # A token is only issued after the second factor; a portal session must be verified.
        return request.auth is not None or _session_verified(request)


def _session_verified(request) -> bool:
    is_verified = getattr(request._request.user, "is_verified", None)
    return bool(is_verified and is_verified())

"""What every portal view shares: who may open it, and service errors on its form.

``client_required`` / ``therapist_required``: a signed-out visitor goes to the sign-in
page; a signed-in person of another role gets the calm 403 page (raise PermissionDenied,
so Django's handler403 renders it). Which objects a page may show is decided by the
access functions, never here.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse

from .models import Role, User

View = Callable[..., HttpResponse]


def _role_required(allowed: Callable[[User], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


client_required = _role_required(lambda user: user.role == Role.CLIENT)
# An approved therapist (a therapist account waiting for staff approval sees no clients).
therapist_required = _role_required(lambda user: user.is_therapist)


def apply_service_errors(form: Form, exc: ValidationError, *, on_form: tuple[str, ...] = ()):
    """Put a service's field errors on the form: beside the field when the form has it,
    at the top of the form otherwise, and for fields starting with a prefix in ``on_form``
    (the check-in's symptom questions read better with their error above them all)."""
    for field, messages in exc.message_dict.items():
        beside = field in form.fields and not (on_form and field.startswith(on_form))
        target = field if beside else None
        for message in messages:
            form.add_error(target, message)

"""Writing the audit trail. Callers pass ids and object types, never clinical text."""

from django.db import models
from django.http import HttpRequest

from .lockout import client_address
from .models import AuditAction, AuditEvent, User


def audit_record(
    *,
    request: HttpRequest | None,
    action: str | AuditAction,
    actor: User | None = None,
    subject: User | int | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    actor_email: str = "",
) -> AuditEvent:
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    subject_id = subject.pk if isinstance(subject, User) else subject
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=(getattr(actor, "email", "") or actor_email)[:254],
        action=action,
        subject_id=subject_id,
        object_type=object_type,
        object_id=str(object_id or ""),
        ip_address=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:200] if request is not None else ""),
        path=(request.path[:200] if request is not None else ""),
    )


def audit_reads(*, request: HttpRequest, subject_ids: list[int], object_type: str) -> None:
    """One READ event per client shown on a list page, written in a single INSERT."""
    actor = request.user
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                actor_email=actor.email,
                action=AuditAction.READ,
                subject_id=subject_id,
                object_type=object_type,
                ip_address=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                path=request.path[:200],
            )
            for subject_id in subject_ids
        ]
    )

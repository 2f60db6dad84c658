"""Audit every login, failed login and lockout (no passwords, no clinical text)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .models import AuditAction


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    api = request is not None and request.path.startswith("/api/")
    audit_record(
        request=request,
        action=AuditAction.LOGIN,
        actor=user,
        object_type="api_token" if api else "session",
    )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted email is kept so staff can see attacks on an account; never the password.
    audit_record(
        request=request,
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        actor_email=str(credentials.get("username", "")),
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        request=request,
        action=AuditAction.LOCKOUT,
        actor=None,
        actor_email=str(username or ""),
        object_type="login",
    )

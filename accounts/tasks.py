from celery import shared_task

from . import task_names
from .jobs import RETRY, parse_now
from .outbox import outbox_relay


@shared_task(name=task_names.RELAY_OUTBOX, ignore_result=True)
def relay_outbox_task() -> int:
    """Sends outbox rows the commit hook could not hand to the broker."""
    return outbox_relay()


# The shared policy with fewer retries: a failed build is marked FAILED for the client.
@shared_task(name=task_names.BUILD_EXPORT, **{**RETRY, "max_retries": 3})
def build_export_task(export_id: int) -> str | None:
    from .exports import export_build
    from .models import DataExport, ExportStatus

    export = DataExport.objects.filter(pk=export_id).select_related("client").first()
    if export is None or export.status == ExportStatus.DONE:
        return None
    try:
        return export_build(export=export).status
    except Exception:
        DataExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED)
        raise


@shared_task(name=task_names.SEND_ENROLMENT_LINK, **RETRY)
def send_enrolment_link_task(link_id: int) -> bool:
    """Emails a second-step set-up link once (the key is the link's id)."""
    from .messaging import send_once
    from .models import EnrolmentLink
    from .twofactor import enrolment_url

    link = EnrolmentLink.objects.filter(pk=link_id).select_related("user").first()
    if link is None or not link.is_usable:
        return False
    return send_once(
        key=f"enrolment:{link.pk}",
        kind="enrolment",
        recipient=link.user,
        template="second-step-link",
        context={"url": enrolment_url(link), "expires_at": link.expires_at},
    )


@shared_task(name=task_names.SEND_REGISTRATION_NOTICE, **RETRY)
def send_registration_notice_task(user_id: int, now: str | None = None) -> bool:
    """Tells an account's owner that someone tried to register with their email: at most one
    such note a day (the key holds the date), whatever the number of attempts."""
    from .messaging import send_once
    from .models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    day = parse_now(now).date().isoformat()
    return send_once(
        key=f"registration-notice:{user.pk}:{day}",
        kind="registration-notice",
        recipient=user,
        template="registration-notice",
        context={},
    )


@shared_task(name=task_names.SEND_INVITATION, **RETRY)
def send_invitation_task(invitation_id: int) -> bool:
    """Emails an invitation with its sign-up link, once per code (a resend makes a new code,
    so the key, which holds part of the code's digest, is new too)."""
    from django.utils import timezone

    from .messaging import send_once
    from .models import Invitation
    from .services import invitation_link

    invitation = Invitation.objects.filter(pk=invitation_id).select_related("therapist").first()
    if invitation is None or not invitation.is_usable:
        return False
    # The person invited may have no account yet: the message goes to the address given,
    # and is recorded under the therapist who sent the invitation.
    sent = send_once(
        key=f"invitation:{invitation.pk}:{invitation.code_digest[:16]}",
        kind="invitation",
        recipient=invitation.therapist,
        address=invitation.email,
        template="invitation",
        context={
            "therapist": invitation.therapist,
            "url": invitation_link(invitation),
            "expires_at": invitation.expires_at,
        },
    )
    if sent:
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return sent

"""Sending email exactly once per idempotency key.

``send_once`` claims the key (a unique row) and sends inside one transaction: if sending
fails, the claim rolls back and a retry sends; if the key is already claimed, nothing is
sent. The only window for a duplicate is a crash after the mail server accepted the
message and before the commit, which lasts microseconds; the window for a loss is none.

Emails never carry clinical free text: templates get names, counts, levels and links.
"""

import logging
from types import SimpleNamespace

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils.html import escape, linebreaks

from .models import MessageTemplate, SentMessage, User, one_line
from .push import Notification, deliver

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML: staff's active MessageTemplate if there is one, else the files."""
    context = {"site_url": settings.SITE_URL, **context}
    override = MessageTemplate.objects.filter(key=template, is_active=True).first()
    if override is not None:
        staff_context = {name: _staff_view(value) for name, value in context.items()}
        return render_override(override.subject, override.body, staff_context)
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    text = render_to_string(f"emails/{template}-body.txt", context)
    html = render_to_string(f"emails/{template}-body.html", context)
    return subject, text, html


def _staff_view(value):
    """What staff wording may see of a context value: plain values, and of any record only
    its display name and id.

    The built-in templates are reviewed code and get the records; a template typed into
    the admin must not be able to walk from a client to their check-ins
    (``{{ client.checkins.all }}``), so it gets a stand-in with nothing to follow.
    """
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_staff_view(item) for item in value]
    key = getattr(value, "pk", getattr(value, "id", None))
    return SimpleNamespace(
        display_name=one_line(getattr(value, "display_name", "")), pk=key, id=key
    )


def render_override(subject: str, body: str, context: dict) -> tuple[str, str, str]:
    engine = Engine.get_default()
    plain = Context(context, autoescape=False)
    subject_text = " ".join(engine.from_string(subject).render(plain).split())
    text = engine.from_string(body).render(plain)
    html = '<!doctype html>\n<html lang="en"><body>' + linebreaks(escape(text)) + "</body></html>"
    return subject_text, text, html


def send_once(
    *,
    key: str,
    kind: str,
    recipient: User,
    template: str,
    context: dict,
    address: str | None = None,
    push: Notification | None = None,
) -> bool:
    """Send unless a message with this key was sent before. True when this call sent it.

    ``address`` sends to someone without an account (an invitation); the record of the
    message is then filed under ``recipient``, the account that caused it. With ``push``,
    the message goes as a notification to the recipient's devices instead, when at least
    one push service accepts it; the email is the fallback (no device, or none accepted).
    Either way one key, one message.
    """
    try:
        with transaction.atomic():
            sent = SentMessage.objects.create(key=key, kind=kind, recipient=recipient)
            if push is not None and address is None and deliver(recipient, push):
                sent.channel = "push"
                sent.save(update_fields=["channel", "updated_at"])
                logger.info("sent %s notification to user %s", kind, recipient.pk)
                return True
            subject, text, html = render_email(template, {"recipient": recipient, **context})
            message = EmailMultiAlternatives(
                subject, text, settings.DEFAULT_FROM_EMAIL, [address or recipient.email]
            )
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        return False
    logger.info("sent %s message to user %s", kind, recipient.pk)
    return True


def notify_once(*, key: str, kind: str, recipient: User, notification: Notification) -> bool:
    """A notification to the recipient's devices, at most once per key, with no email
    fallback (for what also goes by email on its own key). True when a device took it."""
    try:
        with transaction.atomic():
            SentMessage.objects.create(key=key, kind=kind, recipient=recipient, channel="push")
            delivered = deliver(recipient, notification)
    except IntegrityError:
        return False
    return bool(delivered)

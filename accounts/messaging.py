"""Sending email exactly once per idempotency key.

``send_once`` claims the key (a unique row) and sends inside one transaction: if sending
fails, the claim rolls back and a retry sends; if the key is already claimed, nothing is
sent. The only window for a duplicate is a crash after the mail server accepted the
message and before the commit, which lasts microseconds; the window for a loss is none.

Emails never carry clinical free text: templates get names, counts, levels and links.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .models import SentMessage, User

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    text = render_to_string(f"emails/{template}-body.txt", context)
    html = render_to_string(f"emails/{template}-body.html", context)
    return subject, text, html


def send_once(*, key: str, kind: str, recipient: User, template: str, context: dict) -> bool:
    """Send unless a message with this key was sent before. True when this call sent it."""
    subject, text, html = render_email(template, {"recipient": recipient, **context})
    try:
        with transaction.atomic():
            SentMessage.objects.create(key=key, kind=kind, recipient=recipient)
            message = EmailMultiAlternatives(
                subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email]
            )
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        return False
    logger.info("sent %s message to user %s", kind, recipient.pk)
    return True

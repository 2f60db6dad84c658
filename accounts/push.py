"""Web Push: notifications on the person's devices (RFC 8030 delivery, RFC 8291 payload
encryption with ``aes128gcm``, RFC 8292 VAPID), sent with pywebpush.

What is sent is a title, one calm sentence and a link inside the site: never clinical
text. ``accounts.messaging.send_once`` decides between a notification and an email under
one idempotency key, so a retried job sends neither twice.

Keys come from ``VAPID_PRIVATE_KEY`` / ``VAPID_PUBLIC_KEY`` / ``VAPID_SUBJECT``; without
them a pair is made once under ``DATA_DIR`` (``vapid-private.pem``, mode 0600).

The server posts to an address the browser chose, so ``endpoint_problem`` admits only
https to a known push service (``PUSH_SERVICE_HOSTS``), and http to a loopback address
only in development and tests (``PUSH_ALLOW_LOOPBACK``).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from .models import PushSubscription, User

logger = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# The push service no longer knows this subscription: forget it (RFC 8030 §7.3).
GONE_STATUSES = frozenset({404, 410})


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes | None:
    """Base64url with or without padding; None for anything else (other alphabets too)."""
    if not isinstance(text, str) or not text.isascii() or "+" in text or "/" in text:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


# --- keys -------------------------------------------------------------------------------


def _key_file() -> Path:
    return Path(settings.DATA_DIR) / "vapid-private.pem"


def _load_or_make_key_file() -> Vapid:
    path = _key_file()
    if not path.exists():
        fresh = Vapid()
        fresh.generate_keys()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(fresh.private_pem())
            logger.info("push: made a VAPID key pair in %s", path)
    return Vapid.from_pem(path.read_bytes())


@functools.cache
def vapid() -> tuple[Vapid, str]:
    """The signing key and the public key (base64url of the uncompressed point)."""
    private = settings.VAPID_PRIVATE_KEY.strip()
    if private.startswith("-----BEGIN"):
        signer = Vapid.from_pem(private.encode())
    elif private:
        signer = Vapid.from_string(private)
    else:
        signer = _load_or_make_key_file()
    public = b64url(signer.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))
    if settings.VAPID_PUBLIC_KEY and settings.VAPID_PUBLIC_KEY.strip() != public:
        raise ImproperlyConfigured("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY.")
    return signer, public


def public_key() -> str:
    return vapid()[1]


# --- checking what a browser sends -----------------------------------------------------


# What a push service's URL is made of (RFC 3986 unreserved, reserved and "%"): no
# backslash, space, quote or angle bracket, which parsers read differently.
URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def endpoint_problem(endpoint: object) -> str | None:
    """Why this endpoint is refused, or None."""
    if not isinstance(endpoint, str) or not endpoint:
        return _("Give the push service address the browser reported.")
    if len(endpoint) > 2000 or not URL_CHARACTERS.fullmatch(endpoint):
        return _("This is not a push service address.")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
        # The host as the sending library (urllib3, under requests) will read it: the
        # check must be about the host that is connected to, not another parser's view.
        sent_to = (parse_url(endpoint).host or "").lower()
    except (ValueError, LocationParseError):
        return _("This is not a push service address.")
    host = (parts.hostname or "").lower()
    if sent_to != host:
        return _("This is not a push service address.")
    if parts.username or parts.password or not host:
        return _("This is not a push service address.")
    if (
        settings.PUSH_ALLOW_LOOPBACK
        and host in LOOPBACK_HOSTS
        and parts.scheme in {"http", "https"}
    ):
        return None
    if parts.scheme != "https":
        return _("The push service address must start with https://.")
    if port not in (None, 443):
        return _("This is not a push service address.")
    known = any(host == h or host.endswith("." + h) for h in settings.PUSH_SERVICE_HOSTS)
    if not known:
        return _("Notifications through this push service are not supported.")
    return None


def p256dh_problem(value: object) -> str | None:
    raw = b64url_decode(value) if isinstance(value, str) and len(value) <= 100 else None
    if raw is None or len(raw) != 65 or raw[0] != 4:
        return _("Give the browser's p256dh key: 65 bytes, base64url.")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return _("This p256dh key is not a point on the P-256 curve.")
    return None


def auth_problem(value: object) -> str | None:
    raw = b64url_decode(value) if isinstance(value, str) and len(value) <= 40 else None
    if raw is None or len(raw) != 16:
        return _("Give the browser's auth secret: 16 bytes, base64url.")
    return None


def device_label(user_agent: str) -> str:
    """'Firefox on Android' and the like, for the list of devices in settings."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("SamsungBrowser/", "Samsung Internet"),
                ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"),
                ("Safari/", "Safari"),
            )
            if token in ua
        ),
        _("A browser"),
    )
    system = next(
        (
            name
            for token, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("CrOS", "ChromeOS"),
                ("Linux", "Linux"),
            )
            if token in ua
        ),
        None,
    )
    label = (
        _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
        if system
        else browser
    )
    return label[:80]


# --- sending ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Notification:
    """What a device shows: no clinical text, ever. ``url`` is a path inside the site."""

    title: str
    body: str
    url: str
    tag: str = "companion"
    ttl_seconds: int = 4 * 60 * 60  # a reminder older than this is no longer useful
    urgency: str = "normal"  # RFC 8030 §5.3: very-low | low | normal | high

    def payload(self) -> str:
        return json.dumps(
            {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag},
            ensure_ascii=False,
        )


def deliver(user: User, notification: Notification) -> int:
    """Send to each of the user's devices; returns how many push services accepted it.

    A subscription its push service no longer knows (404, 410) is deleted, and so is one
    made with another server key (the VAPID key pair was changed): the push service would
    refuse it every time, and the settings page subscribes the browser again with the new
    key. Any other failure is logged and leaves the subscription in place; the caller
    falls back to email when no device accepted the notification.
    """
    subscriptions = list(PushSubscription.objects.filter(user=user))
    if not subscriptions:
        return 0
    signer, public = vapid()
    # Made with an earlier key, or at an address today's check refuses (stored before a
    # check was added): never sent to.
    stale = [
        s.pk
        for s in subscriptions
        if (s.server_key and s.server_key != public) or endpoint_problem(s.endpoint)
    ]
    if stale:
        logger.info("push: %d subscription(s) of an earlier key or address; removed", len(stale))
        PushSubscription.objects.filter(pk__in=stale).delete()
    accepted = []
    for subscription in subscriptions:
        if subscription.pk in stale:
            continue
        try:
            webpush(
                {
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=notification.payload(),
                vapid_private_key=signer,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                content_encoding="aes128gcm",
                timeout=settings.PUSH_TIMEOUT_SECONDS,
                ttl=notification.ttl_seconds,
                headers={"Urgency": notification.urgency, "Topic": notification.tag[:32]},
            )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in GONE_STATUSES:
                logger.info("push: subscription %s is gone (%s); removed", subscription.pk, status)
                subscription.delete()
            else:
                logger.warning("push: subscription %s failed (%s)", subscription.pk, status)
            continue
        except Exception as exc:  # a network error must not lose the message: email follows
            logger.warning("push: subscription %s failed (%s)", subscription.pk, type(exc).__name__)
            continue
        accepted.append(subscription.pk)
    if accepted:
        PushSubscription.objects.filter(pk__in=accepted).update(last_sent_at=timezone.now())
    return len(accepted)

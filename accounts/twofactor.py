"""Two-factor authentication (TOTP, with backup codes) for therapists and staff.

Therapists and staff see no client data until their session is verified with a second
factor. Portal: after the password, /accounts/2fa/ enrols a TOTP device (QR code as
inline SVG, plus ten single-use backup codes shown once) or asks for a code. API: the
token endpoint asks them for ``otp``; a token is only issued after it, so token requests
count as verified.

Enrolment needs more than the password: a one-time link (``EnrolmentLink``) that only
the real person receives (create_therapist prints it, staff approval emails it). Until the
link has been opened in the signed-in session, /accounts/2fa/ shows no QR code.
"""

import io
import math
import secrets
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import task_names
from .forms import OtpForm
from .models import EnrolmentLink, Role, User
from .outbox import outbox_enqueue

# No client data behind these (the installable portal's files too: an unverified session
# must still get the service worker and the offline page).
ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/static/",
    "/healthz",
    "/api/",
    "/sw.js",
    "/manifest.webmanifest",
    "/offline/",
    "/checkin/shell/",
)
BACKUP_CODES = 10


def needs_second_factor(user: User) -> bool:
    return user.is_authenticated and (user.role in (Role.THERAPIST, Role.STAFF) or user.is_staff)


def _wait_seconds(device) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed or not data or not data.get("locked_until"):
        return 0
    return max(1, math.ceil((data["locked_until"] - timezone.now()).total_seconds()))


def check_code(devices, code: str) -> tuple[object | None, int]:
    """(the device that accepts ``code``, 0), or (None, seconds to wait before retrying).

    django-otp waits 1, 2, 4, 8 ... seconds after successive wrong codes and meanwhile
    refuses even the right one. A device in that wait is not asked; if it might have held
    the match, the answer is the wait (tell the person it is a pause, not a wrong code);
    a plain miss is (None, 0).
    """
    code = (code or "").replace(" ", "").strip()
    waits = [(device, _wait_seconds(device)) for device in devices if _could_match(device, code)]
    for device, wait in waits:
        if not wait and device.verify_token(code):
            return device, 0
    return None, max((wait for _device, wait in waits), default=0)


def _could_match(device, code: str) -> bool:
    """A TOTP device only takes its own number of ASCII digits (a backup code is longer), so
    a backup code neither counts as a wrong TOTP code nor waits for the TOTP back-off."""
    if not code:
        return False
    if isinstance(device, TOTPDevice):
        return code.isascii() and code.isdigit() and len(code) == device.digits
    return True


def code_wait_message(seconds: int) -> str:
    return ngettext(
        "After a wrong code there is a short wait. Please try again in %(n)d second.",
        "After a wrong code there is a short wait. Please try again in %(n)d seconds.",
        seconds,
    ) % {"n": seconds}


def user_devices(user: User) -> list:
    """The confirmed devices that may check a code of this user's (TOTP and backup codes)."""
    return list(devices_for_user(user, confirmed=True))


# --- enrolment links ---------------------------------------------------------------------

ENROLMENT_SALT = "accounts.enrolment-link"
ENROLMENT_SESSION_KEY = "companion_enrolment_allowed"


def enrolment_url(link: EnrolmentLink) -> str:
    token = signing.dumps(link.pk, salt=ENROLMENT_SALT)
    return f"{settings.SITE_URL}/accounts/2fa/enrol/{token}/"


@transaction.atomic
def enrolment_link_create(*, user: User, send_email: bool = False) -> tuple[EnrolmentLink, str]:
    """A new one-time set-up link for ``user`` (older unused ones stop working) and its URL.

    With ``send_email``, the link is also emailed to the user, through the outbox.
    """
    now = timezone.now()
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    link = EnrolmentLink.objects.create(user=user, expires_at=now + settings.ENROLMENT_LINK_TTL)
    if send_email:
        outbox_enqueue(task_names.SEND_ENROLMENT_LINK, link_id=link.pk)
    return link, enrolment_url(link)


def _link_from_token(token: str, user: User) -> EnrolmentLink | None:
    try:
        link_id = signing.loads(
            token, salt=ENROLMENT_SALT, max_age=settings.ENROLMENT_LINK_TTL.total_seconds()
        )
    except signing.BadSignature:
        return None
    if not isinstance(link_id, int):
        return None
    link = EnrolmentLink.objects.filter(pk=link_id, user=user).first()
    return link if link is not None and link.is_usable else None


def enrolment_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link: sign in first if needed, then the set-up page shows its QR code."""
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={request.path}")
    with transaction.atomic():
        link = _link_from_token(token, request.user)
        used = (
            link is not None
            and EnrolmentLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            == 1
        )
    if not used:
        return render(request, "accounts/2fa_link_invalid.html", status=404)
    request.session[ENROLMENT_SESSION_KEY] = request.user.pk
    return redirect("accounts:2fa")


class RequireTwoFactorMiddleware:
    """Redirects unverified therapist and staff sessions to the second-factor page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and needs_second_factor(user)
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            return redirect(f"/accounts/2fa/?next={request.path}")
        return self.get_response(request)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :].replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )


@transaction.atomic
def _issue_backup_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = request.GET.get("next") or request.POST.get("next") or "/"
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    enrolled = user_has_device(user, confirmed=True)
    if not enrolled and request.session.get(ENROLMENT_SESSION_KEY) != user.pk:
        return render(request, "accounts/2fa_need_link.html")
    form = OtpForm(request.POST or None)
    pending = None
    if not enrolled:
        pending = TOTPDevice.objects.filter(
            user=user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    if request.method == "POST" and form.is_valid():
        devices = [pending] if pending is not None else user_devices(user)
        device, wait = check_code(devices, form.cleaned_data["code"])
        if device is not None and pending is not None:
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, pending)
            codes = _issue_backup_codes(user)
            return render(
                request, "accounts/2fa_backup_codes.html", {"codes": codes, "next": next_url}
            )
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        if wait:
            form.add_error("code", code_wait_message(wait))
        elif pending is not None:
            form.add_error(
                "code",
                _("That code did not match. Check the time on your phone and try the newest code."),
            )
        else:
            form.add_error(
                "code", _("That code did not match. You can also use one of your backup codes.")
            )
    context = {"form": form, "next": next_url, "enrolled": enrolled}
    if pending is not None:
        context.update(qr=_qr_svg(pending.config_url), secret=pending.key)
    return render(request, "accounts/2fa.html", context)


@login_required
def backup_codes_view(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working); only from a verified session."""
    if request.method != "POST" or not request.user.is_verified():
        return redirect("accounts:2fa")
    codes = _issue_backup_codes(request.user)
    messages.info(request, _("Your old backup codes no longer work."))
    return render(request, "accounts/2fa_backup_codes.html", {"codes": codes, "next": "/"})


@login_required
def replace_authenticator_view(request: HttpRequest) -> HttpResponse:
    """A new phone: set up a new authenticator from a fully signed-in session. The old one
    stops working only once the new one has given a right code."""
    user = request.user
    if not needs_second_factor(user) or not user.is_verified():
        return redirect("accounts:2fa")
    pending = TOTPDevice.objects.filter(
        user=user, confirmed=False, name="replacement"
    ).first() or TOTPDevice.objects.create(user=user, name="replacement", confirmed=False)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, wait = check_code([pending], form.cleaned_data["code"])
        if device is not None:
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=pending.pk).delete()
                pending.confirmed = True
                pending.name = "authenticator"
                pending.save(update_fields=["confirmed", "name"])
            otp_login(request, pending)
            messages.success(
                request, _("Your new authenticator app is set up; the old one no longer works.")
            )
            return redirect("accounts:profile")
        form.add_error(
            "code",
            code_wait_message(wait)
            if wait
            else _(
                "That code did not match. Check the time on your phone and try the newest code."
            ),
        )
    context = {"form": form, "qr": _qr_svg(pending.config_url), "secret": pending.key}
    return render(request, "accounts/2fa_replace.html", context)

"""Two-factor authentication (TOTP, with backup codes) for therapists and staff.

Therapists and staff see no client data until their session is verified with a second
factor. Portal: after the password, /accounts/2fa/ enrols a TOTP device (QR code as
inline SVG, plus ten single-use backup codes shown once) or asks for a code. API: the
token endpoint asks them for ``otp``; a token is only issued after it, so token requests
count as verified.
"""

import io
import secrets
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import OtpForm
from .models import Role, User

ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/healthz", "/api/")
BACKUP_CODES = 10


def needs_second_factor(user: User) -> bool:
    return user.is_authenticated and (user.role in (Role.THERAPIST, Role.STAFF) or user.is_staff)


def verify_code(user: User, code: str):
    """The device that accepts this TOTP or backup code, or None."""
    code = (code or "").replace(" ", "").strip()
    if not code:
        return None
    return match_token(user, code)


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
    form = OtpForm(request.POST or None)
    pending = None
    if not enrolled:
        pending = TOTPDevice.objects.filter(
            user=user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if pending is not None:
            if pending.verify_token(code.replace(" ", "")):
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
                otp_login(request, pending)
                codes = _issue_backup_codes(user)
                return render(
                    request, "accounts/2fa_backup_codes.html", {"codes": codes, "next": next_url}
                )
            form.add_error(
                "code",
                _("That code did not match. Check the time on your phone and try the newest code."),
            )
        else:
            device = verify_code(user, code)
            if device is not None:
                otp_login(request, device)
                return redirect(next_url)
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

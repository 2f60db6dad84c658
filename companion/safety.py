"""The /safety/ page and the crisis resources behind it.

Crisis resources are site content (companion) that the client side needs at the very
moment a client may be unsafe. journal must not import companion, so companion hands
journal a reader at start-up (see ``companion.models._register_with_journal``), and
journal falls back to a built-in international list if nothing is registered. That keeps
one source of truth for the resources and the import direction intact.

A client's locale is the country of their time zone (Europe/Berlin → DE), read from the
IANA zone table, because the country decides which helpline can be reached by phone.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from importlib import resources

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role, User
from accounts.portal import client_required
from accounts.selectors import care_team_list
from journal.models import SafetySource
from journal.selectors.safety import safety_signal_recent
from journal.services.safety import safety_signal_raise

from .models import CrisisResource

RESOURCE_FIELDS = ("locale", "name", "description", "phone", "sms", "url", "available_hours")
# After an alert (the button or a questionnaire answer), the page says the therapist has
# been told rather than offering to tell them again; later on, the button is back.
ALERT_SHOWN_FOR = timedelta(hours=1)


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    try:
        text = (resources.files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        try:
            with open("/usr/share/zoneinfo/zone.tab", encoding="utf-8") as fh:
                text = fh.read()
        except OSError:
            return {}
    table = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            table[parts[2]] = parts[0]
    return table


def country_for(user: User | None) -> str:
    """Two-letter country of the user's time zone, or "" when unknown (UTC, anonymous)."""
    if user is None or not user.is_authenticated:
        return ""
    return _zone_countries().get(user.timezone, "")


def crisis_resource_rows(country: str) -> list[CrisisResource]:
    """Resources for the country first, then the ones that help anywhere. One query."""
    rows = CrisisResource.objects.filter(is_active=True, locale__in={country, ""})
    return sorted(rows, key=lambda r: (r.locale == "", r.position, r.name))


def crisis_resources_for(user: User | None) -> list[dict]:
    """Crisis resources for the user's locale, with the "anywhere" set as the fallback."""
    return [
        {name: getattr(r, name) for name in RESOURCE_FIELDS}
        for r in crisis_resource_rows(country_for(user))
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def safety_page(request: HttpRequest) -> HttpResponse:
    """Open to everyone (help must never sit behind a login). Clients also get the
    "Tell my therapist now" button, which POSTs here."""
    if request.method == "POST":
        return safety_tell_therapist(request)
    user = request.user
    country = country_for(user)
    shown = crisis_resource_rows(country)
    others = (
        CrisisResource.objects.filter(is_active=True)
        .exclude(locale__in={country, ""})
        .order_by("locale", "position", "name")
    )
    is_client = user.is_authenticated and user.role == Role.CLIENT
    team = list(care_team_list(viewer=user)) if is_client else []
    return render(
        request,
        "companion/safety.html",
        {
            "resources": shown,
            "other_resources": others,
            "country": country,
            "is_client": is_client,
            "team": team,
            "alerted": safety_signal_recent(viewer=user, within=ALERT_SHOWN_FOR) if team else None,
            "after_assessment": request.GET.get("from") == "assessment",
        },
    )


@client_required
def safety_tell_therapist(request: HttpRequest) -> HttpResponse:
    """The "Tell my therapist now" button: a SafetySignal and an alert, at once."""
    safety_signal_raise(client=request.user, source=SafetySource.BUTTON)
    if care_team_list(viewer=request.user).exists():
        messages.success(
            request,
            _(
                "We have let your therapist know. They may not see it straight away, so if you "
                "need someone now, please use one of the contacts below."
            ),
        )
    else:
        messages.info(
            request,
            _(
                "You are not connected with a therapist here, so no one has been told. "
                "Please reach out to one of the contacts below."
            ),
        )
    return redirect("safety")

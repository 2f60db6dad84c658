"""Reads for safety: the crisis resources shown to a client who may not be safe."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from accounts.models import Role, User

from ..models import SafetySignal

logger = logging.getLogger(__name__)

CrisisResourcesProvider = Callable[[User], list[dict]]

_crisis_resources_provider: CrisisResourcesProvider | None = None

# Shown when the registered provider fails or the table is empty: a safety path must
# never come back empty. Accurate everywhere; the list staff keep in the admin normally
# replaces it. The same two entries seed that list (companion migration 0002, which may
# not import app code); tests/journal/test_safety.py pins that the two stay equal.
FALLBACK_CRISIS_RESOURCES: tuple[dict, ...] = (
    {
        "locale": "",
        "name": "Emergency services",
        "description": "If you might act on thoughts of harming yourself, or you are in danger now, "
        "call your local emergency number (112 in the EU, 911 in the US/Canada, 999 in the UK), "
        "or go to the nearest emergency department.",
        "phone": "",
        "sms": "",
        "url": "",
        "available_hours": "24 hours, every day",
    },
    {
        "locale": "",
        "name": "Find A Helpline",
        "description": "Free, confidential crisis lines in your country, by phone, text or chat.",
        "phone": "",
        "sms": "",
        "url": "https://findahelpline.com",
        "available_hours": "",
    },
)


def crisis_resources_provider_register(provider: CrisisResourcesProvider) -> None:
    """Set how crisis resources are read (the site registers its admin-managed list).

    Crisis resources live with the site's content in ``companion``, which imports
    journal, never the reverse; so journal asks whoever registered (companion's
    AppConfig.ready), and falls back to ``FALLBACK_CRISIS_RESOURCES``.
    """
    global _crisis_resources_provider
    _crisis_resources_provider = provider


def crisis_resources_for_client(client: User) -> list[dict]:
    """Crisis resources for the client's locale with the default fallback. Never empty."""
    if _crisis_resources_provider is not None:
        try:
            resources = _crisis_resources_provider(client)
        except Exception:  # showing help matters more than the error; log and fall back
            logger.exception("crisis resources provider failed; showing the built-in list")
        else:
            if resources:
                return resources
    return [dict(r) for r in FALLBACK_CRISIS_RESOURCES]


def safety_signal_recent(*, viewer: User, within: timedelta) -> SafetySignal | None:
    """The viewer's latest safety signal (button or questionnaire) from the last ``within``,
    or None: the crisis page says the therapist already knows instead of offering to tell
    them a second time."""
    if not viewer.is_authenticated or viewer.role != Role.CLIENT:
        return None
    return (
        SafetySignal.objects.filter(client=viewer, created_at__gte=timezone.now() - within)
        .order_by("-created_at", "-pk")
        .first()
    )

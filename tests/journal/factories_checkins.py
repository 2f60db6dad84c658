"""Check-in test data, written through the real service so day aggregates stay in step."""

from datetime import datetime, timedelta

from django.utils import timezone

from journal.models import CheckIn
from journal.services.checkins import RatingInput, checkin_create


def make_checkin(
    client,
    *,
    felt_intensity: int = 5,
    emotions: dict[str, int] | None = None,
    symptoms: dict[str, int] | None = None,
    triggers: list[str] | None = None,
    note: str = "",
    shared: bool = False,
    occurred_at: datetime | None = None,
    days_ago: float | None = None,
) -> CheckIn:
    if occurred_at is None and days_ago is not None:
        occurred_at = timezone.now() - timedelta(days=days_ago)
    return checkin_create(
        client=client,
        felt_intensity=felt_intensity,
        emotions=[RatingInput(emotion=slug, intensity=n) for slug, n in (emotions or {}).items()],
        symptoms=symptoms or {},
        triggers=triggers or [],
        note=note,
        shared=shared,
        occurred_at=occurred_at,
    )


def make_history(client, count: int) -> list[CheckIn]:
    """``count`` check-ins spread over the last days, with feelings, symptoms and triggers."""
    slugs = ["anxious", "content", "numb", "lonely", "hopeful", "tired"]
    return [
        make_checkin(
            client,
            felt_intensity=i % 11,
            emotions={slugs[i % len(slugs)]: 4, slugs[(i + 1) % len(slugs)]: 7},
            symptoms={"fatigue": i % 4, "autopilot": 1},
            triggers=["chronic_stress"] if i % 2 else ["poor_sleep", "conflict"],
            note=f"note {i}",
            days_ago=(i % 25) + 0.01 * i,
        )
        for i in range(count)
    ]

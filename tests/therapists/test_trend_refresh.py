"""The trend refresh turns stored aggregates into flags, and the engine's bounds hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.models import MedicationEvent
from tests.therapists.helpers import store_history
from therapists.models import Flag, FlagStatus
from therapists.services.trends import trend_refresh
from therapists.tasks import refresh_client_trend, refresh_trends

pytestmark = pytest.mark.django_db


def test_stable_client_gets_no_flag(client_a):
    today = timezone.localdate()
    store_history(client_a, today=today, stable_days=60)
    assessment = trend_refresh(client_id=client_a.pk, today=today)
    assert assessment.level is None
    assert not Flag.objects.filter(client=client_a, kind="blunting").exists()


def test_sustained_blunting_is_flagged_with_drivers_and_medication(client_a):
    today = timezone.localdate()
    onset = store_history(client_a, today=today, stable_days=60, blunted_days=16)
    dose_up = MedicationEvent.objects.create(
        client=client_a,
        medication="Sertraline",
        kind="increase",
        dose="100 mg",
        occurred_on=onset - timedelta(days=6),
    )
    MedicationEvent.objects.create(
        client=client_a, medication="Old pill", kind="stop", occurred_on=onset - timedelta(days=60)
    )
    assessment = trend_refresh(client_id=client_a.pk, today=today)
    assert assessment.level in {"flagged", "escalated"}
    flag = Flag.objects.get(client=client_a, kind="blunting")
    assert flag.level == assessment.level
    assert abs((flag.onset - onset).days) <= 5
    assert flag.drivers and any("→" in d or "from" in d for d in flag.drivers)
    assert list(flag.related_medication_events.all()) == [dose_up]
    assert flag.summary


def test_refresh_is_idempotent(client_a):
    today = timezone.localdate()
    store_history(client_a, today=today, stable_days=60, blunted_days=16)
    trend_refresh(client_id=client_a.pk, today=today)
    first = Flag.objects.get(client=client_a, kind="blunting")
    trend_refresh(client_id=client_a.pk, today=today)
    assert Flag.objects.filter(client=client_a, kind="blunting").count() == 1
    again = Flag.objects.get(client=client_a, kind="blunting")
    assert (again.pk, again.raised_at, again.level) == (first.pk, first.raised_at, first.level)


def test_recovery_resolves_the_flag(client_a):
    today = timezone.localdate()
    store_history(client_a, today=today - timedelta(days=40), stable_days=60, blunted_days=20)
    trend_refresh(client_id=client_a.pk, today=today - timedelta(days=40))
    assert Flag.objects.get(client=client_a, kind="blunting").status == FlagStatus.OPEN
    import random

    from tests.therapists.helpers import stable_checkin, store_day

    rng = random.Random(7)
    for offset in range(39, -1, -1):
        day = today - timedelta(days=offset)
        store_day(client_a, [stable_checkin(day, rng), stable_checkin(day, rng)])
    assessment = trend_refresh(client_id=client_a.pk, today=today)
    assert assessment.level is None
    flag = Flag.objects.get(client=client_a, kind="blunting")
    assert flag.status == FlagStatus.RESOLVED
    assert flag.resolved_at is not None


def test_missed_checkins_flag(client_a):
    today = timezone.localdate()
    store_history(client_a, today=today - timedelta(days=6), stable_days=30)
    from journal.models import CheckIn

    CheckIn.objects.create(
        client=client_a,
        occurred_at=timezone.now() - timedelta(days=6),
        local_date=today - timedelta(days=6),
        felt_intensity=5,
    )
    trend_refresh(client_id=client_a.pk, today=today)
    flag = Flag.objects.get(client=client_a, kind="missed_checkins")
    assert "6 days" in flag.summary


def test_task_replays_for_a_given_day(client_a):
    today = timezone.localdate()
    store_history(client_a, today=today, stable_days=60, blunted_days=16)
    earlier = (timezone.now() - timedelta(days=16)).isoformat()
    assert refresh_client_trend(client_a.pk, now=earlier) is None
    assert refresh_client_trend(client_a.pk) in {"flagged", "escalated"}


def test_nightly_refresh_covers_every_client_in_care(client_a, client_b):
    today = timezone.localdate()
    store_history(client_a, today=today, stable_days=60, blunted_days=16)
    store_history(client_b, today=today, stable_days=60, seed=3)
    assert refresh_trends() == 2
    assert Flag.objects.filter(client=client_a, kind="blunting").exists()
    assert not Flag.objects.filter(client=client_b, kind="blunting").exists()


def test_refresh_reads_a_bounded_window(client_a, client_b):
    """A day's refresh runs the same queries after 2 weeks or 3 years of history, and
    reads day rows only from a bounded span (the saved state carries the rest)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    store_history(client_a, today=today, stable_days=14)
    store_history(client_b, today=today, stable_days=3 * 365, seed=2)
    counts = []
    for client in (client_a, client_b):
        trend_refresh(client_id=client.pk, today=today - timedelta(days=1))
        trend_refresh(client_id=client.pk, today=today - timedelta(days=1))
        with CaptureQueriesContext(connection) as day:
            trend_refresh(client_id=client.pk, today=today)
        counts.append(len(day))
        day_reads = [
            q["sql"]
            for q in day.captured_queries
            if "journal_clientday" in q["sql"] and q["sql"].startswith("SELECT")
        ]
        assert day_reads and all('"date" >' in sql for sql in day_reads)
    assert counts[0] == counts[1]

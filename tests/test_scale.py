"""seed_scale makes the rows the benchmarks rely on; on PostgreSQL, the hot reads use indexes."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import CareRelationship, Role, User
from journal.models import CheckIn, ClientDay, MedicationEvent
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.django_db

T, C, D = 2, 3, 20


@pytest.fixture
def seeded(db):
    call_command("seed_scale", therapists=T, clients_per_therapist=C, days=D, prefix="scale")
    return User.objects.filter(email__startswith="scale-")


def test_seed_scale_creates_therapists_clients_and_care(seeded, therapist_a, client_a):
    therapists = seeded.filter(role=Role.THERAPIST)
    assert sorted(therapists.values_list("email", flat=True)) == [
        "scale-therapist-1@example.test",
        "scale-therapist-2@example.test",
    ]
    assert all(t.is_therapist for t in therapists)
    assert seeded.filter(role=Role.CLIENT).count() == T * C
    for therapist in therapists:
        assert User.objects.clients_of(therapist).count() == C
    assert (
        CareRelationship.objects.filter(therapist__in=therapists, ended_at__isnull=True).count()
        == T * C
    )
    # Others' data is left alone, and the outsider does not see the scale clients.
    assert not User.objects.clients_of(therapist_a).filter(email__startswith="scale-").exists()
    assert User.objects.clients_of(therapist_a).get() == client_a


def test_seeded_accounts_can_log_in_with_the_documented_password(seeded, api):
    # A client: therapists must also set up two-step sign-in before an API token.
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "scale-client-1-1@example.test", "password": "scale-password-1234"},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_checkins_are_about_two_a_day_with_missed_days(seeded):
    clients = seeded.filter(role=Role.CLIENT)
    checkins = CheckIn.objects.filter(client__in=clients)
    per_day = checkins.count() / (T * C * D)
    assert 1.2 <= per_day <= 2.6
    dates = {(c, d) for c, d in checkins.values_list("client_id", "local_date")}
    assert len(dates) < T * C * D  # some days are missed
    now = timezone.now()
    for checkin in checkins.select_related("client"):
        assert checkin.occurred_at <= now
        assert checkin.occurred_at.astimezone(checkin.client.tz).date() == checkin.local_date
    assert checkins.filter(ratings__isnull=False).exists()
    assert checkins.filter(ratings__isnull=True).exists()  # numbness is an answer too


def test_client_days_match_checkin_dates_and_trailing_week(seeded):
    for client in seeded.filter(role=Role.CLIENT):
        counts = defaultdict(int)
        slugs = defaultdict(set)
        for checkin in CheckIn.objects.filter(client=client).prefetch_related("ratings__emotion"):
            counts[checkin.local_date] += 1
            slugs[checkin.local_date].update(r.emotion.slug for r in checkin.ratings.all())
        days = {d.date: d for d in ClientDay.objects.filter(client=client)}
        assert set(days) == set(counts)
        for date, row in days.items():
            assert row.checkins == counts[date]
            assert row.distinct_emotions == len(slugs[date]) == len(row.emotion_counts)
            window = set().union(*(slugs[date - timedelta(days=k)] for k in range(7)))
            assert row.distinct_emotions_7d == len(window)


def test_medication_events_for_a_share_of_clients(db):
    call_command(
        "seed_scale",
        therapists=1,
        clients_per_therapist=20,
        days=60,
        prefix="meds",
        blunting_share=0.5,
    )
    clients = User.objects.filter(email__startswith="meds-client-")
    with_events = (
        MedicationEvent.objects.filter(client__in=clients).values("client").distinct().count()
    )
    assert 0 < with_events <= 20


def test_refuses_to_seed_the_same_prefix_twice(seeded):
    before = CheckIn.objects.count()
    with pytest.raises(CommandError, match="already exist"):
        call_command("seed_scale", therapists=1, clients_per_therapist=1, days=1, prefix="scale")
    assert CheckIn.objects.count() == before


def test_accounts_only_with_zero_days(db):
    call_command("seed_scale", therapists=1, clients_per_therapist=5, days=0, prefix="remind")
    clients = User.objects.filter(email__startswith="remind-client-")
    assert clients.count() == 5
    assert not CheckIn.objects.filter(client__in=clients).exists()
    assert (
        clients.filter(next_reminder_at__isnull=False).exists()
        or not clients.exclude(reminder_times=[]).exists()
    )


# --- PostgreSQL: the hot reads can use indexes --------------------------------------------


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(not ON_POSTGRES, reason="EXPLAIN plans are PostgreSQL's")
def test_caseload_subqueries_use_indexes_on_checkin_and_aggregate_tables(seeded):
    from therapists.selectors.caseload import caseload_queryset

    therapist = seeded.get(email="scale-therapist-1@example.test")
    sql, params = caseload_queryset(viewer=therapist).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # At test volume a sequential scan is the cheaper plan; turning it off proves an
        # index exists that the planner can use for these subqueries at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = _plan(sql, params)
    assert "Seq Scan on journal_checkin" not in plan, plan
    assert "Seq Scan on journal_clientday" not in plan, plan
    assert "checkin_client_time_idx" in plan, plan


@pytest.mark.skipif(not ON_POSTGRES, reason="EXPLAIN plans are PostgreSQL's")
def test_reminder_scan_uses_the_next_reminder_at_index(seeded):
    from journal.emails import BATCH

    query = User.objects.filter(
        next_reminder_at__lte=timezone.now(), role=Role.CLIENT, is_active=True
    ).order_by("next_reminder_at")[:BATCH]
    sql, params = query.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Same reason as above: a handful of users fit one page, so force the index plan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = _plan(sql, params)
    assert "Seq Scan on accounts_user" not in plan, plan
    assert "next_reminder_at" in plan, plan

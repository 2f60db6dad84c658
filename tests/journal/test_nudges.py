"""Bundled homework/questionnaire reminders and the opt-in weekly summary: once, gently."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from journal.models import AssessmentSchedule, HomeworkAssignment
from journal.tasks import send_care_reminders, send_weekly_summaries
from tests.factories import CareFactory, ClientFactory

pytestmark = pytest.mark.django_db

EVENING_BERLIN = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)  # 18:30 in Berlin (the cast's zone)


def _homework(client, therapist):
    return HomeworkAssignment.objects.create(
        client=client,
        therapist=therapist,
        title="Five senses",
        frequency="daily",
        starts_on=EVENING_BERLIN.date() - timedelta(days=3),
    )


def test_one_bundled_reminder_per_day(client_a, therapist_a):
    _homework(client_a, therapist_a)
    _homework(client_a, therapist_a)
    AssessmentSchedule.objects.create(
        client=client_a,
        therapist=therapist_a,
        instrument="phq9",
        every_days=14,
        next_due_on=EVENING_BERLIN.date(),
    )
    assert send_care_reminders(EVENING_BERLIN.isoformat()) == 1
    assert send_care_reminders((EVENING_BERLIN + timedelta(hours=2)).isoformat()) == 0
    body = mail.outbox[0].body
    assert "2 homework tasks" in body and "1 short questionnaire is ready" in body
    assert "Five senses" not in body  # counts and links only


def test_not_before_the_evening_and_not_without_anything_due(client_a, client_b, therapist_a):
    _homework(client_a, therapist_a)
    assert send_care_reminders(datetime(2026, 11, 25, 9, 0, tzinfo=UTC).isoformat()) == 0
    assert send_care_reminders(EVENING_BERLIN.isoformat()) == 1
    assert [m.to for m in mail.outbox] == [[client_a.email]]  # client_b has nothing due


def test_weekly_summary_only_when_opted_in(client_a, client_b):
    type(client_a).objects.filter(pk=client_a.pk).update(weekly_summary_opt_in=True)
    sunday = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # 18:00 in Berlin
    assert send_weekly_summaries(sunday.isoformat()) == 1
    assert send_weekly_summaries(sunday.isoformat()) == 0
    message = mail.outbox[0]
    assert message.to == [client_a.email]
    for word in ("blunting", "flag", "numb", "numbness", "worse", "worsening", "risk", "alarm"):
        assert not re.search(rf"\b{word}\b", message.body.lower()), word
    assert "check-ins: 0" in message.body


def test_clients_already_nudged_today_cost_no_reads(
    therapist_a, django_assert_num_queries, django_assert_max_num_queries
):
    """The hourly job meets each client in a few evening runs: after the first, a client
    nudged today is skipped on one shared query, however many there are."""
    for _ in range(6):
        client = ClientFactory()
        CareFactory(therapist=therapist_a, client=client)
        _homework(client, therapist_a)
    # candidates, their homework, sent keys; then per client: progress (2), questionnaires,
    # and the send (savepoint, insert, devices, wording override, release, …)
    with django_assert_max_num_queries(3 + 8 * 6):
        assert send_care_reminders(EVENING_BERLIN.isoformat()) == 6
    later = (EVENING_BERLIN + timedelta(hours=1)).isoformat()
    with django_assert_num_queries(3):
        assert send_care_reminders(later) == 0
    assert len(mail.outbox) == 6

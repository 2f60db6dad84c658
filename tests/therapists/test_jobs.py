"""Safety alerts, worsening flags, weekly digests and check-in reminders: sent once, on time."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import SentMessage
from journal.models import Assessment, CheckIn, SafetySignal
from journal.reminders import local_slot, reminder_schedule
from journal.tasks import send_due_reminders
from tests.factories import CareFactory, ClientFactory
from therapists.models import Flag
from therapists.tasks import assess_worsening, raise_safety_flag, send_weekly_digests

pytestmark = pytest.mark.django_db


class TestSafety:
    def test_alert_goes_once_to_each_current_therapist(
        self, client_a, therapist_a, therapist_ended
    ):
        signal = SafetySignal.objects.create(client=client_a, source="phq9_item9")
        assert raise_safety_flag(signal.pk) == 1
        assert raise_safety_flag(signal.pk) == 0  # a duplicate delivery sends nothing
        assert [m.to for m in mail.outbox] == [[therapist_a.email]]
        flag = Flag.objects.get(client=client_a, kind="safety")
        assert flag.status == "open"
        body = mail.outbox[0].body
        assert client_a.display_name in body
        assert f"/dashboard/clients/{client_a.pk}/" in body

    def test_second_signal_keeps_one_flag(self, client_a, therapist_a):
        raise_safety_flag(SafetySignal.objects.create(client=client_a, source="button").pk)
        raise_safety_flag(SafetySignal.objects.create(client=client_a, source="phq9_item9").pk)
        assert Flag.objects.filter(client=client_a, kind="safety").count() == 1
        assert len(mail.outbox) == 2  # each new signal alerts again


class TestWorsening:
    def _take(self, client, score, days_ago):
        severity = "moderate" if score >= 10 else "mild"
        return Assessment.objects.create(
            client=client,
            instrument="phq9",
            answers=[0] * 9,
            score=score,
            severity=severity,
            taken_at=timezone.now() - timedelta(days=days_ago),
        )

    def test_rise_of_five(self, client_a):
        self._take(client_a, 3, 14)
        assert assess_worsening(self._take(client_a, 8, 0).pk)
        flag = Flag.objects.get(client=client_a, kind="worsening")
        assert "3" in flag.summary and "8" in flag.summary

    def test_crossing_into_moderate(self, client_a):
        self._take(client_a, 8, 14)
        assert assess_worsening(self._take(client_a, 11, 0).pk)

    def test_small_change_is_not_worsening(self, client_a):
        self._take(client_a, 12, 14)
        assert not assess_worsening(self._take(client_a, 14, 0).pk)
        assert not Flag.objects.filter(kind="worsening").exists()


class TestDigest:
    MONDAY_MORNING_BERLIN = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)  # 08:30 in Berlin

    def test_once_per_week_without_clinical_text(self, client_a, therapist_a, therapist_b):
        CheckIn.objects.create(
            client=client_a,
            occurred_at=timezone.now(),
            local_date=timezone.localdate(),
            felt_intensity=2,
            note="canary-private-words",
            shared=True,
        )
        Flag.objects.create(
            client=client_a,
            kind="blunting",
            level="flagged",
            raised_at=timezone.now(),
            summary="Flagged since 1 Nov",
            drivers=["felt intensity 6.1 → 2.4"],
        )
        now = self.MONDAY_MORNING_BERLIN.isoformat()
        assert send_weekly_digests(now) == 2
        assert send_weekly_digests(now) == 0  # already sent this ISO week
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [therapist_a.email, therapist_b.email]
        )
        digest = next(m for m in mail.outbox if m.to == [therapist_a.email])
        html = digest.alternatives[0][0]
        for text in (digest.body, html, digest.subject):
            assert "canary-private-words" not in text
            assert "6.1" not in text
        assert "Alex" in digest.body and "Emotional blunting (Flagged)" in digest.body
        assert SentMessage.objects.filter(kind="digest").count() == 2

    def test_not_before_monday_morning_local(self, therapist_a):
        sunday_night = datetime(2026, 11, 29, 22, 0, tzinfo=UTC)
        assert send_weekly_digests(sunday_night.isoformat()) == 0
        assert mail.outbox == []

    def test_replaying_a_past_week_sends_what_was_due(self, therapist_a):
        assert send_weekly_digests(datetime(2026, 11, 23, 9, 0, tzinfo=UTC).isoformat()) == 1
        assert send_weekly_digests(self.MONDAY_MORNING_BERLIN.isoformat()) == 1
        assert send_weekly_digests(datetime(2026, 11, 23, 10, 0, tzinfo=UTC).isoformat()) == 0
        assert len(mail.outbox) == 2


class TestReminders:
    def _client(self, tz, times):
        client = ClientFactory(timezone=tz, reminder_times=times)
        CareFactory(client=client)
        return client

    @pytest.mark.parametrize(
        ("tz", "spring_day", "autumn_day"),
        [
            ("Europe/Berlin", "2026-03-29", "2026-10-25"),
            ("America/New_York", "2026-03-08", "2026-11-01"),
        ],
    )
    def test_dst_switch_days_send_one_reminder_per_slot(self, tz, spring_day, autumn_day):
        from datetime import date
        from zoneinfo import ZoneInfo

        for day_text, hhmm in [
            (spring_day, "02:30"),
            (autumn_day, "01:30"),
            (spring_day, "09:00"),
            (autumn_day, "09:00"),
        ]:
            day = date.fromisoformat(day_text)
            client = self._client(tz, [hhmm])
            slot = local_slot(day, hhmm, ZoneInfo(tz))
            start = slot - timedelta(hours=3)
            reminder_schedule(user=client, now=start)
            client.refresh_from_db()
            assert client.next_reminder_at == slot
            mail.outbox.clear()
            moment = start
            while moment < slot + timedelta(hours=3):  # the beat every 5 minutes across the switch
                send_due_reminders(moment.isoformat())
                moment += timedelta(minutes=5)
            mine = [m for m in mail.outbox if m.to == [client.email]]
            assert len(mine) == 1, (tz, day_text, hhmm)
            local = slot.astimezone(ZoneInfo(tz))
            # The wall-clock time matches, or in the spring gap the reminder lands one hour later.
            assert (local.hour, local.minute) in {
                (int(hhmm[:2]), int(hhmm[3:])),
                (int(hhmm[:2]) + 1, int(hhmm[3:])),
            }

    def test_no_reminder_after_a_check_in_since_the_previous_slot(self):
        client = self._client("Europe/Berlin", ["09:00", "20:00"])
        with time_machine.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC), tick=False):
            reminder_schedule(user=client, now=timezone.now())
            CheckIn.objects.create(
                client=client,
                occurred_at=timezone.now(),
                local_date=timezone.localdate(),
                felt_intensity=5,
            )
        evening = datetime(2026, 11, 28, 19, 0, tzinfo=UTC)  # 20:00 Berlin
        assert send_due_reminders(evening.isoformat()) == 0
        client.refresh_from_db()
        assert client.next_reminder_at == datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
        assert send_due_reminders(datetime(2026, 11, 29, 8, 1, tzinfo=UTC).isoformat()) == 1

    def test_once_per_slot_even_when_replayed(self):
        client = self._client("Europe/Berlin", ["20:00"])
        reminder_schedule(user=client, now=datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
        at = datetime(2026, 11, 28, 19, 2, tzinfo=UTC).isoformat()
        assert send_due_reminders(at) == 1
        client.refresh_from_db()
        type(client).objects.filter(pk=client.pk).update(
            next_reminder_at=datetime(2026, 11, 28, 19, 0, tzinfo=UTC)
        )
        assert send_due_reminders(at) == 0
        assert len(mail.outbox) == 1
        assert "check-in reminder" in mail.outbox[0].body

    def test_scan_uses_the_next_due_column(self, django_assert_max_num_queries):
        due = self._client("Europe/Berlin", ["20:00"])
        for _ in range(30):
            idle = self._client("Europe/Berlin", ["21:00"])
            reminder_schedule(user=idle, now=datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
        reminder_schedule(user=due, now=datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
        with django_assert_max_num_queries(12):
            assert send_due_reminders(datetime(2026, 11, 28, 19, 1, tzinfo=UTC).isoformat()) == 1

    def test_bad_now(self):
        with pytest.raises(ValueError, match="ISO 8601"):
            send_due_reminders("yesterday")

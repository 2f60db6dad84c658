"""Therapist portal pages: caseload, client page with chart, acknowledge, notes, brief."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from journal.models import CheckIn, MedicationEvent
from tests.conftest import verified_login
from tests.therapists.helpers import store_history
from therapists.models import Flag, MedicationNote, TherapySession
from therapists.selectors.brief import brief_since_last_session
from therapists.services.trends import trend_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def blunted(client_a):
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
    return client_a


def test_dashboard_lists_flags(client, therapist_a, blunted):
    verified_login(client, therapist_a)
    html = client.get("/dashboard/").content.decode()
    assert "Alex" in html
    assert "Emotional blunting" in html
    assert f"/dashboard/clients/{blunted.pk}/" in html
    from accounts.models import AuditEvent

    assert (
        AuditEvent.objects.filter(
            actor=therapist_a, subject_id=blunted.pk, object_type="caseload_page"
        ).count()
        == 1
    )


def test_client_page_chart_drivers_and_medications(
    client, therapist_a, blunted, django_assert_max_num_queries
):
    verified_login(client, therapist_a)
    with django_assert_max_num_queries(30):
        response = client.get(f"/dashboard/clients/{blunted.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="tc-chart"' in html and 'role="img"' in html
    assert "<title" in html and "<desc" in html
    assert "tc-band" in html  # the flag period is shaded
    # Medication changes are numbered on the chart and listed beside it.
    assert 'class="tc-marker-number"' in html
    assert "Sertraline — Dose increased" in html
    flag = Flag.objects.get(client=blunted, kind="blunting")
    for driver in flag.drivers:
        assert driver in html
    assert "Show the numbers as a table" in html


def test_client_page_is_404_outside_the_caseload(client, therapist_b, therapist_ended, blunted):
    verified_login(client, therapist_b)
    assert client.get(f"/dashboard/clients/{blunted.pk}/").status_code == 404
    verified_login(client, therapist_ended)
    assert client.get(f"/dashboard/clients/{blunted.pk}/").status_code == 404
    assert client.get(f"/dashboard/clients/{blunted.pk}/brief/").status_code == 404


def test_client_cannot_open_therapist_pages(client, client_a):
    client.force_login(client_a)
    assert client.get("/dashboard/").status_code == 403


def test_acknowledge_from_the_page(client, therapist_a, blunted):
    flag = Flag.objects.get(client=blunted, kind="blunting")
    verified_login(client, therapist_a)
    response = client.post(
        f"/dashboard/flags/{flag.pk}/acknowledge/",
        {"note": "Discussed in session", "resolve": "on"},
        follow=True,
    )
    assert response.status_code == 200
    flag.refresh_from_db()
    assert flag.status == "resolved"
    html = response.content.decode()
    assert "Flag acknowledged and closed" in html
    assert flag.notes.get().note == "Discussed in session"
    # The closed flag and the note stay on the page, under their own heading.
    closed = html[html.index("Closed flags, last 90 days") :]
    assert "Discussed in session" in closed and therapist_a.display_name in closed


def test_an_acknowledged_flag_says_so_and_a_safety_card_says_how_to_reach_them(
    client, therapist_a, blunted
):
    flag = Flag.objects.get(client=blunted, kind="blunting")
    Flag.objects.create(
        client=blunted,
        kind="safety",
        level="flagged",
        raised_at=timezone.now(),
        summary="PHQ-9 item 9",
    )
    verified_login(client, therapist_a)
    client.post(f"/dashboard/flags/{flag.pk}/acknowledge/", {"note": "Seen"})
    html = client.get(f"/dashboard/clients/{blunted.pk}/").content.decode()
    assert "Acknowledged " in html and ">Add a note</button>" in html
    # The page's title comes first; the safety card right after it, with a way to reach them.
    assert html.index("<h1>") < html.index("may not be safe")
    card = html[
        html.index("may not be safe") : html.index("</section>", html.index("may not be safe"))
    ]
    assert f'href="mailto:{blunted.email}"' in card and "their time now" in card
    # The client's clock, not the viewing therapist's (the two zones differ here).
    type(blunted).objects.filter(pk=blunted.pk).update(timezone="Asia/Tokyo")
    with time_machine.travel(datetime(2026, 12, 1, 22, 44, tzinfo=UTC), tick=False):
        html = client.get(f"/dashboard/clients/{blunted.pk}/").content.decode()
    assert "Their time now: 07:44 (Asia/Tokyo)" in html and "their time now 07:44" in html


def test_medication_note_and_brief(client, therapist_a, blunted):
    event = MedicationEvent.objects.get(client=blunted)
    verified_login(client, therapist_a)
    client.post(
        f"/dashboard/clients/{blunted.pk}/medication-notes/",
        {"text": "Asked prescriber about dose", "medication_event": event.pk},
    )
    assert MedicationNote.objects.get().medication_event == event
    CheckIn.objects.create(
        client=blunted,
        occurred_at=timezone.now(),
        local_date=timezone.localdate(),
        felt_intensity=2,
        note="I feel far away",
        shared=True,
    )
    CheckIn.objects.create(
        client=blunted,
        occurred_at=timezone.now(),
        local_date=timezone.localdate(),
        felt_intensity=2,
        note="secret thing",
        shared=False,
    )
    client.post(
        f"/dashboard/clients/{blunted.pk}/sessions/",
        {"held_on": (timezone.localdate() - timedelta(days=10)).isoformat()},
    )
    assert TherapySession.objects.filter(client=blunted).count() == 1
    html = client.get(f"/dashboard/clients/{blunted.pk}/brief/").content.decode()
    assert "I feel far away" in html
    assert "secret thing" not in html
    assert "emotional blunting, open" in html
    # "Before" says what it is: the same number of days just before the session.
    assert (
        "Felt intensity, average (0–10)" in html and "(the 11 days before: " in html
    )  # the session day … today


def test_the_brief_reads_nothing_outside_the_viewers_caseload(therapist_a, therapist_b, blunted):
    """Called without access_client, the brief's own queries still stop at the caseload."""
    CheckIn.objects.create(
        client=blunted,
        occurred_at=timezone.now(),
        local_date=timezone.localdate(),
        felt_intensity=2,
        note="I feel far away",
        shared=True,
    )
    MedicationEvent.objects.create(
        client=blunted, medication="Sertraline", kind="decrease", occurred_on=timezone.localdate()
    )
    mine = brief_since_last_session(viewer=therapist_a, client=blunted)
    assert mine.checkins > 0 and mine.flags and mine.medication_events and mine.shared_notes
    foreign = brief_since_last_session(viewer=therapist_b, client=blunted)
    assert (foreign.checkins, foreign.days_with_checkins, foreign.distinct_feelings) == (0, 0, 0)
    assert not (foreign.flags or foreign.medication_events or foreign.shared_notes)
    assert not foreign.homework_logs and foreign.felt_intensity is None


def test_client_page_panels_and_safety_first(client, therapist_a, blunted):
    """#16: five panels with their own y-axis, pleasant and unpleasant drawn as lines, the
    flag period shaded on every panel, and a safety alert above everything else."""
    from journal.models import SafetySignal
    from therapists.services.flags import safety_flag_raise

    safety_flag_raise(signal=SafetySignal.objects.create(client=blunted, source="button"))
    verified_login(client, therapist_a)
    html = client.get(f"/dashboard/clients/{blunted.pk}/").content.decode()
    wide = html[html.index('<svg class="tc-chart"') :]
    wide = wide[: wide.index("</svg>")]
    assert wide.count('class="tc-panel-title"') == 5
    assert 'class="tc-line tc-pleasant' in wide and 'class="tc-line tc-unpleasant' in wide
    assert wide.count('class="tc-band"') >= 5
    assert html.index('class="card safety-alert"') < html.index("flag-card-blunting")

"""therapists.trends.cache: the engine runs once per set of inputs, and never answers stale."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from journal.models import Assessment, ClientDay, MedicationEvent
from journal.services.checkins import checkin_delete
from tests.conftest import AUTH_QUERIES, verified_login
from tests.journal.factories import make_checkin
from tests.therapists.helpers import store_history
from therapists import trends
from therapists.services.trends import trend_refresh
from therapists.trends import cache as trend_cache
from therapists.trends.cache import client_assessment
from therapists.trends.inputs import (
    medication_record,
    window_days,
    window_events,
    window_screens,
)

pytestmark = pytest.mark.django_db

KEY = re.compile(r"^trend-assessment:[0-9a-f]{16}:\d+:\d{4}-\d{2}-\d{2}:[0-9a-f]{32}$")


@pytest.fixture
def engine_runs(monkeypatch):
    """Counts the engine's runs (the real engine still answers)."""
    runs = []
    real = trends.assess

    def counting(*args, **kwargs):
        runs.append(kwargs.get("today"))
        return real(*args, **kwargs)

    monkeypatch.setattr(trends, "assess", counting)
    return runs


@pytest.fixture
def keys_written(monkeypatch):
    written = []
    real = cache.set

    def recording(key, value, *args, **kwargs):
        written.append(key)
        return real(key, value, *args, **kwargs)

    monkeypatch.setattr(trend_cache.cache, "set", recording)
    return written


@pytest.fixture
def history(client_a):
    today = client_a.local_now().date()
    onset = store_history(client_a, today=today, stable_days=60, blunted_days=16)
    MedicationEvent.objects.create(
        client=client_a,
        medication="Sertraline",
        kind="increase",
        dose="100 mg",
        note="felt flat after the increase",
        occurred_on=onset - timedelta(days=5),
    )
    return today


def _trends(api, therapist, client, days=90):
    response = api.as_(therapist).get(f"/api/v1/clients/{client.pk}/trends/?days={days}")
    assert response.status_code == 200
    return response.json()


def test_second_view_does_not_run_the_engine_and_answers_the_same(
    api, therapist_a, client_a, history, engine_runs
):
    first = _trends(api, therapist_a, client_a)
    second = _trends(api, therapist_a, client_a)
    assert len(engine_runs) == 1
    assert second == first
    assert any(day["level"] for day in first["days"])  # a real answer, not an empty one


def test_cached_answer_equals_a_fresh_engine_run(client_a, history):
    client_assessment(client_a.pk, history)  # fills the cache
    cached = client_assessment(client_a.pk, history).assessment
    days = window_days(client_a.pk, history)
    events = [medication_record(e) for e in window_events(client_a.pk, history)]
    screens = window_screens(client_a.pk, history)
    assert cached == trends.assess(days, events, today=history, phq9=screens)


def test_a_new_checkin_invalidates(api, therapist_a, client_a, history, engine_runs):
    before = _trends(api, therapist_a, client_a)
    make_checkin(client_a, felt_intensity=9, emotions={"joyful": 8})
    after = _trends(api, therapist_a, client_a)
    assert len(engine_runs) == 2
    # The stored history has 2 check-ins today; the day is rebuilt from real check-ins.
    (was,) = [d for d in before["days"] if d["date"] == history.isoformat()]
    (now,) = [d for d in after["days"] if d["date"] == history.isoformat()]
    assert (was["checkins"], now["checkins"], now["felt_intensity"]) == (2, 1, 9.0)


def test_an_edited_day_invalidates(client_a, history, engine_runs):
    client_assessment(client_a.pk, history)
    row = ClientDay.objects.get(client=client_a, date=history)
    row.felt_intensity = 9.5
    row.save()
    assert client_assessment(client_a.pk, history).assessment.days[-1].felt_intensity == 9.5
    assert len(engine_runs) == 2


def test_a_day_losing_its_last_checkin_invalidates(client_a, engine_runs):
    today = client_a.local_now().date()
    store_history(client_a, today=today - timedelta(days=1), stable_days=20)
    checkin = make_checkin(client_a, felt_intensity=3)
    assert client_assessment(client_a.pk, today).assessment.days[-1].checkins == 1
    checkin_delete(checkin=checkin)
    assert not ClientDay.objects.filter(client=client_a, date=today).exists()
    assert client_assessment(client_a.pk, today).assessment.days[-1].checkins == 0
    assert len(engine_runs) == 2


@pytest.mark.parametrize("change", ["create", "update", "delete"])
def test_a_medication_event_invalidates(client_a, history, engine_runs, change):
    event = MedicationEvent.objects.get(client=client_a)
    first = client_assessment(client_a.pk, history)
    assert [e.pk for e in first.events] == [event.pk]
    if change == "create":
        MedicationEvent.objects.create(
            client=client_a, medication="Sertraline", kind="decrease", occurred_on=history
        )
    elif change == "update":
        event.kind = "start"
        event.save()
    else:
        event.delete()
    second = client_assessment(client_a.pk, history)
    assert len(engine_runs) == 2
    assert {e.kind for e in second.events} == {
        "create": {"increase", "decrease"},
        "update": {"start"},
        "delete": set(),
    }[change]


def test_a_phq9_result_invalidates(client_a, history, engine_runs):
    client_assessment(client_a.pk, history)
    Assessment.objects.create(
        client=client_a,
        instrument="phq9",
        answers=[1] * 9,
        score=9,
        severity="mild",
        taken_at=timezone.now(),
    )
    client_assessment(client_a.pk, history)
    assert len(engine_runs) == 2


def test_the_window_moves_with_the_day(client_a, history, engine_runs):
    client_assessment(client_a.pk, history)
    client_assessment(client_a.pk, history + timedelta(days=1))
    assert engine_runs == [history, history + timedelta(days=1)]


def test_each_client_has_its_own_entry(client_a, client_b, history, engine_runs):
    store_history(client_b, today=history, stable_days=30, seed=4)
    a = client_assessment(client_a.pk, history).assessment
    b = client_assessment(client_b.pk, history).assessment
    assert len(engine_runs) == 2
    assert a != b


def test_page_api_and_refresh_share_one_entry(
    api, client, therapist_a, client_a, history, engine_runs
):
    trend_refresh(client_id=client_a.pk, today=history)  # the task warms the entry
    _trends(api, therapist_a, client_a)
    verified_login(client, therapist_a)
    assert client.get(f"/dashboard/clients/{client_a.pk}/").status_code == 200
    assert len(engine_runs) == 1


def test_keys_carry_no_clinical_text(api, therapist_a, client_a, history, keys_written):
    make_checkin(client_a, emotions={"lonely": 6}, note="private words", shared=True)
    _trends(api, therapist_a, client_a)
    trend_refresh(client_id=client_a.pk, today=history)
    assert keys_written
    assessment = client_assessment(client_a.pk, history).assessment
    clinical = [
        "sertraline",
        "100 mg",
        "felt flat",
        "private words",
        "lonely",
        client_a.display_name.lower(),
        client_a.email.lower(),
        *(driver.lower() for driver in assessment.drivers),
        *(d.lower() for d in (assessment.level, assessment.baseline) if d),
    ]
    for key in keys_written:
        assert KEY.match(key), key
        assert not any(text in key.lower() for text in clinical), key


def test_encrypted_medication_notes_stay_out_of_the_cache(client_a, history, keys_written):
    client_assessment(client_a.pk, history)
    cached = cache.get(keys_written[0])
    assert isinstance(cached, trends.Assessment)
    assert "felt flat" not in repr(cached)


def test_a_cache_that_is_down_only_costs_time(client_a, history, monkeypatch, engine_runs):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(trend_cache.cache, "get", down)
    monkeypatch.setattr(trend_cache.cache, "set", down)
    first = client_assessment(client_a.pk, history)
    second = client_assessment(client_a.pk, history)
    assert first.assessment == second.assessment
    assert len(engine_runs) == 2


def test_a_cache_that_answers_garbage_is_bypassed(client_a, history, keys_written, engine_runs):
    client_assessment(client_a.pk, history)
    cache.set(keys_written[0], "not an assessment")
    again = client_assessment(client_a.pk, history).assessment
    assert len(engine_runs) == 2
    assert again.level == "flagged" and isinstance(cache.get(keys_written[0]), trends.Assessment)


def test_a_therapist_reads_only_their_caseload_in_the_queryset(
    client_a, therapist_a, therapist_b, history
):
    """Even called without access_client, a viewer outside the care relation reads nothing."""
    mine = client_assessment(client_a.pk, history, viewer=therapist_a)
    foreign = client_assessment(client_a.pk, history, viewer=therapist_b)
    assert mine.events and mine.assessment.level == "flagged"
    assert foreign.events == [] and foreign.assessment.level is None
    assert all(day.checkins == 0 for day in foreign.assessment.days)


def test_a_cached_view_reads_little(
    api, therapist_a, client_a, history, django_assert_max_num_queries
):
    _trends(api, therapist_a, client_a)
    # client, medication events, input fingerprint, flags (+ their medication events and
    # notes), audit row: no day rows and no PHQ-9 rows when the answer is cached.
    with django_assert_max_num_queries(7 + AUTH_QUERIES) as cached:
        _trends(api, therapist_a, client_a)
    read = [q["sql"] for q in cached.captured_queries if "COUNT" not in q["sql"]]
    assert not any("journal_clientday" in sql or "journal_assessment" in sql for sql in read)

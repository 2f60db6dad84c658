"""therapists.trends.store: a saved engine state per client, resumed day by day, gives
exactly the answer of a full run over the whole history, after any kind of change, and
costs the same after two weeks or a year."""

import json
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal.models import Assessment, ClientDay, MedicationEvent
from journal.services.checkins import checkin_delete
from tests.journal.factories import make_checkin
from tests.therapists.helpers import blunted_checkin, stable_checkin, store_day, store_history
from therapists import trends
from therapists.models import TrendCheckpoint, TrendState
from therapists.services.trends import trend_refresh
from therapists.tasks import refresh_client_trend
from therapists.trends import store
from therapists.trends.inputs import medication_record, window_events
from therapists.trends.store import REPLAY_DAYS, client_trend

pytestmark = pytest.mark.django_db


def full_run(client, today: date) -> trends.Assessment:
    """What the engine says from the client's whole history, with nothing saved."""
    days = [r.as_day() for r in ClientDay.objects.filter(client=client, date__lte=today)]
    events = [medication_record(e) for e in window_events(client.pk, today)]
    screens = [
        trends.ScreenResult(a.taken_at.date(), a.score)
        for a in Assessment.objects.filter(client=client, instrument="phq9")
    ]
    return trends.assess(days, events, today=today, phq9=screens)


def assert_same(saved: trends.Assessment, full: trends.Assessment) -> None:
    """Every field equal; the chart equal over the year the saved state keeps."""
    for name in (
        "level",
        "onset",
        "drivers",
        "related_medication_events",
        "suggest_phq9",
        "raised_on",
        "escalation_reason",
        "baseline",
    ):
        assert getattr(saved, name) == getattr(full, name), name
    assert saved.days, "a real chart, not an empty one"
    first = saved.days[0].date
    assert saved.days == tuple(d for d in full.days if d.date >= first)
    assert saved.index == tuple((d.date, d.index) for d in saved.days)


@pytest.fixture
def engine_days(monkeypatch):
    """Counts the observed days the engine steps (the real engine still answers)."""
    stepped = []
    real = trends.advance

    def counting(state, days, *args, **kwargs):
        stepped.append(len(days))
        return real(state, days, *args, **kwargs)

    monkeypatch.setattr(trends, "advance", counting)
    return stepped


@pytest.fixture
def history(client_a):
    """90 ordinary days then 20 blunted ones ending today, a medication increase before."""
    today = client_a.local_today()
    onset = store_history(client_a, today=today, stable_days=90, blunted_days=20)
    MedicationEvent.objects.create(
        client=client_a,
        medication="Sertraline",
        kind="increase",
        dose="100 mg",
        note="felt flat after the increase",
        occurred_on=onset - timedelta(days=5),
    )
    return today


def test_day_by_day_equals_a_full_run_every_day(client_a, history):
    """Walk the last 30 days one day at a time, resuming the saved state each day."""
    for back in range(30, -1, -1):
        today = history - timedelta(days=back)
        assert_same(client_trend(client_a.pk, today).assessment, full_run(client_a, today))
    assert client_trend(client_a.pk, history).assessment.level in {"flagged", "escalated"}


def test_a_daily_update_steps_only_the_new_days(client_a, history, engine_days):
    client_trend(client_a.pk, history - timedelta(days=1))
    engine_days.clear()
    client_trend(client_a.pk, history)
    # yesterday settled (1 day), then today's answer (1 day): not the 110-day history
    assert sum(engine_days) == 2


def test_nothing_new_runs_nothing(client_a, history, engine_days):
    first = client_trend(client_a.pk, history).assessment
    engine_days.clear()
    again = client_trend(client_a.pk, history).assessment
    assert engine_days == []
    assert again == first


def test_a_new_checkin_today_is_seen_at_once(client_a, history):
    client_trend(client_a.pk, history)
    make_checkin(client_a, felt_intensity=9, emotions={"joyful": 8})
    after = client_trend(client_a.pk, history).assessment
    assert after.days[-1].date == history and after.days[-1].felt_intensity is not None
    assert_same(after, full_run(client_a, history))


@pytest.mark.parametrize("days_back", [1, 6, 20, REPLAY_DAYS - 1])
def test_a_changed_earlier_day_replays_from_a_checkpoint(client_a, history, days_back):
    client_trend(client_a.pk, history)
    day = history - timedelta(days=days_back)
    row = ClientDay.objects.get(client=client_a, date=day)
    row.felt_intensity, row.emotion_counts = 9.5, {"joyful": 3, "proud": 2}
    row.save()
    assert_same(client_trend(client_a.pk, history).assessment, full_run(client_a, history))


def test_an_added_and_a_removed_earlier_day_are_found(client_a, history):
    client_trend(client_a.pk, history)
    rng = random.Random(7)
    for back in (9, 15):
        ClientDay.objects.filter(client=client_a, date=history - timedelta(days=back)).delete()
    client_trend(client_a.pk, history)
    store_day(client_a, [stable_checkin(history - timedelta(days=15), rng)])  # added again
    assert_same(client_trend(client_a.pk, history).assessment, full_run(client_a, history))


def test_a_change_before_the_span_replays_when_the_journal_names_it(client_a, history):
    """Older than the stamped span: the journal's refresh carries `since`."""
    trend_refresh(client_id=client_a.pk, today=history)
    day = history - timedelta(days=REPLAY_DAYS + 30)
    rng = random.Random(3)
    store_day(client_a, [blunted_checkin(day, rng) for _ in range(3)])
    refresh_client_trend(client_a.pk, since=day.isoformat(), now=timezone.now().isoformat())
    assert_same(client_trend(client_a.pk, history).assessment, full_run(client_a, history))


def test_every_journal_change_names_its_day(client_a, history):
    from accounts.models import OutboxMessage

    yesterday = timezone.now() - timedelta(days=1)
    checkin = make_checkin(client_a, occurred_at=yesterday)
    checkin_delete(checkin=checkin)
    sent = OutboxMessage.objects.filter(task_name="therapists.tasks.refresh_client_trend")
    assert [m.kwargs["since"] for m in sent.order_by("pk")] == [checkin.local_date.isoformat()] * 2


def test_a_garbled_since_rebuilds_rather_than_guess(client_a, history, engine_days):
    client_trend(client_a.pk, history)
    engine_days.clear()
    refresh_client_trend(client_a.pk, since="yesterday")
    assert sum(engine_days) >= 100  # the whole history again


def test_a_phq9_on_a_settled_day_is_taken_into_account(client_a, history):
    client_trend(client_a.pk, history)
    Assessment.objects.create(
        client=client_a,
        instrument="phq9",
        answers=[2] * 9,
        score=18,
        severity="moderately_severe",
        taken_at=timezone.now() - timedelta(days=3),
    )
    after = client_trend(client_a.pk, history).assessment
    assert_same(after, full_run(client_a, history))
    assert after.level == "escalated" and after.escalation_reason == "phq9"


@pytest.mark.parametrize("change", ["create", "update", "delete"])
def test_a_medication_event_changes_the_answer(client_a, history, change):
    event = MedicationEvent.objects.get(client=client_a)
    assert client_trend(client_a.pk, history).assessment.related_medication_events
    if change == "create":
        MedicationEvent.objects.create(
            client=client_a,
            medication="Sertraline",
            kind="decrease",
            occurred_on=history - timedelta(days=19),
        )
    elif change == "update":
        event.kind = "start"
        event.save()
    else:
        event.delete()
    after = client_trend(client_a.pk, history).assessment
    assert {e.kind for e in after.related_medication_events} == {
        "create": {"increase", "decrease"},
        "update": {"start"},
        "delete": set(),
    }[change]


def test_other_engine_code_is_rebuilt_not_resumed(client_a, history, engine_days):
    client_trend(client_a.pk, history - timedelta(days=1))
    TrendState.objects.filter(client=client_a).update(engine="older-code")
    engine_days.clear()
    answer = client_trend(client_a.pk, history).assessment
    assert sum(engine_days) >= 100
    assert_same(answer, full_run(client_a, history))
    assert TrendState.objects.get(client=client_a).engine == store.engine_digest()


@pytest.mark.parametrize("garbage", [{}, {"version": 999}, {"version": 3, "window": "x"}, []])
def test_a_damaged_state_is_rebuilt(client_a, history, garbage):
    client_trend(client_a.pk, history - timedelta(days=1))
    TrendState.objects.filter(client=client_a).update(state=garbage, current_key="")
    assert_same(client_trend(client_a.pk, history).assessment, full_run(client_a, history))


def test_asking_about_an_earlier_day_goes_back(client_a, history):
    client_trend(client_a.pk, history)
    earlier = history - timedelta(days=12)
    assert_same(client_trend(client_a.pk, earlier).assessment, full_run(client_a, earlier))
    assert_same(client_trend(client_a.pk, history).assessment, full_run(client_a, history))


def test_checkpoints_stay_few_and_recent(client_a):
    today = client_a.local_today()
    store_history(client_a, today=today, stable_days=400)
    client_trend(client_a.pk, today)
    for back in range(20, -1, -1):
        client_trend(client_a.pk, today - timedelta(days=back))
    through = sorted(
        TrendCheckpoint.objects.filter(client=client_a).values_list("through", flat=True)
    )
    assert 7 <= len(through) <= (REPLAY_DAYS + 14) // 7 + 1
    assert all(d.weekday() == 6 for d in through)
    assert through[0] >= today - timedelta(days=REPLAY_DAYS + 15)
    state = TrendState.objects.get(client=client_a)
    assert len(state.days) <= 365
    assert len(json.dumps(state.state)) < 64_000  # bounded, whatever the history


def _one_update(client, today):
    client_trend(client.pk, today - timedelta(days=1))
    with CaptureQueriesContext(connection) as settled:
        client_trend(client.pk, today)
    with CaptureQueriesContext(connection) as fresh:
        client_trend(client.pk, today)
    return len(settled), len(fresh)


def test_the_same_queries_after_two_weeks_or_a_year(client_a, client_b, engine_days):
    today = client_a.local_today()
    store_history(client_a, today=today, stable_days=14)
    store_history(client_b, today=today, stable_days=365, seed=2)
    short, long = _one_update(client_a, today), _one_update(client_b, today)
    assert short == long
    settled, fresh = long
    # fresh: medication events, saved state, stamps, PHQ-9 totals; settled adds the
    # locked state, PHQ-9 totals again, day rows, checkpoints (+ an insert on Sundays),
    # the update, and the test's savepoint around the transaction
    assert fresh == 4 and settled <= 12


def test_a_therapist_reads_only_their_caseload_in_the_queryset(
    client_a, therapist_a, therapist_b, history
):
    """Even called without access_client, a viewer outside the care relation reads nothing."""
    mine = client_trend(client_a.pk, history, viewer=therapist_a)
    TrendState.objects.all().delete()
    foreign = client_trend(client_a.pk, history, viewer=therapist_b)
    assert mine.events and mine.assessment.level == "flagged"
    assert foreign.events == [] and foreign.assessment.level is None
    assert foreign.assessment.days == ()
    assert not TrendState.objects.exists()  # nothing was even created for them


def test_the_saved_state_holds_no_free_text(client_a, history):
    make_checkin(client_a, emotions={"lonely": 6}, note="private words", shared=True)
    client_trend(client_a.pk, history)
    saved = TrendState.objects.get(client=client_a)
    blob = json.dumps([saved.state, saved.days, saved.current, saved.stamps]).lower()
    checkpoints = json.dumps(list(TrendCheckpoint.objects.values_list("state", flat=True)))
    for text in ("private words", "felt flat", client_a.email.lower(), client_a.display_name):
        assert text.lower() not in blob and text.lower() not in checkpoints.lower()


def test_rebuild_command(client_a, history, engine_days):
    client_trend(client_a.pk, history)
    call_command("rebuild_trends", "--client", str(client_a.pk))
    assert not TrendState.objects.filter(client=client_a).exists()
    call_command("rebuild_trends", "--now")
    assert TrendState.objects.get(client=client_a).settled_through is not None


def test_page_api_and_refresh_share_one_state(api, client, therapist_a, client_a, history):
    from tests.conftest import verified_login

    trend_refresh(client_id=client_a.pk, today=history)
    key = TrendState.objects.get(client=client_a).current_key
    response = api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/trends/?days=90")
    assert response.status_code == 200
    assert any(day["level"] for day in response.json()["days"])
    verified_login(client, therapist_a)
    assert client.get(f"/dashboard/clients/{client_a.pk}/").status_code == 200
    assert TrendState.objects.get(client=client_a).current_key == key  # nothing recomputed

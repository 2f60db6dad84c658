"""Questionnaire scores on the therapist side (#16): the API, the course labels, the client
page's panel, the caseload row and the brief."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal import instruments
from tests.conftest import AUTH_QUERIES, verified_login
from tests.factories import CareFactory, ClientFactory
from tests.journal.factories import AssessmentFactory, MedicationEventFactory
from therapists.charts import runs
from therapists.models import Flag
from therapists.selectors.assessments import latest_scores

pytestmark = pytest.mark.django_db


def take(client, instrument, score, days_ago, severity=None):
    return AssessmentFactory(
        client=client,
        instrument=instrument,
        score=score,
        severity=severity or instruments.severity_for(instrument, score),
        taken_at=timezone.now() - timedelta(days=days_ago),
    )


class TestCourse:
    def test_reliable_change_response_and_remission(self):
        improved = instruments.course("phq9", [16, 12, 4])
        assert (improved.change, improved.since_first) == (-8, -12)
        assert improved.reliable == "improved" and improved.response and improved.remission

    def test_within_measurement_error(self):
        small = instruments.course("phq9", [12, 8])  # 4 < 5 points
        assert small.reliable is None and not small.response and not small.remission
        gad = instruments.course("gad7", [12, 8])  # 4 points is reliable on the GAD-7
        assert gad.reliable == "improved"

    def test_worsening_and_a_single_result(self):
        assert instruments.course("phq9", [6, 11]).reliable == "worsened"
        first = instruments.course("gad7", [9])
        assert first.change is None and first.reliable is None and not first.remission
        assert instruments.course("phq9", []) is None

    def test_remission_needs_a_start_above_it(self):
        assert not instruments.course("phq9", [3, 2]).remission
        assert instruments.course("phq9", [5, 4]).remission


class TestApi:
    def test_results_newest_first_with_their_change(self, api, client_a, therapist_a):
        take(client_a, "phq9", 16, 40)
        take(client_a, "gad7", 11, 39)
        take(client_a, "phq9", 12, 20)
        take(client_a, "phq9", 9, 2)
        response = api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/assessments/")
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [(r["instrument"], r["score"], r["change"]) for r in rows] == [
            ("phq9", 9, -3),
            ("phq9", 12, -4),
            ("gad7", 11, None),
            ("phq9", 16, None),
        ]
        assert rows[0]["severity"] == "mild" and rows[0]["severity_label"] == "Mild"

    def test_a_tie_on_time_goes_by_id(self, api, client_a, therapist_a):
        when = timezone.now() - timedelta(days=1)
        AssessmentFactory(client=client_a, instrument="phq9", score=10, taken_at=when)
        AssessmentFactory(client=client_a, instrument="phq9", score=13, taken_at=when)
        rows = api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/assessments/").json()
        assert [r["change"] for r in rows["results"]] == [3, None]

    def test_outside_the_caseload_is_404(self, api, client_a, therapist_b, therapist_ended):
        take(client_a, "phq9", 9, 2)
        for outsider in (therapist_b, therapist_ended):
            url = f"/api/v1/clients/{client_a.pk}/assessments/"
            assert api.as_(outsider).get(url).status_code == 404

    def test_query_count_does_not_grow(self, api, client_a, therapist_a, django_assert_num_queries):
        for n in range(3):
            take(client_a, "phq9", 5 + n, 30 - n)
        caller = api.as_(therapist_a)
        url = f"/api/v1/clients/{client_a.pk}/assessments/"
        # auth, the caseload check, count, page, audit
        with django_assert_num_queries(AUTH_QUERIES + 4):
            caller.get(url)
        for n in range(30):
            take(client_a, "gad7", n % 21, 60 - n)
        with django_assert_num_queries(AUTH_QUERIES + 4):
            caller.get(url)


def test_latest_scores_are_scoped_in_the_query(client_a, client_b, therapist_a, therapist_ended):
    take(client_a, "phq9", 12, 3)
    take(client_b, "phq9", 20, 3)
    ids = [client_a.pk, client_b.pk]
    scores = latest_scores(viewer=therapist_a, client_ids=ids)
    assert list(scores) == [client_a.pk] and scores[client_a.pk][0].score == 12
    # Ids a caller did not reach through the caseload give nothing, not even a former client's.
    assert latest_scores(viewer=therapist_ended, client_ids=ids) == {}
    assert latest_scores(viewer=client_a, client_ids=ids) == {}


class TestPages:
    def test_client_page_score_panel(self, client, client_a, therapist_a):
        take(client_a, "phq9", 16, 56)
        take(client_a, "phq9", 12, 28)
        take(client_a, "phq9", 9, 7)
        verified_login(client, therapist_a)
        html = client.get(f"/dashboard/clients/{client_a.pk}/").content.decode()
        assert "Questionnaire scores" in html
        assert "down 3 points since the last result" in html
        assert "Reliable improvement since the first PHQ-9 (16 → 9)" in html
        assert 'id="scores-phq9-title"' in html and "tc-severity" in html
        assert "Bands: minimal 0–4, mild 5–9" in html

    def test_caseload_row_scores_medication_and_safety_first(
        self, client, client_a, therapist_a, django_assert_max_num_queries
    ):
        calm = ClientFactory(display_name="Calm Client")
        CareFactory(therapist=therapist_a, client=calm)
        take(client_a, "phq9", 16, 30)
        take(client_a, "phq9", 11, 3)
        event = MedicationEventFactory(client=client_a, kind="increase", dose="100 mg")
        blunting = Flag.objects.create(
            client=client_a, kind="blunting", level="flagged", raised_at=timezone.now()
        )
        blunting.related_medication_events.set([event])
        Flag.objects.create(client=calm, kind="safety", level="flagged", raised_at=timezone.now())
        verified_login(client, therapist_a)
        with django_assert_max_num_queries(25):
            html = client.get("/dashboard/").content.decode()
        # Safety first, in the strongest style; the blunting row names the medication.
        assert html.index("Calm Client") < html.index(client_a.display_name)
        assert "caseload-row-safety" in html and "Safety: may not be safe" in html
        assert "Blunting began after: Sertraline dose increased" in html
        assert "PHQ-9 11" in html and "down 5 points since the last result" in html
        assert html.count('class="tc-sparkline"') == 2

    def test_each_flags_lines_stay_together_safety_first(self, client, client_a, therapist_a):
        event = MedicationEventFactory(client=client_a, kind="start", dose="50 mg")
        blunting = Flag.objects.create(
            client=client_a,
            kind="blunting",
            level="flagged",
            raised_at=timezone.now(),
            summary="Flagged: felt intensity 6.8 → 1.6",
        )
        blunting.related_medication_events.set([event])
        Flag.objects.create(
            client=client_a,
            kind="safety",
            level="flagged",
            raised_at=timezone.now(),
            summary="Answered PHQ-9 item 9",
        )
        verified_login(client, therapist_a)
        html = client.get("/dashboard/").content.decode()
        order = ["Answered PHQ-9 item 9", "Flagged: felt intensity", "Blunting began after"]
        assert [html.index(text) for text in order] == sorted(html.index(t) for t in order)

    def test_caseload_queries_do_not_grow_with_clients(
        self, client, therapist_a, django_assert_num_queries
    ):
        def add(n):
            for _ in range(n):
                person = ClientFactory()
                CareFactory(therapist=therapist_a, client=person)
                take(person, "gad7", 8, 10)

        add(2)
        verified_login(client, therapist_a)
        client.get("/dashboard/")  # warm the session
        with CaptureQueriesContext(connection) as few:
            client.get("/dashboard/")
        add(12)
        with django_assert_num_queries(len(few.captured_queries)):
            client.get("/dashboard/")

    def test_brief_lists_scores_since_the_last_session(self, client, client_a, therapist_a):
        take(client_a, "gad7", 14, 40)
        take(client_a, "gad7", 9, 3)
        verified_login(client, therapist_a)
        html = client.get(f"/dashboard/clients/{client_a.pk}/brief/").content.decode()
        assert "Questionnaires" in html and "down from 14" in html
        assert "<strong>14</strong>" not in html  # taken 40 days ago: before the period


def test_a_line_bridges_one_missing_day_and_breaks_for_longer():
    d = date(2026, 11, 1)
    points = [
        (d, 1.0),
        (d + timedelta(days=2), 2.0),  # one day missing: bridged
        (d + timedelta(days=5), 3.0),  # two days missing: a gap
        (d + timedelta(days=6), None),
        (d + timedelta(days=7), 4.0),
    ]
    assert [[p[1] for p in run] for run in runs(points)] == [[1.0, 2.0], [3.0, 4.0]]

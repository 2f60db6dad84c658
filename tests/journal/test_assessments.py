"""PHQ-9 and GAD-7: wording, scoring, worsening, schedules, API and portal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import OutboxMessage
from journal import instruments
from journal.models import Assessment, AssessmentSchedule, SafetySignal
from journal.selectors.assessments import assessment_previous, assessments_due
from journal.services.assessments import assessment_submit
from tests.conftest import AUTH_QUERIES
from tests.journal.factories import AssessmentFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/assessments/"


def answers_for(total: int, items: int) -> list[int]:
    """Answers summing to ``total`` with item 9 (PHQ-9) kept at 0."""
    answers = [0] * items
    slots = list(range(items - 1)) if items == 9 else list(range(items))
    for i in range(total):
        answers[slots[i % len(slots)]] += 1
    return answers


class TestInstruments:
    def test_standard_wording(self):
        phq9 = instruments.spec("phq9")
        assert str(phq9.stem) == (
            "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
        )
        assert len(phq9.items) == 9 and len(instruments.spec("gad7").items) == 7
        assert str(phq9.items[0]) == "Little interest or pleasure in doing things"
        assert str(phq9.items[8]) == (
            "Thoughts that you would be better off dead or of hurting yourself in some way"
        )
        assert str(instruments.spec("gad7").items[0]) == "Feeling nervous, anxious, or on edge"
        assert [(v, str(label)) for v, label in instruments.RESPONSE_OPTIONS] == [
            (0, "Not at all"),
            (1, "Several days"),
            (2, "More than half the days"),
            (3, "Nearly every day"),
        ]

    @pytest.mark.parametrize(
        ("instrument", "score", "severity"),
        [
            ("phq9", 0, "minimal"), ("phq9", 4, "minimal"), ("phq9", 5, "mild"), ("phq9", 9, "mild"),
            ("phq9", 10, "moderate"), ("phq9", 14, "moderate"), ("phq9", 15, "moderately_severe"),
            ("phq9", 19, "moderately_severe"), ("phq9", 20, "severe"), ("phq9", 27, "severe"),
            ("gad7", 0, "minimal"), ("gad7", 4, "minimal"), ("gad7", 5, "mild"), ("gad7", 9, "mild"),
            ("gad7", 10, "moderate"), ("gad7", 14, "moderate"), ("gad7", 15, "severe"), ("gad7", 21, "severe"),
        ],
    )  # fmt: skip
    def test_bands(self, instrument, score, severity):
        items = 9 if instrument == "phq9" else 7
        answers = answers_for(score, items) if score <= 24 or items == 7 else [3] * 9
        result = instruments.score(instrument, answers)
        assert (result.score, result.severity) == (score, severity)

    @pytest.mark.parametrize(
        ("instrument", "new", "previous", "worse"),
        [
            ("phq9", 9, 4, True),  # rise of 5
            ("phq9", 8, 4, False),  # rise of 4, still mild
            ("phq9", 10, 9, True),  # crosses into moderate
            ("phq9", 18, 16, False),  # already above moderate, small rise
            ("phq9", 20, 15, True),  # rise of 5 inside the upper bands
            ("phq9", 3, 12, False),  # better
            ("phq9", 22, None, False),  # nothing to compare
            ("gad7", 10, 8, True),  # crosses into moderate
            ("gad7", 9, 3, False),  # a rise, but the 5-point rule is PHQ-9's
            ("gad7", 15, 11, False),
        ],
    )
    def test_worsening(self, instrument, new, previous, worse):
        assert instruments.is_worsening(instrument, new, previous) is worse

    def test_worsening_selector_uses_the_previous_of_the_same_kind(self, client_a):
        now = timezone.now()
        AssessmentFactory(
            client=client_a,
            instrument="phq9",
            score=4,
            severity="minimal",
            taken_at=now - timedelta(days=20),
        )
        AssessmentFactory(
            client=client_a,
            instrument="gad7",
            score=12,
            severity="moderate",
            taken_at=now - timedelta(days=10),
        )
        newest = AssessmentFactory(
            client=client_a, instrument="phq9", score=9, severity="mild", taken_at=now
        )
        previous = assessment_previous(newest)
        assert (previous.instrument, previous.score) == ("phq9", 4)  # not the later GAD-7
        assert instruments.is_worsening("phq9", newest.score, previous.score) is True


class TestSubmit:
    def test_phq9(self, api, client_a):
        response = api.as_(client_a).post(
            ASSESSMENTS,
            {"instrument": "phq9", "answers": [1, 1, 2, 1, 1, 1, 1, 2, 0]},
            format="json",
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        assert (data["score"], data["severity"], data["safety_flag"]) == (10, "moderate", False)
        # Always present (the schema says so), empty without a safety flag (#15).
        assert (data["crisis_resources"], data["crisis_resources_url"]) == ([], None)
        assessment = Assessment.objects.get(pk=data["id"])
        assert assessment.client == client_a
        assert OutboxMessage.objects.filter(
            task_name="therapists.tasks.assess_worsening", kwargs={"assessment_id": assessment.pk}
        ).exists()
        assert not SafetySignal.objects.exists()

    def test_gad7(self, api, client_a):
        response = api.as_(client_a).post(
            ASSESSMENTS, {"instrument": "gad7", "answers": [3] * 7}, format="json"
        )
        assert response.status_code == 201
        assert (response.json()["score"], response.json()["severity"]) == (21, "severe")
        assert response.json()["safety_flag"] is False

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"instrument": "phq9", "answers": [1] * 8}, "answers"),
            ({"instrument": "phq9", "answers": [1] * 10}, "answers"),
            ({"instrument": "phq9", "answers": [1] * 8 + [4]}, "answers"),
            ({"instrument": "phq9", "answers": [-1] + [1] * 8}, "answers"),
            ({"instrument": "phq9", "answers": [True] * 9}, "answers"),
            ({"instrument": "phq9", "answers": "111111111"}, "answers"),
            ({"instrument": "gad7", "answers": [1] * 9}, "answers"),
            ({"instrument": "bdi2", "answers": [1] * 9}, "instrument"),
            ({"answers": [1] * 9}, "instrument"),
        ],
    )
    def test_bad_input_stores_nothing(self, api, client_a, body, field):
        response = api.as_(client_a).post(ASSESSMENTS, body, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert not Assessment.objects.exists()
        assert not OutboxMessage.objects.exists()

    def test_therapist_gets_403(self, api, therapist_a):
        response = api.as_(therapist_a).post(
            ASSESSMENTS, {"instrument": "gad7", "answers": [0] * 7}, format="json"
        )
        assert response.status_code == 403
        assert not Assessment.objects.exists()

    def test_list_own_only(self, api, client_a, client_b):
        mine = AssessmentFactory(client=client_a)
        AssessmentFactory(client=client_b)
        AssessmentFactory(
            client=client_a, instrument="gad7", answers=[0] * 7, score=0, severity="minimal"
        )
        response = api.as_(client_a).get(ASSESSMENTS + "?instrument=phq9")
        assert [a["id"] for a in response.json()["results"]] == [mine.pk]

    @pytest.mark.parametrize("count", [2, 30])
    def test_list_query_count(self, api, client_a, django_assert_max_num_queries, count):
        AssessmentFactory.create_batch(count, client=client_a)
        api.as_(client_a)
        with django_assert_max_num_queries(2 + AUTH_QUERIES):
            response = api.get(ASSESSMENTS)
        assert len(response.json()["results"]) == count

    def test_instruments_endpoint(self, api, client_a):
        response = api.as_(client_a).get(ASSESSMENTS + "instruments/")
        assert response.status_code == 200
        by_code = {i["instrument"]: i for i in response.json()["results"]}
        assert len(by_code["phq9"]["items"]) == 9 and by_code["gad7"]["max_score"] == 21
        assert by_code["phq9"]["options"][2] == {"value": 2, "label": "More than half the days"}


class TestSchedules:
    def url(self, client) -> str:
        return f"/api/v1/clients/{client.pk}/assessment-schedules/"

    def test_schedule_then_due_then_moved_on(self, api, therapist_a, client_a):
        response = api.as_(therapist_a).post(
            self.url(client_a), {"instrument": "phq9", "every_days": 14}, format="json"
        )
        assert response.status_code == 201, response.json()
        due = assessments_due(client_a)
        assert [d.instrument for d in due] == ["phq9"]
        assert (
            api.as_(client_a).get(ASSESSMENTS + "due/").json()["results"][0]["instrument"] == "phq9"
        )
        assessment_submit(client=client_a, instrument="phq9", answers=[0] * 9)
        schedule = AssessmentSchedule.objects.get(pk=response.json()["id"])
        assert schedule.next_due_on == timezone.localdate(timezone.now(), client_a.tz) + timedelta(
            days=14
        )
        assert assessments_due(client_a) == []

    def test_replacing_keeps_one_active(self, api, therapist_a, client_a):
        api.as_(therapist_a).post(
            self.url(client_a), {"instrument": "gad7", "every_days": 14}, format="json"
        )
        api.as_(therapist_a).post(
            self.url(client_a), {"instrument": "gad7", "every_days": 7}, format="json"
        )
        active = AssessmentSchedule.objects.filter(client=client_a, is_active=True)
        assert [s.every_days for s in active] == [7]

    @pytest.mark.parametrize(
        ("body", "field"),
        [({"instrument": "bdi2"}, "instrument"), ({"instrument": "phq9", "every_days": 0}, "every_days"),
         ({"instrument": "phq9", "first_due_on": "2001-01-01"}, "first_due_on")],
    )  # fmt: skip
    def test_bad_input(self, api, therapist_a, client_a, body, field):
        response = api.as_(therapist_a).post(self.url(client_a), body, format="json")
        assert response.status_code == 400 and field in response.json()
        assert not AssessmentSchedule.objects.exists()

    def test_outside_caseload_is_404(self, api, therapist_a, client_b):
        response = api.as_(therapist_a).post(
            self.url(client_b), {"instrument": "phq9"}, format="json"
        )
        assert response.status_code == 404
        assert not AssessmentSchedule.objects.exists()

    def test_ended_relationship_stops_prompting(self, client_a, therapist_ended, therapist_b):
        ScheduleFactory(client=client_a, therapist=therapist_ended)
        assert assessments_due(client_a) == []


class TestPortal:
    def test_take_phq9_and_see_the_result(self, client, client_a):
        client.force_login(client_a)
        page = client.get("/assessments/phq9/")
        html = page.content.decode()
        assert page.status_code == 200
        assert html.count("<fieldset>") == 9 and html.count("<legend>") == 9
        assert (
            "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
            in html
        )
        assert 'for="id_item_1_0"' in html
        answers = {f"item_{n}": "1" for n in range(1, 9)} | {"item_9": "0"}
        response = client.post("/assessments/phq9/", answers)
        assert response.status_code == 302
        result = client.get(response["Location"])
        assert "8 of 27" in result.content.decode()
        assert "mild symptoms" in result.content.decode()

    def test_missing_answer_is_kind_and_stores_nothing(self, client, client_a):
        client.force_login(client_a)
        response = client.post("/assessments/gad7/", {f"item_{n}": "1" for n in range(1, 7)})
        assert response.status_code == 400
        assert "Please choose one answer for this question." in response.content.decode()
        assert not Assessment.objects.exists()

    def test_due_list_on_page(self, client, client_a, therapist_a):
        ScheduleFactory(client=client_a, therapist=therapist_a, instrument="gad7")
        client.force_login(client_a)
        assert "Start the GAD-7" in client.get("/assessments/").content.decode()

    def test_unknown_instrument_is_404(self, client, client_a):
        client.force_login(client_a)
        assert client.get("/assessments/bdi2/").status_code == 404

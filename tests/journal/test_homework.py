"""Homework: templates, assignments, logs, adherence, API and portal pages."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from accounts.models import AuditEvent
from journal.markdown import render_markdown
from journal.models import HomeworkAssignment, HomeworkLog, HomeworkTemplate
from journal.selectors.homework import homework_adherence_14d
from journal.services.homework import homework_set_status
from tests.conftest import AUTH_QUERIES, verified_login
from tests.factories import CareFactory, ClientFactory, TherapistFactory
from tests.journal.factories import (
    AssignmentFactory,
    LogFactory,
    MedicationEventFactory,
    TemplateFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 13:00 in Berlin, where the cast lives
TODAY = date(2026, 11, 20)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def log_on(assignment, day: date, times: int = 1):
    for _ in range(times):
        LogFactory(
            assignment=assignment,
            completed_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC),
            local_date=day,
        )


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# --- Markdown and the starter library ----------------------------------------------------


def test_markdown_is_rendered_and_sanitised():
    html = str(
        render_markdown(
            "**calm** [ok](https://example.test) [bad](javascript:alert(1))\n\n"
            '<script>alert(1)</script><img src=x onerror="alert(1)"><p onclick="x()">hi</p>'
        )
    )
    assert "<strong>calm</strong>" in html
    assert 'href="https://example.test"' in html
    assert "noopener" in html
    for bad in ("<script", "javascript:", "onerror", "onclick", "<img"):
        assert bad not in html


def test_starter_library_is_seeded():
    titles = set(HomeworkTemplate.objects.filter(owner=None).values_list("title", flat=True))
    assert {
        "Five senses grounding",
        "Body scan",
        "A 20-minute walk or other movement",
        "Name three feelings each evening",
        "Plan one pleasant activity",
        "Safe-place exercise",
    } <= titles
    walk = HomeworkTemplate.objects.get(title="A 20-minute walk or other movement")
    assert walk.frequency == "weekly" and walk.times_per_week == 3


# --- Templates ---------------------------------------------------------------------------

TEMPLATES = "/api/v1/homework-templates/"


class TestTemplates:
    def test_library_and_own_but_not_anothers(self, api, therapist_a, therapist_b):
        mine = TemplateFactory(owner=therapist_a, title="My breathing")
        TemplateFactory(owner=therapist_b, title="Bo's secret")
        response = api.as_(therapist_a).get(TEMPLATES)
        assert response.status_code == 200
        titles = [t["title"] for t in response.json()["results"]]
        assert "My breathing" in titles and "Five senses grounding" in titles
        assert "Bo's secret" not in titles
        own = next(t for t in response.json()["results"] if t["id"] == mine.pk)
        assert own["is_own"] is True

    def test_create_own_template(self, api, therapist_a, therapist_b):
        response = api.as_(therapist_a).post(
            TEMPLATES,
            {"title": "Cold water", "instructions": "Splash *cold* water.", "frequency": "daily"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert "<em>cold</em>" in response.json()["instructions_html"]
        template = HomeworkTemplate.objects.get(pk=response.json()["id"])
        assert template.owner == therapist_a
        other = api.as_(therapist_b).get(TEMPLATES).json()["results"]
        assert template.pk not in [t["id"] for t in other]

    def test_clients_cannot_list_templates(self, api, client_a):
        assert api.as_(client_a).get(TEMPLATES).status_code == 403

    @pytest.mark.parametrize("extra", [0, 25])
    def test_query_count(self, api, therapist_a, django_assert_max_num_queries, extra):
        TemplateFactory.create_batch(extra, owner=therapist_a)
        api.as_(therapist_a)
        with django_assert_max_num_queries(2 + AUTH_QUERIES):
            response = api.get(TEMPLATES)
        assert response.json()["results"]


# --- Assigning ---------------------------------------------------------------------------


def assign_url(client) -> str:
    return f"/api/v1/clients/{client.pk}/homework/"


class TestAssign:
    def test_from_template_fills_in_the_details(self, api, therapist_a, client_a):
        template = HomeworkTemplate.objects.get(title="A 20-minute walk or other movement")
        response = api.as_(therapist_a).post(
            assign_url(client_a), {"template": template.pk}, format="json"
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["title"] == template.title
        assert data["frequency"] == "weekly" and data["times_per_week"] == 3
        assert data["status"] == "active"
        assignment = HomeworkAssignment.objects.get(pk=data["id"])
        assert assignment.client == client_a and assignment.therapist == therapist_a
        assert assignment.template == template
        assert AuditEvent.objects.filter(
            actor=therapist_a, subject=client_a, action="create"
        ).exists()

    def test_custom_task_and_save_as_template(self, api, therapist_a, client_a):
        due = (date.today() + timedelta(days=7)).isoformat()
        response = api.as_(therapist_a).post(
            assign_url(client_a),
            {
                "title": "Write a letter you will not send",
                "instructions": "Take 15 minutes.",
                "frequency": "once",
                "due_on": due,
                "save_as_template": True,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["due_on"] == due
        assert HomeworkTemplate.objects.filter(
            owner=therapist_a, title="Write a letter you will not send"
        ).exists()

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": "Walk", "frequency": "weekly"}, "times_per_week"),
            ({"title": "Walk", "frequency": "weekly", "times_per_week": 8}, "times_per_week"),
            ({"title": "Walk", "frequency": "daily", "times_per_week": 3}, "times_per_week"),
            ({"title": "Walk", "frequency": "hourly"}, "frequency"),
            ({"title": "Walk", "due_on": "2001-01-01"}, "due_on"),
            ({"instructions": "no title and no template"}, "title"),
            ({"template": 999999}, "template"),
            ({"title": "x" * 121}, "title"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(
        self, api, therapist_a, client_a, body, field
    ):
        response = api.as_(therapist_a).post(assign_url(client_a), body, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert not HomeworkAssignment.objects.exists()

    def test_another_therapists_private_template_is_refused(
        self, api, therapist_a, therapist_b, client_a
    ):
        private = TemplateFactory(owner=therapist_b)
        response = api.as_(therapist_a).post(
            assign_url(client_a), {"template": private.pk}, format="json"
        )
        assert response.status_code == 400 and "template" in response.json()
        assert not HomeworkAssignment.objects.exists()

    def test_client_outside_caseload_is_404(
        self, api, therapist_a, client_b, therapist_ended, client_a
    ):
        body = {"title": "Walk"}
        assert (
            api.as_(therapist_a).post(assign_url(client_b), body, format="json").status_code == 404
        )
        ended = api.as_(therapist_ended).post(assign_url(client_a), body, format="json")
        assert ended.status_code == 404
        assert not HomeworkAssignment.objects.exists()

    def test_a_client_cannot_assign(self, api, client_a):
        response = api.as_(client_a).post(assign_url(client_a), {"title": "x"}, format="json")
        assert response.status_code == 403
        assert not HomeworkAssignment.objects.exists()


class TestStatus:
    def url(self, assignment) -> str:
        return f"/api/v1/clients/{assignment.client_id}/homework/{assignment.pk}/"

    def test_pause_resume_end(self, api, therapist_a, client_a):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        therapist = api.as_(therapist_a)
        assert (
            therapist.patch(self.url(assignment), {"status": "paused"}, format="json").json()[
                "status"
            ]
            == "paused"
        )
        assert assignment.pauses.get().ends_on is None
        assert (
            therapist.patch(self.url(assignment), {"status": "active"}, format="json").json()[
                "status"
            ]
            == "active"
        )
        assert assignment.pauses.get().ends_on is not None
        ended = therapist.patch(self.url(assignment), {"status": "ended"}, format="json").json()
        assert ended["status"] == "ended" and ended["ended_on"]
        again = therapist.patch(self.url(assignment), {"status": "active"}, format="json")
        assert again.status_code == 400 and "status" in again.json()
        assignment.refresh_from_db()
        assert assignment.status == "ended"

    def test_bad_status(self, api, therapist_a, client_a):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        response = api.as_(therapist_a).patch(
            self.url(assignment), {"status": "gone"}, format="json"
        )
        assert response.status_code == 400 and "status" in response.json()

    def test_outsider_gets_404(self, api, therapist_b, therapist_a, client_a):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        response = api.as_(therapist_b).patch(
            self.url(assignment), {"status": "ended"}, format="json"
        )
        assert response.status_code == 404
        # the right therapist but a client id that does not own the assignment
        wrong = f"/api/v1/clients/{client_a.pk}/homework/999999/"
        assert (
            api.as_(therapist_a).patch(wrong, {"status": "ended"}, format="json").status_code == 404
        )
        assignment.refresh_from_db()
        assert assignment.status == "active"

    @pytest.mark.parametrize("extra", [1, 15])
    def test_therapist_list_query_count(
        self, api, therapist_a, client_a, django_assert_max_num_queries, extra
    ):
        for assignment in AssignmentFactory.create_batch(
            extra, client=client_a, therapist=therapist_a
        ):
            LogFactory(assignment=assignment)
        api.as_(therapist_a)
        with django_assert_max_num_queries(8 + AUTH_QUERIES):
            response = api.get(assign_url(client_a))
        assert len(response.json()["results"]) == extra


# --- The client's list and logs ----------------------------------------------------------

HOMEWORK = "/api/v1/homework/"


class TestClientHomework:
    def test_lists_own_with_progress(self, api, client_a, client_b, therapist_a, frozen):
        daily = AssignmentFactory(client=client_a, therapist=therapist_a, title="Grounding")
        weekly = AssignmentFactory(
            client=client_a, therapist=therapist_a, frequency="weekly", times_per_week=2
        )
        AssignmentFactory(client=client_b, title="Not Alex's")
        log_on(daily, TODAY)
        # Friday 2026-11-20: this week began on Monday the 16th
        log_on(weekly, date(2026, 11, 16), times=2)
        response = api.as_(client_a).get(HOMEWORK)
        assert response.status_code == 200
        rows = {r["id"]: r for r in response.json()["results"]}
        assert set(rows) == {daily.pk, weekly.pk}
        assert rows[daily.pk]["done_today"] is True and rows[daily.pk]["due_today"] is False
        assert "<strong>short</strong>" in rows[daily.pk]["instructions_html"]
        assert rows[weekly.pk]["done_this_week"] == 2
        assert rows[weekly.pk]["due_this_week"] is False
        assert rows[weekly.pk]["remaining_this_week"] == 0
        for key in ("title", "instructions", "frequency", "due_on", "status", "adherence_14d"):
            assert key in rows[daily.pk]

    def test_paused_is_not_due_and_ended_is_hidden(self, api, client_a, therapist_a):
        paused = AssignmentFactory(client=client_a, therapist=therapist_a)
        homework_set_status(assignment=paused, status="paused")
        ended = AssignmentFactory(client=client_a, therapist=therapist_a)
        homework_set_status(assignment=ended, status="ended")
        rows = api.as_(client_a).get(HOMEWORK).json()["results"]
        assert [r["id"] for r in rows] == [paused.pk]
        assert rows[0]["due_today"] is False
        with_ended = api.as_(client_a).get(HOMEWORK + "?include_ended=true").json()["results"]
        assert {r["id"] for r in with_ended} == {paused.pk, ended.pk}

    def test_therapist_gets_403(self, api, therapist_a):
        assert api.as_(therapist_a).get(HOMEWORK).status_code == 403

    @pytest.mark.parametrize("count", [2, 20])
    def test_query_count(self, api, client_a, therapist_a, django_assert_max_num_queries, count):
        for assignment in AssignmentFactory.create_batch(
            count, client=client_a, therapist=therapist_a
        ):
            LogFactory.create_batch(2, assignment=assignment)
        api.as_(client_a)
        with django_assert_max_num_queries(4 + AUTH_QUERIES):
            response = api.get(HOMEWORK)
        assert len(response.json()["results"]) == count


def logs_url(assignment) -> str:
    return f"/api/v1/homework/{assignment.pk}/logs/"


class TestLogs:
    def test_log_a_completion(self, api, client_a, therapist_a):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        response = api.as_(client_a).post(
            logs_url(assignment),
            {
                "before_feeling": 2,
                "after_feeling": 5,
                "reflection": "The trees helped.",
                "shared": True,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["reflection"] == "The trees helped." and data["shared"] is True
        log = HomeworkLog.objects.get(pk=data["id"])
        assert (log.before_feeling, log.after_feeling) == (2, 5)
        with connection.cursor() as cursor:
            cursor.execute("SELECT reflection FROM journal_homeworklog WHERE id = %s", [log.pk])
            raw = cursor.fetchone()[0]
        assert "trees" not in raw  # encrypted at rest

    def test_local_date_is_the_clients(self, api, client_a, therapist_a):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        with time_machine.travel(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), tick=False):
            response = api.as_(client_a).post(logs_url(assignment), {}, format="json")
        assert response.json()["local_date"] == "2026-11-21"  # 00:30 in Berlin

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"before_feeling": 11}, "before_feeling"),
            ({"after_feeling": -1}, "after_feeling"),
            ({"before_feeling": "lots"}, "before_feeling"),
            ({"completed_at": "2099-01-01T10:00:00+00:00"}, "completed_at"),
            ({"completed_at": "2001-01-01T10:00:00+00:00"}, "completed_at"),
            ({"reflection": "x" * 5001}, "reflection"),
        ],
    )
    def test_bad_input_stores_nothing(self, api, client_a, therapist_a, body, field):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        response = api.as_(client_a).post(logs_url(assignment), body, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert not HomeworkLog.objects.exists()

    def test_someone_elses_homework_is_404(self, api, client_a, client_b):
        theirs = AssignmentFactory(client=client_b)
        assert api.as_(client_a).post(logs_url(theirs), {}, format="json").status_code == 404
        assert api.as_(client_a).get(logs_url(theirs)).status_code == 404
        assert not HomeworkLog.objects.exists()

    def test_ended_homework_cannot_be_logged(self, api, client_a, therapist_a):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        homework_set_status(assignment=assignment, status="ended")
        response = api.as_(client_a).post(logs_url(assignment), {}, format="json")
        assert response.status_code == 400 and "non_field_errors" in response.json()
        assert not HomeworkLog.objects.exists()

    def test_therapist_sees_only_shared_reflections(self, api, client_a, therapist_a, therapist_b):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        LogFactory(assignment=assignment, reflection="shared words", shared=True)
        LogFactory(assignment=assignment, reflection="private words", shared=False)
        url = f"/api/v1/clients/{client_a.pk}/homework/{assignment.pk}/logs/"
        response = api.as_(therapist_a).get(url)
        assert response.status_code == 200
        reflections = sorted(r["reflection"] for r in response.json()["results"])
        assert reflections == ["", "shared words"]
        assert "private words" not in response.content.decode()
        assert api.as_(therapist_b).get(url).status_code == 404
        own = api.as_(client_a).get(logs_url(assignment)).json()["results"]
        assert sorted(r["reflection"] for r in own) == ["private words", "shared words"]

    @pytest.mark.parametrize("count", [2, 30])
    def test_query_count(self, api, client_a, therapist_a, django_assert_max_num_queries, count):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        LogFactory.create_batch(count, assignment=assignment, reflection="words")
        api.as_(client_a)
        with django_assert_max_num_queries(3 + AUTH_QUERIES):
            response = api.get(logs_url(assignment))
        assert len(response.json()["results"]) == count


# --- Adherence ---------------------------------------------------------------------------


class TestAdherence:
    def test_daily_counts_distinct_days_and_not_today_until_done(self, client_a, frozen):
        assignment = AssignmentFactory(client=client_a, frequency="daily", starts_on=days_ago(30))
        for n in range(1, 8):
            log_on(assignment, days_ago(n))
        log_on(assignment, days_ago(1), times=2)  # extra logs on one day count once
        assert homework_adherence_14d([client_a])[client_a.pk] == pytest.approx(7 / 13, abs=1e-4)
        log_on(assignment, TODAY)
        assert homework_adherence_14d([client_a])[client_a.pk] == pytest.approx(8 / 14, abs=1e-4)

    def test_paused_days_are_not_expected(self, client_a, frozen):
        assignment = AssignmentFactory(client=client_a, frequency="daily", starts_on=days_ago(30))
        assignment.pauses.create(starts_on=days_ago(10), ends_on=days_ago(5))  # 5 paused days
        for n in (1, 2, 3, 4, 8):  # day 8 is paused: not counted
            log_on(assignment, days_ago(n))
        assert homework_adherence_14d([client_a])[client_a.pk] == pytest.approx(4 / 8, abs=1e-4)

    def test_started_recently_counts_only_active_days(self, client_a, frozen):
        assignment = AssignmentFactory(client=client_a, frequency="daily", starts_on=days_ago(3))
        log_on(assignment, days_ago(2))
        assert homework_adherence_14d([client_a])[client_a.pk] == pytest.approx(1 / 3, abs=1e-4)

    def test_weekly_caps_each_week_and_prorates(self, client_a, frozen):
        assignment = AssignmentFactory(
            client=client_a, frequency="weekly", times_per_week=3, starts_on=days_ago(30)
        )
        for n in (8, 9, 10, 11, 12):  # five in the first week: only three count
            log_on(assignment, days_ago(n))
        # second week: six days gone (today not yet done) → expects 3 * 6/7
        expected = 3 + 3 * 6 / 7
        assert homework_adherence_14d([client_a])[client_a.pk] == pytest.approx(
            3 / expected, abs=1e-4
        )

    def test_weekly_full_marks(self, client_a, frozen):
        assignment = AssignmentFactory(
            client=client_a, frequency="weekly", times_per_week=2, starts_on=days_ago(30)
        )
        for n in (13, 10, 5, 0):
            log_on(assignment, days_ago(n))
        # week two: today done → seven days expected → 2 expected, 2 done
        assert homework_adherence_14d([client_a])[client_a.pk] == pytest.approx(1.0)

    @pytest.mark.parametrize(
        ("due", "done", "expected"),
        [
            (days_ago(3), [days_ago(5)], 1.0),  # done before the due date
            (days_ago(3), [], 0.0),  # due date passed undone
            (days_ago(3), [days_ago(1)], 0.0),  # done, but late
            (TODAY + timedelta(days=3), [], None),  # not due yet: nothing expected
            (TODAY, [], None),  # due today: still time
            (None, [days_ago(2)], 1.0),  # no due date, done
            (None, [], None),
        ],
    )
    def test_once(self, client_a, frozen, due, done, expected):
        assignment = AssignmentFactory(
            client=client_a, frequency="once", due_on=due, starts_on=days_ago(20)
        )
        for day in done:
            log_on(assignment, day)
        assert homework_adherence_14d([client_a])[client_a.pk] == expected

    def test_ended_days_are_not_expected(self, client_a, frozen):
        assignment = AssignmentFactory(
            client=client_a,
            frequency="daily",
            starts_on=days_ago(30),
            status="ended",
            ended_on=days_ago(6),
        )
        for n in (7, 8, 9, 10):
            log_on(assignment, days_ago(n))
        # expected: days 13..7 (7 days)
        assert homework_adherence_14d([client_a])[client_a.pk] == pytest.approx(4 / 7, abs=1e-4)

    def test_combines_assignments_and_none_without_homework(self, client_a, client_b, frozen):
        daily = AssignmentFactory(client=client_a, frequency="daily", starts_on=days_ago(30))
        AssignmentFactory(
            client=client_a, frequency="once", due_on=days_ago(2), starts_on=days_ago(20)
        )
        for n in range(1, 14):
            log_on(daily, days_ago(n))
        result = homework_adherence_14d([client_a, client_b])
        assert result[client_a.pk] == pytest.approx(13 / 14, abs=1e-4)  # once missed: 0 of 1
        assert result[client_b.pk] is None

    @pytest.mark.parametrize("clients", [3, 12])
    def test_many_clients_in_constant_queries(self, django_assert_num_queries, frozen, clients):
        therapist = TherapistFactory()
        people = []
        for _ in range(clients):
            person = ClientFactory()
            CareFactory(therapist=therapist, client=person)
            for frequency, per_week in (("daily", None), ("weekly", 2), ("once", None)):
                assignment = AssignmentFactory(
                    client=person,
                    frequency=frequency,
                    times_per_week=per_week,
                    starts_on=days_ago(20),
                    due_on=days_ago(1) if frequency == "once" else None,
                )
                log_on(assignment, days_ago(1))
            people.append(person)
        with django_assert_num_queries(3):
            result = homework_adherence_14d(people)
        assert set(result) == {p.pk for p in people}
        assert all(value is not None and 0 < value <= 1 for value in result.values())

    def test_shown_to_both_sides(self, api, client_a, therapist_a, frozen):
        assignment = AssignmentFactory(
            client=client_a, therapist=therapist_a, starts_on=days_ago(30)
        )
        for n in range(1, 14):
            log_on(assignment, days_ago(n))
        mine = api.as_(client_a).get(HOMEWORK).json()["results"][0]
        theirs = api.as_(therapist_a).get(assign_url(client_a)).json()["results"][0]
        assert mine["adherence_14d"] == theirs["adherence_14d"] == 1.0


# --- Portal ------------------------------------------------------------------------------


class TestPortal:
    def test_homework_page_and_logging(self, client, client_a, therapist_a):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a, title="Body scan")
        client.force_login(client_a)
        page = client.get("/homework/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Body scan" in html
        html = client.get(f"/homework/{assignment.pk}/log/").content.decode()
        assert f'<label for="id_hw{assignment.pk}-before_feeling">' in html
        assert "Share this reflection with my therapist" in html
        response = client.post(
            f"/homework/{assignment.pk}/log/",
            {
                f"hw{assignment.pk}-before_feeling": "3",
                f"hw{assignment.pk}-reflection": "ok",
                f"hw{assignment.pk}-shared": "on",
            },
        )
        assert response.status_code == 302
        log = HomeworkLog.objects.get()
        assert log.before_feeling == 3 and log.shared is True

    def test_the_same_form_saved_twice_logs_once(self, client, client_a, therapist_a):
        """Back after saving brings the filled form back; Save again must not log twice."""
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        client.force_login(client_a)
        html = client.get(f"/homework/{assignment.pk}/log/").content.decode()
        submission = re.search(r'name="hw\d+-submission" value="([0-9a-f-]{36})"', html).group(1)
        form = {f"hw{assignment.pk}-reflection": "ok", f"hw{assignment.pk}-submission": submission}
        first = client.post(f"/homework/{assignment.pk}/log/", form, follow=True)
        assert "Logged. Thank you" in first.content.decode()
        again = client.post(f"/homework/{assignment.pk}/log/", form, follow=True)
        assert "already saved, so it is logged once" in again.content.decode()
        assert HomeworkLog.objects.count() == 1
        # A fresh form is a fresh log: doing it twice in a day is allowed.
        fresh = client.get(f"/homework/{assignment.pk}/log/").content.decode()
        assert submission not in fresh
        form[f"hw{assignment.pk}-submission"] = re.search(
            r'name="hw\d+-submission" value="([0-9a-f-]{36})"', fresh
        ).group(1)
        client.post(f"/homework/{assignment.pk}/log/", form)
        assert HomeworkLog.objects.count() == 2

    def test_portal_bad_input_and_outsider(self, client, client_a, client_b):
        theirs = AssignmentFactory(client=client_b)
        mine = AssignmentFactory(client=client_a)
        client.force_login(client_a)
        bad = client.post(f"/homework/{mine.pk}/log/", {f"hw{mine.pk}-after_feeling": "12"})
        assert bad.status_code == 400
        assert "Choose a number from 0 to 10." in bad.content.decode()
        assert client.post(f"/homework/{theirs.pk}/log/", {}).status_code == 404
        assert not HomeworkLog.objects.exists()

    def test_therapist_page_assign_pause_and_shared_reflections(
        self, client, therapist_a, client_a, django_assert_max_num_queries
    ):
        assignment = AssignmentFactory(client=client_a, therapist=therapist_a, title="Walk")
        LogFactory(assignment=assignment, reflection="felt the sun", shared=True)
        LogFactory(assignment=assignment, reflection="kept to myself", shared=False)
        verified_login(client, therapist_a)
        url = f"/dashboard/clients/{client_a.pk}/homework/"
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "felt the sun" in html and "kept to myself" not in html
        assert '<label for="id_template">' in html
        assert f'href="/dashboard/clients/{client_a.pk}/">← {client_a.display_name}' in html
        # Ending is asked once more (a details disclosure, no script), pausing is not.
        assert '<details class="confirm">' in html and "Pausing can be undone." in html
        assert "Markdown" not in html
        template = HomeworkTemplate.objects.get(title="Body scan")
        assert client.post(url, {"template": template.pk}).status_code == 302
        assert HomeworkAssignment.objects.filter(client=client_a, template=template).exists()
        status_url = f"/dashboard/clients/{client_a.pk}/homework/{assignment.pk}/status/"
        assert client.post(status_url, {"status": "paused"}).status_code == 302
        assignment.refresh_from_db()
        assert assignment.status == "paused"

    def test_therapist_page_keeps_a_custom_task_as_a_template(self, client, therapist_a, client_a):
        verified_login(client, therapist_a)
        url = f"/dashboard/clients/{client_a.pk}/homework/"
        sent = {"title": "Letter to myself", "save_as_template": "on", "category": "mindfulness"}
        assert client.post(url, sent).status_code == 302
        kept = HomeworkTemplate.objects.get(owner=therapist_a, title="Letter to myself")
        assert kept.category == "mindfulness"
        assert HomeworkAssignment.objects.filter(client=client_a, title="Letter to myself").exists()

    def test_therapist_page_outsider_404(self, client, therapist_b, client_a):
        verified_login(client, therapist_b)
        assert client.get(f"/dashboard/clients/{client_a.pk}/homework/").status_code == 404
        assert (
            client.post(f"/dashboard/clients/{client_a.pk}/homework/", {"title": "x"}).status_code
            == 404
        )
        assert not HomeworkAssignment.objects.exists()


# --- Admin -------------------------------------------------------------------------------


def test_admin_previews_templates_and_hides_clinical_text(client, staff, client_a, therapist_a):
    assignment = AssignmentFactory(
        client=client_a, therapist=therapist_a, instructions="secret plan"
    )
    event = MedicationEventFactory(client=client_a, note="secret note")
    template = HomeworkTemplate.objects.get(title="Body scan")
    verified_login(client, staff)
    preview = client.get(f"/admin/journal/homeworktemplate/{template.pk}/change/")
    assert preview.status_code == 200 and "<ol>" in preview.content.decode()
    for url in (
        f"/admin/journal/homeworkassignment/{assignment.pk}/change/",
        f"/admin/journal/medicationevent/{event.pk}/change/",
        "/admin/journal/medicationevent/",
        "/admin/journal/assessment/",
        "/admin/journal/safetysignal/",
        "/admin/companion/crisisresource/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "secret" not in response.content.decode(), url


class TestPortalPage:
    def test_a_daily_task_done_today_stays_under_today(self, client, client_a, therapist_a, frozen):
        assignment = AssignmentFactory(
            client=client_a, therapist=therapist_a, title="Evening walk", starts_on=days_ago(10)
        )
        log_on(assignment, TODAY)
        client.force_login(client_a)
        html = client.get("/homework/").content.decode()
        today = html[html.index("For today") : html.index("Evening walk") + 200]
        assert "Later this week" not in today
        assert "Done today. Well done." in html
        assert re.search(r'class="button secondary" href="/homework/\d+/log/">I did it again', html)

    def test_i_did_this_is_a_button(self, client, client_a, therapist_a, frozen):
        AssignmentFactory(client=client_a, therapist=therapist_a, starts_on=days_ago(3))
        client.force_login(client_a)
        html = client.get("/homework/").content.decode()
        assert re.search(r'<a class="button" href="/homework/\d+/log/">I did this', html)
        page = client.get(re.search(r'href="(/homework/\d+/log/)"', html).group(1))
        assert page.status_code == 200 and "Everything below is optional" in page.content.decode()


def test_the_naming_template_points_at_what_the_check_in_calls_the_wheel():
    template = HomeworkTemplate.objects.get(title="Name three feelings each evening", owner=None)
    assert "open “Explore the feelings wheel”" in template.instructions
    assert "Open the feelings wheel and start in the middle" not in template.instructions

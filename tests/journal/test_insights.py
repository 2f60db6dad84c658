"""Insights: the client's own measures over 30/90 days, as JSON and as accessible SVG charts."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from tests.conftest import AUTH_QUERIES, verified_login
from tests.journal.factories import make_checkin, make_history

NOW = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)  # 12:00 in Berlin


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def june(day: int) -> datetime:
    return datetime(2026, 6, day, 9, 0, tzinfo=UTC)


@pytest.mark.django_db
class TestApi:
    def test_days_with_gaps_and_weeks(self, api, client_a, client_b):
        make_checkin(
            client_a, occurred_at=june(29), felt_intensity=4, emotions={"anxious": 5, "numb": 2}
        )
        make_checkin(client_a, occurred_at=june(29), felt_intensity=6, symptoms={"fatigue": 3})
        make_checkin(client_a, occurred_at=june(20), felt_intensity=2, emotions={"hopeful": 3})
        make_checkin(client_b, occurred_at=june(28), felt_intensity=9)

        response = api.as_(client_a).get("/api/v1/insights/", {"days": 30})
        assert response.status_code == 200
        data = response.json()
        assert data["range_days"] == 30
        assert data["end"] == "2026-06-30"
        assert data["start"] == "2026-06-01"
        days = {d["date"]: d for d in data["days"]}
        assert len(days) == 30
        assert days["2026-06-29"] == {
            "date": "2026-06-29",
            "checkins": 2,
            "felt_intensity": 5.0,
            "distinct_emotions": 2,
            "symptom_score": 18.0,
        }
        # A day without check-ins is a gap, not zeros; client B's day is not A's.
        assert days["2026-06-28"] == {
            "date": "2026-06-28",
            "checkins": 0,
            "felt_intensity": None,
            "distinct_emotions": None,
            "symptom_score": None,
        }
        weeks = data["weeks"]
        assert weeks[-1] == {
            "start": "2026-06-24",
            "end": "2026-06-30",
            "days_with_checkins": 1,
            "distinct_emotions": 2,
        }
        assert weeks[-2]["distinct_emotions"] == 1  # 17th..23rd: hopeful
        assert weeks[-3]["distinct_emotions"] is None  # no check-in that week
        # Whole weeks only: the two oldest days (1st, 2nd) would make a short "week".
        assert weeks[0]["start"] == "2026-06-03"
        assert len(weeks) == 4

    def test_90_days(self, api, client_a):
        data = api.as_(client_a).get("/api/v1/insights/", {"days": 90}).json()
        assert len(data["days"]) == 90
        assert data["start"] == "2026-04-02"
        spans = {
            (date.fromisoformat(w["end"]) - date.fromisoformat(w["start"])).days
            for w in data["weeks"]
        }
        assert len(data["weeks"]) == 12 and spans == {6}

    @pytest.mark.parametrize("days", ["7", "abc", "-30"])
    def test_only_30_or_90(self, api, client_a, days):
        response = api.as_(client_a).get("/api/v1/insights/", {"days": days})
        assert response.status_code == 400
        assert "days" in response.json()

    def test_only_for_clients(self, api, therapist_a):
        assert api.get("/api/v1/insights/").status_code == 401
        assert api.as_(therapist_a).get("/api/v1/insights/").status_code == 403

    def test_query_count_is_pinned(self, api, client_a, django_assert_max_num_queries):
        me = api.as_(client_a)
        make_history(client_a, 3)
        with django_assert_max_num_queries(1 + AUTH_QUERIES) as small:
            assert (
                sum(d["checkins"] for d in me.get("/api/v1/insights/", {"days": 90}).json()["days"])
                == 3
            )
        make_history(client_a, 27)
        with django_assert_max_num_queries(1 + AUTH_QUERIES) as large:
            assert (
                sum(d["checkins"] for d in me.get("/api/v1/insights/", {"days": 90}).json()["days"])
                == 30
            )
        assert len(small) == len(large)


@pytest.mark.django_db
class TestPage:
    def test_charts_are_accessible_svg_with_tables(self, client, client_a):
        make_checkin(client_a, occurred_at=june(29), felt_intensity=4, emotions={"anxious": 5})
        make_checkin(client_a, occurred_at=june(27), felt_intensity=7, symptoms={"fatigue": 1})
        client.force_login(client_a)
        response = client.get("/insights/")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('role="img"') == 3
        assert html.count("<title id=") == 3
        assert html.count("<desc id=") == 3
        assert html.count("Show as a table") == 3
        assert "<script" not in html.split("<main", 1)[1]
        assert 'style="' not in html
        assert "You checked in on 2 of the last 30 days." in html
        # The felt-intensity line breaks around the missing 28th: two dots, no segment.
        felt_svg = html[
            html.index('id="chart-felt-title"') : html.index(
                "</svg>", html.index('id="chart-felt-title"')
            )
        ]
        assert "polyline" not in felt_svg
        assert felt_svg.count("<circle") == 2

    def test_connected_days_draw_a_line(self, client, client_a):
        for day in (27, 28, 29):
            make_checkin(client_a, occurred_at=june(day), felt_intensity=day - 24)
        client.force_login(client_a)
        html = client.get("/insights/").content.decode()
        felt_svg = html[
            html.index('id="chart-felt-title"') : html.index(
                "</svg>", html.index('id="chart-felt-title"')
            )
        ]
        assert len(re.findall(r"<polyline", felt_svg)) == 1

    def test_90_day_range_and_empty_state(self, client, client_a):
        client.force_login(client_a)
        html = client.get("/insights/?days=90").content.decode()
        assert "You checked in on 0 of the last 90 days." in html
        assert "No check-ins in this period yet." in html
        assert client.get("/insights/?days=nonsense").status_code == 200

    def test_outsiders(self, client, therapist_a):
        assert client.get("/insights/").status_code == 302
        verified_login(client, therapist_a)
        assert client.get("/insights/").status_code == 403

    def test_query_count_is_pinned(self, client, client_a, django_assert_max_num_queries):
        client.force_login(client_a)
        client.get("/insights/")  # settle the session's first-visit write
        make_history(client_a, 3)
        with django_assert_max_num_queries(3) as small:
            assert client.get("/insights/?days=90").status_code == 200
        make_history(client_a, 27)
        with django_assert_max_num_queries(3) as large:
            assert client.get("/insights/?days=90").status_code == 200
        assert len(small) == len(large)

    def test_chart_table_has_the_numbers(self, client, client_a):
        make_checkin(
            client_a,
            occurred_at=june(29),
            felt_intensity=4,
            symptoms={"fatigue": 2, "autopilot": 1},
        )
        client.force_login(client_a)
        html = client.get("/insights/").content.decode()
        assert "<td>4.0</td>" in html
        assert "<td>9.0</td>" in html  # (2 + 1) rescaled from 2 answered items to 6: 9
        assert date(2026, 6, 29).strftime("%b") in html

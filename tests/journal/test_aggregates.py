"""ClientDay rows follow check-ins as they are written, edited and deleted, in the same transaction."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from accounts.models import OutboxMessage
from journal.daily import CheckinPoint, EmotionPoint, summarize_day
from journal.models import CheckIn, ClientDay
from journal.services.checkins import RatingInput, checkin_delete, checkin_update
from tests.journal.factories import make_checkin

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 10) -> datetime:
    """A June 2026 moment in UTC; the cast lives in Europe/Berlin (UTC+2 in June)."""
    return datetime(2026, 6, day, hour, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.django_db
class TestOneDay:
    def test_matches_the_pure_summarizer(self, client_a):
        make_checkin(
            client_a,
            occurred_at=at(18, 8),
            felt_intensity=2,
            emotions={"anxious": 6, "numb": 3},
            symptoms={"fatigue": 3, "autopilot": 2},
        )
        make_checkin(
            client_a, occurred_at=at(18, 15), felt_intensity=5, emotions={"joyful": 4, "anxious": 2}
        )
        make_checkin(client_a, occurred_at=at(18, 19), felt_intensity=1)
        expected = summarize_day(
            date(2026, 6, 18),
            [
                CheckinPoint(
                    date(2026, 6, 18),
                    2,
                    (EmotionPoint("anxious", 6, "unpleasant"), EmotionPoint("numb", 3, "neutral")),
                    {"fatigue": 3, "autopilot": 2},
                ),
                CheckinPoint(
                    date(2026, 6, 18),
                    5,
                    (
                        EmotionPoint("joyful", 4, "pleasant"),
                        EmotionPoint("anxious", 2, "unpleasant"),
                    ),
                    {},
                ),
                CheckinPoint(date(2026, 6, 18), 1, (), {}),
            ],
        )
        row = ClientDay.objects.get(client=client_a)
        assert row.date == date(2026, 6, 18)
        assert row.checkins == expected.checkins == 3
        assert row.felt_intensity == pytest.approx(expected.felt_intensity)
        assert row.felt_intensity_max == 5
        assert row.emotion_counts == {"anxious": 2, "joyful": 1, "numb": 1}
        assert row.distinct_emotions == 3
        assert row.positive_affect == pytest.approx(expected.positive_affect)
        assert row.negative_affect == pytest.approx(expected.negative_affect)
        assert row.symptom_score == pytest.approx(expected.symptom_score)
        assert row.empty_checkins == 1

    def test_days_are_local_dates(self, client_a):
        # 22:30 UTC on the 18th is 00:30 on the 19th in Berlin.
        make_checkin(client_a, occurred_at=at(18, 22) + timedelta(minutes=30))
        assert list(ClientDay.objects.values_list("date", flat=True)) == [date(2026, 6, 19)]

    def test_no_symptoms_answered_is_null_not_zero(self, client_a):
        make_checkin(client_a, occurred_at=at(18))
        assert ClientDay.objects.get().symptom_score is None

    def test_clients_are_kept_apart(self, client_a, client_b):
        make_checkin(client_a, occurred_at=at(18), felt_intensity=9)
        make_checkin(client_b, occurred_at=at(18), felt_intensity=1)
        assert ClientDay.objects.get(client=client_a).felt_intensity == 9
        assert ClientDay.objects.get(client=client_b).felt_intensity == 1


@pytest.mark.django_db
class TestEditsAndDeletes:
    def test_edit_recomputes(self, client_a):
        checkin = make_checkin(client_a, occurred_at=at(18), felt_intensity=2, emotions={"numb": 5})
        make_checkin(client_a, occurred_at=at(18, 12), felt_intensity=4)
        checkin_update(checkin=checkin, felt_intensity=8, emotions=[RatingInput("hopeful", 6)])
        row = ClientDay.objects.get()
        assert row.felt_intensity == 6
        assert row.emotion_counts == {"hopeful": 1}
        assert row.positive_affect == 3

    def test_moving_a_checkin_to_another_day_rebuilds_both(self, client_a):
        checkin = make_checkin(client_a, occurred_at=at(18), felt_intensity=2, emotions={"numb": 5})
        make_checkin(client_a, occurred_at=at(19), felt_intensity=6)
        checkin_update(checkin=checkin, occurred_at=at(19, 14))
        assert list(ClientDay.objects.values_list("date", "checkins")) == [(date(2026, 6, 19), 2)]
        assert CheckIn.objects.get(pk=checkin.pk).local_date == date(2026, 6, 19)

    def test_deleting_the_last_checkin_removes_the_day(self, client_a):
        first = make_checkin(client_a, occurred_at=at(18), felt_intensity=2)
        second = make_checkin(client_a, occurred_at=at(18, 12), felt_intensity=6)
        checkin_delete(checkin=first)
        assert ClientDay.objects.get().felt_intensity == 6
        checkin_delete(checkin=second)
        assert not ClientDay.objects.exists()

    def test_every_write_enqueues_a_refresh(self, client_a):
        checkin = make_checkin(client_a, occurred_at=at(18))
        checkin_update(checkin=checkin, felt_intensity=1)
        checkin_delete(checkin=checkin)
        assert (
            list(
                OutboxMessage.objects.filter(
                    task_name="therapists.tasks.refresh_client_trend"
                ).values_list("kwargs", flat=True)
            )
            == [{"client_id": client_a.pk, "since": checkin.local_date.isoformat()}] * 3
        )

    def test_aggregate_rolls_back_with_the_checkin(self, client_a):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_checkin(client_a, occurred_at=at(18))
            raise RuntimeError("the request failed after the write")
        assert not CheckIn.objects.exists()
        assert not ClientDay.objects.exists()
        assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
class TestTrailingWeek:
    def test_distinct_emotions_7d_counts_the_window_ending_that_day(self, client_a):
        make_checkin(client_a, occurred_at=at(10), emotions={"anxious": 5})
        make_checkin(client_a, occurred_at=at(12), emotions={"numb": 5, "anxious": 3})
        make_checkin(client_a, occurred_at=at(16), emotions={"hopeful": 5})
        make_checkin(client_a, occurred_at=at(18), emotions={})
        by_date = dict(ClientDay.objects.values_list("date", "distinct_emotions_7d"))
        # The 18th's window is the 12th..18th: anxious and numb (12th), hopeful (16th); the
        # 10th has fallen out, and the 18th itself named nothing.
        assert by_date == {
            date(2026, 6, 10): 1,
            date(2026, 6, 12): 2,
            date(2026, 6, 16): 3,
            date(2026, 6, 18): 3,
        }

    def test_a_late_checkin_updates_the_following_six_days(self, client_a):
        make_checkin(client_a, occurred_at=at(12), emotions={"anxious": 5})
        make_checkin(client_a, occurred_at=at(18), emotions={"anxious": 5})
        make_checkin(client_a, occurred_at=at(19), emotions={})
        assert ClientDay.objects.get(date=date(2026, 6, 18)).distinct_emotions_7d == 1
        # Added afterwards, dated the 13th: the 18th and 19th include it, the 20th would not exist.
        make_checkin(client_a, occurred_at=at(13), emotions={"content": 5})
        by_date = dict(ClientDay.objects.values_list("date", "distinct_emotions_7d"))
        assert by_date[date(2026, 6, 13)] == 2
        assert by_date[date(2026, 6, 18)] == 2
        assert by_date[date(2026, 6, 19)] == 2  # 13th..19th

    def test_deleting_shrinks_the_following_windows(self, client_a):
        early = make_checkin(client_a, occurred_at=at(14), emotions={"lonely": 5})
        make_checkin(client_a, occurred_at=at(17), emotions={"anxious": 5})
        assert ClientDay.objects.get(date=date(2026, 6, 17)).distinct_emotions_7d == 2
        checkin_delete(checkin=early)
        assert ClientDay.objects.get(date=date(2026, 6, 17)).distinct_emotions_7d == 1

    def test_write_costs_a_constant_number_of_queries(
        self, client_a, django_assert_max_num_queries
    ):
        for day in range(1, 20):
            make_checkin(client_a, occurred_at=at(day), emotions={"anxious": 5, "numb": 2})
        with django_assert_max_num_queries(20):
            make_checkin(
                client_a, occurred_at=at(19, 14), emotions={"hopeful": 3}, triggers=["poor_sleep"]
            )

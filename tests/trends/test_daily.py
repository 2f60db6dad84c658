"""journal.daily: the per-day summaries the engine reads."""

from datetime import date

import pytest

from journal.daily import CheckinPoint, Day, EmotionPoint, summarize, summarize_day

D1 = date(2026, 3, 1)
D2 = date(2026, 3, 2)


def checkin(day=D1, felt=5, emotions=(), symptoms=None):
    return CheckinPoint(day, felt, tuple(emotions), symptoms or {})


def test_day_means_and_peaks():
    day = summarize_day(
        D1,
        [
            checkin(
                felt=4,
                emotions=[
                    EmotionPoint("happy", 6, "pleasant"),
                    EmotionPoint("calm", 3, "pleasant"),
                    EmotionPoint("sad", 2, "unpleasant"),
                ],
            ),
            checkin(felt=7, emotions=[EmotionPoint("sad", 8, "unpleasant")]),
        ],
    )
    assert day.checkins == 2
    assert day.felt_intensity == 5.5
    assert day.felt_intensity_max == 7
    # per check-in peak of each valence (0 when none), then the mean over check-ins
    assert day.positive_affect == (6 + 0) / 2
    assert day.negative_affect == (2 + 8) / 2
    assert day.emotion_counts == (("calm", 1), ("happy", 1), ("sad", 2))
    assert day.empty_checkins == 0


def test_numbness_is_an_answer():
    day = summarize_day(
        D1, [checkin(felt=1), checkin(felt=2, emotions=[EmotionPoint("okay", 2, "neutral")])]
    )
    assert day.empty_checkins == 1
    assert day.empty_share == 0.5
    assert day.positive_affect == 0 and day.negative_affect == 0
    assert day.emotion_counts == (("okay", 1),)


def test_symptom_score_prorates_partial_answers_and_skips_unanswered():
    day = summarize_day(
        D1,
        [
            checkin(symptoms=dict.fromkeys(("disconnected", "lost_interest", "fatigue"), 3)),
            checkin(
                symptoms={
                    "fatigue": 1,
                    "autopilot": 1,
                    "misaligned": 0,
                    "disconnected": 0,
                    "lost_interest": 0,
                    "others_concerned": 1,
                }
            ),
            checkin(),  # answered nothing: does not count as zero
        ],
    )
    assert day.symptom_score == pytest.approx((18.0 + 3.0) / 2)


def test_no_symptoms_answered_is_none():
    assert summarize_day(D1, [checkin()]).symptom_score is None


def test_day_is_frozen_and_hashable():
    day = summarize_day(D1, [checkin(emotions=[EmotionPoint("happy", 5, "pleasant")])])
    assert hash(day) == hash(
        summarize_day(D1, [checkin(emotions=[EmotionPoint("happy", 5, "pleasant")])])
    )
    with pytest.raises(AttributeError):
        day.checkins = 3  # type: ignore[misc]


def test_summarize_groups_by_local_date_and_sorts():
    days = summarize([checkin(D2, felt=3), checkin(D1, felt=5), checkin(D2, felt=5)])
    assert [d.date for d in days] == [D1, D2]
    assert [d.checkins for d in days] == [1, 2]
    assert days[1].felt_intensity == 4


def test_summarize_never_invents_days():
    assert summarize([]) == []
    days = summarize([checkin(D1), checkin(date(2026, 3, 5))])
    assert [d.date for d in days] == [D1, date(2026, 3, 5)]
    assert all(isinstance(d, Day) and d.checkins >= 1 for d in days)


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [checkin(D2)],
        [checkin(felt=11)],
        [checkin(symptoms={"sleep": 1})],
        [checkin(symptoms={"fatigue": 4})],
        [checkin(emotions=[EmotionPoint("happy", 12, "pleasant")])],
        [checkin(emotions=[EmotionPoint("happy", 5, "joyful")])],
    ],
)
def test_rejects_impossible_input(bad):
    with pytest.raises(ValueError):
        summarize_day(D1, bad)

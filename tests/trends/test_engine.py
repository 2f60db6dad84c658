"""therapists.trends.assess: levels, onset, drivers, medication links, baselines."""

import random
import re
from datetime import date, timedelta

import pytest

from journal.daily import CheckinPoint, Day, EmotionPoint, summarize_day
from therapists.trends import MedicationEvent, ScreenResult, assess, level_rank

START = date(2026, 1, 1)
PLEASANT = ("happy", "content", "grateful", "hopeful", "proud", "calm", "excited", "loving")
UNPLEASANT = ("sad", "worried", "frustrated", "lonely", "irritated", "anxious", "hurt")
SAD = ("sad", "lonely", "hurt", "disappointed")
ANXIOUS = ("anxious", "worried", "afraid", "overwhelmed")
ALL_SYMPTOMS = (
    "disconnected",
    "lost_interest",
    "fatigue",
    "misaligned",
    "autopilot",
    "others_concerned",
)


def _emotions(rng, slugs, valence, k, centre):
    return [
        EmotionPoint(s, max(0, min(10, round(rng.gauss(centre, 1.5)))), valence)
        for s in rng.sample(slugs, k)
    ]


def normal_checkin(rng, day):
    emotions = _emotions(rng, PLEASANT, "pleasant", rng.randint(1, 2), 5.5)
    emotions += _emotions(rng, UNPLEASANT, "unpleasant", rng.randint(0, 2), 3.5)
    symptoms = {k: rng.choice((0, 0, 1)) for k in ALL_SYMPTOMS}
    return CheckinPoint(day, max(0, min(10, round(rng.gauss(6, 1)))), tuple(emotions), symptoms)


def blunted_checkin(rng, day):
    emotions = (
        () if rng.random() < 0.5 else (EmotionPoint(rng.choice(("tired", "okay")), 2, "neutral"),)
    )
    symptoms = {k: rng.choice((2, 2, 3)) for k in ALL_SYMPTOMS}
    return CheckinPoint(day, rng.choice((1, 2, 2, 3)), emotions, symptoms)


def sad_checkin(rng, day):
    emotions = _emotions(rng, SAD, "unpleasant", rng.randint(2, 3), 8)
    symptoms = {k: rng.choice((0, 1, 2)) for k in ALL_SYMPTOMS}
    return CheckinPoint(day, rng.choice((8, 9, 9, 10)), tuple(emotions), symptoms)


def anxious_checkin(rng, day):
    emotions = _emotions(rng, ANXIOUS, "unpleasant", rng.randint(2, 3), rng.choice((4, 8)))
    emotions += _emotions(rng, PLEASANT, "pleasant", rng.randint(0, 1), 3)
    symptoms = {k: rng.choice((0, 1, 1)) for k in ALL_SYMPTOMS}
    return CheckinPoint(day, rng.choice((7, 8, 9)), tuple(emotions), symptoms)


def build(kinds, seed=7, start=START, skip=()):
    """One Day per entry of `kinds` (a checkin factory), two check-ins a day."""
    rng = random.Random(seed)
    days = []
    for i, kind in enumerate(kinds):
        day = start + timedelta(days=i)
        points = [kind(rng, day) for _ in range(2)]
        if i not in skip:
            days.append(summarize_day(day, points))
    return days


def history(*parts):
    kinds = []
    for kind, n in parts:
        kinds += [kind] * n
    return kinds


def levels_by_day(days, **kw):
    """The level on each calendar day, by assessing as of that day (the online way)."""
    out = {}
    for d in days:
        out[d.date] = assess(days, today=d.date, **kw).level
    return out


def first_day(levels, rank):
    return min((d for d, lv in levels.items() if level_rank(lv) >= rank), default=None)


ONSET = START + timedelta(days=60)


@pytest.fixture(scope="module")
def blunting_days():
    return build(history((normal_checkin, 60), (blunted_checkin, 40)))


@pytest.fixture(scope="module")
def blunting_levels(blunting_days):
    return levels_by_day(blunting_days)


def test_stable_client_is_never_flagged():
    days = build(history((normal_checkin, 120)))
    result = assess(days, today=days[-1].date)
    assert result.level is None and result.onset is None and result.drivers == ()
    assert result.baseline == "personal"
    assert all(t.level is None for t in result.days)


def test_sustained_blunting_walks_up_the_levels(blunting_levels):
    watch = first_day(blunting_levels, 1)
    flagged = first_day(blunting_levels, 2)
    escalated = first_day(blunting_levels, 3)
    # watch is S >= watch_h: a clearly blunted day raises it at once (never before onset)
    assert watch is not None and 0 <= (watch - ONSET).days <= 9
    assert flagged is not None and (flagged - ONSET).days <= 14
    assert escalated is not None and 26 <= (escalated - ONSET).days <= 32
    assert first_day(blunting_levels, 1) > ONSET - timedelta(days=1)


def test_escalation_by_duration_suggests_phq9(blunting_days):
    result = assess(blunting_days, today=ONSET + timedelta(days=35))
    assert result.level == "escalated"
    assert result.escalation_reason == "duration"
    assert result.suggest_phq9 is True
    assert abs((result.onset - ONSET).days) <= 3
    assert result.raised_on is not None and result.raised_on >= result.onset


def test_recent_phq9_means_no_second_suggestion(blunting_days):
    today = ONSET + timedelta(days=35)
    result = assess(blunting_days, today=today, phq9=[ScreenResult(today, 7)])
    assert result.level == "escalated" and result.suggest_phq9 is False


def test_phq9_of_10_during_a_flag_escalates_at_once(blunting_days):
    taken = ONSET + timedelta(days=16)
    result = assess(blunting_days, today=taken, phq9=[ScreenResult(taken, 12)])
    assert result.level == "escalated"
    assert result.escalation_reason == "phq9"
    assert result.suggest_phq9 is False
    below = assess(blunting_days, today=taken, phq9=[ScreenResult(taken, 9)])
    assert below.level == "flagged"


def test_phq9_before_the_onset_does_not_escalate(blunting_days):
    result = assess(
        blunting_days,
        today=ONSET + timedelta(days=16),
        phq9=[ScreenResult(ONSET - timedelta(days=20), 15)],
    )
    assert result.level == "flagged"


@pytest.mark.parametrize("episode", [sad_checkin, anxious_checkin])
def test_intense_negative_episode_is_not_blunting(episode):
    days = build(history((normal_checkin, 60), (episode, 21), (normal_checkin, 20)))
    levels = levels_by_day(days)
    assert first_day(levels, 2) is None


def test_anxious_client_calming_down_is_not_blunting():
    days = build(history((anxious_checkin, 50), (normal_checkin, 60)))
    levels = levels_by_day(days)
    assert first_day(levels, 2) is None


@pytest.mark.parametrize("length", [3, 4])
def test_short_dip_never_reaches_flagged(length):
    days = build(history((normal_checkin, 60), (blunted_checkin, length), (normal_checkin, 30)))
    levels = levels_by_day(days)
    assert first_day(levels, 2) is None


def deepest_checkin(rng, day):
    """As blunted as a check-in can be: nothing felt, nothing named, every symptom at 3."""
    return CheckinPoint(day, 0, (), dict.fromkeys(ALL_SYMPTOMS, 3))


def mild_checkin(rng, day):
    """Somewhat less than usual: felt intensity a little low, one flat word."""
    symptoms = {k: rng.choice((1, 1, 2)) for k in ALL_SYMPTOMS}
    return CheckinPoint(day, rng.choice((4, 5)), (EmotionPoint("tired", 3, "neutral"),), symptoms)


@pytest.mark.parametrize("kind", [deepest_checkin, blunted_checkin, mild_checkin])
@pytest.mark.parametrize("length", [1, 2, 3, 4])
@pytest.mark.parametrize("every_other_day", [False, True])
def test_a_dip_of_any_depth_alone_is_never_flagged(kind, length, every_other_day):
    """The flag needs evidence on the change's fifth day or later, which a 1-4 day dip
    cannot supply, however deep (the CUSUM after it is large, but a dip alone never
    reaches `flagged`). Also when the client checks in only every other day around it."""
    skip = {i for i in range(120) if i % 2 and not 60 <= i < 60 + length} if every_other_day else ()
    days = build(history((normal_checkin, 60), (kind, length), (normal_checkin, 40)), skip=skip)
    # the level history of one pass is what assessing on each day gives (tested below)
    history_levels = assess(days, today=days[-1].date).days
    assert all(level_rank(t.level) < 2 for t in history_levels)
    assert any(t.level == "watch" for t in history_levels)  # the dip was seen


@pytest.mark.parametrize(
    "parts",
    [
        # two odd days a week before the dip: they must not add up with it
        ((blunted_checkin, 2), (normal_checkin, 5), (blunted_checkin, 4)),
        # one odd day after the dip, with ordinary days between
        ((blunted_checkin, 4), (normal_checkin, 3), (blunted_checkin, 1)),
        # odd days on both sides
        (
            (blunted_checkin, 1),
            (normal_checkin, 4),
            (blunted_checkin, 4),
            (normal_checkin, 2),
            (blunted_checkin, 1),
        ),
    ],
    ids=["odd-days-before", "odd-day-after", "both-sides"],
)
def test_short_dip_with_odd_days_around_it_never_reaches_flagged(parts):
    days = build(history((normal_checkin, 60), *parts, (normal_checkin, 30)))
    levels = levels_by_day(days)
    assert first_day(levels, 2) is None


def test_blunted_run_is_flagged_on_its_fifth_day_not_before(blunting_levels):
    """Blunted on every check-in day: flagged once the change has lasted five days
    (onset + 4, a day no 3-4 day dip reaches), never on the fourth."""
    flagged = first_day(blunting_levels, 2)
    assert flagged is not None and 4 <= (flagged - ONSET).days <= 6


def test_sparse_unbroken_run_is_flagged():
    """Every other day, each one blunted: three check-ins over six days are enough."""
    kinds = history((normal_checkin, 60), (blunted_checkin, 14))
    skip = {i for i in range(60, 74) if i % 2}
    days = build(kinds, skip=skip)
    flagged = first_day(levels_by_day(days), 2)
    # check-ins on onset +0, +2, +4, +6: the run spans five days on +6 (the previous
    # engine, with only the interrupted route, flagged this on +8)
    assert flagged is not None and (flagged - ONSET).days <= 6


def test_flag_resolves_when_back_to_baseline():
    days = build(history((normal_checkin, 60), (blunted_checkin, 20), (normal_checkin, 30)))
    levels = levels_by_day(days)
    assert first_day(levels, 2) is not None
    assert levels[days[-1].date] is None
    result = assess(days, today=days[-1].date)
    assert result.drivers == () and result.related_medication_events == ()


def test_baseline_is_frozen_so_long_blunting_keeps_escalating():
    days = build(history((normal_checkin, 50), (blunted_checkin, 90)))
    result = assess(days, today=days[-1].date)
    assert result.level == "escalated"
    assert abs((result.onset - (START + timedelta(days=50))).days) <= 3


def test_population_defaults_while_history_is_short():
    numb = build(history((blunted_checkin, 12)))
    result = assess(numb, today=numb[-1].date)
    assert result.baseline == "population"
    assert level_rank(result.level) >= 1
    assert any("typical values" in d for d in result.drivers)
    well = build(history((normal_checkin, 12)))
    assert assess(well, today=well[-1].date).level is None


def test_related_medication_events_window_includes_onset_day(blunting_days):
    today = ONSET + timedelta(days=20)
    onset = assess(blunting_days, today=today).onset
    assert onset is not None

    def event(i, offset):
        return MedicationEvent(
            str(i),
            "sertraline",
            "increase",
            "100 mg",
            onset + timedelta(days=offset),
            note="private",
        )

    events = [event(1, -29), event(2, -28), event(3, -5), event(4, 0), event(5, 1)]
    result = assess(blunting_days, events, today=today)
    assert [e.id for e in result.related_medication_events] == ["2", "3", "4"]


def test_missing_days_are_missing_not_zeros():
    every_other = build(history((normal_checkin, 120)), skip=set(range(1, 120, 2)))
    result = assess(every_other, today=every_other[-1].date)
    assert result.level is None
    by_date = {t.date: t for t in result.days}
    missing = START + timedelta(days=1)
    assert by_date[missing].checkins == 0
    assert by_date[missing].index is None and by_date[missing].felt_intensity is None
    assert len(result.index) == 119  # every calendar day from the first check-in to today


def test_long_gap_then_return_is_not_blunting():
    days = build(history((normal_checkin, 120)), skip=set(range(50, 75)))
    levels = levels_by_day(days)
    assert first_day(levels, 2) is None


def test_a_zero_checkin_day_or_a_duplicate_is_rejected():
    days = build(history((normal_checkin, 5)))
    zero = Day(START + timedelta(days=9), 0, 0.0, 0, (), 0.0, 0.0, None, 0)
    with pytest.raises(ValueError):
        assess([*days, zero], today=zero.date)
    with pytest.raises(ValueError):
        assess([*days, days[0]], today=days[-1].date)


def test_drivers_name_measures_with_before_and_after(blunting_days):
    result = assess(blunting_days, today=ONSET + timedelta(days=21))
    text = " | ".join(result.drivers)
    felt = re.search(r"Felt intensity (\d+\.\d) → (\d+\.\d)", text)
    assert felt and float(felt[1]) > float(felt[2])
    distinct = re.search(r"Distinct feelings per week fell from (\d+) to (\d+)", text)
    assert distinct and int(distinct[1]) > int(distinct[2])
    symptoms = re.search(r"Numbness symptoms rose from (\d+\.\d) to (\d+\.\d) \(of 18\)", text)
    assert symptoms and float(symptoms[1]) < float(symptoms[2])
    assert re.search(r"\d+%\) named no feeling, up from \d+%|\d+% of check-ins named", text)
    assert "private" not in text


def test_days_after_today_are_ignored(blunting_days):
    today = ONSET - timedelta(days=5)
    before = [d for d in blunting_days if d.date <= today]
    assert assess(blunting_days, today=today) == assess(before, today=today)


def test_result_does_not_depend_on_input_order(blunting_days):
    shuffled = list(blunting_days)
    random.Random(3).shuffle(shuffled)
    today = ONSET + timedelta(days=20)
    assert assess(shuffled, today=today) == assess(blunting_days, today=today)


def test_level_history_matches_day_by_day_assessment(blunting_days, blunting_levels):
    """One call's per-day history equals what assessing on each day would have said."""
    history_levels = {
        t.date: t.level for t in assess(blunting_days, today=blunting_days[-1].date).days
    }
    for day, level in blunting_levels.items():
        assert history_levels[day] == level


def test_index_is_positive_when_blunted_and_charts_have_measures(blunting_days):
    result = assess(blunting_days, today=ONSET + timedelta(days=20))
    before = [v for d, v in result.index if d < ONSET and v is not None]
    after = [v for d, v in result.index if d >= ONSET + timedelta(days=7) and v is not None]
    assert max(before) < min(after)
    trend = result.days[-1]
    assert trend.distinct_emotions_7d is not None and trend.emotional_range is not None
    assert trend.symptom_score is not None and trend.level == result.level


def test_empty_input():
    result = assess([], today=START)
    assert result.level is None and result.index == () and result.days == ()


def test_sparse_client_with_three_spread_blunted_days_is_flagged():
    """Three clearly blunted check-in days over ten days count for a client who checks
    in on fewer than half the days (the flag's day count scales with check-in density)."""
    kinds = history((normal_checkin, 60), (blunted_checkin, 14))
    skip = {i for i in range(60) if i % 2} | (set(range(60, 74)) - {62, 66, 70})
    days = build(kinds, skip=skip)
    levels = levels_by_day(days)
    flagged = first_day(levels, 2)
    assert flagged is not None and (flagged - ONSET).days <= 14


def test_onset_estimate_skips_a_noisy_day_before_the_change():
    """One blunted-looking day a few days early starts the CUSUM run, but the reported onset
    (and so the medication window) is the change point, not that day."""
    kinds = history((normal_checkin, 56), (blunted_checkin, 1), (normal_checkin, 3))
    kinds += [blunted_checkin] * 20
    days = build(kinds)
    result = assess(days, today=ONSET + timedelta(days=14))
    assert level_rank(result.level) >= 2
    assert abs((result.onset - ONSET).days) <= 2


def test_incremental_baseline_matches_statistics_median():
    import statistics

    from therapists.trends.baseline import MAD_TO_SD, BaselineStore, robust_norm
    from therapists.trends.measures import measure_day
    from therapists.trends.params import DEFAULT_PARAMS

    days = build(history((normal_checkin, 120)), skip={5, 6, 30, 31, 32, 77})
    measures = [measure_day(days[max(0, i - 13) : i + 1], DEFAULT_PARAMS) for i in range(len(days))]
    store = BaselineStore(DEFAULT_PARAMS)
    for i, m in enumerate(measures):
        store.add(m)
        if i < 20 or i % 3:
            continue
        last = m.date
        pool = [m for m in measures if last - timedelta(days=180) <= m.date <= last][-42:]
        built = store.get(last)
        for name in ("felt_intensity", "symptom_score", "distinct_emotions_7d"):
            values = [v for v in (m.value(name) for m in pool) if v is not None]
            expected = robust_norm(values, DEFAULT_PARAMS.scale_floor[name])
            assert built.norms[name] == expected
            assert expected.median == statistics.median(values)
        # a store rebuilt from its entries (a loaded state) gives the very same numbers
        assert BaselineStore(DEFAULT_PARAMS, store.entries).get(last) == built
        store.prune(last)
    assert MAD_TO_SD > 1


def test_a_client_who_always_names_one_word_is_not_flagged_from_day_one():
    """Against population defaults vocabulary habits do not count (one word is a habit)."""

    def one_word(rng, day):
        felt = max(0, min(10, round(rng.gauss(5.5, 1))))
        return CheckinPoint(day, felt, (EmotionPoint("content", 5, "pleasant"),), {})

    days = build([one_word] * 60)
    levels = levels_by_day(days)
    assert first_day(levels, 2) is None

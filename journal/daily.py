"""Per-day summaries of check-ins: the only input the blunting engine reads.

Pure Python on purpose (no Django import): the same summarizer feeds the per-client
per-day aggregate table online and `manage.py analyze_checkins` offline, so both see
identical numbers.

A `Day` exists only for a date with at least one check-in. Days without check-ins are
*absent*, never a row of zeros: missing data is not evidence of feeling nothing, and a
client who checks in less often is not, for that reason alone, blunted.

`Day.emotion_counts` is a tuple of `(slug, times named)` pairs sorted by slug, so a `Day`
is frozen, hashable and trivially stored in / rebuilt from a database row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

SYMPTOM_KEYS: tuple[str, ...] = (
    "disconnected",
    "lost_interest",
    "fatigue",
    "misaligned",
    "autopilot",
    "others_concerned",
)
SYMPTOM_ITEM_MAX = 3
SYMPTOM_SCORE_MAX = SYMPTOM_ITEM_MAX * len(SYMPTOM_KEYS)  # 18
VALENCES = ("pleasant", "unpleasant", "neutral")


@dataclass(frozen=True)
class EmotionPoint:
    """One named feeling in a check-in."""

    slug: str  # specific emotion slug
    intensity: int  # 0-10
    valence: str  # "pleasant" | "unpleasant" | "neutral"


@dataclass(frozen=True)
class CheckinPoint:
    """One check-in, reduced to what the engine needs (no notes, no triggers)."""

    local_date: date  # date in the client's local timezone
    felt_intensity: int  # 0-10
    emotions: tuple[EmotionPoint, ...]  # may be empty: numbness is an answer
    symptoms: Mapping[str, int]  # subset of SYMPTOM_KEYS, 0-3 each


@dataclass(frozen=True)
class Day:
    """Aggregate of one local date's check-ins (at least one)."""

    date: date
    checkins: int
    felt_intensity: float  # mean over the day's check-ins
    felt_intensity_max: int
    emotion_counts: tuple[tuple[str, int], ...]  # (slug, times named), sorted by slug
    positive_affect: float  # mean of per-check-in max pleasant intensity (0 if none)
    negative_affect: float  # same for unpleasant
    symptom_score: float | None  # 0-18, scaled for unanswered items; None if none answered
    empty_checkins: int  # check-ins that named no emotion

    @property
    def empty_share(self) -> float:
        """Share of the day's check-ins that named no feeling."""
        return self.empty_checkins / self.checkins


def _validate(checkin: CheckinPoint) -> None:
    """Reject values the API would never accept; silent clamping would hide bad exports."""
    if not 0 <= checkin.felt_intensity <= 10:
        raise ValueError(f"felt_intensity out of range: {checkin.felt_intensity}")
    for emotion in checkin.emotions:
        if not 0 <= emotion.intensity <= 10:
            raise ValueError(f"emotion intensity out of range: {emotion.intensity}")
        if emotion.valence not in VALENCES:
            raise ValueError(f"unknown valence: {emotion.valence!r}")
    for key, value in checkin.symptoms.items():
        if key not in SYMPTOM_KEYS:
            raise ValueError(f"unknown symptom item: {key!r}")
        if not 0 <= value <= SYMPTOM_ITEM_MAX:
            raise ValueError(f"symptom {key!r} out of range: {value}")


def _peak(checkin: CheckinPoint, valence: str) -> int:
    """Strongest feeling of one valence in a check-in; 0 when none was named."""
    return max((e.intensity for e in checkin.emotions if e.valence == valence), default=0)


def _symptom_score(symptoms: Mapping[str, int]) -> float | None:
    """Sum of answered items rescaled to 0-18, so partial answers stay comparable.

    Prorating (sum * 6 / answered) is the usual way to handle skipped items on a short
    scale; a check-in that skipped every item contributes nothing rather than a zero.
    """
    if not symptoms:
        return None
    return sum(symptoms.values()) * len(SYMPTOM_KEYS) / len(symptoms)


def summarize_day(day: date, checkins: Sequence[CheckinPoint]) -> Day:
    """Summarize the check-ins of one local date.

    Raises ValueError for an empty list (a day without check-ins does not exist), for a
    check-in from another date, and for out-of-range values.
    """
    if not checkins:
        raise ValueError(f"{day}: a day needs at least one check-in")
    for checkin in checkins:
        if checkin.local_date != day:
            raise ValueError(f"check-in dated {checkin.local_date} summarized as {day}")
        _validate(checkin)

    n = len(checkins)
    counts = Counter(e.slug for c in checkins for e in c.emotions)
    scores = [s for s in (_symptom_score(c.symptoms) for c in checkins) if s is not None]
    return Day(
        date=day,
        checkins=n,
        felt_intensity=sum(c.felt_intensity for c in checkins) / n,
        felt_intensity_max=max(c.felt_intensity for c in checkins),
        emotion_counts=tuple(sorted(counts.items())),
        positive_affect=sum(_peak(c, "pleasant") for c in checkins) / n,
        negative_affect=sum(_peak(c, "unpleasant") for c in checkins) / n,
        symptom_score=sum(scores) / len(scores) if scores else None,
        empty_checkins=sum(1 for c in checkins if not c.emotions),
    )


def summarize(checkins: Iterable[CheckinPoint]) -> list[Day]:
    """Group check-ins by local date and summarize each day, oldest first."""
    by_date: dict[date, list[CheckinPoint]] = defaultdict(list)
    for checkin in checkins:
        by_date[checkin.local_date].append(checkin)
    return [summarize_day(d, by_date[d]) for d in sorted(by_date)]

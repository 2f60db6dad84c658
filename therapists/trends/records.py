"""Input and output records of the blunting engine (frozen, plain Python types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LEVELS: tuple[str, ...] = ("watch", "flagged", "escalated")


def level_rank(level: str | None) -> int:
    """0 for no flag, then 1, 2, 3 for watch, flagged, escalated."""
    return 0 if level is None else LEVELS.index(level) + 1


@dataclass(frozen=True)
class MedicationEvent:
    """A client-reported medication change (the note never reaches driver text)."""

    id: str
    medication: str
    kind: str  # start | increase | decrease | stop | side_effect
    dose: str | None
    occurred_on: date
    note: str | None = None


@dataclass(frozen=True)
class ScreenResult:
    """A PHQ-9 total score (0-27) and the day it was taken."""

    taken_on: date
    score: int


@dataclass(frozen=True)
class DayTrend:
    """One calendar day of the analysed span, for charts and flag history.

    Measures are None on days without check-ins (missing, never zero); `checkins` is 0
    there. `level` is the flag level in force at the end of that day.
    """

    date: date
    checkins: int
    felt_intensity: float | None
    distinct_emotions_7d: int | None  # raw distinct feelings named in the trailing 7 days
    emotional_range: float | None  # distinct feelings, rarefied to a fixed number of mentions
    emodiversity: float | None  # Shannon entropy (nats) of feelings named, trailing 7 days
    positive_affect_sd: float | None  # SD of daily positive affect, trailing 14 days
    negative_affect_sd: float | None
    positive_affect_mssd: float | None  # mean squared successive difference, 14 days
    negative_affect_mssd: float | None
    symptom_score: float | None  # 0-18
    empty_share: float | None  # share of check-ins naming no feeling
    index: float | None  # blunting index (robust z units; > 0 = more blunted)
    level: str | None


@dataclass(frozen=True)
class Assessment:
    """The engine's answer for one client on one day.

    `related_medication_events` are the events dated onset-28 <= d <= onset: the onset
    day itself counts (a change taken that morning can precede an evening check-in).
    `suggest_phq9` is True when the flag escalated because of its duration and no PHQ-9
    was taken in the last 14 days. `escalation_reason` is "duration" or "phq9".
    `raised_on` is the first day the current episode reached `watch`; `baseline` says
    whether the comparison used the client's own weeks ("personal") or population
    defaults ("population"). `days` has one `DayTrend` per calendar day of `index`.
    """

    level: str | None
    onset: date | None
    drivers: tuple[str, ...]
    related_medication_events: tuple[MedicationEvent, ...]
    suggest_phq9: bool
    index: tuple[tuple[date, float | None], ...]
    raised_on: date | None = None
    escalation_reason: str | None = None
    baseline: str = "population"
    days: tuple[DayTrend, ...] = ()

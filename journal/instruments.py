"""PHQ-9 and GAD-7: item wording, response options, scoring, severity. Pure Python.

Both questionnaires are in the public domain (Spitzer, Williams, Kroenke and colleagues,
with an educational grant from Pfizer). The item wording below is the standard English
wording and must not be paraphrased: scores are only comparable with the exact text.
PHQ-9's unscored difficulty question is not asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PHQ9 = "phq9"
GAD7 = "gad7"

RESPONSE_OPTIONS: tuple[tuple[int, str], ...] = (
    (0, _("Not at all")),
    (1, _("Several days")),
    (2, _("More than half the days")),
    (3, _("Nearly every day")),
)

MINIMAL = "minimal"
MILD = "mild"
MODERATE = "moderate"
MODERATELY_SEVERE = "moderately_severe"
SEVERE = "severe"

SEVERITY_LABELS = {
    MINIMAL: _("Minimal"),
    MILD: _("Mild"),
    MODERATE: _("Moderate"),
    MODERATELY_SEVERE: _("Moderately severe"),
    SEVERE: _("Severe"),
}

# How a result is put to the client: plain, kind, never alarming; not a diagnosis.
SEVERITY_GENTLE = {
    MINIMAL: _("Your answers suggest few symptoms right now."),
    MILD: _("Your answers suggest some mild symptoms. It may help to talk them through."),
    MODERATE: _(
        "Your answers suggest a moderate level of symptoms. Your therapist will see this, "
        "and it is worth talking about together."
    ),
    MODERATELY_SEVERE: _(
        "Your answers suggest you are carrying quite a lot right now. Your therapist will see "
        "this, and you deserve support with it."
    ),
    SEVERE: _(
        "Your answers suggest things are very hard at the moment. Your therapist will see "
        "this. Please reach out for support, and you don't have to wait for your next session."
    ),
}


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    severity: str


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    name: str
    stem: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]

    @property
    def max_score(self) -> int:
        return 3 * len(self.items)


INSTRUMENTS: dict[str, InstrumentSpec] = {
    PHQ9: InstrumentSpec(
        code=PHQ9,
        name="PHQ-9",
        stem=_(
            "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
        ),
        items=(
            _("Little interest or pleasure in doing things"),
            _("Feeling down, depressed, or hopeless"),
            _("Trouble falling or staying asleep, or sleeping too much"),
            _("Feeling tired or having little energy"),
            _("Poor appetite or overeating"),
            _(
                "Feeling bad about yourself — or that you are a failure or have let yourself or your family down"
            ),
            _(
                "Trouble concentrating on things, such as reading the newspaper or watching television"
            ),
            _(
                "Moving or speaking so slowly that other people could have noticed? Or the "
                "opposite — being so fidgety or restless that you have been moving around a lot "
                "more than usual"
            ),
            _("Thoughts that you would be better off dead or of hurting yourself in some way"),
        ),
        bands=(
            Band(0, 4, MINIMAL),
            Band(5, 9, MILD),
            Band(10, 14, MODERATE),
            Band(15, 19, MODERATELY_SEVERE),
            Band(20, 27, SEVERE),
        ),
    ),
    GAD7: InstrumentSpec(
        code=GAD7,
        name="GAD-7",
        stem=_(
            "Over the last 2 weeks, how often have you been bothered by the following problems?"
        ),
        items=(
            _("Feeling nervous, anxious, or on edge"),
            _("Not being able to stop or control worrying"),
            _("Worrying too much about different things"),
            _("Trouble relaxing"),
            _("Being so restless that it is hard to sit still"),
            _("Becoming easily annoyed or irritable"),
            _("Feeling afraid as if something awful might happen"),
        ),
        bands=(Band(0, 4, MINIMAL), Band(5, 9, MILD), Band(10, 14, MODERATE), Band(15, 21, SEVERE)),
    ),
}

# PHQ-9 item 9 (thoughts of being better off dead or of self-harm), zero-based.
PHQ9_SAFETY_ITEM = 8
SEVERITY_ORDER = (MINIMAL, MILD, MODERATE, MODERATELY_SEVERE, SEVERE)
PHQ9_WORSENING_RISE = 5


class AnswersError(ValueError):
    """Answers that cannot be scored; ``field`` names what is wrong, for a 400."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Result:
    score: int
    severity: str
    safety_flag: bool


def spec(instrument: str) -> InstrumentSpec:
    try:
        return INSTRUMENTS[instrument]
    except KeyError:
        raise AnswersError(
            "instrument",
            str(
                _("“%(value)s” is not a questionnaire here. Use “phq9” or “gad7”.")
                % {"value": instrument}
            ),
        ) from None


def validate_answers(instrument: str, answers: Sequence[object]) -> list[int]:
    """Exactly one answer per item, each an integer 0-3 (booleans are not integers here)."""
    items = spec(instrument).items
    if not isinstance(answers, list | tuple):
        raise AnswersError("answers", str(_("Send the answers as a list of numbers from 0 to 3.")))
    if len(answers) != len(items):
        raise AnswersError(
            "answers",
            str(
                _("%(name)s has %(expected)d questions; %(given)d answers were sent.")
                % {"name": spec(instrument).name, "expected": len(items), "given": len(answers)}
            ),
        )
    for position, value in enumerate(answers, start=1):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
            raise AnswersError(
                "answers",
                str(
                    _("Answer %(position)d must be a whole number from 0 to 3.")
                    % {"position": position}
                ),
            )
    return [int(v) for v in answers]


def severity_for(instrument: str, score: int) -> str:
    for band in spec(instrument).bands:
        if band.low <= score <= band.high:
            return band.severity
    raise AnswersError("answers", str(_("The score is outside the questionnaire's range.")))


def score(instrument: str, answers: Sequence[object]) -> Result:
    """The standard scoring: the sum of the item answers, banded by the published cut-offs."""
    values = validate_answers(instrument, answers)
    total = sum(values)
    return Result(
        score=total,
        severity=severity_for(instrument, total),
        safety_flag=instrument == PHQ9 and values[PHQ9_SAFETY_ITEM] > 0,
    )


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity)


def is_worsening(instrument: str, new_score: int, previous_score: int | None) -> bool:
    """Whether a new score counts as worsening against the client's previous one.

    Worsening is either a rise of 5 points or more on PHQ-9 (the usual threshold for a
    clinically meaningful change), or crossing from below "moderate" into moderate or
    above on either instrument. With no previous score nothing is compared, so nothing is
    worsening (a high first score is visible by its severity instead).
    """
    if previous_score is None:
        return False
    if instrument == PHQ9 and new_score - previous_score >= PHQ9_WORSENING_RISE:
        return True
    moderate = severity_rank(MODERATE)
    before = severity_rank(severity_for(instrument, previous_score))
    after = severity_rank(severity_for(instrument, new_score))
    return before < moderate <= after


def describe(instrument: str) -> dict:
    """The questionnaire as data, for the API and the portal form."""
    s = spec(instrument)
    return {
        "instrument": s.code,
        "name": s.name,
        "stem": str(s.stem),
        "items": [str(item) for item in s.items],
        "options": [{"value": v, "label": str(label)} for v, label in RESPONSE_OPTIONS],
        "max_score": s.max_score,
        "bands": [
            {
                "min": b.low,
                "max": b.high,
                "severity": b.severity,
                "label": str(SEVERITY_LABELS[b.severity]),
            }
            for b in s.bands
        ],
    }


# --- Measurement-based care: how scores move over time (docs/MEASURES.md) -----------------

# The smallest change of a total score that is larger than measurement error: PHQ-9
# 5 points (Löwe et al. 2004), GAD-7 4 points (Toussaint et al. 2020).
RELIABLE_CHANGE = {PHQ9: 5, GAD7: 4}
# Remission: a score below 5, the top of the "minimal" band on both questionnaires
# (Kroenke et al. 2001; Spitzer et al. 2006).
REMISSION_BELOW = {PHQ9: 5, GAD7: 5}
# Response: at least a 50 % fall from the first score (the usual definition in trials and
# measurement-based care, e.g. McMillan et al. 2010 for the PHQ-9).
RESPONSE_FRACTION = 0.5


@dataclass(frozen=True)
class Course:
    """Where a client's scores on one questionnaire stand: the last one against the one
    before (``change``) and against the first (reliable change, response, remission)."""

    instrument: str
    first: int
    latest: int
    change: int | None  # latest minus the previous result; None with one result
    since_first: int
    reliable: str | None  # "improved", "worsened", or None (within measurement error)
    response: bool
    remission: bool
    results: int


def course(instrument: str, scores: Sequence[int]) -> Course | None:
    """The course of ``scores`` (oldest first) on one questionnaire; None without any."""
    if not scores:
        return None
    first, latest = scores[0], scores[-1]
    since_first = latest - first
    threshold = RELIABLE_CHANGE[instrument]
    reliable = None
    if len(scores) > 1 and abs(since_first) >= threshold:
        reliable = "improved" if since_first < 0 else "worsened"
    return Course(
        instrument=instrument,
        first=first,
        latest=latest,
        change=latest - scores[-2] if len(scores) > 1 else None,
        since_first=since_first,
        reliable=reliable,
        response=len(scores) > 1 and first > 0 and latest <= first * (1 - RESPONSE_FRACTION),
        remission=len(scores) > 1
        and first >= REMISSION_BELOW[instrument]
        and latest < REMISSION_BELOW[instrument],
        results=len(scores),
    )

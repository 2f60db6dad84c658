"""Journal models, one module per area; imported here so Django finds them."""

from .assessments import Assessment, AssessmentSchedule, Instrument, SafetySignal, SafetySource
from .checkins import SYMPTOM_FIELDS, CheckIn, ClientDay, EmotionRating
from .homework import (
    Frequency,
    HomeworkAssignment,
    HomeworkCategory,
    HomeworkLog,
    HomeworkStatus,
    HomeworkTemplate,
)
from .medications import MedicationEvent, MedicationEventKind, SideEffect
from .vocabulary import Emotion, Trigger, Valence

__all__ = [
    "SYMPTOM_FIELDS",
    "Assessment",
    "AssessmentSchedule",
    "CheckIn",
    "ClientDay",
    "Emotion",
    "EmotionRating",
    "Frequency",
    "HomeworkAssignment",
    "HomeworkCategory",
    "HomeworkLog",
    "HomeworkStatus",
    "HomeworkTemplate",
    "Instrument",
    "MedicationEvent",
    "MedicationEventKind",
    "SafetySignal",
    "SafetySource",
    "SideEffect",
    "Trigger",
    "Valence",
]

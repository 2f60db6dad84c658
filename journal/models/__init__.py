"""Journal models, one module per entity; imported here so Django finds them."""

from .assessments import Assessment, AssessmentSchedule, Instrument
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
from .safety import SafetySignal, SafetySource
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

"""Therapist-side models, one module per entity; imported here so Django finds them."""

from .flags import Flag, FlagKind, FlagLevel, FlagNote, FlagQuerySet, FlagStatus
from .notes import MedicationNote
from .sessions import TherapySession
from .trends import TrendCheckpoint, TrendState

__all__ = [
    "Flag",
    "FlagKind",
    "FlagLevel",
    "FlagNote",
    "FlagQuerySet",
    "FlagStatus",
    "MedicationNote",
    "TherapySession",
    "TrendCheckpoint",
    "TrendState",
]

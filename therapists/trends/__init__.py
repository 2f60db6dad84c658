"""The blunting trend engine: pure Python, no Django (see docs/BLUNTING.md).

Call `assess(days, medication_events, today=..., phq9=...)` with `journal.daily.Day`
summaries; it returns an `Assessment`.
"""

from .engine import assess
from .params import DEFAULT_PARAMS, Params
from .records import (
    LEVELS,
    Assessment,
    DayTrend,
    MedicationEvent,
    ScreenResult,
    level_rank,
)

__all__ = [
    "DEFAULT_PARAMS",
    "LEVELS",
    "Assessment",
    "DayTrend",
    "MedicationEvent",
    "Params",
    "ScreenResult",
    "assess",
    "level_rank",
]

"""The blunting trend engine: pure Python, no Django (see docs/BLUNTING.md).

Call `assess(days, medication_events, today=..., phq9=...)` with `journal.daily.Day`
summaries; it returns an `Assessment`. To keep a client's state between runs:
`state, assessment = advance(state, new_days, medication_events, today=..., phq9=...)`
with `EngineState()` to start, `state.to_dict()` / `EngineState.from_dict(data)` to save
and load, and a full recompute when it raises `LateData`.
"""

from .engine import STATE_VERSION, EngineState, LateData, advance, assess
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
    "STATE_VERSION",
    "Assessment",
    "DayTrend",
    "EngineState",
    "LateData",
    "MedicationEvent",
    "Params",
    "ScreenResult",
    "advance",
    "assess",
    "level_rank",
]

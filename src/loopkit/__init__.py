"""loopkit: interview loops as TOML, turned into packets, scorecards and debriefs.

The names below are imported on first use, so that ``loopkit --help`` and
``loopkit --version`` start without loading pydantic and the models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from loopkit._version import __version__

if TYPE_CHECKING:
    from loopkit._documents import LoopDocument
    from loopkit._errors import Finding, LoopkitError, Severity, ValidationFailed
    from loopkit._load import find_loop, load_loop, validate_paths
    from loopkit._models import Competency, Interview, Loop, Panel, Person, ScorecardTemplate
    from loopkit._schedule import Schedule, Slot, expand_schedule, plan_loop

_HOMES = {
    "loopkit._errors": ("Finding", "LoopkitError", "Severity", "ValidationFailed"),
    "loopkit._documents": ("LoopDocument",),
    "loopkit._load": ("find_loop", "load_loop", "validate_paths"),
    "loopkit._models": ("Competency", "Interview", "Loop", "Panel", "Person", "ScorecardTemplate"),
    "loopkit._schedule": ("Schedule", "Slot", "expand_schedule", "plan_loop"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "Competency",
    "Finding",
    "Interview",
    "Loop",
    "LoopDocument",
    "LoopkitError",
    "Panel",
    "Person",
    "Schedule",
    "ScorecardTemplate",
    "Severity",
    "Slot",
    "ValidationFailed",
    "__version__",
    "expand_schedule",
    "find_loop",
    "load_loop",
    "plan_loop",
    "validate_paths",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'loopkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

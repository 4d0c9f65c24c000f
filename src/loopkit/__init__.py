"""loopkit: interview loops as TOML, turned into packets, scorecards and debriefs."""

from loopkit._errors import Finding, LoopkitError, Severity, ValidationFailed
from loopkit._load import LoopDocument, find_loop, load_loop, validate_paths
from loopkit._models import Competency, Interview, Loop, Panel, Person, ScorecardTemplate
from loopkit._schedule import Schedule, Slot, expand_schedule, plan_loop
from loopkit._version import __version__

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

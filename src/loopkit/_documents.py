"""Documents: a checked model together with the file it came from.

They sit beside the models, below both the loader that makes them and the
design rules that judge them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from loopkit._errors import Finding
from loopkit._models import Loop, ScorecardTemplate
from loopkit._source import Source

if TYPE_CHECKING:  # checking a loop never loads the filled-scorecard model
    from loopkit._records import FilledScorecard


@dataclass(frozen=True)
class ScorecardDocument:
    """A scorecard template and the file it came from."""

    template: ScorecardTemplate
    path: Path
    source: Source


@dataclass(frozen=True)
class LoopDocument:
    """A loop, the file it came from, and every scorecard it references."""

    loop: Loop
    path: Path
    source: Source
    scorecards: dict[str, ScorecardDocument]
    warnings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class FilledDocument:
    """A filled scorecard and the file it came from."""

    card: FilledScorecard
    file: str
    source: Source

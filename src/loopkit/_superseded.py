"""The debriefs a packet's revisions moved to ``superseded/r<N>/``, and what they decided.

A revision moves the debrief it makes out of date there: ``debrief`` says
where the decision it recorded went, and ``status`` and ``report`` show it
beside why the packet's debrief is stale.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from loopkit._errors import ValidationFailed
from loopkit._scale import DECISIONS
from loopkit._source import loads, read_file

_REVISION_FOLDER = re.compile(r"r([0-9]{1,9})")  # ASCII digits: "r²" is no revision's folder


def superseded_debriefs(packet_dir: Path) -> list[tuple[int, Path]]:
    """Each debrief moved to ``superseded/r<N>/``, with N, the latest last (one in a folder
    named otherwise, by hand, first, as -1)."""
    if not (packet_dir / "superseded").is_dir():
        return []
    found = []
    for file in packet_dir.glob("superseded/r*/debrief.toml"):
        number = _REVISION_FOLDER.fullmatch(file.parent.name)
        found.append((int(number[1]) if number else -1, file))
    return sorted(found)


class Decided(NamedTuple):
    """A decision a debrief recorded: the revision it scored, the decision, and why."""

    revision: int
    decision: str
    reason: str


def superseded_decision(packet_dir: Path) -> Decided | None:
    """The latest decision a debrief of an earlier revision recorded, with that revision and
    the reason given.

    Its decision is not carried over to the next revision's debrief (the
    cards it weighed may have changed). One that is no file, or cannot be
    read, is passed over: it is history, and no reason to refuse the packet.
    """
    found: list[Decided] = []
    for _, path in superseded_debriefs(packet_dir):
        try:
            data = loads(read_file(path, path.name).decode("utf-8"))
        except (ValidationFailed, ValueError, RecursionError):  # a folder, not TOML, ...
            continue
        revision, decision, reason = data.get("revision"), data.get("decision"), data.get("reason")
        if type(revision) is int and decision in DECISIONS:
            found.append(Decided(revision, decision, reason if isinstance(reason, str) else ""))
    return max(found, default=None)

"""Where a folder of packets stands: scorecards handed in, scorecards owed, debriefs current.

A coordinator runs a week of loops into one output folder; ``folder_status``
reads every packet folder in it and says, for each, how many scorecards are
in, who still owes one and whether its debrief is current. A folder that is
not a packet, or whose files cannot be read, is skipped with the reason,
never a crash.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from loopkit._debrief import check_cards
from loopkit._errors import LoopkitError, ValidationFailed
from loopkit._models import Person
from loopkit._readback import LOCK_FILE, read_filled, read_lock
from loopkit._records import Lock
from loopkit._source import display_path

DebriefState = Literal["none", "current", "stale"]


@dataclass(frozen=True)
class Owed:
    """A scorecard not yet handed in for an interview that has ended."""

    folder: str  # the packet folder's name
    candidate: str
    interviewer: str  # "Name <email>", or "" for a seat nobody was assigned to
    interview: str
    title: str
    ended: datetime

    @property
    def person(self) -> Person | None:
        """Who owes it; None for an unassigned seat."""
        return Person.parse(self.interviewer) if self.interviewer else None

    def hours(self, now: datetime) -> int:
        """Whole hours since the interview ended."""
        return int((now - self.ended).total_seconds() // 3600)


@dataclass(frozen=True)
class PacketStatus:
    """One packet: its loop and day, scorecards in and owed, and its debrief."""

    folder: str
    candidate: str
    loop: str
    date: str
    revision: int
    filled: int
    expected: int
    debrief: DebriefState  # stale: a revision or a scorecard came after it
    owed: tuple[Owed, ...]
    unchecked: int  # scorecards that are started or wrong: not counted, not an error here
    lock: Lock = field(compare=False, repr=False)


@dataclass(frozen=True)
class Skipped:
    """A folder that is not a packet, or a packet whose files cannot be read."""

    folder: str
    reason: str


@dataclass(frozen=True)
class FolderStatus:
    """Every packet of a folder, and every folder skipped."""

    packets: tuple[PacketStatus, ...]
    skipped: tuple[Skipped, ...]

    @property
    def owed(self) -> list[Owed]:
        """Every scorecard owed, the longest overdue first."""
        return sorted(
            (o for p in self.packets for o in p.owed), key=lambda o: (o.ended, o.folder, o.title)
        )


def folder_status(folder: Path, now: datetime) -> FolderStatus:
    """Read every packet folder in ``folder``; ``now`` decides which interviews have ended."""
    if not folder.is_dir():
        raise LoopkitError("is not a folder", file=str(folder))
    packets: list[PacketStatus] = []
    skipped: list[Skipped] = []
    for path in sorted(folder.iterdir()):
        if not path.is_dir() or path.name.startswith("."):  # files, and loopkit's staging
            continue
        if not (path / LOCK_FILE).exists():
            skipped.append(Skipped(path.name, f"no {LOCK_FILE}: not a packet folder"))
            continue
        try:
            packets.append(_packet_status(path, now))
        except ValidationFailed as exc:
            skipped.append(Skipped(path.name, exc.findings[0].format()))
        except LoopkitError as exc:
            skipped.append(Skipped(path.name, str(exc)))
    return FolderStatus(tuple(packets), tuple(skipped))


def _packet_status(path: Path, now: datetime) -> PacketStatus:
    lock, digest = read_lock(path)
    docs = []
    unchecked = 0
    for card_path in sorted((path / "scorecards").glob("*.toml")):
        doc, _ = read_filled(card_path)
        if doc is None:
            unchecked += 1
        else:
            docs.append(doc)
    filled, _, problems = check_cards(docs, lock, digest)
    wrong = {p.file for p in problems}
    counted = [c for c in filled if c.file not in wrong]
    unchecked += len(wrong)
    by_file = {d.file: d.card.seat for d in docs}
    done = {by_file[c.file] for c in counted}
    owed = []
    for seat in lock.seats:
        interview = lock.interview(seat.interview)
        if seat.stem in done or interview is None:
            continue
        ended = datetime.fromisoformat(interview.end)
        if ended <= now:
            owed.append(
                Owed(
                    path.name,
                    lock.packet.candidate,
                    seat.interviewer,
                    interview.id,
                    interview.title,
                    ended,
                )
            )
    return PacketStatus(
        path.name,
        lock.packet.candidate,
        lock.packet.loop,
        lock.packet.date,
        lock.packet.revision,
        len(done),
        len(lock.seats),
        _debrief_state(path, lock, {Path(c.file).name for c in counted}),
        tuple(owed),
        unchecked,
        lock,
    )


def _debrief_state(path: Path, lock: Lock, cards: set[str]) -> DebriefState:
    """``current`` when debrief.toml scored this revision and exactly these scorecards.

    A revision moves the debrief it makes out of date to ``superseded/r<N>/``:
    the packet then has a stale debrief, not none.
    """
    file = path / "debrief.toml"
    if not file.exists():
        return "stale" if any(path.glob("superseded/r*/debrief.toml")) else "none"
    try:
        data = tomllib.loads(file.read_text("utf-8"))
        scored = {
            card["file"] for interview in data["interviews"] for card in interview["scorecards"]
        }
        packet, revision = data["packet"], data["revision"]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise LoopkitError(
            f"cannot be read ({type(exc).__name__}: {exc})",
            file=display_path(file),
            hint="run loopkit debrief again",
        ) from None
    if packet != lock.packet.id:
        raise LoopkitError(
            f"is the debrief of packet {packet!r}, not {lock.packet.id!r}",
            file=display_path(file),
            hint="move it back to its own packet, and run loopkit debrief here",
        )
    return "current" if revision == lock.packet.revision and scored == cards else "stale"

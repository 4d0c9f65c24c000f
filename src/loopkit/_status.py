"""Where a folder of packets stands: scorecards handed in, scorecards owed, debriefs current.

A coordinator runs a week of loops into one output folder; ``folder_status``
reads every packet folder in it and says, for each, how many scorecards are
in, who still owes one and whether its debrief is current. A folder that is
not a packet, or whose files cannot be read, is skipped with the reason,
never a crash.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from loopkit import __version__
from loopkit._cache import SummaryCache
from loopkit._errors import Finding, LoopkitError, ValidationFailed
from loopkit._scale import DECISIONS, NO_SIGNAL
from loopkit._source import (
    CARD_SUFFIXES,
    LOCK_FILE,
    NumberTooLarge,
    display_path,
    loads,
    mended,
    read_file,
    shown_value,
)
from loopkit._superseded import superseded_debriefs, superseded_decision

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from concurrent.futures import Future, ProcessPoolExecutor

    from loopkit._debrief import Filled
    from loopkit._models import Person

DebriefState = Literal["none", "current", "stale"]
# raise when Summary changes shape or meaning: cached ones of another format are unused
SUMMARY_FORMAT = 17
T = TypeVar("T")
PACKETS_PER_PROCESS = 40  # below this many unread packets a process of their own costs more
# A file changed this recently may be changed again within the same tick of its
# timestamps (2 s on a FAT drive), unseen by a key made of them: such a packet is
# read every time until it has settled, and not kept.
SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class Owed:
    """A scorecard not yet handed in for an interview that has ended."""

    folder: str  # the packet folder's name
    candidate: str
    interviewer: str  # "Name <email>", or "" for a seat nobody was assigned to
    interview: str
    title: str
    ended: datetime
    scorecard: str  # the blank to fill in, in the packet folder: scorecards/<seat>.toml
    problems: tuple[str, ...]  # what is wrong in a card handed in for it (see Summary)
    to_fill: tuple[str, ...]  # what a card started for it has still to be written

    @property
    def person(self) -> Person | None:
        """Who owes it; None for an unassigned seat."""
        from loopkit._models import Person  # the models, only when someone owes a scorecard

        return Person.parse(self.interviewer) if self.interviewer else None

    def hours(self, now: datetime) -> int:
        """Whole hours since the interview ended."""
        return int((now - self.ended).total_seconds() // 3600)

    def ago(self, now: datetime) -> str:
        """How long ago the interview ended, as the text says it: in minutes within the
        first hour ("0 h ago" read as not yet ended), else in whole hours."""
        seconds = (now - self.ended).total_seconds()
        return f"{int(seconds // 60)} min ago" if seconds < 3600 else f"{self.hours(now)} h ago"


@dataclass(frozen=True)
class Sitting:
    """One interview of a packet, as status and report need it."""

    id: str
    title: str
    kind: str
    end: str  # an ISO instant with its offset


@dataclass(frozen=True)
class Taken:
    """One seat of a packet: the scorecard its interviewer owes."""

    stem: str
    interview: str
    interviewer: str  # "Name <email>", or ""
    shadow: bool  # a trainee's seat: their scorecard is welcome, never owed


@dataclass(frozen=True)
class Handed:
    """A scorecard handed in that checks against the lock, with the score it gives."""

    file: str  # its name in scorecards/
    seat: str
    interview: str
    interviewer: str
    recommendation: int
    ratings: dict[str, int | None]  # None is "no signal"
    score: float | None
    shadow: bool  # a trainee's: never in a debrief's score, compared in calibrate


@dataclass(frozen=True)
class Summary:
    """What a packet's files say, reduced to what status, report and calibrate use.

    It depends on the files' content alone (no clock, no path), so it can be
    kept in a cache until one of those files is written.
    """

    id: str
    candidate: str
    loop: str
    title: str
    paper: str
    date: str
    revision: int
    hire_bar: float
    interviews: tuple[Sitting, ...]
    seats: tuple[Taken, ...]
    cards: tuple[Handed, ...]
    unchecked: int  # scorecards that are started or wrong: not counted, not an error here
    # Scorecards that cannot be read or belong elsewhere (not those still being filled in),
    # as "scorecards/<file>:<line>: <key>: <message>"
    problems: tuple[str, ...]
    debrief: DebriefState  # stale: a revision or a scorecard came after it
    why_stale: str  # what came after a stale debrief ("" for none or current)
    decision: str  # as the debrief recorded it: a stale one too, or one a revision moved
    reason: str  # why, as given with the decision ("" when none was)
    # the problems of the cards for each seat, by its stem: a card kept under a name of its
    # own (sam_final.toml) is its seat's by the seat it names
    mend: dict[str, tuple[str, ...]]
    # the values its cards have still to be written, by seat: "scorecards/<file>: <keys>"
    to_fill: dict[str, tuple[str, ...]]

    def to_data(self) -> dict[str, object]:
        """Plain data, for the cache (``dataclasses.asdict`` copies every value: thirty times as slow)."""
        data = vars(self).copy()
        for name in ("interviews", "seats", "cards"):
            data[name] = [dict(vars(item)) for item in data[name]]
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Summary:
        """The summary ``to_data`` gave."""
        return cls(
            **{
                **data,
                "interviews": tuple(Sitting(**i) for i in data["interviews"]),
                "seats": tuple(Taken(**t) for t in data["seats"]),
                "cards": tuple(Handed(**h) for h in data["cards"]),
                "problems": tuple(data["problems"]),
                "mend": {seat: tuple(found) for seat, found in data["mend"].items()},
                "to_fill": {seat: tuple(found) for seat, found in data["to_fill"].items()},
            }
        )


@dataclass(frozen=True)
class PacketStatus:
    """One packet folder: its summary, and the scorecards owed at the time asked."""

    folder: str  # its name as shown (see ``mended``)
    summary: Summary
    owed: tuple[Owed, ...]
    path: Path

    @property
    def filled(self) -> int:
        """Scorecards handed in that check, shadows' left out."""
        return sum(not card.shadow for card in self.summary.cards)

    @property
    def expected(self) -> int:
        """One scorecard per seat, unassigned seats included and shadows' left out."""
        return sum(not seat.shadow for seat in self.summary.seats)


@dataclass(frozen=True)
class Skipped:
    """A folder that is not a packet, or a packet whose files cannot be read."""

    folder: str
    reason: str
    packet: bool = True  # False for a folder that is no packet (no lock): no candidate left out


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


def folder_status(
    folder: Path,
    now: datetime,
    cache: SummaryCache | None = None,
    reading: Callable[[int], None] | None = None,
) -> FolderStatus:
    """Read every packet folder in ``folder``; ``now`` decides which interviews have ended.

    With a ``cache``, a packet whose files have not been written since it
    was read before is not read again (see ``packet_key``). ``reading`` is
    told how many packets are about to be read from their files.
    """
    if not folder.is_dir():
        there = folder.exists() or folder.is_symlink()
        raise LoopkitError("is not a folder" if there else "no such folder", file=str(folder))
    try:
        if (folder / LOCK_FILE).exists():
            above = display_path(Path(os.path.realpath(folder)).parent)
            raise LoopkitError(
                "is a packet folder",
                file=str(folder),
                hint=f"give the folder that holds the packets: {above}",
            )
        real = Path(os.path.realpath(folder))  # scorecards/ of a packet, .. and links followed
        packet = next((f for f in real.parents if (f / LOCK_FILE).is_file()), None)
        if packet is not None:
            raise LoopkitError(
                f"is inside the packet folder {display_path(packet)}",
                file=str(folder),
                hint=f"give the folder that holds the packets: {display_path(packet.parent)}",
            )
        paths = [p for p in sorted(folder.iterdir()) if p.is_dir() and not p.name.startswith(".")]
    except OSError as exc:
        raise LoopkitError(f"cannot be read: {exc.strerror or exc}", file=str(folder)) from None
    packets: list[PacketStatus] = []
    skipped: list[Skipped] = []
    packet_paths = []
    for path in paths:  # files, and loopkit's hidden staging folders, are not packets
        why = _not_a_packet(path)
        if why:
            skipped.append(Skipped(mended(path.name), why, packet=False))
        else:
            packet_paths.append(path)
    summaries, fresh = _summaries(packet_paths, cache, reading)
    for path in packet_paths:
        summary = summaries[path]
        if isinstance(summary, str):  # why the packet cannot be read
            skipped.append(Skipped(mended(path.name), summary))
            continue
        name = mended(path.name)  # shown, and written in UTF-8 files, whatever its bytes
        packets.append(PacketStatus(name, summary, _owed(name, summary, now), path))
    packets = _one_per_packet(packets, skipped)
    if cache is not None and fresh:
        cache.put(fresh)
    skipped.sort(key=lambda s: s.folder)
    return FolderStatus(tuple(packets), tuple(skipped))


def _summary_of(data: dict[str, Any]) -> Summary | None:
    """A summary from the cache; None for a row of another shape (written by hand with its
    seal worked out again): its packet is read instead."""
    try:
        return Summary.from_data(data)
    except (TypeError, KeyError, ValueError):
        return None


def _summaries(
    paths: list[Path], cache: SummaryCache | None, reading: Callable[[int], None] | None
) -> tuple[dict[Path, Summary | str], dict[str, str]]:
    """Each packet's summary, or why it cannot be read; and the summaries to keep in the cache.

    A packet whose files have not changed since it was read is taken from
    the cache (see ``packet_key``); the others are read from their files. The
    packets are looked up a slice at a time, and those to read go to the
    reading processes as they are found: the lookups overlap the reading,
    and the summaries read are taken in while the rest are read.
    """
    since = time.time_ns() - SETTLED_NS
    found: dict[Path, Summary | str] = {}
    fresh: dict[str, str] = {}
    keys: dict[Path, str] = {}
    with _Reader() as reader:
        for start in range(0, len(paths), _SLICE):
            part = paths[start : start + _SLICE]
            reader.later = len(paths) - start - len(part)  # not yet looked up
            keys.update((path, packet_key(path, since)) for path in part)
            stored = cache.get([keys[p] for p in part if keys[p]]) if cache is not None else {}
            for path in part:
                kept = stored.get(keys[path])
                summary = _summary_of(kept) if kept is not None else None
                if summary is None:
                    reader.read(path)
                else:
                    found[path] = summary
        if reading is not None and reader.count:
            reading(reader.count)
        for path, (text, reason) in reader.results():
            if reason:
                found[path] = reason
                continue
            found[path] = Summary.from_data(json.loads(text))  # as a later run reads it
            if keys[path]:
                fresh[keys[path]] = text
    return found, fresh


_SLICE = 50  # packets looked up at a time
_TASK = 25  # packets a reading process takes at a time: small enough to even out a slow one


class _Reader:
    """Packets read from their files: in one process per core once enough are waiting,
    else here.

    Every packet is read and checked by itself, so a first status over a
    thousand packets uses every core. The processes are forked (Linux): they
    start at once and import the checks while this process looks up the
    rest. They leave Ctrl-C to this process (see ``_workers``): leaving the
    ``with`` on an interruption drops the packets not started. Elsewhere, or
    for a few packets, this process reads them.
    """

    def __init__(self) -> None:
        self.count = 0  # packets to read
        self.later = 0  # packets that may yet be given to read: how many processes to start
        self._waiting: list[Path] = []
        self._tasks: list[tuple[list[Path], Future[list[tuple[str, str]]]]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._alone = sys.platform != "linux"  # read here, whatever the count
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: object) -> bool | None:
        return self._stack.__exit__(*exc)  # type: ignore[arg-type]

    def read(self, path: Path) -> None:
        """Read this packet, now or later."""
        self.count += 1
        self._waiting.append(path)
        if self._pool is None and not self._alone and len(self._waiting) >= 2 * PACKETS_PER_PROCESS:
            self._start()
        if self._pool is not None and len(self._waiting) >= _TASK:
            self._give()

    def results(self) -> Iterator[tuple[Path, tuple[str, str]]]:
        """Every packet given to ``read``, with its summary's text or why it cannot be read,
        in the order given."""
        if self._pool is None:
            yield from ((path, _summary_text(path)) for path in self._waiting)
            return
        self._give()
        for paths, task in self._tasks:
            yield from zip(paths, task.result(), strict=True)

    def _start(self) -> None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        workers = min(cores, (len(self._waiting) + self.later) // PACKETS_PER_PROCESS)
        if workers < 2:
            self._alone = True
            return
        from loopkit._workers import stopping, worker_pool

        self._pool = self._stack.enter_context(stopping(worker_pool(workers)))

    def _give(self) -> None:
        assert self._pool is not None
        for start in range(0, len(self._waiting), _TASK):
            paths = self._waiting[start : start + _TASK]
            self._tasks.append((paths, self._pool.submit(_summary_texts, paths)))
        self._waiting = []


def _summary_texts(paths: list[Path]) -> list[tuple[str, str]]:
    """``_summary_text`` of each packet: one task of a reading process."""
    return [_summary_text(path) for path in paths]


def _not_a_packet(path: Path) -> str:
    """Why a folder is not read as a packet ("" when it is one)."""
    try:
        lock = path / LOCK_FILE  # a link to nowhere is a packet's lock that cannot be read
        return "" if lock.exists() or lock.is_symlink() else f"no {LOCK_FILE}: not a packet folder"
    except OSError as exc:  # a folder its reader may not enter
        return f"cannot be read: {exc.strerror or exc}"


def _summary_text(path: Path) -> tuple[str, str]:
    """A packet's summary as the cache keeps it, or why the packet cannot be read.

    Text, made where the packet is read: a thousand summaries cross back
    from the reading processes as strings, and go into the cache as they
    are, instead of being pickled, unpickled and encoded again here.
    """
    try:
        return json.dumps(summarize(path).to_data()), ""
    except ValidationFailed as exc:
        return "", exc.findings[0].format()
    except LoopkitError as exc:
        return "", str(exc)


def _one_per_packet(packets: list[PacketStatus], skipped: list[Skipped]) -> list[PacketStatus]:
    """Each packet once: a copy or a link of a packet folder would count its candidate twice.

    The folder named as loopkit names it (``<date>-<id>``) is the packet; for
    others of the same id, the first by name. The rest are skipped, saying so.
    """
    by_id: dict[str, list[PacketStatus]] = {}
    for packet in packets:
        by_id.setdefault(packet.summary.id, []).append(packet)
    kept = []
    for packet in packets:
        same = by_id[packet.summary.id]
        own = [p for p in same if p.folder == f"{p.summary.date}-{p.summary.id}"]
        first = (own or same)[0]
        if packet is first:
            kept.append(packet)
        else:
            reason = f"the same packet ({packet.summary.id}) as {first.folder}/: a copy?"
            skipped.append(Skipped(packet.folder, reason))
    return kept


def packet_key(path: Path, since: int) -> str:
    """A digest of what the file system says of every file a packet's summary is made from.

    Each file by its inode, size, modification and change times: any write
    to a file, or a file put in its place, changes them, and the change time
    cannot be set back by hand (git's index and ccache's direct mode rely on
    the same). A link also by where it points (a link to another card of
    the packet is that card, counted once), and the whole by who reads (a
    group joined can make a card readable). No file is read, so a warm
    status of a thousand packets takes a few stat calls each. "" when a file changed after ``since`` (in ns):
    the packet is then read, and not kept, until its files have settled.
    """
    base = os.fspath(path)
    seen = [f"{__version__}\0{SUMMARY_FORMAT}\0{_reader()}"]
    moved = [str(file.relative_to(path)) for _, file in superseded_debriefs(path)]
    files = [
        (name, os.path.islink(os.path.join(base, name)))
        for name in (LOCK_FILE, "debrief.toml", *moved)
    ]
    try:
        with os.scandir(os.path.join(base, "scorecards")) as listed:
            cards = sorted(
                (f"scorecards/{e.name}", e.is_symlink())
                for e in listed
                if e.name.lower().endswith(CARD_SUFFIXES)  # sam.TOML: named as a problem
            )
    except OSError as exc:  # no scorecards/, or one that cannot be listed
        seen.append(f"scorecards/\0{exc.errno}")
        cards = []
    for name, link in files + cards:
        full = os.path.join(base, name)
        try:  # follows a link, as the summary reads it; a FIFO is never opened
            info = os.stat(full)
        except OSError as exc:
            seen.append(f"{name}\0{exc.errno}")
            continue
        if max(info.st_ctime_ns, info.st_mtime_ns) > since:
            return ""
        target = os.path.realpath(full) if link else ""
        inode = f"{info.st_dev} {info.st_ino} {info.st_mode} {target}"
        seen.append(f"{name}\0{inode} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}")
    # a file name need not be UTF-8: its undecodable bytes are kept as they are
    return hashlib.sha256("\0\0".join(seen).encode("utf-8", "surrogateescape")).hexdigest()


@functools.cache
def _reader() -> str:
    """Who this process reads as: another user, a group joined, or root with fewer
    capabilities (Linux) may read other cards."""
    if not hasattr(os, "geteuid"):  # Windows: access is the user's, checked by the system
        return ""
    capabilities = ""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            capabilities = next((line for line in status if line.startswith("CapEff:")), "")
    except OSError:  # not Linux
        pass
    return f"{os.geteuid()} {os.getegid()} {sorted(os.getgroups())} {capabilities.strip()}"


def _moved(path: Path, revision: int) -> tuple[str, str, str] | None:
    """Why the packet's debrief is stale when a revision moved it to superseded/, and the
    latest decision a moved debrief recorded, with its reason; None when no revision moved
    one."""
    moved = superseded_debriefs(path)
    if not moved:
        return None
    number, newest = moved[-1]
    folder = f"superseded/{newest.parent.name}/"
    if number < 0:
        why = f"a revision moved it to {folder}"
    else:
        later = f"; the packet is at revision {revision}" if revision != number + 1 else ""
        why = f"revision {number + 1} moved it to {folder}{later}"
    decided = superseded_decision(path)
    return why, *((decided.decision, decided.reason) if decided else ("", ""))


def _owed(folder: str, summary: Summary, now: datetime) -> tuple[Owed, ...]:
    if any(p.startswith("scorecards/:") for p in summary.problems):
        return ()  # scorecards/ gone, a file, unreadable: who handed in is not known
    done = {card.seat for card in summary.cards}
    ends = {i.id: i for i in summary.interviews}
    owed = []
    for seat in summary.seats:
        interview = ends.get(seat.interview)
        if seat.stem in done or interview is None or seat.shadow:
            continue
        ended = datetime.fromisoformat(interview.end)
        if ended <= now:
            owed.append(
                Owed(
                    folder,
                    summary.candidate,
                    seat.interviewer,
                    interview.id,
                    interview.title,
                    ended,
                    f"scorecards/{seat.stem}.toml",
                    summary.mend.get(seat.stem, ()),
                    summary.to_fill.get(seat.stem, ()),
                )
            )
    return tuple(owed)


def summarize(path: Path) -> Summary:
    """Read a packet's lock, scorecards and debrief into its summary."""
    # The models and the scoring, only for a packet the cache does not hold: a warm
    # status of a thousand packets starts without them (about 200 ms).
    from loopkit._debrief import card_scores, not_yet_written
    from loopkit._readback import read_cards, read_lock

    lock, digest = read_lock(path)
    cards = read_cards(path, lock, digest)
    wrong = {p.file for p in cards.problems}
    counted = [c for c in cards.filled if c.file not in wrong]
    seats = cards.seats
    # A shadow's card never counts: neither expected nor "not ready" when it is being filled
    # in (its problems are still named); handed in, changed or not ready after the debrief,
    # it leaves the debrief's scores as they are (calibrate reads it as it is now).
    shadows = lock.shadows()
    trainees = set(cards.shadows(lock))
    # cards started or wrong; scorecards/ itself (gone, a file) is a problem, not a card
    not_ready = {mended(os.path.basename(file)) for file in wrong - trainees} - {"scorecards"}
    unchecked = len(not_ready)
    # a value not yet written (still 0) is a card being filled in, not a problem to name
    named = [p for p in cards.problems if not not_yet_written(p)]
    problems = [_problem(p, path) for p in named]
    stems = {seat.stem for seat in lock.seats}
    mend: dict[str, dict[str, None]] = {}
    for finding, problem in zip(named, problems, strict=True):
        seat = seats.get(finding.file) or Path(finding.file).stem  # the seat it names, else
        if seat in stems:  # the seat of its file's name
            mend.setdefault(seat, {})[problem] = None
    unwritten: dict[str, dict[str, list[str]]] = {}  # seat -> a card's file -> its keys
    for finding in cards.problems:
        seat = seats.get(finding.file) or Path(finding.file).stem
        if seat in stems and not_yet_written(finding):
            card = mended(f"scorecards/{Path(finding.file).name}")
            unwritten.setdefault(seat, {}).setdefault(card, []).append(finding.key)
    scores = card_scores(lock, counted)
    # named as debrief.toml names them (see render.toml.debrief_data)
    names = {c.file: os.path.basename(c.file) for c in counted}  # a Path each: twice the time
    handed = {mended(names[c.file]): (_rated(c.recommendation, c.ratings), c) for c in counted}
    head = lock.packet
    scored = {file: card for file, card in handed.items() if not card[1].shadow}
    state, why, decision, reason = _debrief_state(path, head.id, head.revision, scored, not_ready)
    return Summary(
        head.id,
        head.candidate,
        head.loop,
        head.title,
        head.paper,
        head.date,
        head.revision,
        head.hire_bar,
        tuple(Sitting(i.id, i.title, i.kind, i.end) for i in lock.interviews),
        tuple(Taken(s.stem, s.interview, s.interviewer, s.stem in shadows) for s in lock.seats),
        tuple(
            Handed(
                names[c.file],
                seats[c.file],
                c.interview,
                c.interviewer,
                c.recommendation,
                c.ratings,
                scores[c.file],
                c.shadow,
            )
            for c in counted
        ),
        unchecked,
        tuple(dict.fromkeys(problems)),
        state,
        why,
        decision,
        reason,
        {seat: tuple(found) for seat, found in mend.items()},
        {
            seat: tuple(f"{card}: {', '.join(keys)}" for card, keys in files.items())
            for seat, files in unwritten.items()
        },
    )


def _rated(recommendation: object, ratings: dict[str, Any]) -> object:
    """What a card says, as a debrief records it and as the card itself reads."""
    return recommendation, {k: NO_SIGNAL if v is None else v for k, v in sorted(ratings.items())}


def _problem(finding: Finding, packet: Path) -> str:
    """A scorecard's problem named from the packet folder, so that it can be cached, with
    its hint (what to mend: "did you mean 'architecture'?").

    A message that names another card of the packet (a second card of one
    seat) names it from the packet too: the folder may be read from
    elsewhere, or moved, and its summary kept.
    """
    name = Path(finding.file).name
    name = "" if name == "scorecards" else name  # the folder itself, when it cannot be listed
    where = f"scorecards/{name}" + (f":{finding.line}" if finding.line else "")
    key = f" {finding.key}:" if finding.key else ""
    folder = display_path(packet.absolute() / "scorecards")  # as read_cards names the cards
    message = finding.message.replace(folder + os.sep, "scorecards/")
    hint = f" ({finding.hint.replace(folder + os.sep, 'scorecards/')})" if finding.hint else ""
    return mended(f"{where}:{key} {message}{hint} [{finding.code}]")  # a file name of any bytes


def read_debrief(file: Path) -> dict[str, Any]:
    """debrief.toml's data (a regular file of at most a megabyte), or a LoopkitError saying why not."""
    try:
        return loads(read_file(file, file.name).decode("utf-8"))
    except ValidationFailed as exc:  # not a regular file, too large, unreadable
        message = exc.findings[0].message
        raise LoopkitError(message, file=display_path(file), hint=_AGAIN) from None
    except (ValueError, RecursionError) as exc:  # not UTF-8, TOML, a number past 4,300 digits
        raise _unreadable(file, exc) from None


_AGAIN = "run loopkit debrief again"


def of_kind(value: object, kind: type[T], what: str) -> T:
    """A value read from a debrief, if it is of ``kind``; a TypeError naming it if not
    (``true`` is no number, and a decision is text, not a list)."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        shown = shown_value(value)
        raise TypeError(f"{what} of {shown if len(shown) <= 40 else shown[:40] + '…'}")
    return value


def no_packets(folder: Path, status: FolderStatus) -> LoopkitError:
    """The error of a folder with no packet to read: where to see why, when folders were skipped."""
    n = len(status.skipped)
    why = f"loopkit status {folder} says why each of the {n} folders here was skipped"
    return LoopkitError("no packets here", file=str(folder), hint=why if n else "")


def _unreadable(file: Path, exc: Exception) -> LoopkitError:
    if isinstance(exc, NumberTooLarge):  # said plainly, with its line
        message = f"cannot be read: {exc}"
    else:
        message = f"cannot be read ({type(exc).__name__}: {exc})"
    return LoopkitError(message, file=display_path(file), hint=_AGAIN)


def _debrief_state(
    path: Path,
    packet_id: str,
    revision: int,
    cards: dict[str, tuple[object, Filled]],
    not_ready: set[str],
) -> tuple[DebriefState, str, str, str]:
    """``current`` when debrief.toml scored this revision and exactly these scorecards; when
    it is stale, what came after it; and the decision it recorded, with its reason (a stale
    debrief's too: report shows it beside why it is stale, and only a current one's is
    counted).

    ``cards`` is each counted card's file name, what it rates (its
    recommendation and ratings) and the card: a card whose ratings or words
    (``text_hash``) changed after the debrief makes it stale, as a card added
    or taken away does. A debrief written before it kept the hash of each
    card's words is compared by the ratings alone. ``not_ready`` are the
    file names of the cards not counted for a problem (wrong, or half filled
    in): a debrief's card that became one is said to be so. A shadow's card
    is in neither, and the debrief's shadows are not compared: whatever a
    shadow hands in, the scores stand.

    A revision moves the debrief it makes out of date to ``superseded/r<N>/``:
    the packet then has a stale debrief, not none.
    """
    file = path / "debrief.toml"
    if not file.exists() and not file.is_symlink():  # a link to nowhere is read, and named
        moved = _moved(path, revision)
        return ("stale", *moved) if moved else ("none", "", "", "")
    data = read_debrief(file)
    try:
        counted = [card for interview in data["interviews"] for card in interview["scorecards"]]
        scored = {
            card["file"]: (_rated(card["recommendation"], card["ratings"]), card.get("text_hash"))
            for card in counted
        }
        listed = [card["file"] for card in counted]
        listed += [card["file"] for i in data["interviews"] for card in i.get("shadows", ())]
        twice = len(listed) != len(set(listed))  # a name edited into a list: TypeError
        packet = of_kind(data["packet"], str, "a packet id")
        scored_revision = of_kind(data["revision"], int, "a revision")
        if not 0 < scored_revision < 10**9:  # a revision edited by hand
            raise ValueError("a revision that is no revision's number")
        decision = of_kind(data.get("decision", ""), str, "a decision")
        if decision and decision not in DECISIONS:  # "maybe" edited in: no decision to count
            raise ValueError(f"a decision of {decision!r}: hire or no-hire")
        reason = data.get("reason", "")
        reason = reason if isinstance(reason, str) else ""  # debrief names one edited wrong
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # edited into another shape
        raise _unreadable(file, exc) from None
    if packet != packet_id:
        raise LoopkitError(
            f"is the debrief of packet {packet!r}, not {packet_id!r}",
            file=display_path(file),
            hint="move it back to its own packet, and run loopkit debrief here",
        )
    why = _why_stale(scored_revision, revision, twice, scored, cards, not_ready)
    return ("stale" if why else "current"), why, decision, reason


def _why_stale(
    scored_revision: object,
    revision: int,
    twice: bool,
    scored: dict[str, tuple[object, object]],
    cards: dict[str, tuple[object, Filled]],
    not_ready: set[str],
) -> str:
    """What came after a debrief that scored revision ``scored_revision`` and the cards
    ``scored`` (their ratings and the hash of their words): "" when nothing did. ``twice``:
    the debrief lists a card's name twice.

    A card's words are hashed only where the debrief keeps a hash to compare
    with: a packet with no debrief, or at another revision, hashes none (the
    evidence of ten cards, about 5 kB each, is a tenth of a packet's reading).
    """
    from loopkit._debrief import text_hash  # loaded already: only summarize calls this

    if scored_revision != revision:
        return f"it scored revision {scored_revision}; the packet is at revision {revision}"
    if twice:  # two cards of one name (from two folders): not the packet's
        return "it lists two scorecards of one name"
    changed = []
    for file, (rated, words) in scored.items():
        if file not in cards:
            continue
        now, card = cards[file]
        if rated != now or (
            words is not None and words != text_hash(card.interviewer, card.evidence, card.notes)
        ):
            changed.append(file)
    gone = [f for f in scored if f not in cards]
    found = [
        ("changed after it", changed),
        (
            "changed after it and not ready (wrong, or half filled in)",
            [f for f in gone if f in not_ready],
        ),
        ("handed in after it", [f for f in cards if f not in scored]),
        (
            "handed in after it, not ready (wrong, or half filled in)",
            [f for f in not_ready if f not in scored],
        ),
        ("no longer counted", [f for f in gone if f not in not_ready]),
    ]
    return "; ".join(
        f"{what}: {', '.join(f'scorecards/{f}' for f in sorted(files, key=str))}"
        for what, files in found
        if files
    )

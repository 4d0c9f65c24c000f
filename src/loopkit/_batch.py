"""``loopkit batch``: one packet per CSV row, every row checked before anything is written.

Rows are read and planned in this process (cheap); rendering, the slow
part, is spread over worker processes. Each packet folder appears by an
atomic rename, so an interrupted batch leaves only whole packets. A re-run
updates the packets whose rows changed (a new revision, SPEC 8.1) and
leaves the others as they are.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from loopkit._actions import plan, when_problems
from loopkit._documents import LoopDocument
from loopkit._errors import LoopkitError, Problems, Severity, ValidationFailed, did_you_mean
from loopkit._folder import PacketWrite, same_candidate, write_packet
from loopkit._load import load_loop
from loopkit._models import Person
from loopkit._packet import Packet, build_packet, plain
from loopkit._schedule import Schedule, panel_findings
from loopkit._settings import DEFAULT_PAPER, When, parse_person
from loopkit._source import display_path, read_file
from loopkit._workers import drop_unstarted, stopping, stops_held
from loopkit._write import render_pool
from loopkit.render.fonts import check

COLUMNS = ("candidate", "loop", "id", "date", "start", "tz", "candidate_tz", "email", "organizer")
_OPTION_COLUMNS = {"day": "date", "start": "start", "tz": "tz", "candidate_tz": "candidate_tz"}
REQUIRED = ("candidate", "loop")
PANEL_PREFIX = "panel:"
MAX_ROWS = 10_000
MAX_BYTES = 20_000_000  # 10,000 rows of a few hundred bytes each, with room to spare

Progress = Callable[[int, int, PacketWrite], None]


class BatchError(LoopkitError):
    """One or more rows of a batch file are wrong; every one is listed."""

    def __init__(self, file: str, problems: list[str]) -> None:
        super().__init__(
            f"{len(problems)} problem(s); nothing was written\n" + "\n".join(problems), file=file
        )


@dataclass(frozen=True)
class BatchResult:
    """What a batch did to each packet: written anew, updated to a new revision, or unchanged."""

    packets: tuple[PacketWrite, ...]

    def of(self, state: str) -> tuple[PacketWrite, ...]:
        """The packets in one state: ``written``, ``updated`` or ``unchanged``."""
        return tuple(p for p in self.packets if p.state == state)


def read_batch(
    path: Path,
    today: date,
    paper: str = DEFAULT_PAPER,
    at: datetime | None = None,
    *,
    defaults: When | None = None,
    defaults_from: str = "",
    organizer: Person | None = None,
) -> list[Packet]:
    """Read and check every row; return one built (not yet rendered) packet per row.

    ``at`` is when the batch runs (the DTSTAMP of its calendars); ``defaults``
    and ``organizer`` fill the cells a row leaves empty (a team's settings, from
    the file ``defaults_from``, which messages about them name).
    """
    display = display_path(path)
    raw = read_file(path, display, MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoopkitError(
            f"line {line}: not UTF-8 text", file=display, hint="save the CSV as UTF-8"
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise LoopkitError(f"line 1: {exc}", file=display) from None
    problems = [f"line 1, {c}: missing column" for c in REQUIRED if c not in header]
    problems += [
        f"line 1, {c}: the column is there twice"
        for c in sorted({c for c in header if header.count(c) > 1})
    ]
    for column in header:
        if column not in COLUMNS and not column.startswith(PANEL_PREFIX):
            problems.append(
                f"line 1, {column}: unknown column{_guess(column)} (known: {', '.join(COLUMNS)}, panel:<interview-id>)"
            )
    if problems:
        raise BatchError(display, problems)
    packets: list[tuple[int, Packet]] = []
    refused: list[tuple[int, Packet]] = []  # rows with problems, as they will be once mended
    loops = _LoopCache()
    done = reader.line_num  # the last line of the last whole record
    try:
        for row in reader:
            line = done = reader.line_num  # a row spread over lines is named by its last
            if len(packets) + len(problems) >= MAX_ROWS:
                problems.append(f"line {line}: more than {MAX_ROWS} rows; split the file")
                break
            if None in row:
                problems.append(f"line {line}: more cells than the header has columns")
                continue
            try:
                packet = _row_packet(
                    row, line, today, paper, loops, at, defaults, defaults_from, organizer
                )
                check(packet.candidate, "candidate's name")
                problems += _unprintable_names(packet, line)
                packets.append((line, packet))
            except _RowError as exc:
                problems.extend(exc.problems)
                if exc.packet is not None:  # checked against the other rows all the same
                    refused.append((line, exc.packet))
            except LoopkitError as exc:  # the candidate's name: empty, too long, or unprintable
                problems.append(_problem(line, "candidate", exc))
    except csv.Error as exc:  # a record that cannot be read starts on the line after the last
        problems.append(f"line {done + 1}: {exc}")
    if not packets and not problems:
        problems.append("line 2: no rows")
    problems += _cross_row_problems(sorted(packets + refused, key=lambda p: p[0]))
    if problems:
        raise BatchError(display, problems)
    return [p for _, p in packets]


def _guess(column: str) -> str:
    guess = did_you_mean(column, COLUMNS)
    return f"; {guess}" if guess else ""


def _unprintable_names(packet: Packet, line: int) -> list[str]:
    """Interviewers' names no font can print, found before any packet is written."""
    problems = []
    for seat in packet.seats:
        if seat.person is not None:
            try:
                check(seat.person.name, "interviewer's name")
            except LoopkitError as exc:
                problems.append(_problem(line, f"{PANEL_PREFIX}{seat.interview.id}", exc))
    return problems


class _LoopCache:
    """Each loop a batch names is loaded (or fails) once, however many rows use it."""

    def __init__(self) -> None:
        self._seen: dict[str, LoopDocument | LoopkitError] = {}

    def __call__(self, ref: str) -> LoopDocument:
        if ref not in self._seen:
            try:
                self._seen[ref] = load_loop(ref)
            except LoopkitError as exc:
                self._seen[ref] = exc
        found = self._seen[ref]
        if isinstance(found, LoopkitError):
            raise found
        return found


def _problem(line: int, column: str, exc: LoopkitError) -> str:
    """One problem of a row as the batch lists it: ``line N, column: message (hint)``."""
    return f"line {line}, {column}: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")


class _RowError(Exception):
    """A row's problems, and the packet it would make with its wrong cells left out (for
    the checks across rows), when it makes one."""

    def __init__(self, problems: list[str], packet: Packet | None = None) -> None:
        self.problems, self.packet = problems, packet


def _row_packet(
    row: dict[str, str],
    line: int,
    today: date,
    paper: str,
    loops: Callable[[str], LoopDocument],
    at: datetime | None,
    defaults: When | None,
    defaults_from: str,
    organizer: Person | None,
) -> Packet:
    cells = {k: (v or "").strip() for k, v in row.items()}
    problems = [f"line {line}, {c}: empty" for c in REQUIRED if not cells.get(c)]
    people: dict[str, Person | None] = {"email": None, "organizer": organizer}
    for column in people:
        if cells.get(column):
            try:
                people[column] = parse_person(cells[column], column)
            except LoopkitError as exc:
                problems.append(_problem(line, column, exc))
    panel: dict[str, tuple[Person, ...]] = {}
    panel_read = True
    for column, value in cells.items():
        if column.startswith(PANEL_PREFIX) and value:
            try:
                panel[column.removeprefix(PANEL_PREFIX)] = tuple(
                    Person.parse(n) for n in value.split(";") if n.strip()
                )
            except ValueError as exc:
                problems.append(f"line {line}, {column}: {exc}")
                panel_read = False
    # Every problem of the row in one go: the day is planned, and the packet built, even
    # when a person's address is wrong; only what they need must be there. Without the
    # loop or the panel, the day, start and zones are still checked.
    given = When(*(cells.get(column) or None for column in _OPTION_COLUMNS.values()))
    when = given.filled(defaults or When())
    columns = {**_OPTION_COLUMNS, **given.named_from(defaults or When(), defaults_from)}
    document = _row_loop(cells.get("loop", ""), line, loops, problems)

    def stand_in() -> Packet | None:
        """The packet with the row's wrong panel cells left out: it clashes with another
        row (the same packet, a person booked twice) as the row will once mended."""
        if document is None or not cells.get("candidate"):
            return None
        known = {i.id for i in document.loop.interviews}
        readable = {k: v for k, v in panel.items() if k in known}
        try:
            label = f"line {line}"
            planned = plan(document, when, today, [(label, readable)], label=label, columns=columns)
            return build_packet(planned, cells["candidate"], paper, cells.get("id") or None, at=at)
        except (LoopkitError, ValidationFailed):
            return None

    if document is None:
        problems += [_problem(line, _column(e, line), e) for e in when_problems(when, columns)]
        raise _RowError(problems, stand_in())
    packet = None
    try:
        # the panel cells read: one that cannot be is said above, and the others are
        # checked against the loop all the same (an interview it lacks, a person twice)
        planned = plan(
            document, when, today, [(f"line {line}", panel)], label=f"line {line}", columns=columns
        )
        if not cells.get("candidate") or not panel_read:
            raise _RowError(problems, stand_in())
        email = people["email"]
        packet = build_packet(
            planned,
            cells["candidate"],
            paper,
            cells.get("id") or None,
            organizer=people["organizer"],
            candidate_email=email.email if email else "",
            at=at,
            # a cell left empty keeps what the packet has, as an option left out does
            unsaid=frozenset(
                name
                for name, column in (("organizer", "organizer"), ("candidate_email", "email"))
                if not cells.get(column)
            ),
        )
    except ValidationFailed as exc:
        problems += _loop_problems(exc, line)
    except LoopkitError as exc:
        errors = exc.errors if isinstance(exc, Problems) else [exc]
        problems += [_problem(line, _column(e, line), e) for e in errors]
    if problems or packet is None:
        raise _RowError(problems, packet or stand_in())
    return packet


def _row_loop(
    ref: str, line: int, loops: Callable[[str], LoopDocument], problems: list[str]
) -> LoopDocument | None:
    """The loop a row names, or None with its problems added (none when the cell is empty:
    that is said already)."""
    if not ref:
        return None
    try:
        return loops(ref)
    except ValidationFailed as exc:
        problems += _loop_problems(exc, line)
    except LoopkitError as exc:
        problems.append(_problem(line, _column(exc, line), exc))
    return None


def _loop_problems(exc: ValidationFailed, line: int) -> list[str]:
    """A row's loop (or plan) findings: its errors, or every finding when none is an error."""
    found = [f for f in exc.findings if f.severity is Severity.ERROR] or exc.findings
    return [f"line {line}, loop: {f.file}:{f.line}: {f.key}: {f.message}" for f in found]


def _column(exc: LoopkitError, line: int) -> str:
    """The CSV column a row's error is about."""
    if exc.file == f"line {line}":  # a panel finding: panel.<id> is the column panel:<id>
        return f"{PANEL_PREFIX}{exc.key.removeprefix('panel.')}"
    return {"--candidate": "candidate", "--id": "id"}.get(exc.key, exc.key or "loop")


def _cross_row_problems(packets: list[tuple[int, Packet]]) -> list[str]:
    problems = []
    first: dict[str, tuple[int, Packet]] = {}
    for line, packet in packets:
        if packet.id in first:
            at, other = first[packet.id]
            who = (  # Li Wei and 李伟 make one id too
                "who share a name"
                if plain(other.candidate) == plain(packet.candidate)
                else "whose names make one id"
            )
            problems.append(
                f"line {line}, candidate: the same packet as line {at} ({packet.id}); "
                f"for two candidates {who}, give one a packet id of its own in an id column"
            )
        first.setdefault(packet.id, (line, packet))
    names: dict[tuple[str, str], tuple[int, Packet]] = {}
    told: set[int] = set()  # lines the names already refused: their address says no more
    for line, packet in packets:  # Mary-Jane O'Brien and Mary Jane OBrien: two ids, one name
        if packet.id_given:
            continue
        earlier = names.setdefault((packet.loop.id, plain(packet.candidate)), (line, packet))
        same = same_candidate(
            (packet.candidate, packet.candidate_email),
            (earlier[1].candidate, earlier[1].candidate_email),
        )
        if earlier[1].id != packet.id and same:
            told.add(line)
            problems.append(
                f"line {line}, candidate: {packet.candidate} is {earlier[1].candidate} of line "
                f"{earlier[0]} ({earlier[1].id}) spelled otherwise; for one candidate, spell the "
                "name as there; for a second loop of theirs, give this row a packet id of its "
                "own in an id column"
            )
    addresses: dict[tuple[str, str], tuple[int, Packet]] = {}
    for line, packet in packets:
        if packet.id_given or not packet.candidate_email or line in told:
            continue
        address = (packet.loop.id, packet.candidate_email.casefold())
        earlier = addresses.setdefault(address, (line, packet))
        if earlier[1].id != packet.id:
            own = "give this row a packet id of its own in an id column"
            ways = (  # updating the other packet first only when the names are one (see _folder)
                f"for one candidate, spell the name as there; for a second loop of theirs, {own}"
                if plain(earlier[1].candidate) == plain(packet.candidate)
                else f"for another candidate at this address, {own}; for one candidate, spell "
                "the name as there"
            )
            problems.append(
                f"line {line}, email: {packet.candidate_email} has the {packet.loop.id} packet of "
                f"line {earlier[0]} ({earlier[1].id}) already; {ways}"
            )
    schedules: list[Schedule] = [p.schedule for _, p in packets]
    for finding in panel_findings(schedules):
        if finding.severity is Severity.ERROR:
            column = finding.key.replace("panel.", PANEL_PREFIX, 1)  # the CSV's own column name
            problems.append(f"{finding.file}, {column}: {finding.message} ({finding.hint})")
    return problems


def plan_batch(packets: list[Packet], out: Path) -> BatchResult:
    """What writing every packet would do (``--dry-run``); or everything a write would
    stop on, for every packet, raised: a batch checks this before it writes the first.

    Each packet's dry run: a folder in the way, a packet whose lock is broken,
    a file in a packet folder that a revision cannot carry (a pipe).
    """
    problems: list[str] = []
    planned: list[PacketWrite] = []
    for packet in packets:
        try:
            planned.append(write_packet(packet, out, dry_run=True))
        except LoopkitError as exc:
            if exc.key == "--output":
                raise
            problems.append(f"{packet.schedule.label or packet.id}: {exc}")
    if problems:
        raise LoopkitError(
            f"{len(problems)} packet(s) cannot be written; nothing was written\n"
            + "\n".join(problems)
        )
    return BatchResult(tuple(planned))


def write_batch(
    packets: list[Packet],
    out: Path,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    landed: Callable[[Path], None] | None = None,
) -> BatchResult:
    """Write every packet, ``jobs`` processes at a time: new ones whole, changed ones as revisions.

    ``progress`` hears of every packet done; ``landed`` of every folder
    written or updated, also of those that finish after a stop (a
    ``KeyboardInterrupt``), before the stop is raised, so a count of them
    is the truth.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    plan_batch(packets, out)  # nothing is written while any packet would stop
    done: list[PacketWrite] = []

    def finished(result: PacketWrite, *, reported: bool) -> None:
        # called with stops held, so no count is half made
        done.append(result)
        if landed and not reported and result.state != "unchanged":
            landed(result.folder)
        if progress:
            progress(len(done), len(packets), result)

    if jobs == 1 or len(packets) <= 1:
        for packet in packets:
            result = write_packet(packet, out, committed=landed, planned=True)
            with stops_held():
                finished(result, reported=True)
        return BatchResult(tuple(sorted(done, key=lambda r: r.folder)))
    with stopping(render_pool(min(jobs, len(packets)))) as pool:
        futures: list[Future[PacketWrite]] = []
        try:
            futures += (pool.submit(write_packet, p, out, planned=True) for p in packets)
            # as each packet finishes, so the progress bar moves while work goes on
            for future in as_completed(futures):
                result = future.result()
                with stops_held():
                    finished(result, reported=False)
        except BaseException:
            # Stopped (Ctrl-C, kill, a hang-up) or a packet failed: packets not
            # started are dropped, the ones being written finish whole, and they
            # are reported too, so the count of packets written is the truth.
            drop_unstarted(pool)
            seen = {id(r) for r in done}
            for future in futures:
                whole = future.done() and not future.cancelled() and future.exception() is None
                if whole and id(future.result()) not in seen:
                    finished(future.result(), reported=False)
            raise
    return BatchResult(tuple(sorted(done, key=lambda r: r.folder)))

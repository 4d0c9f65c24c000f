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
from concurrent.futures import as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loopkit._actions import DEFAULT_PAPER, When, plan
from loopkit._documents import LoopDocument
from loopkit._errors import LoopkitError, Problems, Severity, ValidationFailed
from loopkit._load import load_loop
from loopkit._models import Person
from loopkit._packet import Packet, build_packet
from loopkit._schedule import Schedule, panel_findings
from loopkit._write import PacketWrite, render_pool, write_packet

COLUMNS = ("candidate", "loop", "id", "date", "start", "tz", "candidate_tz", "email")
_OPTION_COLUMNS = {"day": "date", "start": "start", "tz": "tz", "candidate_tz": "candidate_tz"}
REQUIRED = ("candidate", "loop")
PANEL_PREFIX = "panel:"
MAX_ROWS = 10_000

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


def read_batch(path: Path, today: date, paper: str = DEFAULT_PAPER) -> list[Packet]:
    """Read and check every row; return one built (not yet rendered) packet per row."""
    from loopkit.render.fonts import check

    display = str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise LoopkitError("no such file", file=display) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoopkitError(
            f"line {line}: not UTF-8 text", file=display, hint="save the CSV as UTF-8"
        ) from None
    except OSError as exc:
        raise LoopkitError(f"cannot be read: {exc.strerror or exc}", file=display) from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise LoopkitError(f"line 1: {exc}", file=display) from None
    problems = [f"line 1, {c}: missing column" for c in REQUIRED if c not in header]
    for column in header:
        if column not in COLUMNS and not column.startswith(PANEL_PREFIX):
            problems.append(
                f"line 1, {column}: unknown column (known: {', '.join(COLUMNS)}, panel:<interview-id>)"
            )
    if problems:
        raise BatchError(display, problems)
    packets: list[tuple[int, Packet]] = []
    loops = _LoopCache()
    try:
        for row in reader:
            line = reader.line_num
            if len(packets) + len(problems) >= MAX_ROWS:
                problems.append(f"line {line}: more than {MAX_ROWS} rows; split the file")
                break
            if None in row:
                problems.append(f"line {line}: more cells than the header has columns")
                continue
            try:
                packet = _row_packet(row, line, today, paper, loops)
                check(packet.candidate, "candidate's name")
                packets.append((line, packet))
            except _RowError as exc:
                problems.extend(exc.problems)
            except LoopkitError as exc:  # the candidate's name: empty, too long, or unprintable
                problems.append(_problem(line, "candidate", exc))
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: {exc}")
    if not packets and not problems:
        problems.append("line 2: no rows")
    problems += _cross_row_problems(packets)
    if problems:
        raise BatchError(display, problems)
    return [p for _, p in packets]


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
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems


def _row_packet(
    row: dict[str, str],
    line: int,
    today: date,
    paper: str,
    loops: Callable[[str], LoopDocument],
) -> Packet:
    cells = {k: (v or "").strip() for k, v in row.items()}
    problems = [f"line {line}, {c}: empty" for c in REQUIRED if not cells.get(c)]
    if cells.get("email") and "@" not in cells["email"]:
        problems.append(f"line {line}, email: not an e-mail address: {cells['email']!r}")
    panel: dict[str, tuple[Person, ...]] = {}
    for column, value in cells.items():
        if column.startswith(PANEL_PREFIX) and value:
            try:
                panel[column.removeprefix(PANEL_PREFIX)] = tuple(
                    Person.parse(n) for n in value.split(";") if n.strip()
                )
            except ValueError as exc:
                problems.append(f"line {line}, {column}: {exc}")
    if problems:
        raise _RowError(problems)
    when = When(*(cells.get(column) or None for column in _OPTION_COLUMNS.values()))
    try:
        document = loops(cells["loop"])
        planned = plan(document, when, today, [(f"line {line}", panel)], label=f"line {line}",
                       columns=_OPTION_COLUMNS)  # fmt: skip
        return build_packet(planned, cells["candidate"], paper, cells.get("id") or None)
    except ValidationFailed as exc:
        found = [f for f in exc.findings if f.severity is Severity.ERROR]
        raise _RowError(
            [f"line {line}, loop: {f.file}:{f.line}: {f.key}: {f.message}" for f in found]
        ) from None
    except LoopkitError as exc:
        errors = exc.errors if isinstance(exc, Problems) else [exc]
        raise _RowError([_problem(line, _column(e, line), e) for e in errors]) from None


def _column(exc: LoopkitError, line: int) -> str:
    """The CSV column a row's error is about."""
    if exc.file == f"line {line}":
        return f"{PANEL_PREFIX}{exc.key}"
    return {"--candidate": "candidate", "--id": "id"}.get(exc.key, exc.key or "loop")


def _cross_row_problems(packets: list[tuple[int, Packet]]) -> list[str]:
    problems = []
    first: dict[str, int] = {}
    for line, packet in packets:
        if packet.id in first:
            problems.append(
                f"line {line}, candidate: the same packet as line {first[packet.id]} ({packet.id})"
            )
        first.setdefault(packet.id, line)
    schedules: list[Schedule] = [p.schedule for _, p in packets]
    for finding in panel_findings(schedules):
        if finding.severity is Severity.ERROR:
            problems.append(f"{finding.file}, {finding.key}: {finding.message} ({finding.hint})")
    return problems


def write_batch(
    packets: list[Packet],
    out: Path,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Write every packet, ``jobs`` processes at a time: new ones whole, changed ones as revisions."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    done: list[PacketWrite] = []

    def finished(result: PacketWrite) -> None:
        done.append(result)
        if progress:
            progress(len(done), len(packets), result)

    if jobs == 1 or len(packets) <= 1:
        for packet in packets:
            finished(write_packet(packet, out))
        return BatchResult(tuple(sorted(done, key=lambda r: r.folder)))
    with render_pool(min(jobs, len(packets))) as pool:
        futures = [pool.submit(write_packet, p, out) for p in packets]
        try:
            # as each packet finishes, so the progress bar moves while work goes on
            for future in as_completed(futures):
                finished(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return BatchResult(tuple(sorted(done, key=lambda r: r.folder)))

"""``loopkit batch``: one packet per CSV row, every row checked before anything is written.

Rows are read and planned in this process (cheap); rendering, the slow
part, is spread over worker processes. Each packet folder appears by an
atomic rename, so an interrupted batch leaves only whole packets, and a
re-run skips the ones already there.
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

from loopkit._errors import LoopkitError, Severity, ValidationFailed
from loopkit._load import LoopDocument, load_loop
from loopkit._models import Person
from loopkit._packet import Packet, build_packet, render_pool, write_packet
from loopkit._schedule import (
    Schedule,
    get_zone,
    machine_zone,
    next_business_day,
    panel_findings,
    parse_clock,
    parse_day,
    plan_loop,
)

COLUMNS = ("candidate", "loop", "date", "start", "tz", "candidate_tz", "email")
REQUIRED = ("candidate", "loop")
PANEL_PREFIX = "panel:"
MAX_ROWS = 10_000

Progress = Callable[[int, int, Path], None]


class BatchError(LoopkitError):
    """One or more rows of a batch file are wrong; every one is listed."""

    def __init__(self, file: str, problems: list[str]) -> None:
        super().__init__(
            f"{len(problems)} problem(s); nothing was written\n" + "\n".join(problems), file=file
        )


@dataclass(frozen=True)
class BatchResult:
    """What a batch wrote and what it found already there."""

    written: tuple[Path, ...]
    skipped: tuple[Path, ...]


def read_batch(path: Path, today: date, paper: str = "letter") -> list[Packet]:
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
    zone_default = machine_zone()
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
                packet = _row_packet(row, line, today, zone_default, paper, loops)
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
    zone_default: str,
    paper: str,
    loops: Callable[[str], LoopDocument],
) -> Packet:
    cells = {k: (v or "").strip() for k, v in row.items()}
    problems: list[str] = []

    def cell(column: str, parse: Callable[[str], object]) -> object:
        try:
            return parse(cells[column])
        except LoopkitError as exc:
            problems.append(_problem(line, column, exc))
            return None

    for column in REQUIRED:
        if not cells.get(column):
            problems.append(f"line {line}, {column}: empty")
    day = cell("date", parse_day) if cells.get("date") else next_business_day(today)
    start = cell("start", parse_clock) if cells.get("start") else parse_clock("09:30")
    tz = cell("tz", get_zone) if cells.get("tz") else get_zone(zone_default)
    candidate_tz = cell("candidate_tz", get_zone) if cells.get("candidate_tz") else None
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
    try:
        planned = plan_loop(loops(cells["loop"]), day, start, tz, candidate_tz, [(f"line {line}", panel)],  # type: ignore[arg-type]
                            label=f"line {line}")  # fmt: skip
    except ValidationFailed as exc:
        errors = [f for f in exc.findings if f.severity is Severity.ERROR]
        raise _RowError(
            [f"line {line}, loop: {f.file}:{f.line}: {f.key}: {f.message}" for f in errors]
        ) from None
    except LoopkitError as exc:
        column = f"{PANEL_PREFIX}{exc.key}" if exc.file == f"line {line}" else "loop"
        raise _RowError([_problem(line, column, exc)]) from None
    return build_packet(planned, cells["candidate"], paper)


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
    force: bool = False,
    progress: Progress | None = None,
) -> BatchResult:
    """Render and write every packet, ``jobs`` processes at a time; skip folders already there."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    todo: list[Packet] = []
    skipped: list[Path] = []
    for packet in packets:
        if force or not (out / packet.id).exists():
            todo.append(packet)
        else:
            skipped.append(out / packet.id)
    written: list[Path] = []

    def done(path: Path) -> None:
        written.append(path)
        if progress:
            progress(len(written), len(todo), path)

    if jobs == 1 or len(todo) <= 1:
        for packet in todo:
            done(write_packet(packet, out, force=force))
        return BatchResult(tuple(sorted(written)), tuple(skipped))
    with render_pool(min(jobs, len(todo))) as pool:
        futures = [pool.submit(write_packet, p, out, force=force) for p in todo]
        try:
            # as each packet finishes, so the progress bar moves while work goes on
            for future in as_completed(futures):
                done(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return BatchResult(tuple(sorted(written)), tuple(skipped))

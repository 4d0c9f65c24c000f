"""Reading TOML with the line of every key, so errors can point at it.

``tomllib`` keeps no positions, so a small scanner of table headers and
``key =`` lines maps each key path to the line it stands on.

Text is parsed by rtoml (Rust) first: status and calibrate read thousands
of locks and scorecards, and rtoml reads them about fourteen times as fast.
What rtoml refuses goes to ``tomllib``, which reads it or says where it is
broken: loopkit reads what either reads (TOML 1.0, and what TOML 1.1 adds).
"""

from __future__ import annotations

import errno
import functools
import os
import re
import select
import stat
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

import rtoml

from loopkit._errors import Finding, Severity, ValidationFailed

Loc = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r"\"(?:[^\"\\]|\\.)*\"|'[^']*'"
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_ARRAY_HEADER = re.compile(rf"^\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\[\s*({_DOTTED})\s*\]")
_KEY_LINE = re.compile(rf"^({_DOTTED})\s*=(.*)$")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_DOTTED})\s*=")
_STRINGS = re.compile(rf"{_QUOTED}")
_SYNTAX_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
LOCK_FILE = "loop.lock.toml"  # a packet folder's lock: what makes a folder a packet
MAX_BYTES = 1_000_000  # a loop or scorecard is a few kilobytes; anything this large is a mistake
MAX_PIPED = 20_000_000  # standard input, read once for any file: a filled PDF, a batch's CSV


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def format_loc(loc: Loc) -> str:
    """Write a key path the way a user reads it: ``interviews[1].weight``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Source:
    """A TOML file's name and text, and the line each key path stands on.

    The lines are scanned only when a finding needs one: most files read
    are good, and scanning cost more than parsing them.
    """

    file: str
    text: str = field(default="", repr=False, compare=False)

    @cached_property
    def lines(self) -> dict[Loc, int]:
        """Each key path's line (first occurrence wins)."""
        return scan_lines(self.text)

    def line_of(self, loc: Loc) -> int:
        """The line of the longest known prefix of ``loc`` (1 when none is known)."""
        for end in range(len(loc), 0, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line:
                return line
        return 1

    def finding(
        self, code: str, loc: Loc, message: str, hint: str = "", *, warning: bool = False
    ) -> Finding:
        """A finding located at ``loc`` in this file."""
        return Finding(
            file=self.file,
            line=self.line_of(loc),
            code=code,
            severity=Severity.WARNING if warning else Severity.ERROR,
            key=format_loc(loc),
            message=message,
            hint=hint,
        )


def scan_lines(text: str) -> dict[Loc, int]:
    """Map each key path of a TOML document to its line (first occurrence wins)."""
    lines: dict[Loc, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: Loc = ()
    open_string = ""
    depth = 0

    def resolve(path: tuple[str, ...]) -> Loc:
        out: list[str | int] = []
        for i, part in enumerate(path):
            out.append(part)
            prefix = path[: i + 1]
            if prefix in counts and i < len(path) - 1:
                out.append(counts[prefix])
        return tuple(out)

    # Lines end at LF alone, as TOML counts them: str.splitlines also ends one at
    # U+2028, U+0085 and others, which a string or comment may hold.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if open_string:
            if line.count(open_string) % 2 == 1:
                open_string = ""
            continue
        if depth > 0:
            depth += _depth_change(line)
            continue
        if not line or line.startswith("#"):
            continue
        if match := _ARRAY_HEADER.match(line):
            path = _split_key(match[1])
            counts[path] = counts.get(path, -1) + 1
            table = (*resolve(path[:-1]), path[-1], counts[path])
            lines.setdefault(table[:-1], number)
            lines[table] = number
            continue
        if match := _TABLE_HEADER.match(line):
            table = resolve(_split_key(match[1]))
            lines.setdefault(table, number)
            continue
        if match := _KEY_LINE.match(line):
            key = (*table, *_split_key(match[1]))
            lines.setdefault(key, number)
            value = match[2].strip()
            for inner in _INLINE_KEY.finditer(_STRINGS.sub('""', value)):
                lines.setdefault((*key, *_split_key(inner[1])), number)
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    open_string = quote
            if not open_string:
                depth = max(0, _depth_change(value))
    return lines


def _depth_change(text: str) -> int:
    bare = _STRINGS.sub("", text).split("#", 1)[0]
    return bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")


STDIN = Path("-")  # where a file is read, ``-`` means standard input


def display_path(path: Path) -> str:
    """A path as a user should read it: relative to here when it is below here."""
    if path == STDIN:
        return "<stdin>"
    try:
        if ".." in Path(path).parts:  # after a link, .. is its target's parent: followed in turn
            real = Path(os.path.realpath(path))
        else:
            full = os.path.abspath(path)
            folder, name = os.path.split(full)
            real = Path(full).resolve() if os.path.islink(full) else _resolved(folder) / name
        return str(real.relative_to(_resolved(os.getcwd())))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(path)


def entry_path(path: Path) -> str:
    """A file as a user should read it, by its own name: a link is named as the link.

    ``display_path`` names a link by where it points; a card in a packet's
    scorecards/ is the card of its own name there, wherever it points, and
    every command names it so.
    """
    if path == STDIN:
        return "<stdin>"
    return os.path.normpath(os.path.join(display_path(path.parent), path.name))


def mended(text: str) -> str:
    """``text`` with each lone surrogate as U+FFFD, for a file or a document that must be UTF-8.

    A file name whose bytes are not UTF-8 reaches Python with those bytes
    as lone surrogates, which no UTF-8 text can hold.
    """
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


@functools.lru_cache(maxsize=256)
def _resolved(folder: str) -> Path:
    """An absolute folder with its links followed, once: status names thousands of files.

    A folder that is no link is its parent's, resolved, and its name: one
    lstat for each of a thousand packet folders of one folder, where
    resolving each whole took one for every part of its path.
    """
    parent, name = os.path.split(folder)
    if not name or os.path.islink(folder):  # the root, or a link: followed whole
        return Path(folder).resolve()
    return _resolved(parent) / name


def files_in(folder: Path, suffix: str) -> list[Path]:
    """The entries of ``folder`` whose names end in ``suffix``, sorted.

    As ``sorted(folder.glob("*" + suffix))``, at a fraction of the cost:
    status lists the scorecards of every packet of a folder. A folder that
    is not there, is a file, or cannot be read raises ``OSError``, where glob
    finds nothing.
    """
    names = os.listdir(folder)
    return [folder / name for name in sorted(names) if name.endswith(suffix)]


def read_file(path: Path, name: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or a located finding.

    The size is checked before reading and only regular files are read, so
    ``/dev/zero`` or a FIFO is refused at once instead of read for ever.
    ``-`` reads standard input, up to the same limit.
    """
    if path == STDIN:
        piped = _read_stdin(name, limit)
        if not piped:  # a pipe left empty is always a slip: no file loopkit reads is empty
            raise ValidationFailed(
                [_file_finding(name, "is empty: nothing came on standard input")]
            )
        if len(piped) > limit:
            raise ValidationFailed([_file_finding(name, f"is over the {_size(limit)} limit")])
        return piped
    try:
        # Opening a FIFO for reading blocks until a writer comes; non-blocking, it
        # opens at once and fstat then says what it is. A descriptor, not a file
        # object: status reads twenty files a packet, and the object took half the time.
        handle = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise ValidationFailed([_file_finding(name, "file not found")]) from None
    except OSError as exc:
        raise ValidationFailed([_cannot_read(name, exc)]) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise ValidationFailed([_file_finding(name, "is a folder, not a file")])
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):  # /dev/stdin, <(...)
            hint = "save what it gives in a file; '-' reads standard input"
            raise ValidationFailed([_file_finding(name, "is a pipe, not a file", 0, hint)])
        if not stat.S_ISREG(info.st_mode):
            raise ValidationFailed([_file_finding(name, "is not a regular file")])
        if info.st_size > limit:
            raise ValidationFailed(
                [_file_finding(name, f"is {info.st_size} bytes; over the {_size(limit)} limit")]
            )
        return _read_to_end(handle, info.st_size, limit)
    except OSError as exc:
        raise ValidationFailed([_cannot_read(name, exc)]) from None
    finally:
        os.close(handle)


def _read_stdin(name: str, limit: int) -> bytes:
    """Standard input to its end, or ``limit`` + 1 bytes of it; waiting for a writer even
    when it was left non-blocking, and saying so when there is none (``<&-``).

    Read once, up to the largest limit of any file: a later read of the same
    stream (a debrief keeping the card it counted) gets the same bytes, not
    the empty rest of a pipe.
    """
    stream = sys.stdin
    if stream is None:
        raise ValidationFailed([_file_finding(name, "cannot be read: standard input is closed")])
    if not _piped or _piped[0][0] is not stream:
        whole = max(limit, MAX_PIPED)
        try:
            handle = stream.fileno()
        except (OSError, ValueError):  # a stream in memory, as a program running loopkit gives
            data = stream.buffer.read(whole + 1)
        else:
            try:
                data = _read_to_end(handle, 0, whole)  # its size is not known
            except OSError as exc:
                raise ValidationFailed([_cannot_read(name, exc)]) from None
        _piped[:] = [(stream, data)]
    return _piped[0][1][: limit + 1]


_piped: list[tuple[object, bytes]] = []  # standard input as read: the stream, and its bytes


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_to_end(handle: int, size: int, limit: int) -> bytes:
    """A file's bytes to its end, or the first ``limit`` + 1 when it holds more.

    As much as the file holds is asked for first (asking for the limit
    allocates all of it, a megabyte per scorecard), and one more byte: a
    first read that gives exactly the size is the whole file, without a
    second read to find its end (status reads twenty files a packet). A
    file that grew meanwhile, or that gives a size of 0 (/proc, a pipe), is
    read on until a read gives nothing.
    """
    chunks: list[bytes] = []
    read, want = 0, size + 1
    while read <= limit:
        try:
            chunk = os.read(handle, min(want, limit + 1 - read))
        except BlockingIOError:  # a pipe left non-blocking by another process: nothing yet
            select.select([handle], [], [])
            continue
        if not chunk:
            break
        chunks.append(chunk)
        read += len(chunk)
        if read == size > 0:  # all the size said, and no more: the end of a regular file
            break
        want = 1 << 16
    return b"".join(chunks)


def _cannot_read(name: str, exc: OSError) -> Finding:
    if exc.errno == errno.EISDIR:
        return _file_finding(name, "is a folder, not a file")
    reason = "symlink loop" if exc.errno == errno.ELOOP else exc.strerror or str(exc)
    return _file_finding(name, f"cannot be read: {reason}")


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} kB"


def read_toml(path: Path, display: str | None = None) -> tuple[dict[str, Any], Source]:
    """Parse a TOML file, or raise ``ValidationFailed`` saying where it is broken."""
    name = display or display_path(path)
    return parse_toml(read_file(path, name), name)


def parse_toml(raw: bytes, name: str) -> tuple[dict[str, Any], Source]:
    """Parse TOML bytes read from ``name`` (see ``read_toml``)."""
    if len(raw) > MAX_BYTES:  # read to a byte past the limit: its size is not known
        raise ValidationFailed([_file_finding(name, f"is over the {_size(MAX_BYTES)} limit")])
    if raw.startswith(b"%PDF-"):  # a filled PDF card given as TOML, or on standard input
        hint = "a filled PDF scorecard is read from a file named .pdf, or from standard input"
        raise ValidationFailed([_file_finding(name, "is a PDF, not TOML", 1, hint)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationFailed(
            [_file_finding(name, f"is not UTF-8 text (byte {exc.start})", line)]
        ) from None
    return parse_text(text.removeprefix("\ufeff"), name)  # a byte-order mark, as Notepad saves


def parse_text(text: str, name: str) -> tuple[dict[str, Any], Source]:
    """Parse TOML text read from ``name`` (see ``read_toml``)."""
    try:
        data, walked = _loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        pos = _SYNTAX_POS.search(message)
        line = int(pos[1]) if pos else 0
        column = int(pos[2]) if pos else 0
        message = _SYNTAX_POS.sub("", message).strip()
        if message.endswith("(at end of document)"):  # a bracket or a string never closed
            line = text.rstrip().count("\n") + 1  # the last line with anything on it
            message = message.removesuffix("(at end of document)") + "at the end of the file"
        if message == "Illegal character '\\n'":
            column, message = 0, "a string is not closed before the end of the line"
        where = f" at column {column}" if column else ""
        raise ValidationFailed(
            [
                _file_finding(
                    name, f"TOML syntax: {message}{where}", line, "check quotes, = and brackets"
                )
            ]
        ) from None
    except RecursionError:
        raise ValidationFailed([_file_finding(name, "TOML is nested too deeply")]) from None
    except NumberTooLarge as exc:
        raise ValidationFailed(
            [_file_finding(name, _TOO_LARGE, exc.line, "check the digits", code="LK102")]
        ) from None
    except ValueError as exc:  # a value tomllib cannot read, other than a TOML mistake
        raise ValidationFailed([_file_finding(name, f"TOML value cannot be read: {exc}")]) from None
    source = Source(name, text)
    if walked.deep:  # a dotted key of thousands of parts: tomllib nests it without limit
        raise ValidationFailed([_file_finding(name, "TOML is nested too deeply")])
    huge = _huge_number(data, ()) if walked.huge else None
    if huge is not None:  # past 2**63 no loopkit value is meant; past 4300 digits str() fails
        raise ValidationFailed([source.finding("LK102", huge, _TOO_LARGE, "check the digits")])
    return data, source


def loads(text: str) -> dict[str, Any]:
    """TOML text as data; ``tomllib.TOMLDecodeError`` saying where when neither parser reads it.

    Nesting deeper than rtoml's limit (80 levels) raises RecursionError
    rather than going to tomllib: a dotted key of 30,000 parts (60 kB) took
    tomllib 14 s and 3.5 GB.
    """
    return _loads(text)[0]


def _loads(text: str) -> tuple[dict[str, Any], _Walked]:
    """``loads``, and what the walk over its values found (see ``_walk``)."""
    # rtoml keeps a Windows line end in a multi-line string, where tomllib reads \n; a lone
    # carriage return, which both refuse, is left for tomllib's message
    text = text.replace("\r\n", "\n") if "\r" in text else text
    try:
        data: dict[str, Any] = rtoml.loads(text)
    except ValueError as exc:  # rtoml's error, or a number it cannot hold (1e400)
        if "recurs" in str(exc):  # "recursion limit", "cannot recurse further"
            raise RecursionError(f"nested over {MAX_DEPTH} levels") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            raise
        except ValueError:  # Python's own limit, with its advice to raise it: said plainly
            digits = _DIGITS.search(text)
            if digits is None:
                raise
            raise NumberTooLarge(text.count("\n", 0, digits.start()) + 1) from None
    return data, _walk(data)


class NumberTooLarge(ValueError):
    """A number of more digits than Python reads (4,300), which tomllib refuses."""

    def __init__(self, line: int) -> None:
        super().__init__(f"{_TOO_LARGE}, at line {line}")
        self.line = line


def shown_value(value: object) -> str:
    """A value read from TOML as a message shows it: a date or time, and true and false, as
    TOML writes them, in an array or a table too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(shown_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {shown_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


CARD_SUFFIXES = (".toml", ".pdf")  # the names read as scorecards in a packet's scorecards/
MAX_DEPTH = 80  # tables and arrays in one another below the top, as rtoml allows; loopkit's: 4


@dataclass
class _Walked:
    """What ``_walk`` found in data read from TOML."""

    huge: bool = False  # an integer beyond 64 bits (``_huge_number`` says where)
    deep: bool = False  # tables and arrays nested deeper than ``MAX_DEPTH``


def _walk(data: dict[str, Any]) -> _Walked:
    """Give each date-time's offset the standard library's class, as tomllib does (in place),
    and say whether the data holds a huge integer or is nested too deeply.

    rtoml's own offset class compares equal, but names itself in a message
    (``got datetime.datetime(..., tzinfo=TzInfo(UTC))``) and cannot be
    pickled. Integers beyond TOML's 64 bits are read by both parsers, and
    only tomllib nests deeper than ``MAX_DEPTH`` (a dotted key of thousands
    of parts); the recursive walks of the checks would fail on either.

    One loop over every value, not a recursion: a lock holds hundreds of
    values, and status walks a thousand locks and ten thousand scorecards
    (a call per value, or a walk for each question, made these walks a large
    share of its time).
    """
    found = _Walked()
    tables: list[tuple[Any, int]] = [(data, 0)]  # tables and arrays: a parser gives no others
    while tables:
        table, depth = tables.pop()
        if depth > MAX_DEPTH:
            found.deep = True
        for key, item in table.items() if type(table) is dict else enumerate(table):
            kind = type(item)
            if kind is dict or kind is list:
                tables.append((item, depth + 1))
            elif kind is int:
                if not -(2**63) <= item < 2**63:  # TOML's 64 bits
                    found.huge = True
            elif kind is datetime and type(item.tzinfo) not in (timezone, type(None)):
                offset = item.utcoffset() or timedelta(0)
                table[key] = item.replace(tzinfo=timezone(offset))
    return found


def _huge_number(value: object, loc: Loc) -> Loc | None:
    """Where the first integer beyond 64 bits is, in data read from TOML."""
    if isinstance(value, int) and not isinstance(value, bool):
        return None if -(2**63) <= value < 2**63 else loc
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        found = _huge_number(item, (*loc, key))
        if found is not None:
            return found
    return None


def _file_finding(
    name: str, message: str, line: int = 0, hint: str = "", code: str = "LK100"
) -> Finding:
    return Finding(name, line, code, Severity.ERROR, "", message, hint)


_TOO_LARGE = "a number too large to be meant"  # past 2**63 no loopkit value is meant
# digits past Python's limit for reading an integer (4,300), which tomllib then refuses
_DIGITS = re.compile(r"(?<![\w.])[+-]?\d{4301,}")

"""The packet: a planned loop for one candidate, resolved into everything the writers need.

``build_packet`` computes (seats, file names, the lock file and its hash);
``write_packet`` renders every file in memory and then moves the whole
folder into place, so a failure never leaves half a packet.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import shutil
import signal
import tempfile
import tomllib
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import tomli_w

from loopkit._errors import LoopkitError, OutputError, ScorecardError
from loopkit._load import display_path
from loopkit._models import MAX_NAME, Interview, Loop, Person, ScorecardTemplate
from loopkit._schedule import Planned, Schedule, Slot

PAPERS = ("letter", "a4")
_LOCK_HEADER = (
    "# loopkit lock file: this packet's loop, fully resolved. The debrief checks it; do not edit.\n"
)
_HASH_LINE = re.compile(r'^hash = "(sha256:[0-9a-f]{64})"$', re.MULTILINE)
# Letters that NFKD does not take apart into an ASCII base.
_FOLD = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss",
                       "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d"})  # fmt: skip
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяєії",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "-", "y", "-", "e", "yu", "ya", "ye", "i", "yi"],
                     strict=True)) | {"ъ": "", "ь": ""}  # fmt: skip
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", ["a", "b", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o"],
                  strict=True))  # fmt: skip


def slugify(text: str, limit: int = 40) -> str:
    """An ASCII slug of ``text`` (letters, digits and single hyphens), at most ``limit`` long."""
    bare = "".join(
        c
        for c in unicodedata.normalize("NFKD", text.translate(_FOLD).lower())
        if not unicodedata.combining(c)
    )
    out = [_CYRILLIC.get(c, _GREEK.get(c, c)) for c in bare.replace("ου", "ou")]
    ascii_text = "".join(
        c if c.isascii() and c.isalnum() else "-" for c in "".join(out).replace("-", " ")
    )
    slug = re.sub(r"-+", "-", ascii_text).strip("-")[:limit].strip("-")
    return slug


def name_slug(name: str, limit: int = 40) -> str:
    """A slug for a person's name that is never empty: a short hash when no letter survives."""
    slug = slugify(name, limit)
    if len(slug) < 2:
        slug = "n-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug


def check_candidate(name: str) -> str:
    """A clean candidate name, or an error saying what is wrong with it."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise LoopkitError("the candidate's name is empty", key="--candidate")
    if len(cleaned) > MAX_NAME:
        raise LoopkitError(
            f"the candidate's name is {len(cleaned)} characters; at most {MAX_NAME}",
            key="--candidate",
        )
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in cleaned):
        raise LoopkitError("the candidate's name contains control characters", key="--candidate")
    return cleaned


@dataclass(frozen=True)
class Seat:
    """One interviewer's scorecard in one interview (person is None when unassigned)."""

    interview: Interview
    slot: Slot
    template: ScorecardTemplate
    person: Person | None
    stem: str

    @property
    def interviewer(self) -> str:
        """The interviewer's name, or "unassigned"."""
        return self.person.name if self.person else "unassigned"


@dataclass(frozen=True)
class Packet:
    """Everything the packet writers lay out, computed once."""

    id: str
    candidate: str
    loop: Loop
    schedule: Schedule
    templates: dict[str, ScorecardTemplate]
    seats: tuple[Seat, ...]
    paper: str

    def seats_of(self, interview_id: str) -> tuple[Seat, ...]:
        """The seats of one interview, in panel order."""
        return tuple(s for s in self.seats if s.interview.id == interview_id)

    # Serialising the lock is most of the cost of building a packet, so it is
    # done on first use: in a batch, by the worker that writes the packet.
    @cached_property
    def _lock(self) -> tuple[str, str]:
        return render_lock(_lock_data(self))

    @property
    def lock_text(self) -> str:
        """The text of loop.lock.toml."""
        return self._lock[0]

    @property
    def lock_hash(self) -> str:
        """The lock's hash, which every blank scorecard carries."""
        return self._lock[1]


def build_packet(planned: Planned, candidate: str, paper: str = "letter") -> Packet:
    """Resolve a planned loop for one candidate: seats, file names and the lock."""
    if paper not in PAPERS:
        raise LoopkitError(f"unknown paper size {paper!r}", key="--paper", hint="letter or a4")
    candidate = check_candidate(candidate)
    loop, schedule = planned.loop, planned.schedule
    packet_id = f"{schedule.day.isoformat()}-{name_slug(candidate)}-{loop.id}"
    templates = {k: v.template for k, v in sorted(planned.document.scorecards.items())}
    seats: list[Seat] = []
    for slot in schedule.interviews:
        assert slot.interview is not None
        interview = slot.interview
        template = templates[interview.scorecard]
        if not slot.people:
            seats.append(Seat(interview, slot, template, None, interview.id))
            continue
        used: set[str] = set()
        for person in slot.people:
            stem, n = f"{interview.id}--{name_slug(person.name)}", 2
            while stem in used:
                stem, n = f"{interview.id}--{name_slug(person.name)}-{n}", n + 1
            used.add(stem)
            seats.append(Seat(interview, slot, template, person, stem))
    return Packet(packet_id, candidate, loop, schedule, templates, tuple(seats), paper)


def _lock_data(packet: Packet) -> dict[str, Any]:
    loop, schedule = packet.loop, packet.schedule
    interviews = []
    for slot in schedule.interviews:
        assert slot.interview is not None
        interview = slot.interview
        mine = packet.seats_of(interview.id)
        interviews.append(
            {
                "id": interview.id,
                "title": interview.title,
                "kind": interview.kind,
                "weight": interview.weight,
                "scorecard": interview.scorecard,
                "start": slot.start.isoformat(),
                "end": slot.end.isoformat(),
                "interviewers": [str(s.person) for s in mine if s.person],
                "scorecard_files": [f"scorecards/{s.stem}.toml" for s in mine],
            }
        )
    return {
        "packet": {
            "id": packet.id,
            "candidate": packet.candidate,
            "loop": loop.id,
            "title": loop.title,
            "variant": loop.variant,
            "hire_bar": loop.hire_bar,
            "date": schedule.day.isoformat(),
            "tz": schedule.tz.key,
            "candidate_tz": schedule.candidate_tz.key,
            "start": schedule.start.isoformat(),
            "end": schedule.end.isoformat(),
            "paper": packet.paper,
        },
        "interviews": interviews,
        "scorecards": {k: asdict(v) for k, v in packet.templates.items()},
    }


def render_lock(data: dict[str, Any]) -> tuple[str, str]:
    """The lock file's text and its hash (sha256 of everything after the hash line)."""
    body = tomli_w.dumps(data)
    digest = "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()
    return f'{_LOCK_HEADER}hash = "{digest}"\n{body}', digest


def read_lock(path: Path) -> tuple[dict[str, Any], str]:
    """Read a packet's lock file and check that it still matches its own hash."""
    display = display_path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ScorecardError(
            "no loop.lock.toml here; is this a packet folder?", file=display
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScorecardError(f"cannot be read: {exc}", file=display) from None
    match = _HASH_LINE.search(text)
    if match is None:
        raise ScorecardError("has no hash line", file=display, key="hash")
    body = text[match.end() + 1 :]
    actual = "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()
    if actual != match[1]:
        raise ScorecardError(
            "was changed after the packet was written (its hash no longer matches)",
            file=display, key="hash", hint="rebuild the packet instead of editing the lock",
        )  # fmt: skip
    try:
        return tomllib.loads(body), match[1]
    except tomllib.TOMLDecodeError as exc:
        raise ScorecardError(f"is not valid TOML: {exc}", file=display) from None


def _toml_value(value: str | float) -> str:
    return tomli_w.dumps({"v": value})[4:].rstrip("\n")


def _comment(text: str) -> str:
    return " ".join(text.split())


def blank_scorecard(packet: Packet, seat: Seat) -> str:
    """The blank scorecard TOML an interviewer fills in (SPEC 2.5), with guidance comments."""
    slot = seat.slot
    lines = [
        f"# Scorecard: {_comment(seat.interview.title)} with {_comment(packet.candidate)}",
        f"# {slot.start:%A %d %B %Y, %H:%M}-{slot.end:%H:%M} {slot.end.tzname()}",
        "#",
        "# How to fill it in:",
        "#   recommendation: 1 strong no, 2 no, 3 yes, 4 strong yes (0 means not filled in yet)",
        '#   each rating: 1-4 as above, or "no signal" when the interview told you nothing about it',
        "#   each evidence: what the candidate said or did, in a sentence or two",
        "# Leave packet, interview and lock as they are: the debrief checks them.",
        "",
        f"packet = {_toml_value(packet.id)}",
        f"interview = {_toml_value(seat.interview.id)}",
        f"lock = {_toml_value(packet.lock_hash)}",
        f"interviewer = {_toml_value(seat.person.name if seat.person else '')}",
        "recommendation = 0      # 1 strong no, 2 no, 3 yes, 4 strong yes",
        'notes = ""',
        "",
        '[ratings]               # 1-4, or "no signal"',
    ]
    for competency in seat.template.competencies:
        lines.append(
            f"{competency.id} = 0    # {_comment(competency.name)} (weight {competency.weight:g})"
        )
    lines += ["", "[evidence]              # what you saw, per competency"]
    lines += [f'{competency.id} = ""' for competency in seat.template.competencies]
    return "\n".join(lines) + "\n"


def render_pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes for rendering, forked once the PDF stack is imported and the font parsed.

    Forked workers share that start-up with this process instead of paying
    it each. Where fork is not available the workers start afresh (slower,
    same bytes). Workers ignore Ctrl-C; this process acts on it (see
    ``_ignore_interrupts``).
    """
    # Imported before the fork so that every worker inherits them.
    import loopkit.render.pdf  # noqa: F401
    from loopkit.render.fonts import register

    register()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if "fork" in methods else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group. A worker interrupted while it held
    # the pool's result-queue lock never released it, and every other worker then
    # waited for that lock for ever: a batch hung instead of stopping. Only the
    # parent acts on Ctrl-C; it cancels what has not started, and the packets
    # already being written finish whole.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def packet_files(packet: Packet, jobs: int = 1) -> dict[str, bytes]:
    """Every file of the packet folder, rendered in memory, keyed by relative path.

    With ``jobs`` > 1 (and fork available) the PDFs are rendered by a
    ``render_pool``; the output is the same bytes as in one process.
    """
    from loopkit.render.pdf import render_itinerary, render_packet, render_scorecard

    # The largest document first, so the other worker takes the many small ones.
    pdfs: list[tuple[str, Callable[..., bytes], tuple[Any, ...]]] = [
        ("packet.pdf", render_packet, (packet,)),
        ("itinerary.pdf", render_itinerary, (packet,)),
        *(
            (f"scorecards/{seat.stem}.pdf", render_scorecard, (packet, seat))
            for seat in packet.seats
        ),
    ]
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        with render_pool(jobs) as pool:
            futures = [pool.submit(render, *args) for _, render, args in pdfs]
            # This process writes the small files while the workers lay out the
            # PDFs: icalendar's import alone takes about 85 ms.
            files = _small_files(packet)
            rendered = [future.result() for future in futures]
    else:
        files = _small_files(packet)
        rendered = [render(*args) for _, render, args in pdfs]
    files.update((name, data) for (name, _, _), data in zip(pdfs, rendered, strict=True))
    return files


def _small_files(packet: Packet) -> dict[str, bytes]:
    """The calendar, the lock file and the blank scorecards of the packet folder."""
    from loopkit._ics import render_calendar

    files = {
        "schedule.ics": render_calendar(packet),
        "loop.lock.toml": packet.lock_text.encode("utf-8"),
    }
    for seat in packet.seats:
        files[f"scorecards/{seat.stem}.toml"] = blank_scorecard(packet, seat).encode("utf-8")
    return files


def write_packet(packet: Packet, out: Path, *, force: bool = False, jobs: int = 1) -> Path:
    """Write the packet folder under ``out`` whole, or not at all; return its path."""
    return commit_folder(out, packet.id, lambda: packet_files(packet, jobs), force=force)


def commit_folder(
    out: Path, name: str, render: Callable[[], dict[str, bytes]], *, force: bool = False
) -> Path:
    """Render files, write them to a hidden temporary folder, then rename it to ``out/name``.

    The rename is atomic, so readers (and an interrupted run) only ever see
    a whole folder or none; with ``force`` an existing folder is replaced.
    """
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder", key="--output")
    final = out / name
    if final.exists() and not force:
        raise OutputError(f"{final} already exists", hint="use --force to replace it")
    files = render()
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=out))
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    try:
        for relative, data in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if final.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".old", dir=out))
            final.rename(retired / name)
            staging.rename(final)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(final)
    except OSError as exc:
        raise OutputError(f"cannot write {final}: {exc.strerror or exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    # Staging folders of this packet left by a killed run are stale now that it is whole.
    for stale in out.glob(f".{name}.*.partial"):
        shutil.rmtree(stale, ignore_errors=True)
    return final

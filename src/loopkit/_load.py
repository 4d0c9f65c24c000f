"""The loader: every file loopkit reads becomes a checked model here, with located findings.

Loops and scorecard templates (with their design rules), panel files, lock
files and filled scorecards. Nothing else in loopkit reads a file.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from loopkit._data import bundled_dir
from loopkit._documents import LoopDocument, ScorecardDocument
from loopkit._errors import (
    Finding,
    LoopkitError,
    PanelError,
    Severity,
    ValidationFailed,
    did_you_mean,
)
from loopkit._market import current_market
from loopkit._models import Loop, PanelFile, PanelSource, Person, ScorecardTemplate
from loopkit._rules import Context, check_loop, check_scorecard
from loopkit._schema import parse_model
from loopkit._source import (
    LOCK_FILE,
    MAX_PIPED,
    STDIN,
    Source,
    display_path,
    entry_path,
    read_file,
    read_toml,
)


def find_loop(ref: str) -> Path:
    """Resolve LOOP: a path, an id in ``./loops/``, or a bundled loop id."""
    path = Path(ref)
    if path.suffix == ".toml" or os.sep in ref or "/" in ref:
        if path.is_file():
            return path
        raise LoopkitError(f"no loop file at {ref}", hint="check the path")
    for candidate in (Path("loops") / f"{ref}.toml", bundled_dir("loops") / f"{ref}.toml"):
        if _here(candidate):
            return candidate
    known = _ids_in(Path("loops"), bundled_dir("loops"))
    hint = did_you_mean(ref, known) or "known loops: " + ", ".join(known)
    raise LoopkitError(
        f"no loop named {ref!r} (looked in ./loops and the built-in loops)", hint=hint
    )


def find_scorecard(scorecard_id: str, loop_path: Path) -> Path | None:
    """The template file for ``scorecard_id``: beside the loop's folder, then bundled."""
    for folder in _scorecard_folders(loop_path):
        candidate = folder / f"{scorecard_id}.toml"
        if _here(candidate):
            return candidate
    return None


def _scorecard_folders(loop_path: Path) -> tuple[Path, Path]:
    """Where a loop's scorecards are looked up: beside the loop's folder, then built in."""
    if loop_path == STDIN:  # a loop piped in is read as if it were in ./loops
        return Path("scorecards"), bundled_dir("scorecards")
    return Path(os.path.realpath(loop_path)).parent.parent / "scorecards", bundled_dir("scorecards")


def _ids_in(*folders: Path) -> list[str]:
    """The ids of the TOML files in ``folders``, for a did-you-mean."""
    return sorted({p.stem for folder in folders for p in folder.glob("*.toml")})


def _here(path: Path) -> bool:
    """Whether ``path`` is there at all: a team's own file that is a folder, a FIFO or a
    symlink loop is that team's file and gets its error, never a silent built-in one."""
    return path.exists() or path.is_symlink()


def load_scorecard_file(
    path: Path, read: tuple[dict[str, Any], Source] | None = None
) -> tuple[ScorecardDocument | None, list[Finding]]:
    """Read one scorecard template (or use ``read``, its data); findings instead of exceptions."""
    try:
        data, source = read or read_toml(path, display_path(path))
    except ValidationFailed as exc:
        return None, exc.findings
    template, findings = parse_model(ScorecardTemplate, data, source)
    if template is None:
        return None, findings
    document = ScorecardDocument(template, path, source)
    findings = list(check_scorecard(document))
    if template.id != path.stem and path != STDIN:  # a loop finds its scorecards by file name
        findings.append(
            source.finding(
                "LK114",
                ("id",),
                f"scorecard id {template.id!r} does not match its file name",
                f"set id = {path.stem!r}, or rename the file {template.id}.toml",
            )
        )
    return document, findings


def rules_context(today: date | None = None) -> Context:
    """The market figures in use (the team's, or loopkit's) and the day, for the design rules.

    ``today`` is the caller's; without one it is this machine's date.
    """
    return Context(current_market(), today or date.today())


def load_loop_file(
    path: Path,
    read: tuple[dict[str, Any], Source] | None = None,
    context: Context | None = None,
) -> tuple[LoopDocument | None, list[Finding]]:
    """Read one loop and every scorecard it references; all findings at once.

    The design rules judge it in ``context`` (see ``rules_context``).
    """
    try:
        data, source = read or read_toml(path, display_path(path))
    except ValidationFailed as exc:
        return None, exc.findings
    loop, findings = parse_model(Loop, data, source)
    if loop is None:
        return None, findings
    scorecards: dict[str, ScorecardDocument] = {}
    for index, interview in enumerate(loop.interviews):
        if interview.scorecard in scorecards:
            continue
        found = find_scorecard(interview.scorecard, path)
        if found is None:
            findings.append(
                source.finding(
                    "LK105",
                    ("interviews", index, "scorecard"),
                    f"no scorecard {interview.scorecard!r}",
                    did_you_mean(interview.scorecard, _ids_in(*_scorecard_folders(path)))
                    or f"create scorecards/{interview.scorecard}.toml next to the loop's folder",
                )
            )
            continue
        document, card_findings = load_scorecard_file(found)
        findings.extend(card_findings)
        if document is not None:
            scorecards[interview.scorecard] = document
    document_ = LoopDocument(loop, path, source, scorecards)
    findings.extend(check_loop(document_, context or rules_context()))
    allowed = set(loop.allow)
    findings = [f for f in findings if not (f.severity is Severity.WARNING and f.code in allowed)]
    return document_, findings


def load_loop(ref: str) -> LoopDocument:
    """Find and load a loop by path or id; raise ``ValidationFailed`` on any error."""
    document, findings = load_loop_file(find_loop(ref))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors or document is None:
        raise ValidationFailed(findings)
    warnings = tuple(sorted(set(findings)))
    return LoopDocument(
        document.loop, document.path, document.source, document.scorecards, warnings
    )


def validate_paths(paths: list[Path], today: date | None = None) -> tuple[list[Finding], int]:
    """Check loops, scorecards, panel files and filled scorecards, told apart by their content.

    Folders are searched for their loops and scorecards. Returns the
    findings and the number of files read. Loops are judged against the
    market figures in use on ``today`` (see ``rules_context``).
    """
    files: list[Path] = []
    findings: set[Finding] = set()
    counted = 0  # files read for the findings a packet's cards make together
    for path in paths:
        if path.is_dir():
            # A project folder means its loops and scorecards, not every TOML file
            # in it (pyproject.toml is not a loop).
            subs = [path / sub for sub in ("loops", "scorecards") if (path / sub).is_dir()]
            found = []
            if (path / LOCK_FILE).exists() or (path / LOCK_FILE).is_symlink():
                subs = [path / "scorecards"]  # a packet: its lock and cards, gone or not
                found.append(path / LOCK_FILE)
            for folder in subs or [path]:
                one_by_one, made, read = _files_to_check(folder)
                found += one_by_one
                findings.update(made)
                counted += read
            if not found and not findings and not counted:  # (a packet has its lock)
                raise LoopkitError(f"{path}: no .toml files here")
            files += found
        elif path == STDIN or path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise LoopkitError(f"{path}: no such file or folder")
    # Each file once, named as it was given; realpath, not resolve(): a symlink loop is
    # a file that cannot be read, not a crash.
    unique: dict[str, Path] = {}
    for path in files:  # standard input is no file of the folder it runs in (./-)
        unique.setdefault("" if path == STDIN else os.path.realpath(path), path)
    context = rules_context(today)
    for file in unique.values():
        findings.update(check_file(file, context))
    return sorted(findings), len(unique) + counted


def _files_to_check(folder: Path) -> tuple[list[Path], list[Finding], int]:
    """The TOML files of a folder to check one by one; in a packet's scorecards/, the
    debrief's own verdict on its cards instead.

    For a packet, that is every problem ``read_cards`` finds (two cards for
    one seat, a PDF and a TOML that disagree, a card of another revision, a
    card named in capitals), and the blanks of seats nobody has handed a
    card in for, to be checked one by one for their warning. Returns those files, the
    findings made, and how many files were read to make them.
    """
    tomls = sorted(folder.glob("*.toml"))
    lock_file = folder.parent / LOCK_FILE
    if folder.name != "scorecards" or not (lock_file.exists() or lock_file.is_symlink()):
        return tomls, [], 0
    from loopkit._readback import read_cards, read_lock  # the lock's models: only for a packet

    pdfs = sorted(folder.glob("*.pdf"))
    try:
        lock, digest = read_lock(folder.parent)
    except LoopkitError:  # each card's own check names what is wrong with the lock
        return tomls + pdfs, [], 0
    cards = read_cards(folder.parent, lock, digest)
    handed = {seat for file, seat in cards.seats.items() if file not in cards.blanks}
    blanks = [folder / Path(b).name for b in cards.blanks if cards.seats.get(b) not in handed]
    return blanks, cards.problems, max(0, cards.read - len(blanks))


def check_file(path: Path, context: Context | None = None) -> list[Finding]:
    """Every finding for one file, whatever kind of loopkit file its content says it is."""
    name = entry_path(path)  # a link by its own name: a linked card is named as debrief names it
    piped = b""
    if path == STDIN:
        try:
            piped = read_file(STDIN, name, MAX_PIPED)
        except ValidationFailed as exc:
            return exc.findings
    if path != STDIN and path.name == LOCK_FILE:  # by its name: one it cannot parse is one too
        return _lock_findings(path, name)
    pdf = piped.startswith(b"%PDF-") if path == STDIN else path.suffix.lower() == ".pdf"
    if pdf:  # a scorecard filled in a viewer
        from loopkit._readback import filled_pdf_findings  # (the PDF reader: only for a PDF)

        return filled_pdf_findings(path, name)
    try:
        read = read_toml(path, name)
    except ValidationFailed as exc:
        return exc.findings
    data, source = read
    if "ratings" in data or "recommendation" in data:
        # Checking a loop never loads the lock and filled-scorecard models (about 40 ms).
        from loopkit._readback import filled_findings

        return filled_findings(path, data, source)
    if "panel" in data:
        return _panel_findings(data, source)
    if "packet" in data and "seats" in data:  # a packet's lock, which holds interviews too
        return _lock_findings(path, name, source.text.encode("utf-8"))
    # the folder says what a file meant to be when its content cannot
    if "interviews" in data or (path.parent.name == "loops" and "competencies" not in data):
        return load_loop_file(path, read, context)[1]
    if "competencies" in data or path.parent.name == "scorecards":
        return load_scorecard_file(path, read)[1]
    return [
        source.finding(
            "LK100",
            (),
            "is not a loop, scorecard, panel or filled scorecard",
            "a loop has [[interviews]], a scorecard [[competencies]], a panel [panel]",
        )
    ]


def _lock_findings(path: Path, name: str, text: bytes | None = None) -> list[Finding]:
    """A packet's lock, checked as debrief and status read it: ``path`` in its packet
    folder, or the ``text`` of a copy under another name (a lock's keys are no loop's)."""
    from loopkit._readback import lock_findings, read_lock, whole_lock  # only for a lock

    try:
        if text is None:
            read_lock(path.parent)
        else:
            whole_lock(text, name)
    except LoopkitError as exc:
        return lock_findings(exc, name)
    return []


def _panel_findings(data: dict[str, Any], source: Source) -> list[Finding]:
    panel, findings = parse_model(PanelFile, data, source)
    if panel is None:
        return findings
    for interview_id, names in panel.panel.items():
        for name in names:
            try:
                Person.parse(name)
            except ValueError as exc:
                findings.append(source.finding("LK120", ("panel", interview_id), str(exc)))
    return findings


def read_panel_file(path: Path) -> PanelSource:
    """Read a ``--panel`` TOML file: interview id -> people, and the line of each."""
    data, source = read_toml(path, display_path(path))
    panel, findings = parse_model(PanelFile, data, source)
    if panel is None:
        raise ValidationFailed(findings)
    out: dict[str, tuple[Person, ...]] = {}
    for interview_id, names in panel.panel.items():
        try:
            out[interview_id] = tuple(Person.parse(n) for n in names)
        except ValueError as exc:
            raise PanelError(
                str(exc),
                file=source.file,
                line=source.line_of(("panel", interview_id)),
                key=f"panel.{interview_id}",
            ) from None
    lines = {interview_id: source.line_of(("panel", interview_id)) for interview_id in out}
    return PanelSource(source.file, out, lines)


def machine_zone() -> str:
    """The IANA name of this machine's zone: TZ, or where /etc/localtime points.

    UTC when TZ is not set and /etc/localtime says nothing. A TZ naming a
    file (``:/etc/localtime``, ``/usr/share/zoneinfo/Europe/Paris``) is read
    as the C library reads it; one that names no zone is returned as it is,
    for ``get_zone`` to refuse by name.
    """
    name = os.environ.get("TZ", "").lstrip(":")
    if name and not name.startswith("/"):
        return name
    path = name or "/etc/localtime"
    marker = "zoneinfo/"
    try:
        target = os.path.realpath(path) if os.path.lexists(path) else path
    except OSError:
        target = path
    if marker in target:
        return target.split(marker, 1)[1]
    return name or "UTC"

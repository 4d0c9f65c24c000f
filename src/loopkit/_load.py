"""Finding and loading loop and scorecard files into models, with located findings."""

from __future__ import annotations

import dataclasses
import difflib
import os
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic_core import ValidationError

from loopkit._data import bundled_dir
from loopkit._errors import Finding, LoopkitError, Severity, ValidationFailed
from loopkit._models import Loop, ScorecardTemplate, validator
from loopkit._source import Loc, Source, read_toml

M = TypeVar("M")
_KINDS = {"unexpected_keyword_argument": "extra_forbidden"}
_LENGTH_KEYS = {"length", "between", "interviewer_limit"}  # every key that holds a duration


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


def display_path(path: Path) -> str:
    """A path as a user should read it: relative to here when it is below here."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_loop(ref: str) -> Path:
    """Resolve LOOP: a path, an id in ``./loops/``, or a bundled loop id."""
    path = Path(ref)
    if path.suffix == ".toml" or os.sep in ref or "/" in ref:
        if path.is_file():
            return path
        raise LoopkitError(f"no loop file at {ref}", hint="check the path")
    for candidate in (Path("loops") / f"{ref}.toml", bundled_dir("loops") / f"{ref}.toml"):
        if candidate.is_file():
            return candidate
    known = sorted(
        {p.stem for d in (Path("loops"), bundled_dir("loops")) for p in d.glob("*.toml")}
    )
    close = difflib.get_close_matches(ref, known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else "known loops: " + ", ".join(known)
    raise LoopkitError(
        f"no loop named {ref!r} (looked in ./loops and the built-in loops)", hint=hint
    )


def find_scorecard(scorecard_id: str, loop_path: Path) -> Path | None:
    """The template file for ``scorecard_id``: beside the loop's folder, then bundled."""
    for folder in (loop_path.resolve().parent.parent / "scorecards", bundled_dir("scorecards")):
        candidate = folder / f"{scorecard_id}.toml"
        if candidate.is_file():
            return candidate
    return None


def parse_model(
    cls: type[M], data: dict[str, Any], source: Source
) -> tuple[M | None, list[Finding]]:
    """Build ``cls`` from data, turning every pydantic error into a located finding."""
    try:
        return validator(cls).validate_python(data), []
    except ValidationError as exc:
        return None, [_finding_from_error(cls, err, source) for err in exc.errors()]


def _finding_from_error(cls: type, err: Any, source: Source) -> Finding:
    loc: Loc = tuple(err["loc"])
    # a model's unknown key is an unexpected keyword to pydantic-core
    kind: str = _KINDS.get(err["type"], err["type"])
    given = err.get("input")
    leaf = next((p for p in reversed(loc) if isinstance(p, str)), "")
    message = err["msg"][:1].lower() + err["msg"][1:]
    hint = ""
    code = "LK102"
    if kind == "extra_forbidden":
        code = "LK101"
        known = sorted(_fields_at(cls, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        message = f"unknown key {loc[-1]!r}"
        hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(known)
    elif kind == "missing":
        code = "LK103"
        message = "missing key"
        hint = f"add {leaf} = ..."
    elif kind == "missing_anchor":
        code = "LK108"
        hint = "describe what a 1, 2, 3 and 4 answer sounds like"
    elif kind == "duration" or (kind != "window" and _LENGTH_KEYS.intersection(loc)):
        code = "LK106"
        hint = 'write "45m", "1h30m", "2h" or a positive whole number of minutes'
    elif leaf == "weight":
        code = "LK107"
        hint = "a weight is a positive number, the share of the score"
    elif kind == "string_pattern_mismatch" and leaf in ("id", "scorecard", "after"):
        code = "LK112"
        message = "not a valid id"
        hint = "use lower-case letters, digits, - and _ (no spaces, / or ..)"
    if kind not in ("extra_forbidden", "missing") and not isinstance(given, dict | list):
        message += f", got {_short(given)}"
    return source.finding(code, loc, message, hint)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(cls: type, loc: Loc) -> set[str]:
    """The keys allowed in the table at ``loc`` of a ``cls`` document."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        hints = typing.get_type_hints(current) if dataclasses.is_dataclass(current) else {}
        if part not in hints:
            return set()
        current = _unwrap(hints[part])
    return (
        {f.name for f in dataclasses.fields(current)}
        if dataclasses.is_dataclass(current)
        else set()
    )


def _unwrap(annotation: Any) -> Any:
    """The model inside ``list[X]``, ``dict[str, X]`` or ``X | None``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def load_scorecard_file(path: Path) -> tuple[ScorecardDocument | None, list[Finding]]:
    """Read one scorecard template; findings instead of exceptions."""
    from loopkit._rules import check_scorecard  # _rules imports this module

    try:
        data, source = read_toml(path, display_path(path))
    except ValidationFailed as exc:
        return None, exc.findings
    template, findings = parse_model(ScorecardTemplate, data, source)
    if template is None:
        return None, findings
    document = ScorecardDocument(template, path, source)
    return document, list(check_scorecard(document))


def load_loop_file(path: Path) -> tuple[LoopDocument | None, list[Finding]]:
    """Read one loop and every scorecard it references; all findings at once."""
    from loopkit._rules import check_loop  # _rules imports this module

    try:
        data, source = read_toml(path, display_path(path))
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
                    f"create scorecards/{interview.scorecard}.toml next to the loop's folder",
                )
            )
            continue
        document, card_findings = load_scorecard_file(found)
        findings.extend(card_findings)
        if document is not None:
            if document.template.id != interview.scorecard:
                findings.append(
                    document.source.finding(
                        "LK114",
                        ("id",),
                        f"scorecard id {document.template.id!r} does not match its file name",
                        f"set id = {interview.scorecard!r}",
                    )
                )
            scorecards[interview.scorecard] = document
    document_ = LoopDocument(loop, path, source, scorecards)
    findings.extend(check_loop(document_))
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


def validate_paths(paths: list[Path]) -> tuple[list[Finding], int]:
    """Check loop and scorecard files (folders are searched); return findings and files read."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # A project folder means its loops and scorecards, not every TOML file
            # in it (pyproject.toml is not a loop).
            subs = [path / sub for sub in ("loops", "scorecards") if (path / sub).is_dir()]
            found = [f for folder in subs or [path] for f in sorted(folder.glob("*.toml"))]
            if not found:
                raise LoopkitError(f"{path}: no .toml files here")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise LoopkitError(f"{path}: no such file or folder")
    findings: set[Finding] = set()
    for file in dict.fromkeys(p.resolve() for p in files):
        if _is_scorecard(file):
            findings.update(load_scorecard_file(file)[1])
        else:
            findings.update(load_loop_file(file)[1])
    return sorted(findings), len(files)


def _is_scorecard(path: Path) -> bool:
    if path.parent.name in ("scorecards", "loops"):
        return path.parent.name == "scorecards"
    try:
        head = path.read_text("utf-8", errors="replace")
    except OSError:
        return False
    return "[[competencies]]" in head and "[[interviews]]" not in head

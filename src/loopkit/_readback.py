"""Reading back what a packet hands in: its lock file and the filled scorecards.

A filled scorecard is a TOML or, filled in a PDF viewer, the scorecard PDF
(``_fillable``). Both are files loopkit wrote and people may have edited; both become checked
models here, with located findings, before the debrief or a revision uses
them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loopkit._debrief import check_card, check_values
from loopkit._documents import FilledDocument
from loopkit._errors import Finding, LoopkitError, Severity, ValidationFailed
from loopkit._fillable import is_pdf, read_filled_pdf
from loopkit._records import FilledScorecard, Lock, lock_digest
from loopkit._schema import parse_model
from loopkit._source import LOCK_FILE, STDIN, Source, display_path, parse_toml, read_file


def filled_findings(path: Path, data: dict[str, Any], source: Source) -> list[Finding]:
    """A filled scorecard's shape; and, inside a packet folder, every check the debrief makes."""
    card, findings = parse_model(FilledScorecard, data, source)
    if card is None:
        return [_as_code(f, "LK131") for f in findings]
    packet = path.parent.parent
    doc = FilledDocument(card, source.file, source)
    if path.parent.name != "scorecards" or not (packet / LOCK_FILE).is_file():
        return check_values(doc)  # away from its packet: what can be checked without the lock
    try:
        lock, digest = read_lock(packet)
    except ValidationFailed as exc:
        return exc.findings
    except LoopkitError as exc:
        return [
            Finding(
                exc.file or source.file,
                exc.line,
                "LK130",
                Severity.ERROR,
                exc.key,
                exc.message,
                exc.hint,
            )
        ]
    if card.recommendation == 0 and all(v == 0 for v in card.ratings.values()):
        return check_values(doc)  # an untouched blank: say so, as a warning
    return check_card(doc, lock, digest)[1]


def read_lock(packet_dir: Path) -> tuple[Lock, str]:
    """A packet's lock file as a model and its hash, checked against what it says of itself.

    The hash is taken over the file's data without the ``hash`` line and the
    ``files`` table, so it can be checked whatever the layout of the text.
    """
    path = packet_dir / LOCK_FILE
    name = display_path(path)
    if not path.exists() and not path.is_symlink():
        raise LoopkitError(f"no {LOCK_FILE} here; is this a packet folder?", file=name)
    try:
        data, source = parse_toml(read_file(path, name), name)
    except ValidationFailed as exc:
        raise ValidationFailed([_as_code(f, "LK130") for f in exc.findings]) from None
    written = data.pop("hash", None)
    files = data.pop("files", {})
    if not isinstance(written, str):
        raise ValidationFailed([source.finding("LK130", ("hash",), "has no hash line")])
    if lock_digest(data) != written:
        raise LoopkitError(
            "was changed after the packet was written (its hash no longer matches)",
            file=name,
            key="hash",
            hint="rebuild the packet instead of editing the lock",
        )
    lock, findings = parse_model(Lock, {**data, "files": files}, source)
    if lock is None:
        raise ValidationFailed([_as_code(f, "LK130") for f in findings])
    return lock, written


def read_filled(path: Path) -> tuple[FilledDocument | None, list[Finding]]:
    """One filled scorecard, TOML or PDF form, as a model; findings instead of exceptions."""
    if path != STDIN and is_pdf(path):
        return read_filled_pdf(path)
    name = display_path(path)
    try:
        data, source = parse_toml(read_file(path, name), name)
    except ValidationFailed as exc:
        return None, [_as_code(f, "LK131") for f in exc.findings]
    card, findings = parse_model(FilledScorecard, data, source)
    if card is None:
        return None, [_as_code(f, "LK131") for f in findings]
    return FilledDocument(card, name, source), []


def _as_code(finding: Finding, code: str) -> Finding:
    """A finding about a file loopkit wrote and a person handed back, under that file's code."""
    return Finding(
        finding.file,
        finding.line,
        code,
        finding.severity,
        finding.key,
        finding.message,
        finding.hint,
    )

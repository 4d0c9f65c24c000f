"""Reading back what a packet hands in: its lock file and the filled scorecards.

A filled scorecard is a TOML or, filled in a PDF viewer, the scorecard PDF
(``_fillable``). Both are files loopkit wrote and people may have edited; both become checked
models here, with located findings, before the debrief or a revision uses
them.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loopkit._debrief import Filled, check_card, check_cards, check_values
from loopkit._documents import FilledDocument
from loopkit._errors import Finding, LoopkitError, Severity, ValidationFailed
from loopkit._fillable import (
    MAX_PDF_BYTES,
    PDF_SUFFIX,
    filled_form,
    handed_in,
    is_pdf,
    one_per_seat,
    read_filled_pdf,
)
from loopkit._records import FilledScorecard, Lock, as_written, lock_as_written, lock_digest
from loopkit._schema import parse_model
from loopkit._source import (
    CARD_SUFFIXES,
    LOCK_FILE,
    MAX_BYTES,
    STDIN,
    Source,
    display_path,
    files_in,
    parse_toml,
    read_file,
)


def filled_findings(path: Path, data: dict[str, Any], source: Source) -> list[Finding]:
    """A filled scorecard's shape; and, inside a packet folder, every check the debrief makes."""
    card, findings = parse_model(FilledScorecard, data, source)
    if card is None:
        return [_as_code(f, "LK131") for f in findings]
    return _card_findings(path, FilledDocument(card, source.file, source))


def filled_pdf_findings(path: Path, name: str = "") -> list[Finding]:
    """A scorecard PDF filled in a viewer, checked as its TOML would be (``filled_findings``)."""
    doc, findings = read_filled(path, name)  # standard input too
    return findings if doc is None else _card_findings(path, doc)


def _card_findings(path: Path, doc: FilledDocument) -> list[Finding]:
    card, source = doc.card, doc.source
    folder = path.absolute().parent  # "card.toml", given from inside scorecards/, is there too
    packet = folder.parent
    lock_file = packet / LOCK_FILE  # a link to nowhere is a lock that cannot be read
    if folder.name != "scorecards" or not (lock_file.exists() or lock_file.is_symlink()):
        # away from its packet: what can be checked without the lock, and a word that the
        # rest (a misspelt competency, the seat, the revision) was not
        away = Finding(
            source.file,
            0,
            "LK136",
            Severity.WARNING,
            "",
            "checked away from its packet: its competencies, seat and revision were not checked",
            "validate it in the packet's scorecards/ folder, or hand it in with "
            "loopkit debrief PACKET --scorecard FILE",
        )
        return [*check_values(doc), away]
    try:
        lock, digest = read_lock(packet)
    except LoopkitError as exc:
        return lock_findings(exc, source.file)
    if card.untouched:
        return check_values(doc)  # an untouched blank: say so, as a warning
    return check_card(doc, lock, digest)[1]


def lock_findings(exc: LoopkitError, name: str) -> list[Finding]:
    """Why a lock cannot be read (``read_lock``, ``whole_lock``), as findings (LK130) of
    the file ``name`` when the error names none."""
    if isinstance(exc, ValidationFailed):
        return exc.findings
    where = exc.file or name
    return [Finding(where, exc.line, "LK130", Severity.ERROR, exc.key, exc.message, exc.hint)]


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
        raw = read_file(path, name)
    except ValidationFailed as exc:
        raise ValidationFailed([_as_code(f, "LK130", LOCK_BACK) for f in exc.findings]) from None
    return lock_as_written(raw, name) or whole_lock(raw, name)


def whole_lock(raw: bytes, name: str) -> tuple[Lock, str]:
    """A lock's bytes read from ``name``, parsed and checked whole (see ``read_lock``)."""
    try:
        data, source = parse_toml(raw, name)
    except ValidationFailed as exc:
        raise ValidationFailed([_as_code(f, "LK130", LOCK_BACK) for f in exc.findings]) from None
    written = data.pop("hash", None)
    files = data.pop("files", {})
    if not isinstance(written, str):
        raise ValidationFailed([source.finding("LK130", ("hash",), "has no hash line", LOCK_BACK)])
    if not as_written(source.text, written) and lock_digest(data) != written:
        raise LoopkitError(
            "was changed after the packet was written (its hash no longer matches)",
            file=name,
            line=source.line_of(("hash",)),
            key="hash",
            hint=LOCK_BACK,
        )
    lock, findings = parse_model(Lock, {**data, "files": files}, source)
    if lock is None:
        raise ValidationFailed([_as_code(f, "LK130", LOCK_BACK) for f in findings])
    return lock, written


def read_filled(path: Path, name: str = "") -> tuple[FilledDocument | None, list[Finding]]:
    """One filled scorecard, TOML or PDF form, as a model; findings instead of exceptions.

    ``name`` is the file as messages name it (``display_path`` when not given).
    """
    if path != STDIN and is_pdf(path):
        return read_filled_pdf(path, name)
    name = name or display_path(path)
    try:
        raw = read_file(path, name, MAX_PDF_BYTES if path == STDIN else MAX_BYTES)
        if path == STDIN and raw.startswith(b"%PDF-"):  # a filled PDF piped in
            return filled_form(raw, name)
        data, source = parse_toml(raw, name)
    except ValidationFailed as exc:
        return None, [_as_code(f, "LK131") for f in exc.findings]
    card, findings = parse_model(FilledScorecard, data, source)
    if card is None:
        return None, [_as_code(f, "LK131") for f in findings]
    return FilledDocument(card, name, source), []


def piped_name(lock: Lock) -> str:
    """The name the card on standard input is kept under in the packet of ``lock``: its
    seat's, as a PDF or a TOML ("" when it names no seat of the packet)."""
    seat = card_seat(STDIN)
    if seat not in {s.stem for s in lock.seats}:
        return ""
    raw = read_file(STDIN, display_path(STDIN), MAX_PDF_BYTES)  # read once already: no wait
    return seat + (PDF_SUFFIX if raw.startswith(b"%PDF-") else ".toml")


def card_seat(card: Path) -> str:
    """The seat a filled card says it is for ("" when it is no card that can be read)."""
    doc, _ = read_filled(card, card.name)
    return doc.card.seat if doc is not None else ""


def _kept_copy(path: Path, folder: Path, lock: Lock) -> bool:
    """Whether ``path`` holds the bytes of the card of its name in ``folder`` (a copy kept
    there); for a card from standard input, of the card under its seat's name."""
    name = piped_name(lock) if path == STDIN else path.name
    if not name:
        return False
    limit = MAX_PDF_BYTES if path == STDIN or is_pdf(path) else MAX_BYTES
    try:  # regular files only: a pipe given as a card is never waited on
        return read_file(path, name, limit) == read_file(folder / name, name, limit)
    except ValidationFailed:
        return False


def misnamed(listed: Sequence[Path], folder: str) -> list[Finding]:
    """The files of a scorecards/ folder that look like cards but are not read as cards
    (``sam.TOML``), each named: a card is never passed over unsaid. ``folder`` is how
    messages name the folder."""
    names = {p.name for p in listed}
    found = []
    for path in listed:
        name = path.name
        if name.endswith(CARD_SUFFIXES) or not name.lower().endswith(CARD_SUFFIXES):
            continue
        if path.is_dir() and not path.is_symlink():
            continue  # a folder: no card
        stem, dot, suffix = name.rpartition(".")
        meant = f"{stem}{dot}{suffix.lower()}"
        hint = (
            f"{meant} is there too: keep one of the two, under that name"
            if meant in names
            else f"rename it to {meant}"
        )
        found.append(
            Finding(
                os.path.normpath(os.path.join(folder, name)),  # as read_cards names a card
                0,
                "LK131",
                Severity.ERROR,
                "",
                f"is not read as a scorecard: loopkit reads names that end in .{suffix.lower()}",
                hint,
            )
        )
    return found


def _as_code(finding: Finding, code: str, hint: str = "") -> Finding:
    """A finding about a file loopkit wrote and a person handed back, under that file's code
    (and with ``hint`` instead of its own, when given)."""
    return Finding(
        finding.file,
        finding.line,
        code,
        finding.severity,
        finding.key,
        finding.message,
        hint or finding.hint,
    )


# what to do about a lock that cannot be read: never mend it by hand
LOCK_BACK = (
    "put the lock back as loopkit wrote it (from a copy, or git); to start over, move the "
    "packet folder aside and build the packet again"
)


@dataclass(frozen=True)
class Cards:
    """Every scorecard handed back into a packet, checked against its lock."""

    filled: list[Filled]  # those that check (a seat's agreeing PDF and TOML count once)
    blanks: list[str]  # files still as loopkit wrote them
    problems: list[Finding]  # every problem of every other card
    seats: dict[str, str]  # a card's file -> its seat's stem
    read: int  # the files read as cards, each once

    def shadows(self, lock: Lock) -> dict[str, str]:
        """The files with problems that are a shadow's own card, each with the shadow's name:
        cards that never count, half filled in or with a value wrong (LK131, LK133).

        A shadow's seat named by the card and by its file (or a file of no seat's name);
        never a card in someone else's seat or file, or of another packet (LK132): that
        may be an interviewer's card, which counts.
        """
        shadows = lock.shadows()
        found: dict[str, str] = {}
        other: set[str] = set()
        for finding in self.problems:
            stem = Path(finding.file).stem
            seat = self.seats.get(finding.file) or stem
            own = stem == seat or lock.seat(stem) is None
            if seat in shadows and own and finding.code in ("LK131", "LK133"):
                found[finding.file] = shadows[seat]
            else:
                other.add(finding.file)
        return {file: who for file, who in found.items() if file not in other}


def read_cards(packet_dir: Path, lock: Lock, digest: str, extra: Sequence[Path] = ()) -> Cards:
    """Read and check the packet's filled TOML and PDF scorecards, and ``extra`` ones.

    Each file once, however it is named: an ``extra`` card that is one of the
    packet's own (by another path or a link), or a copy of the card of the
    same name an earlier debrief kept in the packet, is that card.
    """
    folder = packet_dir.absolute() / "scorecards"
    shown = display_path(folder)  # once: cards in it are named from it
    problems: list[Finding] = []
    try:
        listed = files_in(folder, "")
    except OSError as exc:  # scorecards/ gone, a file, or a folder that cannot be listed
        message = {
            errno.ENOENT: "is missing: every packet has this folder of its scorecards",
            errno.ENOTDIR: "is a file: the packet's scorecards go in a folder of this name",
        }.get(exc.errno or 0, f"cannot be read: {exc.strerror or exc}")
        problems.append(Finding(shown, 0, "LK131", Severity.ERROR, "", message, ""))
        listed = []
    tomls = [p for p in listed if p.name.endswith(".toml")]
    own = tomls + handed_in([p for p in listed if p.name.endswith(PDF_SUFFIX)], lock)
    problems += misnamed(listed, shown)
    real = os.path.realpath(folder)
    paths: dict[str, Path] = {}
    for p in own:  # a link to another card here is that card, under that card's own name
        link = p.is_symlink()
        key = os.path.realpath(p) if link else os.path.join(real, p.name)
        if key not in paths or not link:
            paths[key] = p
    # a card of the packet by its name in scorecards/, a link too (not by where it points,
    # which depends on the folder the command runs in)
    names = {p: os.path.normpath(os.path.join(shown, p.name)) for p in own}
    given: dict[str, str] = {}  # each card given: the name it is read under -> as given
    for path in extra:
        key = "-" if path == STDIN else os.path.realpath(path)
        if key in paths:  # one of the packet's own, or given twice
            read = names.get(paths[key]) or display_path(paths[key])
        elif _kept_copy(path, folder, lock):
            copy = piped_name(lock) if path == STDIN else path.name
            read = os.path.normpath(os.path.join(shown, copy))
        else:
            # a link by its card's own name; a pipe (/dev/stdin) by the name given
            paths[key] = path if path == STDIN or not os.path.exists(key) else Path(key)
            read = display_path(paths[key])
        given[read] = display_path(path)
    docs: list[FilledDocument] = []
    for path in paths.values():
        doc, found = read_filled(path, names.get(path, ""))
        problems += found
        if doc is not None:
            docs.append(doc)
    # what a card given may be: only when one was (status reads a thousand packets here)
    untouched = {doc.file for doc in docs if doc.card.untouched} if given else set()
    read_as = {names.get(p) or display_path(p) for p in paths.values()} if given else set()
    docs, found = one_per_seat(docs, lock, digest)
    problems += found
    filled, blanks, found = check_cards(docs, lock, digest)
    # A blank given to count (--scorecard) is a mistake to name, never a card left out
    # unsaid (or copied into the packet): one read as a blank, or one of the packet's blank
    # PDFs, which are not read at all (``handed_in``), or a copy of one. Said as a card
    # missing (LK135), never as a card half filled in: a shadow's blank too.
    found += [
        Finding(
            shown_as,
            0,
            "LK135",
            Severity.ERROR,
            "",
            "is a blank scorecard: nothing in it is filled in yet",
            "fill it in, or leave it out of --scorecard",
        )
        for read, shown_as in sorted(given.items())
        if read in untouched or (is_pdf(Path(read)) and read not in read_as)
    ]
    seats = {d.file: d.card.seat for d in docs}
    return Cards(filled, blanks, problems + found, seats, len(paths))

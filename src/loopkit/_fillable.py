"""Reading a scorecard PDF an interviewer filled in (SPEC 8.4) as its TOML would be read.

The form's fields become the same data a filled TOML holds (packet,
interview, lock and seat from the hidden fields; a radio group left alone
is 0, "not filled in yet"), checked by the same model and the same debrief
checks, so a PDF is refused exactly where its TOML would be. Findings name
the form field instead of a TOML key and line.

pypdf is imported only here, and only when a PDF is read.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loopkit._debrief import NOT_TICKED, NOT_YET, Filled, check_card
from loopkit._documents import FilledDocument
from loopkit._errors import Finding, Severity, ValidationFailed
from loopkit._models import NO_SIGNAL_FIELD
from loopkit._records import FilledScorecard, Lock, file_digest
from loopkit._scale import NO_SIGNAL
from loopkit._schema import parse_model
from loopkit._source import Loc, Source, display_path, read_file

PDF_SUFFIX = ".pdf"
MAX_PDF_BYTES = 20_000_000  # a scorecard is ~100 kB; a viewer that embeds whole fonts adds a few MB
IDENTITY = ("packet", "interview", "lock", "seat")  # the hidden fields: what the blank TOML carries
_CODE = "LK131"


def is_pdf(path: Path) -> bool:
    """Whether ``path`` names a scorecard PDF rather than a TOML."""
    return path.suffix.lower() == PDF_SUFFIX


class FormSource(Source):
    """A filled PDF by name: findings name its form fields, with no line."""

    def line_of(self, loc: Loc) -> int:
        """A form has no lines."""
        return 0

    def finding(
        self, code: str, loc: Loc, message: str, hint: str = "", *, warning: bool = False
    ) -> Finding:
        """A finding about the form field that holds ``loc`` (``rating-<id>`` for ``ratings.<id>``)."""
        field = field_name(loc)
        radio = field.startswith("rating-") or field == "recommendation"
        if radio and message.endswith(NOT_YET):  # 0 is how an untouched radio group reads
            message = NOT_TICKED
            hint = "tick 1-4" if field == "recommendation" else 'tick 1-4 or "no signal"'
        return Finding(
            self.file,
            0,
            code,
            Severity.WARNING if warning else Severity.ERROR,
            field,
            message,
            hint,
        )


def field_name(loc: Loc) -> str:
    """The form field of a filled scorecard's key path: ``ratings.x`` is ``rating-x``."""
    if len(loc) == 2 and loc[0] == "ratings":
        return f"rating-{loc[1]}"
    if len(loc) == 2 and loc[0] == "evidence":
        return f"evidence-{loc[1]}"
    return ".".join(str(part) for part in loc)


def read_filled_pdf(path: Path, name: str = "") -> tuple[FilledDocument | None, list[Finding]]:
    """One filled scorecard PDF as the model its TOML makes; findings instead of exceptions.

    ``name`` is the file as messages name it (``display_path`` when not given).
    """
    name = name or display_path(path)
    try:
        raw = read_file(path, name, MAX_PDF_BYTES)
    except ValidationFailed as exc:
        return None, [_code(f) for f in exc.findings]
    return filled_form(raw, name)


def filled_form(raw: bytes, name: str) -> tuple[FilledDocument | None, list[Finding]]:
    """A filled scorecard PDF's bytes, read from ``name``, as ``read_filled_pdf`` reads them."""
    source = FormSource(name)
    try:
        fields = read_form(raw)
    except FormError as exc:
        return None, [Finding(name, 0, _CODE, Severity.ERROR, exc.field, exc.message, exc.hint)]
    data, findings = form_data(fields, source)
    if findings:
        return None, findings
    card, findings = parse_model(FilledScorecard, data, source)
    if card is None:
        return None, [_code(f) for f in findings]
    return FilledDocument(card, name, source), []


class FormError(Exception):
    """A PDF that cannot be read as a scorecard form: which field (if any), what, what to do."""

    def __init__(self, message: str, field: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message, self.field, self.hint = message, field, hint


Field = tuple[str, Any]  # ("text", str) or ("radio", chosen value or "")


def read_form(raw: bytes) -> dict[str, Field]:
    """Every top-level field of a PDF form by name: a text's value, a radio group's choice."""
    if not raw.startswith(b"%PDF-"):
        raise FormError("is not a PDF", hint="hand in the scorecard PDF of the packet, or its TOML")
    if b"%%EOF" not in raw[-2048:]:
        raise FormError(
            "is cut short: the PDF does not end as a PDF ends",
            hint="save it again from the viewer, or copy it whole",
        )
    # pypdf takes 60 ms and more to import: only a debrief that meets a filled PDF pays it.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    locked = FormError(
        "is encrypted: loopkit reads scorecard PDFs saved without a password or security",
        hint="save a copy without security in the viewer, and hand that in",
    )
    try:
        reader = PdfReader(io.BytesIO(raw))
        # A PDF locked against editing alone opens with the empty password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise locked
        return _fields(reader)
    except FormError:
        raise
    except DependencyError:  # AES: pypdf needs a cryptography package loopkit does not carry
        raise locked from None
    except (FileNotDecryptedError, PdfReadError) as exc:
        raise FormError(
            f"cannot be read as a PDF: {exc}", hint="save it again from the viewer"
        ) from None
    except Exception as exc:  # pypdf meets a broken file with many kinds of error; none may escape
        raise FormError(
            f"cannot be read as a PDF ({type(exc).__name__})", hint="save it again from the viewer"
        ) from None


def _fields(reader: Any) -> dict[str, Field]:
    form = reader.trailer["/Root"].get("/AcroForm")
    form = form.get_object() if form is not None else None
    if form is None or not form.get("/Fields"):
        raise FormError(
            "is not a loopkit scorecard form: it has no form fields",
            hint="hand in scorecards/<interview>--<interviewer>.pdf of the packet, or its TOML",
        )
    fields: dict[str, Field] = {}
    for ref in form["/Fields"]:
        field = ref.get_object()
        name = field.get("/T")
        if not isinstance(name, str) or name in fields:
            continue
        if field.get("/FT") == "/Btn":
            fields[name] = ("radio", _choice(name, field))
        elif field.get("/FT") == "/Tx":
            value = field.get("/V", "")
            value = value.get_object() if hasattr(value, "get_object") else value
            if not isinstance(value, str):
                raise FormError("holds no text a viewer wrote", field=name, hint="type it again")
            fields[name] = ("text", str(value))
    return fields


def _choice(name: str, group: Any) -> str:
    """The value of a radio group: the one box ticked, checked against the group's value.

    A group's value (/V) and its boxes' states (/AS) are written apart; a
    viewer draws the states, so a value that disagrees with them, or two
    boxes ticked, is refused rather than guessed.
    """
    ticked: list[str] = []
    for kid in group.get("/Kids", []):
        widget = kid.get_object()
        state = str(widget.get("/AS", "/Off"))
        if state != "/Off":
            ticked.append(state[1:])
    value = group.get("/V")
    chosen = str(value)[1:] if value is not None and str(value) != "/Off" else ""
    if len(ticked) > 1:
        raise FormError(
            f"more than one box is ticked ({', '.join(ticked)})",
            field=name,
            hint="tick one, and save again",
        )
    if chosen and chosen != (ticked[0] if ticked else ""):
        shown = ticked[0] if ticked else "none"
        raise FormError(
            f"the form says {chosen} but the box ticked is {shown}",
            field=name,
            hint="tick the box again in a viewer and save",
        )
    return ticked[0] if ticked else ""


def form_data(fields: dict[str, Field], source: FormSource) -> tuple[dict[str, Any], list[Finding]]:
    """A filled TOML's data from a form's fields, or findings where a field is not one of ours."""
    problems: list[Finding] = []
    if "packet" not in fields:
        problems.append(
            source.finding(
                _CODE,
                ("packet",),
                "is not a loopkit scorecard form: it has no packet field",
                "hand in scorecards/<interview>--<interviewer>.pdf of the packet, or its TOML",
            )
        )
        return {}, problems
    data: dict[str, Any] = {"ratings": {}, "evidence": {}, "recommendation": 0}
    for name, (kind, value) in fields.items():
        if name in (*IDENTITY, "interviewer", "notes"):
            if kind != "text":
                problems.append(source.finding(_CODE, (name,), "is not a text field"))
            data[name] = value
        elif name == "recommendation" or name.startswith("rating-"):
            if kind != "radio":
                problems.append(source.finding(_CODE, (name,), "is not a group of boxes to tick"))
                continue
            number = int(value) if value in ("1", "2", "3", "4") else None
            if value and number is None and (name == "recommendation" or value != NO_SIGNAL_FIELD):
                problems.append(source.finding(_CODE, (name,), f"has the value {value!r}, not a box of this form"))  # fmt: skip  # one finding
                continue
            rating: int | str = NO_SIGNAL if value == NO_SIGNAL_FIELD else number or 0
            if name == "recommendation":
                data[name] = rating
            else:
                data["ratings"][name.removeprefix("rating-")] = rating
        elif name.startswith("evidence-"):
            data["evidence"][name.removeprefix("evidence-")] = value
        # any other field (a viewer's signature, a comment) is not the scorecard's: left alone
    return data, problems


def _code(finding: Finding) -> Finding:
    """A finding about a handed-back file under the filled scorecard's code."""
    return Finding(
        finding.file,
        finding.line,
        _CODE,
        finding.severity,
        finding.key,
        finding.message,
        finding.hint,
    )


def handed_in(pdfs: Sequence[Path], lock: Lock) -> list[Path]:
    """Those of a packet's scorecard PDFs that are not as loopkit wrote them: the filled ones.

    A PDF whose bytes are still those the lock records is an untouched
    blank; it is passed over without being parsed, as its blank TOML says
    the same.
    """
    found = []
    for path in pdfs:
        written = lock.files.get(f"scorecards/{path.name}")
        try:  # a regular file of tens of kilobytes: never a pipe, a device or a huge file
            same = written == file_digest(read_file(path, path.name, MAX_PDF_BYTES))
        except ValidationFailed:
            same = False  # read_filled_pdf says what is wrong with it
        if not same:
            found.append(path)
    return found


def one_per_seat(
    docs: Sequence[FilledDocument], lock: Lock, digest: str
) -> tuple[list[FilledDocument], list[Finding]]:
    """A seat's filled PDF and filled TOML: counted once when they agree, refused when not.

    Every other pair of cards for one seat is left to ``check_cards``, which
    refuses it; so is every problem of a card of its own.
    """
    by_seat: dict[str, list[FilledDocument]] = {}
    for doc in docs:
        if doc.card.seat:
            by_seat.setdefault(doc.card.seat, []).append(doc)
    dropped: set[str] = set()
    problems: list[Finding] = []
    for group in by_seat.values():
        pdfs = [d for d in group if isinstance(d.source, FormSource)]
        # the seat's blank TOML beside its filled PDF and a filled TOML given: the PDF and
        # the given TOML are the pair, as a filled TOML in scorecards/ and a PDF given are
        tomls = [d for d in group if not isinstance(d.source, FormSource) and not d.card.untouched]
        if len(pdfs) != 1 or len(tomls) != 1:
            continue
        (pdf, pdf_found), (toml, toml_found) = (
            check_card(d, lock, digest) for d in (*pdfs, *tomls)
        )
        if pdf is None or toml is None or pdf_found or toml_found:
            continue  # a blank beside a filled card, or a card with problems of its own
        dropped.add(pdf.file)
        for field, mine, theirs in _differences(pdf, toml):
            problems.append(
                Finding(
                    pdf.file,
                    0,
                    "LK134",
                    Severity.ERROR,
                    field,
                    f"disagrees with {toml.file} ({mine} in the PDF, {theirs} in the TOML)",
                    "hand in one of the two, or make them agree",
                )
            )
    return [d for d in docs if d.file not in dropped], problems


def _differences(pdf: Filled, toml: Filled) -> list[tuple[str, str, str]]:
    """Each field where two cards for one seat say different things, and what each says."""

    def shown(value: object, other: object) -> str:
        if value is None:
            return repr(NO_SIGNAL)
        if not isinstance(value, str):
            return str(value)
        return repr(
            _around(
                " ".join(value.split()), " ".join(other.split()) if isinstance(other, str) else ""
            )
        )

    pairs: list[tuple[str, object, object]] = [
        ("interviewer", pdf.interviewer.casefold(), toml.interviewer.casefold()),
        ("recommendation", pdf.recommendation, toml.recommendation),
        *((f"rating-{k}", v, toml.ratings.get(k)) for k, v in pdf.ratings.items()),
        *((f"evidence-{k}", v, toml.evidence.get(k, "")) for k, v in pdf.evidence.items()),
        ("notes", pdf.notes, toml.notes),
    ]
    return [
        (field, shown(mine, theirs), shown(theirs, mine))
        for field, mine, theirs in pairs
        if _same(mine) != _same(theirs)
    ]


QUOTED = 60  # characters of a text a message quotes


def _around(text: str, other: str) -> str:
    """A text as a message quotes it beside another: whole when short, else the part where
    the two part ways (evidence of hundreds of words made a line of a screen each)."""
    if len(text) <= QUOTED:
        return text
    pairs = enumerate(zip(text, other, strict=False))  # to the end of the shorter
    start = next((n for n, (a, b) in pairs if a != b), min(len(text), len(other)))
    start = max(0, min(start - QUOTED // 3, len(text) - QUOTED))
    end = start + QUOTED
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _same(value: object) -> object:
    """A value as two cards are compared: text with its spaces collapsed."""
    return " ".join(value.split()) if isinstance(value, str) else value

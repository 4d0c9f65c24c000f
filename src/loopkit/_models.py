"""The loop, scorecard and panel files as frozen models (see ``_schema`` for the kit).

Models describe what a well-formed file looks like; design rules that judge
a well-formed loop live in ``_rules``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError
from pydantic_core import core_schema as cs

from loopkit._glyphs import code_points, hidden, unprintable, why_not
from loopkit._schema import key, model, schema_of

MAX_NAME = 200  # characters in a person's name: candidate or interviewer
MAX_MINUTES = 7 * 24 * 60  # a loop is planned within a week; longer is a typo
MAX_TEXT = 5000  # characters in any free text; longer is a pasted document
RATINGS = ("1", "2", "3", "4")
NO_SIGNAL_FIELD = "nosignal"  # its value in a scorecard form's radio group: a PDF name has no space

# A length as written: hours, minutes or both, with blanks around the parts ("1h30m", "50 m",
# "2h"). ASCII classes, not \d and \s: Python, taplo (Rust) and an editor's JavaScript read them
# alike, so the JSON Schema's pattern, built from the same parts, accepts what the parser does.
_BLANK_RUN = r"[\t\n\r ]*"
_DURATION = re.compile(
    rf"{_BLANK_RUN}(?:([0-9]+){_BLANK_RUN}h{_BLANK_RUN})?(?:([0-9]+){_BLANK_RUN}m{_BLANK_RUN})?"
)
_LENGTH_HINT = 'expected a length like "45m", "1h30m", "2h" or whole minutes'


def parse_minutes(value: object) -> int:
    """Read a length written as ``"45m"``, ``"1h30m"``, ``"2h"`` or whole minutes."""
    if isinstance(value, bool):
        raise PydanticCustomError("duration", _LENGTH_HINT)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        match = _DURATION.fullmatch(value)
        if match and match[1] and match[2] and int(match[2]) >= 60:
            total = int(match[1]) * 60 + int(match[2])
            raise PydanticCustomError(
                "duration",
                "the minutes after hours must be fewer than 60: write {written}",
                {"written": f'"{format_minutes(total)}"'},
            )
        if match and (match[1] or match[2]):
            return int(match[1] or 0) * 60 + int(match[2] or 0)
    raise PydanticCustomError("duration", _LENGTH_HINT)


def length_pattern(*, zero: bool) -> str:
    """The regular expression of a length string in range, for the JSON Schema.

    Built from the parser's parts, with the range written out digit by digit
    (a JSON Schema cannot compute ``60 * hours + minutes``): at least one
    minute (or none, with ``zero``), at most ``MAX_MINUTES``.
    """
    hours, rest = divmod(MAX_MINUTES, 60)
    low = 0 if zero else 1
    blank = _BLANK_RUN

    def part(number: str, unit: str) -> str:
        return f"{number}{blank}{unit}{blank}"

    forms = [
        part(_number(low, MAX_MINUTES), "m"),
        part(_number(low, hours), "h"),
        part("0+", "h") + part(_number(low, 59), "m"),
        part(_number(1, hours - 1), "h") + part(_number(0, 59), "m"),
        part(_number(hours, hours), "h") + part(_number(0, rest), "m"),
    ]
    return f"^{blank}(?:{'|'.join(f'(?:{form})' for form in forms)})$"


def _number(low: int, high: int) -> str:
    """Digits (leading zeros allowed) whose value is ``low`` (0, 1 or ``high``) to ``high``."""
    assert low in (0, 1, high)
    assert high >= low
    if high == 0:
        return "0+"
    if low == high:
        return f"0*{high}"
    text = str(high)
    size = len(text)
    shorter = "[1-9]" + (f"[0-9]{{0,{size - 2}}}" if size > 2 else "")
    forms = [shorter] if size > 1 else []
    for index, digit in enumerate(map(int, text)):
        least = 1 if index == 0 else 0
        if digit - 1 >= least:
            span = str(least) if digit - 1 == least else f"[{least}-{digit - 1}]"
            left = size - index - 1
            tail = "" if not left else "[0-9]" if left == 1 else f"[0-9]{{{left}}}"
            forms.append(text[:index] + span + tail)
    forms.append(text)
    zero = "|0" if low == 0 else ""
    return f"0*(?:{'|'.join(forms)}{zero})"


def format_minutes(minutes: int) -> str:
    """Write minutes back in the file format: ``90`` -> ``"1h30m"``."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


def _length(*, zero: bool) -> cs.CoreSchema:
    """Minutes, written as a length; the metadata says how, for ``loopkit schema``."""
    bounds = (
        cs.int_schema(strict=True, ge=0, le=MAX_MINUTES)
        if zero
        else cs.int_schema(strict=True, gt=0, le=MAX_MINUTES)
    )
    written = {
        "anyOf": [
            {"type": "string", "pattern": length_pattern(zero=zero)},
            {"type": "integer", "minimum": 0 if zero else 1, "maximum": MAX_MINUTES},
        ],
        "description": 'A length: "45m", "1h30m", "2h" or whole minutes.',
    }
    return cs.no_info_before_validator_function(
        parse_minutes, bounds, metadata={"json_schema": written}
    )


MINUTES = _length(zero=False)
GAP = _length(zero=True)  # between interviews: none is fine


def printable(value: str) -> str:
    """Refuse characters that never print and break the files loopkit writes (NUL, BEL...).

    Line breaks and tabs are layout and stay; every other control, format
    (zero-width, bidirectional) or surrogate character is an error, found by
    ``validate`` instead of in an interviewer's unreadable scorecard.
    """
    bad = hidden(value)
    if bad:
        raise PydanticCustomError(
            "control_character",
            "contains control characters that do not print ({found})",
            {"found": code_points(bad)},
        )
    return value


def _text(**limits: Any) -> cs.CoreSchema:
    return cs.no_info_after_validator_function(printable, cs.str_schema(strict=True, **limits))


ID = cs.str_schema(strict=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
TITLE = _text(strip_whitespace=True, min_length=1, max_length=200)  # fits a heading and a cell
MAX_LINE = 2000  # characters in a prompt, a look-for or an anchor
TEXT = _text(strip_whitespace=True, min_length=1, max_length=MAX_LINE)
FREE_TEXT = _text(max_length=MAX_TEXT)
WEIGHT = cs.float_schema(strict=True, gt=0, le=1000, allow_inf_nan=False)
INTERVIEW_KINDS = (
    "coding",
    "system-design",
    "deep-dive",
    "exercise",
    "behavioral",
    "other",
    # accepted so that the design rules can warn about them by name
    "leetcode",
    "puzzle",
)
# mlops-llm: an MLOps engineer with LLM focus, for roles that truly need both depths
VARIANTS = ("ai-engineer", "ml-engineer", "mlops-llm", "other")


@model
class LengthWindow:
    """How long the loop may run, first start to last end, breaks included."""

    min: int = key(MINUTES)
    max: int = key(MINUTES)

    def _check(self) -> None:
        if self.min > self.max:
            raise PydanticCustomError("window", "min must not be longer than max")


# The warning codes a loop may silence with allow = [...] (docs/rules.md); errors cannot be.
WARNING_CODES = (
    "LK201",
    "LK202",
    "LK203",
    "LK204",
    "LK205",
    "LK206",
    "LK207",
    "LK208",
    "LK209",
    "LK210",
)


def _warning_code(code: str) -> str:
    if code in WARNING_CODES:
        return code
    guess = f"; did you mean {code.upper()}?" if code.upper() in WARNING_CODES else ""
    raise PydanticCustomError(
        "warning_code",
        "not a warning code that can be allowed: {code}{guess} (codes: {codes})",
        {"code": repr(code), "guess": guess, "codes": ", ".join(WARNING_CODES)},
    )


def _currency(code: str) -> str:
    if re.fullmatch(r"[A-Z]{3}", code):
        return code
    raise PydanticCustomError(
        "currency", "a currency is a three-letter ISO code in capitals, like USD or EUR"
    )


@model
class CompBand:
    """The offered total compensation, for the calibration rule."""

    currency: str = key(
        cs.no_info_after_validator_function(_currency, cs.str_schema(strict=True)), default="USD"
    )
    min: int = key(cs.int_schema(strict=True, gt=0, le=100_000_000))
    max: int = key(cs.int_schema(strict=True, gt=0, le=100_000_000))

    def _check(self) -> None:
        if self.min > self.max:
            raise PydanticCustomError("band", "min must not be above max")


@model
class Requirements:
    """Experience asked of candidates, for the experience rule."""

    llm_applied_months: int | None = key(
        cs.nullable_schema(cs.int_schema(strict=True, ge=0, le=600)), default=None
    )
    production_ml_years: int | None = key(
        cs.nullable_schema(cs.int_schema(strict=True, ge=0, le=50)), default=None
    )


@model
class Lunch:
    """A longer break that replaces the usual gap after one interview."""

    after: str = key(ID)
    length: int = key(MINUTES)


@model
class Breaks:
    """Gaps between interviews, and how long one person may interview unbroken."""

    between: int = key(GAP, default=0)
    lunch: Lunch | None = key(cs.nullable_schema(schema_of(Lunch)), default=None)
    interviewer_limit: int = key(
        MINUTES,
        default=120,
        doc="Longest an interviewer may interview without a break of 30m or more.",
    )


@model
class Interview:
    """One timed block of the loop, scored with one scorecard template."""

    id: str = key(ID)
    title: str = key(TITLE)
    kind: str = key(cs.literal_schema(list(INTERVIEW_KINDS)))
    length: int = key(MINUTES)
    weight: float = key(WEIGHT)
    scorecard: str = key(ID)
    brief: str = key(FREE_TEXT, default="")
    focus: list[str] = key(cs.list_schema(TEXT), default_factory=list)
    candidate_note: str = key(
        FREE_TEXT,
        default="",
        doc="What the candidate is told about this interview (shown on the itinerary).",
    )


@model
class Loop:
    """A whole interview loop: its timed interviews, weights and hire bar."""

    id: str = key(ID)
    title: str = key(TITLE)
    variant: str = key(cs.literal_schema(list(VARIANTS)))
    length: LengthWindow = key(schema_of(LengthWindow))
    hire_bar: float = key(cs.float_schema(strict=True, ge=1, le=4, allow_inf_nan=False))
    comp_band: CompBand | None = key(cs.nullable_schema(schema_of(CompBand)), default=None)
    requirements: Requirements | None = key(
        cs.nullable_schema(schema_of(Requirements)), default=None
    )
    breaks: Breaks = key(schema_of(Breaks), default=Breaks())
    interviews: list[Interview] = key(
        cs.list_schema(schema_of(Interview), min_length=1, max_length=50)
    )
    allow: list[str] = key(
        cs.list_schema(
            cs.no_info_after_validator_function(_warning_code, cs.str_schema(strict=True))
        ),
        default_factory=list,
        doc="Warning codes this loop silences on purpose.",
    )

    def interview(self, interview_id: str) -> Interview:
        """The interview with this id (KeyError when there is none)."""
        for interview in self.interviews:
            if interview.id == interview_id:
                return interview
        raise KeyError(interview_id)


def _four_anchors(anchors: dict[str, str]) -> dict[str, str]:
    missing = [r for r in RATINGS if r not in anchors]
    if missing:
        raise PydanticCustomError(
            "missing_anchor",
            "missing an anchor for rating {ratings}",
            {"ratings": ", ".join(missing)},
        )
    return anchors


# Each rating's key named, so that editors complete the four and require them all.
_ANCHORS_JSON = {
    "type": "object",
    "properties": {r: {"type": "string", "minLength": 1, "maxLength": MAX_LINE} for r in RATINGS},
    "required": list(RATINGS),
    "additionalProperties": False,
}


@model
class Competency:
    """One thing a scorecard rates, with a described anchor for each rating."""

    id: str = key(ID)
    name: str = key(TITLE)
    weight: float = key(WEIGHT)
    look_for: str = key(TEXT)
    anchors: dict[str, str] = key(
        cs.no_info_after_validator_function(
            _four_anchors,
            cs.dict_schema(cs.literal_schema(list(RATINGS)), TEXT),
            metadata={"json_schema": _ANCHORS_JSON},
        ),
        doc="What a 1 (strong no), 2 (no), 3 (yes) and 4 (strong yes) answer sounds like.",
    )


@model
class ScorecardTemplate:
    """The rubric an interviewer fills for one interview."""

    id: str = key(ID)
    title: str = key(TITLE)
    purpose: str = key(TEXT)
    prompts: list[str] = key(cs.list_schema(TEXT, min_length=1, max_length=30))
    competencies: list[Competency] = key(
        cs.list_schema(schema_of(Competency), min_length=1, max_length=20)
    )


def _one_or_many(value: object) -> object:
    if isinstance(value, dict):
        return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
    return value


MAX_PANEL = 20  # people in one interview
_PERSON_JSON = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
_PANEL_JSON = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            _PERSON_JSON,
            {"type": "array", "items": _PERSON_JSON, "minItems": 1, "maxItems": MAX_PANEL},
        ]
    },
}


@model
class PanelFile:
    """The ``--panel`` file: ``[panel]`` with interview id = people."""

    panel: dict[str, list[str]] = key(
        cs.no_info_before_validator_function(
            _one_or_many,
            cs.dict_schema(
                cs.str_schema(strict=True),
                cs.list_schema(FREE_TEXT, min_length=1, max_length=MAX_PANEL),
            ),
            metadata={"json_schema": _PANEL_JSON},
        ),
        doc='Interview id = one person or a list: "Name" or "Name <email>".',
    )


# An e-mail address as mail headers carry it: ASCII, no quotes, commas or colons, which
# would turn one recipient into two (a domain in another script is written as punycode).
_ADDRESS = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
_PERSON = re.compile(rf"^(?P<name>[^<>]*?)\s*(?:<(?P<email>{_ADDRESS})>)?$")
_BARE = re.compile(rf"^(?:(?P<name>[^<>]*?)\s+)?(?P<email>{_ADDRESS})$")
_AT = re.compile(r"[^\s<>]@")  # an address (x@, sam@example.com), where "@handle" is a name
_SHADOW = re.compile(r"\s*\(shadow\)$", re.IGNORECASE)


# Letters that draw as nothing (Hangul fillers, the grapheme joiner, variation selectors,
# the braille blank): "Sam\u3164Lee" would look like "Sam Lee" and be someone else.
_BLANK = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
)


@functools.lru_cache(maxsize=4096)  # a folder of packets names the same people thousands of times
def clean_name(text: str) -> str:
    """A person's name as loopkit compares it: NFC, one space between words.

    The same name typed in NFD, with a no-break space or a doubled space is
    the same person. Control, format (zero-width, bidirectional) and private
    characters are refused: they make two people of one, or hide text.
    """
    name = " ".join(unicodedata.normalize("NFC", text).split())
    # what never prints (hidden), and in a name also private-use letters and blank ones
    bad = sorted(
        {*hidden(name), *(c for c in name if unicodedata.category(c) == "Co" or c in _BLANK)}
    )
    if bad:
        shown = ", ".join(f"U+{ord(c):04X}" for c in bad)
        raise ValueError(f"a name must not contain invisible or control characters ({shown})")
    missing = unprintable(name)
    if missing:  # found here, with the name's place, not while a PDF is drawn
        shown = ", ".join(f"{c!r} U+{ord(c):04X}" for c in missing)
        raise ValueError(f"cannot print {shown} in the name {name!r}: {why_not(missing)}")
    return name


@dataclasses.dataclass(frozen=True)
class Person:
    """An interviewer: a name and, where known, an e-mail address.

    A shadow (``"Name <email> (shadow)"``) is a trainee: they sit in, fill a
    scorecard, and their ratings never count in the score.
    """

    name: str
    email: str = ""
    shadow: bool = False

    @classmethod
    def parse(cls, text: str) -> Person:
        """Read ``Name``, ``Name <email>``, ``Name email`` or a bare ``email`` (ValueError if none).

        Any of them may end in ``(shadow)``.
        """
        return _parse_person(text)

    @classmethod
    def _parse(cls, text: str) -> Person:
        text = clean_name(text)
        shadow = _SHADOW.search(text) is not None
        text = _SHADOW.sub("", text)
        match = _PERSON.match(text)
        if match and _AT.search(match["name"]):
            match = _BARE.match(text)  # "Sam Lee sam@example.com" or "sam@example.com"
        if not match and _AT.search(text):
            raise ValueError(
                f"the e-mail address in {text!r} is not one mail can carry: ASCII letters, "
                "digits and . _ + - only (a domain in another script as punycode)"
            )
        if not match:
            raise ValueError(f"expected 'Name' or 'Name <email>', got {text!r}")
        email = match["email"] or ""
        name = match["name"] or email
        if not name:
            raise ValueError(f"expected 'Name' or 'Name <email>', got {text!r}")
        if not any(c.isalnum() for c in name):  # ";" or "-": no one's name, in any script
            raise ValueError(f"a name needs a letter or a digit, got {text!r}")
        if len(name) > MAX_NAME:
            raise ValueError(f"a name of {len(name)} characters; at most {MAX_NAME}")
        return cls(name=name, email=email, shadow=shadow)

    def __str__(self) -> str:
        role = " (shadow)" if self.shadow else ""
        if not self.email or self.email == self.name:
            return self.name + role
        return f"{self.name} <{self.email}>{role}"

    @property
    def label(self) -> str:
        """The name as schedules print it: a shadow's says so."""
        return f"{self.name} (shadow)" if self.shadow else self.name

    @property
    def key(self) -> str:
        """What identifies the same person across interviews and packets."""
        return (self.email or self.name).casefold()


@functools.lru_cache(maxsize=4096)  # Person is frozen: one value serves every seat it names
def _parse_person(text: str) -> Person:
    return Person._parse(text)


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a panel's people for one interview were given: a finding about them points here.

    ``file`` is a panel file's name, ``--interviewer``, or a batch row
    (``line 3``); ``line`` is the panel file's line, 0 where there is none.
    """

    file: str = ""
    line: int = 0
    key: str = ""


@dataclasses.dataclass(frozen=True)
class PanelSource:
    """The people one source assigns to interviews, and the line of each in its file."""

    origin: str
    people: Mapping[str, tuple[Person, ...]]
    lines: Mapping[str, int] = dataclasses.field(default_factory=dict)
    key_prefix: str = "panel."  # how a finding names an interview: panel.<id> in a file

    def origin_of(self, interview_id: str) -> Origin:
        """Where this source gives the people of ``interview_id``."""
        line = self.lines.get(interview_id, 0)
        return Origin(self.origin, line, f"{self.key_prefix}{interview_id}")


@dataclasses.dataclass(frozen=True)
class Panel:
    """Who interviews in which interview of a loop, and where each interview's people were given."""

    assignments: dict[str, tuple[Person, ...]] = dataclasses.field(default_factory=dict)
    origins: dict[str, Origin] = dataclasses.field(default_factory=dict, compare=False)

    def people(self, interview_id: str) -> tuple[Person, ...]:
        """The interviewers of one interview (empty when unassigned)."""
        return self.assignments.get(interview_id, ())

    def origin(self, interview_id: str) -> Origin:
        """Where the people of one interview were given (empty when unassigned)."""
        return self.origins.get(interview_id, Origin())

"""The loop, scorecard and panel files as frozen pydantic models.

Models describe what a well-formed file looks like; design rules that judge
a well-formed loop live in ``_rules``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

MAX_NAME = 200  # characters in a person's name: candidate or interviewer
MAX_MINUTES = 7 * 24 * 60  # a loop is planned within a week; longer is a typo
RATINGS = ("1", "2", "3", "4")
RATING_LABELS = {1: "strong no", 2: "no", 3: "yes", 4: "strong yes"}
NO_SIGNAL = "no signal"

_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")
_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def parse_minutes(value: object) -> int:
    """Read a length written as ``"45m"``, ``"1h30m"``, ``"2h"`` or whole minutes."""
    if isinstance(value, bool):
        raise PydanticCustomError("duration", 'expected a length like "45m" or "1h30m"')
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match and (match[1] or match[2]):
            return int(match[1] or 0) * 60 + int(match[2] or 0)
    raise PydanticCustomError(
        "duration", 'expected a length like "45m", "1h30m", "2h" or whole minutes'
    )


def format_minutes(minutes: int) -> str:
    """Write minutes back in the file format: ``90`` -> ``"1h30m"``."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


_DURATION_SCHEMA = WithJsonSchema(
    {
        "anyOf": [
            {"type": "string", "pattern": r"^(\d+h)?(\d+m)?$"},
            {"type": "integer", "minimum": 1},
        ],
        "description": 'A length: "45m", "1h30m", "2h" or whole minutes.',
    }
)
Minutes = Annotated[
    int, BeforeValidator(parse_minutes), Field(gt=0, le=MAX_MINUTES), _DURATION_SCHEMA
]
GapMinutes = Annotated[
    int, BeforeValidator(parse_minutes), Field(ge=0, le=MAX_MINUTES), _DURATION_SCHEMA
]
Id = Annotated[str, StringConstraints(pattern=_ID)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Weight = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]

InterviewKind = Literal[
    "coding", "system-design", "deep-dive", "exercise", "behavioral", "other",
    # accepted so that the design rules can warn about them by name
    "leetcode", "puzzle",
]  # fmt: skip
Variant = Literal["ai-engineer", "ml-engineer", "other"]


class _Model(BaseModel):
    # defer_build: a validator is built on first use, so commands that never read
    # a panel (validate) do not pay for building its models at start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=5000, defer_build=True)


class LengthWindow(_Model):
    """How long the loop may run, first start to last end, breaks included."""

    min: Minutes
    max: Minutes

    @model_validator(mode="after")
    def _ordered(self) -> LengthWindow:
        if self.min > self.max:
            raise PydanticCustomError("window", "min must not be longer than max")
        return self


class CompBand(_Model):
    """The offered total compensation, for the calibration rule."""

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    min: Annotated[int, Field(gt=0, le=100_000_000)]
    max: Annotated[int, Field(gt=0, le=100_000_000)]

    @model_validator(mode="after")
    def _ordered(self) -> CompBand:
        if self.min > self.max:
            raise PydanticCustomError("band", "min must not be above max")
        return self


class Requirements(_Model):
    """Experience asked of candidates, for the experience rule."""

    llm_applied_months: Annotated[int, Field(ge=0, le=600)] | None = None
    production_ml_years: Annotated[int, Field(ge=0, le=50)] | None = None


class Lunch(_Model):
    """A longer break that replaces the usual gap after one interview."""

    after: Id
    length: Minutes


class Breaks(_Model):
    """Gaps between interviews, and how long one person may interview unbroken."""

    between: GapMinutes = 0
    lunch: Lunch | None = None
    interviewer_limit: Minutes = Field(
        default=120,
        description="Longest an interviewer may interview without a break of 30m or more.",
    )


class Interview(_Model):
    """One timed block of the loop, scored with one scorecard template."""

    id: Id
    title: Text
    kind: InterviewKind
    length: Minutes
    weight: Weight
    scorecard: Id
    brief: str = ""
    focus: list[Text] = []
    candidate_note: str = Field(
        default="",
        description="What the candidate is told about this interview (shown on the itinerary).",
    )


class Loop(_Model):
    """A whole interview loop: its timed interviews, weights and hire bar."""

    id: Id
    title: Text
    variant: Variant
    length: LengthWindow
    hire_bar: Annotated[float, Field(ge=1, le=4, allow_inf_nan=False)]
    comp_band: CompBand | None = None
    requirements: Requirements | None = None
    breaks: Breaks = Breaks()
    interviews: Annotated[list[Interview], Field(min_length=1, max_length=50)]
    allow: list[Annotated[str, StringConstraints(pattern=r"^LK2\d\d$")]] = Field(
        default=[], description="Warning codes this loop silences on purpose."
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


class Competency(_Model):
    """One thing a scorecard rates, with a described anchor for each rating."""

    id: Id
    name: Text
    weight: Weight
    look_for: Text
    anchors: Annotated[
        dict[Literal["1", "2", "3", "4"], Text],
        AfterValidator(_four_anchors),
    ]


class ScorecardTemplate(_Model):
    """The rubric an interviewer fills for one interview."""

    id: Id
    title: Text
    purpose: Text
    prompts: Annotated[list[Text], Field(min_length=1, max_length=30)]
    competencies: Annotated[list[Competency], Field(min_length=1, max_length=20)]


_PERSON = re.compile(r"^\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>@\s]+@[^<>@\s]+)>)?\s*$")


class Person(_Model):
    """An interviewer: a name and, where known, an e-mail address."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
    email: str = ""

    @classmethod
    def parse(cls, text: str) -> Person:
        """Read ``Name`` or ``Name <email>`` (ValueError when it is neither)."""
        match = _PERSON.match(text)
        if not match or not match["name"]:
            raise ValueError(f"expected 'Name' or 'Name <email>', got {text!r}")
        name = match["name"]
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
            raise ValueError(f"a name must not contain control characters: {text!r}")
        if len(name) > MAX_NAME:
            raise ValueError(f"a name of {len(name)} characters; at most {MAX_NAME}")
        return cls(name=name, email=match["email"] or "")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    @property
    def key(self) -> str:
        """What identifies the same person across interviews and packets."""
        return (self.email or self.name).casefold()


class Panel(_Model):
    """Who interviews in which interview of a loop."""

    assignments: dict[str, tuple[Person, ...]] = {}

    def people(self, interview_id: str) -> tuple[Person, ...]:
        """The interviewers of one interview (empty when unassigned)."""
        return self.assignments.get(interview_id, ())


class PanelFile(_Model):
    """The ``--panel`` file: ``[panel]`` with interview id = people."""

    panel: dict[str, Annotated[list[str], Field(min_length=1, max_length=20)]]

    @field_validator("panel", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

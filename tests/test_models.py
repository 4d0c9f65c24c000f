"""The file models: frozen dataclasses checked by pydantic-core schemas."""

from __future__ import annotations

import dataclasses
from typing import Any

import jsonschema
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic_core import SchemaValidator, ValidationError

from loopkit._models import GAP, MAX_MINUTES, MINUTES, Breaks, Loop, ScorecardTemplate
from loopkit._schema import json_schema, validator

INTERVIEW = {
    "id": "dive",
    "title": "Deep-dive",
    "kind": "deep-dive",
    "length": "1h30m",
    "weight": 3,
    "scorecard": "dive",
}
LOOP = {
    "id": "t",
    "title": "  Test loop  ",
    "variant": "other",
    "length": {"min": "1h", "max": 150},
    "hire_bar": 3,
    "interviews": [INTERVIEW],
}


def _errors(data: dict[str, object]) -> list[tuple[tuple[int | str, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        validator(Loop).validate_python(data)
    return [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()]


class TestValidator:
    def test_a_file_becomes_nested_models_with_lengths_in_minutes_and_defaults(self) -> None:
        """Lengths are read as minutes, text is stripped, and absent tables take their defaults."""
        loop = validator(Loop).validate_python(LOOP)
        assert (loop.title, loop.length.min, loop.length.max) == ("Test loop", 60, 150)
        assert loop.interviews[0].length == 90
        assert loop.hire_bar == 3.0
        assert loop.breaks == Breaks()
        assert (loop.allow, loop.interviews[0].focus) == ([], [])

    def test_models_are_frozen(self) -> None:
        """A checked model cannot be changed afterwards."""
        loop: Loop = validator(Loop).validate_python(LOOP)
        with pytest.raises(dataclasses.FrozenInstanceError):
            loop.id = "other"  # type: ignore[misc]  # the assignment mypy refuses is the test

    def test_an_unknown_key_is_an_error_at_its_place(self) -> None:
        """A typo in a nested table is refused with the path to it."""
        data = {**LOOP, "breaks": {"betwen": "10m"}}
        assert _errors(data) == [(("breaks", "betwen"), "unexpected_keyword_argument")]

    def test_a_check_across_fields_runs_on_the_built_model(self) -> None:
        """A window whose min is above its max is refused as a whole, at the window."""
        data = {**LOOP, "length": {"min": "3h", "max": "2h"}}
        assert _errors(data) == [(("length",), "window")]

    def test_every_error_of_a_file_comes_at_once(self) -> None:
        """A missing key and a bad length elsewhere are both reported."""
        interview = {**INTERVIEW, "length": "soon"}
        data = {k: v for k, v in LOOP.items() if k != "variant"} | {"interviews": [interview]}
        assert _errors(data) == [
            (("variant",), "missing"),
            (("interviews", 0, "length"), "duration"),
        ]


class TestJsonSchema:
    def test_lengths_are_described_as_written_and_gaps_may_be_zero(self) -> None:
        """The schema shows "1h30m" or minutes, not the integer a length becomes."""
        schema = json_schema(Loop)
        interview = schema["$defs"]["Interview"]
        assert interview["properties"]["length"]["anyOf"][0]["type"] == "string"
        assert interview["properties"]["length"]["anyOf"][1]["minimum"] == 1
        assert schema["$defs"]["Breaks"]["properties"]["between"]["anyOf"][1]["minimum"] == 0

    def test_descriptions_come_from_the_models(self) -> None:
        """Each table carries its model's docstring, a field its own description."""
        schema = json_schema(ScorecardTemplate)
        assert schema["description"] == ScorecardTemplate.__doc__
        assert schema["additionalProperties"] is False
        allow = json_schema(Loop)["properties"]["allow"]
        assert allow["description"] == "Warning codes this loop silences on purpose."
        assert allow["default"] == []


def _length_checkers(zero: bool) -> tuple[SchemaValidator, jsonschema.Draft202012Validator]:
    """The field's check in validate, and its JSON Schema as an editor reads it."""
    schema = json_schema(Loop)["$defs"]
    written = (
        schema["Breaks"]["properties"]["between"]
        if zero
        else schema["Interview"]["properties"]["length"]
    )
    return SchemaValidator(GAP if zero else MINUTES), jsonschema.Draft202012Validator(written)


LENGTHS = [_length_checkers(zero=False), _length_checkers(zero=True)]


def _agree(value: Any) -> None:
    for parser, schema in LENGTHS:
        try:
            parser.validate_python(value)
            parsed = True
        except ValidationError:
            parsed = False
        assert schema.is_valid(value) is parsed, (value, parsed)


# Numbers near every edge of the range, with and without leading zeros.
_EDGES = st.sampled_from(
    [0, 1, 9, 10, 59, 60, 99, 100, 166, 167, 168, 169, 999, 10079, 10080, 10081]
)
_NUMBER = st.one_of(_EDGES, st.integers(0, 20_000)).flatmap(
    lambda n: st.sampled_from([str(n), f"0{n}", f"00{n}"])
)
_BLANK = st.sampled_from(["", " ", "  ", "\t", "\n", "\r", "\u00a0", "\u2003"])
_PART = st.tuples(_NUMBER, _BLANK, _BLANK).map(lambda t: t[0] + t[1])
_WRITTEN = st.builds(
    lambda b, h, unit_h, m, unit_m, a: f"{b}{h}{unit_h}{m}{unit_m}{a}",
    _BLANK,
    st.one_of(st.just(""), _PART),
    st.sampled_from(["h", "", "H", "h "]),
    st.one_of(st.just(""), _PART),
    st.sampled_from(["m", "", "M", "m\n", "min"]),
    _BLANK,
)


class TestLengthAgreement:
    """validate and the JSON Schema accept exactly the same lengths."""

    @pytest.mark.parametrize(
        "value",
        [
            "50 m", "", " ", "h", "m", "0m", "0h", "0h0m", "1m", "45m", "1h30m", "1h05m", "2h",
            " 1 h 30 m ", "50m\n", "\n50m", "168h", "169h", "10080m", "10081m", "167h59m",
            "168h0m", "168h1m", "1h60m", "1h059m", "0h59m", "0h60m", "5 0m", "1H", "50M",
            "\u0663m", "\uff15m", "50\u00a0m", "1h30", "30m1h", "1.5h", "-5m", "+5m",
            0, 1, -1, 45, MAX_MINUTES, MAX_MINUTES + 1, True, False, None, [], {},
        ],
    )  # fmt: skip  # a table, one case a cell
    def test_a_table_of_lengths(self, value: object) -> None:
        """Written, mistyped, out of range and odd values: both say yes or both say no."""
        _agree(value)

    @given(st.one_of(_WRITTEN, st.text(alphabet="0123456789hm \t\n", max_size=10)))
    @example("1h90m")
    def test_many_written_lengths(self, value: str) -> None:
        """Generated lengths, most of them almost right: both say yes or both say no."""
        _agree(value)

    def test_the_table_has_both_answers(self) -> None:
        """The cases above are not all refused (or all accepted) by both."""
        parser, _ = LENGTHS[0]
        assert parser.validate_python(" 1 h 30 m ") == 90
        assert parser.validate_python("168h") == MAX_MINUTES
        with pytest.raises(ValidationError, match='write "2h30m"'):
            parser.validate_python("1h90m")

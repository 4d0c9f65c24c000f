"""The file models: frozen dataclasses checked by pydantic-core schemas."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic_core import ValidationError

from loopkit._models import Breaks, Loop, ScorecardTemplate
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

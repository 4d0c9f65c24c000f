"""A catalogue of bad inputs: every one ends in a located message and exit 1, never a traceback.

Each case writes files into an empty folder, runs one command, and checks
the exit code, that nothing crashed ("internal error" is a bug, not an
answer), and that the message says where the problem is.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from loopkit._schedule import next_business_day
from loopkit.cli import cli
from loopkit.render import text
from tests.helpers import BASE_LOOP, CARD, debrief_packet, fill_packet, loop_with, pdf_text

OK_LOOP = loop_with(('scorecard = "llm-applied-coding"', 'scorecard = "card"'))


@dataclass
class Case:
    """Files to write, a command to run, and what the message must say."""

    files: dict[str, str | bytes]
    args: list[str]
    where: list[str]
    code: int = 1
    extra: dict[str, str] = field(default_factory=dict)


def loop_case(text: str | bytes, *where: str) -> Case:
    return Case(
        {"loops/t.toml": text, "scorecards/card.toml": CARD},
        ["validate", "loops/t.toml"],
        list(where),
    )


def card_case(text: str | bytes, *where: str) -> Case:
    return Case({"scorecards/card.toml": text}, ["validate", "scorecards/card.toml"], list(where))


def panel_case(text: str | bytes, *where: str) -> Case:
    return Case(
        {"panel.toml": text},
        ["plan", "ai-engineer", "--tz", "UTC", "--panel", "panel.toml"],
        list(where),
    )


def csv_case(text: str | bytes, *where: str) -> Case:
    return Case({"c.csv": text}, ["batch", "c.csv", "-o", "out"], list(where))


def option_case(args: list[str], *where: str, code: int = 2) -> Case:
    return Case({}, ["packet", "ai-engineer", "--tz", "UTC", *args], list(where), code)


NESTED = "a = " + "[" * 3000 + "]" * 3000 + "\n"
MANY = BASE_LOOP + "".join(
    f'\n[[interviews]]\nid = "x{n}"\ntitle = "X"\nkind = "other"\nlength = 1\nweight = 1\nscorecard = "card"\n'
    for n in range(2000)
)

CASES: dict[str, Case] = {
    # --- loops --------------------------------------------------------------------------------
    "loop: empty file": loop_case("", "loops/t.toml:1: id: missing key"),
    "loop: not UTF-8": loop_case("id = \"t\"\ntitle = \"caf\xe9\"\n".encode("latin-1"), "loops/t.toml:2:", "not UTF-8"),
    "loop: binary garbage": loop_case(bytes(range(256)) * 4, "loops/t.toml", "LK100"),
    "loop: NUL byte": loop_case('id = "t"\x00\n', "loops/t.toml:1:", "TOML syntax"),
    "loop: unclosed string": loop_case(OK_LOOP.replace('title = "Coding"', 'title = "Coding'), "loops/t.toml:12:", "TOML syntax: a string is not closed"),
    "loop: duplicate key": loop_case(OK_LOOP.replace('hire_bar = 3.0', 'hire_bar = 3.0\nhire_bar = 2.0'), "loops/t.toml:6:", "TOML syntax"),
    "loop: unknown top key": loop_case(OK_LOOP.replace("hire_bar", "hire_barr"), "loops/t.toml:5: hire_barr: unknown key", "did you mean 'hire_bar'?"),
    "loop: unknown interview key": loop_case(OK_LOOP.replace("weight = 2", "wieght = 2"), "interviews[0].wieght: unknown key"),
    "loop: weight a string": loop_case(OK_LOOP.replace("weight = 2", 'weight = "two"'), "loops/t.toml:15: interviews[0].weight"),
    "loop: weight 1e400": loop_case(OK_LOOP.replace("weight = 2", "weight = 1e400"), "loops/t.toml:15: interviews[0].weight"),
    "loop: weight nan": loop_case(OK_LOOP.replace("weight = 2", "weight = nan"), "loops/t.toml:15: interviews[0].weight"),
    "loop: weight -inf": loop_case(OK_LOOP.replace("weight = 2", "weight = -inf"), "loops/t.toml:15: interviews[0].weight"),
    "loop: hire bar inf": loop_case(OK_LOOP.replace("hire_bar = 3.0", "hire_bar = inf"), "loops/t.toml:5: hire_bar"),
    "loop: hire bar 5": loop_case(OK_LOOP.replace("hire_bar = 3.0", "hire_bar = 5"), "loops/t.toml:5: hire_bar", "less than or equal to 4"),
    "loop: 10,000-hour length": loop_case(OK_LOOP.replace('length = "60m"\nweight = 2', 'length = "10000h"\nweight = 2'), "loops/t.toml:14: interviews[0].length"),
    "loop: length as float": loop_case(OK_LOOP.replace('length = "60m"\nweight = 2', "length = 1e400\nweight = 2"), "loops/t.toml:14: interviews[0].length"),
    "loop: negative minutes": loop_case(OK_LOOP.replace('length = "60m"\nweight = 2', "length = -5\nweight = 2"), "loops/t.toml:14: interviews[0].length"),
    "loop: window reversed": loop_case(OK_LOOP.replace('min = "2h", max = "3h"', 'min = "3h", max = "2h"'), "loops/t.toml:4: length", "min must not be longer than max"),
    "loop: interviews a string": loop_case(OK_LOOP.split("[breaks]")[0] + 'interviews = "all"\n', "loops/t.toml:7: interviews"),
    "loop: no interviews": loop_case(OK_LOOP.split("[breaks]")[0] + "interviews = []\n", "loops/t.toml:7: interviews", "at least 1"),
    "loop: 2,000 interviews": loop_case(MANY, "loops/t.toml:10: interviews", "at most 50"),
    "loop: deeply nested": loop_case(NESTED, "loops/t.toml", "LK100"),
    "loop: a dotted key of 3,000 parts": loop_case("a" + ".a" * 3000 + " = 1\n", "loops/t.toml", "nested too deeply"),
    "loop: id with slash": loop_case(OK_LOOP.replace('id = "t"', 'id = "a/b"'), "loops/t.toml:1: id: not a valid id"),
    "loop: interview id with ..": loop_case(OK_LOOP.replace('id = "code"', 'id = ".."'), "loops/t.toml:11: interviews[0].id: not a valid id"),
    "loop: scorecard id absolute": loop_case(OK_LOOP.replace('scorecard = "card"', 'scorecard = "/etc/passwd"'), "loops/t.toml:16: interviews[0].scorecard: not a valid id"),
    "loop: variant unknown": loop_case(OK_LOOP.replace('variant = "other"', 'variant = "data-engineer"'), "loops/t.toml:3: variant"),
    "loop: title 6,000 chars": loop_case(OK_LOOP.replace('title = "Test loop"', f'title = "{"x" * 6000}"'), "loops/t.toml:2: title"),
    "loop: comp band reversed": loop_case(OK_LOOP.replace("[breaks]", "[comp_band]\nmin = 400_000\nmax = 300_000\n\n[breaks]"), "loops/t.toml:7: comp_band", "min must not be above max"),
    "loop: allow an error code": loop_case(OK_LOOP.replace("hire_bar = 3.0", 'hire_bar = 3.0\nallow = ["LK110"]'), "loops/t.toml:6: allow[0]"),
    "loop: breaks not a table": loop_case(OK_LOOP.replace('[breaks]\nbetween = "10m"\n', 'breaks = 10\n'), "loops/t.toml:7: breaks"),
    # --- scorecards ---------------------------------------------------------------------------
    "card: empty": card_case("", "scorecards/card.toml:1: id: missing key"),
    "card: unknown key": card_case(CARD.replace("look_for", "lookfor"), "scorecards/card.toml:10: competencies[0].lookfor: unknown key", "did you mean 'look_for'?"),
    "card: anchor 5": card_case(CARD.replace('4 = "d"', '4 = "d", 5 = "e"'), "scorecards/card.toml:11: competencies[0].anchors.5"),
    "card: anchor missing": card_case(CARD.replace(', 4 = "d"', ""), "scorecards/card.toml:11: competencies[0].anchors", "missing an anchor for rating 4"),
    "card: empty anchor": card_case(CARD.replace('1 = "a"', '1 = ""'), "scorecards/card.toml:11: competencies[0].anchors.1"),
    "card: prompts not a list": card_case(CARD.replace('prompts = ["q"]', 'prompts = "q"'), "scorecards/card.toml:4: prompts"),
    "card: no competencies": card_case(CARD.split("[[competencies]]")[0], "scorecards/card.toml:1: competencies: missing key"),
    "card: weight zero": card_case(CARD.replace("weight = 1", "weight = 0"), "scorecards/card.toml:9: competencies[0].weight", "LK107"),
    "card: duplicate competency": card_case(CARD + CARD.split("\n\n", 1)[1], "scorecards/card.toml:13: competencies[1].id", "duplicate competency id"),
    # --- panels -------------------------------------------------------------------------------
    "panel: syntax": panel_case("[panel\n", "panel.toml:1:", "TOML syntax"),
    "panel: unknown interview": panel_case('[panel]\ncoding = ["Sam"]\n', "panel.toml", "no interview 'coding'"),
    "panel: no panel table": panel_case('llm-coding = ["Sam"]\n', "panel.toml:1: llm-coding: unknown key"),
    "panel: number for a person": panel_case("[panel]\nllm-coding = [42]\n", "panel.toml:2: panel.llm-coding[0]"),
    "panel: empty list": panel_case("[panel]\nllm-coding = []\n", "panel.toml:2: panel.llm-coding"),
    "panel: control character": panel_case('[panel]\nllm-coding = ["Sam\\u0007"]\n', "panel.toml:2: panel.llm-coding", "control characters"),
    "panel: 400-character name": panel_case(f'[panel]\nllm-coding = ["{"S" * 400}"]\n', "panel.toml:2: panel.llm-coding", "at most 200"),
    "panel: bad e-mail brackets": panel_case('[panel]\nllm-coding = ["Sam <sam>"]\n', "panel.toml:2: panel.llm-coding", "expected 'Name' or 'Name <email>'"),
    "panel: double booking": Case(
        {"panel.toml": '[panel]\nml-coding = ["Sam"]\nml-system-design = ["Sam"]\npast-production-model-deep-dive = ["Sam"]\n'},
        ["plan", "ml-engineer", "--tz", "UTC", "--panel", "panel.toml"], ["no error expected"], 0,
    ),
    # --- CSV rows -----------------------------------------------------------------------------
    "csv: empty file": csv_case("", "line 1, candidate: missing column"),
    "csv: NUL byte": csv_case("candidate,loop\nAda\x00,ai-engineer\n", "line 2"),
    "csv: latin-1": csv_case("candidate,loop\nZoë,ai-engineer\n".encode("latin-1"), "line 2: not UTF-8 text"),
    "csv: unknown loop": csv_case("candidate,loop\nAda,ml\n", "line 2, loop: no loop named 'ml'"),
    "csv: loop path escape": csv_case("candidate,loop\nAda,../../etc/passwd\n", "line 2, loop: no loop file at ../../etc/passwd"),
    "csv: bad zone": csv_case("candidate,loop,tz\nAda,ai-engineer,../../etc/passwd\n", "line 2, tz: unknown time zone"),
    "csv: bad candidate zone": csv_case("candidate,loop,candidate_tz\nAda,ai-engineer,Nowhere\n", "line 2, candidate_tz: unknown time zone"),
    "csv: 400-character name": csv_case("candidate,loop\n" + "A" * 400 + ",ai-engineer\n", "line 2, candidate:", "at most 200"),
    "csv: unclosed quote": csv_case('candidate,loop\n"Ada,ai-engineer\n', "line"),
    "csv: date far away": csv_case("candidate,loop,date\nAda,ai-engineer,9999-12-31\n", "line 2, date: 9999-12-31 is not a plausible interview day"),
    # --- command-line options -----------------------------------------------------------------
    "option: no candidate": option_case([], "Missing option '--candidate'", code=2),
    "option: unknown option": option_case(["--candidate", "Ada", "--colour"], "No such option", code=2),
    "option: bad paper": option_case(["--candidate", "Ada", "--paper", "a3"], "'a3' is not one of", code=2),
    "option: empty name": option_case(["--candidate", ""], "--candidate: the candidate's name is empty"),
    "option: NUL in name": option_case(["--candidate", "Ada\x00Lovelace"], "--candidate:", "control characters"),
    "option: markup-only name": option_case(["--candidate", "<b></b>", "-o", "out"], "no error expected"),
    "option: impossible date": option_case(["--candidate", "Ada", "--date", "2026-02-29"], "--date: not a date"),
    "option: date out of range": option_case(["--candidate", "Ada", "--date", "1066-10-14"], "--date: 1066-10-14 is not a plausible"),
    "option: 25:00": option_case(["--candidate", "Ada", "--start", "25:00"], "--start: not a time"),
    "option: start with zone": option_case(["--candidate", "Ada", "--start", "09:30+02:00"], "--start: not a time"),
    "option: absolute zone path": option_case(["--candidate", "Ada", "--candidate-tz", "/etc/localtime"], "--candidate-tz: unknown time zone"),
    "option: interviewer without =": option_case(["--candidate", "Ada", "--interviewer", "Sam"], "--interviewer: expected ID=NAME"),
    "option: interviewer NUL": option_case(["--candidate", "Ada", "--interviewer", "llm-coding=Sa\x00m"], "--interviewer:", "control characters"),
    "option: loop path missing": Case({}, ["plan", "loops/none.toml"], ["no loop file at loops/none.toml"]),
    "option: loop is a folder": Case({"x.toml/a": ""}, ["plan", "x.toml"], ["no loop file at x.toml"]),
}  # fmt: skip  # one case per line: the catalogue reads as a table

NOT_ERRORS = {"panel: double booking", "option: markup-only name"}


def _run_case(case: Case, folder: Path) -> tuple[int, str]:
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, case.args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.output


class TestCatalogue:
    def test_there_are_at_least_sixty_bad_inputs(self) -> None:
        """The catalogue covers loops, scorecards, panels, CSV rows and options."""
        assert len(CASES) - len(NOT_ERRORS) >= 60

    @pytest.mark.parametrize("name", sorted(set(CASES) - NOT_ERRORS))
    def test_each_bad_input_gets_a_located_message(self, here: Path, name: str) -> None:
        """Exit 1 (2 for usage), no traceback, no internal error, and the place named."""
        case = CASES[name]
        code, output = _run_case(case, here)
        assert code == case.code, output
        assert "Traceback" not in output
        assert "internal error" not in output
        for fragment in case.where:
            assert fragment in output, f"{fragment!r} not in {output!r}"
        assert not (here / "out").exists() or not any((here / "out").iterdir())

    def test_a_long_day_for_one_interviewer_is_only_a_warning(self, here: Path) -> None:
        """One person in three back-to-back interviews: LK204 warning, exit 0."""
        code, output = _run_case(CASES["panel: double booking"], here)
        assert code == 0, output
        assert "LK204 warning" in output

    def test_a_name_that_is_only_markup_prints_literally(self, here: Path) -> None:
        """<b></b> as a name is text, not markup, and the folder name is still safe."""
        code, output = _run_case(CASES["option: markup-only name"], here)
        assert code == 0, output
        (folder,) = (here / "out").iterdir()
        assert folder.name == f"{next_business_day(date.today()).isoformat()}-b-b-ai-engineer"
        assert "<b></b>" in pdf_text(folder / "itinerary.pdf")


@pytest.fixture(scope="module")
def filled_packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill_packet(debrief_packet(tmp_path_factory.mktemp("debrief")))


FILLED = "scorecards/llm-coding--sam-lee.toml"
SCORECARD_EDITS: dict[str, tuple[Callable[[str], str], str]] = {
    "filled: empty file": (lambda t: "", "packet"),
    "filled: binary": (lambda t: "\x00\x01\x02", "TOML syntax"),
    "filled: rating 1e400": (lambda t: t.replace("retrieval-quality = 4", "retrieval-quality = 1e400"), "ratings.retrieval-quality"),
    "filled: rating nan": (lambda t: t.replace("retrieval-quality = 4", "retrieval-quality = nan"), "ratings.retrieval-quality"),
    "filled: rating true": (lambda t: t.replace("retrieval-quality = 4", "retrieval-quality = true"), "ratings.retrieval-quality"),
    "filled: rating 3.5": (lambda t: t.replace("retrieval-quality = 4", "retrieval-quality = 3.5"), "ratings.retrieval-quality"),
    "filled: recommendation text": (lambda t: t.replace("recommendation = 3", 'recommendation = "yes"'), "recommendation"),
    "filled: interview unknown": (lambda t: t.replace('interview = "llm-coding"', 'interview = "../x"'), "interview: no interview '../x'"),
    "filled: ratings not a table": (lambda t: t.split("[ratings]")[0].replace('notes = ""', 'notes = ""\nratings = 3'), "ratings"),
    "filled: evidence a number": (lambda t: t.replace('testing = "Saw testing first-hand."', "testing = 5"), "evidence"),
    "filled: notes a table": (lambda t: t.replace('notes = ""', "notes = {a = 1}"), "notes"),
}  # fmt: skip  # one edit per line: the catalogue reads as a table


class TestFilledScorecards:
    @pytest.mark.parametrize("name", sorted(SCORECARD_EDITS))
    def test_each_bad_filled_scorecard_is_named(
        self, filled_packet: Path, tmp_path: Path, name: str
    ) -> None:
        """The debrief stops with the file and key, exit 1, and writes nothing."""
        packet = tmp_path / "p"
        shutil.copytree(filled_packet, packet)
        edit, fragment = SCORECARD_EDITS[name]
        path = packet / FILLED
        path.write_text(edit(path.read_text("utf-8")), "utf-8")
        result = CliRunner().invoke(cli, ["debrief", str(packet)], catch_exceptions=True)
        assert result.exit_code == 1, result.output
        assert "internal error" not in result.output
        assert "llm-coding--sam-lee.toml" in result.output
        assert fragment in result.output
        assert not (packet / "debrief.toml").exists()


class TestInternalErrors:
    def test_an_unexpected_exception_is_one_line_and_debug_shows_the_traceback(
        self, here: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A bug says what failed and how to report it; --debug adds the traceback."""

        def broken(*_: object, **__: object) -> None:
            raise ZeroDivisionError("boom")

        monkeypatch.setattr(text, "format_plan", broken)
        result = CliRunner().invoke(
            cli, ["plan", "ai-engineer", "--tz", "UTC"], catch_exceptions=True
        )
        assert result.exit_code == 1
        assert "internal error: ZeroDivisionError: boom" in result.output
        assert "Traceback" not in result.output
        result = CliRunner().invoke(
            cli, ["--debug", "plan", "ai-engineer", "--tz", "UTC"], catch_exceptions=True
        )
        assert "Traceback" in result.output

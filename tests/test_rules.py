"""Every rule of SPEC section 4 with an input that breaks it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BASE_LOOP, card_with, loop_with, run

Write = Callable[[str, str], Path]


class TestBaseLoop:
    def test_the_base_test_loop_is_clean(self, write: Write) -> None:
        """The loop the other tests break is itself valid, so each failure is the rule's."""
        write("loops/t.toml", BASE_LOOP)
        result = run("validate", "loops/t.toml", "--strict")
        assert result.exit_code == 0, result.output
        assert "0 error(s), 0 warning(s)" in result.output


ERRORS = [
    # (replacements, code, line, message fragment)
    ((('title = "Test loop"', 'title = "Test loop'),), "LK100", 2, "TOML syntax"),
    (
        (("weight = 2\n", "wieght = 2\n"),),
        "LK101",
        15,
        "unknown key 'wieght' (did you mean 'weight'?)",
    ),
    (
        (("hire_bar = 3.0", 'hire_bar = "high"'),),
        "LK102",
        5,
        "hire_bar: input should be a valid number",
    ),
    ((('kind = "coding"', 'kind = "quiz"'),), "LK102", 13, "interviews[0].kind"),
    ((('title = "Coding"\n', ""),), "LK103", 10, "interviews[0].title: missing key"),
    ((('id = "dive"', 'id = "code"'),), "LK104", 19, "duplicate interview id 'code'"),
    (
        (('scorecard = "llm-applied-coding"', 'scorecard = "no-such-card"'),),
        "LK105",
        16,
        "no scorecard 'no-such-card'",
    ),
    (
        (('length = "60m"\nweight = 2', 'length = "sixty"\nweight = 2'),),
        "LK106",
        14,
        "interviews[0].length",
    ),
    ((('length = "60m"\nweight = 2', "length = 0\nweight = 2"),), "LK106", 14, "greater than 0"),
    (
        (("weight = 2\n", "weight = -2\n"),),
        "LK107",
        15,
        "interviews[0].weight: input should be greater than 0, got -2",
    ),
    (
        (('length = { min = "2h", max = "3h" }', 'length = { min = "3h", max = "4h" }'),),
        "LK109",
        4,
        "runs 2h10m with breaks, outside its window of 3h-4h",
    ),
    (
        (("weight = 3\n", "weight = 2\n"),),
        "LK110",
        23,
        "deep-dive weighs 2, not more than 'code' (2)",
    ),
    ((('kind = "deep-dive"', 'kind = "behavioral"'),), "LK111", 10, "no deep-dive"),
    ((('id = "code"', 'id = "../code"'),), "LK112", 11, "interviews[0].id: not a valid id"),
    (
        (('between = "10m"', 'between = "10m"\nlunch = { after = "lunchless", length = "30m" }'),),
        "LK113",
        9,
        "no interview 'lunchless'",
    ),
]


# A loop that uses the local scorecard "mine" instead of llm-applied-coding.
_USES_MINE = loop_with(('scorecard = "llm-applied-coding"', 'scorecard = "mine"'))
SCORECARD_ERRORS = [
    pytest.param(
        {"scorecards/s.toml": card_with(('id = "card"', 'id = "s"'), (', 3 = "c"', ""))},
        "scorecards/s.toml",
        "scorecards/s.toml:11: competencies[0].anchors: missing an anchor for rating 3",
        "LK108",
        id="a competency without every anchor",
    ),
    pytest.param(
        {
            "loops/t.toml": _USES_MINE,
            "scorecards/mine.toml": card_with(('id = "card"', 'id = "other"'),
                                              ('title = "Card"', 'title = "Mine"')),
        },
        "loops/t.toml",
        "scorecards/mine.toml:1: id: scorecard id 'other' does not match its file name",
        "LK114",
        id="an id that differs from the file name",
    ),
    pytest.param(
        {
            "loops/t.toml": _USES_MINE,
            "scorecards/mine.toml": card_with(('id = "card"', 'id = "mine"'),
                                              ('title = "Card"', 'title = "Mine"'),
                                              ("weight = 1", 'weight = "heavy"')),
        },
        "loops/t.toml",
        "scorecards/mine.toml:9: competencies[0].weight",
        "LK107",
        id="a bad weight in a loop's local scorecard",
    ),
]  # fmt: skip


class TestErrors:
    @pytest.mark.parametrize(("replacements", "code", "line", "fragment"), ERRORS)
    def test_each_error_names_file_line_code_and_message(
        self,
        write: Write,
        replacements: tuple[tuple[str, str], ...],
        code: str,
        line: int,
        fragment: str,
    ) -> None:
        """A broken loop fails with exit 1 and a finding at the right line."""
        write("loops/t.toml", loop_with(*replacements))
        result = run("validate", "loops/t.toml")
        assert result.exit_code == 1, result.output
        expected = [ln for ln in result.output.splitlines() if f"[{code} error]" in ln]
        assert expected, result.output
        assert expected[0].startswith(f"loops/t.toml:{line}:"), expected[0]
        assert fragment in expected[0]

    def test_every_error_of_a_file_is_reported_at_once(self, write: Write) -> None:
        """Three independent mistakes give three findings, not only the first."""
        write(
            "loops/t.toml",
            loop_with(
                ("weight = 2\n", "weight = 0\n"),
                ('kind = "coding"', 'kind = "quiz"'),
                ("hire_bar = 3.0", "hire_bar = 9"),
            ),
        )
        result = run("validate", "loops/t.toml")
        assert result.exit_code == 1
        assert "3 error(s)" in result.output
        for code in ("LK102", "LK107"):
            assert code in result.output

    @pytest.mark.parametrize(("files", "target", "where", "code"), SCORECARD_ERRORS)
    def test_a_scorecard_error_is_reported_in_the_scorecard_file(
        self, write: Write, files: dict[str, str], target: str, where: str, code: str
    ) -> None:
        """A broken scorecard fails with exit 1 at its own file and line, whoever asked."""
        for path, text in files.items():
            write(path, text)
        result = run("validate", target)
        assert result.exit_code == 1
        assert where in result.output
        assert f"[{code} error]" in result.output


WARNINGS = [
    ((('kind = "coding"', 'kind = "leetcode"'),), "LK201", 13, "a leetcode interview"),
    ((('title = "Coding"', 'title = "LeetCode warm-up"'),), "LK201", 12, "reads like a leetcode"),
    (
        (('variant = "other"', 'variant = "ai-engineer"'), ("[breaks]", "[comp_band]\nmin = 300_000\nmax = 320_000\n\n[breaks]")),
        "LK202", 8, "below the ai-engineer market of $360,000-$410,000",
    ),
    (
        (("[breaks]", "[requirements]\nllm_applied_months = 60\n\n[breaks]"),),
        "LK203", 8, "asks 60 months of LLM-applied work",
    ),
]  # fmt: skip


class TestWarnings:
    @pytest.mark.parametrize(("replacements", "code", "line", "fragment"), WARNINGS)
    def test_warnings_pass_but_fail_with_strict(
        self,
        write: Write,
        replacements: tuple[tuple[str, str], ...],
        code: str,
        line: int,
        fragment: str,
    ) -> None:
        """A design warning exits 0, is printed at its line, and --strict makes it exit 1."""
        write("loops/t.toml", loop_with(*replacements))
        result = run("validate", "loops/t.toml")
        assert result.exit_code == 0, result.output
        found = [ln for ln in result.output.splitlines() if f"[{code} warning]" in ln]
        assert found, result.output
        assert found[0].startswith(f"loops/t.toml:{line}:"), found[0]
        assert fragment in found[0]
        assert run("validate", "loops/t.toml", "--strict").exit_code == 1

    def test_a_loop_can_silence_one_warning_code(self, write: Write) -> None:
        """allow = ["LK201"] silences that warning and only that one."""
        text = loop_with(
            ('kind = "coding"', 'kind = "leetcode"'),
            ("hire_bar = 3.0", 'hire_bar = 3.0\nallow = ["LK201"]'),
        )
        write("loops/t.toml", text)
        result = run("validate", "loops/t.toml", "--strict")
        assert result.exit_code == 0, result.output
        assert "LK201" not in result.output


class TestPaths:
    def test_a_project_folder_means_its_loops_and_scorecards(self, write: Write) -> None:
        """validate . reads loops/ and scorecards/, not pyproject.toml beside them."""
        write("loops/t.toml", BASE_LOOP)
        write("pyproject.toml", '[project]\nname = "x"\n')
        result = run("validate", ".")
        assert result.exit_code == 0, result.output
        assert "1 file checked" in result.output

    def test_a_missing_path_is_named(self, here: Path) -> None:
        """A path that does not exist exits 1 and says so."""
        result = run("validate", "nowhere.toml")
        assert result.exit_code == 1
        assert "nowhere.toml: no such file or folder" in result.output


class TestBuiltInLoops:
    def test_the_built_in_loops_and_scorecards_pass_strict(self, here: Path) -> None:
        """From an empty folder, validate checks the bundled files and finds nothing."""
        result = run("validate", "--strict")
        assert result.exit_code == 0, result.output
        assert "10 files checked: 0 error(s), 0 warning(s)" in result.output

    @pytest.mark.parametrize("loop_id", ["ai-engineer", "ml-engineer"])
    def test_the_deep_dive_weighs_strictly_most(self, loop_id: str) -> None:
        """In both built-in loops the deep-dive outweighs every other block."""
        from loopkit import load_loop

        loop = load_loop(loop_id).loop
        dive = [i for i in loop.interviews if i.kind == "deep-dive"]
        others = [i.weight for i in loop.interviews if i.kind != "deep-dive"]
        assert len(dive) == 1
        assert dive[0].weight > max(others)

    def test_built_in_scorecards_have_prompts_and_competencies_in_range(self) -> None:
        """Each built-in scorecard has 4-6 prompts and 3-5 fully anchored competencies."""
        from loopkit import load_loop

        for loop_id in ("ai-engineer", "ml-engineer"):
            for card in load_loop(loop_id).scorecards.values():
                template = card.template
                assert 4 <= len(template.prompts) <= 6, template.id
                assert 3 <= len(template.competencies) <= 5, template.id
                for competency in template.competencies:
                    assert sorted(competency.anchors) == ["1", "2", "3", "4"]

"""Every design rule: as a unit on a checked loop or scorecard, and through ``loopkit validate``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from loopkit import load_loop
from loopkit._documents import LoopDocument, ScorecardDocument
from loopkit._errors import Finding
from loopkit._market import bundled_market
from loopkit._models import Loop, ScorecardTemplate
from loopkit._rules import (
    LOOP_RULES,
    SCORECARD_RULES,
    Context,
    _comp_band,
    _deep_dive,
    _duplicate_competencies,
    _duplicate_ids,
    _experience,
    _hybrid,
    _leetcode,
    _length_window,
    _lunch_placement,
    _printable_loop,
    _printable_scorecard,
    _stale_market,
    check_loop,
    check_scorecard,
    loop_minutes,
)
from loopkit._schema import parse_model
from loopkit._source import parse_toml
from tests.helpers import BASE_LOOP, CARD, Write, card_with, loop_with, run


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
            "scorecards/mine.toml": card_with(
                ('id = "card"', 'id = "other"'), ('title = "Card"', 'title = "Mine"')
            ),
        },
        "loops/t.toml",
        "scorecards/mine.toml:1: id: scorecard id 'other' does not match its file name",
        "LK114",
        id="an id that differs from the file name",
    ),
    pytest.param(
        {
            "loops/t.toml": _USES_MINE,
            "scorecards/mine.toml": card_with(
                ('id = "card"', 'id = "mine"'),
                ('title = "Card"', 'title = "Mine"'),
                ("weight = 1", 'weight = "heavy"'),
            ),
        },
        "loops/t.toml",
        "scorecards/mine.toml:9: competencies[0].weight",
        "LK107",
        id="a bad weight in a loop's local scorecard",
    ),
]


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
        (
            ('variant = "other"', 'variant = "ai-engineer"'),
            ("[breaks]", "[comp_band]\nmin = 300_000\nmax = 320_000\n\n[breaks]"),
        ),
        "LK202",
        8,
        "below the ai-engineer market of $360,000-$410,000",
    ),
    (
        (("[breaks]", "[requirements]\nllm_applied_months = 60\n\n[breaks]"),),
        "LK203",
        8,
        "asks 60 months of LLM-applied work",
    ),
]


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
        loop = load_loop(loop_id).loop
        dive = [i for i in loop.interviews if i.kind == "deep-dive"]
        others = [i.weight for i in loop.interviews if i.kind != "deep-dive"]
        assert len(dive) == 1
        assert dive[0].weight > max(others)

    def test_built_in_scorecards_have_prompts_and_competencies_in_range(self) -> None:
        """Each built-in scorecard has 4-6 prompts and 3-5 fully anchored competencies."""
        for loop_id in ("ai-engineer", "ml-engineer"):
            for card in load_loop(loop_id).scorecards.values():
                template = card.template
                assert 4 <= len(template.prompts) <= 6, template.id
                assert 3 <= len(template.competencies) <= 5, template.id
                for competency in template.competencies:
                    assert sorted(competency.anchors) == ["1", "2", "3", "4"]


# --- each rule as a unit -------------------------------------------------------------------------
# The rules take a checked document and read no file: these build one from text the way the
# loader does (TOML with the line of every key, then the model) and call one rule.

Rule = Callable[[LoopDocument, Context], Iterator[Finding]]
LUNCH = 'between = "10m"\nlunch = { after = "%s", length = "60m" }'
COMP = "[comp_band]\ncurrency = %r\nmin = %d\nmax = 500_000\n\n[breaks]"


def loop_document(text: str) -> LoopDocument:
    """A loop as the loader checks it, from text (its scorecards left out: no rule reads them)."""
    data, source = parse_toml(text.encode("utf-8"), "loops/t.toml")
    loop, findings = parse_model(Loop, data, source)
    assert loop is not None, findings
    return LoopDocument(loop, Path("loops/t.toml"), source, {})


def card_document(text: str) -> ScorecardDocument:
    """A scorecard template as the loader checks it, from text."""
    data, source = parse_toml(text.encode("utf-8"), "scorecards/card.toml")
    template, findings = parse_model(ScorecardTemplate, data, source)
    assert template is not None, findings
    return ScorecardDocument(template, Path("scorecards/card.toml"), source)


# The bundled market figures, judged on a day less than a year after they were checked.
CONTEXT = Context(bundled_market(), date(2026, 11, 26))


def where(findings: list[Finding]) -> list[tuple[str, str, str, int]]:
    """Code, severity, key and line of each finding: what a user reads first."""
    return [(f.code, f.severity.value, f.key, f.line) for f in findings]


def judge(rule: Rule, *replacements: tuple[str, str]) -> list[Finding]:
    """The findings of one rule on the base loop with replacements applied."""
    return list(rule(loop_document(loop_with(*replacements)), CONTEXT))


class TestRuleRegistry:
    def test_every_rule_runs_and_each_has_its_unit_tests_below(self) -> None:
        """The registries hold exactly the rules tested here, in the order they report."""
        rules = [*LOOP_RULES, *SCORECARD_RULES]
        assert rules == [
            _duplicate_ids,
            _lunch_placement,
            _length_window,
            _deep_dive,
            _leetcode,
            _comp_band,
            _stale_market,
            _experience,
            _hybrid,
            _printable_loop,
            _duplicate_competencies,
            _printable_scorecard,
        ]

    @pytest.mark.parametrize("rule", LOOP_RULES)
    def test_the_base_loop_breaks_no_rule(self, rule: Rule) -> None:
        """Each rule finds nothing in the base loop, so each finding below is the rule's."""
        assert judge(rule) == []


class TestDuplicateIds:
    def test_the_second_interview_with_an_id_is_named_at_its_id(self) -> None:
        """LK104 points at the repeated id, not at the first one."""
        found = judge(_duplicate_ids, ('id = "dive"', 'id = "code"'))
        assert where(found) == [("LK104", "error", "interviews[1].id", 19)]
        assert found[0].message == "duplicate interview id 'code'"


class TestLunchPlacement:
    def test_lunch_after_an_unknown_interview_lists_the_ids(self) -> None:
        """LK113 at breaks.lunch.after, with the loop's interview ids as the hint."""
        found = judge(_lunch_placement, ('between = "10m"', LUNCH % "lunchless"))
        assert where(found) == [("LK113", "error", "breaks.lunch.after", 9)]
        assert (found[0].message, found[0].hint) == (
            "no interview 'lunchless'",
            "interviews: code, dive",
        )

    def test_lunch_after_the_last_interview_is_refused(self) -> None:
        """A lunch after the last interview would never happen."""
        found = judge(_lunch_placement, ('between = "10m"', LUNCH % "dive"))
        assert where(found) == [("LK113", "error", "breaks.lunch.after", 9)]
        assert found[0].message == "lunch after the last interview never happens"

    def test_lunch_after_an_earlier_interview_is_fine(self) -> None:
        """Lunch after the first of two interviews is what lunch is for."""
        assert judge(_lunch_placement, ('between = "10m"', LUNCH % "code")) == []


class TestLengthWindow:
    def test_breaks_count_and_lunch_replaces_the_gap_it_follows(self) -> None:
        """60m + 10m + 60m is 130 minutes; a 60m lunch instead of the gap makes 180."""
        assert loop_minutes(loop_document(BASE_LOOP).loop) == 130
        lunch = loop_document(loop_with(('between = "10m"', LUNCH % "code")))
        assert loop_minutes(lunch.loop) == 180

    def test_a_loop_shorter_than_its_window_is_named_at_length(self) -> None:
        """LK109 gives the loop's real length and the window it misses."""
        found = judge(_length_window, ('min = "2h", max = "3h"', 'min = "3h", max = "4h"'))
        assert where(found) == [("LK109", "error", "length", 4)]
        assert found[0].message == "the loop runs 2h10m with breaks, outside its window of 3h-4h"

    def test_a_window_of_one_length_is_written_once(self) -> None:
        """min = max prints as one length, and the lunch counts toward the total."""
        found = judge(
            _length_window,
            ('min = "2h", max = "3h"', 'min = "2h", max = "2h"'),
            ('between = "10m"', LUNCH % "code"),
        )
        assert where(found) == [("LK109", "error", "length", 4)]
        assert found[0].message == "the loop runs 3h with breaks, outside its window of 2h"

    def test_both_ends_of_the_window_are_inside(self) -> None:
        """A loop exactly as long as min, or as max, passes."""
        assert judge(_length_window, ('min = "2h", max = "3h"', 'min = "2h10m", max = "3h"')) == []
        assert judge(_length_window, ('min = "2h", max = "3h"', 'min = "1h", max = "2h10m"')) == []


class TestDeepDive:
    def test_a_loop_without_a_deep_dive_is_named_at_its_interviews(self) -> None:
        """LK111 points at the first [[interviews]] table."""
        found = judge(_deep_dive, ('kind = "deep-dive"', 'kind = "behavioral"'))
        assert where(found) == [("LK111", "error", "interviews", 10)]

    def test_a_deep_dive_that_only_ties_is_named_at_its_weight(self) -> None:
        """LK110 names the rival that weighs as much."""
        found = judge(_deep_dive, ("weight = 3\n", "weight = 2\n"))
        assert where(found) == [("LK110", "error", "interviews[1].weight", 23)]
        assert found[0].message == "deep-dive weighs 2, not more than 'code' (2)"

    def test_a_heavier_rival_is_named_too(self) -> None:
        """A coding interview that outweighs the deep-dive is the rival named."""
        found = judge(_deep_dive, ("weight = 2\n", "weight = 5\n"))
        assert where(found) == [("LK110", "error", "interviews[1].weight", 23)]
        assert found[0].message == "deep-dive weighs 3, not more than 'code' (5)"


class TestLeetcode:
    @pytest.mark.parametrize("kind", ["leetcode", "puzzle"])
    def test_a_leetcode_or_puzzle_kind_is_a_warning_at_its_kind(self, kind: str) -> None:
        """LK201 is a warning, at interviews[n].kind, naming the kind."""
        found = judge(_leetcode, ('kind = "coding"', f'kind = "{kind}"'))
        assert where(found) == [("LK201", "warning", "interviews[0].kind", 13)]
        assert found[0].message == f"a {kind} interview"

    @pytest.mark.parametrize(
        "replacement",
        [
            ('title = "Coding"', 'title = "LeetCode warm-up"'),
            ('title = "Coding"', 'title = "Coding"\nbrief = "Two brain teasers, then a puzzle."'),
        ],
    )
    def test_a_title_or_brief_that_reads_like_leetcode_is_a_warning_at_the_title(
        self, replacement: tuple[str, str]
    ) -> None:
        """The words leetcode, puzzle or brain teaser in a title or brief are found."""
        found = judge(_leetcode, replacement)
        assert where(found) == [("LK201", "warning", "interviews[0].title", 12)]
        assert found[0].message == "reads like a leetcode or puzzle interview"

    def test_a_word_that_only_contains_puzzle_is_not_leetcode(self) -> None:
        """Whole words only: "puzzled" in a brief is not a puzzle interview."""
        brief = ('title = "Coding"', 'title = "Coding"\nbrief = "Users were puzzled by errors."')
        assert judge(_leetcode, brief) == []


class TestCompBand:
    @staticmethod
    def _band(currency: str, low: int, variant: str = "ai-engineer") -> list[Finding]:
        return judge(
            _comp_band,
            ('variant = "other"', f'variant = "{variant}"'),
            ("[breaks]", COMP % (currency, low)),
        )

    def test_a_band_below_the_variants_market_is_a_warning_at_its_min(self) -> None:
        """LK202 at comp_band.min, with the market it is below."""
        found = self._band("USD", 300_000)
        assert where(found) == [("LK202", "warning", "comp_band.min", 9)]
        assert found[0].message == (
            "band starts at $300,000, below the ai-engineer market of $360,000-$410,000"
        )

    def test_a_band_at_the_market_floor_is_fine(self) -> None:
        """The market's own floor is not below it."""
        assert self._band("USD", 360_000) == []

    def test_a_band_it_cannot_judge_is_said_so_and_other_variants_left_alone(self) -> None:
        """The market figures are US dollars for two variants: a EUR band gets a plain warning."""
        found = self._band("EUR", 100_000)
        assert where(found) == [("LK202", "warning", "comp_band.currency", found[0].line)]
        assert (
            found[0].message
            == "cannot judge a band in EUR: the ai-engineer market figures are in USD"
        )
        assert self._band("USD", 100_000, variant="other") == []
        assert judge(_comp_band, ('variant = "other"', 'variant = "ml-engineer"')) == []


class TestExperience:
    @staticmethod
    def _asking(requirements: str) -> list[Finding]:
        return judge(_experience, ("[breaks]", f"[requirements]\n{requirements}\n\n[breaks]"))

    def test_more_llm_months_than_exist_is_a_warning_at_the_key(self) -> None:
        """LK203 at requirements.llm_applied_months, with what does exist."""
        found = self._asking("llm_applied_months = 60")
        assert where(found) == [("LK203", "warning", "requirements.llm_applied_months", 8)]
        assert found[0].message == "asks 60 months of LLM-applied work; at most 36 exist"

    @pytest.mark.parametrize("asked", ["llm_applied_months = 36", "production_ml_years = 20"])
    def test_what_the_pool_can_have_is_fine(self, asked: str) -> None:
        """36 months is the most there is; production ML years are not limited by this rule."""
        assert self._asking(asked) == []


class TestDuplicateCompetencies:
    def test_the_second_competency_with_an_id_is_named_at_its_id(self) -> None:
        """LK104 in a scorecard points at the repeated competency's id."""
        text = CARD + CARD.split("\n\n", 1)[1]
        found = list(_duplicate_competencies(card_document(text)))
        assert where(found) == [("LK104", "error", "competencies[1].id", 13)]
        assert found[0].message == "duplicate competency id 'c'"

    def test_distinct_competencies_pass(self) -> None:
        """The base scorecard has one competency and no finding."""
        assert list(_duplicate_competencies(card_document(CARD))) == []


class TestPrintable:
    def test_an_emoji_in_an_interview_title_is_named_at_its_key(self) -> None:
        """LK115 names the character, its code point, the key and the line."""
        found = judge(_printable_loop, ('title = "Coding"', 'title = "Coding 🙂"'))
        assert where(found) == [("LK115", "error", "interviews[0].title", 12)]
        assert found[0].message == "cannot print '🙂' U+1F642: no font here has it"

    def test_every_text_of_a_scorecard_is_read_anchors_included(self) -> None:
        """An anchor and a prompt with symbols no font has are both found, once each."""
        text = CARD.replace('prompts = ["q"]', 'prompts = ["q ⛔"]').replace(
            '4 = "d"', '4 = "d 🙂🙂"'
        )
        found = list(_printable_scorecard(card_document(text)))
        assert [(f.key, f.message.split(":")[0]) for f in found] == [
            ("prompts[0]", "cannot print '⛔' U+26D4"),
            ("competencies[0].anchors.4", "cannot print '🙂' U+1F642"),
        ]

    def test_every_script_the_fonts_print_passes(self) -> None:
        """Vietnamese, Greek, Cyrillic, Turkish, Chinese, Japanese and Korean are fine."""
        title = "Nguyễn Αθηνά Ольга Işıl 王小明 やまだ 김민준"
        assert judge(_printable_loop, ('title = "Coding"', f'title = "{title}"')) == []


class TestGlyphTable:
    def test_the_table_is_the_embedded_fonts_own_character_map(self) -> None:
        """What validate calls printable is exactly what the embedded font can draw."""
        from loopkit._glyphs import LAYOUT, in_base_font
        from loopkit.render.fonts import register

        font = register()
        assert {c for c in range(0x30000) if in_base_font(chr(c))} == font - set(map(ord, LAYOUT))


class TestCheck:
    def test_check_loop_reports_every_rule_in_registry_order(self) -> None:
        """Four rules broken at once give four findings, in the order the rules are listed."""
        document = loop_document(
            loop_with(
                ('between = "10m"', LUNCH % "nowhere"),
                ('kind = "deep-dive"', 'kind = "behavioral"'),
                ('title = "Coding"', 'title = "Puzzle hour"'),
                ("[breaks]", "[requirements]\nllm_applied_months = 48\n\n[breaks]"),
            )
        )
        assert [(f.code, f.key) for f in check_loop(document, CONTEXT)] == [
            ("LK113", "breaks.lunch.after"),
            ("LK111", "interviews"),
            ("LK201", "interviews[0].title"),
            ("LK203", "requirements.llm_applied_months"),
        ]

    def test_check_scorecard_runs_the_scorecard_rules(self) -> None:
        """A duplicate competency is the scorecard's one rule."""
        assert check_scorecard(card_document(CARD)) == []
        duplicate = card_document(CARD + CARD.split("\n\n", 1)[1])
        assert [f.code for f in check_scorecard(duplicate)] == ["LK104"]

    def test_a_finding_formats_as_the_command_line_prints_it(self) -> None:
        """file:line: key: message (hint) [code severity], from the document's file name."""
        (finding,) = judge(_duplicate_ids, ('id = "dive"', 'id = "code"'))
        assert finding.format() == (
            "loops/t.toml:19: interviews[1].id: duplicate interview id 'code' "
            "(every interview needs its own id) [LK104 error]"
        )

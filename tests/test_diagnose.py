"""``loopkit diagnose``: the three intake answers, the variant, the market file, and what it writes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from datetime import date
from itertools import product
from pathlib import Path

import pytest

from loopkit._data import bundled_dir
from loopkit._diagnose import Answers, Requisition, diagnose
from loopkit._market import BUNDLED, bundled_market
from loopkit._rules import Context, _comp_band, _hybrid, _stale_market
from loopkit._schema import parse_model
from loopkit._source import parse_toml
from tests.helpers import Write, loop_with, pdf_pages, pdf_text, run
from tests.test_rules import judge, loop_document, where

DAY = "2026-11-26"  # within a year of the bundled figures' check (2026-05-16)


def answer(deliverable: str, stack: str, background: str, share: int | None = None) -> list[str]:
    """The diagnose options for three answers, on a fixed day."""
    args = ["diagnose", "--deliverable", deliverable, "--stack", stack, "--background", background]
    if share is not None:
        args += ["--llm-share", str(share)]
    return [*args, "--date", DAY]


def variant_of(output: str) -> str:
    found = re.search(r"^Variant: ([a-z-]+)", output, re.MULTILINE)
    assert found, output
    return found[1]


# --- the decision, written from the guidance ----------------------------------------------------
# The guidance: the deliverable is the dominant signal (a shipped LLM feature on a hosted model
# is AI-engineer work; a trained production model on company data is ML-engineer work); a stack
# that spans both is hired for the side holding the dominant 60 percent; the background
# (12-24 months LLM-applied from software, or 3-8 years production ML) sets band and channels.
# A role that truly needs both depths is an MLOps engineer with LLM focus. Answers that point at
# different variants must be resolved before posting: a posting listing both draws neither pool.
DELIVERABLES = ["llm-feature", "trained-model", "both"]
STACKS = [
    ("llm-applied", None),
    ("production-ml", None),
    ("both", 70),  # 70% LLM-applied: that side holds the 60 percent
    ("both", 30),  # 70% production ML
    ("both", 50),  # no side holds 60 percent
]
BACKGROUNDS = ["llm-applied", "production-ml", "both"]
AGREED = {
    ("llm-feature", "llm-applied", None, "llm-applied"): "ai-engineer",
    ("llm-feature", "both", 70, "llm-applied"): "ai-engineer",
    ("trained-model", "production-ml", None, "production-ml"): "ml-engineer",
    ("trained-model", "both", 30, "production-ml"): "ml-engineer",
    ("both", "both", 50, "both"): "mlops-llm",
}


class TestDecision:
    @pytest.mark.parametrize(
        ("deliverable", "stack", "background"), list(product(DELIVERABLES, STACKS, BACKGROUNDS))
    )
    def test_every_combination_gives_the_variant_the_guidance_implies(
        self, deliverable: str, stack: tuple[str, int | None], background: str
    ) -> None:
        """Three answers that agree name the variant; any disagreement is split."""
        name, share = stack
        expected = AGREED.get((deliverable, name, share, background), "split")
        result = diagnose(
            Answers(deliverable, name, share, background), bundled_market(), date(2026, 11, 26)
        )
        assert result.variant == expected
        assert bool(result.resolve) == (expected == "split")

    @pytest.mark.parametrize(
        ("share", "expected"),
        [(59, "split"), (60, "ai-engineer"), (61, "ai-engineer")],
    )
    def test_the_llm_side_needs_60_percent(self, share: int, expected: str) -> None:
        """59 percent of LLM-applied work is no dominant side; 60 and 61 are."""
        result = run(*answer("llm-feature", "both", "llm-applied", share))
        assert result.exit_code == 0, result.output
        assert variant_of(result.output) == expected
        if expected == "split":
            assert "no side holds the dominant 60 percent" in " ".join(result.output.split())

    @pytest.mark.parametrize(
        ("ml_share", "expected"),
        [(59, "split"), (60, "ml-engineer"), (61, "ml-engineer")],
    )
    def test_the_ml_side_needs_60_percent(self, ml_share: int, expected: str) -> None:
        """The same rule for production ML: 59, 60 and 61 percent of the work."""
        result = run(*answer("trained-model", "both", "production-ml", 100 - ml_share))
        assert variant_of(result.output) == expected

    def test_split_says_what_to_resolve_and_opens_no_band(self) -> None:
        """AI-engineer work with an MLE background expected: the costliest failure, named."""
        result = run(*answer("llm-feature", "llm-applied", "production-ml"))
        assert result.exit_code == 0
        assert "Variant: split: resolve before posting" in result.output
        assert "the background points at ml-engineer but the deliverable at ai-engineer" in (
            result.output.replace("\n      ", " ").replace("\n    ", " ")
        )
        assert "Comp band: open at" not in result.output
        assert "Do not post yet" in result.output


class TestReport:
    def test_the_report_has_every_part_for_an_ai_engineer(self) -> None:
        """Variant, a reason per question, both bands, experience, channels, time to fill."""
        result = run(*answer("llm-feature", "llm-applied", "llm-applied"))
        out = result.output
        assert result.exit_code == 0, out
        assert variant_of(out) == "ai-engineer"
        for question in ("deliverable:", "stack:", "background:"):
            assert f"  {question} " in out
        assert "Comp band: open at $360,000-$410,000" in out
        assert "ml-engineer would be $300,000-$320,000: its floor $60,000 (17%) lower" in out
        assert "ask: 12-24 months of LLM-applied work" in out
        assert "asking 5+ years shuts out nearly everyone" in out
        assert "Latent Space" in out
        assert "Time to fill: median 85 days" in out
        assert "a posting that also lists custom model training" in out

    def test_mlops_llm_names_the_loop_to_start_from_and_says_it_has_no_time_figure(self) -> None:
        """mlops-llm has no built-in loop and the source gives no time to fill: both said."""
        out = run(*answer("both", "both", "both", 50)).output
        assert variant_of(out) == "mlops-llm"
        assert "Comp band: open at $310,000-$380,000" in out
        assert "mlops-llm has no built-in loop: start from ml-engineer" in out.replace("\n  ", " ")
        assert "Time to fill: the market file gives no figure for mlops-llm" in out

    def test_every_figure_comes_from_the_market_file(self, here: Path) -> None:
        """Change each figure in a copy of the file: the report prints the new ones only."""
        text = BUNDLED.read_text("utf-8")
        for old, new in [
            ("min = 360_000, max = 410_000", "min = 361_111, max = 412_345"),
            ("min = 300_000, max = 320_000", "min = 301_234, max = 322_222"),
            ("value = 370_000", "value = 377_777"),
            ("days = 85", "days = 93"),
            ('"AI Engineer Summit"', '"Bay Area LLM meetup"'),
            ("min = 12, max = 24", "min = 11, max = 23"),
            ("min = 24, max = 36", "min = 26, max = 38"),
            ("value = 5,", "value = 6,"),
            ('version = "2026-05"', 'version = "2026-11-team"'),
        ]:
            assert old in text, old
            text = text.replace(old, new)
        Path("m.toml").write_text(text, "utf-8")
        out = run(*answer("llm-feature", "llm-applied", "llm-applied"), "--market", "m.toml").output
        flat = " ".join(out.split())
        for figure in [
            "$361,111-$412,345",
            "$301,234-$322,222",
            "$59,877 (17%) lower",
            "median $377,777",
            "median 93 days",
            "Bay Area LLM meetup",
            "11-23 months of LLM-applied work",
            "more than 38 months",
            "26-38 months",
            "asking 6+ years",
            "version 2026-11-team",
        ]:
            assert figure in flat, figure
        for gone in ["$360,000", "$370,000", "85 days", "AI Engineer Summit", "12-24", "5+ years"]:
            assert gone not in flat, gone

    def test_old_figures_are_warned_about(self) -> None:
        """An intake more than a year after the figures were checked says to update them."""
        out = run(*answer("llm-feature", "llm-applied", "llm-applied")[:-1], "2027-05-17").output
        assert "checked more than a year ago" in out
        fresh = run(*answer("llm-feature", "llm-applied", "llm-applied")).output
        assert "checked more than a year ago" not in fresh


EUR = (
    ('currency = "USD"', 'currency = "EUR"'),
    ("min = 360_000, max = 410_000", "min = 150_000, max = 190_000"),
    ("min = 300_000, max = 320_000", "min = 120_000, max = 140_000"),
    ("min = 310_000, max = 380_000", "min = 130_000, max = 170_000"),
)


class TestTeamMarket:
    @pytest.fixture
    def team(self, here: Path, write: Write) -> Path:
        """A team in euros: its own market file, named in its loopkit.toml."""
        text = BUNDLED.read_text("utf-8")
        for old, new in EUR:
            assert old in text, old
            text = text.replace(old, new)
        write("figures/eur.toml", text)
        write("loopkit.toml", 'market = "figures/eur.toml"\n')
        return here

    def test_a_team_market_file_not_there_is_named_where_loopkit_toml_names_it(
        self, here: Path, write: Write
    ) -> None:
        """It was said as "nope.toml: file not found", by itself, from every command that
        reads a loop: nothing said which setting named it."""
        write("loopkit.toml", '# the team\nmarket = "figures/nope.toml"\n')
        for args in (answer("llm-feature", "llm-applied", "llm-applied"), ["validate"]):
            result = run(*args)
            assert result.exit_code == 1, result.output
            assert result.output.startswith(
                "error: loopkit.toml:2: market: figures/nope.toml is not a file (the team's "
                "market figures (a copy of loopkit's market.toml), relative to this file)"
            ), result.output

    def test_diagnose_uses_the_teams_file_and_currency(self, team: Path) -> None:
        """Bands print in the team's currency, from the file loopkit.toml names."""
        out = run(*answer("llm-feature", "llm-applied", "llm-applied")).output
        assert "Comp band: open at 150,000 EUR-190,000 EUR" in out
        assert "ml-engineer would be 120,000 EUR-140,000 EUR" in out
        assert "figures/eur.toml" in out
        assert "$" not in out

    def test_the_loop_diagnose_starts_passes_lk202_with_the_same_file(self, team: Path) -> None:
        """End to end: the EUR band diagnose writes is the band validate judges by."""
        result = run(
            *answer("llm-feature", "llm-applied", "llm-applied"), "--new-loop", "--id", "ai"
        )
        assert result.exit_code == 0, result.output
        loop = tomllib.loads(Path("loops/ai.toml").read_text("utf-8"))
        assert loop["comp_band"] == {"currency": "EUR", "min": 150_000, "max": 190_000}
        checked = run("validate", "--strict", "loops/ai.toml")
        assert checked.exit_code == 0, checked.output
        planned = run("plan", "loops/ai.toml", "--tz", "UTC", "--date", "2026-12-03")
        assert planned.exit_code == 0, planned.output
        assert "LK202" not in planned.output

    def test_lk202_judges_a_euro_band_against_the_teams_figures(
        self, team: Path, write: Write
    ) -> None:
        """Below the team's floor warns in euros; a dollar band cannot be judged by euro figures."""
        band = '[comp_band]\ncurrency = "%s"\nmin = %d\nmax = 200_000\n\n[breaks]'
        variant = ('variant = "other"', 'variant = "ai-engineer"')
        write("loops/low.toml", loop_with(variant, ("[breaks]", band % ("EUR", 140_000))))
        write("loops/usd.toml", loop_with(variant, ("[breaks]", band % ("USD", 140_000))))
        out = run("validate", "loops/low.toml", "loops/usd.toml").output
        assert (
            "band starts at 140,000 EUR, below the ai-engineer market of 150,000 EUR-190,000 EUR"
            in out
        )
        assert "cannot judge a band in USD: the ai-engineer market figures are in EUR" in out

    def test_a_broken_team_file_is_named_by_line_and_key(self, here: Path, write: Write) -> None:
        """A market file missing a variant, or with a wrong value, fails with file:line: key."""
        text = BUNDLED.read_text("utf-8")
        write("m.toml", text.replace("days = 85", 'days = "85"'))
        result = run(*answer("llm-feature", "llm-applied", "llm-applied"), "--market", "m.toml")
        assert result.exit_code == 1
        assert re.search(r"m\.toml:\d+: variants\.ai-engineer\.time_to_fill\.days: ", result.output)
        write("m.toml", text.split("[variants.mlops-llm]")[0])
        result = run(*answer("llm-feature", "llm-applied", "llm-applied"), "--market", "m.toml")
        assert result.exit_code == 1
        assert "variants: no figures for mlops-llm" in result.output


class TestIntake:
    def test_an_intake_file_gives_the_same_answers_as_options(
        self, here: Path, write: Write
    ) -> None:
        """The same three answers from TOML decide the same variant."""
        write(
            "intake.toml",
            'deliverable = "trained-model"\nstack = "both"\nllm_share = 20\nbackground = "production-ml"\n',
        )
        result = run("diagnose", "--intake", "intake.toml", "--date", DAY)
        assert result.exit_code == 0, result.output
        assert variant_of(result.output) == "ml-engineer"

    def test_options_win_over_the_intake_file(self, here: Path, write: Write) -> None:
        """An option given beside the file replaces its answer."""
        write(
            "intake.toml",
            'deliverable = "trained-model"\nstack = "production-ml"\nbackground = "production-ml"\n',
        )
        result = run(
            "diagnose", "--intake", "intake.toml", "--background", "llm-applied", "--date", DAY
        )
        assert variant_of(result.output) == "split"

    @pytest.mark.parametrize(
        ("text", "where_", "message"),
        [
            (
                'deliverable = "llm-feature"\nstack = "llm-applied"\n',
                "intake.toml:1: background",
                "missing key",
            ),
            (
                'deliverable = "llm-feature"\nstack = "llm-applied"\nbackgroud = "llm-applied"\n',
                "intake.toml:3: backgroud",
                "did you mean 'background'?",
            ),
            (
                'deliverable = "llm feature"\nstack = "llm-applied"\nbackground = "llm-applied"\n',
                "intake.toml:1: deliverable",
                "'llm-feature', 'trained-model' or 'both'",
            ),
            (
                'deliverable = "llm-feature"\nstack = "both"\nbackground = "llm-applied"\n',
                "intake.toml:2: stack",
                "needs the share of the work on the LLM-applied side",
            ),
            (
                'deliverable = "llm-feature"\nstack = "llm-applied"\nllm_share = 70\nbackground = "llm-applied"\n',
                "intake.toml:3: llm_share",
                "a share of the work goes with stack = both",
            ),
            (
                'deliverable = "llm-feature"\nstack = "both"\nllm_share = 140\nbackground = "llm-applied"\n',
                "intake.toml:3: llm_share",
                "less than or equal to 100",
            ),
            ('deliverable = "llm-feature\n', "intake.toml:1:", "TOML syntax"),
        ],
    )
    def test_a_bad_intake_file_is_named_by_line_and_key(
        self, here: Path, write: Write, text: str, where_: str, message: str
    ) -> None:
        """Exit 1, with the file, line and key, and what was expected."""
        write("intake.toml", text)
        result = run("diagnose", "--intake", "intake.toml")
        assert result.exit_code == 1, result.output
        assert where_ in result.output
        assert message in result.output
        assert "Traceback" not in result.output

    def test_a_missing_intake_file_is_an_error(self, here: Path) -> None:
        result = run("diagnose", "--intake", "nowhere.toml")
        assert result.exit_code == 1
        assert "nowhere.toml: file not found" in result.output

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--deliverable", "llm"], "Invalid value for '--deliverable'"),
            (["--stack", "both", "--llm-share", "101"], "Invalid value for '--llm-share'"),
            (
                [
                    "--deliverable",
                    "llm-feature",
                    "--stack",
                    "llm-applied",
                    "--llm-share",
                    "70",
                    "--background",
                    "llm-applied",
                ],
                "a share of the work goes with stack = both",
            ),
            (
                [
                    "--deliverable",
                    "llm-feature",
                    "--stack",
                    "llm-applied",
                    "--background",
                    "llm-applied",
                    "--date",
                    "26/11/2026",
                ],
                "--date: not a date",
            ),
        ],
    )
    def test_bad_option_values_are_usage_errors(self, args: list[str], message: str) -> None:
        """Exit 2 for an answer or option value the command line got wrong."""
        result = run("diagnose", *args)
        assert result.exit_code == 2, result.output
        assert message in result.output

    def test_the_questions_are_asked_with_every_choice_spelled_out(self) -> None:
        """Without answers, diagnose asks each question, lists its choices, and decides."""
        from click.testing import CliRunner

        from loopkit.cli import cli

        result = CliRunner().invoke(
            cli, ["diagnose", "--date", DAY], input="llm-feature\nboth\n65\nllm-applied\n"
        )
        assert result.exit_code == 0, result.output
        out = result.output
        assert "1. What is the primary deliverable?" in out
        assert "trained-model  a trained production model on the company's own data" in out
        assert "2. What is the primary stack?" in out
        assert "Share of the work on the LLM-applied side" in out
        assert "3. What candidate background do you expect?" in out
        assert "production-ml  3-8 years of production ML" in out
        assert variant_of(out[out.index("Variant:") :]) == "ai-engineer"

    def test_answers_that_run_out_name_the_option_to_give(self) -> None:
        """A script without a terminal learns which answer is missing (usage: exit 2)."""
        result = run("diagnose", "--deliverable", "llm-feature", "--stack", "llm-applied")
        assert result.exit_code == 2
        assert "no answer for --background" in result.output

    def test_diagnose_without_pdf_imports_no_pdf_stack(self, tmp_path: Path) -> None:
        """Answering the intake needs no reportlab."""
        code = (
            "import sys; from click.testing import CliRunner; from loopkit.cli import cli; "
            f"r = CliRunner().invoke(cli, {answer('llm-feature', 'llm-applied', 'llm-applied')!r}); "
            "assert r.exit_code == 0, r.output; "
            "print(','.join(m for m in ('reportlab', 'pypdf', 'fontpkg') if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == ""


class TestWrites:
    @pytest.mark.parametrize(
        ("answers", "variant", "band", "asked"),
        [
            (
                ("llm-feature", "llm-applied", "llm-applied"),
                "ai-engineer",
                (360_000, 410_000),
                {"llm_applied_months": 12},
            ),
            (
                ("trained-model", "production-ml", "production-ml"),
                "ml-engineer",
                (300_000, 320_000),
                {"production_ml_years": 3},
            ),
            (
                ("both", "both", "both"),
                "mlops-llm",
                (310_000, 380_000),
                {"llm_applied_months": 12, "production_ml_years": 3},
            ),
        ],
    )
    def test_new_loop_passes_validate_strict_and_carries_the_band(
        self,
        here: Path,
        answers: tuple[str, str, str],
        variant: str,
        band: tuple[int, int],
        asked: dict[str, int],
    ) -> None:
        """The loop and the requisition hold the same variant, band and experience."""
        share = 50 if answers[1] == "both" else None
        result = run(*answer(*answers, share), "--new-loop", "--id", "req-1")
        assert result.exit_code == 0, result.output
        loop = tomllib.loads(Path("loops/req-1.toml").read_text("utf-8"))
        req = tomllib.loads(Path("requisitions/req-1.toml").read_text("utf-8"))
        assert loop["variant"] == req["variant"] == variant
        assert (loop["comp_band"]["min"], loop["comp_band"]["max"]) == band
        assert (req["band"]["min"], req["band"]["max"]) == band
        assert loop["requirements"] == asked
        assert req["loop"] == "loops/req-1.toml"
        if variant == "mlops-llm":  # started from the ml-engineer loop, but hires another role
            assert loop["title"] == "MLOps engineer with LLM focus, senior IC"
        checked = run("validate", "--strict", "loops/", "scorecards/")
        assert checked.exit_code == 0, checked.output

    def test_the_requisition_records_answers_result_date_and_data_version(self, here: Path) -> None:
        """--write saves a file its model reads back, with everything the report decided."""
        result = run(*answer("llm-feature", "both", "llm-applied", 75), "--write")
        assert result.exit_code == 0, result.output
        path = Path(f"requisitions/ai-engineer-{DAY}.toml")
        assert f"wrote {path}" in result.output
        data, source = parse_toml(path.read_bytes(), str(path))
        requisition, findings = parse_model(Requisition, data, source)
        assert findings == []
        assert requisition is not None
        assert requisition.date == date(2026, 11, 26)
        assert requisition.answers.llm_share == 75
        assert requisition.market.version == "2026-05"
        assert requisition.time_to_fill_days == 85
        assert not Path("loops").exists()

    def test_a_split_requisition_can_be_saved_but_starts_no_loop(self, here: Path) -> None:
        """What to resolve is recorded; --new-loop refuses and writes nothing."""
        args = answer("llm-feature", "llm-applied", "production-ml")
        refused = run(*args, "--new-loop")
        assert refused.exit_code == 1
        assert "no loop to start until they are resolved" in refused.output
        assert not Path("requisitions").exists()
        assert not Path("loops").exists()
        saved = run(*args, "--write", "--id", "open-question")
        req = tomllib.loads(Path("requisitions/open-question.toml").read_text("utf-8"))
        assert saved.exit_code == 0
        assert req["variant"] == "split"
        assert "band" not in req
        assert req["resolve"]

    def test_a_requisition_is_never_overwritten(self, here: Path) -> None:
        args = [*answer("llm-feature", "llm-applied", "llm-applied"), "--write", "--id", "r"]
        assert run(*args).exit_code == 0
        again = run(*args)
        assert again.exit_code == 1
        assert "requisitions/r.toml already exists" in again.output

    def test_the_role_brief_is_one_page_with_the_answers_and_figures(self, here: Path) -> None:
        """--pdf: variant, band, experience, channels and the three answers, read back."""
        result = run(
            *answer("llm-feature", "both", "llm-applied", 70), "--pdf", "brief.pdf", "--id", "r"
        )
        assert result.exit_code == 0, result.output
        assert len(pdf_pages(Path("brief.pdf"))) == 1
        text = pdf_text(Path("brief.pdf"))
        for part in [
            "AI engineer (LLM-applied)",
            "$360,000-$410,000",
            "$300,000-$320,000",
            "Ask 12-24 months of LLM-applied work",
            "Latent Space",
            "Median 85 days",
            "a shipped LLM feature",
            "70% LLM-applied, 30% production ML",
            "12-24 months of LLM-applied work, coming from software engineering",
        ]:
            assert part in text, part

    def test_the_brief_never_replaces_a_persons_file(self, here: Path) -> None:
        """--pdf replaced whatever file it named, the intake it was reading too. A name
        that is not a PDF's is refused; a PDF there is kept beside it; the brief loopkit
        wrote is written over."""
        Path("mine.toml").write_text(
            'deliverable = "llm-feature"\nstack = "llm-applied"\nbackground = "llm-applied"\n'
        )
        intake = Path("mine.toml").read_bytes()
        Path("loopkit.toml").write_text("# the team\n")
        for read in ("mine.toml", "loopkit.toml", "-"):  # read again by the next command
            refused = run("diagnose", "--intake", "mine.toml", "--date", DAY, "--pdf", read)
            assert refused.exit_code == 2
            assert f"--pdf: {read} is not a .pdf name" in refused.output
        assert Path("mine.toml").read_bytes() == intake
        assert Path("loopkit.toml").read_text() == "# the team\n"
        Path("mine.pdf").write_bytes(b"%PDF-1.4 a person's own\n")
        first = run("diagnose", "--intake", "mine.toml", "--date", DAY, "--pdf", "mine.pdf")
        assert first.exit_code == 0, first.output
        assert "kept mine.pdf as mine.edited.pdf: not as loopkit last wrote it" in first.output
        assert Path("mine.edited.pdf").read_bytes() == b"%PDF-1.4 a person's own\n"
        assert pdf_text(Path("mine.pdf")).count("AI engineer (LLM-applied)") >= 1
        again = run("diagnose", "--intake", "mine.toml", "--date", DAY, "--pdf", "mine.pdf")
        assert again.exit_code == 0, again.output
        assert "kept" not in again.output  # the brief it wrote: written over
        assert sorted(p.name for p in Path().iterdir() if p.suffix == ".pdf") == [
            "mine.edited.pdf",
            "mine.pdf",
        ]

    def test_the_brief_is_never_written_into_a_packet(self, here: Path) -> None:
        """In a packet folder it replaced packet.pdf ("kept as packet.edited.pdf") and left
        a record there that the next revision read as a change by hand."""
        assert (
            run("packet", "ai-engineer", "--candidate", "Ada", "--date", "2099-12-03").exit_code
            == 0
        )
        (packet,) = Path("out").iterdir()
        before = sorted(packet.rglob("*"))
        for place in (packet / "packet.pdf", packet / "scorecards" / "brief.pdf"):
            refused = run(*answer("llm-feature", "llm-applied", "llm-applied"), "--pdf", place)
            assert refused.exit_code == 2, refused.output
            assert f"is in the packet folder {packet.absolute()}" in refused.output
        assert sorted(packet.rglob("*")) == before

    def test_a_split_brief_lists_what_to_resolve(self, here: Path) -> None:
        result = run(*answer("trained-model", "both", "production-ml", 50), "--pdf", "b.pdf")
        assert result.exit_code == 0, result.output
        text = pdf_text(Path("b.pdf"))
        assert "Split: resolve before posting" in text
        assert "no side holds the dominant 60 percent" in text


# --- the rules that share the market file -------------------------------------------------------

TRAINING = (
    'title = "Coding"',
    'title = "Train a PyTorch model"\nbrief = "Fine-tune and retrain a recommender with Ray and MLflow."',
)
LLM = (
    'title = "Coding"',
    'title = "Build a RAG agent"\nbrief = "Prompts, embeddings and a vector store."',
)
# the base loop's deep-dive is scored with the LLM-feature scorecard; an ML loop's is not
ML_DIVE = (
    'scorecard = "past-llm-feature-deep-dive"',
    'scorecard = "past-production-model-deep-dive"',
)


class TestHybridRule:
    @pytest.mark.parametrize(
        ("variant", "edit", "about"),
        [("ai-engineer", TRAINING, "training models"), ("ml-engineer", LLM, "LLM-applied work")],
    )
    def test_an_interview_of_the_other_variants_work_is_a_hybrid_loop(
        self, variant: str, edit: tuple[str, str], about: str
    ) -> None:
        """LK209 at the interview's title, with the guidance's advice."""
        dive = [ML_DIVE] if variant == "ml-engineer" else []
        found = judge(_hybrid, ('variant = "other"', f'variant = "{variant}"'), edit, *dive)
        assert [(f.code, f.severity.value, f.key) for f in found] == [
            ("LK209", "warning", "interviews[0].title")
        ]
        assert about in found[0].message
        assert "mediocre results at Series B+ scale" in found[0].hint

    @pytest.mark.parametrize("variant", ["mlops-llm", "other"])
    def test_mlops_llm_and_other_loops_may_mix(self, variant: str) -> None:
        assert judge(_hybrid, ('variant = "other"', f'variant = "{variant}"'), TRAINING) == []

    def test_an_interview_of_its_own_variants_work_is_fine(self) -> None:
        assert (
            judge(_hybrid, ('variant = "other"', 'variant = "ml-engineer"'), TRAINING, ML_DIVE)
            == []
        )

    @pytest.mark.parametrize("loop_id", ["ai-engineer", "ml-engineer"])
    def test_the_built_in_loops_are_not_hybrid(self, loop_id: str) -> None:
        result = run("validate", "--strict", bundled_dir("loops") / f"{loop_id}.toml")
        assert result.exit_code == 0, result.output

    def test_a_hybrid_loop_can_be_allowed_on_purpose(self, here: Path, write: Write) -> None:
        text = loop_with(
            ('variant = "other"', 'variant = "ai-engineer"\nallow = ["LK209"]'), TRAINING
        )
        write("loops/t.toml", text)
        assert run("validate", "--strict", "loops/t.toml").exit_code == 0


class TestMarketRules:
    BAND = ("[breaks]", '[comp_band]\ncurrency = "USD"\nmin = %d\nmax = 400_000\n\n[breaks]')

    def test_mlops_llm_is_a_variant_with_its_band(self) -> None:
        """LK202 judges an mlops-llm band against the MLOps-with-LLM band of the file."""
        low = judge(
            _comp_band,
            ('variant = "other"', 'variant = "mlops-llm"'),
            (self.BAND[0], self.BAND[1] % 300_000),
        )
        assert [f.message for f in low] == [
            "band starts at $300,000, below the mlops-llm market of $310,000-$380,000"
        ]

    def test_figures_older_than_a_year_are_a_warning_on_the_band(self) -> None:
        """LK208 a year and a day after the file's check, not on the year's last day."""
        document = loop_document(
            loop_with(
                ('variant = "other"', 'variant = "ai-engineer"'),
                (self.BAND[0], self.BAND[1] % 360_000),
            )
        )
        market = bundled_market()
        last = market.data.checked.replace(year=market.data.checked.year + 1)
        assert list(_stale_market(document, Context(market, last))) == []
        (found,) = _stale_market(document, Context(market, date.fromordinal(last.toordinal() + 1)))
        assert where([found])[0][:3] == ("LK208", "warning", "comp_band")
        assert "last checked on 2026-05-16, more than a year ago" in found.message


def test_the_options_offer_exactly_the_answers_the_decision_knows() -> None:
    """The command spells its choices out (importing the decision costs start-up); kept equal here."""
    from loopkit import _diagnose
    from loopkit._cli_diagnose import diagnose as command

    choices = {p.name: list(p.type.choices) for p in command.params if hasattr(p.type, "choices")}
    assert choices["deliverable"] == list(_diagnose.DELIVERABLES)
    assert choices["stack"] == list(_diagnose.STACKS)
    assert choices["background"] == list(_diagnose.BACKGROUNDS)


def test_the_intake_date_is_read_as_every_date_is() -> None:
    from click.testing import CliRunner

    from loopkit.cli import cli

    result = CliRunner().invoke(cli, ["diagnose", "--date", "20261203", "--deliverable", "llm-feature", "--stack", "llm-applied", "--background", "llm-applied"])  # fmt: skip
    assert result.exit_code == 2
    assert "--date: not a date: '20261203'" in result.output

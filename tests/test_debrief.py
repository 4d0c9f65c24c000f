"""The debrief: hand-computed scores, every refusal, and the round trip from a packet."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from loopkit._source import STDIN, display_path
from loopkit.cli import cli
from tests.helpers import (
    ANA,
    DEEP,
    FILLS,
    JO,
    LOOP,
    PRIYA,
    SAM,
    debrief_packet,
    fill,
    fill_packet,
    pdf_text,
    run,
)


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    return debrief_packet(tmp_path)


@pytest.fixture
def filled(packet: Path) -> Path:
    return fill_packet(packet)


def no_debrief_written(packet: Path) -> bool:
    return not (packet / "debrief.toml").exists() and not (packet / "debrief.pdf").exists()


class TestScores:
    def test_scores_match_a_hand_computation(self, filled: Path) -> None:
        """Interviewer, interview and loop scores equal the hand-computed values, unrounded."""
        result = run("debrief", str(filled))
        assert result.exit_code == 0, result.output
        data = tomllib.loads((filled / "debrief.toml").read_text("utf-8"))
        by_id = {i["id"]: i for i in data["interviews"]}
        assert by_id["llm-coding"]["scorecards"][0]["score"] == pytest.approx(SAM, abs=1e-12)
        assert by_id["llm-system-design"]["score"] == pytest.approx(ANA, abs=1e-12)
        deep = by_id["past-llm-feature-deep-dive"]
        assert sorted(c["score"] for c in deep["scorecards"]) == pytest.approx(
            sorted([PRIYA, JO]), abs=1e-12
        )
        assert deep["score"] == pytest.approx(DEEP, abs=1e-12)
        assert data["score"] == pytest.approx(LOOP, abs=1e-12)
        assert data["meets_bar"] is False
        assert by_id["llm-coding"]["scorecards"][0]["ratings"]["testing"] == "no signal"

    def test_the_table_shows_the_loop_score_and_the_flags(self, filled: Path) -> None:
        """Two decimals against the bar; disagreement in the deep-dive is flagged."""
        result = run("debrief", str(filled))
        assert f"loop score {LOOP:.2f} is below the hire bar of 3.00" in result.output
        assert "disagreement in Past LLM feature deep-dive: recommendations 2 to 4" in result.output
        assert "disagreement across the loop" in result.output
        assert f"{SAM:.2f}" in result.output

    def test_the_pdf_has_the_score_flags_and_evidence(self, filled: Path) -> None:
        """debrief.pdf carries the loop score, the bar, each interviewer and their evidence."""
        run("debrief", str(filled))
        text = pdf_text(filled / "debrief.pdf")
        expected = [
            "Ada Lovelace",
            f"Loop score {LOOP:.2f} is below the hire bar of 3.00",
            "hire bar 3",
            "Priya Raman",
            "Jo Park",
            "Saw eval-methodology first-hand.",
            "weight 3",
        ]
        for fragment in expected:
            assert fragment in text, fragment

    def test_text_wrapped_by_an_editor_reads_as_paragraphs(self, filled: Path) -> None:
        """Notes and evidence wrapped by the editor they were written in (a TOML multi-line
        string, a line break every few words) printed line for line, ragged; a blank line
        and a list still start lines of their own."""
        card = filled / "scorecards" / "llm-coding--sam-lee.toml"
        text = card.read_text("utf-8")
        wrapped = "Sam named\nthe failure\nfirst.\n\nWhat went well:\n- evals first,\n  then code\n- one change at a time"
        assert text.count('notes = ""') == 1
        text = text.replace('notes = ""', f'notes = """{wrapped}"""')
        text = text.replace(
            '"Saw retrieval-quality first-hand."', '"""Saw the eval\nset built\nby hand."""'
        )
        card.write_text(text, "utf-8")
        assert run("debrief", filled).exit_code == 0
        from pypdf import PdfReader

        lines = [
            " ".join(line.split())
            for page in PdfReader(filled / "debrief.pdf").pages
            for line in (page.extract_text() or "").splitlines()
        ]
        assert "Notes from Sam Lee: Sam named the failure first." in lines, lines
        start = lines.index("Notes from Sam Lee: Sam named the failure first.")
        assert lines[start + 1 : start + 4] == [
            "What went well:",
            "- evals first, then code",
            "- one change at a time",
        ], lines
        assert any(line.endswith("Saw the eval set built by hand.") for line in lines), lines

    def test_no_signal_from_everyone_and_a_low_deep_dive_are_flagged(self, packet: Path) -> None:
        """A competency nobody rated and a deep-dive under the bar each get a flag."""
        low: dict[str, int | str] = {
            "eval-methodology": 2,
            "injection-defense": 2,
            "cost-optimization": 2,
            "incident-response": 2,
            "ownership": "no signal",
        }
        fill_packet(packet, {**FILLS, "past-llm-feature-deep-dive--priya-raman": (2, low)})
        result = run("debrief", str(packet))
        assert result.exit_code == 0, result.output
        assert "no signal on Ownership and depth in Past LLM feature deep-dive" in result.output
        assert "deep-dive below the bar" in result.output


def test_what_a_debrief_wrote_is_named_from_the_folder_it_ran_in(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As packet, report and calibrate name what they write: not from the root."""
    monkeypatch.chdir(tmp_path)
    result = run("debrief", filled.relative_to(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"wrote out/{filled.name}/debrief.toml\n" in result.output
    assert f"wrote out/{filled.name}/debrief.pdf\n" in result.output


class TestRefusals:
    @pytest.mark.parametrize(
        ("edit", "key", "message"),
        [
            (lambda t: t.replace("retrieval-quality = 4", "retrieval-quality = 5"), "ratings.retrieval-quality", "must be 1-4"),
            (lambda t: t.replace("tool-calling = 3", "tool-calling = 0"), "ratings.tool-calling", "0 means not filled in yet"),
            (lambda t: t.replace("recommendation = 3", "recommendation = 0"), "recommendation", "0 means not filled in yet"),
            (lambda t: t.replace("recommendation = 3", "recommendation = 3\nrecommendation = 4"), "", "TOML syntax"),
            (lambda t: re.sub(r'(?m)^packet = ".*"$', 'packet = "someone-else-ai-engineer"', t), "packet", "(move it to scorecards/ in the folder of that packet (<date>-someone-else-ai-engineer))"),
            (lambda t: re.sub(r'(?m)^lock = ".*"$', 'lock = "sha256:' + "0" * 64 + '"', t), "lock", "lock hash differs"),
            (lambda t: t.replace("code-quality = 3", "code-qualty = 3"), "ratings.code-quality", "missing rating"),
            (lambda t: t.replace("testing = \"no signal\"", "testing = \"maybe\""), "ratings.testing", "must be 1-4 or \"no signal\""),
            (lambda t: re.sub(r'(?m)^interviewer = ".*"$', 'interviewer = ""', t), "interviewer", "not filled in"),
            (lambda t: t.replace("tool-calling = 3", 'tool-calling = "3"'), "ratings.tool-calling", "got '3' (write 3 without the quotes)"),
            (lambda t: t.replace("tool-calling = 3", "tool-calling = 3.0"), "ratings.tool-calling", "got 3.0 (write 3, a whole number)"),
            (lambda t: t.replace("recommendation = 3", 'recommendation = " 3"'), "recommendation", "(write 3 without the quotes)"),
            (lambda t: t.replace("recommendation = 3", "recommendation = 3.0"), "recommendation", "(write 3, a whole number)"),
            (lambda t: t.replace("[ratings]", "score = 4\n\n[ratings]"), "score", "unknown key"),
        ],
    )  # fmt: skip  # one edit per line: the cases read as a table
    def test_a_bad_scorecard_stops_the_debrief_naming_file_and_key(
        self, filled: Path, edit: Callable[[str], str], key: str, message: str
    ) -> None:
        """Exit 1, the file and key in the message, and no debrief file written."""
        path = filled / "scorecards" / "llm-coding--sam-lee.toml"
        path.write_text(edit(path.read_text("utf-8")), "utf-8")
        result = run("debrief", str(filled))
        assert result.exit_code == 1, result.output
        assert "llm-coding--sam-lee.toml" in result.output
        if key:
            assert f"{key}:" in result.output
        assert message in result.output
        assert "Traceback" not in result.output
        assert no_debrief_written(filled)

    def test_two_files_from_one_interviewer_for_one_interview_are_an_error(
        self, filled: Path
    ) -> None:
        """A copy of a filled scorecard is refused, not silently picked."""
        shutil.copy(
            filled / "scorecards" / "llm-coding--sam-lee.toml",
            filled / "scorecards" / "sam-again.toml",
        )
        result = run("debrief", str(filled))
        assert result.exit_code == 1
        assert "a second scorecard from Sam Lee for llm-coding" in result.output
        assert no_debrief_written(filled)

    def test_an_edited_lock_file_is_refused(self, filled: Path) -> None:
        """Changing a weight in loop.lock.toml breaks its hash and stops the debrief."""
        lock = filled / "loop.lock.toml"
        lock.write_text(
            lock.read_text("utf-8").replace("hire_bar = 3.0", "hire_bar = 2.0"), "utf-8"
        )
        result = run("debrief", str(filled))
        assert result.exit_code == 1
        assert "loop.lock.toml:2: hash: was changed after the packet was written" in result.output
        assert no_debrief_written(filled)

    def test_missing_scorecards_need_allow_missing_and_are_then_marked(self, packet: Path) -> None:
        """Without --allow-missing a missing card stops; with it every output says INCOMPLETE."""
        fill_packet(
            packet, {s: f for s, f in FILLS.items() if s != "past-llm-feature-deep-dive--jo-park"}
        )
        result = run("debrief", str(packet))
        assert result.exit_code == 1
        assert "missing scorecards from Jo Park (past-llm-feature-deep-dive)" in result.output
        assert "--allow-missing" in result.output
        assert no_debrief_written(packet)
        result = run("debrief", str(packet), "--allow-missing")
        assert result.exit_code == 0, result.output
        assert "INCOMPLETE: missing scorecards from Jo Park" in result.output
        assert tomllib.loads((packet / "debrief.toml").read_text("utf-8"))["incomplete"] is True
        assert "INCOMPLETE" in pdf_text(packet / "debrief.pdf")

    def test_a_missing_card_is_listed_with_the_problems_of_the_others(self, packet: Path) -> None:
        """Every problem at once: a card with a problem and a card not handed in at all were
        said one after the other, the second only once the first was mended. A seat whose card
        has a problem is not said to be missing."""
        fill_packet(
            packet, {s: f for s, f in FILLS.items() if s != "past-llm-feature-deep-dive--jo-park"}
        )
        ana = packet / "scorecards" / "llm-system-design--ana-souza.toml"
        ana.write_text(ana.read_text("utf-8").replace("architecture = 3", "archtecture = 3"))
        result = run("debrief", str(packet))
        assert result.exit_code == 1
        assert "ratings.archtecture: not a competency of this interview" in result.output
        missing = [line for line in result.output.splitlines() if "missing scorecards" in line]
        assert len(missing) == 1, result.output
        assert "missing scorecards from Jo Park (past-llm-feature-deep-dive);" in missing[0]
        assert "Ana Souza" not in missing[0]
        assert no_debrief_written(packet)
        result = run("debrief", str(packet), "--allow-missing")  # only Ana's mistake is left
        assert result.exit_code == 1
        assert "missing scorecards" not in result.output
        assert "ratings.archtecture" in result.output
        # a card that cannot be read as a card at all is not missing either
        text = ana.read_text("utf-8").replace("archtecture = 3", "architecture = 3")
        ana.write_text(text.replace("recommendation = 3", "recomendation = 3", 1))
        result = run("debrief", str(packet))
        assert "recommendation: missing key" in result.output, result.output
        missing = [line for line in result.output.splitlines() if "missing scorecards" in line]
        assert len(missing) == 1, result.output
        assert "Ana Souza" not in missing[0]

    @pytest.mark.parametrize("begun", ["two ratings", "only notes"])
    def test_allow_missing_says_how_to_go_on_without_a_half_filled_card(
        self, packet: Path, tmp_path: Path, begun: str
    ) -> None:
        """--allow-missing stopped on a card with two of four ratings written, and nothing
        said what to do; and it left out, as not handed in, a card with notes written and
        no rating yet. It never leaves out a card a person started."""
        jo = "past-llm-feature-deep-dive--jo-park"
        fill_packet(packet, {s: f for s, f in FILLS.items() if s != jo})
        started = packet / "scorecards" / f"{jo}.toml"
        if begun == "two ratings":
            fill(started, 0, dict(list(FILLS[jo][1].items())[:2]))
        else:
            text = started.read_text("utf-8")
            started.write_text(text.replace('notes = ""', 'notes = "Strong on evals; more soon"'))
        result = run("debrief", str(packet), "--allow-missing")
        assert result.exit_code == 1
        assert (
            f"scorecards/{jo}.toml: is half filled in: --allow-missing leaves out a card not "
            "handed in, never one a person started (finish it; to debrief without it for now, "
            "move it out of scorecards/ and keep it (the interviewer's words), or leave it off "
            "the command line) [LK133 error]"
        ) in result.output
        assert no_debrief_written(packet)
        started.rename(tmp_path / started.name)  # as the hint says
        result = run("debrief", str(packet), "--allow-missing")
        assert result.exit_code == 0, result.output
        assert "INCOMPLETE: missing scorecards from Jo Park" in result.output

    def test_a_folder_that_is_not_a_packet_is_refused(self, tmp_path: Path) -> None:
        """A folder without a lock file is named as not a packet."""
        result = run("debrief", str(tmp_path))
        assert result.exit_code == 1
        assert "no loop.lock.toml here" in result.output


class TestExtraScorecards:
    def test_a_scorecard_from_elsewhere_is_read_with_scorecard(
        self, filled: Path, tmp_path: Path
    ) -> None:
        """A filled card kept outside the folder counts when given with --scorecard."""
        moved = tmp_path / "downloads" / "kim.toml"
        moved.parent.mkdir()
        shutil.move(filled / "scorecards" / "prompt-engineering-exercise--kim-yu.toml", moved)
        assert run("debrief", str(filled)).exit_code == 1
        result = run("debrief", str(filled), "--scorecard", str(moved))
        assert result.exit_code == 0, result.output
        assert f"loop score {LOOP:.2f}" in result.output

    def test_a_scorecard_from_elsewhere_is_kept_in_the_packet(
        self, packet: Path, tmp_path: Path
    ) -> None:
        """The packet holds every card its debrief counted: status then calls it current."""
        stem = "prompt-engineering-exercise--kim-yu"
        blank = (packet / "scorecards" / f"{stem}.toml").read_bytes()
        mailed = tmp_path / "mail" / f"{stem}.toml"
        mailed.parent.mkdir()
        mailed.write_bytes(blank)
        fill_packet(packet, {k: v for k, v in FILLS.items() if k != stem})
        fill(mailed, *FILLS[stem])
        result = run("debrief", str(packet), "--scorecard", str(mailed))
        assert result.exit_code == 0, result.output
        assert (packet / "scorecards" / f"{stem}.toml").read_bytes() == mailed.read_bytes()
        assert mailed.read_bytes() != blank  # the blank it replaced was loopkit's own
        status = run("status", packet.parent, "--format", "json")
        assert json.loads(status.output)["packets"][0]["debrief"] == "current"

    def test_a_scorecard_from_elsewhere_never_replaces_a_card_a_person_wrote(
        self, filled: Path, tmp_path: Path
    ) -> None:
        """Kim's card mailed under Sam's file name: counted, and Sam's card stays as it is."""
        kim = filled / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
        sam = filled / "scorecards" / "llm-coding--sam-lee.toml"
        mailed = tmp_path / "mail" / sam.name
        mailed.parent.mkdir()
        shutil.move(kim, mailed)
        before = sam.read_bytes()
        result = run("debrief", str(filled), "--scorecard", str(mailed))
        assert result.exit_code == 0, result.output
        assert f"loop score {LOOP:.2f}" in result.output
        assert sam.read_bytes() == before
        assert f"{mailed} was counted but not copied into the packet" in result.stderr

    def test_a_scorecard_from_elsewhere_never_replaces_another_seats_blank(
        self, packet: Path, tmp_path: Path
    ) -> None:
        """Sam's card mailed under Kim's file name while Kim's card is still blank: counted,
        and Kim's blank stays for Kim to fill."""
        sam = packet / "scorecards" / "llm-coding--sam-lee.toml"
        kim = packet / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
        blank = kim.read_bytes()
        mailed = tmp_path / "mail" / kim.name
        mailed.parent.mkdir()
        fill(sam, *FILLS["llm-coding--sam-lee"])
        shutil.move(sam, mailed)
        result = run("debrief", str(packet), "--scorecard", str(mailed), "--allow-missing")
        assert result.exit_code == 0, result.output
        assert f"{'Sam Lee':<22}{SAM:6.2f}" in result.output
        assert kim.read_bytes() == blank
        assert f"(scorecards/{kim.name} is the blank of another seat)" in result.stderr

    @pytest.mark.parametrize(
        ("given", "named"),
        [
            ("mail/kim.toml", "mail/kim.toml"),  # a copy of a blank, under another name
            ("mail/kim.pdf", "mail/kim.pdf"),
            ("scorecards/prompt-engineering-exercise--kim-yu.toml", ""),  # the packet's own
            ("scorecards/prompt-engineering-exercise--kim-yu.pdf", ""),
        ],
    )
    def test_a_blank_given_to_count_is_named_not_left_out(
        self, packet: Path, tmp_path: Path, given: str, named: str
    ) -> None:
        """--scorecard with a card never filled in, under --allow-missing: it was left out as
        missing, and nothing said the card asked to count was a blank."""
        fill(packet / "scorecards" / "llm-coding--sam-lee.toml", *FILLS["llm-coding--sam-lee"])
        blank = packet / "scorecards" / f"prompt-engineering-exercise--kim-yu{Path(given).suffix}"
        card = packet / given if given.startswith("scorecards/") else tmp_path / given
        if not card.exists():
            card.parent.mkdir(exist_ok=True)
            card.write_bytes(blank.read_bytes())
        result = run("debrief", packet, "--scorecard", card, "--allow-missing")
        assert result.exit_code == 1, result.output
        assert result.output == (
            f"{card}: is a blank scorecard: nothing in it is filled in yet "
            "(fill it in, or leave it out of --scorecard) [LK135 error]\n"
        )
        assert not (packet / "debrief.toml").exists()
        assert sorted(p.name for p in (packet / "scorecards").iterdir() if "kim" in p.name) == [
            "prompt-engineering-exercise--kim-yu.pdf",
            "prompt-engineering-exercise--kim-yu.toml",
        ]

    @pytest.mark.parametrize("given", ["sam_card.toml", "sam_card.pdf", "own.pdf"])
    def test_a_blank_given_for_a_seat_already_filled_is_named_too(
        self, packet: Path, tmp_path: Path, given: str
    ) -> None:
        """Sam's card filled, and a blank copy of it given as well (or the packet's own
        blank PDF): counted for nothing and copied into the packet as a second, empty card,
        without a word."""
        sam = packet / "scorecards" / "llm-coding--sam-lee.toml"
        copy = tmp_path / given
        if given == "own.pdf":
            copy = sam.with_suffix(".pdf")
        else:
            copy.write_bytes(sam.with_suffix(copy.suffix).read_bytes())
        fill(sam, *FILLS["llm-coding--sam-lee"])
        result = run("debrief", packet, "--scorecard", copy, "--allow-missing")
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"{copy}: is a blank scorecard"), result.output
        assert copy.parent == sam.parent or not (packet / "scorecards" / copy.name).exists()

    def test_a_shadows_own_blank_given_is_a_blank_not_a_card_half_filled_in(
        self, tmp_path: Path
    ) -> None:
        """Given with --scorecard, a shadow's untouched blank was left out as "not ready (half
        filled in, or wrong)", and the debrief recorded that flag."""
        out = tmp_path / "out"
        shadow = "llm-coding=Tina Trainee <tina@example.com> (shadow)"
        built = run(
            "packet", "ai-engineer", "--candidate", "Hal", "--date", "2099-12-03", "-o", out,
            "--interviewer", "llm-coding=Al Bo <al@example.com>", "--interviewer", shadow,
        )  # fmt: skip
        assert built.exit_code == 0, built.output
        (hal,) = out.iterdir()
        for suffix in (".toml", ".pdf"):
            tina = hal / "scorecards" / f"llm-coding--tina-trainee{suffix}"
            result = run("debrief", hal, "--scorecard", tina, "--allow-missing")
            assert result.exit_code == 1, result.output
            assert result.output.startswith(f"{tina}: is a blank scorecard"), result.output
            assert "half filled in" not in result.output
            assert not (hal / "debrief.toml").exists()

    def test_a_blank_piped_in_is_named_as_standard_input(self, packet: Path) -> None:
        """It was named as the packet's own blank, a file the user never gave."""
        blank = (packet / "scorecards" / "prompt-engineering-exercise--kim-yu.toml").read_bytes()
        result = CliRunner().invoke(
            cli, ["debrief", str(packet), "--scorecard", "-", "--allow-missing"], input=blank
        )
        assert result.exit_code == 1, result.output
        assert "is a blank scorecard" in result.output
        assert result.output.startswith(f"{display_path(STDIN)}: "), result.output

    def test_two_cards_of_one_name_are_both_counted_and_one_is_kept(
        self, filled: Path, tmp_path: Path
    ) -> None:
        """Kim's and Sam's cards, both saved as card.toml: the second stays out, said so."""
        given = []
        for folder, stem in (
            ("x", "prompt-engineering-exercise--kim-yu"),
            ("y", "llm-coding--sam-lee"),
        ):
            card = tmp_path / folder / "card.toml"
            card.parent.mkdir()
            shutil.move(filled / "scorecards" / f"{stem}.toml", card)
            given += ["--scorecard", str(card)]
        result = run("debrief", str(filled), *given)
        assert result.exit_code == 0, result.output
        assert f"loop score {LOOP:.2f}" in result.output
        assert (filled / "scorecards" / "card.toml").read_bytes() == (
            tmp_path / "x" / "card.toml"
        ).read_bytes()
        assert (
            "y/card.toml was counted but not copied into the packet (another card given is named card.toml too)"
            in result.stderr
        )
        status = run("status", filled.parent, "--format", "json")
        assert json.loads(status.output)["packets"][0]["debrief"] == "stale"

    @pytest.mark.parametrize("name", ["kim.txt", "kim.TOML"])
    def test_a_card_status_would_not_read_stays_out_and_is_named(
        self, filled: Path, tmp_path: Path, name: str
    ) -> None:
        card = tmp_path / name
        shutil.move(filled / "scorecards" / "prompt-engineering-exercise--kim-yu.toml", card)
        result = run("debrief", str(filled), "--scorecard", str(card))
        assert result.exit_code == 0, result.output
        assert not (filled / "scorecards" / name).exists()
        assert "(only a .toml or .pdf file in scorecards/ is read there)" in result.stderr

    def test_a_card_that_cannot_be_copied_never_stops_the_debrief(
        self, filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A read-only scorecards/ (here: a write that fails): the debrief is written, the card named."""
        from loopkit._errors import OutputError
        from loopkit._write import write_bytes_atomic as write

        def refused(path: Path, data: bytes) -> None:
            if path.parent.name == "scorecards":
                raise OutputError(f"cannot write {path}: Permission denied")
            write(path, data)

        card = tmp_path / "kim.toml"
        shutil.move(filled / "scorecards" / "prompt-engineering-exercise--kim-yu.toml", card)
        monkeypatch.setattr("loopkit._actions.write_bytes_atomic", refused)
        result = run("debrief", str(filled), "--scorecard", str(card))
        assert result.exit_code == 0, result.output
        assert (filled / "debrief.toml").exists()
        assert "kim.toml was counted but not copied into the packet (cannot write" in result.stderr

    def test_the_same_debrief_run_twice_counts_a_kept_card_once(
        self, filled: Path, tmp_path: Path
    ) -> None:
        """The card kept by the first run and the one given again are the same card."""
        card = tmp_path / "mail" / "prompt-engineering-exercise--kim-yu.toml"
        card.parent.mkdir()
        shutil.move(filled / "scorecards" / card.name, card)
        for decision in ([], ["--decision", "hire", "--reason", "strong"]):
            result = run("debrief", str(filled), "--scorecard", str(card), *decision)
            assert result.exit_code == 0, result.output
            assert f"loop score {LOOP:.2f}" in result.output
        assert tomllib.loads((filled / "debrief.toml").read_text("utf-8"))["decision"] == "hire"

    def test_a_card_of_the_packet_given_by_any_path_is_counted_once(
        self, filled: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """From inside scorecards/, through .., or through a link: the packet's own card."""
        name = "prompt-engineering-exercise--kim-yu.toml"
        (filled / "link.toml").symlink_to(filled / "scorecards" / name)
        monkeypatch.chdir(filled / "scorecards")
        for given in (name, f"../scorecards/{name}", "../link.toml"):
            result = run("debrief", "..", "--scorecard", given)
            assert result.exit_code == 0, result.output
            assert "note:" not in result.stderr

    def test_a_linked_card_is_kept_under_the_name_the_debrief_gives_it(
        self, filled: Path, tmp_path: Path
    ) -> None:
        name = "prompt-engineering-exercise--kim-yu.toml"
        card = tmp_path / "mail" / name
        card.parent.mkdir()
        shutil.move(filled / "scorecards" / name, card)
        (tmp_path / "mail" / "link.toml").symlink_to(card)
        given = ["--scorecard", str(tmp_path / "mail" / "link.toml"), "--scorecard", str(card)]
        result = run("debrief", str(filled), *given)
        assert result.exit_code == 0, result.output
        assert "note:" not in result.stderr  # one card given twice: kept once, nothing to say
        assert (filled / "scorecards" / name).read_bytes() == card.read_bytes()
        assert not (filled / "scorecards" / "link.toml").exists()
        status = run("status", filled.parent, "--format", "json")
        assert json.loads(status.output)["packets"][0]["debrief"] == "current"

    @pytest.mark.parametrize("blank", [False, True], ids=["no file", "its blank"])
    def test_a_card_on_standard_input_is_kept_under_its_seats_name(
        self, packet: Path, blank: bool
    ) -> None:
        card = packet / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
        written = card.read_bytes()
        filled = fill_packet(packet)
        text = card.read_text("utf-8")
        if blank:  # the packet still holds the blank loopkit wrote
            card.write_bytes(written)
        else:
            card.unlink()
        given = ["--scorecard", "-", "--scorecard", "-"]  # one card, however often given
        result = CliRunner().invoke(cli, ["debrief", str(filled), *given], input=text)
        assert result.exit_code == 0, result.output
        assert "note:" not in result.stderr
        assert card.read_text("utf-8") == text
        assert "prompt-engineering-exercise--kim-yu.toml" in (filled / "debrief.toml").read_text()
        again = [*given, "--decision", "hire"]  # the card kept, piped in again: that card
        result = CliRunner().invoke(cli, ["debrief", str(filled), *again], input=text)
        assert result.exit_code == 0, result.output
        assert tomllib.loads((filled / "debrief.toml").read_text())["decision"] == "hire"
        status = run("status", filled.parent, "--format", "json")
        assert json.loads(status.output)["packets"][0]["debrief"] == "current"

    def test_a_substitute_interviewer_is_flagged(self, filled: Path) -> None:
        """Another name on an assigned seat is kept and flagged, never dropped; the panelist is missing."""
        fill_path = filled / "scorecards" / "llm-system-design--ana-souza.toml"
        fill_path.write_text(
            re.sub(
                r'(?m)^interviewer = ".*"$',
                'interviewer = "Lee Chen"',
                fill_path.read_text("utf-8"),
            ),
            "utf-8",
        )
        result = run("debrief", str(filled), "--allow-missing")
        assert result.exit_code == 0, result.output
        assert "INCOMPLETE: missing scorecards from Ana Souza" in result.output
        assert "Lee Chen was not on the panel for LLM system design" in result.output

"""Shadows: a trainee on the panel fills a scorecard that is shown apart and never counted."""

from __future__ import annotations

import email
import email.message
import email.policy
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from loopkit._models import Person
from tests.helpers import DEBRIEF_FOLDER, FILLS, LOOP, PANEL, fill, pdf_text, run

SHADOWED = PANEL.replace(
    'llm-coding = ["Sam Lee <sam@example.com>"]',
    'llm-coding = ["Sam Lee <sam@example.com>", "Tina Trainee <tina@example.com> (shadow)"]',
)
TINA = "llm-coding--tina-trainee"


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    (tmp_path / "panel.toml").write_text(SHADOWED, "utf-8")
    result = run(
        "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03",
        "--tz", "America/New_York", "--panel", tmp_path / "panel.toml", "-o", tmp_path / "out",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / DEBRIEF_FOLDER
    for stem, (recommendation, ratings) in FILLS.items():
        fill(folder / "scorecards" / f"{stem}.toml", recommendation, ratings)
    return folder


def test_a_panel_entry_can_name_a_shadow() -> None:
    tina = Person.parse("Tina Trainee <tina@example.com> (shadow)")
    assert (tina.name, tina.email, tina.shadow) == ("Tina Trainee", "tina@example.com", True)
    assert str(tina) == "Tina Trainee <tina@example.com> (shadow)"
    assert Person.parse("Tina Trainee (Shadow)").shadow
    assert not Person.parse("Sam Lee <sam@example.com>").shadow


@pytest.mark.parametrize(
    ("text", "name", "email"),
    [
        ("@At Person <at@example.com>", "@At Person", "at@example.com"),
        ("@handle Person", "@handle Person", ""),
        ("Sam Lee sam@example.com", "Sam Lee", "sam@example.com"),
    ],
)
def test_a_name_that_starts_with_at_is_a_name(text: str, name: str, email: str) -> None:
    """ "@At Person <at@example.com>" was refused as an e-mail address mail cannot carry."""
    person = Person.parse(text)
    assert (person.name, person.email) == (name, email)


@pytest.mark.parametrize("text", ["Sam <sam@exa mple.com>", "Sam Lee sam@exämple.com"])
def test_an_address_mail_cannot_carry_is_still_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not one mail can carry"):
        Person.parse(text)


def test_the_shadow_gets_a_scorecard_that_says_so(packet: Path) -> None:
    blank = (packet / "scorecards" / f"{TINA}.toml").read_text("utf-8")
    assert "# You are shadowing" in blank
    assert "never count in the candidate's score" in blank
    assert "# You are shadowing" not in (
        packet / "scorecards" / "llm-coding--sam-lee.toml"
    ).read_text("utf-8")


def test_every_page_and_message_a_shadow_or_the_team_reads_says_shadow(tmp_path: Path) -> None:
    """The packet's debrief sheet gave the trainee a row with the interview's weight, and
    their PDF scorecard and invitation never said their ratings do not count."""
    (tmp_path / "panel.toml").write_text(SHADOWED, "utf-8")
    result = run(
        "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03",
        "--tz", "America/New_York", "--panel", tmp_path / "panel.toml", "-o", tmp_path / "out",
        "--organizer", "Rita Ops <rita@example.com>",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / DEBRIEF_FOLDER
    sheet = pdf_text(folder / "packet.pdf").split("Hiring decision")[-1]
    assert "LLM-applied coding – Tina Trainee (shadow, not counted)" in sheet
    assert sheet.count("not counted") == 1
    assert "You are shadowing" in pdf_text(folder / "scorecards" / f"{TINA}.pdf")
    assert "You are shadowing" not in pdf_text(folder / "scorecards" / "llm-coding--sam-lee.pdf")
    tina, sam = (_body(folder / "invites" / f"{who}.eml") for who in ("tina-trainee", "sam-lee"))
    assert "You are shadowing interviews of Ada Lovelace" in tina
    assert "LLM-applied coding (as a shadow: your ratings never count)" in tina
    assert "You are interviewing Ada Lovelace" in sam
    assert "shadow" not in sam


def _body(eml: Path) -> str:
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    text = message.get_body(("plain",))
    assert isinstance(text, email.message.EmailMessage)
    return str(text.get_content())


def test_a_shadow_made_an_interviewer_is_said_so_where_their_card_went(
    packet: Path, tmp_path: Path
) -> None:
    """WHY.txt said "seat changed (interview, weight or scorecard)": none of those had."""
    fill(
        packet / "scorecards" / f"{TINA}.toml", 2, dict.fromkeys(FILLS["llm-coding--sam-lee"][1], 2)
    )
    (tmp_path / "panel.toml").write_text(SHADOWED.replace(" (shadow)", ""), "utf-8")
    result = run(
        "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03",
        "--tz", "America/New_York", "--panel", tmp_path / "panel.toml", "-o", tmp_path / "out",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    why = (packet / "superseded" / "r1" / "WHY.txt").read_text("utf-8")
    assert (
        f"scorecards/{TINA}.toml: Tina Trainee is a counted interviewer in llm-coding now, " in why
    )
    assert "not a shadow: a new card" in why


def test_a_shadow_never_changes_the_score_and_is_shown_apart(packet: Path) -> None:
    without = run("debrief", packet)  # the shadow has not handed in: not missing, not an error
    assert without.exit_code == 0, without.output
    assert "INCOMPLETE" not in without.output
    assert tomllib.loads((packet / "debrief.toml").read_text("utf-8"))["score"] == pytest.approx(
        LOOP
    )
    fill(
        packet / "scorecards" / f"{TINA}.toml", 1, dict.fromkeys(FILLS["llm-coding--sam-lee"][1], 1)
    )
    result = run("debrief", packet)
    assert result.exit_code == 0, result.output
    data = tomllib.loads((packet / "debrief.toml").read_text("utf-8"))
    assert data["score"] == pytest.approx(LOOP)  # unchanged by her 1s
    coding = data["interviews"][0]
    assert [c["interviewer"] for c in coding["scorecards"]] == ["Sam Lee"]
    assert [c["interviewer"] for c in coding["shadows"]] == ["Tina Trainee"]
    assert coding["shadows"][0]["score"] == 1.0
    assert not any("disagreement in LLM-applied coding" in f for f in data["flags"])
    assert "Tina Trainee" in result.output
    assert "(shadow, not counted)" in result.output
    assert "Tina Trainee (shadow, not counted)" in pdf_text(packet / "debrief.pdf")


def test_status_and_calibrate_count_the_shadow(packet: Path) -> None:
    fill(
        packet / "scorecards" / f"{TINA}.toml", 2, dict.fromkeys(FILLS["llm-coding--sam-lee"][1], 2)
    )
    assert run("debrief", packet).exit_code == 0
    status = json.loads(run("status", packet.parent, "--format", "json").output)
    assert status["packets"][0]["debrief"] == "current"  # her card is part of the debrief
    # her seat is neither expected nor owed: five of five
    assert (status["packets"][0]["filled"], status["packets"][0]["expected"]) == (5, 5)
    assert run("calibrate", packet.parent).exit_code == 0
    raters = tomllib.loads((packet.parent / "calibration.toml").read_text("utf-8"))["interviewers"]
    assert {r["name"]: r["shadow"] for r in raters}["Tina Trainee"] is True
    assert {r["name"]: r["shadow"] for r in raters}["Sam Lee"] is False


def test_what_a_shadow_hands_in_after_the_debrief_leaves_it_current(packet: Path) -> None:
    """A shadow's card never counts: handed in late, edited for a typo or half filled in
    after the debrief, it left the candidate unscored in the report as a stale debrief."""
    assert run("debrief", packet, "--decision", "hire").exit_code == 0
    tina = packet / "scorecards" / f"{TINA}.toml"
    blank = tina.read_text("utf-8")

    def report_row() -> dict[str, Any]:
        row: dict[str, Any] = json.loads(run("report", packet.parent, "--format", "json").output)[
            "candidates"
        ][0]
        status = json.loads(run("status", packet.parent, "--format", "json").output)
        assert status["packets"][0]["debrief"] == row["debrief"]
        return row

    competencies = FILLS["llm-coding--sam-lee"][1]
    fill(tina, 1, dict.fromkeys(competencies, 1))  # handed in after the debrief
    assert (report_row()["debrief"], report_row()["score"]) == ("current", pytest.approx(LOOP))
    tina.write_text(tina.read_text("utf-8").replace("first-hand", "first hand"), "utf-8")  # a typo
    assert report_row()["debrief"] == "current"
    half: dict[str, int | str] = dict.fromkeys(list(competencies)[:1], 2)
    tina.write_text(blank, "utf-8")
    fill(tina, 0, half)  # half filled in
    assert report_row()["debrief"] == "current"
    sam = packet / "scorecards" / "llm-coding--sam-lee.toml"  # an interviewer's card: stale
    sam.write_text(sam.read_text("utf-8").replace("first-hand", "first hand"), "utf-8")
    row = report_row()
    assert (row["debrief"], row["score"]) == ("stale", None)
    assert row["why_stale"] == "changed after it: scorecards/llm-coding--sam-lee.toml"


@pytest.mark.parametrize("state", ["half filled in", "wrong"])
def test_a_shadows_card_not_ready_never_stops_the_debrief(
    packet: Path, tmp_path: Path, state: str
) -> None:
    """A trainee's card half filled in, or with a rating of 7, refused the hiring team's
    debrief (--allow-missing too) though it never counts. It is left out and said so."""
    tina = packet / "scorecards" / f"{TINA}.toml"
    competencies = list(FILLS["llm-coding--sam-lee"][1])
    if state == "half filled in":
        fill(tina, 0, dict.fromkeys(competencies[:1], 2))
    else:
        fill(tina, 2, {**dict.fromkeys(competencies, 2), competencies[0]: 7})
    for args in ([], ["--allow-missing"]):
        result = run("debrief", packet, *args)
        assert result.exit_code == 0, result.output
        flag = (
            f"a shadow's scorecard not shown: scorecards/{TINA}.toml (Tina Trainee) is not "
            "ready (half filled in, or wrong: loopkit validate on it says what)"
        )
        data = tomllib.loads((packet / "debrief.toml").read_text("utf-8"))
        assert flag in data["flags"]
        assert data["score"] == pytest.approx(LOOP)
        assert "shadows" not in data["interviews"][0]
        assert flag in result.output
    status = json.loads(run("status", packet.parent, "--format", "json").output)["packets"][0]
    assert (status["filled"], status["expected"], status["debrief"]) == (5, 5, "current")
    assert status["unchecked"] == 0
    # given on the command line, it is a card someone asked to count: refused
    given = tmp_path / "tina.toml"
    given.write_bytes(tina.read_bytes())
    tina.unlink()
    assert run("debrief", packet, "--scorecard", given).exit_code == 1


def test_the_cards_a_debrief_misses_never_include_the_shadows(packet: Path) -> None:
    """The refusal for a missing card listed the trainee's blank among the unfilled ones,
    read as a card the debrief needed."""
    kim = packet / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
    blank = re.sub(r'(?m)^([a-z-]+) = "Saw .*"$', r'\1 = ""', kim.read_text("utf-8"))
    kim.write_text(re.sub(r"(?m)^([a-z-]+) = [1-4]\b", r"\1 = 0", blank), "utf-8")
    result = run("debrief", packet)
    assert result.exit_code == 1
    assert "unfilled blanks: prompt-engineering-exercise--kim-yu.toml (" in result.output
    assert TINA not in result.output


def test_a_shadows_card_not_ready_is_no_error_beside_another_cards(packet: Path) -> None:
    """Sam's card wrong and Tina's half filled in: Tina's values were listed as errors (and
    as a card --allow-missing never leaves out), as if the trainee's card stopped the
    debrief. Mending Sam's card is enough."""
    tina = packet / "scorecards" / f"{TINA}.toml"
    fill(tina, 0, dict.fromkeys(list(FILLS["llm-coding--sam-lee"][1])[:1], 2))
    sam = packet / "scorecards" / "llm-coding--sam-lee.toml"
    sam.write_text(sam.read_text("utf-8").replace("tool-calling = 3", "tool-calling = 9"))
    for args in ([], ["--allow-missing"]):
        result = run("debrief", packet, *args)
        assert result.exit_code == 1
        lines = [line for line in result.output.splitlines() if TINA in line]
        assert len(lines) == 1, result.output
        assert lines[0].endswith(
            f"scorecards/{TINA}.toml: a shadow's card, not ready: the debrief leaves it out "
            "once the other cards are mended (loopkit validate on it says what to mend) "
            "[LK133 warning]"
        )
        assert "ratings.tool-calling: must be 1-4" in result.output


@pytest.mark.parametrize("seven", [False, True])
def test_an_interviewers_card_in_a_shadows_seat_is_refused_never_set_aside(
    packet: Path, seven: bool
) -> None:
    """Sam filled in Tina's blank, saved under his own file's name: his strong no was shown
    as a shadow's, never counted, and with a rating of 7 set aside as Tina's card."""
    sam = packet / "scorecards" / "llm-coding--sam-lee.toml"
    text = (packet / "scorecards" / f"{TINA}.toml").read_text("utf-8")
    sam.write_text(text.replace('interviewer = "Tina Trainee"', 'interviewer = "Sam Lee"'))
    fill(sam, 1, dict.fromkeys(FILLS["llm-coding--sam-lee"][1], 7 if seven else 1))
    for args in ([], ["--allow-missing"]):
        result = run("debrief", packet, *args)
        assert result.exit_code == 1, result.output
        assert "shadow's scorecard not shown" not in result.output
        if not seven:
            assert (
                "llm-coding--sam-lee.toml:16: interviewer: names Sam Lee, in the seat of Tina "
                "Trainee (a shadow, whose card never counts) (write Sam Lee's card in "
                "scorecards/llm-coding--sam-lee.toml, and leave this seat's card to Tina "
                "Trainee) [LK132 error]"
            ) in result.output
        else:
            assert "must be 1-4" in result.output
    assert run("validate", sam).exit_code == 1
    assert not (packet / "debrief.toml").exists()


def test_a_shadows_card_in_an_interviewers_seat_never_counts(packet: Path) -> None:
    """Tina wrote her card in Sam's blank: her ratings counted as Sam's seat's card."""
    sam = packet / "scorecards" / "llm-coding--sam-lee.toml"
    sam.write_text(
        sam.read_text("utf-8").replace('interviewer = "Sam Lee"', 'interviewer = "Tina Trainee"')
    )
    result = run("debrief", packet)
    assert result.exit_code == 1
    assert (
        "interviewer: names Tina Trainee, in the seat of Sam Lee (an interviewer)" in result.output
    )
    assert f"write Tina Trainee's card in scorecards/{TINA}.toml" in result.output


def test_a_card_signed_as_a_shadow_is_refused(packet: Path) -> None:
    """ "Tina Trainee (shadow)" typed into a card was counted under that name, a second
    person beside Tina Trainee in calibrate."""
    tina = packet / "scorecards" / f"{TINA}.toml"
    fill(tina, 2, dict.fromkeys(FILLS["llm-coding--sam-lee"][1], 2), "Tina Trainee (shadow)")
    result = run("validate", tina)
    assert result.exit_code == 1
    assert (
        "interviewer: 'Tina Trainee (shadow)': whether a card is a shadow's is the panel's to "
        "say (write your name alone) [LK133 error]"
    ) in result.output


def test_an_interview_of_shadows_alone_is_refused(tmp_path: Path) -> None:
    """A panel of one shadow wrote no blank anyone's card would count in, and the debrief
    then waited for ever for an unassigned card."""
    result = run(
        "packet", "ai-engineer", "--candidate", "Bob Byte", "--date", "2026-12-03", "--tz", "UTC",
        "--interviewer", "llm-coding=Tina Trainee <tina@example.com> (shadow)", "-o", tmp_path / "out",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 2
    assert "only shadows in llm-coding: a shadow's card never counts" in result.output
    assert not (tmp_path / "out").exists()


def test_plan_marks_the_shadow(tmp_path: Path) -> None:
    (tmp_path / "panel.toml").write_text(SHADOWED, "utf-8")
    result = run(
        "plan",
        "ai-engineer",
        "--date",
        "2026-12-03",
        "--tz",
        "UTC",
        "--panel",
        tmp_path / "panel.toml",
    )
    assert "LLM-applied coding (50m) - Sam Lee, Tina Trainee (shadow)" in result.output


def test_a_shadow_never_owes_a_scorecard(packet: Path) -> None:
    status = json.loads(
        run("status", packet.parent, "--now", "2026-12-05T00:00Z", "--format", "json").output
    )
    assert "Tina Trainee" not in [o["name"] for o in status["owed"]]
    assert (status["packets"][0]["filled"], status["packets"][0]["expected"]) == (5, 5)


def test_one_person_cannot_be_both_interviewer_and_shadow(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from loopkit.cli import cli

    both = "llm-coding=Sam Lee <sam@example.com>; Sam Lee <sam@example.com> (shadow)"
    result = CliRunner().invoke(cli, ["plan", "ai-engineer", "--interviewer", both])
    assert result.exit_code == 2
    assert "Sam Lee is both an interviewer and a shadow in one interview" in result.output

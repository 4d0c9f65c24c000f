"""``--format json`` on validate, plan and debrief, and the decision a debrief records."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner

from loopkit.cli import cli
from tests.helpers import FILLS, LOOP, Write, debrief_packet, fill, loop_with, pdf_text, run


def _json_of(*args: str | Path) -> tuple[int, dict[str, object]]:
    """Exit code and the JSON on standard output alone (messages go to standard error)."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, json.loads(result.stdout)


def test_validate_json_lists_every_finding(write: Write) -> None:
    write("loops/t.toml", loop_with(('kind = "deep-dive"', 'kind = "leetcode"')))
    code, data = _json_of("validate", "loops", "--format", "json")
    assert code == 1
    assert (data["files"], data["errors"]) == (1, 1)
    codes = sorted((f["code"], f["severity"]) for f in data["findings"])  # type: ignore[attr-defined]
    assert codes == [("LK111", "error"), ("LK201", "warning")]
    assert all(f["file"] == "loops/t.toml" and f["line"] > 0 for f in data["findings"])  # type: ignore[attr-defined]


def test_plan_json_has_every_block_with_its_instants() -> None:
    code, data = _json_of(
        "plan", "ai-engineer", "--date", "2026-12-03", "--tz", "America/New_York",
        "--candidate-tz", "Europe/Berlin", "--interviewer", "llm-coding=Sam Lee <sam@example.com>",
        "--format", "json",
    )  # fmt: skip  # options beside their values
    assert code == 0
    blocks = data["blocks"]
    assert isinstance(blocks, list)
    first = blocks[0]
    assert (first["id"], first["start"], first["end"]) == (
        "llm-coding", "2026-12-03T09:30:00-05:00", "2026-12-03T10:20:00-05:00",
    )  # fmt: skip
    assert first["interviewers"] == [{"name": "Sam Lee", "email": "sam@example.com"}]
    assert [b["kind"] for b in blocks].count("interview") == 4
    assert data["end"] == blocks[-1]["end"]


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    folder = debrief_packet(tmp_path)
    for stem, (recommendation, ratings) in FILLS.items():
        fill(folder / "scorecards" / f"{stem}.toml", recommendation, ratings)
    return folder


def test_debrief_json_is_debrief_toml(filled: Path) -> None:
    code, data = _json_of("debrief", filled, "--format", "json")
    assert code == 0
    assert data == tomllib.loads((filled / "debrief.toml").read_text("utf-8"))
    assert data["score"] == pytest.approx(LOOP)


def _recorded(folder: Path) -> tuple[object, object]:
    data = tomllib.loads((folder / "debrief.toml").read_text("utf-8"))
    return data.get("decision"), data.get("reason")


def test_a_decision_is_recorded_and_kept_when_the_debrief_runs_again(filled: Path) -> None:
    assert run("debrief", filled).exit_code == 0
    assert _recorded(filled) == (None, None)
    reason = "Strongest deep-dive of the week; the eval design held up under every question."
    result = run("debrief", filled, "--decision", "hire", "--reason", reason)
    assert result.exit_code == 0, result.output
    assert _recorded(filled) == ("hire", reason)
    assert f"decision: hire. Reason: {reason}" in result.output
    assert f"Decision: hire: {reason}" in pdf_text(filled / "debrief.pdf")
    again = run("debrief", filled)  # a late scorecard, a rerun: the decision stays
    assert "the decision recorded before is kept: hire" in again.output
    assert _recorded(filled) == ("hire", reason)
    # the same decision given again (a late card): it stands, with the reason given for it
    assert run("debrief", filled, "--decision", "hire").exit_code == 0
    assert _recorded(filled) == ("hire", reason)
    assert "earlier_decisions" not in (filled / "debrief.toml").read_text("utf-8")
    assert run("debrief", filled, "--decision", "no-hire").exit_code == 0
    assert _recorded(filled) == ("no-hire", None)
    data = tomllib.loads((filled / "debrief.toml").read_text("utf-8"))
    # the decision replaced, never its reason: the one before stays, word for word
    assert data["earlier_decisions"] == [{"decision": "hire", "reason": reason}]
    assert run("debrief", filled, "--decision", "hire", "--reason", "second look").exit_code == 0
    data = tomllib.loads((filled / "debrief.toml").read_text("utf-8"))
    assert [d["decision"] for d in data["earlier_decisions"]] == ["no-hire", "hire"]
    assert run("debrief", filled).exit_code == 0  # a rerun keeps every one
    assert tomllib.loads((filled / "debrief.toml").read_text("utf-8")) == data


def _debrief_toml(folder: Path) -> dict[str, object]:
    return tomllib.loads((folder / "debrief.toml").read_text("utf-8"))


LATE = "prompt-engineering-exercise--kim-yu"


@pytest.fixture
def decided_early(tmp_path: Path) -> Path:
    """A hire recorded on an incomplete debrief, Kim's card not yet in; then Kim's card."""
    folder = debrief_packet(tmp_path)
    for stem, (recommendation, ratings) in FILLS.items():
        if stem != LATE:
            fill(folder / "scorecards" / f"{stem}.toml", recommendation, ratings)
    early = run("debrief", folder, "--allow-missing", "--decision", "hire", "--reason", "strong")
    assert early.exit_code == 0, early.output
    fill(folder / "scorecards" / f"{LATE}.toml", *FILLS[LATE])
    return folder


def test_a_decision_a_late_card_came_after_is_flagged_until_given_again(
    decided_early: Path,
) -> None:
    """A hire recorded on an incomplete debrief was carried past the late card that took the
    loop score below the bar, and the report showed it beside the new numbers, unsaid."""
    folder = decided_early
    then = _debrief_toml(folder)
    decided_on = then["decided_on"]
    assert isinstance(decided_on, dict)
    assert (decided_on["score"], decided_on["incomplete"]) == (then["score"], True)
    assert sorted(decided_on["scorecards"]) == sorted(f"{s}.toml" for s in FILLS if s != LATE)
    result = run("debrief", folder)
    assert result.exit_code == 0, result.output
    flag = (
        f"decided on earlier scores: hire was recorded on a loop score of {then['score']:.2f} "
        f"(incomplete); now a loop score of {LOOP:.2f}, scorecards handed in or rated again "
        f"since: {LATE}.toml: give --decision again to confirm it"
    )
    assert flag in _debrief_toml(folder)["flags"]  # type: ignore[operator]
    assert flag in result.output
    assert "decided on earlier scores" in pdf_text(folder / "debrief.pdf")
    assert run("debrief", folder).exit_code == 0  # run again: still said, still on 'then'
    assert flag in _debrief_toml(folder)["flags"]  # type: ignore[operator]
    _, report = _json_of("report", folder.parent, "--format", "json")
    assert "decided on earlier scores" in report["candidates"][0]["flags"]  # type: ignore[index]
    assert run("debrief", folder, "--decision", "hire").exit_code == 0  # confirmed
    now = _debrief_toml(folder)
    assert not any("earlier scores" in f for f in now["flags"])  # type: ignore[attr-defined]
    assert now["decided_on"]["score"] == now["score"]  # type: ignore[index]
    assert (now["decision"], now["reason"]) == ("hire", "strong")


def test_a_card_rated_again_flags_the_decision_whatever_the_loop_score(filled: Path) -> None:
    """Cards changed under a decision, the loop score the same: the decision was kept
    unflagged. A recommendation changed moves no score, and is what a decision rests on."""
    assert run("debrief", filled, "--decision", "hire").exit_code == 0
    sam = filled / "scorecards" / "llm-coding--sam-lee.toml"
    sam.write_text(sam.read_text("utf-8").replace("recommendation = 3", "recommendation = 1", 1))
    assert run("debrief", filled).exit_code == 0
    flags = _debrief_toml(filled)["flags"]
    assert (
        f"decided on earlier scores: hire was recorded on a loop score of {LOOP:.2f}; now a "
        f"loop score of {LOOP:.2f}, scorecards handed in or rated again since: "
        "llm-coding--sam-lee.toml: give --decision again to confirm it"
    ) in flags  # type: ignore[operator]
    # the words alone edited: nothing a decision rests on
    sam.write_text(sam.read_text("utf-8").replace("recommendation = 1", "recommendation = 3", 1))
    sam.write_text(sam.read_text("utf-8").replace("first-hand", "at first hand"), "utf-8")
    assert run("debrief", filled).exit_code == 0
    assert not any("earlier" in f for f in _debrief_toml(filled)["flags"])  # type: ignore[attr-defined]


def _edited(folder: Path, decided_on: object) -> int:
    """debrief.toml with its decided_on replaced (None: taken out); the line of decided_on."""
    file = folder / "debrief.toml"
    data = tomllib.loads(file.read_text("utf-8"))
    del data["decided_on"]
    if decided_on is not None:
        data = {"decided_on": decided_on, **data}
    text = tomli_w.dumps(data)
    file.write_text(text, "utf-8")
    lines = text.splitlines()
    return next(
        (n for n, x in enumerate(lines, 1) if x.startswith(("decided_on", "[decided_on"))), 0
    )


@pytest.mark.parametrize(
    ("decided_on", "key", "why"),
    [
        ("yesterday", "decided_on", "not a table"),
        ({"score": 9.0, "incomplete": True, "scorecards": {}}, "decided_on.score", "not a score from 1 to 4"),
        ({"score": 3.0, "incomplete": "no", "scorecards": {}}, "decided_on.incomplete", "not true or false"),
        ({"incomplete": True, "scorecards": [], "x": 1}, "decided_on.x", "a key loopkit does not write"),
        ({"incomplete": True, "scorecards": {"a.toml": 1}}, "decided_on.scorecards", "not a table of each scorecard's digest"),
    ],
)  # fmt: skip  # one edit a line
def test_a_decided_on_edited_by_hand_is_named(
    decided_early: Path, decided_on: object, key: str, why: str
) -> None:
    table = _edited(decided_early, decided_on)
    result = run("debrief", decided_early)
    assert result.exit_code == 1
    assert f"{key}: the recorded decided_on cannot be read: {why}" in result.output
    found = re.search(r"debrief\.toml:(\d+): decided_on", result.output)
    assert found is not None
    # the line of the key at fault: decided_on's own, or one of its table's
    assert int(found[1]) == table if key == "decided_on" else int(found[1]) > table


def test_a_decision_recorded_before_decided_on_was_kept_is_never_flagged(
    decided_early: Path,
) -> None:
    """What an older debrief's decision was recorded on is not known: nothing is guessed."""
    _edited(decided_early, None)
    assert run("debrief", decided_early).exit_code == 0
    data = _debrief_toml(decided_early)
    assert (data["decision"], "decided_on" in data) == ("hire", False)
    assert not any("earlier scores" in f for f in data["flags"])  # type: ignore[attr-defined]


def test_a_decision_against_the_bar_without_a_reason_is_pointed_out(filled: Path) -> None:
    """A hire below the bar was recorded without a word; the report then showed it plain."""
    result = run("debrief", filled, "--decision", "hire")
    assert result.exit_code == 0, result.output
    assert _recorded(filled) == ("hire", None)
    note = f"note: hire recorded for a loop score of {LOOP:.2f}, below the bar of 3; say why"
    assert note in result.output
    reasoned = run("debrief", filled, "--decision", "hire", "--reason", "deep-dive was strong")
    assert "say why" not in reasoned.output
    again = run("debrief", filled, "--decision", "hire")  # the reason given stands
    assert "say why" not in again.output
    assert _recorded(filled) == ("hire", "deep-dive was strong")
    assert "say why" not in run("debrief", filled, "--decision", "no-hire").output


def test_a_revision_leaves_the_decision_with_its_debrief(filled: Path, tmp_path: Path) -> None:
    assert (
        run("debrief", filled, "--decision", "no-hire", "--reason", "below the bar").exit_code == 0
    )
    result = run(
        "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-04",
        "--tz", "America/New_York", "--panel", tmp_path / "panel.toml", "-o", tmp_path / "out",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    moved = next((tmp_path / "out").glob("*/superseded/r1/debrief.toml"))
    assert tomllib.loads(moved.read_text("utf-8"))["reason"] == "below the bar"
    # the next debrief records none of its own, and says where the earlier one is
    again = run("debrief", moved.parent.parent.parent)
    assert again.exit_code == 0, again.output
    assert (
        "note: revision 1 recorded the decision no-hire (superseded/r1/debrief.toml); it is not "
        "carried to revision 2: give --decision to record it for this one"
    ) in again.output
    current = tomllib.loads((moved.parent.parent.parent / "debrief.toml").read_text("utf-8"))
    assert current["revision"] == 2
    assert not current.get("decision")
    decided = run("debrief", moved.parent.parent.parent, "--decision", "no-hire")
    assert "not carried" not in decided.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reason", "x"], "--reason goes with --decision"),
        (["--decision", "maybe"], "Invalid value for '--decision'"),
        (["--decision", "hire", "--reason", "great \U0001f600"], "--reason: cannot print"),
        (["--decision", "hire", "--reason", "x" * 2001], "--reason: 2001 characters; at most 2000"),
    ],
)
def test_bad_decisions_are_usage_errors(filled: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["debrief", str(filled), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not (filled / "debrief.toml").exists()


def test_an_unreadable_recorded_decision_is_named_not_dropped(filled: Path) -> None:
    assert run("debrief", filled, "--decision", "hire").exit_code == 0
    toml = filled / "debrief.toml"
    toml.write_text(toml.read_text("utf-8").replace('decision = "hire"', 'decision = "yes"'))
    result = CliRunner().invoke(cli, ["debrief", str(filled)])
    assert result.exit_code == 1
    assert "debrief.toml" in result.output
    assert "decision: the recorded decision cannot be read" in result.output
    assert 'decision = "yes"' in toml.read_text("utf-8")  # left as it was


@pytest.mark.parametrize(
    ("score", "bar", "shown"),
    [(2.998, 3.0, "2.998"), (2.99996, 3.0, "2.999960"), (3.0, 3.0, "3.00"), (3.004, 3.0, "3.00"),
     (2.5, 3.0, "2.50"), (3.4951, 3.5, "3.495")],
)  # fmt: skip
def test_a_score_beside_the_bar_never_rounds_onto_its_other_side(
    score: float, bar: float, shown: str
) -> None:
    """2.998 was printed "3.00 is below the hire bar of 3.00"."""
    from loopkit._scale import beside

    assert beside(score, bar) == shown
    assert (float(beside(score, bar)) >= bar) == (score >= bar)

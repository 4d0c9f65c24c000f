"""``loopkit report``: one loop's candidates side by side, every number from their debriefs."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from loopkit._scale import beside
from loopkit.cli import cli
from tests.helpers import FILLS, PANEL, built_once, copied, fill, pdf_pages, pdf_text, run


def _packet(here: Path, candidate: str, day: str, loop: str = "ai-engineer") -> Path:
    panel: list[str | Path] = ["--panel", here / "panel.toml"] if loop == "ai-engineer" else []
    result = run(
        "packet", loop, "--candidate", candidate, "--date", day, "--tz", "America/New_York",
        *panel, "-o", here / "out",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    return next((here / "out").glob(f"{day}-*-{loop}"))


def _fill_all(folder: Path, shift: int) -> None:
    """Every scorecard filled; ``shift`` moves every rating, so candidates differ."""
    for stem, (recommendation, ratings) in FILLS.items():
        moved = {
            k: v if isinstance(v, str) else max(1, min(4, v + shift)) for k, v in ratings.items()
        }
        fill(folder / "scorecards" / f"{stem}.toml", recommendation, moved)


@pytest.fixture(scope="module")
def built_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The week, built once for the module (two seconds each time); every test gets a copy."""
    return built_once(tmp_path_factory, _build_week)


@pytest.fixture
def week(here: Path, built_week: Path) -> Path:
    return copied(built_week, here) / "out"


def _build_week(here: Path) -> Path:
    (here / "panel.toml").write_text(PANEL, "utf-8")
    ada = _packet(here, "Ada Lovelace", "2026-12-01")
    _fill_all(ada, 0)
    assert run("debrief", ada).exit_code == 0
    alan = _packet(here, '=HYPERLINK("http://x")', "2026-12-02")
    _fill_all(alan, 1)
    assert run("debrief", alan, "--decision", "hire").exit_code == 0
    _packet(here, "Grace Hopper", "2026-12-03")  # no debrief yet
    return here / "out"


def _csv(out: Path) -> list[dict[str, str]]:
    return list(
        csv.DictReader(io.StringIO((out / "report.csv").read_text("utf-8-sig"), newline=""))
    )


def _debrief(out: Path, day: str) -> dict[str, object]:
    return tomllib.loads(next(out.glob(f"{day}-*/debrief.toml")).read_text("utf-8"))


def test_every_score_is_the_one_the_debrief_recorded(week: Path) -> None:
    result = run("report", week)
    assert result.exit_code == 0, result.output
    rows = {r["date"]: r for r in _csv(week)}
    for day in ("2026-12-01", "2026-12-02"):
        recorded = _debrief(week, day)
        # as the pages show them (3.3190476190476192 read as a fault)
        assert rows[day]["loop_score"] == beside(recorded["score"], 3.0)  # type: ignore[arg-type]
        for interview in recorded["interviews"]:  # type: ignore[attr-defined]
            assert rows[day][interview["id"]] == beside(interview["score"], 3.0)
        assert rows[day]["deep_dive"] == rows[day]["past-llm-feature-deep-dive"]
    assert rows["2026-12-02"]["decision"] == "hire"
    assert [r["date"] for r in _csv(week)] == ["2026-12-02", "2026-12-01", "2026-12-03"]


def test_a_candidate_without_a_debrief_is_listed_never_scored(week: Path) -> None:
    run("report", week)
    grace = next(r for r in _csv(week) if r["candidate"] == "Grace Hopper")
    assert grace["debrief"] == "none"
    assert grace["loop_score"] == grace["llm-coding"] == grace["meets_bar"] == ""
    text = pdf_text(week / "report.pdf")
    assert "Grace Hopper" in text
    assert "no debrief" in text


def test_the_pdf_names_every_candidate_score_and_flag(week: Path) -> None:
    run("report", week)
    text = pdf_text(week / "report.pdf")
    ada = _debrief(week, "2026-12-01")
    assert f"{ada['score']:.2f}" in text
    assert "Ada Lovelace" in text
    assert "hire bar 3" in text
    assert "deep-dive below the bar" in text or "disagreement" in text


def test_candidates_judged_against_different_bars_each_show_their_own(week: Path) -> None:
    """The loop's bar changed between two packets: the header says both, and the chart draws
    each row's own bar across that row (it drew the first row's for every candidate)."""
    from reportlab.graphics.shapes import Line

    from loopkit._report import build_report
    from loopkit.render.report import chart

    debrief = next(week.glob("2026-12-02-*/debrief.toml"))
    debrief.write_text(
        re.sub(r"(?m)^hire_bar = .*$", "hire_bar = 2.5", debrief.read_text("utf-8")), "utf-8"
    )
    result = run("report", week)
    assert "3 candidates, hire bars 2.5 to 3, each row its own" in result.output
    assert "hire bars 2.5 to 3" in pdf_text(week / "report.pdf")
    report = build_report(week, None)
    drawing = chart(report, report.rows, 400)
    dashed = [s for s in drawing.contents if isinstance(s, Line) and s.strokeDashArray]
    scored = [r for r in report.rows if r.score is not None]
    assert len(dashed) == len(report.rows)  # a piece for each row, its own bar
    assert len({round(line.x1, 3) for line in dashed}) == 2
    assert {r.hire_bar for r in scored} == {2.5, 3.0}


def test_an_incomplete_debriefs_bar_is_drawn_pale(week: Path) -> None:
    """Grace's debrief, one card missing (--allow-missing), is scored from the interviews it
    had: its bar is drawn pale and outlined, a complete one's solid."""
    from reportlab.graphics.shapes import Rect

    from loopkit._report import build_report
    from loopkit.render.report import chart

    grace = next(week.glob("2026-12-03-*"))
    _fill_all(grace, 0)
    (grace / "scorecards" / "prompt-engineering-exercise--kim-yu.toml").unlink()
    assert run("debrief", grace, "--allow-missing").exit_code == 0
    report = build_report(week, None)
    assert [r.incomplete for r in report.rows] == [False, True, False]
    bars = [s for s in chart(report, report.rows, 400).contents if isinstance(s, Rect)]
    assert [bar.fillOpacity for bar in bars] == [0.8, 0.25, 0.8]
    assert bars[1].strokeColor == bars[1].fillColor


def test_a_spreadsheet_never_runs_a_name_as_a_formula(week: Path) -> None:
    run("report", week)
    names = [r["candidate"] for r in _csv(week)]
    assert '\'=HYPERLINK("http://x")' in names
    for row in _csv(week):
        for column in ("candidate", "packet", "decision"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_spreadsheet_reads_names_in_every_script(week: Path, here: Path) -> None:
    """Excel reads a CSV without a byte-order mark in the system's legacy code page: the
    names of most candidates would open garbled."""
    _packet(here, "Nguyễn Thị Minh Khai 李伟", "2026-12-04")
    assert run("report", week).exit_code == 0
    raw = (week / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcandidate,")
    assert raw.count(b"\xef\xbb\xbf") == 1
    assert "Nguyễn Thị Minh Khai 李伟" in [r["candidate"] for r in _csv(week)]


def test_a_revision_after_the_debrief_makes_it_stale_and_unscored(week: Path, here: Path) -> None:
    result = run(
        "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-01",
        "--start", "10:00", "--tz", "America/New_York", "--panel", here / "panel.toml", "-o", week,
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    run("report", week)
    ada = next(r for r in _csv(week) if r["candidate"] == "Ada Lovelace")
    assert (ada["debrief"], ada["loop_score"]) == ("stale", "")
    chart = pdf_text(week / "report.pdf")
    assert "debrief stale, no score" in chart  # Ada's row: not "no debrief yet"
    assert "no debrief yet" in chart  # Grace's, who has none


def test_a_current_debrief_without_a_score_is_not_called_stale(week: Path) -> None:
    """Every card missing (--allow-missing): the debrief is current and has no score. It is
    listed as such, with its flags, never as a stale debrief."""
    grace = next(week.glob("2026-12-03-*"))
    assert run("debrief", grace, "--allow-missing").exit_code == 0
    result = run("report", week)
    line = next(x for x in result.output.splitlines() if x.startswith("Grace Hopper"))
    assert "debrief, no score" in line
    assert "incomplete" in line
    assert "stale" not in line
    text = pdf_text(week / "report.pdf")
    assert "debrief, no score" in text
    assert "2 scored" in text


def test_several_loops_need_loop(week: Path, here: Path) -> None:
    _packet(here, "Katherine Johnson", "2026-12-04", "ml-engineer")
    result = CliRunner().invoke(cli, ["report", str(week)])
    assert result.exit_code == 2
    assert "--loop: packets of 2 loops here: ai-engineer, ml-engineer" in result.output
    wrong = CliRunner().invoke(cli, ["report", str(week), "--loop", "ai-enginer"])
    assert wrong.exit_code == 2
    assert "did you mean 'ai-engineer'?" in wrong.output
    ml = run("report", week, "--loop", "ml-engineer", "--format", "json")
    data = json.loads(ml.stdout)
    assert [c["candidate"] for c in data["candidates"]] == ["Katherine Johnson"]
    assert data["candidates"][0]["score"] is None


def test_a_report_of_another_loop_replaced_is_said(week: Path, here: Path) -> None:
    """One report per folder: the ML engineers' replaced the AI engineers' without a word."""
    _packet(here, "Katherine Johnson", "2026-12-04", "ml-engineer")
    assert run("report", week, "--loop", "ai-engineer").exit_code == 0
    said = f"replaced the report of ai-engineer here: loopkit report {week} --loop ai-engineer"
    ml = CliRunner().invoke(cli, ["report", str(week), "--loop", "ml-engineer"])
    assert ml.exit_code == 0, ml.output
    assert said in ml.stdout
    again = CliRunner().invoke(cli, ["-q", "report", str(week), "--loop", "ml-engineer"])
    assert (again.stdout, again.stderr) == ("", "")  # its own report: nothing to say
    back = CliRunner().invoke(cli, ["report", str(week), "--loop", "ai-engineer", "-q"])
    assert back.stdout == ""
    assert "replaced the report of ml-engineer here" in back.stderr  # -q: said on stderr


def test_a_broken_debrief_is_named_and_skipped(week: Path) -> None:
    broken = next(week.glob("2026-12-01-*/debrief.toml"))
    broken.write_text("score = \n", "utf-8")
    result = run("report", week)
    assert result.exit_code == 0, result.output
    assert "skipped 2026-12-01-ada-lovelace-ai-engineer/" in result.output
    assert "debrief.toml" in result.output
    assert [r["candidate"] for r in _csv(week)] == ['\'=HYPERLINK("http://x")', "Grace Hopper"]


def test_a_score_just_below_the_bar_is_never_rounded_onto_it(week: Path) -> None:
    """2.9989 against a bar of 3 was 3.00 in report.csv beside meets_bar "no", where the
    pages print 2.999."""
    debrief = next(week.glob("2026-12-01-*/debrief.toml"))
    text = debrief.read_text("utf-8")
    text = re.sub(r"(?m)^score = .*$", "score = 2.9989", text, count=1)
    debrief.write_text(re.sub(r"(?m)^meets_bar = .*$", "meets_bar = false", text, count=1))
    assert run("report", week).exit_code == 0
    ada = next(r for r in _csv(week) if r["date"] == "2026-12-01")
    assert (ada["loop_score"], ada["hire_bar"], ada["meets_bar"]) == ("2.999", "3", "no")


@pytest.mark.parametrize(
    "score", ['"high"', "inf", "nan", "1e308", "9223372036854775808", "1" + "0" * 400, "4.5"]
)
def test_a_score_edited_by_hand_is_named_never_drawn(week: Path, score: str) -> None:
    """A debrief's score off the rating scale: the candidate is skipped saying so (drawing
    report.pdf ended in an internal error)."""
    debrief = next(week.glob("2026-12-01-*/debrief.toml"))
    text = debrief.read_text("utf-8")
    debrief.write_text(re.sub(r"(?m)^score = .*$", f"score = {score}", text, count=1), "utf-8")
    result = run("report", week)
    assert result.exit_code == 0, result.output
    assert "skipped 2026-12-01-ada-lovelace-ai-engineer/" in result.output
    assert "debrief.toml: cannot be read (a score of" in result.output
    assert "Grace Hopper" in pdf_text(week / "report.pdf")


@pytest.mark.parametrize(
    ("pattern", "edit", "said"),
    [
        (r"(?m)^\[interviews\.scorecards\.ratings\]$", 'ratings = "x"', "str"),
        (r"(?m)^incomplete = false$", 'incomplete = "false"', "incomplete of 'false'"),
        (r"(?m)^meets_bar = (true|false)$", 'meets_bar = "yes"', "meets_bar of 'yes'"),
        (r"(?ms)^flags = \[.*?\]$", 'flags = "disagreement: llm-coding"', "flags of"),
        (r'(?m)^decision = "hire"$', 'decision = ["hire", "no-hire"]', "a decision of"),
    ],
)
def test_a_debrief_edited_into_another_shape_is_named(
    week: Path, pattern: str, edit: str, said: str
) -> None:
    """A table turned into text, a true written as text, a list where text goes: the packet
    is skipped saying so, never an internal error for the folder, never a wrong answer."""
    debrief = next(week.glob("2026-12-02-*/debrief.toml"))  # the one with a decision
    text, n = re.subn(pattern, edit, debrief.read_text("utf-8"), count=1)
    assert n == 1
    debrief.write_text(text, "utf-8")
    for command in ("status", "report", "calibrate"):
        result = run(command, week)
        assert result.exit_code == 0, result.output
        assert "internal error" not in result.output
    report = run("report", week).output
    assert "skipped 2026-12-02-" in report, report
    assert said in report, report


def test_every_candidate_skipped_is_no_internal_error(week: Path) -> None:
    """No row left to show: the table is left out (it ended in an internal error)."""
    for folder in week.glob("2026-12-03-*"):
        shutil.rmtree(folder)
    for debrief in week.glob("*/debrief.toml"):
        text = debrief.read_text("utf-8")
        debrief.write_text(re.sub(r"(?m)^score = .*$", 'score = "high"', text, count=1), "utf-8")
    result = run("report", week)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("AI engineer (LLM-applied), senior IC: 0 candidates\n\n")
    assert result.output.count("cannot be read (a score of 'high')") == 2


def test_a_number_of_thousands_of_digits_in_a_debrief_is_named(week: Path) -> None:
    """Past Python's 4,300 digits a number cannot be read: named, never an internal error."""
    for debrief in week.glob("*/debrief.toml"):
        with debrief.open("a", encoding="utf-8") as handle:
            handle.write("zz = " + "1" * 5001 + "\n")
    status = run("status", week)
    assert status.exit_code == 0, status.output
    assert status.output.count("cannot be read: a number too large to be meant, at line ") == 2
    assert "set_int_max_str_digits" not in status.output
    for folder in week.glob("2026-12-03-*"):
        shutil.rmtree(folder)
    report = run("report", week)
    assert report.exit_code == 1
    assert f"no packets here (loopkit status {week} says why each of the 2 folders" in report.output


def test_an_empty_folder_is_an_error(here: Path) -> None:
    (here / "out").mkdir()
    result = CliRunner().invoke(cli, ["report", "out"])
    assert result.exit_code == 1
    assert "out: no packets here" in result.output


def test_a_card_edited_after_the_debrief_unscores_the_candidate(week: Path) -> None:
    card = next(week.glob("2026-12-01-*/scorecards/llm-coding--sam-lee.toml"))
    card.write_text(
        card.read_text("utf-8").replace("retrieval-quality = 4", "retrieval-quality = 1")
    )
    run("report", week)
    ada = next(r for r in _csv(week) if r["candidate"] == "Ada Lovelace")
    assert (ada["debrief"], ada["loop_score"], ada["flags"]) == ("stale", "", "debrief stale")


def _alan_card_changed(week: Path) -> None:
    """A rating changed on a card of Alan, whose debrief recorded a hire."""
    card = next(week.glob("2026-12-02-*/scorecards/llm-coding--sam-lee.toml"))
    text = card.read_text("utf-8")
    card.write_text(re.sub(r"(?m)^retrieval-quality = \d", "retrieval-quality = 1", text))


ALAN = '=HYPERLINK("http://x")'


def test_a_stale_debriefs_decision_is_shown_with_what_came_after_it(week: Path) -> None:
    """A hire recorded, then a card changed: the report scores nothing, and still shows the
    hire (an offer may be out) and why the debrief is stale, everywhere it is read."""
    _alan_card_changed(week)
    result = run("report", week, "--format", "json")
    assert result.exit_code == 0, result.output
    alan = next(c for c in json.loads(result.stdout)["candidates"] if c["candidate"] == ALAN)
    why = "changed after it: scorecards/llm-coding--sam-lee.toml"
    assert (alan["debrief"], alan["score"], alan["decision"]) == ("stale", None, "hire")
    assert alan["why_stale"] == why
    row = next(r for r in _csv(week) if r["date"] == "2026-12-02")
    assert (row["debrief"], row["loop_score"], row["decision"]) == ("stale", "", "hire")
    assert row["why_stale"] == why
    text = run("report", week).output
    line = next(x for x in text.splitlines() if x.startswith(ALAN))
    assert line.rstrip().endswith("hire (stale debrief)")
    assert f"stale debrief of {ALAN}: {why}; run loopkit debrief again" in text
    pdf = " ".join(pdf_text(week / "report.pdf").split())
    assert "hire (stale debrief)" in pdf
    assert "Stale debriefs: run loopkit debrief again" in pdf
    assert why in pdf


def test_the_reason_given_with_a_decision_is_in_every_form_of_the_report(week: Path) -> None:
    """debrief asks for --reason when a decision goes against the bar, and says the report
    shows it: it does, current and stale."""
    ada = next(week.glob("2026-12-01-*"))
    why = "=Strong deep-dive; the coding gap is coachable, say the panel"
    assert run("debrief", ada, "--decision", "hire", "--reason", why).exit_code == 0
    result = run("report", week, "--format", "json")
    (row,) = [
        c for c in json.loads(result.stdout)["candidates"] if c["candidate"] == "Ada Lovelace"
    ]
    assert (row["decision"], row["reason"]) == ("hire", why)
    csv_row = next(r for r in _csv(week) if r["candidate"] == "Ada Lovelace")
    assert csv_row["reason"] == "'" + why  # never run as a formula
    assert f"reason: Ada Lovelace, hire: {why}" in run("report", week).output
    pdf = " ".join(pdf_text(week / "report.pdf").split())
    assert f"Reasons given for decisions • Ada Lovelace, hire: {why}" in pdf
    card = next(ada.glob("scorecards/llm-coding--sam-lee.toml"))
    card.write_text(
        re.sub(r"(?m)^retrieval-quality = \d", "retrieval-quality = 1", card.read_text("utf-8"))
    )
    assert f"reason: Ada Lovelace, hire (stale debrief): {why}" in run("report", week).output


@pytest.mark.parametrize(
    ("reason", "debrief_says"),
    [
        ('"رفض"', "reason: the recorded reason cannot be printed (U+0631, U+0641, U+0636)"),
        ('"a\\u001bb"', "reason: the recorded reason cannot be printed (U+001B)"),
        ("42", "reason: the recorded reason cannot be read"),
        ('["a", "b"]', "reason: the recorded reason cannot be read"),
    ],
)
def test_a_reason_edited_by_hand_never_stops_the_report(
    week: Path, reason: str, debrief_says: str
) -> None:
    """One candidate's reason edited into a script no font prints, a number or a list: the
    report of every candidate still comes out (the PDF draws what it cannot print as ?),
    and debrief names the key and its line."""
    alan = next(week.glob("2026-12-02-*"))
    assert run("debrief", alan, "--decision", "hire", "--reason", "The panel agreed").exit_code == 0
    debrief = alan / "debrief.toml"
    text = debrief.read_text("utf-8")
    debrief.write_text(
        re.sub(r'(?m)^reason = ".*"$', lambda _: f"reason = {reason}", text), "utf-8"
    )
    result = run("report", week)
    assert result.exit_code == 0, result.output
    row = next(r for r in _csv(week) if r["date"] == "2026-12-02")
    assert (row["loop_score"] != "", row["decision"]) == (True, "hire")
    pdf = " ".join(pdf_text(week / "report.pdf").split())
    if reason.startswith('"'):
        assert row["reason"] == tomllib.loads(f"r = {reason}")["r"]
        assert "Reasons given for decisions • =HYPERLINK" in pdf
        assert ", hire: ???" in pdf or ", hire: a?b" in pdf
    else:
        assert row["reason"] == ""
    result = run("debrief", alan)
    assert result.exit_code == 1
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("reason")))
    assert f"debrief.toml:{line + 1}: {debrief_says}" in result.output


def test_a_reason_over_lines_is_indented_under_its_candidate(week: Path) -> None:
    ada = next(week.glob("2026-12-01-*"))
    why = "First: the deep-dive.\rSecond: the coding gap.\nstale debrief of Grace: faked"
    assert run("debrief", ada, "--decision", "hire", "--reason", why).exit_code == 0
    text = run("report", week).output
    assert (
        "reason: Ada Lovelace, hire: First: the deep-dive.\n"
        "    Second: the coding gap.\n"
        "    stale debrief of Grace: faked\n"
    ) in text


def test_a_decision_a_revision_moved_to_superseded_is_still_shown(week: Path, here: Path) -> None:
    result = run(
        "packet", "ai-engineer", "--candidate", ALAN, "--date", "2026-12-02", "--start", "10:00",
        "--tz", "America/New_York", "--panel", here / "panel.toml", "-o", week,
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    assert not list(week.glob("2026-12-02-*/debrief.toml"))
    run("report", week)
    row = next(r for r in _csv(week) if r["date"] == "2026-12-02")
    assert (row["debrief"], row["decision"]) == ("stale", "hire")
    assert row["why_stale"] == "revision 2 moved it to superseded/r1/"


def test_a_moved_debrief_edited_is_read_again_not_taken_from_the_cache(
    week: Path, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopkit import _status

    monkeypatch.setattr(_status, "SETTLED_NS", 0)  # every file counts as settled at once
    monkeypatch.setenv("LOOPKIT_CACHE_DIR", str(here / "cache"))
    test_a_decision_a_revision_moved_to_superseded_is_still_shown(week, here)  # cached now
    moved = next(week.glob("2026-12-02-*/superseded/r1/debrief.toml"))
    moved.write_text(moved.read_text("utf-8").replace('"hire"', '"no-hire"'), "utf-8")
    run("report", week)
    row = next(r for r in _csv(week) if r["date"] == "2026-12-02")
    assert (row["debrief"], row["decision"]) == ("stale", "no-hire")


def test_a_packet_that_cannot_be_read_is_named_in_the_pdfs(week: Path) -> None:
    lock = next(week.glob("2026-12-03-*/loop.lock.toml"))
    lock.write_text(lock.read_text("utf-8")[:300], "utf-8")
    (week / "notes").mkdir()
    assert run("report", week).exit_code == 0
    pdf = " ".join(pdf_text(week / "report.pdf").split())
    assert "1 packet here was left out: named below." in pdf
    assert "Packets left out • 2026-12-03-grace-hopper-ai-engineer/:" in pdf
    assert "notes" not in pdf  # a folder that is no packet is no candidate left out
    assert run("calibrate", week).exit_code == 0
    pdf = " ".join(pdf_text(week / "calibration.pdf").split())
    assert "1 packet here was left out" in pdf
    assert "2026-12-03-grace-hopper-ai-engineer/:" in pdf
    assert "notes" not in pdf


def test_two_candidates_of_one_name_are_told_apart(week: Path, here: Path) -> None:
    result = run(
        "packet", "ai-engineer", "--candidate", "Grace Hopper", "--id", "grace-hopper-2",
        "--date", "2026-12-03", "--tz", "UTC", "-o", week,
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    text = run("report", week).output
    assert "Grace Hopper (2026-12-03-grace-hopper-2)" in text
    assert "Grace Hopper (2026-12-03-grace-hopper-ai-engineer)" in text
    squeezed = pdf_text(week / "report.pdf").replace(" ", "")  # a table cell wraps the folder
    assert "GraceHopper(2026-12-03-grace-hopper-2)" in squeezed


@pytest.mark.parametrize(
    "folders",
    [
        ["2026-12-03-grace-hopper-ai-engineer", "2026-12-03-grace-hopper-2-ai-engineer"],
        [f"2026-12-0{d}-grace-hopper-ai-engineer-senior-staff-platform" for d in (3, 4)],
        [f"2026-12-03-grace-{x}-hopper-ai-engineer-senior-staff" for x in ("a", "b", "c", "d")],
        # three of one name: two alike but for an id's end, the third a day apart
        [
            "2026-12-03-grace-hopper-ai-engineer",
            "2026-12-03-grace-hopper-ai-engineer-2",
            "2026-12-04-grace-hopper-ai-engineer-3",
        ],
        [f"2026-12-03-cand0000000000000{n}" for n in (1, 2)],  # a long id with no hyphen
    ],
)
def test_the_chart_tells_apart_candidates_of_one_name(folders: list[str]) -> None:
    """Their labels show each folder from where the folders start to differ, wherever that
    is (the day, an id's -2, a word in the middle); a name of its own is cut at its end."""
    from reportlab.graphics.shapes import String

    from loopkit._report import Report, Row
    from loopkit.render.report import chart

    alone = "Katherine Johnson-Goble Coleman Longname-Doublebarrel"
    named = [*((f, "Grace Hopper") for f in folders), ("2026-12-03-k", alone)]
    rows = tuple(Row(f, n, "2026-12-03", "current", 3.0, score=3.0) for f, n in named)
    report = Report("ai-engineer", "AI engineer", "letter", (), "", rows, ())
    drawing = chart(report, rows, 450)
    labels = [
        item.text
        for item in drawing.contents
        if isinstance(item, String) and item.text[:1].isalpha()
    ]
    hopper = [label for label in labels if label.startswith("Grace Hopper")]
    assert len(hopper) == len(folders)
    assert len(set(hopper)) == len(folders), hopper
    (own,) = [label for label in labels if label.startswith("Katherine")]
    assert own.endswith("…")


@pytest.mark.parametrize("candidates", [29, 30, 31, 75, 300])
def test_a_loop_of_hundreds_of_candidates_fits_its_pages(candidates: int, tmp_path: Path) -> None:
    """The chart is drawn in parts a page can hold: every candidate is in the PDF."""
    from loopkit._report import Report, Row
    from loopkit.render.report import report_pdf

    rows = tuple(
        Row(
            f"2026-12-03-candidate-{n:03d}",
            f"Candidate {n:03d} Longname-Doubleбарrel",
            "2026-12-03",
            "current" if n % 7 else "none",
            3.0,
            score=None if n % 7 == 0 else 1 + (n % 31) / 10,
            interviews=(("llm-coding", 2.5), ("past-llm-feature-deep-dive", 3.5)),
        )
        for n in range(candidates)
    )
    columns = (("llm-coding", "LLM-applied coding"), ("past-llm-feature-deep-dive", "Deep-dive"))
    report = Report(
        "ai-engineer", "AI engineer", "letter", columns, "past-llm-feature-deep-dive", rows, ()
    )
    file = tmp_path / "report.pdf"
    file.write_bytes(report_pdf(report))
    text = " ".join(pdf_pages(file)).replace("\n", " ")
    for n in range(candidates):
        assert text.count(f"Candidate {n:03d}") == 2, n  # in a chart and in the table


def test_a_long_hyphenated_name_breaks_after_its_hyphens(week: Path, here: Path) -> None:
    """reportlab broke a word too long for its cell between two letters (Hohenzoll/ern)."""
    _packet(here, "Maria Hohenzollern-Sigmaringen-Wittelsbach-Braganza", "2026-12-04")
    assert run("report", week).exit_code == 0
    lines = [
        line.strip()
        for page in PdfReader(week / "report.pdf").pages
        for line in (page.extract_text() or "").splitlines()
    ]
    for piece in ("Hohenzollern-", "Sigmaringen-", "Wittelsbach-", "Braganza"):
        assert any(piece in line for line in lines), (piece, lines)
    at = max(
        n for n, line in enumerate(lines) if "Hohenzollern" in line
    )  # the table's, after the chart's
    assert lines[at].endswith("Hohenzollern-"), lines[at : at + 4]


@pytest.mark.parametrize(
    "names",
    [
        ["Maria-Magdalena Hohenzollern-Sigmaringen-Wittelsbach", "Maria-Magdalena Hohenzollern-Sigmaringen-Habsburg"],
        ["Alexandra Konstantinopoulou-Papadimitriou A", "Alexandra Konstantinopoulou-Papadimitriou B", "Alexandra Konstantinopoulou-Papadimitriou C"],
    ],
)  # fmt: skip
def test_the_chart_tells_apart_long_names_that_start_alike(names: list[str]) -> None:
    """Both bars read "Maria-Magdalena Hohenzollern-Sig…": cut at the end, where they differ."""
    from reportlab.graphics.shapes import String

    from loopkit._report import Report, Row
    from loopkit.render.report import chart

    rows = tuple(
        Row(f"2026-12-0{n}-x", name, "2026-12-03", "current", 3.0, score=3.0)
        for n, name in enumerate(names, 1)
    )
    report = Report("ai-engineer", "AI engineer", "letter", (), "", rows, ())
    drawing = chart(report, rows, 450)
    texts = [i.text for i in drawing.contents if isinstance(i, String)]
    labels = [text for text in texts if text.startswith(names[0][:5])]
    assert len(set(labels)) == len(names), labels
    for name in names:  # each keeps its own last word
        assert any(label.endswith(name.split("-")[-1].split()[-1]) for label in labels), labels


def test_each_name_is_measured_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row's label compared its cut name with every other's, cut anew: 300 long names
    took ten seconds. The names are cut once per report."""
    import loopkit.render.report as rendering
    from loopkit._report import Report, Row
    from loopkit.render.layout import clip

    calls = 0

    def counted(text: str, width: float, size: float) -> str:
        nonlocal calls
        calls += 1
        return clip(text, width, size)

    monkeypatch.setattr(rendering, "clip", counted)
    rows = tuple(
        Row(f"2026-12-03-c{n:03d}", f"Alexandra Konstantinopoulou-Papadimitriou {n:03d}",
            "2026-12-03", "current", 3.0, score=3.0)
        for n in range(300)
    )  # fmt: skip
    report = Report("ai-engineer", "AI engineer", "letter", (), "", rows, ())
    labels = [d.contents for d in rendering.charts(report, 450)]
    assert len(labels) == 10
    assert calls <= 3 * len(rows), calls


def test_an_interview_title_is_printed_as_written_with_its_words_whole(here: Path) -> None:
    """A title's <b> and & were read as markup ("Q&A;"), and a word too wide for its column
    broke between two letters (Stakeholder conversatio/n)."""
    lines = _report_lines_titled(here, "Stakeholder conversation <b>Q&A</b>")
    assert "conversation" in lines, lines
    assert "<b>Q&A</b>" in " ".join(lines)


def test_a_word_too_wide_even_at_the_smallest_size_breaks_with_a_hyphen(here: Path) -> None:
    """A German compound as an interview's title broke inside the word, without a mark,
    wherever the column ended; it now breaks in pieces that fit, each with a hyphen."""
    word = "Anforderungsmanagementgesprächsführung"
    lines = _report_lines_titled(here, word)
    start = next(i for i, line in enumerate(lines) if line.startswith("Anforder"))
    pieces = []
    for line in lines[start:]:
        pieces.append(line)
        if not line.endswith("-"):
            break
    assert len(pieces) >= 2, lines
    assert "".join(p.removesuffix("-") for p in pieces) == word


def _report_lines_titled(here: Path, title: str) -> list[str]:
    """The lines of report.pdf for a copy of the AI-engineer loop whose coding interview has
    ``title``, with one candidate debriefed."""
    assert run("new", "titled-loop", "--from", "ai-engineer").exit_code == 0
    loop = here / "loops" / "titled-loop.toml"
    text = loop.read_text("utf-8")
    loop.write_text(text.replace('title = "LLM-applied coding"', f'title = "{title}"', 1), "utf-8")
    folder = _packet(here, "Ada Lovelace", "2026-12-01", loop="titled-loop")
    card = folder / "scorecards" / "llm-coding.toml"
    fill(card, 3, dict.fromkeys(FILLS["llm-coding--sam-lee"][1], 3))
    card.write_text(card.read_text("utf-8").replace('interviewer = ""', 'interviewer = "Sam Lee"'))
    assert run("debrief", folder, "--allow-missing").exit_code == 0
    assert run("report", here / "out").exit_code == 0
    return [
        line.strip()
        for page in PdfReader(here / "out" / "report.pdf").pages
        for line in (page.extract_text() or "").splitlines()
    ]


def test_the_reports_paper_is_the_teams_then_the_newest_packets(here: Path, week: Path) -> None:
    """One A4 packet for a European candidate turned the team's report A4: loopkit.toml's
    paper said letter, and report had no --paper as calibrate has."""
    newest = max((p for p in week.iterdir() if p.is_dir()), key=lambda p: p.name)
    lock = newest / "loop.lock.toml"
    lock_text = lock.read_text("utf-8")
    assert 'paper = "letter"' in lock_text

    def page(*args: str) -> tuple[float, float]:
        result = run("report", week, *args)
        assert result.exit_code == 0, result.output
        box = PdfReader(week / "report.pdf").pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert page() == (612, 792)  # the newest packet's: letter
    assert page("--paper", "A4") == (595, 842)
    (here / "loopkit.toml").write_text('paper = "a4"\n', "utf-8")
    assert page() == (595, 842)  # the team's, over the packet's
    assert page("--paper", "letter") == (612, 792)


def test_a_report_a_person_changed_is_kept_before_it_is_replaced(week: Path) -> None:
    """report.csv annotated in a spreadsheet and saved was replaced by the next report, the
    notes lost; so were calibrate's files. Each is now kept beside it first, and said."""
    assert run("report", week).exit_code == 0
    written = {name: (week / name).read_bytes() for name in ("report.csv", "report.pdf")}
    again = run("report", week)  # as loopkit wrote them: replaced, nothing kept
    assert "kept" not in again.output
    assert not list(week.glob("*.edited*"))
    noted = (week / "report.csv").read_text("utf-8") + "Ada Lovelace,,,,,strong on evals\n"
    (week / "report.csv").write_text(noted, "utf-8")
    result = CliRunner().invoke(cli, ["-q", "report", str(week)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # -q: the line is a warning, on standard error
    assert f"kept {week / 'report.csv'} as report.edited.csv" in result.stderr
    assert (week / "report.edited.csv").read_text("utf-8") == noted
    assert (week / "report.csv").read_bytes() == written["report.csv"]
    assert (week / "report.pdf").read_bytes() == written["report.pdf"]  # its own, replaced
    (week / "report.csv").write_text("hand-made\n", "utf-8")
    result = CliRunner().invoke(cli, ["report", str(week), "--format", "json"])
    json.loads(result.stdout)  # JSON alone on standard output
    assert "as report.edited-2.csv" in result.stderr
    assert "kept" not in run("report", week).output  # the same bytes as it writes: no loss
    (week / ".loopkit-written").unlink()  # no record of what loopkit wrote: nothing is taken
    (week / "calibration.toml").write_text("# my notes\n", "utf-8")  # for loopkit's
    result = run("calibrate", week)
    assert result.exit_code == 0, result.output
    assert f"kept {week / 'calibration.toml'} as calibration.edited.toml" in result.output
    assert (week / "calibration.edited.toml").read_text("utf-8") == "# my notes\n"
    assert "kept" not in run("calibrate", week).output


def test_a_score_at_a_decimal_bar_meets_it_in_the_debrief_and_the_report(here: Path) -> None:
    """A hire bar of 2.7 and cards that make the loop exactly 27/10: the debrief said "below"
    (the float nearest 2.7 is a little more), and report, working it out again from the
    rounded score, said "meets"."""
    assert run("new", "bar", "--from", "ai-engineer").exit_code == 0
    loop = here / "loops" / "bar.toml"
    loop.write_text(loop.read_text("utf-8").replace("hire_bar = 3.0", "hire_bar = 2.7"), "utf-8")
    people = [
        "llm-coding=Sam Lee", "llm-system-design=Ana Souza",
        "past-llm-feature-deep-dive=Priya Raman", "prompt-engineering-exercise=Kim Yu",
    ]  # fmt: skip
    given = [a for p in people for a in ("--interviewer", p)]
    result = run("packet", loop, "--candidate", "Ada Lovelace", "--date", "2026-12-07",
                 "--tz", "UTC", "-o", here / "out", *given)  # fmt: skip
    assert result.exit_code == 0, result.output
    (packet,) = (here / "out").glob("*-bar")
    by_interview = {  # the ratings of each card, in the order its competencies come
        "llm-coding": [1, 1, 1, 1],
        "llm-system-design": [1, 1, 2, 4],
        "past-llm-feature-deep-dive": [4, 4, 4, 4, 4],
        "prompt-engineering-exercise": [4, 4, 4],
    }
    for card in (packet / "scorecards").glob("*.toml"):
        ratings_part = card.read_text("utf-8").split("[ratings]")[1]
        keys = re.findall(r"(?m)^([a-z][a-z0-9-]*) = 0 ", ratings_part)
        ratings = by_interview[card.name.split("--")[0]]
        fill(card, 3, dict(zip(keys, ratings, strict=True)))
    result = run("debrief", packet, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["score"], data["meets_bar"]) == (2.7, True)
    report = json.loads(run("report", here / "out", "--format", "json").stdout)
    (row,) = report["candidates"]
    assert (row["score"], row["meets_bar"]) == (2.7, True)


def test_a_report_that_cannot_be_written_copies_nothing(week: Path) -> None:
    """A folder where report.pdf goes: each refused run still made a new report.edited-N.csv
    of the annotated report.csv; a folder where the record goes was found after the reports
    were written, and the command failed."""
    assert run("report", week).exit_code == 0
    (week / "report.csv").write_text("my notes\n", "utf-8")
    (week / "report.pdf").unlink()
    (week / "report.pdf").mkdir()
    for _ in range(2):
        result = run("report", week)
        assert result.exit_code == 1
        assert "report.pdf: a folder is in its place" in result.output
    assert not list(week.glob("*.edited*"))
    (week / "report.pdf").rmdir()
    (week / ".loopkit-written").unlink()
    (week / ".loopkit-written").mkdir()
    result = run("report", week)
    assert result.exit_code == 1
    assert ".loopkit-written: a folder is in its place" in result.output
    assert (week / "report.csv").read_text("utf-8") == "my notes\n"
    assert not (week / "report.pdf").exists()

"""``loopkit status``: a folder of packets at a glance, and who still owes a scorecard."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from loopkit import _status
from loopkit._cache import open_cache
from tests.helpers import FILLS, PANEL, built_once, copied, fill, run

NOW = "2026-12-04T12:00:00-05:00"  # noon in New York, the day after the loops
ADA = "2026-12-03-ada-lovelace-ai-engineer"
ALAN = "2026-12-03-alan-turing-ai-engineer"


def _packet(here: Path, candidate: str, *extra: str) -> None:
    result = run(
        "packet", "ai-engineer", "--candidate", candidate, "--date", "2026-12-03",
        "--tz", "America/New_York", "--panel", here / "panel.toml", "-o", here / "out", *extra,
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def built_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The week, built once for the module (two seconds each time); every test gets a copy."""
    return built_once(tmp_path_factory, _build_week)


@pytest.fixture
def week(here: Path, built_week: Path) -> Path:
    return copied(built_week, here) / "out"


def _build_week(here: Path) -> Path:
    """Two packets, a stale debrief, scorecards half in, and three folders to skip."""
    (here / "panel.toml").write_text(PANEL, "utf-8")
    out = here / "out"
    _packet(here, "Ada Lovelace")
    for stem, (recommendation, ratings) in FILLS.items():
        fill(out / ADA / "scorecards" / f"{stem}.toml", recommendation, ratings)
    assert run("debrief", out / ADA).exit_code == 0
    ada_debrief = (out / ADA / "debrief.toml").read_bytes()
    _packet(here, "Ada Lovelace", "--start", "10:00")  # a revision after the debrief
    _packet(here, "Alan Turing")
    cards = out / ALAN / "scorecards"
    for stem in ("llm-coding--sam-lee", "past-llm-feature-deep-dive--priya-raman"):
        fill(cards / f"{stem}.toml", *FILLS[stem])
    kim = cards / "prompt-engineering-exercise--kim-yu.toml"  # being written: not an error
    kim.write_text(kim.read_text("utf-8").replace("recommendation = 0", "recommendation = 2"))
    (cards / "stray.toml").write_bytes(b"recommendation = \xff\n")  # not UTF-8: named, counted
    (out / "notes").mkdir()
    (out / "report.csv").write_text("a file, not a folder\n")
    shutil.copytree(out / ALAN, out / "zz-broken")
    lock = out / "zz-broken" / "loop.lock.toml"
    lock.write_text(lock.read_text("utf-8").replace('candidate = "Alan Turing"', 'candidate = "A"'))
    shutil.copytree(out / ALAN, out / "zz-foreign")
    (out / "zz-foreign" / "debrief.toml").write_bytes(ada_debrief)
    return out


EXPECTED = """\
packet                               candidate     loop         date        rev  scorecards         debrief
2026-12-03-ada-lovelace-ai-engineer  Ada Lovelace  ai-engineer  2026-12-03  2    5/5                stale
2026-12-03-alan-turing-ai-engineer   Alan Turing   ai-engineer  2026-12-03  1    2/5 (2 not ready)  none
skipped notes/: no loop.lock.toml: not a packet folder
skipped zz-broken/: out/zz-broken/loop.lock.toml:2: hash: was changed after the packet was written (its hash no longer matches) (put the lock back as loopkit wrote it (from a copy, or git); to start over, move the packet folder aside and build the packet again)
skipped zz-foreign/: out/zz-foreign/debrief.toml: is the debrief of packet 'ada-lovelace-ai-engineer', not 'alan-turing-ai-engineer' (move it back to its own packet, and run loopkit debrief here)
2026-12-03-alan-turing-ai-engineer/scorecards/stray.toml:1: is not UTF-8 text (byte 17) [LK131]
2026-12-03-ada-lovelace-ai-engineer: debrief stale: revision 2 moved it to superseded/r1/; run loopkit debrief again

owed: 3 scorecards in the packets read (2 packets skipped, above)
  interviewer  e-mail          interview                    candidate    ended
  Ana Souza                    LLM system design            Alan Turing  24 h ago
  Jo Park      jo@example.com  Past LLM feature deep-dive   Alan Turing  23 h ago
  Kim Yu                       Prompt engineering exercise  Alan Turing  22 h ago
"""


def test_status_lists_every_packet_and_who_owes_a_scorecard(week: Path) -> None:
    result = run("status", week, "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED


def test_a_folder_of_unreadable_packets_is_not_called_empty(week: Path) -> None:
    """With every readable packet moved out, status said "no packets here" above the
    broken packets it had skipped."""
    for folder in (ADA, ALAN, "notes"):
        shutil.rmtree(week / folder)
    lines = run("status", week, "--now", NOW).output.splitlines()
    assert lines[0] == "no packet here could be read (2 packets skipped, below)"
    assert [x.split("/")[0] for x in lines[1:3]] == ["skipped zz-broken", "skipped zz-foreign"]
    assert lines[3:] == ["", "owed: not known (no packet could be read)"]  # not "0"
    assert run("status", week, "--now", NOW, "--owed").output == (
        "who owes a scorecard is not known: no packet could be read (loopkit status says why)\n"
    )
    shutil.rmtree(week / "zz-broken")
    shutil.rmtree(week / "zz-foreign")
    assert run("status", week, "--now", NOW).output.splitlines()[0] == "no packets here"


def test_a_value_written_wrong_is_named_and_one_not_yet_written_is_not(week: Path) -> None:
    """A card with every value written, one of them wrong, is a mistake to name, not a card
    being filled in: its interviewer is told what to mend. A value left at 0 is not named."""
    cards = week / ALAN / "scorecards"
    ana = cards / "llm-system-design--ana-souza.toml"
    fill(ana, *FILLS["llm-system-design--ana-souza"])
    ana.write_text(ana.read_text("utf-8").replace("architecture = 3", "archtecture = 3"), "utf-8")
    kim = cards / "prompt-engineering-exercise--kim-yu.toml"  # half filled in, and a date
    kim.write_text(
        kim.read_text("utf-8").replace("iteration = 0", "iteration = 2026-12-03", 1), "utf-8"
    )
    data = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    (packet,) = [p for p in data["packets"] if p["folder"] == ALAN]
    assert (packet["filled"], packet["unchecked"]) == (2, 3)
    problems = [p for p in packet["problems"] if "stray.toml" not in p]
    ana_line = _line_of(ana, "archtecture = 3")
    kim_line = _line_of(kim, "iteration = 2026-12-03")
    assert problems == [
        f"scorecards/llm-system-design--ana-souza.toml:{_line_of(ana, '[ratings]')}: "
        "ratings.architecture: missing rating (is 'archtecture' a misspelling of it?) [LK133]",
        f"scorecards/llm-system-design--ana-souza.toml:{ana_line}: ratings.archtecture: "
        "not a competency of this interview (did you mean 'architecture'?) [LK133]",
        f"scorecards/prompt-engineering-exercise--kim-yu.toml:{kim_line}: ratings.iteration: "
        'must be 1-4 or "no signal", got 2026-12-03 [LK133]',
    ], problems  # Kim's structured-output, still 0, is not named
    # each owed seat says which card to fill in, and what to mend in the one handed in
    owed = {o["name"]: (o["scorecard"], o["problems"]) for o in data["owed"]}
    assert owed["Ana Souza"] == ("scorecards/llm-system-design--ana-souza.toml", problems[:2])
    assert owed["Kim Yu"] == ("scorecards/prompt-engineering-exercise--kim-yu.toml", problems[2:])
    assert owed["Jo Park"] == ("scorecards/past-llm-feature-deep-dive--jo-park.toml", [])
    reminders = run("status", week, "--now", NOW, "--owed").output
    assert f"    to mend: {problems[2]}\n" in reminders
    jo = next(line for line in reminders.splitlines() if line.startswith("  mailto:jo@"))
    body = unquote(jo.split("&body=", 1)[1])
    assert f"({ALAN}/scorecards/past-llm-feature-deep-dive--jo-park.toml)" in body


def test_what_to_mend_follows_a_card_to_its_seat_and_a_pdf_not_yet_ticked_is_not_named(
    week: Path,
) -> None:
    """A card kept under a name of its own is its seat's: its interviewer is told what to
    mend. A rating written false or 0.0 is written wrong, not left at 0; a PDF's radio
    groups not yet ticked are being filled in, as a TOML's zeros are."""
    from tests.test_fillable import fill_pdf

    cards = week / ALAN / "scorecards"
    ana = cards / "llm-system-design--ana-souza.toml"
    fill(ana, *FILLS["llm-system-design--ana-souza"])
    final = cards / "ana_final.toml"  # kept under her own name, as the README allows
    ana.rename(final)
    final.write_text(final.read_text("utf-8").replace("safety = 2", "safety = false"), "utf-8")
    fill_pdf(cards / "prompt-engineering-exercise--kim-yu.pdf", None, {"diagnosis": 2})
    data = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    owed = {o["name"]: o["problems"] for o in data["owed"]}
    said = f"scorecards/ana_final.toml:{_line_of(final, 'safety = false')}: ratings.safety: "
    assert owed["Ana Souza"] == [said + 'must be 1-4 or "no signal", got false [LK133]']
    assert owed["Kim Yu"] == []  # half ticked in the PDF, half left at 0 in the TOML
    to_fill = {o["name"]: o["to_fill"] for o in data["owed"]}
    assert to_fill["Kim Yu"] == [  # her TOML, given a recommendation only, and her PDF
        "scorecards/prompt-engineering-exercise--kim-yu.toml: "
        "ratings.diagnosis, ratings.iteration, ratings.structured-output",
        "scorecards/prompt-engineering-exercise--kim-yu.pdf: "
        "recommendation, rating-iteration, rating-structured-output",
    ]
    assert to_fill["Ana Souza"] == to_fill["Jo Park"] == []  # written wrong; untouched
    reminders = run("status", week, "--now", NOW, "--owed").output
    assert f"    still to fill in: {to_fill['Kim Yu'][0]}\n" in reminders
    (packet,) = [p for p in data["packets"] if p["folder"] == ALAN]
    assert not [p for p in packet["problems"] if "kim-yu" in p], packet["problems"]


def _line_of(file: Path, text: str) -> int:
    lines = file.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(text))


def test_a_debrief_is_current_until_a_revision_or_a_scorecard_comes_after_it(
    week: Path,
) -> None:
    assert run("debrief", week / ADA).exit_code == 0
    assert _states(week) == {ADA: "current", ALAN: "none"}
    cards = week / ALAN / "scorecards"
    kim = cards / "prompt-engineering-exercise--kim-yu.toml"
    kim.write_text(kim.read_text("utf-8").replace("recommendation = 2", "recommendation = 0"))
    fill(kim, *FILLS["prompt-engineering-exercise--kim-yu"])
    (cards / "stray.toml").unlink()  # a debrief refuses a card it cannot read
    assert run("debrief", week / ALAN, "--allow-missing").exit_code == 0
    assert _states(week)[ALAN] == "current"
    fill(cards / "llm-system-design--ana-souza.toml", *FILLS["llm-system-design--ana-souza"])
    assert _states(week)[ALAN] == "stale"  # a scorecard handed in after the debrief
    assert _why(week)[ALAN] == "handed in after it: scorecards/llm-system-design--ana-souza.toml"
    (cards / "llm-coding--sam-lee.toml").unlink()
    assert _why(week)[ALAN] == (
        "handed in after it: scorecards/llm-system-design--ana-souza.toml; "
        "no longer counted: scorecards/llm-coding--sam-lee.toml"
    )
    assert run("debrief", week / ALAN, "--allow-missing").exit_code == 0
    assert _why(week)[ALAN] == ""
    ana = cards / "llm-system-design--ana-souza.toml"
    ana.write_text(ana.read_text("utf-8").replace("safety = 2", "safety = 7"), "utf-8")
    assert _why(week)[ALAN] == (  # a card it counted, now wrong: said so, not just "gone"
        "changed after it and not ready (wrong, or half filled in): "
        "scorecards/llm-system-design--ana-souza.toml"
    )
    (cards / "stray.toml").write_text("recommendation = 3\n", "utf-8")
    assert _why(week)[ALAN].endswith(
        "; handed in after it, not ready (wrong, or half filled in): scorecards/stray.toml"
    )
    _packet(week.parent, "Alan Turing", "--start", "11:00")  # a revision after the debrief
    assert _why(week)[ALAN] == "revision 2 moved it to superseded/r1/"
    _packet(week.parent, "Alan Turing", "--start", "12:00")  # and another, with none between
    assert _why(week)[ALAN] == (
        "revision 2 moved it to superseded/r1/; the packet is at revision 3"
    )


def test_a_revision_folder_named_by_hand_is_no_internal_error(week: Path) -> None:
    """superseded/r² (a digit Python's int() refuses), and a folder named debrief.toml in
    the latest superseded/r10: the hire a debrief recorded in r9 is still the decision."""
    assert run("debrief", week / ADA, "--decision", "hire").exit_code == 0
    _packet(week.parent, "Ada Lovelace", "--start", "11:00")
    moved = week / ADA / "superseded"
    (moved / "r2").rename(moved / "r9")  # the week's Ada is at revision 2: now 3
    (moved / "r10" / "debrief.toml").mkdir(parents=True)
    (moved / "r²").mkdir()
    (moved / "r²" / "debrief.toml").write_text('decision = "no-hire"\n', "utf-8")
    result = run("status", week, "--now", NOW, "--format", "json")
    assert result.exit_code == 0, result.output
    (ada,) = [p for p in json.loads(result.output)["packets"] if p["folder"] == ADA]
    assert (ada["debrief"], ada["why_stale"]) == (
        "stale",
        "revision 11 moved it to superseded/r10/; the packet is at revision 3",
    )
    run("report", week)
    row = next(r for r in csv.DictReader(io.StringIO((week / "report.csv").read_text("utf-8-sig"))))
    assert (row["candidate"], row["decision"]) == ("Ada Lovelace", "hire")


@pytest.mark.parametrize(
    ("revision", "said"),
    [
        ('"1"', "a revision of '1'"),
        ("true", "a revision of true"),
        ("0", "a revision that is no revision's number"),
        ("1" * 4000, "a revision that is no revision's number"),
    ],
)
def test_a_revision_edited_by_hand_in_a_debrief_is_named(
    week: Path, revision: str, said: str
) -> None:
    assert run("debrief", week / ADA).exit_code == 0
    debrief = week / ADA / "debrief.toml"
    text = debrief.read_text("utf-8")
    debrief.write_text(re.sub(r"(?m)^revision = \d+$", f"revision = {revision}", text), "utf-8")
    result = run("status", week, "--now", NOW)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith(f"skipped {ADA}/"))
    assert said in line
    assert len(line) < 300  # never four thousand digits


def _why(out: Path) -> dict[str, str]:
    data = json.loads(run("status", out, "--now", NOW, "--format", "json").output)
    return {p["folder"]: p["why_stale"] for p in data["packets"]}


def _states(out: Path) -> dict[str, str]:
    data = json.loads(run("status", out, "--now", NOW, "--format", "json").output)
    return {p["folder"]: p["debrief"] for p in data["packets"]}


def _owed(out: Path, now: str) -> list[tuple[str, str, int]]:
    data = json.loads(run("status", out, "--now", now, "--format", "json").output)
    return [(o["name"], o["interview"], o["hours"]) for o in data["owed"]]


def test_a_scorecard_is_owed_once_its_interview_has_ended(week: Path) -> None:
    assert _owed(week, "2026-12-03T11:19:59-05:00") == []  # system design ends at 11:20
    assert _owed(week, "2026-12-03T11:20:00-05:00") == [("Ana Souza", "llm-system-design", 0)]
    assert _owed(week, "2026-12-03T17:30:00Z") == [("Ana Souza", "llm-system-design", 1)]
    # without an offset, --now is UTC
    assert _owed(week, "2026-12-03T17:30:00") == _owed(week, "2026-12-03T17:30:00Z")


def test_an_interview_that_ended_within_the_hour_is_said_in_minutes(week: Path) -> None:
    """ "ended 0 h ago" read as if it had not ended yet."""
    for now, said in (("11:20:00", "0 min ago"), ("12:19:59", "59 min ago"), ("12:20", "1 h ago")):
        table = run("status", week, "--now", f"2026-12-03T{now}-05:00").output
        assert f"LLM system design  Alan Turing  {said}" in table
        owed = run("status", week, "--now", f"2026-12-03T{now}-05:00", "--owed").output
        assert f"LLM system design ({next(week.glob('*alan*')).name}): ended {said}" in owed


def test_owed_groups_by_person_with_a_mailto_line(week: Path) -> None:
    result = run("status", week, "--now", NOW, "--owed")
    assert result.exit_code == 0, result.output
    blocks = result.output.strip().split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [
        "Ana Souza: 1 scorecard",
        "Jo Park <jo@example.com>: 1 scorecard",
        "Kim Yu: 1 scorecard",
    ]
    link = blocks[1].splitlines()[-1].strip()
    parts = urlsplit(link)
    assert (parts.scheme, parts.path) == ("mailto", "jo@example.com")
    query = parse_qs(parts.query)
    assert "Alan Turing: Past LLM feature deep-dive" in query["body"][0]
    assert all("mailto:" not in b for b in (blocks[0], blocks[2]))  # no address to write to


def test_json_has_the_same_facts_and_nothing_else_on_standard_output(week: Path) -> None:
    result = run("status", week, "--now", NOW, "--format", "json")
    data = json.loads(result.output)
    assert [(p["folder"], p["filled"], p["expected"], p["revision"]) for p in data["packets"]] == [
        (ADA, 5, 5, 2),
        (ALAN, 2, 5, 1),
    ]
    assert [(o["name"], o["email"], o["hours"]) for o in data["owed"]] == [
        ("Ana Souza", "", 24),
        ("Jo Park", "jo@example.com", 23),
        ("Kim Yu", "", 22),
    ]
    assert [s["folder"] for s in data["skipped"]] == ["notes", "zz-broken", "zz-foreign"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["status", "nowhere"], 1, "nowhere: no such folder"),
        (["status", ".", "--now", "tomorrow"], 2, "--now: not a date and time: 'tomorrow'"),
        # read as its midnight, unsaid: a guess at the hour
        (["status", ".", "--now", "2026-12-04"], 2, "--now: a day with no time: '2026-12-04'"),
        (["status", ".", "--format", "yaml"], 2, "Invalid value for '--format'"),
    ],
)
def test_bad_status_input(here: Path, args: list[str], code: int, message: str) -> None:
    from click.testing import CliRunner

    from loopkit.cli import cli

    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code
    assert message in result.output


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A summary cache of this test's own, empty."""
    monkeypatch.setenv("LOOPKIT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _cached(cache: Path) -> int:
    with sqlite3.connect(cache / "summaries.sqlite") as connection:
        return int(connection.execute("SELECT count(*) FROM summary").fetchone()[0])


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The packets status reads from their files (not from the cache), as they are read."""
    read: list[str] = []
    summarize = _status.summarize

    def counted(path: Path) -> _status.Summary:
        read.append(path.name)
        return summarize(path)

    monkeypatch.setattr(_status, "summarize", counted)
    return read


def test_a_cached_status_is_the_status_read_anew(
    week: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A packet is kept once its files have settled, and read again after any write to one."""
    monkeypatch.setattr(_status, "SETTLED_NS", 50_000_000)
    time.sleep(0.06)
    read = _reads(monkeypatch)
    cold = run("status", week, "--now", NOW, "--format", "json").output
    assert _cached(own_cache) == 2  # the two packets; the folders skipped are not kept
    read.clear()
    assert run("status", week, "--now", NOW, "--format", "json").output == cold
    assert read == ["zz-broken", "zz-foreign"]  # read again each time, to say why they are skipped
    card = week / ALAN / "scorecards" / "llm-system-design--ana-souza.toml"
    fill(card, *FILLS["llm-system-design--ana-souza"])
    read.clear()
    warm = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    assert warm["packets"][1]["filled"] == 3
    assert ALAN in read
    # the same size, and the modification time set back: the change time still tells
    before = card.stat()
    time.sleep(0.06)
    card.write_text(card.read_text("utf-8").replace("recommendation = 3", "recommendation = 9"))
    os.utime(card, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert card.stat().st_size == before.st_size
    data = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    assert data["packets"][1]["filled"] == 2


@pytest.mark.parametrize(
    ("command", "unused"),
    [
        (["status"], ("loopkit._models", "loopkit._debrief", "pydantic_core", "reportlab")),
        (
            ["-q", "calibrate"],
            ("loopkit._models", "loopkit._debrief", "loopkit._actions", "pydantic_core"),
        ),
    ],
)
def test_a_warm_run_starts_without_the_checks_it_does_not_run(
    week: Path, own_cache: Path, command: list[str], unused: tuple[str, ...]
) -> None:
    """With every packet in the cache, status and calibrate import none of the card checks
    (they cost a warm calibrate of a thousand packets a fifth of its time). A folder
    skipped is read every time, so only packets are left here."""
    for skipped in ("zz-broken", "zz-foreign"):
        shutil.rmtree(week / skipped)
    code = (
        "import sys; from loopkit import _status; _status.SETTLED_NS = 0; "
        "from click.testing import CliRunner; from loopkit.cli import cli; "
        f"r = CliRunner().invoke(cli, {[*command, str(week)]!r}); "
        "assert r.exit_code == 0, r.output; "
        f"print(','.join(m for m in {unused!r} if m in sys.modules))"
    )
    env = {**os.environ, "LOOPKIT_CACHE_DIR": str(own_cache)}
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert cold.returncode == 0, cold.stderr
    assert cold.stdout.strip()  # the first run reads and checks the packets: it needs them
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.strip() == ""


def test_the_script_ends_with_its_output_and_its_cache_whole(week: Path, own_cache: Path) -> None:
    """The script skips the interpreter's last collections at exit (gc.freeze): what it
    printed reaches the pipe whole, and the summaries it kept are in the cache."""
    code = (
        "import sys; from loopkit import _status; _status.SETTLED_NS = 0; "
        "from loopkit.cli import main; "
        f"sys.argv = ['loopkit', 'status', {str(week)!r}, '--now', {NOW!r}, '--format', 'json']; "
        "main()"
    )
    env = {**os.environ, "LOOPKIT_CACHE_DIR": str(own_cache)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == _json(week)
    assert _cached(own_cache) == 2  # Ada's and Alan's packets; the folders skipped are not kept


def test_a_packet_written_a_moment_ago_is_read_but_not_kept(
    week: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a tick of its timestamps a file can change unseen by them: such a packet is
    read every time until it has settled."""
    read = _reads(monkeypatch)
    first = run("status", week, "--now", NOW).output
    assert _cached(own_cache) == 0
    assert run("status", week, "--now", NOW).output == first == EXPECTED
    assert read.count(ADA) == read.count(ALAN) == 2
    monkeypatch.setattr(_status, "SETTLED_NS", 0)
    run("status", week, "--now", NOW)
    assert _cached(own_cache) == 2


def test_a_packet_moved_into_place_of_another_is_read_anew(
    week: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A card replaced by another file (as editors save), even with its size and times."""
    monkeypatch.setattr(_status, "SETTLED_NS", 50_000_000)
    card = week / ALAN / "scorecards" / "llm-coding--sam-lee.toml"
    other = card.with_name("other")
    other.write_text(card.read_text("utf-8").replace("recommendation = 3", "recommendation = 9"))
    shutil.copystat(card, other)
    time.sleep(0.06)
    assert (
        json.loads(run("status", week, "--now", NOW, "--format", "json").output)["packets"][1][
            "filled"
        ]
        == 2
    )
    os.replace(other, card)
    data = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    assert data["packets"][1]["filled"] == 1


def test_a_damaged_or_missing_cache_changes_nothing(
    week: Path, summary_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = run("status", week, "--now", NOW).output
    (summary_cache / "summaries.sqlite").write_bytes(b"not a database" * 100)
    assert run("status", week, "--now", NOW).output == expected
    monkeypatch.setenv("LOOPKIT_CACHE_DIR", "")  # turned off
    assert run("status", week, "--now", NOW).output == expected
    monkeypatch.setenv("LOOPKIT_CACHE_DIR", str(week / "report.csv" / "cannot"))  # not a folder
    assert run("status", week, "--now", NOW).output == expected


def test_a_card_edited_after_the_debrief_makes_it_stale(week: Path) -> None:
    card = week / ADA / "scorecards" / "llm-coding--sam-lee.toml"
    assert run("debrief", week / ADA).exit_code == 0
    assert _states(week)[ADA] == "current"
    card.write_text(
        card.read_text("utf-8").replace("retrieval-quality = 4", "retrieval-quality = 1")
    )
    assert _states(week)[ADA] == "stale"  # same file, other ratings: the report must not use it


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            'retrieval-quality = "Saw retrieval-quality first-hand."',
            'retrieval-quality = "CORRECTION: the retrieval answer was a colleague\'s, not hers."',
        ),
        ('notes = ""', 'notes = "Asked to follow up on the eval harness."'),
        ('interviewer = "Sam Lee"', 'interviewer = "Samuel Lee"'),
    ],
)
def test_a_card_whose_words_changed_after_the_debrief_makes_it_stale(
    week: Path, before: str, after: str
) -> None:
    """debrief.pdf prints each card's evidence, notes and interviewer: the same ratings in
    other words are not the debrief the folder holds."""
    card = week / ADA / "scorecards" / "llm-coding--sam-lee.toml"
    assert run("debrief", week / ADA).exit_code == 0
    assert _states(week)[ADA] == "current"
    text = card.read_text("utf-8")
    assert before in text
    card.write_text(text.replace(before, after, 1), "utf-8")
    assert _states(week)[ADA] == "stale"
    data = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    (ada,) = [p for p in data["packets"] if p["folder"] == ADA]
    assert ada["why_stale"] == "changed after it: scorecards/llm-coding--sam-lee.toml"
    said = f"{ADA}: debrief stale: changed after it: scorecards/llm-coding--sam-lee.toml;"
    assert said in run("status", week, "--now", NOW).output
    # (Samuel Lee is not on the panel: Sam Lee's card is then missing)
    assert run("debrief", week / ADA, "--allow-missing").exit_code == 0
    assert _states(week)[ADA] == "current"


def test_a_debrief_that_kept_no_hash_of_words_is_compared_by_its_ratings(week: Path) -> None:
    """A debrief.toml written before it kept each card's text_hash stays current after an
    upgrade, and still goes stale when a rating changes."""
    assert run("debrief", week / ADA).exit_code == 0
    debrief = week / ADA / "debrief.toml"
    text = debrief.read_text("utf-8")
    assert "text_hash = " in text
    debrief.write_text(re.sub(r'(?m)^text_hash = "sha256:[0-9a-f]{64}"\n', "", text), "utf-8")
    assert "text_hash" not in debrief.read_text("utf-8")
    assert _states(week)[ADA] == "current"
    card = week / ADA / "scorecards" / "llm-coding--sam-lee.toml"
    card.write_text(
        card.read_text("utf-8").replace("retrieval-quality = 4", "retrieval-quality = 1")
    )
    assert _states(week)[ADA] == "stale"


def test_a_card_that_came_after_the_debrief_makes_it_stale_even_when_wrong(week: Path) -> None:
    """A second filled card for a seat, handed in after the debrief: the debrief refuses it,
    so the debrief in the folder is not the packet's; status said current, report scored it."""
    cards = week / ADA / "scorecards"
    assert run("debrief", week / ADA).exit_code == 0
    assert _states(week)[ADA] == "current"
    second = cards / "llm-coding--sam-lee (1).toml"
    second.write_text(
        (cards / "llm-coding--sam-lee.toml")
        .read_text("utf-8")
        .replace('interviewer = "Sam Lee"', 'interviewer = "Samuel Lee"'),
        "utf-8",
    )
    assert run("debrief", week / ADA).exit_code == 1  # a second card for the seat
    assert _states(week)[ADA] == "stale"
    report = run("report", week, "--format", "json")
    (ada,) = [
        c for c in json.loads(report.stdout)["candidates"] if c["candidate"] == "Ada Lovelace"
    ]
    assert ada["score"] is None, ada
    second.unlink()
    assert _states(week)[ADA] == "current"
    started = cards / "new.toml"  # a card being filled in after the debrief
    blank = (cards / "llm-coding--sam-lee.toml").read_text("utf-8")
    started.write_text(blank.replace('interviewer = "Sam Lee"', 'interviewer = ""'), "utf-8")
    assert _states(week)[ADA] == "stale"


def test_a_copy_of_a_packet_is_skipped_not_counted_twice(week: Path) -> None:
    shutil.copytree(week / ALAN, week / f"{ALAN}.bak")
    (week / "0-link").symlink_to(week / ALAN)
    data = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    assert [p["folder"] for p in data["packets"]] == [ADA, ALAN]
    skipped = {s["folder"]: s["reason"] for s in data["skipped"]}
    assert (
        skipped[f"{ALAN}.bak"] == f"the same packet (alan-turing-ai-engineer) as {ALAN}/: a copy?"
    )
    assert "0-link" in skipped
    assert len(data["owed"]) == 3  # Alan's owed scorecards once


def test_status_of_a_packet_folder_says_to_give_its_parent(week: Path) -> None:
    from click.testing import CliRunner

    from loopkit._source import display_path
    from loopkit.cli import cli

    result = CliRunner().invoke(cli, ["status", str(week / ALAN)])
    assert result.exit_code == 1
    said = f"is a packet folder (give the folder that holds the packets: {display_path(week)})"
    assert said in result.output, result.output
    # a folder in one: it said "no packets here" and "owed: 0 scorecards", and exited 0
    (week / ALAN / "notes").mkdir()
    for command in ("status", "report", "calibrate"):
        for inside in ("scorecards", "notes", "notes/../scorecards"):
            result = CliRunner().invoke(cli, [command, str(week / ALAN / inside)])
            assert result.exit_code == 1, result.output
            assert (
                f"is inside the packet folder {display_path(week / ALAN)} (give the folder "
                f"that holds the packets: {display_path(week)})"
            ) in result.output, result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_or_a_device_in_a_packet_is_named_never_waited_on(week: Path) -> None:
    """A card that is a named pipe, one linked to /dev/zero, a debrief that is a pipe."""
    cards = week / ADA / "scorecards"
    for kind, device in (("toml", "/dev/zero"), ("pdf", "/dev/null")):
        os.mkfifo(cards / f"pipe.{kind}")
        (cards / f"zero.{kind}").symlink_to(device)
    os.mkfifo(week / ALAN / "debrief.toml")
    for cache in ("on", ""):  # the cache's key looks at the files too
        env = {**os.environ, "LOOPKIT_CACHE_DIR": str(week.parent / "cache") if cache else ""}
        result = subprocess.run(
            [sys.executable, "-m", "loopkit", "status", str(week), "--now", NOW],
            capture_output=True, text=True, timeout=120, env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        for name in ("zero.toml", "zero.pdf"):
            assert f"{ADA}/scorecards/{name}: is not a regular file" in result.stdout
        for name in ("pipe.toml", "pipe.pdf"):
            assert f"{ADA}/scorecards/{name}: is a pipe, not a file" in result.stdout
        assert f"skipped {ALAN}/: out/{ALAN}/debrief.toml: is a pipe, not a file" in result.stdout
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("damage", ["file", "gone"])
def test_a_scorecards_folder_gone_or_made_a_file_is_named(week: Path, damage: str) -> None:
    """Status said 0 of 5 with no problem and reminded everyone; debrief --allow-missing
    wrote a debrief with every card missing; validate read the lock as a loop."""
    cards = week / ALAN / "scorecards"
    shutil.rmtree(cards)
    if damage == "file":
        cards.write_text("not a folder\n", "utf-8")
    data = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    (alan,) = [p for p in data["packets"] if p["folder"] == ALAN]
    said = "is a file" if damage == "file" else "is missing"
    assert [p for p in alan["problems"] if p.startswith("scorecards/:") and said in p], alan
    assert [o for o in data["owed"] if o["folder"] == ALAN] == []  # who owes is not known
    assert (alan["filled"], alan["unchecked"]) == (0, 0)  # the folder is no card
    debrief = run("debrief", week / ALAN, "--allow-missing")
    assert debrief.exit_code == 1, debrief.output
    assert said in debrief.output
    assert not (week / ALAN / "debrief.toml").exists()
    validate = run("validate", week / ALAN)
    assert validate.exit_code == 1, validate.output
    assert said in validate.output
    assert "LK101" not in validate.output
    assert "LK103" not in validate.output


def test_a_scorecards_folder_that_cannot_be_listed_is_named(week: Path) -> None:
    """scorecards/ as a link to itself: named, never read as a packet with no cards."""
    cards = week / ALAN / "scorecards"
    shutil.rmtree(cards)
    cards.symlink_to(cards)
    result = run("status", week, "--now", NOW)
    assert result.exit_code == 0, result.output
    assert f"{ALAN}/scorecards/: cannot be read: Too many levels of symbolic links" in result.output


def test_a_long_first_read_says_why_it_waits_on_a_terminal(
    week: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """folder_status says how many packets it reads from their files; on a terminal, from
    200 on, status says so on standard error."""
    import io

    import click

    from loopkit import _cli_across

    told: list[int] = []
    monkeypatch.setattr(_status, "SETTLED_NS", 0)
    _status.folder_status(week, datetime.now(UTC), open_cache(), told.append)
    _status.folder_status(week, datetime.now(UTC), open_cache(), told.append)
    assert told == [4, 2]  # then only the two skipped folders, read again to say why

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for count, terminal, said in ((200, True, True), (199, True, False), (5000, False, False)):
        stream = Terminal() if terminal else io.StringIO()
        monkeypatch.setattr(sys, "stderr", stream)
        with click.Context(_cli_across.status):
            _cli_across._reading(count)
        assert ("packets not read before" in stream.getvalue()) is said, count
    assert stream.getvalue() == ""


def test_the_cache_lets_the_oldest_summaries_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every write to a packet stores it under a new key: the cache keeps the newest KEEP."""
    from loopkit import _cache

    monkeypatch.setattr(_cache, "KEEP", 3)
    cache = _cache.SummaryCache(tmp_path)
    for n in range(5):
        cache.put({f"k{n}": json.dumps({"n": n})})
    cache.put({"k2": json.dumps({"n": 2})})  # stored again: now the newest
    assert cache.get([f"k{n}" for n in range(5)]) == {f"k{n}": {"n": n} for n in (2, 3, 4)}
    cache.put({"k5": json.dumps({"n": 5})})
    assert sorted(cache.get([f"k{n}" for n in range(6)])) == ["k2", "k4", "k5"]


def _json(week: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    return data


class TestTheCacheSaysWhatTheFilesSay:
    """Warm runs against a run with the cache off, after changes a stat of the file alone
    would not show."""

    @pytest.fixture(autouse=True)
    def settled(self, own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(_status, "SETTLED_NS", 0)  # every file counts as settled at once

    def test_a_group_joined_is_another_reader(self, week: Path) -> None:
        """A card only a group may read: who reads is part of the key, so a coordinator who
        joins the group is not shown the cached "Permission denied"."""
        since = time.time_ns()
        before = _status.packet_key(week / ADA, since)
        groups = os.getgroups()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "getgroups", lambda: [*groups, 65533])
            _status._reader.cache_clear()
            assert _status.packet_key(week / ADA, since) != before
        _status._reader.cache_clear()
        assert _status.packet_key(week / ADA, since) == before

    @pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="Linux capabilities")
    def test_root_with_fewer_capabilities_is_another_reader(self) -> None:
        """Root with its capabilities dropped cannot read a card mode 000: not the same key."""
        assert "CapEff:" in _status._reader()

    def test_a_link_pointed_at_another_name_of_the_same_file(
        self, week: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A card in scorecards/ that is a link is the card of its own name, wherever it
        points: pointed at a hard link of the file under another name, the debrief stays
        current, warm and cold alike."""
        cards = week / ADA / "scorecards"
        store = week.parent / "store"
        store.mkdir()
        card = cards / "llm-coding--sam-lee.toml"
        shutil.move(card, store / card.name)
        os.link(store / card.name, store / "spare.toml")
        card.symlink_to(store / card.name)
        assert run("debrief", week / ADA).exit_code == 0
        assert _json(week)["packets"][0]["debrief"] == "current"
        card.unlink()
        card.symlink_to(store / "spare.toml")
        warm = _json(week)
        monkeypatch.setenv("LOOPKIT_CACHE_DIR", "")
        assert warm == _json(week)
        assert warm["packets"][0]["debrief"] == "current"

    @pytest.mark.parametrize(
        "damage",
        [
            "data = '{}'",
            """data = '{"cards": [1]}'""",
            """data = replace(data, '"date": "2026-12-03"', '"date": null')""",  # sealed row
            """data = replace(data, '"revision": 2', '"revision": "x"')""",
            "data = CAST(data AS BLOB)",
            "data = 7",
        ],
    )
    def test_a_damaged_entry_is_read_again(self, week: Path, own_cache: Path, damage: str) -> None:
        """A row edited or damaged since loopkit wrote it is never used: its packet is read."""
        cold = _json(week)
        with sqlite3.connect(own_cache / "summaries.sqlite") as connection:
            rows = "SELECT data FROM summary ORDER BY key"
            before = connection.execute(rows).fetchall()
            connection.execute(f"UPDATE summary SET {damage}")
            assert connection.execute(rows).fetchall() != before  # the damage took
        assert _json(week) == cold

    @pytest.mark.parametrize("forged", ["{}", '{"cards": [1]}', '{"id": "x", "interviews": 7}'])
    def test_a_row_forged_with_its_seal_is_read_again(
        self, week: Path, own_cache: Path, forged: str
    ) -> None:
        """A row of another shape, written with its seal worked out again (it made later runs
        end in an internal error), is passed over: its packet is read."""
        cold = _json(week)
        with sqlite3.connect(own_cache / "summaries.sqlite") as connection:
            for (key,) in connection.execute("SELECT key FROM summary").fetchall():
                seal = hashlib.sha256(f"{key}\0{forged}".encode()).hexdigest()
                connection.execute(
                    "UPDATE summary SET data = ? WHERE key = ?", (f"{seal} {forged}", key)
                )
        assert _json(week) == cold

    def test_a_problem_is_named_from_its_packet_wherever_status_runs(
        self, week: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A second card of one seat names the first from the packet, not from the folder the
        first run was started in: the summary is kept for runs from anywhere."""
        cards = week / ALAN / "scorecards"
        shutil.copy(cards / "llm-coding--sam-lee.toml", cards / "sam-again.toml")
        said = (
            "(the first is scorecards/llm-coding--sam-lee.toml)"
            " (keep one file per interviewer and interview) [LK134]"
        )
        assert said in run("status", week, "--now", NOW).output
        monkeypatch.chdir(week / ALAN)
        assert said in run("status", week, "--now", NOW).output

    def test_a_file_name_that_is_not_utf8(self, week: Path) -> None:
        """Kept in the cache, shown with U+FFFD in text and in JSON that stays UTF-8."""
        if sys.platform == "darwin":
            pytest.skip("macOS file systems refuse names that are not UTF-8")
        cards = week / ALAN / "scorecards"
        name = os.fsdecode(b"\xff-sam.toml")
        shutil.copy(cards / "llm-coding--sam-lee.toml", cards / name)
        # a terminal of a UTF-8 desktop, where Python refuses to print a lone surrogate
        env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
        for _ in range(2):  # read, then (in this process) from the cache
            text = subprocess.run(
                [sys.executable, "-m", "loopkit", "status", str(week), "--now", NOW],
                capture_output=True, env=env, check=True,
            )  # fmt: skip
            said = "scorecards/\ufffd-sam.toml: interviewer: a second scorecard from Sam Lee"
            assert said.encode() in text.stdout
            shown = run("status", week, "--now", NOW, "--format", "json").output
            shown.encode("utf-8")  # no lone surrogate: a UTF-8 document
            assert "\ufffd-sam.toml" in shown

    def test_a_packet_folder_name_that_is_not_utf8(self, week: Path) -> None:
        """status, --owed, report (PDF and CSV) and calibrate: U+FFFD for its bytes."""
        if sys.platform == "darwin":
            pytest.skip("macOS file systems refuse names that are not UTF-8")
        odd = os.fsdecode(b"\xfe-alan")
        shutil.copytree(week / ALAN, week / odd, symlinks=True)
        shutil.rmtree(week / ALAN)
        assert run("debrief", week / ADA).exit_code == 0
        env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
        now = ["--now", NOW]
        for args in (["status", *now], ["status", "--owed", *now], ["report"], ["calibrate"]):
            for form in ("text", "json"):
                result = subprocess.run(
                    [sys.executable, "-m", "loopkit", *args, str(week), "--format", form],
                    capture_output=True, env=env,
                )  # fmt: skip
                assert result.returncode == 0, (args, form, result.stderr)
                if args[0] == "status" and form == "text":
                    assert "\ufffd-alan".encode() in result.stdout, args
        assert "\ufffd-alan" in (week / "report.csv").read_text("utf-8")

    def test_a_linked_card_is_named_alike_from_any_folder(
        self, week: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A link in scorecards/ to a card kept elsewhere is named by its own name, whether
        the command runs above the card or not, so a kept summary says what a fresh read says."""
        store = week.parent / "store"
        store.mkdir()
        cards = week / ALAN / "scorecards"
        shutil.copy(cards / "llm-coding--sam-lee.toml", store / "card.toml")
        (cards / "zz-extra.toml").symlink_to(store / "card.toml")
        monkeypatch.setenv("LOOPKIT_CACHE_DIR", "")

        def problems() -> list[str]:  # the cached part: a skipped folder's reason is not kept
            said = run("status", week, "--now", NOW).output.splitlines()
            return [line for line in said if line.startswith(f"{ALAN}/scorecards/")]

        above = problems()  # from the folder that holds store/
        monkeypatch.chdir(week / ALAN)
        assert problems() == above
        assert any(
            p.startswith(f"{ALAN}/scorecards/zz-extra.toml: interviewer: a second") for p in above
        )


class TestLinkedAndOddlyNamedCards:
    def test_validate_and_debrief_name_a_linked_card_by_its_own_name(self, week: Path) -> None:
        """A card in scorecards/ that links to a file kept elsewhere, TOML or PDF filled in a
        viewer, is named by its entry in scorecards/ by validate as by debrief and status,
        not by where it points."""
        from tests.test_fillable import fill_pdf

        store = week.parent / "store"
        store.mkdir()
        cards = week / ALAN / "scorecards"
        stem = "llm-system-design--ana-souza"
        _, ratings = FILLS[stem]
        shutil.move(cards / f"{stem}.pdf", store / "ana.pdf")
        fill_pdf(store / "ana.pdf", None, ratings)  # the recommendation left unticked
        (cards / f"{stem}.pdf").symlink_to(store / "ana.pdf")
        sam = (cards / "llm-coding--sam-lee.toml").read_text("utf-8")
        (store / "card.toml").write_text(
            re.sub(r"(?m)^recommendation = \d", "recommendation = 7", sam)
        )
        (cards / "zz-extra.toml").symlink_to(store / "card.toml")
        shown = f"out/{ALAN}/scorecards"
        for name in (f"{stem}.pdf", "zz-extra.toml"):
            checked = run("validate", cards / name)
            assert checked.exit_code == 1, checked.output
            assert f"{shown}/{name}:" in checked.output
            assert "recommendation" in checked.output
            assert "store/" not in checked.output
        debriefed = run("debrief", week / ALAN, "--allow-missing")
        assert debriefed.exit_code == 1
        assert f"{shown}/{stem}.pdf:" in debriefed.output
        assert f"{shown}/zz-extra.toml:" in debriefed.output
        assert "store/" not in debriefed.output

    def test_a_card_named_in_bytes_that_are_not_utf8_is_debriefed(self, week: Path) -> None:
        """debrief.toml holds UTF-8 (U+FFFD for such bytes), and status still calls it current."""
        if sys.platform == "darwin":
            pytest.skip("macOS file systems refuse names that are not UTF-8")
        cards = week / ADA / "scorecards"
        (cards / "llm-coding--sam-lee.toml").rename(cards / os.fsdecode(b"llm-coding\xe9.toml"))
        result = run("debrief", week / ADA)
        assert result.exit_code == 0, result.output
        files = [
            c["file"]
            for i in tomllib.loads((week / ADA / "debrief.toml").read_text("utf-8"))["interviews"]
            for c in i["scorecards"]
        ]
        assert "llm-coding\ufffd.toml" in files
        assert _json(week)["packets"][0]["debrief"] == "current"

    def test_a_packets_own_linked_card_given_again_is_not_copied(self, week: Path) -> None:
        """--scorecard naming a card the packet already holds (through a link) copies nothing:
        a second file for one seat would stop the next debrief."""
        cards = week / ADA / "scorecards"
        store = week.parent / "store"
        store.mkdir()
        card = cards / "llm-coding--sam-lee.toml"
        shutil.move(card, store / "sam.toml")
        card.symlink_to(store / "sam.toml")
        result = run("debrief", week / ADA, "--scorecard", card)
        assert result.exit_code == 0, result.output
        assert not (cards / "sam.toml").exists()
        assert run("debrief", week / ADA).exit_code == 0
        assert _json(week)["packets"][0]["debrief"] == "current"

    @pytest.mark.parametrize("link", ["aa-extra.toml", "zz-extra.toml"])
    def test_a_link_to_a_card_beside_it_is_that_card(self, week: Path, link: str) -> None:
        """Counted once, under the card's own name, whichever sorts first; the link can go."""
        cards = week / ADA / "scorecards"
        (cards / link).symlink_to("llm-coding--sam-lee.toml")
        assert run("debrief", week / ADA).exit_code == 0
        files = [
            c["file"]
            for i in tomllib.loads((week / ADA / "debrief.toml").read_text("utf-8"))["interviews"]
            for c in i["scorecards"]
        ]
        assert "llm-coding--sam-lee.toml" in files
        assert link not in files
        (cards / link).unlink()
        assert _json(week)["packets"][0]["debrief"] == "current"


@pytest.mark.parametrize("suffix", [".TOML", ".Pdf"])
def test_a_card_named_in_capitals_is_named_never_passed_over(
    week: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """ana.TOML is not read as a card: status names it, debrief stops on it, and once it is
    renamed both count it (the cache's key sees the file under either name)."""
    monkeypatch.setattr(_status, "SETTLED_NS", 0)
    stem = "llm-system-design--ana-souza"
    card = week / ALAN / "scorecards" / f"{stem}{suffix.lower()}"
    if card.suffix == ".pdf":
        from tests.test_fillable import competencies, fill_pdf

        fill_pdf(card, 3, dict.fromkeys(competencies(week / ALAN, stem), 3))
    else:
        fill(card, *FILLS[stem])
    assert json.loads(run("status", week, "--now", NOW, "--format", "json").output)[
        "packets"
    ][1]["filled"] == 3  # fmt: skip
    misnamed = card.rename(card.with_suffix(suffix))
    status = run("status", week, "--now", NOW)
    line = (
        f"{ALAN}/scorecards/{misnamed.name}: is not read as a scorecard: "
        f"loopkit reads names that end in {suffix.lower()} (rename it to {card.name}) [LK131]"
    )
    assert line in status.output.splitlines(), status.output
    debrief = run("debrief", week / ALAN, "--allow-missing")
    assert debrief.exit_code == 1
    assert f"(rename it to {card.name}) [LK131 error]" in debrief.output
    validate = run("validate", week / ALAN)
    assert validate.exit_code == 1
    assert f"{misnamed.name}: is not read as a scorecard" in validate.output
    (misnamed.parent / "notes.TOML").mkdir()  # a folder: no card, not named
    card.write_bytes(misnamed.read_bytes())
    taken = run("debrief", week / ALAN, "--allow-missing")
    assert f"({card.name} is there too: keep one of the two, under that name)" in taken.output
    assert "notes.TOML" not in taken.output
    card.unlink()
    misnamed.rename(card)
    assert "is not read as a scorecard" not in run("status", week, "--now", NOW).output
    data = json.loads(run("status", week, "--now", NOW, "--format", "json").output)
    assert data["packets"][1]["filled"] == 3


def test_a_lock_or_a_debrief_linked_to_nowhere_is_named(week: Path) -> None:
    """A link to itself is a file that cannot be read: not "not a packet folder", not "none"."""
    lock = week / ALAN / "loop.lock.toml"
    lock.unlink()
    lock.symlink_to(lock.name)
    debrief = week / ADA / "debrief.toml"  # Ada's own went to superseded/ with a revision
    debrief.symlink_to(week / "nowhere.toml")
    result = run("status", "out", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert f"skipped {ALAN}/: out/{ALAN}/loop.lock.toml: cannot be read: symlink loop" in (
        result.output
    )
    assert f"skipped {ADA}/: out/nowhere.toml: file not found" in result.output


def test_a_debrief_edited_to_name_a_card_by_a_number_is_stale_and_says_so(week: Path) -> None:
    """Saying what came after a debrief sorted its card names: a number put by hand where a
    name was could not be sorted with them."""
    assert run("debrief", week / ADA).exit_code == 0
    debrief = week / ADA / "debrief.toml"
    text = debrief.read_text("utf-8")
    text = text.replace('file = "llm-coding--sam-lee.toml"', "file = 3", 1)
    text = text.replace('file = "llm-system-design--ana-souza.toml"', 'file = "gone.toml"', 1)
    debrief.write_text(text, "utf-8")
    result = run("status", week, "--now", NOW)
    assert result.exit_code == 0, result.output
    assert _why(week)[ADA] == (
        "handed in after it: scorecards/llm-coding--sam-lee.toml, "
        "scorecards/llm-system-design--ana-souza.toml; "
        "no longer counted: scorecards/3, scorecards/gone.toml"
    )

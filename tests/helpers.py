"""What many test modules share: the CLI in-process, base files to edit, PDF text, filled scorecards.

A plain module, imported as ``tests.helpers``; ``conftest.py`` keeps only fixtures.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from loopkit import load_loop
from loopkit._models import Person
from loopkit._readback import read_lock
from loopkit.cli import cli

Write = Callable[[str, str], Path]  # the ``write`` fixture: a dedented snippet to a path


# The example candidate of most tests: options beside their values.
ADA = ["--candidate", "Ada Lovelace", "--date", "2026-12-03", "--tz", "UTC"]


def built_once(tmp_path_factory: pytest.TempPathFactory, build: Callable[[Path], object]) -> Path:
    """A folder ``build`` fills once for a module, run from inside it as a test's ``here`` is
    (no loops/ of the folder the tests run from); tests take copies with ``copied``."""
    folder = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        build(folder)
    return folder


def copied(built: Path, here: Path) -> Path:
    """A copy of a folder ``built_once`` made, in the test's own folder: its own files."""
    shutil.copytree(built, here, symlinks=True, dirs_exist_ok=True)
    return here


def run(*args: str | Path) -> Result:
    """Invoke the CLI in-process, as a user would type it."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


# --- base files to break ---------------------------------------------------------------------

BASE_LOOP = """\
id = "t"
title = "Test loop"
variant = "other"
length = { min = "2h", max = "3h" }
hire_bar = 3.0

[breaks]
between = "10m"

[[interviews]]
id = "code"
title = "Coding"
kind = "coding"
length = "60m"
weight = 2
scorecard = "llm-applied-coding"

[[interviews]]
id = "dive"
title = "Deep-dive"
kind = "deep-dive"
length = "60m"
weight = 3
scorecard = "past-llm-feature-deep-dive"
"""

CARD = """\
id = "card"
title = "Card"
purpose = "p"
prompts = ["q"]

[[competencies]]
id = "c"
name = "C"
weight = 1
look_for = "l"
anchors = { 1 = "a", 2 = "b", 3 = "c", 4 = "d" }
"""


def loop_with(*replacements: tuple[str, str]) -> str:
    """The base test loop with exact text replacements applied (each must match)."""
    return _edited(BASE_LOOP, replacements)


def card_with(*replacements: tuple[str, str]) -> str:
    """The base test scorecard with exact text replacements applied (each must match)."""
    return _edited(CARD, replacements)


def _edited(text: str, replacements: tuple[tuple[str, str], ...]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# --- reading the PDFs back -------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, whitespace collapsed."""
    return [
        re.sub(r"\s+", " ", page.extract_text() or "").strip() for page in PdfReader(path).pages
    ]


def pdf_text(path: Path) -> str:
    """All of a PDF's text, whitespace collapsed."""
    return " ".join(pdf_pages(path))


# --- what the candidate must never see -------------------------------------------------------


def internal_text(loop_id: str) -> list[str]:
    """Every internal string of a loop: rubric, prompts, briefs, focus, weights, bar, comp."""
    document = load_loop(loop_id)
    loop = document.loop
    found = ["weight", "hire bar", "hire_bar", "scorecard", "rubric", "internal"]
    if loop.comp_band:
        for figure in (loop.comp_band.min, loop.comp_band.max):
            found += [f"{figure:,}", str(figure)]
    for interview in loop.interviews:
        found += [interview.brief, *interview.focus]
    for card in document.scorecards.values():
        found += [card.template.purpose, *card.template.prompts]
        for competency in card.template.competencies:
            found += [competency.name, competency.look_for, *competency.anchors.values()]
    return [s for s in found if s]


def leaked(text: str, internal: Iterable[str]) -> list[str]:
    """The internal strings that show in ``text``, case and spacing ignored.

    A string counts as shown when its start is: its first six words, cut
    at 30 characters, so a reworded ending still counts.
    """
    seen = " ".join(text.lower().split())
    return [s for s in internal if " ".join(s.lower().split()[:6])[:30] in seen]


def calendar_text(folder: Path) -> str:
    """A packet's schedule.ics as a reader sees it: lines unfolded, escapes undone."""
    raw = (folder / "schedule.ics").read_text("utf-8").replace("\r\n ", "")
    return raw.replace("\\n", " ").replace("\\,", ",").replace("\\;", ";")


def candidate_leaks(folder: Path) -> list[str]:
    """Everything internal in what a packet gives the candidate: ``file: text`` for each.

    The itinerary and the calendar carry none of the loop's internal text;
    the itinerary also shows no interviewer's e-mail address and no comp
    figure, not even in thousands ("360" of $360,000). The calendar may
    invite interviewers by address, and its time stamps are full of digits.
    """
    lock, _ = read_lock(folder)
    internal = internal_text(lock.packet.loop)
    private = [Person.parse(p).email for i in lock.interviews for p in i.interviewers]
    band = load_loop(lock.packet.loop).loop.comp_band
    thousands = [str(band.min // 1000), str(band.max // 1000)] if band else []
    itinerary = [*internal, *thousands, *(e for e in private if e)]
    found = [f"itinerary.pdf: {s}" for s in leaked(pdf_text(folder / "itinerary.pdf"), itinerary)]
    found += [f"schedule.ics: {s}" for s in leaked(calendar_text(folder), internal)]
    return found


# --- a packet to debrief ---------------------------------------------------------------------

PANEL = """\
[panel]
llm-coding = ["Sam Lee <sam@example.com>"]
llm-system-design = ["Ana Souza"]
past-llm-feature-deep-dive = ["Priya Raman", "Jo Park <jo@example.com>"]
prompt-engineering-exercise = ["Kim Yu"]
"""
DEBRIEF_FOLDER = "2026-12-03-ada-lovelace-ai-engineer"
Fill = tuple[int, dict[str, int | str]]  # a recommendation and a rating per competency
FILLS: dict[str, Fill] = {
    "llm-coding--sam-lee": (3, {"retrieval-quality": 4, "tool-calling": 3, "code-quality": 3, "testing": "no signal"}),
    "llm-system-design--ana-souza": (3, {"architecture": 3, "evaluation": 3, "latency-cost": 2, "safety": 2}),
    "past-llm-feature-deep-dive--priya-raman": (
        4, {"eval-methodology": 4, "injection-defense": 4, "cost-optimization": 3, "incident-response": 3, "ownership": 4},
    ),
    "past-llm-feature-deep-dive--jo-park": (
        2, {"eval-methodology": 3, "injection-defense": 3, "cost-optimization": 3, "incident-response": 2, "ownership": "no signal"},
    ),
    "prompt-engineering-exercise--kim-yu": (2, {"diagnosis": 2, "iteration": 2, "structured-output": 1}),
}  # fmt: skip  # one scorecard per line: the ratings read as a table
# By hand, from the scorecards' competency weights and the loop's interview weights:
SAM = (4 * 3 + 3 * 2 + 3 * 2) / 7  # testing is "no signal": left out, weights 3+2+2
ANA = (3 * 3 + 3 * 3 + 2 * 2 + 2 * 2) / 10
PRIYA = (4 * 3 + 4 * 2 + 3 * 2 + 3 * 2 + 4 * 1) / 10
JO = (3 * 3 + 3 * 2 + 3 * 2 + 2 * 2) / 9  # ownership is "no signal"
KIM = (2 * 2 + 2 * 2 + 1 * 1) / 5
DEEP = (PRIYA + JO) / 2
LOOP = (2 * SAM + 2 * ANA + 3 * DEEP + 1 * KIM) / 8


def debrief_packet(folder: Path) -> Path:
    """Ada Lovelace's AI-engineer packet with PANEL's five interviewers, every scorecard blank."""
    (folder / "panel.toml").write_text(PANEL, "utf-8")
    result = run(
        "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03",
        "--tz", "America/New_York", "--panel", folder / "panel.toml", "-o", folder / "out",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    return folder / "out" / DEBRIEF_FOLDER


def fill(
    path: Path, recommendation: int, ratings: dict[str, int | str], interviewer: str | None = None
) -> None:
    """Edit only the values of a blank scorecard, as an interviewer would in an editor."""
    text = path.read_text("utf-8")
    text = text.replace("recommendation = 0", f"recommendation = {recommendation}", 1)
    for key, value in ratings.items():
        shown = f'"{value}"' if isinstance(value, str) else str(value)
        text, count = re.subn(rf"(?m)^{re.escape(key)} = 0\b", f"{key} = {shown}", text)
        assert count == 1, key
        text = re.sub(rf'(?m)^{re.escape(key)} = ""$', f'{key} = "Saw {key} first-hand."', text)
    if interviewer is not None:
        text = re.sub(r'(?m)^interviewer = ".*"$', f'interviewer = "{interviewer}"', text)
    path.write_text(text, "utf-8")


def fill_packet(packet: Path, fills: dict[str, Fill] = FILLS) -> Path:
    """Fill each named blank scorecard of a packet (``<stem>`` -> recommendation, ratings)."""
    for stem, (recommendation, ratings) in fills.items():
        fill(packet / "scorecards" / f"{stem}.toml", recommendation, ratings)
    return packet


# --- batches ---

GOOD = """\
candidate,loop,date,start,tz,candidate_tz,email,panel:llm-coding,panel:past-llm-feature-deep-dive
Ada Lovelace,ai-engineer,2026-12-03,09:30,America/New_York,Europe/Berlin,ada@example.com,Sam Lee <sam@example.com>,Priya Raman; Jo Park
Nguyễn Thị Minh Khai,ai-engineer,2026-12-03,13:30,America/New_York,,,Sam Lee <sam@example.com>,
Grace Hopper,ml-engineer,2026-12-04,,UTC,,,,
"""


def complete(folder: Path) -> bool:
    """A packet folder with its lock, calendar, both PDFs and every seat's two files."""
    lock, _ = read_lock(folder)
    seats = [f for i in lock.interviews for f in i.scorecard_files]
    needed = [
        "packet.pdf",
        "itinerary.pdf",
        "schedule.ics",
        *seats,
        *(s.replace(".toml", ".pdf") for s in seats),
    ]
    return all((folder / n).is_file() for n in needed) and "Interview packet" in pdf_text(
        folder / "packet.pdf"
    )

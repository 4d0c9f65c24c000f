"""The renderer's building blocks: font runs and paragraphs that keep their line breaks."""

from __future__ import annotations

import itertools
import re
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_
from reportlab.graphics.shapes import String
from reportlab.pdfbase.pdfmetrics import stringWidth

from loopkit import LoopkitError
from loopkit._load import load_loop_file
from loopkit._packet import build_packet
from loopkit._schedule import plan_loop
from loopkit.render import styles as st
from loopkit.render.fonts import BASE, markup, runs
from loopkit.render.layout import Para, at_hyphens, clip, reflowed, run_width
from loopkit.render.packet import timeline
from tests.helpers import pdf_pages, pdf_text, run


class TestRuns:
    def test_text_the_base_font_covers_is_one_run(self) -> None:
        """Latin, Vietnamese and Greek with line breaks and tabs stay one run in the base font."""
        text = "Nguyễn Thị\tΑθηνά\nsecond line"
        assert list(runs(text)) == [(BASE, text)]

    def test_cjk_switches_font_and_back(self) -> None:
        """Han characters get a CJK font's run between base-font runs."""
        fonts = [font for font, _ in runs("Ada 山田 Lovelace")]
        assert fonts[::2] == [BASE, BASE]
        assert len(fonts) == 3
        assert fonts[1] != BASE
        assert "".join(chunk for _, chunk in runs("Ada 山田 Lovelace")) == "Ada 山田 Lovelace"

    def test_empty_text_has_no_runs(self) -> None:
        """Nothing to draw gives nothing, not an empty run."""
        assert list(runs("")) == []

    def test_an_uncovered_character_is_refused_by_name(self) -> None:
        """An emoji is named in the error instead of printing as nothing."""
        with pytest.raises(LoopkitError, match="U\\+1F600"):
            list(runs("Ada \U0001f600", "candidate's name"))


class TestPara:
    def test_lines_are_broken_once_per_width(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Wrapping again at the same width reuses the line breaks; a new width breaks again."""
        calls: list[float] = []
        original = Para.breakLines

        def counting(self: Para, widths: list[float]) -> object:
            calls.append(widths[0])
            return original(self, widths)

        monkeypatch.setattr(Para, "breakLines", counting)
        paragraph = Para("word " * 60, st.styles()["body"])
        first = paragraph.wrap(200, 1000)
        assert paragraph.wrap(200, 50) == first
        assert len(calls) == 1
        wider = paragraph.wrap(400, 1000)
        assert len(calls) == 2
        assert wider[1] < first[1]
        assert paragraph.wrap(200, 1000) == first


class TestPageHeader:
    def test_a_long_name_is_cut_to_its_share_of_the_line(self) -> None:
        """clip leaves short text alone and cuts long text, ellipsis included, to the width."""
        assert clip("Ada Lovelace", 200, 8.5) == "Ada Lovelace"
        name = "Maximiliane Alexandra-Wilhelmina von Hohenzollern-Sigmaringen de la Tour d'Auvergne"
        cut = clip(name, 200, 8.5)
        assert cut.endswith("…")
        assert name.startswith(cut[:-1])
        assert run_width(cut, 8.5) <= 200
        assert clip("王小明" * 40, 120, 8.5).endswith("…")

    def test_the_header_shows_the_role_whole_beside_a_long_name(self, tmp_path: Path) -> None:
        """Page 2 of a packet for a very long name: the role is whole, the name cut, no overlap."""
        name = "Maximiliane Alexandra-Wilhelmina von Hohenzollern-Sigmaringen de la Tour d'Auvergne"
        result = run(
            "packet",
            "ai-engineer",
            "--candidate",
            name,
            "--date",
            "2026-12-03",
            "--tz",
            "UTC",
            "-o",
            tmp_path / "out",
        )
        assert result.exit_code == 0, result.output
        (folder,) = (tmp_path / "out").iterdir()
        page = pdf_pages(folder / "packet.pdf")[1]
        # the furniture is drawn last: the header's text ends the page's text
        assert "Interview packet · AI engineer (LLM-applied), senior IC Maximiliane" in page
        assert "Hohenzollern-Si… Internal: not for the candidate" in page


class TestTimeline:
    def test_time_labels_never_overlap_however_short_the_blocks(self, tmp_path: Path) -> None:
        """Thirty 2-minute interviews with no gaps: every time under the band has room of its own."""
        lines = ['id = "t"', 'title = "T"', 'variant = "other"', 'length = { min = "1h", max = "2h" }',
                 "hire_bar = 3.0", "[breaks]", 'between = "0m"']  # fmt: skip  # the loop's head
        for n in range(30):
            kind, weight = ("deep-dive", 3) if n == 0 else ("coding", 1)
            lines += ["[[interviews]]", f'id = "i{n}"', f'title = "Interview {n}"', f'kind = "{kind}"',
                      'length = "2m"', f"weight = {weight}", 'scorecard = "behavioral"']  # fmt: skip  # one interview
        (tmp_path / "loops").mkdir()
        (tmp_path / "loops" / "t.toml").write_text("\n".join(lines) + "\n", "utf-8")
        document, findings = load_loop_file(tmp_path / "loops" / "t.toml")
        assert document is not None, findings
        planned = plan_loop(document, date(2026, 12, 3), time(9, 55), ZoneInfo("UTC"))
        drawing = timeline(build_packet(planned, "Ada"), 480)
        times = sorted(
            (s.x - (stringWidth(s.text, s.fontName, s.fontSize) if s.textAnchor == "end" else 0),
             stringWidth(s.text, s.fontName, s.fontSize))
            for s in drawing.contents
            if isinstance(s, String) and s.y < 22  # the times sit under the band
        )  # fmt: skip  # left edge and width of each time label
        assert len(times) >= 3
        for (left, width), (next_left, _) in itertools.pairwise(times):
            assert left + width <= next_left, times


def test_a_long_zone_name_breaks_after_its_slash_never_inside(tmp_path: Path) -> None:
    """The itinerary and schedule tables head a column with the zone: America/ then Los_Angeles."""
    result = run(
        "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03",
        "--tz", "America/Los_Angeles", "--candidate-tz", "Asia/Shanghai", "-o", tmp_path,
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    (folder,) = tmp_path.iterdir()
    for name in ("itinerary.pdf", "packet.pdf"):
        text = pdf_text(folder / name)
        assert "America/ Los_Angeles" in text, name
        assert "Los_Angele s" not in text, name


@settings(max_examples=200, deadline=None)
@given(st_.text(st_.sampled_from("ab-\u2010 Zé張"), max_size=40), st_.floats(5, 200))
def test_a_name_broken_at_its_hyphens_keeps_every_letter(name: str, width: float) -> None:
    """Only line breaks are added, after hyphens: a leading hyphen was dropped."""
    broken = at_hyphens(name, width)
    text = re.sub(r"<[^>]+>", "", broken.replace("<br/>", "\n"))
    assert text.replace("\n", "") == re.sub(r"<[^>]+>", "", markup(name))
    for line in text.split("\n")[:-1]:
        assert line.endswith(("-", "\u2010")), (name, text)


def test_a_page_for_one_person_says_so_at_its_top_whatever_their_name(tmp_path: Path) -> None:
    """calibration.pdf's header, by the page's section: a long name cut the "private" tag off
    with it, and an interviewer named "The team" had their page read as the team's."""
    from reportlab.platypus import PageBreak

    from loopkit.render.layout import Bookmark, Heading, raw, render_story

    long = "Bartholomew Maximilian Alexander Fitzgerald-Montgomery-Wellington the Third"
    story = [Bookmark("The team"), raw("everyone")]
    for name in ("The team", long):
        story += [PageBreak(), Bookmark(name), raw(f"the page of {name}")]
    heading = Heading(
        "Calibration", "Interviewer calibration", "", "letter",
        section=lambda number, title: (title, "" if number == 0 else " · private"),
    )  # fmt: skip  # as calibration.pdf's
    (tmp_path / "c.pdf").write_bytes(render_story(story, heading, "t"))
    team, named_the_team, long_named = pdf_pages(tmp_path / "c.pdf")
    assert "private" not in team
    assert "The team · private" in named_the_team
    assert "… · private" in long_named
    assert long[:20] in long_named


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Named the\nfailure first.", "Named the failure first."),
        ("a well-\nknown path", "a well-known path"),  # wrapped after a word's hyphen
        ("kept it -\nthen moved on", "kept it - then moved on"),  # a dash between words
        ("ran it over\n3. iterations", "ran it over 3. iterations"),  # no list: a sentence
        ("Steps:\n1. one\n2. two,\n   still two", "Steps:\n1. one\n2. two, still two"),
        ("- evals\n- code\n\n4. four\n5. five", "- evals\n- code\n\n4. four\n5. five"),
        (  # a list under a colon, and numbers in its wrapped lines that are no items
            "Her steps were:\n1. Built a set of\n3. iterations\n2. Measured over\n10. percent",
            "Her steps were:\n1. Built a set of 3. iterations\n2. Measured over 10. percent",
        ),
        (
            "We ran the trial for\n1. week and saw\n10. percent less",
            "We ran the trial for 1. week and saw 10. percent less",
        ),
        ("one\n\n\ntwo", "one\n\n\ntwo"),
    ],
)
def test_text_an_editor_wrapped_is_joined_as_it_was_meant(typed: str, printed: str) -> None:
    """Evidence hard-wrapped in an editor: "well-" / "known" was joined with a space, and a
    line wrapped before "3. " started a list of its own."""
    assert reflowed(typed) == printed

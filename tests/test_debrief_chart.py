"""The debrief's chart: a bar and a label for every score, none of them on the hire bar."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from loopkit._actions import debrief_packet as read_debrief
from loopkit._debrief import Debrief
from loopkit.render.debrief import chart
from loopkit.render.layout import page_width
from tests.helpers import Fill, debrief_packet, fill_packet, run

# Interview scores 1.00, 3.00, 3.12 (the mean of 3.00 and 3.25) and 4.00 against a bar of 3.
SCORES = {"LLM-applied coding": "1.00", "LLM system design": "3.00"}
SCORES |= {"Past LLM feature deep-dive": "3.12", "Prompt engineering exercise": "4.00"}
EDGES: dict[str, Fill] = {
    "llm-coding--sam-lee": (1, {"retrieval-quality": 1, "tool-calling": 1, "code-quality": 1, "testing": 1}),
    "llm-system-design--ana-souza": (3, {"architecture": 3, "evaluation": 3, "latency-cost": 3, "safety": 3}),
    "past-llm-feature-deep-dive--priya-raman": (
        3, {"eval-methodology": 3, "injection-defense": 3, "cost-optimization": 3, "incident-response": 3, "ownership": 3},
    ),
    "past-llm-feature-deep-dive--jo-park": (  # (3*3 + 4*2 + 3*2 + 3*1) / 8 = 3.25
        3, {"eval-methodology": 3, "injection-defense": 4, "cost-optimization": 3, "incident-response": "no signal", "ownership": 3},
    ),
    "prompt-engineering-exercise--kim-yu": (4, {"diagnosis": 4, "iteration": 4, "structured-output": 4}),
}  # fmt: skip  # one scorecard per line: the ratings read as a table

Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A packet debriefed with scores at the scale's foot, on the bar, just over it and at the top."""
    packet = fill_packet(debrief_packet(tmp_path_factory.mktemp("chart")), EDGES)
    result = run("debrief", packet)
    assert result.exit_code == 0, result.output
    return packet


@pytest.fixture(scope="module")
def drawing(edges: Path) -> tuple[Drawing, Debrief]:
    debrief = read_debrief(edges)
    return chart(debrief, page_width(debrief.paper)), debrief


def text_box(shape: String) -> Box:
    """Where a string's ink lies: its width, and descender to cap height."""
    width = stringWidth(shape.text, shape.fontName, shape.fontSize)
    left = {"start": shape.x, "middle": shape.x - width / 2, "end": shape.x - width}
    x = left[shape.textAnchor]
    return (x, shape.y - 0.22 * shape.fontSize, x + width, shape.y + 0.72 * shape.fontSize)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class TestChart:
    def test_every_score_is_drawn_in_the_chart(self, edges: Path) -> None:
        """Each interview's score is printed between the heading and the caption, 1.00 included."""
        page = PdfReader(edges / "debrief.pdf").pages[0]
        placed: dict[str, float] = {}

        def seen(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            placed.setdefault(text.strip(), cm[5] + tm[5])

        page.extract_text(visitor_text=seen)
        top = placed["Loop score 2.67 is below the hire bar of 3.00"]
        foot = min(y for text, y in placed.items() if text.startswith("Bars: interview scores"))
        for title, score in SCORES.items():
            assert foot < placed[score] < top, score
            assert foot < placed[title] < placed[score] - 10, title  # over the axis, not on it
        assert foot < placed["hire bar 3"] < top

    def test_every_interview_has_a_bar_that_shows(self, drawing: tuple[Drawing, Debrief]) -> None:
        """A bar per interview, the 1.00 one included, at least a quarter of the tallest."""
        shapes, _ = drawing
        bars = [s for s in shapes.contents if isinstance(s, Rect)]
        assert len(bars) == 4
        heights = sorted(b.height for b in bars)
        assert heights[0] >= heights[-1] / 4 - 0.01
        assert heights[0] > 20

    def test_labels_touch_neither_the_hire_bar_nor_each_other(
        self, drawing: tuple[Drawing, Debrief]
    ) -> None:
        """No score label crosses the dashed line or its label; that label sits on no bar."""
        shapes, _ = drawing
        strings = [s for s in shapes.contents if isinstance(s, String)]
        labels = [text_box(s) for s in strings if s.text in SCORES.values()]
        assert sorted(s.text for s in strings if s.text in SCORES.values()) == sorted(
            SCORES.values()
        )
        (line,) = [s for s in shapes.contents if isinstance(s, Line) and s.strokeDashArray]
        band = (line.x1, line.y1 - line.strokeWidth / 2, line.x2, line.y1 + line.strokeWidth / 2)
        (bar_label,) = [text_box(s) for s in strings if s.text == "hire bar 3"]
        bars = [(b.x, b.y, b.x + b.width, b.y + b.height) for b in shapes.contents if isinstance(b, Rect)]  # fmt: skip
        for box in labels:
            assert not overlaps(box, band)
            assert not overlaps(box, bar_label)
            assert sum(overlaps(box, other) for other in labels) == 1  # itself
        assert not any(overlaps(bar_label, bar) for bar in bars)
        assert not overlaps(bar_label, band)

    def test_a_label_inside_its_bar_is_white_and_one_outside_is_ink(
        self, drawing: tuple[Drawing, Debrief]
    ) -> None:
        """Each score label can be read: white only where it lies on its bar."""
        shapes, _ = drawing
        bars = [(b.x, b.y, b.x + b.width, b.y + b.height) for b in shapes.contents if isinstance(b, Rect)]  # fmt: skip
        for shape in shapes.contents:
            if isinstance(shape, String) and shape.text in SCORES.values():
                box = text_box(shape)
                on_bar = any(
                    b[0] <= box[0] and box[2] <= b[2] and b[1] <= box[1] and box[3] <= b[3]
                    for b in bars
                )
                assert (shape.fillColor.hexval() == "0xffffff") == on_bar, shape.text


def scores_of(debrief: Debrief, spread: list[list[float]], bar: float) -> Debrief:
    """The debrief with interviews scored as ``spread`` says (one list of card scores each)."""
    template = debrief.interviews[0]
    card = template.cards[0]
    interviews = tuple(
        dataclasses.replace(
            template,
            id=f"i{n}",
            title=f"Interview {n}",
            cards=tuple(dataclasses.replace(card, score=s) for s in scores),
        )
        for n, scores in enumerate(spread)
    )
    return dataclasses.replace(debrief, interviews=interviews, hire_bar=bar)


class TestAnyScores:
    @settings(max_examples=150, deadline=None)
    @given(
        spread=st.lists(
            st.lists(st.floats(1, 4).map(lambda s: round(s * 8) / 8), min_size=1, max_size=3),
            min_size=1,
            max_size=8,
        ),
        bar=st.sampled_from([1.0, 2.5, 3.0, 3.2, 3.5, 4.0]),
    )
    def test_no_label_touches_the_line_whatever_the_scores(
        self, drawing: tuple[Drawing, Debrief], spread: list[list[float]], bar: float
    ) -> None:
        """Any number of interviews and scores: every bar shows, no label is on the hire bar."""
        _, debrief = drawing
        shapes = chart(scores_of(debrief, spread, bar), page_width(debrief.paper))
        bars = [s for s in shapes.contents if isinstance(s, Rect)]
        assert len(bars) == len(spread)
        assert min(b.height for b in bars) > 20
        (line,) = [s for s in shapes.contents if isinstance(s, Line) and s.strokeDashArray]
        band = (line.x1, line.y1 - line.strokeWidth / 2, line.x2, line.y1 + line.strokeWidth / 2)
        strings = [s for s in shapes.contents if isinstance(s, String)]
        (bar_label,) = [text_box(s) for s in strings if s.text.startswith("hire bar")]
        labels = [text_box(s) for s in strings if s.fontSize == 8]
        assert len(labels) == len(spread)
        assert shapes.height >= max(box[3] for box in labels)
        for box in labels:
            assert not overlaps(box, band)
            assert not overlaps(box, bar_label)
        for box, rect in zip(labels, bars, strict=True):  # each label with its own bar
            top = rect.y + rect.height
            assert rect.x <= box[0]
            assert box[2] <= rect.x + rect.width
            assert rect.y <= box[1]
            assert box[1] <= top + 4

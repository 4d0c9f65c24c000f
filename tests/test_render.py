"""The renderer's building blocks: font runs and paragraphs that keep their line breaks."""

from __future__ import annotations

import pytest

from loopkit import LoopkitError
from loopkit.render import styles as st
from loopkit.render.fonts import BASE, runs
from loopkit.render.layout import Para


class TestRuns:
    def test_text_the_base_font_covers_is_one_run(self) -> None:
        """Latin, Vietnamese and Greek with line breaks and tabs stay one run in the base font."""
        text = "Nguyễn Thị\tΑθηνά\nsecond line"
        assert list(runs(text)) == [(BASE, text)]

    def test_cjk_switches_font_and_back(self) -> None:
        """Han characters get a CID font run between base-font runs."""
        assert [font for font, _ in runs("Ada 山田 Lovelace")] == [
            BASE,
            "STSong-Light",
            BASE,
        ]
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

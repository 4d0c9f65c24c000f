"""The candidate's day: times past midnight marked +1, and days a coordinator may not mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import pdf_pages, pdf_text, run

# 06:00 in Los Angeles is 23:00 in Tokyo: the candidate's day crosses midnight after one block.
LATE = [
    "--date",
    "2026-12-03",
    "--tz",
    "America/Los_Angeles",
    "--start",
    "06:00",
    "--candidate-tz",
    "Asia/Tokyo",
]


def _rows(output: str) -> list[str]:
    return [line for line in output.splitlines() if line[:2].isdigit()]


@pytest.fixture(scope="module")
def late_packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("late")
    result = run("packet", "ai-engineer", "--candidate", "Ada Lovelace", *LATE, "-o", out)
    assert result.exit_code == 0, result.output
    return out / "2026-12-03-ada-lovelace-ai-engineer"


class TestNextDayMarks:
    def test_plan_marks_the_times_after_the_candidates_midnight(self) -> None:
        """Tokyo's column says +1 from 00:00 on; Los Angeles's, all one day, says nothing."""
        result = run("plan", "ai-engineer", *LATE)
        assert result.exit_code == 0, result.output
        rows = _rows(result.stdout)
        assert rows[0].split()[:4] == ["06:00-06:50", "PST", "23:00-23:50", "JST"]
        assert "23:50-00:00 +1 JST" in rows[1]
        assert "00:00 +1-00:50 +1 JST" in rows[2]
        assert "02:30 +1-03:00 +1 JST" in rows[-1]
        assert all("+1" not in row.split("JST")[0].split("PST")[0] for row in rows)

    def test_a_day_that_starts_on_the_next_date_is_not_marked(self) -> None:
        """16:00 in Los Angeles is 09:00 the next day in Tokyo: the candidate's first day, no +1."""
        result = run(
            "plan",
            "ai-engineer",
            *LATE[:4],
            "--start",
            "16:00",
            "--candidate-tz",
            "Asia/Tokyo",
        )
        assert result.exit_code == 0, result.output
        rows = _rows(result.stdout)
        assert "09:00-09:50 JST" in rows[0]
        assert "+1" not in result.stdout

    def test_the_itinerary_marks_them_too(self, late_packet: Path) -> None:
        """The candidate's own page reads 00:00 +1 where her day passes midnight."""
        text = pdf_text(late_packet / "itinerary.pdf")
        assert "23:00–23:50 JST" in text
        assert "23:50–00:00 +1 JST" in text
        assert "02:30 +1–03:00 +1 JST" in text

    def test_the_packet_schedule_marks_them_too(self, late_packet: Path) -> None:
        """The coordinator's schedule table and cover carry the same marks."""
        pages = pdf_pages(late_packet / "packet.pdf")
        assert "Candidate's time: 23:00–03:00 +1 JST" in pages[0]
        schedule = next(page for page in pages if page.startswith("Schedule"))
        assert "00:50 +1–01:20 +1 JST" in schedule
        assert "06:00–06:50 PST" in schedule

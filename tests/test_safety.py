"""Nothing leaks to the candidate, and nothing is written outside the output folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loopkit import load_loop
from tests.helpers import BASE_LOOP, candidate_leaks, run


@pytest.mark.parametrize("loop_id", ["ai-engineer", "ml-engineer"])
class TestNoLeaks:
    def test_itinerary_and_calendar_carry_nothing_internal(
        self, tmp_path: Path, loop_id: str
    ) -> None:
        """No rubric text, prompt, brief, focus note, weight, bar or comp figure reaches the candidate."""
        first = load_loop(loop_id).loop.interviews[0].id
        result = run(
            "packet", loop_id, "--candidate", "Ada Lovelace", "--date", "2026-12-03", "--tz", "UTC",
            "--interviewer", f"{first}=Sam Lee <sam@example.com>", "-o", tmp_path,
        )  # fmt: skip  # options beside their values
        assert result.exit_code == 0, result.output
        (folder,) = tmp_path.iterdir()
        assert candidate_leaks(folder) == []


class TestLeakCheck:
    def test_the_check_finds_the_coordinators_pages_in_the_candidates_place(
        self, tmp_path: Path
    ) -> None:
        """packet.pdf copied over itinerary.pdf is caught, brief, weights and e-mail: the check can fail."""
        result = run(
            "packet", "ai-engineer", "--candidate", "Ada", "--date", "2026-12-03", "--tz", "UTC",
            "--interviewer", "llm-coding=Sam Lee <sam@example.com>", "-o", tmp_path,
        )  # fmt: skip  # options beside their values
        assert result.exit_code == 0, result.output
        (folder,) = tmp_path.iterdir()
        shutil.copy(folder / "packet.pdf", folder / "itinerary.pdf")
        found = candidate_leaks(folder)
        brief = load_loop("ai-engineer").loop.interviews[0].brief
        for leak in ("weight", "hire bar", "sam@example.com", brief):
            assert f"itinerary.pdf: {leak}" in found, leak
        assert not [f for f in found if f.startswith("schedule.ics")]


HOSTILE = [
    "../../../../tmp/evil",
    "/etc/passwd",
    "..\\..\\windows\\system32",
    "CON",
    "NUL",
    "aux.txt",
    ".",
    "..",
    "a/b/c",
    "~root",
    "$(rm -rf /)",
    "C:\\Users\\x",
]


class TestPathSafety:
    @pytest.mark.parametrize("name", HOSTILE)
    def test_no_candidate_or_interviewer_name_writes_outside_the_output_folder(
        self, tmp_path: Path, name: str
    ) -> None:
        """Every file written lies under -o, in a folder and file names of safe ASCII; a
        name with no letter or digit ("." or "..") is no name, refused with nothing written."""
        out = tmp_path / "deep" / "out"
        result = run(
            "packet", "ai-engineer", "--candidate", name, "--date", "2026-12-03", "--tz", "UTC",
            "--interviewer", f"llm-coding={name}", "-o", out,
        )  # fmt: skip  # options beside their values
        if not any(c.isalnum() for c in name):
            assert result.exit_code == 2, result.output
            assert "a name needs a letter or a digit" in result.output
            assert not [p for p in tmp_path.rglob("*") if p.is_file()]
            return
        assert result.exit_code == 0, result.output
        written = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert written
        for path in written:
            assert out.resolve() in path.resolve().parents
            relative = path.relative_to(out)
            assert all(
                part.isascii() and "\\" not in part and part not in (".", "..")
                for part in relative.parts
            )
        assert not (tmp_path / "tmp").exists()

    @pytest.mark.parametrize("loop_id", ["../evil", "/abs", "a\\b", "CON\x00"])
    def test_a_hostile_loop_id_in_a_file_is_refused(self, here: Path, loop_id: str) -> None:
        """A loop whose id has path characters fails validation; nothing is written."""
        (here / "loops").mkdir()
        (here / "loops" / "t.toml").write_text(
            BASE_LOOP.replace('id = "t"', f'id = "{loop_id.replace(chr(0), "")}"', 1), "utf-8"
        )
        result = run("packet", "loops/t.toml", "--candidate", "Ada", "--tz", "UTC", "-o", "out")
        assert result.exit_code == 1
        assert "id: not a valid id" in result.output
        assert not (here / "out").exists()

    def test_a_nul_byte_in_a_name_is_refused(self, tmp_path: Path) -> None:
        """NUL cannot reach a file name or a PDF."""
        result = run(
            "packet",
            "ai-engineer",
            "--candidate",
            "Ada\x00",
            "--tz",
            "UTC",
            "-o",
            str(tmp_path / "out"),
        )
        assert result.exit_code == 2
        assert "control characters" in result.output

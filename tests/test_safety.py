"""Nothing leaks to the candidate, and nothing is written outside the output folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from loopkit import load_loop
from tests.conftest import run
from tests.pdftext import pdf_text


def secrets_of(loop_id: str) -> list[str]:
    """Every internal string of a built-in loop: rubric, prompts, briefs, focus, weights, bar, comp."""
    document = load_loop(loop_id)
    loop = document.loop
    found = ["weight", "hire bar", "hire_bar", "scorecard", "rubric"]
    if loop.comp_band:
        found += [
            f"{loop.comp_band.min:,}",
            str(loop.comp_band.min),
            f"{loop.comp_band.max:,}",
            str(loop.comp_band.max),
        ]
    for interview in loop.interviews:
        found += [interview.brief, *interview.focus]
    for card in document.scorecards.values():
        found += [card.template.purpose, *card.template.prompts]
        for competency in card.template.competencies:
            found += [competency.name, competency.look_for, *competency.anchors.values()]
    return [s for s in found if s]


@pytest.mark.parametrize("loop_id", ["ai-engineer", "ml-engineer"])
class TestNoLeaks:
    def test_itinerary_and_calendar_carry_nothing_internal(
        self, tmp_path: Path, loop_id: str
    ) -> None:
        """No rubric text, prompt, brief, focus note, weight, bar or comp figure reaches the candidate."""
        result = run("packet", loop_id, "--candidate", "Ada Lovelace", "--date", "2026-12-03", "--tz", "UTC",
                     "--interviewer", f"{load_loop(loop_id).loop.interviews[0].id}=Sam Lee <sam@example.com>",
                     "-o", str(tmp_path))  # fmt: skip
        assert result.exit_code == 0, result.output
        (folder,) = tmp_path.iterdir()
        itinerary = pdf_text(folder / "itinerary.pdf").lower()
        calendar = (
            (folder / "schedule.ics").read_text("utf-8").replace("\r\n ", "").replace("\\n", " ")
        )
        calendar = calendar.replace("\\,", ",").replace("\\;", ";").lower()
        for secret in secrets_of(loop_id):
            probe = " ".join(secret.lower().split()[:6])
            assert probe not in itinerary, secret
            assert probe not in calendar, secret
        assert "sam@example.com" not in itinerary


HOSTILE = ["../../../../tmp/evil", "/etc/passwd", "..\\..\\windows\\system32", "CON", "NUL", "aux.txt", ".", "..",
           "a/b/c", "~root", "$(rm -rf /)", "C:\\Users\\x"]  # fmt: skip


class TestPathSafety:
    @pytest.mark.parametrize("name", HOSTILE)
    def test_no_candidate_or_interviewer_name_writes_outside_the_output_folder(
        self, tmp_path: Path, name: str
    ) -> None:
        """Every file written lies under -o, in a folder and file names of safe ASCII."""
        out = tmp_path / "deep" / "out"
        result = run("packet", "ai-engineer", "--candidate", name, "--date", "2026-12-03", "--tz", "UTC",
                     "--interviewer", f"llm-coding={name}", "-o", str(out))  # fmt: skip
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
        from tests.conftest import BASE_LOOP

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
        assert result.exit_code == 1
        assert "control characters" in result.output

"""Every PDF loopkit writes, as PDF tools see it: fonts, title, language, bookmarks, structure.

pdffonts, pdfinfo (poppler-utils) and qpdf read the files; a test whose
tool is not installed is skipped (.ci/run installs them). The fonts for
Chinese, Japanese and Korean are checked with a TrueType font at hand
(fonts-wqy-zenhei) and with fontconfig out of reach.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import Destination

from loopkit import LoopkitError
from loopkit.cli import cli
from loopkit.render import fonts
from tests.helpers import DEBRIEF_FOLDER, debrief_packet, fill_packet, pdf_text, run

# Looked up once, before any test puts another PATH in place.
TOOLS = {name: shutil.which(name) for name in ("pdffonts", "pdfinfo", "qpdf", "fc-list")}


def tool(name: str) -> str:
    """The path of a command-line tool, or a skip when it is not installed."""
    found = TOOLS[name]
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def font_rows(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type and the emb and sub columns of each font the PDF names."""
    out = subprocess.run(
        [tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["name", "type"], out
    rows = []
    for line in lines[2:]:
        # columns: name, type (words), encoding, emb, sub, uni, object, generation
        words = line.split()
        rows.append({"name": words[0], "type": " ".join(words[1:-6]), "emb": words[-5], "sub": words[-4]})  # fmt: skip
    return rows


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.stdout.splitlines())
    }


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """Every bookmark as (level, title, page number from 1), in order."""
    reader = PdfReader(pdf)
    found: list[tuple[int, str, int]] = []

    def walk(entries: Sequence[Destination | Sequence[Any]], level: int) -> None:
        for entry in entries:
            if isinstance(entry, Destination):
                page = reader.get_destination_page_number(entry)
                assert page is not None, entry.title
                found.append((level, str(entry.title), page + 1))
            else:
                walk(entry, level + 1)

    walk(reader.outline, 0)
    return found


@pytest.fixture(scope="module")
def debriefed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ada Lovelace's packet with five interviewers, filled and debriefed."""
    packet = fill_packet(debrief_packet(tmp_path_factory.mktemp("hygiene")))
    result = run("debrief", packet)
    assert result.exit_code == 0, result.output
    assert packet.name == DEBRIEF_FOLDER
    return packet


def every_pdf(packet: Path) -> list[Path]:
    pdfs = [packet / "packet.pdf", packet / "itinerary.pdf", packet / "debrief.pdf"]
    return pdfs + sorted((packet / "scorecards").glob("*.pdf"))


class TestEveryPdf:
    def test_every_font_is_embedded(self, debriefed: Path) -> None:
        """pdffonts lists only embedded, subset fonts: no Helvetica from reportlab's defaults."""
        for pdf in every_pdf(debriefed):
            rows = font_rows(pdf)
            assert rows, pdf.name
            assert [r for r in rows if r["emb"] != "yes" or r["sub"] != "yes"] == [], pdf.name
            assert not any("Helvetica" in r["name"] for r in rows), pdf.name

    def test_every_pdf_has_a_title_and_a_language(self, debriefed: Path) -> None:
        """pdfinfo shows a title naming the candidate; the catalog says the text is English."""
        for pdf in every_pdf(debriefed):
            assert "Ada Lovelace" in pdf_info(pdf)["Title"], pdf.name
            assert str(PdfReader(pdf).root_object["/Lang"]) == "en", pdf.name

    def test_report_and_calibration_embed_every_font(self, debriefed: Path) -> None:
        """The PDFs made across packets follow the same rules: fonts embedded, qpdf clean."""
        for command, name in (("report", "report.pdf"), ("calibrate", "calibration.pdf")):
            assert run(command, debriefed.parent).exit_code == 0
            pdf = debriefed.parent / name
            rows = font_rows(pdf)
            assert [r for r in rows if r["emb"] != "yes"] == [], name
            assert not any("Helvetica" in r["name"] for r in rows), name
            check = subprocess.run([tool("qpdf"), "--check", str(pdf)], capture_output=True, text=True)  # fmt: skip
            assert check.returncode == 0, check.stdout + check.stderr

    def test_qpdf_finds_nothing_wrong(self, debriefed: Path) -> None:
        """qpdf --check passes on every file, with no warning."""
        for pdf in every_pdf(debriefed):
            check = subprocess.run([tool("qpdf"), "--check", str(pdf)], capture_output=True, text=True)  # fmt: skip
            assert check.returncode == 0, check.stdout + check.stderr
            assert "No syntax or stream encoding errors found" in check.stdout
            assert "WARNING" not in check.stdout + check.stderr


class TestBookmarks:
    def test_the_packet_has_a_bookmark_for_each_section_and_scorecard(
        self, debriefed: Path
    ) -> None:
        """Cover, schedule, each scorecard by interview and interviewer, and the debrief sheet."""
        marks = outline(debriefed / "packet.pdf")
        assert [(level, title) for level, title, _ in marks] == [
            (0, "Cover"),
            (0, "Schedule"),
            (0, "Scorecards"),
            (1, "LLM-applied coding · Sam Lee"),
            (1, "LLM system design · Ana Souza"),
            (1, "Past LLM feature deep-dive · Priya Raman"),
            (1, "Past LLM feature deep-dive · Jo Park"),
            (1, "Prompt engineering exercise · Kim Yu"),
            (0, "Debrief sheet"),
        ]

    def test_each_bookmark_opens_the_page_it_names(self, debriefed: Path) -> None:
        """Every bookmark's page starts with what it names; a scorecard's with that scorecard."""
        reader = PdfReader(debriefed / "packet.pdf")
        pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
        starts = {"Cover": "INTERVIEW PACKET", "Schedule": "Schedule", "Debrief sheet": "DEBRIEF SHEET"}  # fmt: skip
        numbers = [page for _, _, page in outline(debriefed / "packet.pdf")]
        assert numbers == sorted(numbers)
        for _, title, page in outline(debriefed / "packet.pdf"):
            text = pages[page - 1]
            if " · " in title:
                interview, interviewer = title.split(" · ")
                assert f"SCORECARD {interview} Candidate Ada Lovelace Interviewer {interviewer}" in text  # fmt: skip
            elif title in starts:
                assert starts[title] in text, title

    def test_qpdf_reads_the_same_outline(self, debriefed: Path) -> None:
        """qpdf's JSON view of the packet has the nine bookmarks, nested as pypdf reads them."""
        shown = subprocess.run(
            [tool("qpdf"), "--json", "--json-key=outlines", str(debriefed / "packet.pdf")],
            capture_output=True,
            text=True,
            check=True,
        )
        tree = json.loads(shown.stdout)["outlines"]
        assert [node["title"] for node in tree] == ["Cover", "Schedule", "Scorecards", "Debrief sheet"]  # fmt: skip
        assert len(tree[2]["kids"]) == 5

    def test_the_debrief_has_a_bookmark_for_each_section(self, debriefed: Path) -> None:
        """Summary, flags, scores, and each interview's evidence."""
        marks = [(level, title) for level, title, _ in outline(debriefed / "debrief.pdf")]
        assert marks == [
            (0, "Summary"),
            (0, "Flags"),
            (0, "Scores"),
            (0, "Evidence"),
            (1, "LLM-applied coding"),
            (1, "LLM system design"),
            (1, "Past LLM feature deep-dive"),
            (1, "Prompt engineering exercise"),
        ]


# --- Chinese, Japanese and Korean ------------------------------------------------------------

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
CJK_ROWS = "candidate,loop,date\n王小明,ai-engineer,2026-12-03\n山田はなこ,ai-engineer,2026-12-03\n김민준,ai-engineer,2026-12-04\n"  # fmt: skip


@pytest.fixture
def fresh_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No CJK font named, and the font search of this process done anew before and after."""
    monkeypatch.delenv(fonts.CJK_FONT_ENV, raising=False)
    fonts.set_cjk_font(None)
    yield
    monkeypatch.undo()
    fonts.set_cjk_font(None)


@pytest.fixture
def no_fontconfig(fresh_fonts: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fc-list out of reach, as on a machine without fontconfig."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def counted_fontconfig(fresh_fonts: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """fc-list behind a wrapper that leaves a line in a file each time it runs; the file."""
    real = tool("fc-list")
    calls = tmp_path / "fc-list-calls"
    wrapper = tmp_path / "bin" / "fc-list"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho called >> "{calls}"\nexec "{real}" "$@"\n', "utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    return calls


def cjk_packet(tmp_path: Path, name: str = "王小明") -> Path:
    result = run("packet", "ai-engineer", "--candidate", name, "--date", "2026-12-03", "--tz", "UTC", "-o", tmp_path / "out")  # fmt: skip
    assert result.exit_code == 0, result.output
    (folder,) = (tmp_path / "out").iterdir()
    return folder


def a_truetype_cjk_font() -> None:
    """Skip unless fontconfig knows a TrueType font with Chinese (fonts-wqy-zenhei in CI)."""
    listed = subprocess.run(
        [tool("fc-list"), ":lang=zh:fontformat=TrueType", "file"], capture_output=True, text=True
    )
    if not listed.stdout.strip():
        pytest.skip("no TrueType font with Chinese is installed")


class TestCjk:
    def test_a_font_fontconfig_finds_is_embedded_and_subset(
        self, counted_fontconfig: Path, tmp_path: Path
    ) -> None:
        """王小明 is drawn in an embedded subset TrueType font, reads back, and needs no note."""
        a_truetype_cjk_font()
        folder = cjk_packet(tmp_path)
        for pdf in every_pdf(folder)[:2]:
            rows = font_rows(pdf)
            assert [r["type"] for r in rows] == ["TrueType", "TrueType"], rows
            assert all(r["emb"] == r["sub"] == "yes" for r in rows), rows
            assert "王小明" in pdf_text(pdf)
        assert counted_fontconfig.exists()

    def test_with_no_font_the_reader_supplies_them_and_it_is_said_once(
        self, no_fontconfig: None, tmp_path: Path
    ) -> None:
        """Without fontconfig: the CID font, named but not embedded, and one note on stderr."""
        result = run("packet", "ai-engineer", "--candidate", "王小明", "--date", "2026-12-03", "--tz", "UTC", "-o", tmp_path / "out")  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.stderr.count("no TrueType font") == 1, result.stderr
        assert "LOOPKIT_CJK_FONT" in result.stderr
        (folder,) = (tmp_path / "out").iterdir()
        rows = font_rows(folder / "packet.pdf")
        assert {r["name"]: r["emb"] for r in rows if r["type"] != "TrueType"} == {"STSong-Light": "no"}  # fmt: skip
        assert "王小明" in pdf_text(folder / "packet.pdf")

    def test_a_batch_says_it_once_for_every_packet(
        self, no_fontconfig: None, tmp_path: Path
    ) -> None:
        """Three CJK candidates rendered by two workers: still one note."""
        (tmp_path / "rows.csv").write_text(CJK_ROWS, "utf-8")
        result = run("batch", tmp_path / "rows.csv", "-o", tmp_path / "out", "--jobs", "2")
        assert result.exit_code == 0, result.output
        assert result.stderr.count("no TrueType font") == 1, result.stderr
        assert len(list((tmp_path / "out").iterdir())) == 3

    def test_a_packet_without_cjk_says_nothing(self, no_fontconfig: None, tmp_path: Path) -> None:
        """No note where no character needed the reader's fonts."""
        result = run("packet", "ai-engineer", "--candidate", "Nguyễn Thị Minh Khai", "--date", "2026-12-03", "-o", tmp_path / "out")  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "no TrueType font" not in result.stderr

    def test_a_packet_without_cjk_never_asks_fontconfig(
        self, counted_fontconfig: Path, tmp_path: Path
    ) -> None:
        """A Latin packet runs no fc-list (render workers included); a CJK one does."""
        a_truetype_cjk_font()
        cjk_packet(tmp_path / "latin", "Ada Lovelace")
        assert not counted_fontconfig.exists()
        cjk_packet(tmp_path / "han")
        assert counted_fontconfig.exists()

    def test_a_packet_without_cjk_never_reads_the_named_font(
        self, no_fontconfig: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A named font that only starts like TrueType: a Latin packet never reads further."""
        font = tmp_path / "header-only.ttf"
        font.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 64)
        monkeypatch.setenv(fonts.CJK_FONT_ENV, str(font))
        fonts.set_cjk_font(None)
        cjk_packet(tmp_path / "latin", "Ada Lovelace")  # loading it would have failed
        result = run("packet", "ai-engineer", "--candidate", "王小明", "--date", "2026-12-03", "-o", tmp_path / "han")  # fmt: skip
        assert result.exit_code == 1
        assert f"LOOPKIT_CJK_FONT: cannot use the font {font}" in result.stderr

    def test_a_font_named_in_the_environment_is_used_without_fontconfig(
        self, no_fontconfig: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """LOOPKIT_CJK_FONT names the font; no fontconfig is needed, and no note is printed."""
        if not WQY.exists():
            pytest.skip("fonts-wqy-zenhei is not installed")
        monkeypatch.setenv(fonts.CJK_FONT_ENV, str(WQY))
        fonts.set_cjk_font(None)
        result = run("packet", "ai-engineer", "--candidate", "김민준", "--date", "2026-12-03", "-o", tmp_path / "out")  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "no TrueType font" not in result.stderr
        (folder,) = (tmp_path / "out").iterdir()
        rows = font_rows(folder / "packet.pdf")
        assert [r["emb"] for r in rows] == ["yes", "yes"]
        assert "김민준" in pdf_text(folder / "packet.pdf")

    def test_set_cjk_font_names_the_font_from_python(
        self, no_fontconfig: None, tmp_path: Path
    ) -> None:
        """set_cjk_font does what the environment variable does."""
        if not WQY.exists():
            pytest.skip("fonts-wqy-zenhei is not installed")
        fonts.set_cjk_font(WQY)
        assert [font for font, _ in fonts.runs("王")] == ["CJK-wqy-zenhei-0"]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "cannot read the font"),
            (b"OTTO\x00\x0b", "PostScript (CFF) outlines, which cannot be embedded"),
            (b"name = 'not a font'\n", "is not a TrueType font"),
        ],
    )
    def test_a_bad_font_is_refused_by_path(
        self,
        fresh_fonts: None,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        content: bytes | None,
        message: str,
    ) -> None:
        """A missing file, a CFF OpenType font or another file: exit 1, the variable and path named."""
        font = tmp_path / "font.otf"
        if content is not None:
            font.write_bytes(content)
        monkeypatch.setenv(fonts.CJK_FONT_ENV, str(font))
        fonts.set_cjk_font(None)
        result = run("packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03", "-o", tmp_path / "out")  # fmt: skip
        assert result.exit_code == 1
        assert "error: LOOPKIT_CJK_FONT: " in result.stderr
        assert str(font) in result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.output
        assert not (tmp_path / "out").exists()
        with pytest.raises(LoopkitError, match=re.escape(message)):
            fonts.set_cjk_font(font, "cjk_font")

    def test_a_truncated_truetype_font_is_refused_when_first_needed(
        self, no_fontconfig: None, tmp_path: Path
    ) -> None:
        """A file that starts like TrueType but is not one: a clean error naming it, nothing written."""
        font = tmp_path / "broken.ttf"
        font.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 64)
        fonts.set_cjk_font(font)
        result = run("packet", "ai-engineer", "--candidate", "王小明", "--date", "2026-12-03", "-o", tmp_path / "out")  # fmt: skip
        assert result.exit_code == 1, result.output
        assert f"cannot use the font {font}" in result.stderr
        assert not list((tmp_path / "out").glob("*/packet.pdf"))


def test_a_font_named_in_loopkit_toml_is_embedded(
    no_fontconfig: None, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team names its font once, as ``cjk_font`` in loopkit.toml (relative to that file)."""
    if not WQY.exists():
        pytest.skip("fonts-wqy-zenhei is not installed")
    (here / "fonts").mkdir()
    (here / "fonts" / "team.ttc").symlink_to(WQY)
    (here / "loopkit.toml").write_text('cjk_font = "fonts/team.ttc"\n', "utf-8")
    result = run("packet", "ai-engineer", "--candidate", "王小明", "--date", "2026-12-03", "--tz", "UTC")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "no TrueType font" not in result.stderr
    (folder,) = (here / "out").iterdir()
    assert [r["emb"] for r in font_rows(folder / "packet.pdf")] == ["yes", "yes"]
    assert "王小明" in pdf_text(folder / "packet.pdf")


def test_a_bad_font_in_loopkit_toml_is_named(fresh_fonts: None, here: Path) -> None:
    (here / "loopkit.toml").write_text('cjk_font = "fonts/missing.ttf"\n', "utf-8")
    result = CliRunner().invoke(cli, ["packet", "ai-engineer", "--candidate", "王小明"])
    assert result.exit_code == 1
    assert "loopkit.toml:1: cjk_font: cannot read the font" in result.output
    assert not (here / "out").exists()

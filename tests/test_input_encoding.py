"""Input files saved with a byte-order mark and CRLF line ends read exactly as without."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loopkit._data import bundled_dir
from tests.helpers import FILLS, GOOD, PANEL, fill, run

PACKET = "2026-12-03-ada-lovelace-ai-engineer"


def windows(path: Path) -> None:
    """Re-save a text file as Windows Notepad saves it: a UTF-8 byte-order mark and CRLF."""
    text = path.read_bytes().decode("utf-8")
    assert "\r" not in text
    assert not text.startswith("\ufeff")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


def same_files(a: Path, b: Path) -> None:
    """Two folders hold the same files with the same bytes."""
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert len(names) > 3
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def project(root: Path, *, crlf: bool) -> Path:
    """A folder with the ai-engineer loop and its scorecards, optionally saved the Windows way."""
    for kind in ("loops", "scorecards"):
        shutil.copytree(bundled_dir(kind), root / kind)
    if crlf:
        for path in root.rglob("*.toml"):
            windows(path)
    return root


PACKET_ARGS = ("--candidate", "Ada Lovelace", "--date", "2026-12-03", "--tz", "UTC")


class TestLoopFiles:
    def test_a_loop_and_its_scorecard_templates_give_the_same_packet(self, tmp_path: Path) -> None:
        """The packet built from Windows-saved loop and scorecards is byte for byte the same."""
        for name, crlf in (("plain", False), ("windows", True)):
            root = project(tmp_path / name, crlf=crlf)
            result = run(
                "packet",
                str(root / "loops" / "ai-engineer.toml"),
                *PACKET_ARGS,
                "-o",
                str(root / "out"),
            )
            assert result.exit_code == 0, result.output
        same_files(tmp_path / "plain" / "out", tmp_path / "windows" / "out")

    def test_findings_point_at_the_same_lines(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """validate reports the same findings, at the right lines, for either way of saving."""
        outputs = []
        for name, crlf in (("plain", False), ("windows", True)):
            root = project(tmp_path / name, crlf=crlf)
            loop = root / "loops" / "ai-engineer.toml"
            data = loop.read_bytes().replace(b"weight = 3", b"wieght = 3", 1)
            loop.write_bytes(data.replace(b'title = "', b'title = "\xe2\x80\xa8', 1))
            monkeypatch.chdir(root)
            result = run("validate", "loops/ai-engineer.toml")
            assert result.exit_code == 1
            outputs.append(result.output)
        # the line an editor shows: U+2028 in a string does not end a line, as in TOML
        text = (tmp_path / "plain" / "loops" / "ai-engineer.toml").read_text("utf-8")
        line = text[: text.index("wieght")].count("\n") + 1
        assert f"loops/ai-engineer.toml:{line}: interviews[2].wieght: unknown key" in outputs[0]
        assert outputs[0] == outputs[1]

    def test_new_copies_a_windows_loop_as_it_copies_a_plain_one(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """loopkit new from a Windows-saved loop writes the same files as from a plain one."""
        for name, crlf in (("plain", False), ("windows", True)):
            root = project(tmp_path / name, crlf=crlf)
            (root / "new").mkdir()
            monkeypatch.chdir(root / "new")
            result = run("new", "staff-ai", "--from", str(root / "loops" / "ai-engineer.toml"))
            assert result.exit_code == 0, result.output
        same_files(tmp_path / "plain" / "new", tmp_path / "windows" / "new")


class TestPanelFile:
    def test_a_windows_panel_file_gives_the_same_packet(self, tmp_path: Path) -> None:
        """--panel with a BOM and CRLF assigns the same interviewers."""
        for name, crlf in (("plain", False), ("windows", True)):
            (tmp_path / name).mkdir()
            panel = tmp_path / name / "panel.toml"
            panel.write_text(PANEL, "utf-8")
            if crlf:
                windows(panel)
            result = run(
                "packet",
                "ai-engineer",
                *PACKET_ARGS,
                "--panel",
                str(panel),
                "-o",
                str(tmp_path / name / "out"),
            )
            assert result.exit_code == 0, result.output
        same_files(tmp_path / "plain" / "out", tmp_path / "windows" / "out")


@pytest.fixture
def filled_twice(tmp_path: Path) -> tuple[Path, Path]:
    """One filled packet, copied into a plain and a windows folder."""
    (tmp_path / "panel.toml").write_text(PANEL, "utf-8")
    result = run(
        "packet",
        "ai-engineer",
        *PACKET_ARGS,
        "--panel",
        str(tmp_path / "panel.toml"),
        "-o",
        str(tmp_path / "plain"),
    )
    assert result.exit_code == 0, result.output
    plain = tmp_path / "plain" / PACKET
    for stem, (recommendation, ratings) in FILLS.items():
        fill(plain / "scorecards" / f"{stem}.toml", recommendation, dict(ratings))
    card = plain / "scorecards" / "llm-coding--sam-lee.toml"  # evidence over two lines
    text = card.read_text("utf-8").replace(
        '"Saw testing first-hand."', '"""\nWrote tests\nfirst."""'
    )
    card.write_text(text, "utf-8")
    shutil.copytree(plain, tmp_path / "windows" / PACKET)
    return plain, tmp_path / "windows" / PACKET


class TestDebriefFiles:
    def test_windows_filled_scorecards_give_the_same_debrief(
        self, filled_twice: tuple[Path, Path]
    ) -> None:
        """Scorecards saved by Notepad (BOM, CRLF) are read, and score exactly as the plain ones."""
        plain, crlf = filled_twice
        for path in (crlf / "scorecards").glob("*.toml"):
            windows(path)
        for folder in (plain, crlf):
            result = run("debrief", str(folder))
            assert result.exit_code == 0, result.output
        assert (plain / "debrief.toml").read_bytes() == (crlf / "debrief.toml").read_bytes()

    def test_a_windows_lock_file_still_matches_its_hash(
        self, filled_twice: tuple[Path, Path]
    ) -> None:
        """A lock file re-saved with a BOM and CRLF is the same lock, not a changed one."""
        plain, crlf = filled_twice
        windows(crlf / "loop.lock.toml")
        for folder in (plain, crlf):
            result = run("debrief", str(folder))
            assert result.exit_code == 0, result.output
        assert (plain / "debrief.toml").read_bytes() == (crlf / "debrief.toml").read_bytes()

    def test_an_edited_windows_lock_file_is_still_refused(
        self, filled_twice: tuple[Path, Path]
    ) -> None:
        """Reading CRLF as LF does not hide a real change to the lock."""
        _, crlf = filled_twice
        lock = crlf / "loop.lock.toml"
        lock.write_text(lock.read_text("utf-8").replace("hire_bar = 3", "hire_bar = 2"), "utf-8")
        windows(lock)
        result = run("debrief", str(crlf))
        assert result.exit_code == 1
        assert "was changed after the packet was written" in result.output


class TestBatchFile:
    def test_a_windows_csv_gives_the_same_packets(self, tmp_path: Path) -> None:
        """A CSV exported with a BOM and CRLF writes the same packets."""
        for name, crlf in (("plain", False), ("windows", True)):
            (tmp_path / name).mkdir()
            csv_file = tmp_path / name / "c.csv"
            # a quoted cell over two lines, as a spreadsheet writes one
            csv_file.write_text(
                GOOD.replace("Priya Raman; Jo Park", '"Priya Raman;\nJo Park"'), "utf-8"
            )
            if crlf:
                windows(csv_file)
            result = run("batch", str(csv_file), "-o", str(tmp_path / name / "out"), "--jobs", "1")
            assert result.exit_code == 0, result.output
        same_files(tmp_path / "plain" / "out", tmp_path / "windows" / "out")

    def test_a_windows_csv_reports_the_same_lines(self, tmp_path: Path) -> None:
        """Problems in a BOM and CRLF CSV are named at the same lines and columns."""
        text = 'candidate,loop,date\n"Ada\nLovelace",ai-engineer,2026-02-30\nBo,ai-enginer,\n'
        outputs = []
        for name, crlf in (("plain", False), ("windows", True)):
            (tmp_path / name).mkdir()
            csv_file = tmp_path / name / "c.csv"
            csv_file.write_text(text, "utf-8")
            if crlf:
                windows(csv_file)
            result = run("batch", str(csv_file), "-o", str(tmp_path / name / "out"))
            assert result.exit_code == 1
            outputs.append(result.output.replace(str(csv_file), "c.csv"))
        assert "line 3, date: not a date" in outputs[0]
        assert "line 4, loop: no loop named" in outputs[0]
        assert outputs[0] == outputs[1]

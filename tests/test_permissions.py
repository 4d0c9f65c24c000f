"""Files and folders loopkit writes get the permissions the umask gives, as cp gives them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ADA, FILLS, PANEL, fill, run


@pytest.fixture(params=[0o022, 0o027], ids=["umask-022", "umask-027"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    mask: int = request.param
    old = os.umask(mask)
    try:
        yield mask
    finally:
        os.umask(old)


def wrong_modes(paths: list[Path], mask: int) -> list[str]:
    """Every path whose mode is not 0666 (files) or 0777 (folders) less the umask."""
    wrong = []
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        expected = (0o777 if path.is_dir() else 0o666) & ~mask
        if mode != expected:
            wrong.append(f"{path.name}: {mode:o}, not {expected:o}")
    return wrong


def tree(root: Path) -> list[Path]:
    return [root, *sorted(root.rglob("*"))]


pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


class TestUmask:
    def test_a_packet_folder_and_everything_in_it(self, tmp_path: Path, umask: int) -> None:
        """The packet folder, its scorecards folder and every file follow the umask."""
        result = run(
            "packet",
            "ai-engineer",
            *ADA,
            "-o",
            str(tmp_path / "out"),
        )
        assert result.exit_code == 0, result.output
        (folder,) = (tmp_path / "out").iterdir()
        assert len(tree(folder)) > 8
        assert wrong_modes(tree(tmp_path / "out"), umask) == []

    def test_the_debrief_files(self, tmp_path: Path, umask: int) -> None:
        """debrief.pdf and debrief.toml follow the umask."""
        (tmp_path / "panel.toml").write_text(PANEL, "utf-8")
        result = run(
            "packet",
            "ai-engineer",
            *ADA,
            "--panel",
            str(tmp_path / "panel.toml"),
            "-o",
            str(tmp_path / "out"),
        )
        assert result.exit_code == 0, result.output
        (packet,) = (tmp_path / "out").iterdir()
        for stem, (recommendation, ratings) in FILLS.items():
            fill(packet / "scorecards" / f"{stem}.toml", recommendation, dict(ratings))
        result = run("debrief", str(packet))
        assert result.exit_code == 0, result.output
        written = [packet / "debrief.pdf", packet / "debrief.toml"]
        assert wrong_modes(written, umask) == []

    def test_the_schemas(self, here: Path, umask: int) -> None:
        """The schemas folder, every schema file and the record of them follow the umask."""
        assert run("schema", "-o", "schemas").exit_code == 0
        assert len(tree(here / "schemas")) == 6  # the folder, 4 schemas, .loopkit-written
        assert wrong_modes(tree(here / "schemas"), umask) == []

    def test_a_new_loop_and_its_scorecards(self, here: Path, umask: int) -> None:
        """loops/, scorecards/, schemas/, every copied file and .taplo.toml follow the umask."""
        assert run("new", "staff-ai", "--from", "ai-engineer").exit_code == 0
        written = [here / ".taplo.toml"]
        written += tree(here / "loops") + tree(here / "scorecards") + tree(here / "schemas")
        assert len(written) > 4
        assert wrong_modes(written, umask) == []


def test_a_folder_of_packets_that_cannot_be_written_says_why_it_must_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """debrief writes in its packet, and takes its lock beside it: "cannot write to out"
    alone read as a bug to a user who may write the packet."""
    (tmp_path / "panel.toml").write_text(PANEL, "utf-8")
    result = run(
        "packet", "ai-engineer", *ADA, "--panel", tmp_path / "panel.toml", "-o", tmp_path / "out"
    )
    assert result.exit_code == 0, result.output
    (packet,) = (tmp_path / "out").iterdir()
    for stem, (recommendation, ratings) in FILLS.items():
        fill(packet / "scorecards" / f"{stem}.toml", recommendation, ratings)
    opened = Path.open

    def refused(self: Path, *args: object, **kwargs: object) -> object:
        if self.name.endswith(".lock"):  # as for a user who may not write out/ (root may)
            raise PermissionError(13, "Permission denied")
        return opened(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refused)
    result = run("debrief", packet)
    assert result.exit_code == 1, result.output
    assert f"cannot write to {tmp_path / 'out'}: Permission denied" in result.output
    assert ".ada-lovelace-ai-engineer.lock" in result.output
    assert "no other run changes the packet meanwhile" in result.output

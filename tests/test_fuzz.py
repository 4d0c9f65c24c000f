"""Fuzzing every kind of file loopkit reads: each ends in a located error or in success, never a crash.

A valid file of each kind is mutated line by line (lines deleted, cut,
doubled, given another value, replaced by random text, nested deeply); the
command that reads it must exit 0 or 1 with no internal error. The lock is
re-hashed after its mutation, as someone who edits it on purpose would.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from datetime import date
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopkit._batch import read_batch
from loopkit._data import bundled_dir
from loopkit._errors import LoopkitError
from loopkit._records import lock_digest
from loopkit.cli import cli
from tests.helpers import ADA

VALUES = [
    "0",
    "-1",
    '""',
    '"x"',
    "1e400",
    "nan",
    "inf",
    "true",
    "[]",
    "{}",
    '"1h30"',
    '"../x"',
    "9" * 5000,
    '"🙂"',
    '"a\\u0000b"',
    '"\\u200b"',
    "[[[[[[[[1]]]]]]]]",
    "{ a = { b = { c = 1 } } }",
    '"' + "x" * 6000 + '"',
    "2026-12-03",
    '["llm-coding"]',
    "3.5",
]
FUZZ = settings(
    max_examples=int(os.environ.get("LOOPKIT_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few lines deleted, cut, doubled, given another value or replaced."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        n = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "cut", "double", "value", "value", "garbage"]))
        if action == "delete":
            del lines[n]
        elif action == "cut":
            lines[n] = lines[n][: draw(st.integers(0, max(0, len(lines[n]) - 1)))]
        elif action == "double":
            lines.insert(n, lines[n])
        elif action == "value" and "=" in lines[n]:
            lines[n] = lines[n].split("=", 1)[0] + "= " + draw(st.sampled_from(VALUES))
        else:
            lines[n] = draw(st.text(max_size=30))
    return "\n".join(lines) + "\n"


def cli_run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


def assert_clean(result: Result) -> None:
    """Exit 0 or 1, and a message rather than a crash."""
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output, result.output
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One packet with a filled scorecard, built once: the seed for scorecards and locks."""
    out = tmp_path_factory.mktemp("fuzz") / "out"
    result = CliRunner().invoke(
        cli,
        [
            "packet",
            "ai-engineer",
            *ADA,
            "-o",
            str(out),
            "--interviewer",
            "llm-coding=Sam Lee <sam@example.com>",
        ],
    )
    assert result.exit_code == 0, result.output
    folder = out / "2026-12-03-ada-lovelace-ai-engineer"
    card = folder / "scorecards" / "llm-coding--sam-lee.toml"
    text = card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3")
    for competency in ("retrieval-quality", "tool-calling", "code-quality", "testing"):
        text = text.replace(f"{competency} = 0", f"{competency} = 3")
    card.write_text(text, "utf-8")
    return folder


def copy_packet(packet: Path, tmp_path: Path) -> Path:
    target = tmp_path / "p"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(packet, target)
    return target


class TestFuzzing:
    @FUZZ
    @given(data=st.data())
    def test_loops_and_scorecard_templates(self, tmp_path: Path, data: st.DataObject) -> None:
        """A mutated built-in loop with a mutated scorecard beside it: validate and plan never crash."""
        project = tmp_path / "project"
        shutil.rmtree(project, ignore_errors=True)
        (project / "loops").mkdir(parents=True)
        (project / "scorecards").mkdir()
        loop = data.draw(st.sampled_from(sorted(bundled_dir("loops").glob("*.toml"))))
        (project / "loops" / "l.toml").write_text(
            data.draw(mutated(loop.read_text("utf-8"))), "utf-8"
        )
        card = data.draw(st.sampled_from(sorted(bundled_dir("scorecards").glob("*.toml"))))
        (project / "scorecards" / card.name).write_text(
            data.draw(mutated(card.read_text("utf-8"))), "utf-8"
        )
        checked = cli_run("validate", project)
        assert_clean(checked)
        if checked.exit_code == 1:  # every finding names its file
            assert "l.toml" in checked.output or card.name in checked.output
        assert_clean(
            cli_run("plan", project / "loops" / "l.toml", "--tz", "UTC", "--date", "2026-12-03")
        )

    @FUZZ
    @given(data=st.data())
    def test_panel_files(self, tmp_path: Path, data: st.DataObject) -> None:
        """A mutated panel file: plan and validate say what is wrong, or plan the day."""
        panel = (
            '[panel]\nllm-coding = ["Sam Lee <sam@example.com>"]\nllm-system-design = "Ana Souza"\n'
        )
        path = tmp_path / "panel.toml"
        path.write_text(data.draw(mutated(panel)), "utf-8")
        assert_clean(
            cli_run("plan", "ai-engineer", "--tz", "UTC", "--date", "2026-12-03", "--panel", path)
        )
        assert_clean(cli_run("validate", path))

    @FUZZ
    @given(data=st.data())
    def test_filled_scorecards(self, packet: Path, tmp_path: Path, data: st.DataObject) -> None:
        """A mutated filled scorecard: debrief and validate name the problem, or score it."""
        folder = copy_packet(packet, tmp_path)
        card = folder / "scorecards" / "llm-coding--sam-lee.toml"
        card.write_text(data.draw(mutated(card.read_text("utf-8"))), "utf-8")
        assert_clean(cli_run("debrief", folder, "--allow-missing"))
        assert_clean(cli_run("validate", card))

    @FUZZ
    @given(data=st.data())
    def test_lock_files_edited_and_rehashed(
        self, packet: Path, tmp_path: Path, data: st.DataObject
    ) -> None:
        """A lock changed into another shape and hashed again: debrief and packet refuse it cleanly."""
        folder = copy_packet(packet, tmp_path)
        lock = folder / "loop.lock.toml"
        text = data.draw(mutated(lock.read_text("utf-8")))
        try:
            parsed = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError):  # ValueError: an integer past the digit limit
            lock.write_text(text, "utf-8")
        else:
            parsed.pop("hash", None)
            files = parsed.pop("files", {})
            digest = lock_digest(parsed)
            body = tomli_w.dumps({**parsed, "files": files} if isinstance(files, dict) else parsed)
            lock.write_text(f'hash = "{digest}"\n{body}', "utf-8")
        assert_clean(cli_run("debrief", folder, "--allow-missing"))
        again = ["--candidate", "Ada Lovelace", "--date", "2026-12-03", "--tz", "UTC"]
        assert_clean(cli_run("packet", "ai-engineer", *again, "-o", tmp_path, "--dry-run"))

    @FUZZ
    @given(data=st.data())
    def test_batch_files(self, tmp_path: Path, data: st.DataObject) -> None:
        """A mutated batch CSV: every row is checked, and problems are a located error."""
        csv = (
            "candidate,loop,date,start,tz,candidate_tz,email,panel:llm-coding\n"
            "Ada Lovelace,ai-engineer,2026-12-03,09:30,America/New_York,Europe/Berlin,ada@example.org,Sam Lee <sam@example.com>\n"
            "Grace Hopper,ml-engineer,2026-12-04,,UTC,,,\n"
        )
        path = tmp_path / "c.csv"
        path.write_text(data.draw(mutated(csv)).replace(" = ", ","), "utf-8")
        try:
            read_batch(path, date(2026, 12, 1))
        except LoopkitError as exc:
            message = str(exc)
        else:
            message = "every row read"
        assert message

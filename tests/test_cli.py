"""The command line as a whole: help, version, entry points, scaffolding."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

import loopkit
from loopkit import __version__, _schedule
from loopkit._data import bundled_dir
from loopkit.cli import cli
from tests.helpers import run


class TestHelp:
    @pytest.mark.parametrize("name", sorted(cli.commands))
    def test_every_command_has_help_with_an_example(self, name: str) -> None:
        """--help on each command exits 0 and shows an Example: block."""
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output
        assert f"loopkit {name}" in result.output

    def test_every_command_is_in_the_readme(self) -> None:
        """The README's tour mentions each command."""
        readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
        for name in cli.commands:
            assert f"loopkit {name}" in readme, name

    def test_version(self) -> None:
        """--version prints the package version."""
        result = run("--version")
        assert result.exit_code == 0
        assert __version__ in result.output

    def test_python_dash_m_runs_the_cli(self, tmp_path: Path) -> None:
        """python -m loopkit is the same command."""
        done = subprocess.run(
            [sys.executable, "-m", "loopkit", "--version"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode == 0
        assert __version__ in done.stdout

    @staticmethod
    def _loaded_after(args: list[str], packages: tuple[str, ...], cwd: Path) -> list[str]:
        """Which of ``packages`` a fresh interpreter has imported after running ``loopkit args``."""
        code = (
            "import sys; from click.testing import CliRunner; from loopkit.cli import cli; "
            f"r = CliRunner().invoke(cli, {args!r}); assert r.exit_code == 0, r.output; "
            f"print(','.join(m for m in {packages!r} if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
        )
        assert done.returncode == 0, done.stderr
        return [m for m in done.stdout.strip().split(",") if m]

    @pytest.mark.parametrize("command", [["validate"], ["plan", "ai-engineer", "--tz", "UTC"]])
    def test_commands_without_pdfs_do_not_import_the_pdf_stack(
        self, tmp_path: Path, command: list[str]
    ) -> None:
        """validate and plan start without reportlab, pypdf or icalendar."""
        pdf_stack = ("reportlab", "pypdf", "icalendar", "fontpkg")
        assert self._loaded_after(command, pdf_stack, tmp_path) == []

    @pytest.mark.parametrize("command", [["validate"], ["plan", "ai-engineer", "--tz", "UTC"]])
    def test_commands_check_files_without_pydantic_model_classes(
        self, tmp_path: Path, command: list[str]
    ) -> None:
        """validate and plan check files with pydantic-core alone, not BaseModel's machinery."""
        model_machinery = ("pydantic.main", "pydantic.json_schema", "pydantic._internal")
        assert self._loaded_after(command, model_machinery, tmp_path) == []

    @pytest.mark.parametrize("option", ["--help", "--version"])
    def test_help_and_version_start_without_the_models(self, tmp_path: Path, option: str) -> None:
        """--help and --version answer without importing pydantic or any PDF package."""
        assert self._loaded_after([option], ("pydantic", "reportlab", "icalendar"), tmp_path) == []

    def test_every_public_name_resolves(self) -> None:
        """Each name in loopkit.__all__ imports on first use and is what its module defines."""
        assert set(loopkit.__all__) == {*loopkit._HOME, "__version__"}
        for name in loopkit.__all__:
            assert getattr(loopkit, name) is not None, name
        assert loopkit.plan_loop is _schedule.plan_loop
        with pytest.raises(AttributeError, match="no_such_name"):
            _ = loopkit.no_such_name

    def test_an_unknown_option_is_a_usage_error(self) -> None:
        """Command-line usage problems exit 2."""
        assert run("plan", "ai-engineer", "--frobnicate").exit_code == 2


class TestNew:
    def test_new_copies_the_loop_with_its_id_and_its_scorecards(self, here: Path) -> None:
        """new writes loops/<id>.toml and the scorecards it uses, and the result validates."""
        result = run("new", "staff-ai", "--from", "ai-engineer")
        assert result.exit_code == 0, result.output
        data = tomllib.loads((here / "loops" / "staff-ai.toml").read_text("utf-8"))
        assert data["id"] == "staff-ai"
        assert (here / "scorecards" / "past-llm-feature-deep-dive.toml").is_file()
        assert run("validate", "--strict").exit_code == 0

    def test_new_refuses_to_overwrite(self, here: Path) -> None:
        """A second new with the same id exits 1 and keeps the file."""
        assert run("new", "staff-ai").exit_code == 0
        (here / "loops" / "staff-ai.toml").write_text("# edited\n", encoding="utf-8")
        result = run("new", "staff-ai")
        assert result.exit_code == 1
        assert "already exists" in result.output
        assert (here / "loops" / "staff-ai.toml").read_text("utf-8") == "# edited\n"

    def test_new_refuses_an_id_with_path_characters(self, here: Path) -> None:
        """An id like ../x is refused before anything is written."""
        result = run("new", "../x")
        assert result.exit_code == 1
        assert "not a valid loop id" in result.output
        assert not (here / "loops").exists()


class TestSchema:
    def test_the_schemas_accept_the_built_in_files_and_reject_a_typo(self, here: Path) -> None:
        """Editors can check files: every bundled file passes, a typo'd key fails."""
        assert run("schema", "-o", "schemas").exit_code == 0
        loop_schema = json.loads((here / "schemas" / "loop.schema.json").read_text("utf-8"))
        card_schema = json.loads((here / "schemas" / "scorecard.schema.json").read_text("utf-8"))
        for path in bundled_dir("loops").glob("*.toml"):
            jsonschema.validate(tomllib.loads(path.read_text("utf-8")), loop_schema)
        for path in bundled_dir("scorecards").glob("*.toml"):
            jsonschema.validate(tomllib.loads(path.read_text("utf-8")), card_schema)
        broken = tomllib.loads((bundled_dir("loops") / "ai-engineer.toml").read_text("utf-8"))
        broken["interviews"][0]["wieght"] = 2
        with pytest.raises(jsonschema.ValidationError, match="wieght"):
            jsonschema.validate(broken, loop_schema)


def test_a_card_validated_away_from_its_packet_says_what_was_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misspelt competency needs the lock to be seen: away from it, validate says so."""
    from tests.helpers import FILLS, debrief_packet, fill

    folder = debrief_packet(tmp_path)
    stem = "past-llm-feature-deep-dive--priya-raman"
    fill(folder / "scorecards" / f"{stem}.toml", *FILLS[stem])
    away = tmp_path / "Downloads" / f"{stem}.toml"
    away.parent.mkdir()
    text = (folder / "scorecards" / f"{stem}.toml").read_text("utf-8")
    away.write_text(text.replace("injection-defense = ", "injection-defence = "), "utf-8")
    result = run("validate", away)
    assert result.exit_code == 0
    assert "checked away from its packet" in result.output
    assert "[LK136 warning]" in result.output
    assert run("validate", "--strict", away).exit_code == 1
    inside = folder / "scorecards" / f"{stem}.toml"
    inside.write_text(away.read_text("utf-8"), "utf-8")
    found = run("validate", inside)
    assert found.exit_code == 1
    assert "injection-defence" in found.output
    # the same card by its bare name, from inside scorecards/: in its packet too
    monkeypatch.chdir(inside.parent)
    bare = run("validate", inside.name)
    assert bare.exit_code == 1
    assert "injection-defence" in bare.output
    assert "LK136" not in bare.output

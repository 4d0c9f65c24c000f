"""Files a team starts from: `loopkit new`, `loopkit schema`, editors' checks and the pre-commit hook."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from loopkit._data import bundled_dir
from tests.helpers import ADA, CARD, PANEL, run

ROOT = Path(__file__).parents[1]
KINDS = ("loop", "scorecard", "panel", "filled-scorecard")


def schemas(folder: Path) -> dict[str, dict[str, Any]]:
    """The schemas `loopkit schema` wrote in ``folder``, by kind."""
    return {k: json.loads((folder / f"{k}.schema.json").read_text("utf-8")) for k in KINDS}


def errors(data: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """What the schema says of ``data``, as an editor would show it."""
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


class TestSchemaCommand:
    def test_one_schema_per_kind_of_file_each_with_an_absolute_id(self, here: Path) -> None:
        """schema -o DIR writes four valid 2020-12 schemas whose $id is an absolute URI."""
        result = run("schema", "-o", "editor")
        assert result.exit_code == 0, result.output
        written = schemas(here / "editor")
        for kind, schema in written.items():
            jsonschema.Draft202012Validator.check_schema(schema)
            assert re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", schema["$id"]), kind  # has a scheme
            assert f"editor/{kind}.schema.json" in result.output
        assert len({s["$id"] for s in written.values()}) == 4

    def test_every_bundled_file_passes_and_a_missing_anchor_fails(self, here: Path) -> None:
        """The scorecard schema requires all four anchors, as validate does."""
        assert run("schema").exit_code == 0
        card_schema = schemas(here / "schemas")["scorecard"]
        for path in bundled_dir("scorecards").glob("*.toml"):
            assert errors(tomllib.loads(path.read_text("utf-8")), card_schema) == [], path
        card = tomllib.loads(CARD)
        del card["competencies"][0]["anchors"]["3"]
        assert errors(card, card_schema) == ["'3' is a required property"]
        card["competencies"][0]["anchors"]["5"] = "e"
        assert len(errors(card, card_schema)) == 2

    def test_a_panel_takes_one_person_or_a_list(self, here: Path) -> None:
        """The panel schema accepts the test panel and refuses a number or an empty list."""
        assert run("schema").exit_code == 0
        panel_schema = schemas(here / "schemas")["panel"]
        assert errors(tomllib.loads(PANEL), panel_schema) == []
        assert errors({"panel": {"llm-coding": "Sam Lee"}}, panel_schema) == []
        assert errors({"panel": {"llm-coding": 3}}, panel_schema) != []
        assert errors({"panel": {"llm-coding": []}}, panel_schema) != []
        assert errors({"panle": {}}, panel_schema) != []

    def test_a_blank_and_a_filled_scorecard_pass_a_bad_rating_fails(self, here: Path) -> None:
        """The filled-scorecard schema accepts a blank (0 is not filled in) and 1-4 or no signal."""
        assert run("packet", "ai-engineer", *ADA, "-o", "out").exit_code == 0
        assert run("schema").exit_code == 0
        filled_schema = schemas(here / "schemas")["filled-scorecard"]
        blanks = sorted((here / "out").glob("*/scorecards/*.toml"))
        assert blanks
        for path in blanks:
            assert errors(tomllib.loads(path.read_text("utf-8")), filled_schema) == [], path
        card = tomllib.loads(blanks[0].read_text("utf-8"))
        first = next(iter(card["ratings"]))
        card["recommendation"] = 3
        card["ratings"][first] = "No signal"
        assert errors(card, filled_schema) == []
        card["ratings"][first] = "maybe"
        card["recommendation"] = 5
        assert len(errors(card, filled_schema)) == 2


def _directive(kind: str) -> bytes:
    return f"#:schema ../schemas/{kind}.schema.json\n".encode()


class TestNew:
    def test_copies_start_with_a_schema_line_and_keep_every_other_byte(self, here: Path) -> None:
        """The loop and its scorecards are the originals under one #:schema line (and the new id)."""
        assert run("new", "staff-ai", "--from", "ai-engineer").exit_code == 0
        original = (bundled_dir("loops") / "ai-engineer.toml").read_bytes()
        renamed = original.replace(b'\nid = "ai-engineer"\n', b'\nid = "staff-ai"\n', 1)
        assert renamed != original
        assert (here / "loops" / "staff-ai.toml").read_bytes() == _directive("loop") + renamed
        copied = sorted((here / "scorecards").glob("*.toml"))
        assert len(copied) == 4
        for path in copied:
            origin = (bundled_dir("scorecards") / path.name).read_bytes()
            assert path.read_bytes() == _directive("scorecard") + origin
        result = run("validate", "--strict", "loops", "scorecards")
        assert result.exit_code == 0, result.output
        assert "5 files checked: 0 error(s), 0 warning(s)" in result.output

    def test_the_schemas_and_an_editor_config_come_along(self, here: Path) -> None:
        """new writes schemas/ and a .taplo.toml whose every rule names a schema it wrote."""
        result = run("new", "staff-ai")
        assert result.exit_code == 0, result.output
        assert "wrote .taplo.toml" in result.output
        config = tomllib.loads((here / ".taplo.toml").read_text("utf-8"))
        rules = {tuple(r["include"]): r["schema"]["path"] for r in config["rule"]}
        assert rules[("loops/*.toml",)] == "./schemas/loop.schema.json"
        assert rules[("scorecards/*.toml",)] == "./schemas/scorecard.schema.json"
        assert sorted(Path(p).name for p in rules.values()) == sorted(
            f"{k}.schema.json" for k in KINDS
        )
        for path in rules.values():
            assert (here / path).is_file(), path

    def test_a_teams_own_editor_config_is_kept(self, here: Path) -> None:
        """An existing .taplo.toml is the team's: new leaves it as it was."""
        (here / ".taplo.toml").write_text("# ours\n", "utf-8")
        result = run("new", "staff-ai")
        assert result.exit_code == 0, result.output
        assert (here / ".taplo.toml").read_text("utf-8") == "# ours\n"
        assert ".taplo.toml" not in result.output

    def test_a_schema_a_person_changed_is_kept_beside_the_new_one(self, here: Path) -> None:
        """schema and new wrote over schemas/*.json edited by hand, without a word. The edit
        is kept beside (loop.schema.edited.json), named; one as loopkit wrote it is not."""
        assert run("schema").exit_code == 0
        loop = here / "schemas" / "loop.schema.json"
        ours = json.loads(loop.read_text("utf-8"))
        ours["properties"]["title"]["description"] = "Our own words for the title."
        edited = json.dumps(ours, indent=2).encode()
        loop.write_bytes(edited)
        again = run("schema")
        assert again.exit_code == 0, again.output
        assert (
            "kept schemas/loop.schema.json as loop.schema.edited.json: not as loopkit last wrote it"
        ) in again.output
        assert (here / "schemas" / "loop.schema.edited.json").read_bytes() == edited
        assert schemas(here / "schemas")["loop"]["$id"].endswith("/loop.schema.json")
        panel = here / "schemas" / "panel.schema.json"
        panel.write_bytes(panel.read_bytes() + b"\n")
        new = run("new", "staff-ai")
        assert new.exit_code == 0, new.output
        assert "kept schemas/panel.schema.json as panel.schema.edited.json" in new.output
        assert new.output.count("kept ") == 1, new.output  # the others are loopkit's own
        assert sorted(p.name for p in (here / "schemas").glob("*.edited.json")) == [
            "loop.schema.edited.json",
            "panel.schema.edited.json",
        ]

    def test_a_copy_of_a_copy_has_one_schema_line(self, here: Path) -> None:
        """A loop started from a loop that already names its schema names it once."""
        assert run("new", "first").exit_code == 0
        assert run("new", "second", "--from", "first").exit_code == 0
        text = (here / "loops" / "second.toml").read_text("utf-8")
        assert text.count("#:schema") == 1
        first = (here / "loops" / "first.toml").read_text("utf-8")
        assert text == first.replace('id = "first"', 'id = "second"')


def _taplo() -> list[str]:
    """The taplo command beside this Python (the test extra installs it), or on PATH."""
    beside = Path(sys.executable).parent / "taplo"
    found = str(beside) if beside.exists() else shutil.which("taplo")
    if found is None:
        pytest.skip("taplo is not installed (pip install taplo, or the test extra)")
    try:
        subprocess.run([found, "--version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"taplo cannot run on this platform: {exc}")
    return [found]


def _lint(folder: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """taplo's check of files, run from the project folder as an editor is."""
    return subprocess.run(
        [*_taplo(), "lint", "--colors", "never", *files],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class TestTaplo:
    """The files `loopkit new` writes are checked by taplo (Even Better TOML) without a network."""

    def test_the_new_loop_and_scorecards_pass(self, here: Path) -> None:
        """Good files lint clean, through their #:schema lines and through .taplo.toml."""
        assert run("new", "staff-ai").exit_code == 0
        card = here / "scorecards" / "llm-applied-coding.toml"
        card.write_text(card.read_text("utf-8").split("\n", 1)[1], "utf-8")  # .taplo.toml only
        loop = here / "loops" / "staff-ai.toml"
        loop.write_text(loop.read_text("utf-8").replace('"50m"', '"50 m"', 1), "utf-8")
        result = _lint(here)
        assert result.returncode == 0, result.stderr
        card.write_text(card.read_text("utf-8").replace("weight = 3", 'weight = "3"', 1), "utf-8")
        assert '"3" is not of type "number"' in _lint(here).stderr

    @pytest.mark.parametrize(
        ("file", "old", "new", "message"),
        [
            ("loops/staff-ai.toml", "weight = 2", 'weight = "2"', '"2" is not of type "number"'),
            ("loops/staff-ai.toml", 'length = "50m"', 'length = "50 mins"', "anyOf"),
            ("loops/staff-ai.toml", 'length = "50m"', 'length = "0m"', "anyOf"),
            ("loops/staff-ai.toml", "weight = 2", "wieght = 2", "'wieght' was unexpected"),
            ("scorecards/llm-applied-coding.toml", ' 3 = "', ' 5 = "', '"3" is a required'),
        ],
        ids=["wrong-type", "bad-length", "zero-length", "unknown-key", "missing-anchor"],
    )
    def test_a_bad_file_is_reported_at_its_line(
        self, here: Path, file: str, old: str, new: str, message: str
    ) -> None:
        """Each mistake validate refuses, taplo reports too, with the file and line."""
        assert run("new", "staff-ai").exit_code == 0
        path = here / file
        text = path.read_text("utf-8")
        if file.startswith("scorecards/"):  # checked through .taplo.toml, not its own line
            text = text.split("\n", 1)[1]
        assert old in text
        path.write_text(text.replace(old, new, 1), "utf-8")
        assert run("validate", file).exit_code == 1
        result = _lint(here, file)
        assert result.returncode == 1
        assert message in result.stderr
        line = 1 + text[: text.index(old)].count("\n")
        assert f"{path}:{line}:" in result.stderr

    def test_a_filled_scorecard_and_a_panel_are_checked_by_place(self, here: Path) -> None:
        """.taplo.toml maps out/*/scorecards/*.toml and panels/*.toml to their schemas."""
        assert run("new", "staff-ai").exit_code == 0
        (here / "panels").mkdir()
        (here / "panels" / "ada.toml").write_text(PANEL, "utf-8")
        assert run("packet", "staff-ai", *ADA, "-o", "out").exit_code == 0
        assert _lint(here).returncode == 0
        (blank,) = (here / "out").glob("*/scorecards/llm-coding.toml")
        blank.write_text(
            blank.read_text("utf-8").replace("recommendation = 0", "recommendation = 7"), "utf-8"
        )
        (here / "panels" / "ada.toml").write_text("[panel]\nllm-coding = 3\n", "utf-8")
        result = _lint(here)
        assert result.returncode == 1
        assert "7 is greater than the maximum of 4" in result.stderr
        assert "panels/ada.toml:2:" in result.stderr


def _hook() -> dict[str, Any]:
    """The one hook of .pre-commit-hooks.yaml: its values are written as JSON, which YAML reads."""
    text = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    hooks: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"(- |  )([a-z_]+): (.+)", line)
        assert match, line
        if match[1] == "- ":
            hooks.append({})
        hooks[-1][match[2]] = json.loads(match[3])
    assert len(hooks) == 1
    return hooks[0]


class TestPreCommitHook:
    def test_the_hook_runs_validate_strict_on_loops_and_scorecards(self) -> None:
        """loopkit-validate is a python hook on the TOML files in loops/ and scorecards/."""
        hook = _hook()
        assert hook["id"] == "loopkit-validate"
        assert hook["language"] == "python"
        assert hook["entry"] == "loopkit validate --strict"
        for path in ["loops/a.toml", "scorecards/b.toml", "hiring/loops/c.toml"]:
            assert re.search(hook["files"], path), path
            assert not re.search(hook["exclude"], path), path
        for path in ["pyproject.toml", "loops/notes.md", "panels/p.toml", "loops/x/y.toml"]:
            assert not re.search(hook["files"], path), path
        assert re.search(hook["exclude"], "out/2026-12-03-ada/scorecards/llm-coding.toml")

    @pytest.mark.parametrize(
        ("old", "new", "code"), [("", "", 0), ('length = "50m"', 'length = "5O m"', 1)]
    )
    def test_the_hooks_command_passes_a_good_loop_and_fails_a_bad_one(
        self, here: Path, old: str, new: str, code: int
    ) -> None:
        """The entry, run as pre-commit runs it (with the changed files), exits 0 or 1."""
        assert run("new", "staff-ai").exit_code == 0
        loop = here / "loops" / "staff-ai.toml"
        loop.write_text(loop.read_text("utf-8").replace(old, new, 1), "utf-8")
        hook = _hook()
        command = hook["entry"].split()
        command[0] = str(Path(sys.executable).parent / command[0])
        files = ["loops/staff-ai.toml", "scorecards/llm-applied-coding.toml"]
        result = subprocess.run(
            [*command, *hook.get("args", []), *files],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == code, result.stdout + result.stderr
        if code:
            assert "loops/staff-ai.toml:" in result.stdout + result.stderr
            assert "LK106" in result.stdout + result.stderr

"""Shared helpers: write TOML snippets under tmp_path and drive the CLI."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loopkit.cli import cli

BASE_LOOP = """\
id = "t"
title = "Test loop"
variant = "other"
length = { min = "2h", max = "3h" }
hire_bar = 3.0

[breaks]
between = "10m"

[[interviews]]
id = "code"
title = "Coding"
kind = "coding"
length = "60m"
weight = 2
scorecard = "llm-applied-coding"

[[interviews]]
id = "dive"
title = "Deep-dive"
kind = "deep-dive"
length = "60m"
weight = 3
scorecard = "past-llm-feature-deep-dive"
"""

CARD = """\
id = "card"
title = "Card"
purpose = "p"
prompts = ["q"]

[[competencies]]
id = "c"
name = "C"
weight = 1
look_for = "l"
anchors = { 1 = "a", 2 = "b", 3 = "c", 4 = "d" }
"""


def card_with(*replacements: tuple[str, str]) -> str:
    """The base test scorecard with exact text replacements applied (each must match)."""
    return _edited(CARD, replacements)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty folder that is not the repository."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write(here: Path) -> Callable[[str, str], Path]:
    """Write a dedented snippet to a path below the test folder."""

    def _write(name: str, text: str) -> Path:
        path = here / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


def run(*args: str) -> Result:
    """Invoke the CLI in-process, as a user would type it."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def loop_with(*replacements: tuple[str, str]) -> str:
    """The base test loop with exact text replacements applied (each must match)."""
    return _edited(BASE_LOOP, replacements)


def _edited(text: str, replacements: tuple[tuple[str, str], ...]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text

"""Fixtures: a fixed revision time, an empty folder to run in, and a writer of TOML snippets."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import Write


@pytest.fixture(autouse=True, scope="session")
def revision_time() -> Iterator[None]:
    """Every packet is made at one fixed time, as a reproducible build is.

    A revision's time is the clock unless SOURCE_DATE_EPOCH says otherwise,
    and it is in the lock and every calendar's DTSTAMP; tests that compare
    two builds byte for byte need it fixed. test_calendar checks the clock.
    """
    with pytest.MonkeyPatch.context() as patch:  # session-wide: module fixtures build packets too
        patch.setenv("SOURCE_DATE_EPOCH", "1800000000")
        yield


@pytest.fixture(autouse=True, scope="session")
def summary_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The summary cache of status, report and calibrate in a folder of the test run's own."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOOPKIT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty folder that is not the repository."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write(here: Path) -> Write:
    """Write a dedented snippet to a path below the test folder."""

    def _write(name: str, text: str) -> Path:
        path = here / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write

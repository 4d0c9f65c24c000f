"""Where the bundled loops and scorecards are."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def bundled_dir(kind: str) -> Path:
    """The folder of bundled ``loops`` or ``scorecards``.

    An installed wheel carries them in ``loopkit/_data``; a source checkout
    (an editable install) reads the top-level folders they are built from.
    """
    installed = Path(__file__).parent / "_data" / kind
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / kind

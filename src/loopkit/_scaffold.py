"""``loopkit new`` and ``loopkit schema``: files a manager starts from."""

from __future__ import annotations

import json
import re
from pathlib import Path

from loopkit._errors import LoopkitError
from loopkit._load import find_scorecard, load_loop
from loopkit._models import Loop, ScorecardTemplate
from loopkit._schema import json_schema
from loopkit._write import write_bytes_atomic


def new_loop(loop_id: str, source: str, folder: Path) -> list[Path]:
    """Copy loop ``source`` as ``<folder>/loops/<loop_id>.toml``, with its scorecards.

    Scorecards already in ``<folder>/scorecards`` are kept as they are;
    the loop file is never overwritten. Returns the files written.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", loop_id):
        raise LoopkitError(
            f"not a valid loop id: {loop_id!r}",
            key="LOOP_ID",
            hint="use lower-case letters, digits, - and _",
        )
    document = load_loop(source)
    target = folder / "loops" / f"{loop_id}.toml"
    if target.exists():
        raise LoopkitError(f"{target} already exists", hint="pick another id or edit that file")
    text = _plain_text(document.path)
    text, count = re.subn(r'(?m)^id\s*=\s*"[^"]*"', f'id = "{loop_id}"', text, count=1)
    if count != 1:
        raise LoopkitError(f"{document.path}: no top-level id line to rewrite")
    written = []
    for scorecard_id in sorted(document.scorecards):
        destination = folder / "scorecards" / f"{scorecard_id}.toml"
        if destination.exists():
            continue
        origin = find_scorecard(scorecard_id, document.path)
        assert origin is not None  # load_loop has resolved every scorecard
        write_bytes_atomic(destination, _plain_text(origin).encode("utf-8"))
        written.append(destination)
    write_bytes_atomic(target, text.encode("utf-8"))
    return [target, *written]


def _plain_text(path: Path) -> str:
    """A file's text as the loader reads it: no byte-order mark, LF line ends."""
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


def write_schemas(folder: Path) -> list[Path]:
    """Write JSON Schemas of the loop and scorecard files for editor completion."""
    written = []
    for name, model in (("loop", Loop), ("scorecard", ScorecardTemplate)):
        schema = json_schema(model)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"loopkit/{name}.schema.json"
        path = folder / f"{name}.schema.json"
        write_bytes_atomic(path, (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode())
        written.append(path)
    return written

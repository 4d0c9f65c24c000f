"""``loopkit new`` and ``loopkit schema``: files a manager starts from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from loopkit._errors import LoopkitError
from loopkit._load import find_scorecard, load_loop
from loopkit._models import CompBand, Loop, PanelFile, ScorecardTemplate
from loopkit._records import FilledScorecard
from loopkit._schema import json_schema
from loopkit._write import write_bytes_atomic, write_outputs

# files written, and each file a person changed with the copy of it kept (``write_outputs``)
Written = tuple[list[Path], list[tuple[Path, Path]]]

# The schema files ``loopkit schema`` writes, by the kind of file they describe.
SCHEMAS = {
    "loop": Loop,
    "scorecard": ScorecardTemplate,
    "panel": PanelFile,
    "filled-scorecard": FilledScorecard,
}
SCHEMA_BASE = "https://github.com/loopkit/loopkit/schemas"  # the schemas' $id, not a download
SCHEMA_FOLDER = "schemas"  # beside loops/ and scorecards/, where ``loopkit schema`` writes
TAPLO_CONFIG = ".taplo.toml"
# Which files editors check against which schema (taplo, Even Better TOML); the globs are
# relative to the folder the editor opens, the schema paths to this file.
_TAPLO_RULES = (
    ("loop", ["loops/*.toml"]),
    ("scorecard", ["scorecards/*.toml"]),
    ("panel", ["panels/*.toml", "panel.toml"]),
    ("filled-scorecard", ["out/*/scorecards/*.toml"]),
)
_DIRECTIVE = re.compile(r"#:schema[^\n]*\n")


@dataclass(frozen=True)
class Setup:
    """What a requisition fixes in the loop started for it: variant, band, experience asked."""

    variant: str
    band: CompBand
    llm_applied_months: int | None = None
    production_ml_years: int | None = None
    title: str = ""  # replaces the source loop's title when given


def new_loop(loop_id: str, source: str, folder: Path, setup: Setup | None = None) -> Written:
    """Copy loop ``source`` as ``<folder>/loops/<loop_id>.toml``, with its scorecards.

    Scorecards already in ``<folder>/scorecards`` are kept as they are;
    the loop file is never overwritten. The copies start with a ``#:schema``
    line, and the schemas and a ``.taplo.toml`` that editors read are written
    beside them (an existing ``.taplo.toml`` is kept, and a schema a person
    changed, beside the new one). With ``setup`` (from ``loopkit diagnose``),
    the copy's variant, ``[comp_band]`` and ``[requirements]`` are the
    requisition's. Returns the files written, and the schemas kept.
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
    if setup is not None:
        text = _set_up(text, setup)
    written = []
    for scorecard_id in sorted(document.scorecards):
        destination = folder / "scorecards" / f"{scorecard_id}.toml"
        if destination.exists():
            continue
        origin = find_scorecard(scorecard_id, document.path)
        assert origin is not None  # load_loop has resolved every scorecard
        card = _with_schema(_plain_text(origin), "scorecard")
        write_bytes_atomic(destination, card.encode("utf-8"))
        written.append(destination)
    schemas, kept = write_schemas(folder / SCHEMA_FOLDER)
    written += schemas
    config = folder / TAPLO_CONFIG
    if not config.exists() and not config.is_symlink():
        write_bytes_atomic(config, taplo_config().encode("utf-8"))
        written.append(config)
    write_bytes_atomic(target, _with_schema(text, "loop").encode("utf-8"))
    return [target, *written], kept


def _set_up(text: str, setup: Setup) -> str:
    """The loop's text with the requisition's variant, band and experience in it."""
    text = re.sub(r'(?m)^variant\s*=\s*"[^"]*"', f'variant = "{setup.variant}"', text, count=1)
    if setup.title:
        title = json.dumps(setup.title, ensure_ascii=False)  # a TOML basic string is JSON's
        text = re.sub(r'(?m)^title\s*=\s*"[^"\n]*"', lambda _: f"title = {title}", text, count=1)
    band = setup.band
    text = _set_table(
        text,
        "comp_band",
        [f'currency = "{band.currency}"', f"min = {band.min:_}", f"max = {band.max:_}"],
    )
    asked = [
        f"{name} = {value}"
        for name, value in (
            ("llm_applied_months", setup.llm_applied_months),
            ("production_ml_years", setup.production_ml_years),
        )
        if value is not None
    ]
    return _set_table(text, "requirements", asked)


def _set_table(text: str, name: str, lines: list[str]) -> str:
    """Replace table ``[name]`` (or add it before the first table) with ``lines``; none: drop it."""
    table = f"[{name}]\n" + "".join(f"{line}\n" for line in lines) + "\n" if lines else ""
    pattern = re.compile(rf"(?ms)^\[{re.escape(name)}\][^\n]*\n.*?(?=^\[)")
    if pattern.search(text):
        return pattern.sub(lambda _: table, text, count=1)
    first = re.search(r"(?m)^\[", text)
    at = first.start() if first else len(text)
    return text[:at] + table + text[at:]


def _with_schema(text: str, kind: str) -> str:
    """The file's text under a ``#:schema`` line naming its schema (replacing one it had)."""
    if text.startswith("#:schema"):
        text = _DIRECTIVE.sub("", text, count=1)
    return f"#:schema ../{SCHEMA_FOLDER}/{kind}.schema.json\n{text}"


def taplo_config() -> str:
    """A ``.taplo.toml`` that checks each kind of loopkit file against its schema."""
    lines = [
        "# Editors that read taplo (Even Better TOML) check loopkit files against the",
        "# schemas `loopkit schema` writes. A #:schema line in a file takes precedence.",
    ]
    for kind, globs in _TAPLO_RULES:
        patterns = ", ".join(f'"{glob}"' for glob in globs)
        lines += ["", "[[rule]]", f"include = [{patterns}]", "[rule.schema]"]
        lines.append(f'path = "./{SCHEMA_FOLDER}/{kind}.schema.json"')
    return "\n".join(lines) + "\n"


def _plain_text(path: Path) -> str:
    """A file's text as the loader reads it: no byte-order mark, LF line ends."""
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


def write_schemas(folder: Path) -> Written:
    """Write JSON Schemas of every file a team edits, for editors' completion and checks;
    a schema there a person changed is kept beside its new one (``write_outputs``).

    The ``$id`` is an absolute URI, as JSON Schema asks and taplo requires (a
    relative one makes it reject the whole schema): a name under the project's
    address, which validators use to resolve ``$ref`` and never fetch (a URN
    would do for taplo, but older jsonschema releases cannot resolve against one).
    """
    files = {}
    for name, model in SCHEMAS.items():
        schema = json_schema(model)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{SCHEMA_BASE}/{name}.schema.json"
        text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
        files[folder / f"{name}.schema.json"] = text.encode()
    return write_outputs(files)

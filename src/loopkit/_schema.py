"""The model kit: frozen dataclasses whose fields carry pydantic-core schemas.

A model is a frozen dataclass whose fields each carry their schema
(``key(...)``); ``validator(cls)`` builds the checker of a file from those,
with unknown keys forbidden, and ``parse_model`` turns every error it finds
into a located ``Finding``, in this one place. They are not
``pydantic.BaseModel`` classes for the sake of start-up: importing BaseModel
and building loopkit's models on it took about 140 ms, longer than
``import click, pydantic`` itself, on every command that reads a loop.
pydantic-core is the engine BaseModel validates with, so the messages are
pydantic's.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from typing import Any, TypeVar, dataclass_transform

from pydantic_core import SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from loopkit._errors import Finding, did_you_mean
from loopkit._source import Loc, Source, shown_value

T = TypeVar("T")
M = TypeVar("M")

_MODELS: dict[str, type] = {}  # every model by class name, for the JSON Schema's $defs
_VALIDATORS: dict[type, SchemaValidator] = {}
_KINDS = {"unexpected_keyword_argument": "extra_forbidden"}
_LENGTH_KEYS = {"length", "between", "interviewer_limit"}  # every key that holds a duration


def key(
    schema: cs.CoreSchema,
    *,
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
    doc: str = "",
) -> Any:
    """A model's field: the schema its value must meet, its default, and its description."""
    return dataclasses.field(
        default=default,
        default_factory=default_factory,
        metadata={"schema": schema, "doc": doc},
    )


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(key,))
def model(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, keyword-only dataclass whose fields are ``key(...)``."""
    built = dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(cls)
    _MODELS[built.__name__] = built
    return built


def schema_of(cls: type) -> cs.CoreSchema:
    """The pydantic-core schema of a model: every field's schema, no unknown keys.

    A model's ``_check(self)`` method, when it has one, runs on the built value,
    for rules across fields (a window's min not above its max).
    """
    fields = []
    for field in dataclasses.fields(cls):
        value: cs.CoreSchema = field.metadata["schema"]
        if field.default is not dataclasses.MISSING:
            value = cs.with_default_schema(value, default=field.default)
        elif field.default_factory is not dataclasses.MISSING:
            value = cs.with_default_schema(value, default_factory=field.default_factory)
        fields.append(cs.dataclass_field(field.name, value, kw_only=True))
    arguments = cs.dataclass_args_schema(cls.__name__, fields, extra_behavior="forbid")
    names = [field["name"] for field in fields]
    schema = cs.dataclass_schema(cls, arguments, names, frozen=True, slots=True, ref=cls.__name__)
    if hasattr(cls, "_check"):
        return cs.no_info_after_validator_function(_run_check, schema)
    return schema


def _run_check(value: Any) -> Any:
    value._check()
    return value


def validator(cls: type) -> SchemaValidator:
    """The checker that builds a ``cls`` from a file's data (built once, on first use)."""
    if cls not in _VALIDATORS:
        _VALIDATORS[cls] = SchemaValidator(schema_of(cls))
    return _VALIDATORS[cls]


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of a ``cls`` file, with the models' descriptions, for editors."""
    from pydantic.json_schema import GenerateJsonSchema  # only `loopkit schema` needs it

    schema = GenerateJsonSchema().generate(schema_of(cls))
    defs = schema.get("$defs", {})
    for target, model_cls in [(schema, cls), *((defs[n], _MODELS[n]) for n in defs)]:
        target["description"] = inspect.cleandoc(model_cls.__doc__ or "")
        target["additionalProperties"] = False
        for field in dataclasses.fields(model_cls):
            prop = target["properties"][field.name]
            metadata = field.metadata["schema"].get("metadata") or {}
            written = metadata.get("json_schema")
            if written:  # what a user writes, not the minutes it becomes
                kept = {k: prop[k] for k in ("title", "default") if k in prop}
                prop.clear()
                prop.update(written, **kept)
            # what a validator function checks that the schema it wraps cannot say
            prop.update(metadata.get("json_schema_extra", {}))
            if field.default_factory is not dataclasses.MISSING:
                prop["default"] = field.default_factory()
            if field.metadata["doc"]:
                prop["description"] = field.metadata["doc"]
    return schema


def parse_model(
    cls: type[M], data: dict[str, Any], source: Source
) -> tuple[M | None, list[Finding]]:
    """Build ``cls`` from data, turning every pydantic error into a located finding."""
    try:
        return validator(cls).validate_python(data), []
    except ValidationError as exc:
        return None, [_finding_from_error(cls, err, source) for err in exc.errors()]
    except RecursionError:
        return None, [source.finding("LK102", (), "values are nested too deeply")]


def _finding_from_error(cls: type, err: Any, source: Source) -> Finding:
    loc: Loc = tuple(err["loc"])
    # a model's unknown key is an unexpected keyword to pydantic-core
    kind: str = _KINDS.get(err["type"], err["type"])
    given = err.get("input")
    leaf = next((p for p in reversed(loc) if isinstance(p, str)), "")
    message = err["msg"][:1].lower() + err["msg"][1:]
    hint = ""
    code = "LK102"
    if kind == "extra_forbidden":
        code = "LK101"
        known = sorted(_fields_at(cls, loc[:-1]))
        message = f"unknown key {loc[-1]!r}"
        hint = did_you_mean(str(loc[-1]), known) or "known keys: " + ", ".join(known)
    elif kind == "missing":
        code = "LK103"
        message = "missing key"
        hint = f"add {leaf} = ..."
    elif kind == "missing_anchor":
        code = "LK108"
        hint = "describe what a 1, 2, 3 and 4 answer sounds like"
    elif kind == "duration" or (kind != "window" and _LENGTH_KEYS.intersection(loc)):
        code = "LK106"
        hint = 'write "45m", "1h30m", "2h" or a positive whole number of minutes'
    elif leaf == "weight":
        code = "LK107"
        hint = "a weight is a positive number, the share of the score"
    elif kind == "string_pattern_mismatch" and leaf in ("id", "scorecard", "after"):
        code = "LK112"
        message = "not a valid id"
        hint = "use lower-case letters, digits, - and _ (no spaces, / or ..)"
    elif (
        kind in ("int_type", "float_type")
        and isinstance(given, str)
        and _NUMBER.fullmatch(given.strip())
    ):
        hint = f"write {given.strip()} without the quotes"
    elif kind == "int_type" and isinstance(given, float) and given.is_integer():
        hint = f"write {int(given)}, a whole number"
    elif kind == "int_type" and leaf == "recommendation":  # a filled card's: "yes", true
        hint = "1 strong no, 2 no, 3 yes, 4 strong yes"
    if kind not in ("extra_forbidden", "missing") and not isinstance(given, dict | list):
        message += f", got {_short(given)}"
    return source.finding(code, loc, message, hint)


_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # a number typed in quotes


def _short(value: object) -> str:
    text = shown_value(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(cls: type, loc: Loc) -> set[str]:
    """The keys allowed in the table at ``loc`` of a ``cls`` document."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        hints = typing.get_type_hints(current) if dataclasses.is_dataclass(current) else {}
        if part not in hints:
            return set()
        current = _unwrap(hints[part])
    return (
        {f.name for f in dataclasses.fields(current)}
        if dataclasses.is_dataclass(current)
        else set()
    )


def _unwrap(annotation: Any) -> Any:
    """The model inside ``list[X]``, ``dict[str, X]`` or ``X | None``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin in (list, dict, tuple):
            annotation = typing.get_args(annotation)[0 if origin is tuple else -1]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation

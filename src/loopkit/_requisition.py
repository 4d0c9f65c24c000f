"""``loopkit diagnose``'s files: the intake it reads, the requisition and the loop it writes."""

from __future__ import annotations

import re
from pathlib import Path

from loopkit._diagnose import SPLIT, Answers, Diagnosis, intake_answers
from loopkit._errors import LoopkitError, ValidationFailed
from loopkit._scaffold import Setup, Written, new_loop
from loopkit._source import display_path, read_toml
from loopkit._write import write_bytes_atomic
from loopkit.render.diagnosis import requisition_toml

REQUISITIONS = "requisitions"


def read_intake(path: Path) -> Answers:
    """The three answers of an intake TOML file; ``ValidationFailed`` names file, line and key."""
    data, source = read_toml(path, display_path(path))
    answers, findings = intake_answers(data, source)
    if answers is None:
        raise ValidationFailed(findings)
    return answers


def default_id(diagnosis: Diagnosis) -> str:
    """A requisition id when none is given: the variant and the day."""
    return f"{diagnosis.variant}-{diagnosis.day.isoformat()}"


def open_requisition(
    diagnosis: Diagnosis, req_id: str, folder: Path, *, start_loop: bool = False
) -> Written:
    """Write ``requisitions/<id>.toml`` and, with ``start_loop``, ``loops/<id>.toml`` from it.

    The loop gets the requisition's variant, band and experience asked, so
    the two cannot disagree. Neither file is ever overwritten; nothing is
    written when either exists. Returns the files written.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", req_id):
        raise LoopkitError(
            f"not a valid requisition id: {req_id!r}",
            key="--id",
            hint="use lower-case letters, digits, - and _",
        )
    target = folder / REQUISITIONS / f"{req_id}.toml"
    if target.exists() or target.is_symlink():
        raise LoopkitError(f"{target} already exists", hint="pick another --id or edit that file")
    written: list[Path] = []
    kept: list[tuple[Path, Path]] = []
    loop = ""
    if start_loop:
        if diagnosis.variant == SPLIT:
            raise LoopkitError(
                "the answers disagree (split): no loop to start until they are resolved",
                hint="settle what the report lists, then run diagnose again with --new-loop",
            )
        written, kept = new_loop(req_id, diagnosis.loop, folder, _setup(diagnosis))
        loop = f"loops/{req_id}.toml"
    write_bytes_atomic(target, requisition_toml(diagnosis, req_id, loop))
    return [target, *written], kept


def _setup(diagnosis: Diagnosis) -> Setup:
    figures = diagnosis.figures
    assert figures is not None  # a split starts no loop
    months = figures.ask_llm_applied_months
    years = figures.ask_production_ml_years
    return Setup(
        variant=diagnosis.variant,
        band=diagnosis.market.as_band(diagnosis.variant),
        llm_applied_months=months.min if months else None,
        production_ml_years=years.min if years else None,
        # a loop started from another variant's says whom it hires
        title=f"{figures.name}, senior IC" if diagnosis.loop != diagnosis.variant else "",
    )

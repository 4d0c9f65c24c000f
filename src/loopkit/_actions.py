"""What the commands do, one function each: resolve the options, load, compute, write.

The command line and the batch both come through here, so a default (the
start time, the zone, the day) is decided in one place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, astuple, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from loopkit._debrief import DECISIONS, Debrief, score
from loopkit._documents import LoopDocument
from loopkit._errors import LoopkitError, Problems, ValidationFailed
from loopkit._load import load_loop, machine_zone, read_panel_file
from loopkit._models import PanelSource, Person
from loopkit._readback import read_cards, read_lock
from loopkit._schedule import (
    PanelInput,
    Planned,
    get_zone,
    next_business_day,
    parse_clock,
    parse_day,
    parse_interviewer_options,
    plan_loop,
)
from loopkit._source import display_path, parse_toml, read_file

T = TypeVar("T")
DEFAULT_START = "09:30"
DEFAULT_PAPER = "letter"


@dataclass(frozen=True)
class When:
    """The day, start and zones of a loop as a user gave them (None: the default)."""

    day: str | None = None
    start: str | None = None
    tz: str | None = None
    candidate_tz: str | None = None

    def filled(self, defaults: When) -> When:
        """These values, with ``defaults``' where none was given (a team's settings)."""
        return When(
            *(
                mine if mine is not None else theirs
                for mine, theirs in zip(astuple(self), astuple(defaults), strict=True)
            )
        )

    def named_from(self, defaults: When, where: str) -> dict[str, str]:
        """The values ``filled`` takes from ``defaults``, named as in their file ``where``.

        A message about such a value says ``loopkit.toml: start``, not an
        option the user never gave (``plan``'s ``columns``).
        """
        if not where:
            return {}
        mine, theirs = asdict(self), asdict(defaults)
        return {k: f"{where}: {k}" for k, v in mine.items() if v is None and theirs[k] is not None}


def plan(
    document: LoopDocument,
    when: When,
    today: date,
    panels: Sequence[PanelInput] = (),
    *,
    label: str = "",
    columns: Mapping[str, str] | None = None,
) -> Planned:
    """Lay a loaded loop out on its day, with the defaults a coordinator expects.

    The day defaults to the next business day after ``today``, the start to
    09:30, the zone to this machine's. ``columns`` renames the options in
    messages (a batch names its CSV columns instead).
    """
    names = {"day": "--date", "start": "--start", "tz": "--tz", "candidate_tz": "--candidate-tz"}
    names.update(columns or {})
    errors: list[LoopkitError] = []

    def parsed(parse: Callable[[str, str], T], text: str, key: str) -> T | None:
        try:
            return parse(text, key)
        except LoopkitError as exc:
            errors.append(exc)
            return None

    # A value given, even empty, is checked: an empty --tz is an error, not the default.
    day = parsed(parse_day, when.day, names["day"]) if when.day is not None else None
    start = parsed(parse_clock, DEFAULT_START if when.start is None else when.start, names["start"])
    if when.tz is not None:
        zone = parsed(get_zone, when.tz, names["tz"])
    else:
        zone = parsed(get_zone, machine_zone(), "TZ")
    given = when.candidate_tz
    other = parsed(get_zone, given, names["candidate_tz"]) if given is not None else None
    if errors:
        raise errors[0] if len(errors) == 1 else Problems(errors)
    day = day or next_business_day(today)
    assert start is not None
    assert zone is not None
    return plan_loop(
        document,
        day,
        start,
        zone,
        other,
        panels,
        label,
        start_key=names["start"]
        if when.start is not None
        else f"the default start {DEFAULT_START}",
        today=today,
        # a day no one gave is named as what it is: a warning about it is not an option's
        date_key=names["day"] if when.day is not None else "the next business day",
    )


def plan_from_options(
    loop: str,
    when: When,
    today: date,
    panel_file: Path | None = None,
    interviewers: Sequence[str] = (),
    columns: Mapping[str, str] | None = None,
) -> Planned:
    """``plan`` for the command line: the loop by name, a panel file, ``--interviewer`` options."""
    panels: list[PanelInput] = []
    if panel_file is not None:
        panels.append(read_panel_file(panel_file))
    if interviewers:  # no file: a finding names the option, and the interview by its id
        people = parse_interviewer_options(interviewers)
        panels.append(PanelSource("--interviewer", people, key_prefix=""))
    return plan(load_loop(loop), when, today, panels, columns=columns)


def revision_time(environ: Mapping[str, str]) -> datetime:
    """When a revision is made: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise LoopkitError(
                f"not a time in seconds since 1970: {epoch!r}",
                key="SOURCE_DATE_EPOCH",
                hint="unset it, or give a whole number of seconds",
            ) from None
    return datetime.now(UTC).replace(microsecond=0)


def parse_person(text: str, key: str) -> Person:
    """A person with an e-mail, as an option or column gives them (``Name <email>``)."""
    try:
        person = Person.parse(text)
    except ValueError as exc:
        raise LoopkitError(str(exc), key=key) from None
    if not person.email:
        raise LoopkitError(f"not an e-mail address: {text!r}", key=key, hint='write "Name <email>"')
    return person


def debrief_packet(
    packet_dir: Path,
    extra: Sequence[Path] = (),
    *,
    allow_missing: bool = False,
    decision: str = "",
    reason: str = "",
) -> Debrief:
    """Read a packet's lock and every filled scorecard, check them all, and score the loop.

    Every problem of every scorecard is found before anything is refused.
    Without a ``decision``, the one recorded by an earlier debrief of this
    revision is kept: a debrief run again for a late scorecard never drops it.
    """
    if not packet_dir.is_dir():
        raise LoopkitError("is not a packet folder", file=str(packet_dir))
    lock, digest = read_lock(packet_dir)
    cards = read_cards(packet_dir, lock, digest, extra)
    if cards.problems:
        raise ValidationFailed(cards.problems)
    result = score(lock, cards.filled, cards.blanks, allow_missing=allow_missing)
    recorded = _recorded_decisions(packet_dir / "debrief.toml", result)
    if not decision:
        return dataclasses.replace(result, decisions=recorded)
    # A new decision goes on top; the ones before stay below it, reasons and all.
    new = (decision, reason)
    kept = recorded if recorded[:1] == (new,) else (new, *recorded)
    return dataclasses.replace(result, decisions=kept)


def superseded_decision(packet_dir: Path) -> tuple[int, str] | None:
    """The latest decision a debrief of an earlier revision recorded, with that revision.

    A revision moves the debrief to ``superseded/r<N>/``; its decision is not
    carried over (the cards it weighed may have changed), so the debrief of
    the new revision says where it is. One that cannot be read is passed over.
    """
    found: list[tuple[int, str]] = []
    for path in packet_dir.glob("superseded/r*/debrief.toml"):
        name = display_path(path)
        try:
            data, _ = parse_toml(read_file(path, name), name)
        except ValidationFailed:
            continue
        revision, decision = data.get("revision"), data.get("decision")
        if type(revision) is int and decision in DECISIONS:
            found.append((revision, decision))
    return max(found, default=None)


def _recorded_decisions(path: Path, debrief: Debrief) -> tuple[tuple[str, str], ...]:
    """The decisions (and reasons) an earlier debrief of this packet revision recorded, latest first."""
    if not path.exists():
        return ()
    name = display_path(path)
    data, source = parse_toml(read_file(path, name), name)
    if (data.get("packet"), data.get("revision")) != (debrief.packet, debrief.revision):
        return ()  # another packet's or revision's: not this one's decision
    entries: list[object] = [
        {"decision": data.get("decision", ""), "reason": data.get("reason", "")}
    ]
    earlier = data.get("earlier_decisions", [])
    entries += earlier if isinstance(earlier, list) else [None]
    out = []
    for n, entry in enumerate(entries):
        decision = entry.get("decision", "") if isinstance(entry, dict) else None
        reason = entry.get("reason", "") if isinstance(entry, dict) else None
        if decision not in ("", *DECISIONS) or not isinstance(reason, str):
            loc = ("decision",) if n == 0 else ("earlier_decisions", n - 1)
            raise LoopkitError(
                "the recorded decision cannot be read",
                file=name,
                line=source.line_of(loc),
                key="decision" if n == 0 else f"earlier_decisions[{n - 1}]",
                hint="give --decision again, or set decision to hire or no-hire",
            )
        if decision:
            out.append((decision, reason))
    return tuple(out)

"""What the commands do, one function each: resolve the options, load, compute, write.

The command line and the batch both come through here, so a default (the
start time, the zone, the day) is decided in one place.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import tomli_w

from loopkit._debrief import Basis, Debrief, missing_finding, not_yet_written, score
from loopkit._documents import LoopDocument
from loopkit._errors import (
    Finding,
    LoopkitError,
    OutputError,
    Problems,
    Severity,
    ValidationFailed,
)
from loopkit._fillable import MAX_PDF_BYTES
from loopkit._glyphs import code_points, hidden, unprintable
from loopkit._load import load_loop, machine_zone, read_panel_file
from loopkit._models import PanelSource, Person
from loopkit._readback import Cards, card_seat, piped_name, read_cards, read_lock
from loopkit._records import Lock, file_digest
from loopkit._scale import DECISIONS, RATING_LABELS, on_scale
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
from loopkit._settings import When
from loopkit._source import CARD_SUFFIXES, LOCK_FILE, STDIN, display_path, parse_toml, read_file
from loopkit._write import packet_lock, write_bytes_atomic, write_files_atomic
from loopkit.render.toml import debrief_data

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

T = TypeVar("T")
P = ParamSpec("P")
DEFAULT_START = "09:30"


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
    names = _names(columns)
    errors, (day, start, zone, other) = _parsed(when, names)
    if errors:
        raise one_or_all(errors)
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


def when_problems(when: When, columns: Mapping[str, str] | None = None) -> list[LoopkitError]:
    """What is wrong with a day, start and zones as given, before any loop is planned
    (a batch row whose loop or panel cannot be read still has these checked)."""
    return _parsed(when, _names(columns))[0]


def _names(columns: Mapping[str, str] | None) -> dict[str, str]:
    """What messages call each value of a ``When``: its option, or ``columns``' name for it."""
    names = {"day": "--date", "start": "--start", "tz": "--tz", "candidate_tz": "--candidate-tz"}
    return {**names, **(columns or {})}


def _parsed(
    when: When, names: Mapping[str, str]
) -> tuple[list[LoopkitError], tuple[date | None, time | None, ZoneInfo | None, ZoneInfo | None]]:
    """Every problem of ``when``, and its values read (None where one is wrong or not given)."""
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
    return errors, (day, start, zone, other)


def plan_from_options(
    loop: str,
    when: When,
    today: date,
    panel_file: Path | None = None,
    interviewers: Sequence[str] = (),
    columns: Mapping[str, str] | None = None,
    kept: Mapping[str, tuple[Person, ...]] | None = None,
) -> Planned:
    """``plan`` for the command line: the loop by name, a panel file, ``--interviewer`` options.

    The loop, the panel, the options and the day are read each by itself,
    so that every problem among them comes in one run (``Problems``).
    ``kept``: the panel of the packet a build revises, for the interviews of
    the loop that neither a panel file nor ``--interviewer`` gives people.
    """
    errors: list[LoopkitError] = []
    panels: list[PanelInput] = []
    if panel_file is not None and (read := attempt(errors, read_panel_file, panel_file)):
        panels.append(read)
    if interviewers:  # no file: a finding names the option, and the interview by its id
        people = attempt(errors, parse_interviewer_options, interviewers)
        if people is not None:
            panels.append(PanelSource("--interviewer", people, key_prefix=""))
    document = attempt(errors, load_loop, loop)
    if document is None or errors:
        raise one_or_all([*errors, *when_problems(when, columns)])
    if kept and panel_file is None:  # interviews the loop has no more: the revision drops them
        ids = {i.id for i in document.loop.interviews}
        people = {k: v for k, v in kept.items() if k in ids}
        panels.insert(0, PanelSource(LOCK_FILE, people, key_prefix="interviews."))
    return plan(document, when, today, panels, columns=columns)


def attempt(
    errors: list[LoopkitError], step: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T | None:
    """``step(...)``, or None with what was wrong with its input added to ``errors``."""
    try:
        return step(*args, **kwargs)
    except Problems as exc:
        errors.extend(exc.errors)
    except LoopkitError as exc:
        errors.append(exc)
    return None


def one_or_all(errors: Sequence[LoopkitError]) -> LoopkitError:
    """What to raise for problems found together: the one, or all of them at once."""
    return errors[0] if len(errors) == 1 else Problems(list(errors))


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
    The same decision given again without a reason is that decision, its
    reason kept; another decision goes on top, the ones before kept below.
    """
    if not packet_dir.is_dir():
        raise LoopkitError("is not a packet folder", file=str(packet_dir))
    lock, digest = read_lock(packet_dir)
    cards = read_cards(packet_dir, lock, digest, extra)
    aside = _shadows_not_ready(packet_dir, lock, cards)
    others = [p for p in cards.problems if p.file not in aside]
    if others:
        missing = _being_written(others) if allow_missing else _missing_besides(lock, cards)
        raise ValidationFailed([*others, *missing, *(_left_out(f) for f in aside)])
    piped = display_path(STDIN)  # a card from standard input, by the name it is kept under
    filled = [
        dataclasses.replace(c, file=piped_name(lock)) if c.file == piped else c
        for c in cards.filled
    ]
    result = score(lock, filled, cards.blanks, allow_missing=allow_missing)
    recorded, decided_on = _recorded_decisions(packet_dir / "debrief.toml", result)
    latest = recorded[0] if recorded else ("", "")
    if decision:  # recorded on these scores, a decision confirmed too
        decided_on = result.basis
    if not decision or (decision == latest[0] and reason in ("", latest[1])):
        decisions = recorded
    else:  # a new decision goes on top; the ones before stay below it, reasons and all
        decisions = ((decision, reason), *recorded)
    result = dataclasses.replace(
        result, decisions=decisions, decided_on=decided_on if decisions else None
    )
    earlier = result.decided_earlier
    said = [earlier] if earlier else []
    said += (
        f"a shadow's scorecard not shown: scorecards/{os.path.basename(file)} ({who}) is not "
        "ready (half filled in, or wrong: loopkit validate on it says what)"
        for file, who in aside.items()
    )
    if said:  # a late card came after the decision; a trainee's card not ready
        result = dataclasses.replace(result, flags=(*result.flags, *dict.fromkeys(said)))
    return result


def _missing_besides(lock: Lock, cards: Cards) -> list[Finding]:
    """The scorecards the debrief would find missing once the problems of the cards handed
    in are mended, so that every problem is listed at once: a seat whose card has a
    problem is not missing a card."""
    wrong = set()  # (interview, who): a name, or "unassigned" for a seat nobody was given
    for finding in cards.problems:  # by the seat a card names, else by its file's name
        seat = lock.seat(cards.seats.get(finding.file) or Path(finding.file).stem)
        if seat is not None:
            who = Person.parse(seat.interviewer).name if seat.interviewer else "unassigned"
            wrong.add((seat.interview, who.casefold()))
    result = score(lock, cards.filled, allow_missing=True)
    missing = [
        f"{who} ({interview.id})"
        for interview in result.interviews
        for who in interview.missing
        if (interview.id, who.casefold()) not in wrong
    ]
    return [missing_finding(lock, missing, cards.blanks)] if missing else []


def _shadows_not_ready(packet_dir: Path, lock: Lock, cards: Cards) -> dict[str, str]:
    """The cards in the packet's scorecards/ of a shadow, which never count, that are half
    filled in or wrong (``Cards.shadows``): left out of the debrief and said in its flags,
    never a reason to refuse the hiring team's. Each card's file, and its shadow's name.

    A card given on the command line is one someone asked to count: never left out.
    """
    folder = display_path(packet_dir.absolute() / "scorecards")  # as read_cards names them
    return {f: who for f, who in cards.shadows(lock).items() if os.path.dirname(f) == folder}


def _left_out(file: str) -> Finding:
    """A shadow's card not ready, said beside the other cards' problems that stop a debrief:
    not one of them, as the debrief leaves it out."""
    return Finding(
        file,
        0,
        "LK133",
        Severity.WARNING,
        "",
        "a shadow's card, not ready: the debrief leaves it out once the other cards are mended",
        "loopkit validate on it says what to mend",
    )


def _being_written(problems: Sequence[Finding]) -> list[Finding]:
    """With --allow-missing: a line for each card still being filled in, which it does not
    pass over (a card handed in is never left out of a debrief), saying how to go on."""
    started = dict.fromkeys(f.file for f in problems if not_yet_written(f))
    return [
        Finding(
            file,
            0,
            "LK133",
            Severity.ERROR,
            "",
            "is half filled in: --allow-missing leaves out a card not handed in, never one "
            "a person started",
            "finish it; to debrief without it for now, move it out of scorecards/ and keep "
            "it (the interviewer's words), or leave it off the command line",
        )
        for file in started
    ]


def _recorded_decisions(
    path: Path, debrief: Debrief
) -> tuple[tuple[tuple[str, str], ...], Basis | None]:
    """The decisions (and reasons) an earlier debrief of this packet revision recorded, latest
    first, and what the latest was recorded on (``Debrief.decided_on``)."""
    if not path.exists():
        return (), None
    name = display_path(path)
    data, source = parse_toml(read_file(path, name), name)
    if (data.get("packet"), data.get("revision")) != (debrief.packet, debrief.revision):
        return (), None  # another packet's or revision's: not this one's decision
    decided_on = _decided_on(data.get("decided_on"))
    if isinstance(decided_on, tuple):  # what is wrong with it, and where
        why, keys = decided_on
        raise LoopkitError(
            f"the recorded decided_on cannot be read: {why}",
            file=name,
            line=source.line_of(("decided_on", *keys)),
            key=".".join(("decided_on", *keys)),
            hint="delete decided_on in the file, then run loopkit debrief again",
        )
    entries: list[object] = [
        {"decision": data.get("decision", ""), "reason": data.get("reason", "")}
    ]
    earlier = data.get("earlier_decisions", [])
    entries += earlier if isinstance(earlier, list) else [None]
    out = []
    for n, entry in enumerate(entries):
        decision = entry.get("decision", "") if isinstance(entry, dict) else None
        reason = entry.get("reason", "") if isinstance(entry, dict) else None
        if decision not in ("", *DECISIONS):
            wrong, what, hint = "decision", "cannot be read", "set it to hire or no-hire"
        elif not isinstance(reason, str):
            wrong, what, hint = "reason", "cannot be read", "write it as text in quotes"
        elif unprintable(reason) or hidden(reason):
            chars = code_points(list(dict.fromkeys(unprintable(reason) + hidden(reason))))
            wrong, what, hint = "reason", f"cannot be printed ({chars})", "leave those out"
        else:
            if decision:
                out.append((decision, reason))
            continue
        loc = (wrong,) if n == 0 else ("earlier_decisions", n - 1, wrong)
        raise LoopkitError(
            f"the recorded {wrong} {what}",
            file=name,
            line=source.line_of(loc),
            key=wrong if n == 0 else f"earlier_decisions[{n - 1}].{wrong}",
            hint=f"{hint} in the file, then run loopkit debrief again",
        )
    return tuple(out), decided_on


def _decided_on(value: object) -> Basis | tuple[str, tuple[str, ...]] | None:
    """``decided_on`` as a debrief recorded it; None when it did not (an older loopkit);
    what is wrong with it, and its key, when it cannot be read."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return "not a table", ()
    extra = sorted(set(value) - {"score", "incomplete", "scorecards"})
    if extra:
        return "a key loopkit does not write", (extra[0],)
    score, incomplete, cards = (value.get(k) for k in ("score", "incomplete", "scorecards"))
    if not isinstance(incomplete, bool):
        return "not true or false", ("incomplete",)
    try:
        number = on_scale(score)
    except (TypeError, ValueError):  # text, inf, nan, 10**400
        return f"not a score from {min(RATING_LABELS)} to {max(RATING_LABELS)}", ("score",)
    if not isinstance(cards, dict) or not all(isinstance(d, str) for d in cards.values()):
        return "not a table of each scorecard's digest", ("scorecards",)
    return Basis(number, incomplete, tuple(sorted(cards.items())))


def write_debrief(
    debrief: Debrief, packet_dir: Path, handed: Sequence[Path] = ()
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Render debrief.pdf and debrief.toml in memory, then write both or neither.

    Written under the packet's lock, and only if the folder still holds the
    revision the debrief was made from: a revision that ran meanwhile moved
    or changed the packet, and this debrief belongs to neither.

    Then the scorecards ``handed`` in from elsewhere (``--scorecard``) are
    copied into the packet (``keep_handed``). Returns the files written, and
    each card left where it was with the reason.
    """
    # The PDF stack, only when writing a debrief: plan and batch come through this
    # module too and draw nothing here, and reportlab's import is about 100 ms.
    from loopkit.render.debrief import render_debrief

    # the folder by its real path: a link to it, or scorecards/.., is the same packet
    packet_dir = Path(os.path.realpath(packet_dir))
    files = {
        packet_dir / "debrief.toml": tomli_w.dumps(debrief_data(debrief)).encode("utf-8"),
        packet_dir / "debrief.pdf": render_debrief(debrief),
    }
    with packet_lock(packet_dir.parent, debrief.packet):
        try:
            now, _ = read_lock(packet_dir)
        except LoopkitError:
            now = None
        if now is None or (now.packet.id, now.packet.revision) != (
            debrief.packet,
            debrief.revision,
        ):
            raise OutputError(
                f"{packet_dir} changed while the debrief ran (a new revision was written)",
                hint="run the debrief again",
            )
        # Another debrief that recorded a decision meanwhile: this one was made on the
        # decisions before it, and writing it would drop that decision.
        recorded, _ = _recorded_decisions(packet_dir / "debrief.toml", debrief)
        if recorded not in (debrief.decisions, debrief.decisions[1:]):
            raise OutputError(
                f"{packet_dir / 'debrief.toml'} changed while the debrief ran "
                "(another debrief recorded a decision)",
                hint="run the debrief again: it keeps that decision",
            )
        written = write_files_atomic(files)
        kept, left = keep_handed(handed, packet_dir, now)
        return written + kept, left


def keep_handed(
    handed: Sequence[Path], packet_dir: Path, lock: Lock
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Copy cards counted from elsewhere into ``scorecards/``, so the packet holds them all.

    A card goes in under its own name (one from standard input under its
    seat's) where that name is free, or holds the same bytes, or the blank
    loopkit wrote; a card a person wrote there is never replaced. status
    reads ``*.toml`` and ``*.pdf``, and a debrief names cards by file name:
    a card of another name, or a second card of one name, stays where it
    is. Each card left out comes with the reason.
    """
    kept: list[Path] = []
    left: list[tuple[Path, str]] = []
    taken: set[str] = set()
    try:  # the packet's own cards, links followed: one given again is already here
        with os.scandir(packet_dir / "scorecards") as entries:
            seen = {os.path.realpath(entry.path) for entry in entries}
    except OSError:
        seen = set()
    for given in handed:
        real = "-" if given == STDIN else os.path.realpath(given)
        if real in seen:
            continue  # one card given twice, by two paths, or a card of this packet
        seen.add(real)
        if given == STDIN:  # no file name: the name of the seat it is for
            path, name = STDIN, piped_name(lock)
            if not name:
                left.append((given, "it names no seat of this packet"))
                continue
        else:
            path = Path(real)  # a link's card by its own name, as the debrief names it
            name = path.name
        target = packet_dir / "scorecards" / name
        if not name.endswith(CARD_SUFFIXES):
            left.append((given, "only a .toml or .pdf file in scorecards/ is read there"))
            continue
        if name in taken:
            left.append((given, f"another card given is named {name} too"))
            continue
        taken.add(name)
        if target.exists() and not target.is_file():
            left.append((given, f"scorecards/{name} is not a file"))
            continue
        try:
            data = read_file(STDIN, name, MAX_PDF_BYTES) if path == STDIN else path.read_bytes()
            there = target.read_bytes() if target.exists() else None
        except OSError as exc:
            left.append((given, f"it cannot be read: {exc.strerror or exc}"))
            continue
        if there == data:
            continue
        blank = lock.files.get(f"scorecards/{name}")
        if there is not None and blank != file_digest(there):
            left.append((given, f"scorecards/{name} holds a card a person wrote"))
            continue
        if there is not None and card_seat(path) != target.stem:  # Sam's card named as Lu's
            left.append((given, f"scorecards/{name} is the blank of another seat"))
            continue
        try:
            write_bytes_atomic(target, data)
        except OutputError as exc:
            left.append((given, exc.message))
            continue
        kept.append(target)
    return kept, left

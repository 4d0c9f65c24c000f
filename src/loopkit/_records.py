"""The files loopkit writes and reads back: the lock file and the filled scorecard.

Like the loop and scorecard files they are frozen models checked by
pydantic-core (unknown keys and wrong types are errors with a line), so the
debrief never walks a raw dict. What they mean is judged elsewhere: the
lock's hash by the loader, a scorecard against the lock by ``_debrief``.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from datetime import datetime
from typing import Any

import tomli_w
from pydantic_core import PydanticCustomError, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from loopkit._errors import ValidationFailed
from loopkit._models import (
    FREE_TEXT,
    ID,
    INTERVIEW_KINDS,
    MAX_NAME,
    TEXT,
    VARIANTS,
    WEIGHT,
    Person,
    ScorecardTemplate,
    clean_name,
)
from loopkit._schema import key, model, parse_model, schema_of
from loopkit._source import Source, loads, parse_text

PAPERS = ("letter", "a4")
MAX_REVISION = 100_000  # a packet revised more often than this is a loop gone wrong
HASH = cs.str_schema(strict=True, pattern=r"^sha256:[0-9a-f]{64}$")
NAME = cs.str_schema(strict=True, max_length=MAX_NAME * 2)  # "Name <email>"
STAMP = cs.str_schema(strict=True, max_length=40)  # an ISO date or date-time, as loopkit wrote it


@model
class LockPacket:
    """Who and when: the packet's identity and its day."""

    id: str = key(cs.str_schema(strict=True, min_length=1, max_length=120))
    candidate: str = key(cs.str_schema(strict=True, min_length=1, max_length=MAX_NAME))
    loop: str = key(ID)
    title: str = key(TEXT)
    variant: str = key(cs.literal_schema(list(VARIANTS)))
    hire_bar: float = key(cs.float_schema(strict=True, ge=1, le=4, allow_inf_nan=False))
    date: str = key(STAMP)
    tz: str = key(cs.str_schema(strict=True, min_length=1, max_length=80))
    candidate_tz: str = key(cs.str_schema(strict=True, min_length=1, max_length=80))
    start: str = key(STAMP)
    end: str = key(STAMP)
    paper: str = key(cs.literal_schema(list(PAPERS)))
    revision: int = key(cs.int_schema(strict=True, ge=1, le=MAX_REVISION), default=1)
    organizer: str = key(NAME, default="", doc='Who sends the invitations: "Name <email>".')
    candidate_email: str = key(cs.str_schema(strict=True, max_length=320), default="")


@model
class LockInterview:
    """One interview as planned: its times, weight, scorecard and people."""

    id: str = key(ID)
    title: str = key(TEXT)
    kind: str = key(cs.literal_schema(list(INTERVIEW_KINDS)))
    weight: float = key(WEIGHT)
    scorecard: str = key(ID)
    start: str = key(STAMP)
    end: str = key(STAMP)
    interviewers: list[str] = key(cs.list_schema(NAME, max_length=20), default_factory=list)
    uid: str = key(
        cs.str_schema(strict=True, max_length=300),
        default="",
        doc="The calendar event's UID, fixed when the interview first appears.",
    )
    sequence: int = key(
        cs.int_schema(strict=True, ge=0, le=100_000),
        default=0,
        doc="The event's SEQUENCE: one more in each revision that changed the event.",
    )
    scorecard_files: list[str] = key(cs.list_schema(FREE_TEXT, max_length=21), default_factory=list)


@model
class LockSeat:
    """One interviewer (or one unassigned place) in one interview, and what makes it that seat."""

    stem: str = key(cs.str_schema(strict=True, min_length=1, max_length=200))
    interview: str = key(ID)
    interviewer: str = key(NAME, doc='"Name <email>", or "" for an unassigned seat.')
    fingerprint: str = key(HASH, doc="What the seat is: candidate, interview, template, person.")
    locks: list[str] = key(
        cs.list_schema(HASH, max_length=100_000),
        default_factory=list,
        doc="Earlier revisions' lock hashes whose scorecards stay valid for this seat.",
    )


@model
class LockHistory:
    """One revision of the packet and what it changed."""

    revision: int = key(cs.int_schema(strict=True, ge=1, le=100_000))
    changes: list[str] = key(cs.list_schema(FREE_TEXT, max_length=10_000))
    at: str = key(
        STAMP,
        default="",
        doc="When the revision was made (UTC): the clock, or SOURCE_DATE_EPOCH when set.",
    )


@model
class LockCancel:
    """A cancellation the packet's invitations hold: an event one person is no longer in.

    Kept from revision to revision until that person is invited to that
    event again, so a cancellation not yet sent when the next revision came
    is never dropped.
    """

    person: str = key(NAME, doc='Who it goes to: "Name <email>".')
    uid: str = key(cs.str_schema(strict=True, min_length=1, max_length=300))
    sequence: int = key(cs.int_schema(strict=True, ge=0, le=100_000))
    start: str = key(STAMP)
    end: str = key(STAMP)
    title: str = key(TEXT)
    candidate: bool = key(cs.bool_schema(strict=True), default=False)


@model
class LockDropped:
    """The calendar event of an interview gone from the packet.

    ``schedule.ics`` carries it, cancelled, from then on: a calendar the file
    was imported to takes the event off when the file is imported again.
    """

    uid: str = key(cs.str_schema(strict=True, min_length=1, max_length=300))
    sequence: int = key(cs.int_schema(strict=True, ge=0, le=100_000))
    start: str = key(STAMP)
    end: str = key(STAMP)
    title: str = key(TEXT)


@model
class Lock:
    """loop.lock.toml: the loop fully resolved for one candidate (its hash is kept apart)."""

    packet: LockPacket = key(schema_of(LockPacket))
    interviews: list[LockInterview] = key(
        cs.list_schema(schema_of(LockInterview), min_length=1, max_length=50)
    )
    seats: list[LockSeat] = key(cs.list_schema(schema_of(LockSeat), max_length=1000))
    scorecards: dict[str, ScorecardTemplate] = key(
        cs.dict_schema(cs.str_schema(strict=True), schema_of(ScorecardTemplate), max_length=50)
    )
    retired: list[LockSeat] = key(
        cs.list_schema(schema_of(LockSeat), max_length=100_000),
        default_factory=list,
        doc="Seats of earlier revisions that changed or went, so a seat that comes back "
        "accepts its old scorecards.",
    )
    history: list[LockHistory] = key(
        cs.list_schema(schema_of(LockHistory), max_length=100_000), default_factory=list
    )
    cancelled: list[LockCancel] = key(
        cs.list_schema(schema_of(LockCancel), max_length=100_000),
        default_factory=list,
        doc="The cancellations in invites/, kept until their person is invited again.",
    )
    dropped: list[LockDropped] = key(
        cs.list_schema(schema_of(LockDropped), max_length=100_000),
        default_factory=list,
        doc="The events of interviews gone from the packet, cancelled in schedule.ics.",
    )
    files: dict[str, str] = key(
        cs.dict_schema(FREE_TEXT, HASH, max_length=10_000),
        default_factory=dict,
        doc="The sha256 of every file loopkit wrote, so a person's changes are never replaced.",
    )

    def _check(self) -> None:
        """What the debrief and a revision rely on, in a lock edited and hashed again by hand."""
        ids = [i.id for i in self.interviews]
        if len(set(ids)) != len(ids):
            raise PydanticCustomError("lock", "two interviews share an id")
        for interview in self.interviews:
            if interview.scorecard not in self.scorecards:
                raise PydanticCustomError(
                    "lock",
                    "interview {id} names scorecard {card}, which the lock lacks",
                    {"id": interview.id, "card": interview.scorecard},
                )
            for when in (interview.start, interview.end):
                _instant(when)
            if not interview.uid.isprintable():  # a line break would end its line in the .ics
                raise PydanticCustomError(
                    "lock",
                    "an interview's uid that does not print: {uid}",
                    {"uid": repr(interview.uid)},
                )
            for person in interview.interviewers:
                try:
                    Person.parse(person)
                except ValueError as exc:
                    raise PydanticCustomError("lock", "{why}", {"why": str(exc)}) from None
        for when in (self.packet.start, self.packet.end):
            _instant(when)
        for template in self.scorecards.values():
            competencies = [c.id for c in template.competencies]
            if len(set(competencies)) != len(competencies):
                raise PydanticCustomError(
                    "lock", "two competencies of {id} share an id", {"id": template.id}
                )
        stems = [s.stem for s in self.seats]
        if len(set(stems)) != len(stems):
            raise PydanticCustomError("lock", "two seats share a file name")
        for seat in self.seats:
            if seat.interview not in ids:
                raise PydanticCustomError(
                    "lock", "seat {stem} is in no interview", {"stem": seat.stem}
                )
        people = [s.interviewer for s in self.seats if s.interviewer]
        if self.packet.organizer:
            people.append(self.packet.organizer)
        for text in people:
            try:
                Person.parse(text)
            except ValueError as exc:
                raise PydanticCustomError("lock", "{why}", {"why": str(exc)}) from None
        try:
            clean_name(self.packet.candidate)
            if self.packet.candidate_email:
                Person.parse(f"x <{self.packet.candidate_email}>")
        except ValueError as exc:
            raise PydanticCustomError("lock", "{why}", {"why": str(exc)}) from None
        _check_cancelled(self.cancelled)
        for event in self.dropped:
            if not event.uid.isprintable():
                raise PydanticCustomError(
                    "lock",
                    "a dropped event's uid that does not print: {uid}",
                    {"uid": repr(event.uid)},
                )
            if _instant(event.end) <= _instant(event.start):
                raise PydanticCustomError(
                    "lock", "a dropped event that ends before it starts: {uid}", {"uid": event.uid}
                )

    def interview(self, interview_id: str) -> LockInterview | None:
        """The interview with this id, if the packet has it."""
        return next((i for i in self.interviews if i.id == interview_id), None)

    def seat(self, stem: str) -> LockSeat | None:
        """The seat whose files are ``scorecards/<stem>.*``, if there is one."""
        return next((s for s in self.seats if s.stem == stem), None)

    def shadows(self) -> dict[str, str]:
        """The seats of shadows, whose cards never count: each seat's stem, and the shadow's
        name."""
        people = {s.stem: Person.parse(s.interviewer) for s in self.seats if s.interviewer}
        return {stem: p.name for stem, p in people.items() if p.shadow}


# A rating's value is judged against the lock (1-4 or "no signal"), with one message for any
# other value: a number, text, true or a list alike.
RATING = cs.any_schema()
# What an editor may say of a card being filled in: 0 is "not yet" (validate warns of a blank).
_NOT_YET = {"type": "integer", "minimum": 0, "maximum": 4}
_RATING_JSON = {
    "anyOf": [_NOT_YET, {"type": "string", "pattern": "^ *[Nn][Oo] [Ss][Ii][Gg][Nn][Aa][Ll] *$"}],
    "description": '1 strong no, 2 no, 3 yes, 4 strong yes, or "no signal"; 0 is not filled in.',
}


@model
class FilledScorecard:
    """A scorecard TOML as an interviewer hands it back (SPEC 2.5)."""

    packet: str = key(cs.str_schema(strict=True, max_length=200))
    interview: str = key(cs.str_schema(strict=True, max_length=200))
    lock: str = key(cs.str_schema(strict=True, max_length=200))
    seat: str = key(
        cs.str_schema(strict=True, max_length=200),
        default="",
        doc="The seat the blank was written for: scorecards/<seat>.toml.",
    )
    interviewer: str = key(cs.str_schema(strict=True, max_length=MAX_NAME), default="")
    recommendation: int = key(
        cs.int_schema(strict=True, metadata={"json_schema_extra": _NOT_YET}),
        doc="1 strong no, 2 no, 3 yes, 4 strong yes; 0 is not filled in.",
    )
    notes: str = key(cs.str_schema(strict=True, max_length=50_000), default="")
    ratings: dict[str, object] = key(
        cs.dict_schema(
            cs.str_schema(strict=True),
            RATING,
            max_length=100,
            metadata={"json_schema_extra": {"additionalProperties": _RATING_JSON}},
        ),
        doc="One per competency.",
    )
    evidence: dict[str, str] = key(
        cs.dict_schema(
            cs.str_schema(strict=True),
            cs.str_schema(strict=True, max_length=50_000),
            max_length=100,
        ),
        default_factory=dict,
    )

    @property
    def untouched(self) -> bool:
        """Still the blank loopkit wrote: no recommendation and no rating given (all 0), and
        no words written (a card with notes or evidence and no rating yet is being filled
        in, never a blank to pass over)."""
        return (
            self.recommendation == 0
            and all(v == 0 for v in self.ratings.values())
            and not self.notes.strip()
            and not any(text.strip() for text in self.evidence.values())
        )


def _check_cancelled(cancelled: list[LockCancel]) -> None:
    """Each cancellation to an address, of one span of time, and one per event and address."""
    seen = set()
    for cancel in cancelled:
        try:
            person = Person.parse(cancel.person)
        except ValueError as exc:
            raise PydanticCustomError("lock", "{why}", {"why": str(exc)}) from None
        if not person.email:
            raise PydanticCustomError(
                "lock", "a cancellation with no address: {who}", {"who": cancel.person}
            )
        if not cancel.uid.isprintable():
            raise PydanticCustomError(
                "lock", "a cancellation's uid that does not print: {uid}", {"uid": repr(cancel.uid)}
            )
        if _instant(cancel.end) <= _instant(cancel.start):
            raise PydanticCustomError(
                "lock", "a cancellation that ends before it starts: {uid}", {"uid": cancel.uid}
            )
        if (cancel.uid, person.email.casefold()) in seen:
            raise PydanticCustomError(
                "lock",
                "two cancellations of {uid} for {who}",
                {"uid": cancel.uid, "who": person.email},
            )
        seen.add((cancel.uid, person.email.casefold()))


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise PydanticCustomError(
            "lock", "not a date and time with its offset: {text}", {"text": text[:40]}
        )
    return moment


LOCK_HEADER = (
    "# loopkit lock file: this packet's loop, fully resolved. The debrief checks it; do not edit.\n"
)


def lock_data(lock: Lock) -> dict[str, Any]:
    """The lock as plain data, without its file hashes: what its hash is taken over."""
    data = dataclasses.asdict(lock)
    del data["files"]
    for kept in ("cancelled", "dropped"):  # a lock with none reads as one from before them
        if not data[kept]:
            del data[kept]
    return data


def lock_digest(data: dict[str, Any]) -> str:
    """The hash of a lock's plain data (``lock_data``, or the file read back without hash and files)."""
    return "sha256:" + hashlib.sha256(tomli_w.dumps(data).encode("utf-8")).hexdigest()


def as_written(text: str, written: str) -> bool:
    """Whether a lock's text is, byte for byte, the text loopkit wrote with hash ``written``.

    Its hash is then right without serialising its data again (half the time
    of reading a lock): loopkit writes the header, the hash line, the data
    exactly as the hash is taken over, then the ``files`` table. The text
    between must hash to ``written``, and what follows must be that table
    alone, so the file holds the data that was hashed. A lock laid out in
    any other way is checked by ``lock_digest``.
    """
    head = f'{LOCK_HEADER}hash = "{written}"\n'
    cut = text.rfind("\n[files]\n")
    if not text.startswith(head) or cut < len(head):
        return False
    if file_digest(text[len(head) : cut].encode("utf-8")) != written:
        return False
    try:  # a few lines: the hashes of the files
        rest = loads(text[cut:])
    except (ValueError, RecursionError):
        return False
    return list(rest) == ["files"]


# A lock's templates as loopkit writes them: from its first [scorecards.<id>] table to the
# first table after it that is not theirs. (A newline, not ^ in MULTILINE mode: the search
# then skips to each "\n[", ten times as fast.)
_TEMPLATES_START = re.compile(r"\n\[\[?scorecards\.")
_TEMPLATES_END = re.compile(r"\n\[(?!\[?scorecards\.)")
_HASH_LINE = re.compile(r'hash = "(sha256:[0-9a-f]{64})"\n')
_templates_read: dict[str, dict[str, ScorecardTemplate]] = {}  # by their text
KEEP_TEMPLATES = 16  # loops (and versions of one) read in one process before they are let go


def lock_as_written(raw: bytes, name: str) -> tuple[Lock, str] | None:
    """A lock as loopkit wrote it, and its hash, with its templates checked once per process.

    The packets of one loop hold the same templates, two-thirds of every
    lock, and status reads a thousand locks. Here the templates' text is cut
    out, and parsed and checked the first time it is seen; the text before
    and after them is parsed and checked as always, and so is the whole
    lock (the templates named by its interviews, their competencies). The
    text must be the text its hash was taken over (``as_written``).

    The three parts are read as the whole file reads: each is parsed on
    its own, so a value over lines that a cut would split (a string, an
    array) leaves its part unclosed, never joined to a value in another
    part; a cut falls where a line starts with "[", which outside a value
    is a table; and parts that share a top-level table (another table of
    templates, a second [[history]]) are not read so.

    None for a lock laid out any other way, or with anything wrong in it:
    ``read_lock`` then reads it whole, and says what.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    hashed = _HASH_LINE.match(text, len(LOCK_HEADER))
    if not text.startswith(LOCK_HEADER) or hashed is None or not as_written(text, hashed[1]):
        return None
    first = _TEMPLATES_START.search(text)
    after = _TEMPLATES_END.search(text, first.end()) if first else None
    if first is None or after is None:
        return None
    start, end = first.start() + 1, after.start() + 1  # where their lines start
    part = text[start:end]
    templates = _templates_read.get(part) or _templates(part, name)
    if templates is None:
        return None
    try:
        head, _ = parse_text(text[:start], name)
        tail, _ = parse_text(text[end:], name)
    except ValidationFailed:
        return None
    if head.keys() & tail.keys() or "scorecards" in head.keys() | tail.keys():
        return None
    data = {**head, **tail, "scorecards": templates}
    del data["hash"]
    lock, _ = parse_model(Lock, data, Source(name, text))
    return None if lock is None else (lock, hashed[1])


def _templates(part: str, name: str) -> dict[str, ScorecardTemplate] | None:
    """A lock's templates from their text, kept for the next lock that holds the same."""
    try:
        data, _ = parse_text(part, name)
        if list(data) != ["scorecards"]:
            return None
        templates: dict[str, ScorecardTemplate] = _templates_check().validate_python(
            data["scorecards"]
        )
    except (ValidationFailed, ValidationError, RecursionError):
        return None
    if len(_templates_read) >= KEEP_TEMPLATES:
        _templates_read.clear()
    _templates_read[part] = templates
    return templates


@functools.cache
def _templates_check() -> SchemaValidator:
    """The check of a lock's ``scorecards`` table, as the lock's own schema has it."""
    (field,) = (f for f in dataclasses.fields(Lock) if f.name == "scorecards")
    return SchemaValidator(field.metadata["schema"])


def file_digest(data: bytes) -> str:
    """The hash the lock keeps of one written file."""
    return "sha256:" + hashlib.sha256(data).hexdigest()

"""The packet: a planned loop for one candidate, resolved into everything the renderers need.

Pure: ``build_packet`` computes the seats, their file names and
fingerprints, and the lock; nothing here reads or writes a file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from loopkit._errors import Finding, LoopkitError
from loopkit._models import MAX_NAME, Interview, Loop, Person, ScorecardTemplate, clean_name
from loopkit._records import (
    PAPERS,
    Lock,
    LockCancel,
    LockDropped,
    LockHistory,
    LockInterview,
    LockPacket,
    LockSeat,
    lock_data,
    lock_digest,
)
from loopkit._schedule import Planned, Schedule, Slot

FIRST_BUILD = "first version"
# Latin letters that NFKD does not take apart into an ASCII base. Folded this way
# before anything else, so that every Latin slug stays what earlier versions made it.
_FOLD = str.maketrans(
    dict(
        zip(
            "đĐłŁøØßæÆœŒıþð",
            ["d", "D", "l", "L", "o", "O", "ss", "ae", "AE", "oe", "OE", "i", "th", "d"],
            strict=True,
        )
    )
)


def slugify(text: str, limit: int = 40, *, transliterate: bool = True) -> str:
    """An ASCII slug of ``text`` (letters, digits and single hyphens), at most ``limit`` long.

    Latin letters lose their accents; letters of other scripts are written in
    Latin letters by anyascii (``Иван`` ``ivan``, ``王小明`` ``wang-xiao-ming``),
    one word per syllable where a script writes a syllable per character.
    Without ``transliterate`` they are left out, as loopkit 1 did.
    """
    bare = "".join(_bare(c) for c in text)
    bare = bare.replace("ου", "ou")  # one sound in Greek: letter by letter it would read "oy"
    ascii_text = "".join(c if c.isascii() else _latin(c) if transliterate else "-" for c in bare)
    if transliterate:  # "𝓐" is "A" only once taken apart; loopkit 1 left it so
        ascii_text = ascii_text.lower()
    words = "".join(c if c.isascii() and c.isalnum() else "-" for c in ascii_text)
    return re.sub(r"-+", "-", words).strip("-")[:limit].strip("-")


def plain(name: str) -> str:
    """A name without capitals, accents, apostrophes or extra spaces, punctuation read as a
    space, other scripts as they are: two spellings of one name (Zoë Müller, ZOE MULLER;
    Mary-Jane O'Brien, Mary Jane OBrien) are the same text."""
    return " ".join("".join(_plain(c) for c in name).split())


def _plain(char: str) -> str:
    if char in "'\u2019\u02bc\u2018`":  # ' ’ ʼ ‘ `: O'Brien, OBrien
        return ""
    if unicodedata.category(char).startswith("P"):  # a hyphen, a dot, ジョン・スミス's dot
        return " "
    return _bare(char)


def _bare(char: str) -> str:
    """A character in lower case without its accents: ASCII for every Latin letter."""
    bare = "".join(
        c
        for c in unicodedata.normalize("NFKD", char.translate(_FOLD).lower())
        if not unicodedata.combining(c)
    )
    if bare.isascii():
        return bare
    if any(c.isascii() and c.isalnum() for c in bare):
        return "".join(c if c.isascii() else "-" for c in bare)  # "ŉ" is "-n", as it was
    if char.lower() == char.upper():
        # The whole character, not its parts: a Korean syllable would fall apart into
        # letters, a Japanese kana lose the mark that makes "ta" "da".
        return char
    return bare


# Two letters loopkit 1 wrote otherwise than anyascii does: kept, so their packets keep their ids.
_FORMER = {"є": "ye", "β": "b", "ϐ": "b"}


def _latin(char: str) -> str:
    """A character of another script in Latin letters ("" when it has none)."""
    # Imported here: anyascii brings importlib.resources, 7-20 ms at start-up that a
    # Latin name, and every command but packet and batch, never needs.
    from anyascii import anyascii

    latin = _FORMER.get(char) or anyascii(char)
    if char.lower() == char.upper() and latin[:1].isupper():
        # A script without cases whose characters are syllables (Chinese, Korean):
        # anyascii capitalises each one ("WangXiaoMing"); each is a word of its own.
        return f"-{latin.lower()}-"
    # Cyrillic's hard and soft signs come out as apostrophes; they carry no sound.
    return latin.replace("'", "").lower()


def name_slug(name: str, limit: int = 40, *, transliterate: bool = True) -> str:
    """A slug for a person's name that is never empty: a short hash when no letter survives."""
    slug = slugify(name, limit, transliterate=transliterate)
    if len(slug) < 2:
        slug = "n-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug


def seat_base(interview: str, person: Person | None) -> str:
    """A seat's file name before it is told from another of the same: the interview and
    the interviewer's name in Latin letters (``llm-coding--li-wei`` for 李伟), or the
    interview alone for an unassigned seat. A revision keeps the name a seat has in the
    lock (``_revise._stems_kept``): loopkit 1 made a hash of a name in another script."""
    return f"{interview}--{name_slug(person.name)}" if person else interview


def free_stem(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... the first not in ``taken``."""
    stem, n = base, 2
    while stem in taken:
        stem, n = f"{base}-{n}", n + 1
    return stem


def check_candidate(name: str) -> str:
    """A clean candidate name, or an error saying what is wrong with it."""
    try:
        cleaned = clean_name(name)
    except ValueError as exc:
        raise LoopkitError(
            str(exc).replace("a name", "the candidate's name"), key="--candidate"
        ) from None
    if not cleaned:
        raise LoopkitError("the candidate's name is empty", key="--candidate")
    if not any(c.isalnum() for c in cleaned):
        raise LoopkitError(
            f"the candidate's name needs a letter or a digit, got {cleaned!r}", key="--candidate"
        )
    if len(cleaned) > MAX_NAME:
        raise LoopkitError(
            f"the candidate's name is {len(cleaned)} characters; at most {MAX_NAME}",
            key="--candidate",
        )
    return cleaned


@dataclass(frozen=True)
class Seat:
    """One interviewer's scorecard in one interview (person is None when unassigned)."""

    interview: Interview
    slot: Slot
    template: ScorecardTemplate
    person: Person | None
    stem: str
    fingerprint: str

    @property
    def interviewer(self) -> str:
        """The interviewer's name as the packet prints it (a shadow's says so), or "unassigned"."""
        return self.person.label if self.person else "unassigned"

    @property
    def shadow(self) -> bool:
        """A trainee's seat: their scorecard is compared in calibration, never counted."""
        return self.person is not None and self.person.shadow


def seat_fingerprint(
    candidate: str,
    interview: Interview,
    template: ScorecardTemplate,
    person: Person | None,
    *,
    as_typed: bool = False,
) -> str:
    """What makes a seat the same seat across revisions (SPEC 8.1).

    The candidate, the interview's id, kind and weight, the whole scorecard
    template, and the interviewer; not the day or the time. The interviewer's
    address in any case (SAM@Example.com is sam@example.com); ``as_typed``:
    as it was typed, as locks took it before.
    """
    if person is not None and not as_typed:
        person = dataclasses.replace(person, email=person.email.casefold())
    identity = {
        "candidate": candidate,
        "interview": [interview.id, interview.kind, interview.weight],
        "template": asdict(template),
        "interviewer": str(person) if person else "",
    }
    text = json.dumps(identity, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Cancel:
    """An event one person is no longer in: their calendar gets a cancellation."""

    person: Person
    uid: str
    sequence: int
    start: datetime
    end: datetime
    title: str
    candidate: bool = False  # the candidate's own (an address given up, an interview gone)


@dataclass(frozen=True)
class Packet:
    """Everything the packet renderers lay out, computed once.

    ``revision``, ``history`` and ``seat_locks`` say where the packet stands
    in its life: a first build is revision 1; ``_revise`` makes the next.
    """

    id: str
    candidate: str
    loop: Loop
    schedule: Schedule
    templates: dict[str, ScorecardTemplate]
    seats: tuple[Seat, ...]
    paper: str
    revision: int = 1
    history: tuple[LockHistory, ...] = (LockHistory(revision=1, changes=[FIRST_BUILD]),)
    # per seat, earlier lock hashes whose filled scorecards stay valid
    seat_locks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    organizer: Person | None = None
    candidate_email: str = ""
    # per interview, the calendar event's UID and SEQUENCE
    events: dict[str, tuple[str, int]] = field(default_factory=dict)
    cancels: tuple[Cancel, ...] = ()
    dropped: tuple[LockDropped, ...] = ()  # events of interviews gone: cancelled in schedule.ics
    # the addresses (in any case) the revision before sent invitations to
    invited: frozenset[str] = frozenset()
    retired: tuple[LockSeat, ...] = ()  # earlier seats that changed or went
    # the id was given (--id), not made from the name: the coordinator named this packet
    id_given: bool = False
    # ids an earlier loopkit gave this candidate's packet, found in an output folder by them
    former_ids: tuple[str, ...] = ()
    # what planning the day warned of, for a batch to say (not part of the packet's files)
    warnings: tuple[Finding, ...] = field(default=(), compare=False)
    # of "organizer" and "candidate_email", those the command left out: a revision keeps the
    # packet's own (a reschedule typed without them neither drops nor cancels invitations)
    unsaid: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def stamp(self) -> datetime:
        """When this revision was made (UTC): every calendar file's DTSTAMP."""
        at = self.history[-1].at if self.history else ""
        return datetime.fromisoformat(at) if at else self.schedule.start.astimezone(UTC)

    def event(self, interview_id: str) -> tuple[str, int]:
        """The UID and SEQUENCE of an interview's calendar event."""
        return self.events.get(interview_id, (event_uid(self.id, interview_id), 0))

    @property
    def folder(self) -> str:
        """The packet folder's name: ``<date>-<id>``; it moves when the day does."""
        return f"{self.schedule.day.isoformat()}-{self.id}"

    def seats_of(self, interview_id: str) -> tuple[Seat, ...]:
        """The seats of one interview, in panel order."""
        return tuple(s for s in self.seats if s.interview.id == interview_id)

    @cached_property
    def lock(self) -> Lock:
        """loop.lock.toml as a value (without the hashes of the files, which the writer adds)."""
        return _lock(self)

    @cached_property
    def lock_hash(self) -> str:
        """The lock's hash, which every blank scorecard carries."""
        return lock_digest(lock_data(self.lock))


def former_id(candidate: str, loop_id: str) -> str:
    """The id loopkit 1 gave the packet: it left letters of other scripts out of the slug,
    or made a hash of a name with none it could keep; a packet it wrote is still this
    candidate's."""
    return f"{name_slug(candidate, transliterate=False)}-{loop_id}"


def packet_id(candidate: str, loop_id: str, given: str | None = None) -> str:
    """The id a packet keeps for life: ``<candidate-slug>-<loop-id>`` unless one is given."""
    if given is None:
        return f"{name_slug(candidate)}-{loop_id}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", given):
        raise LoopkitError(
            f"not a valid packet id: {given!r}",
            key="--id",
            hint="lower-case letters, digits and -, at most 80",
        )
    return given


def event_uid(packet: str, interview_id: str) -> str:
    """The UID an interview's event gets when it first appears in a packet."""
    return f"{packet}--{interview_id}@loopkit"


def build_packet(
    planned: Planned,
    candidate: str,
    paper: str = "letter",
    given_id: str | None = None,
    *,
    organizer: Person | None = None,
    candidate_email: str = "",
    at: datetime | None = None,
    unsaid: frozenset[str] = frozenset(),
) -> Packet:
    """Resolve a planned loop for one candidate: seats, file names and the lock.

    ``at`` is when this build happens (the caller reads the clock); without
    it, the loop's start stands in, so a library caller still gets the same
    bytes from the same inputs. ``unsaid``: of ``organizer`` and
    ``candidate_email``, those not given, which a revision takes from the
    packet it revises.
    """
    if paper not in PAPERS:
        raise LoopkitError(f"unknown paper size {paper!r}", key="--paper", hint="letter or a4")
    candidate = check_candidate(candidate)
    loop, schedule = planned.loop, planned.schedule
    templates = {k: v.template for k, v in sorted(planned.document.scorecards.items())}
    seats: list[Seat] = []
    used: set[str] = set()  # across the packet: an interview id may itself hold "--"
    for slot in schedule.interviews:
        assert slot.interview is not None
        interview = slot.interview
        template = templates[interview.scorecard]
        people: tuple[Person | None, ...] = slot.people or (None,)
        for person in people:
            stem = free_stem(seat_base(interview.id, person), used)
            used.add(stem)
            fingerprint = seat_fingerprint(candidate, interview, template, person)
            seats.append(Seat(interview, slot, template, person, stem, fingerprint))
    when = (at or schedule.start).astimezone(UTC).replace(microsecond=0)
    history = (LockHistory(revision=1, changes=[FIRST_BUILD], at=when.isoformat()),)
    packet = packet_id(candidate, loop.id, given_id)
    former = former_id(candidate, loop.id)
    return Packet(
        packet,
        candidate,
        loop,
        schedule,
        templates,
        tuple(seats),
        paper,
        history=history,
        organizer=organizer,
        candidate_email=candidate_email,
        id_given=given_id is not None,
        former_ids=() if given_id is not None or former == packet else (former,),
        warnings=planned.warnings,
        unsaid=unsaid,
    )


def next_revision(
    packet: Packet,
    history: tuple[LockHistory, ...],
    seat_locks: dict[str, tuple[str, ...]],
    events: dict[str, tuple[str, int]],
    cancels: tuple[Cancel, ...],
    retired: tuple[LockSeat, ...],
    invited: frozenset[str] = frozenset(),
    dropped: tuple[LockDropped, ...] = (),
) -> Packet:
    """The same packet as the revision that ``history`` ends with."""
    revision = history[-1].revision if history else 1
    return dataclasses.replace(
        packet,
        revision=revision,
        history=history,
        seat_locks=seat_locks,
        events=events,
        cancels=cancels,
        retired=retired,
        invited=invited,
        dropped=dropped,
    )


def _lock(packet: Packet) -> Lock:
    loop, schedule = packet.loop, packet.schedule
    interviews = []
    for slot in schedule.interviews:
        assert slot.interview is not None
        interview = slot.interview
        mine = packet.seats_of(interview.id)
        interviews.append(
            LockInterview(
                id=interview.id,
                title=interview.title,
                kind=interview.kind,
                weight=interview.weight,
                scorecard=interview.scorecard,
                start=slot.start.isoformat(),
                end=slot.end.isoformat(),
                interviewers=[str(s.person) for s in mine if s.person],
                scorecard_files=[f"scorecards/{s.stem}.toml" for s in mine],
                uid=packet.event(interview.id)[0],
                sequence=packet.event(interview.id)[1],
            )
        )
    head = LockPacket(
        id=packet.id,
        candidate=packet.candidate,
        loop=loop.id,
        title=loop.title,
        variant=loop.variant,
        hire_bar=loop.hire_bar,
        date=schedule.day.isoformat(),
        tz=schedule.tz.key,
        candidate_tz=schedule.candidate_tz.key,
        start=schedule.start.isoformat(),
        end=schedule.end.isoformat(),
        paper=packet.paper,
        revision=packet.revision,
        organizer=str(packet.organizer or ""),
        candidate_email=packet.candidate_email,
    )
    seats = [
        LockSeat(
            stem=s.stem,
            interview=s.interview.id,
            interviewer=str(s.person) if s.person else "",
            fingerprint=s.fingerprint,
            locks=list(packet.seat_locks.get(s.stem, ())),
        )
        for s in packet.seats
    ]
    return Lock(
        packet=head,
        interviews=interviews,
        seats=seats,
        scorecards=dict(packet.templates),
        history=list(packet.history),
        retired=list(packet.retired),
        cancelled=[  # those invites/ holds: none without an organizer
            LockCancel(
                person=str(c.person),
                uid=c.uid,
                sequence=c.sequence,
                start=c.start.isoformat(),
                end=c.end.isoformat(),
                title=c.title,
                candidate=c.candidate,
            )
            for c in (packet.cancels if packet.organizer else ())
        ],
        dropped=list(packet.dropped),
    )

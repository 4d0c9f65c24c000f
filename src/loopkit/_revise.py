"""Revisions: what a new build of an existing packet changes, seat by seat (SPEC 8.1).

Pure: the old lock and the newly built packet go in; what changed, which
seats are kept and which are superseded come out. The writer acts on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from loopkit._errors import LoopkitError
from loopkit._models import Person
from loopkit._packet import (
    Cancel,
    Packet,
    Seat,
    event_uid,
    free_stem,
    next_revision,
    seat_base,
    seat_fingerprint,
)
from loopkit._records import (
    MAX_REVISION,
    Lock,
    LockDropped,
    LockHistory,
    LockInterview,
    lock_data,
)


@dataclass(frozen=True)
class Revision:
    """The next revision of a packet, or the finding that nothing changed.

    ``kept`` are the seats whose filled scorecards stay valid; ``superseded``
    maps each old seat that changed or vanished to the reason, one line each.
    """

    packet: Packet
    changes: tuple[str, ...]
    kept: tuple[str, ...]
    superseded: dict[str, str]
    previous: int  # the revision the folder held
    returned: tuple[str, ...] = ()  # seats that came back as they were: old cards count again
    written: dict[str, str] = field(default_factory=dict)  # what loopkit wrote in the folder

    @property
    def unchanged(self) -> bool:
        """Whether the new build is the packet as it stands."""
        return not self.changes


def revise(old: Lock, old_hash: str, new: Packet) -> Revision:
    """The revision that turns the packet of ``old`` into ``new``."""
    new = _stems_kept(_as_before(new, old), old)
    changes = _packet_changes(old, new)
    old_seats = {s.stem: s for s in old.seats}
    new_seats = {s.stem: s for s in new.seats}
    kept: list[str] = []
    superseded: dict[str, str] = {}
    seat_locks: dict[str, tuple[str, ...]] = {}
    retired = {(s.stem, s.fingerprint): s for s in old.retired}
    # Whose packet this is was settled before (``_folder`` refuses another candidate's
    # unless its id is given, which says it is hers): her name spelled anew keeps her seats,
    # and the cards filled for them.
    names = {new.candidate, old.packet.candidate}
    prints = {
        stem: {fp for name in names for fp in _fingerprints(name, seat)}
        for stem, seat in new_seats.items()
    }
    for stem, seat in old_seats.items():
        now = new_seats.get(stem)
        if now is not None and seat.fingerprint in prints[stem]:
            kept.append(stem)
            seat_locks[stem] = (*seat.locks, old_hash)
        else:
            superseded[stem] = _why(old, stem, now is None, new)
            retired[(stem, seat.fingerprint)] = replace(seat, locks=[*seat.locks, old_hash])
    returned = []
    for stem in new_seats:  # a seat as it was before: its old cards are valid
        back = None
        for fingerprint in prints[stem] if stem not in seat_locks else ():
            back = back or retired.pop((stem, fingerprint), None)
        if back is not None:
            seat_locks[stem] = tuple(back.locks)
            returned.append(stem)
    if not changes and not superseded and len(new_seats) == len(old_seats):
        return Revision(new, (), tuple(kept), {}, old.packet.revision, written=old.files)
    if not changes:  # the same plan, with seats that moved for a reason _packet_changes missed
        changes.append("seats changed")
    if old.packet.revision >= MAX_REVISION:
        raise LoopkitError(
            f"the packet is at revision {old.packet.revision}, the last there can be",
            key="revision",
            hint="start a packet with another --id",
        )
    revision = old.packet.revision + 1
    at = new.history[-1].at if new.history else ""
    history = (*old.history, LockHistory(revision=revision, changes=changes, at=at))
    events, cancels = _events(old, new, revision)
    packet = next_revision(
        new,
        history,
        seat_locks,
        events,
        cancels,
        tuple(retired.values()),
        _invited(old),
        _dropped(old, new),
    )
    return Revision(
        packet,
        tuple(changes),
        tuple(kept),
        superseded,
        old.packet.revision,
        tuple(returned),
        old.files,
    )


def _as_before(packet: Packet, old: Lock) -> Packet:
    """``packet`` with the organizer and the candidate's address its command left out taken
    from the packet before: left out, they are not meant to change."""
    head = old.packet
    if "organizer" in packet.unsaid:  # none before stays none: loopkit.toml's is a first build's
        packet = replace(packet, organizer=Person.parse(head.organizer) if head.organizer else None)
    if "candidate_email" in packet.unsaid:
        packet = replace(packet, candidate_email=head.candidate_email)
    return _addresses_kept(packet, old)


def _addresses_kept(packet: Packet, old: Lock) -> Packet:
    """``packet`` with each interviewer named without an address given the address the
    packet before had for that name in that interview; in an interview the name was
    not in before, the one address this command gives that name elsewhere, else the
    one the packet had for it (in its interviews, else in its cancellations:
    taken off and put back without an address, he is invited again, and his
    cancellation goes).

    "Sam Lee" typed for "Sam Lee <sam@example.com>" made his seat another
    one (his filled card went to superseded/) and sent him a cancellation
    of the interview he is still in; typed in another interview, he was
    locked there without his address, and never invited to it. A name
    that was in the interview without an address stays so: its seat is
    the same seat.
    """
    known: dict[tuple[str, str], str] = {}
    present: set[tuple[str, str]] = set()  # (interview, name): there before, with or without
    for interview in old.interviews:
        for person in map(Person.parse, interview.interviewers):
            name = person.name.casefold()
            present.add((interview.id, name))
            if person.email:
                known.setdefault((interview.id, name), person.email)
    anywhere = _addresses_of(Person.parse(p) for i in old.interviews for p in i.interviewers)
    cancelled = _addresses_of(Person.parse(c.person) for c in old.cancelled if not c.candidate)
    given = _addresses_of(p for slot in packet.schedule.slots for p in slot.people)

    def kept(interview: str, person: Person | None) -> Person | None:
        if person is None or person.email:
            return person
        where = (interview, person.name.casefold())
        if where in present and where not in known:  # without one there before: the same seat
            return person
        email = known.get(where, "")
        if where not in present:  # new here: this command's one address for the name, else
            # the packet's (an address this command replaced is nobody's now)
            addresses = given.get(where[1]) or anywhere.get(where[1]) or cancelled.get(where[1], {})
            email = next(iter(addresses.values())) if len(addresses) == 1 else ""
        return replace(person, email=email) if email else person

    slots = tuple(
        replace(s, people=tuple(kept(s.interview.id, p) or p for p in s.people))
        if s.interview is not None
        else s
        for s in packet.schedule.slots
    )
    if slots == packet.schedule.slots:
        return packet
    schedule = replace(packet.schedule, slots=slots)
    by_id = {s.interview.id: s for s in schedule.interviews if s.interview is not None}
    seats = []
    for seat in packet.seats:
        who = kept(seat.interview.id, seat.person)
        fingerprint = seat_fingerprint(packet.candidate, seat.interview, seat.template, who)
        seats.append(
            replace(seat, slot=by_id[seat.interview.id], person=who, fingerprint=fingerprint)
        )
    return replace(packet, schedule=schedule, seats=tuple(seats))


def _addresses_of(people: Iterable[Person]) -> dict[str, dict[str, str]]:
    """Each name (by its casefold) with the addresses given it, each once whatever its
    capitals."""
    found: dict[str, dict[str, str]] = {}
    for person in people:
        if person.email:
            addresses = found.setdefault(person.name.casefold(), {})
            addresses.setdefault(person.email.casefold(), person.email)
    return found


def _stems_kept(packet: Packet, old: Lock) -> Packet:
    """``packet`` with each seat under the file name the lock gave it before.

    A seat's file name comes from its interviewer's name, told from another
    that makes the same name by a number in panel order (李伟 and Li Wei are
    ``li-wei`` and ``li-wei-2``); and for a name in another script loopkit 1
    made a hash of it (``n-5ed4d58e``). A seat of the lock, or retired from
    it, of the same interview and person keeps its name, so its filled card
    is still its card whatever the order of the panel: the seats of the lock
    first, then those retired, each only to a name no seat kept has taken;
    the other seats take their own names, numbered past those kept.
    """
    names = {packet.candidate, old.packet.candidate}
    prints = [{fp for name in names for fp in _fingerprints(name, s)} for s in packet.seats]
    kept: dict[int, str] = {}
    for earlier in (old.seats, old.retired):  # a seat on the panel before one that returns
        for n, seat in enumerate(packet.seats):
            if n in kept:
                continue
            for was in earlier:
                if (
                    was.interview == seat.interview.id
                    and was.fingerprint in prints[n]
                    and was.stem not in kept.values()
                ):
                    kept[n] = was.stem
                    break
    taken = set(kept.values())
    stems = []
    for n, seat in enumerate(packet.seats):
        stem = kept.get(n) or free_stem(seat_base(seat.interview.id, seat.person), taken)
        taken.add(stem)
        stems.append(stem)
    if stems == [s.stem for s in packet.seats]:
        return packet
    seats = tuple(replace(s, stem=stem) for s, stem in zip(packet.seats, stems, strict=True))
    return replace(packet, seats=seats)


def _fingerprints(candidate: str, seat: Seat) -> set[str]:
    """A new seat's fingerprint, and as a lock made before addresses were compared in any
    case took it: a seat of such a lock is the same seat, its cards valid."""
    typed = seat_fingerprint(candidate, seat.interview, seat.template, seat.person, as_typed=True)
    return {seat.fingerprint, typed}


def _events(
    old: Lock, new: Packet, revision: int
) -> tuple[dict[str, tuple[str, int]], tuple[Cancel, ...]]:
    """Each event's UID and SEQUENCE in the new revision, and who gets a cancellation.

    An event keeps its UID for life; its SEQUENCE goes up by one when its
    time, title or people change. A person taken off an event, and everyone
    on an event that is gone, gets a cancellation (when their e-mail is known,
    and the packet had an organizer to invite them).
    """
    before = {i.id: i for i in old.interviews}
    after = {i.id: i for i in new.lock.interviews}
    moved = (old.packet.candidate, old.packet.title) != (new.candidate, new.loop.title)
    events: dict[str, tuple[str, int]] = {}
    cancels: list[Cancel] = []
    candidate = Person(old.packet.candidate, old.packet.candidate_email)
    for interview_id, now in after.items():
        was = before.get(interview_id)
        if was is None:
            events[interview_id] = (f"{new.id}--{interview_id}-r{revision}@loopkit", 0)
            continue
        uid = _uid(old, was)
        # a person taken off (the candidate's e-mail too) changes the event as well
        changed = (
            moved
            or (was.start, was.end, was.title, was.interviewers)
            != (
                now.start,
                now.end,
                now.title,
                now.interviewers,
            )
            or old.packet.candidate_email != new.candidate_email
        )
        sequence = was.sequence + 1 if changed else was.sequence
        events[interview_id] = (uid, sequence)
        # by address, in any case: a name or an address's capitals changed is still invited
        still = {Person.parse(p).email.casefold() for p in now.interviewers}
        gone = [p for p in map(Person.parse, was.interviewers) if p.email.casefold() not in still]
        if candidate.email and candidate.email.casefold() != new.candidate_email.casefold():
            gone.append(candidate)  # the invitation went to an address that is no longer hers
        cancels += [_cancel(p, uid, sequence, was, p is candidate) for p in gone if p.email]
    for interview_id, was in before.items():
        if interview_id not in after:
            uid = _uid(old, was)
            people = [Person.parse(p) for p in was.interviewers]
            if candidate.email:
                people.append(candidate)
            cancels += [
                _cancel(p, uid, was.sequence + 1, was, p is candidate) for p in people if p.email
            ]
    # with no organizer before, no invitation was written: there is nothing to cancel
    if not old.packet.organizer:
        return events, ()
    return events, (*_still_cancelled(old, new, events, cancels), *cancels)


def _dropped(old: Lock, new: Packet) -> tuple[LockDropped, ...]:
    """The events of every interview gone from the packet, this revision's and earlier ones',
    each cancelled with a SEQUENCE above its last. An interview that comes back gets an
    event of its own (``_events``): the one cancelled stays so."""
    after = {i.id for i in new.lock.interviews}
    gone = [
        LockDropped(
            uid=_uid(old, was),
            sequence=was.sequence + 1,
            start=was.start,
            end=was.end,
            title=was.title,
        )
        for was in old.interviews
        if was.id not in after
    ]
    return (*old.dropped, *gone)


def _uid(old: Lock, was: LockInterview) -> str:
    """The UID of an interview's event: the lock's, or the one it had before locks kept it."""
    return was.uid or event_uid(old.packet.id, was.id)


def _still_cancelled(
    old: Lock, new: Packet, events: dict[str, tuple[str, int]], cancels: list[Cancel]
) -> list[Cancel]:
    """The cancellations of earlier revisions that still hold: their person is not on
    their event again (by address, or by name where named without one), and this
    revision cancels it for them no later.

    A revision wrote each cancellation once; the next revision dropped it, and one
    not yet sent was never sent (the interviewer kept a cancelled interview in their
    calendar). Kept, it reads as before, and says so (``to_send``).
    """
    invited = {
        (events[i.id][0], person.email.casefold() or person.name.casefold())
        for i in new.lock.interviews
        for person in map(Person.parse, i.interviewers)
    }
    if new.candidate_email:  # the candidate is invited to every event
        invited |= {(uid, new.candidate_email.casefold()) for uid, _ in events.values()}
    invited |= {(c.uid, c.person.email.casefold()) for c in cancels}
    kept = []
    for was in old.cancelled:
        person = Person.parse(was.person)
        on = {(was.uid, person.email.casefold()), (was.uid, person.name.casefold())}
        if not on & invited:
            start, end = datetime.fromisoformat(was.start), datetime.fromisoformat(was.end)
            kept.append(Cancel(person, was.uid, was.sequence, start, end, was.title, was.candidate))
    return kept


def _invited(old: Lock) -> frozenset[str]:
    """The addresses the packet of ``old`` sent invitations to (none without an organizer)."""
    if not old.packet.organizer:
        return frozenset()
    people = [Person.parse(p) for i in old.interviews for p in i.interviewers]
    return frozenset(
        address.casefold()
        for address in (old.packet.candidate_email, *(p.email for p in people))
        if address
    )


def _cancel(person: Person, uid: str, sequence: int, was: LockInterview, candidate: bool) -> Cancel:
    start, end = datetime.fromisoformat(was.start), datetime.fromisoformat(was.end)
    return Cancel(person, uid, sequence, start, end, was.title, candidate)


def _packet_changes(old: Lock, new: Packet) -> list[str]:
    """One human line per change between the old lock and the new packet."""
    lock = new.lock
    changes: list[str] = []
    before, after = old.packet, lock.packet
    for name, label in (
        ("candidate", "candidate"),
        ("loop", "loop"),
        ("title", "loop title"),
        ("hire_bar", "hire bar"),
        ("date", "date"),
        ("start", "start"),
        ("tz", "time zone"),
        ("candidate_tz", "candidate's time zone"),
        ("paper", "paper"),
        ("organizer", "organizer"),
        ("candidate_email", "candidate's e-mail"),
    ):
        was, now = getattr(before, name), getattr(after, name)
        if name == "start":  # the day is its own line; here the time of day
            was, now = was[11:16], now[11:16]
        if was != now:
            changes.append(f"{label}: {_short(was)} -> {_short(now)}")
        if name == "organizer" and was and not now:  # said: no cancellation can undo it
            changes[-1] += (
                "; the invitations sent before stay in calendars, neither updated nor "
                "cancelled from now on"
            )
    moved = _moved_by_zone(before.start, after.start, before.tz, after.tz)
    if moved:
        at = next(n for n, line in enumerate(changes) if line.startswith("time zone:"))
        changes[at] += moved
    old_interviews = {i.id: i for i in old.interviews}
    new_interviews = {i.id: i for i in lock.interviews}
    for interview_id in old_interviews.keys() - new_interviews.keys():
        changes.append(f"interview removed: {interview_id}")
    for interview in lock.interviews:
        was_interview = old_interviews.get(interview.id)
        if was_interview is None:
            changes.append(f"interview added: {interview.id}")
            continue
        changes += _interview_changes(was_interview, interview, before.start, after.start)
        template, was_template = (
            lock.scorecards[interview.scorecard],
            old.scorecards.get(was_interview.scorecard),
        )
        if was_template != template and was_interview.scorecard == interview.scorecard:
            changes.append(f"{interview.id}: scorecard {interview.scorecard} changed")
    if [i.id for i in old.interviews] != [i.id for i in lock.interviews] and (
        old_interviews.keys() == new_interviews.keys()
    ):
        changes.append("interviews reordered")
    if not changes and lock_data(_comparable(old)) != lock_data(_comparable(lock)):
        changes.append("loop details changed")
    return changes


def _moved_by_zone(was: str, now: str, was_tz: str, now_tz: str) -> str:
    """What a new zone does to the loop's moment, said beside it: how far the loop moves
    (the day and start read in the new zone); when they stay on the clock, which --date and
    --start keep its moment, if any can name it. "" when the zone or the moment is the same."""
    then, at = datetime.fromisoformat(was), datetime.fromisoformat(now)
    if was_tz == now_tz or then == at:
        return ""
    moves = f"the loop moves {_span(abs(at - then))} {'later' if at > then else 'earlier'}"
    if was[:16] != now[:16]:  # a new day or start given with it
        return f" ({moves})"
    zone = ZoneInfo(now_tz)
    same = then.astimezone(zone)
    typed = same.replace(fold=0)  # the clock time as --start reads it: its first moment
    keep = (
        f"the same moment is --date {same:%Y-%m-%d} --start {same:%H:%M}"
        if typed.astimezone(UTC) == then.astimezone(UTC)
        else f"no --start in {now_tz} names the same moment ({same:%H:%M} comes twice that "
        "night, and a start is the first)"
    )
    return f" (the day keeps {now[11:16]} on the clock, in the new zone: {moves}; {keep})"


def _span(length: timedelta) -> str:
    """A length of time as a person says it: 21 h, 10 h 45 min, 30 min."""
    hours, minutes = divmod(int(length.total_seconds()) // 60, 60)
    return " ".join(
        part for part in (f"{hours} h" * bool(hours), f"{minutes} min" * bool(minutes)) if part
    )


def _interview_changes(
    was: LockInterview, now: LockInterview, was_day: str, now_day: str
) -> list[str]:
    out = []
    for name in ("title", "kind", "weight", "scorecard"):
        a, b = getattr(was, name), getattr(now, name)
        if a != b:
            out.append(f"{now.id}: {name} {_short(a)} -> {_short(b)}")
    # A new date or start moves every interview; say so only of one that moved within the day.
    if _within_day(was, was_day) != _within_day(now, now_day):
        out.append(
            f"{now.id}: {was.start[11:16]}-{was.end[11:16]} -> {now.start[11:16]}-{now.end[11:16]}"
        )
    gone = [p for p in was.interviewers if p not in now.interviewers]
    came = [p for p in now.interviewers if p not in was.interviewers]
    for person in list(gone):  # the same person and role, in other capitals
        other = next((p for p in came if _as_typed(p) == _as_typed(person)), None)
        if other is not None:
            out.append(f"{now.id}: interviewer written otherwise: {person} -> {other}")
            gone.remove(person)
            came.remove(other)
    out += [f"{now.id}: interviewer removed: {p}" for p in gone]
    out += [f"{now.id}: interviewer added: {p}" for p in came]
    return out


def _as_typed(person: str) -> tuple[str, str, bool]:
    """A person as a panel names them, but for capitals: name, address and role."""
    parsed = Person.parse(person)
    return parsed.name.casefold(), parsed.email.casefold(), parsed.shadow


def _within_day(interview: LockInterview, day_start: str) -> tuple[timedelta, timedelta]:
    """When an interview starts and ends, counted from the start of its loop's day."""
    start = datetime.fromisoformat(day_start)
    return (
        datetime.fromisoformat(interview.start) - start,
        datetime.fromisoformat(interview.end) - start,
    )


def _why(old: Lock, stem: str, vanished: bool, new: Packet) -> str:
    seat = old.seat(stem)
    assert seat is not None
    who = seat.interviewer or "the unassigned seat"
    place = f"the seat of {seat.interviewer}" if seat.interviewer else "the unassigned seat"
    if new.lock.interview(seat.interview) is None:
        return f"interview {seat.interview} was removed from the loop"
    now = next((s for s in new.seats if s.stem == stem), None)
    if now is not None and seat.interviewer and not _same_person(seat.interviewer, now.person):
        vanished = True  # the name is another person's seat now (Li Wei after 李伟)
    if vanished:
        mail = Person.parse(seat.interviewer).email.casefold() if seat.interviewer else ""
        renamed = [
            s.person
            for s in new.seats
            if mail and s.person and s.interview.id == seat.interview
            if s.person.email.casefold() == mail
        ]
        if renamed:  # the same address under another name: a card carries its writer's name
            return f"{who} is named {renamed[0]} in {seat.interview} now: a new card is theirs"
        if not seat.interviewer:
            # a card written there is the work of whoever sat the interview: say where the
            # seat's people now write theirs
            holders = [s for s in new.seats if s.interview.id == seat.interview and s.person]
            if not holders:
                return f"the unassigned seat in {seat.interview} is gone"
            files = " or ".join(f"scorecards/{s.stem}.toml" for s in holders)
            return (  # the card names its writer, who may be none of them: never guessed
                f"the unassigned seat in {seat.interview} is gone, given to "
                f"{', '.join(s.person.name for s in holders if s.person)}: a card written "
                "there by one of them counts once its ratings and words are copied into that "
                f"person's new blank ({files})"
            )
        moved = _new_address(Person.parse(seat.interviewer), now, seat.interview)
        return moved or f"{who} no longer interviews in {seat.interview}"
    assert now is not None
    was = Person.parse(seat.interviewer) if seat.interviewer else None
    if was is not None and (moved := _new_address(was, now, seat.interview)):
        return moved  # a bare name given an address
    if was is not None and now.person is not None and now.person.name != was.name:
        return (  # the same address, the name written otherwise ("ann bo" for "Ann Bo")
            f"{was.name} is now written {now.person.name!r} in {seat.interview}: another seat, "
            "with a card of its own (write the name as before to keep this card)"
        )
    if was is not None and now.person is not None and now.person.shadow != was.shadow:
        return (  # a trainee's card never counts, a counted card always does
            f"{was.name} is a counted interviewer in {seat.interview} now, not a shadow: a new card"
            if was.shadow
            else f"{was.name} shadows {seat.interview} now: a new card, which does not count"
        )
    return f"{place} in {seat.interview} changed (interview, weight or scorecard)"


def _new_address(was: Person, now: Seat | None, interview: str) -> str:
    """Why a seat of one name moved for its address: another address, another person's
    card; "" when the seat now is not that name's, or its address is the same."""
    person = now.person if now is not None else None
    if person is None or person.name.casefold() != was.name.casefold():
        return ""
    if person.email.casefold() == was.email.casefold():
        return ""
    own = (  # an address given back keeps the card; a bare name keeps the packet's address
        "another address is another person, with a card of their own (give the address as "
        "before to keep this card)"
        if was.email and person.email
        else "another seat, with a card of its own"
    )
    return f"{was.name}'s address in {interview} is now {person.email or 'none'}, not {was.email or 'none'}: {own}"


def _same_person(interviewer: str, person: Person | None) -> bool:
    """Whether a seat's interviewer in the lock is ``person``: by address, else by name."""
    if person is None:
        return False
    was = Person.parse(interviewer)
    if was.email and person.email:
        return was.email.casefold() == person.email.casefold()
    return was.name.casefold() == person.name.casefold()


def _comparable(lock: Lock) -> Lock:
    """A lock without what a revision itself makes (revision, history, hashes, event stamps)."""
    return replace(
        lock,
        packet=replace(lock.packet, revision=1),
        interviews=[replace(i, uid="", sequence=0) for i in lock.interviews],
        history=[],
        seats=[replace(s, locks=[]) for s in lock.seats],
        retired=[],
        cancelled=[],
        files={},
    )


def _short(value: object) -> str:
    text = str(value) or "(none)"
    return text if len(text) <= 60 else text[:57] + "..."

"""Calendar files: ``schedule.ics`` to import, and invitations and cancellations to send.

Every event keeps the UID it got when its interview first appeared, and its
SEQUENCE goes up with each revision that changes it (SPEC 8.2), so a
client updates the event instead of adding a second one. DTSTAMP is when
the revision was made. A time that a zone's clocks pass twice (the autumn
change) or never (the spring change) is written in UTC, since a local time
with a TZID can only name the first of two; other times are local, with a
VTIMEZONE that covers the packet's days only.

Breaks are not events: calendars show the gaps on their own. The
candidate's files carry only what the itinerary shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from loopkit._models import Person
from loopkit._packet import Cancel, Packet
from loopkit._schedule import Slot

PRODID = "-//loopkit//interview loop//EN"


def render_calendar(packet: Packet) -> bytes:
    """schedule.ics, to import: every interview, with no attendees.

    With an organizer it is an RFC 5546 PUBLISH; without one it is a plain
    calendar (PUBLISH requires an ORGANIZER).
    """
    calendar = _calendar("PUBLISH" if packet.organizer else "", f"Interviews: {packet.candidate}")
    for slot in packet.schedule.interviews:
        calendar.add_component(_event(packet, slot, _shared(packet, slot), None))
    for gone in packet.dropped:  # imported again, the file takes them off (STATUS, RFC 5545)
        event = _cancelled(
            packet,
            gone.uid,
            gone.sequence,
            datetime.fromisoformat(gone.start),
            datetime.fromisoformat(gone.end),
            f"Cancelled: {gone.title}: {packet.candidate}",
        )
        if packet.organizer is not None:
            _people(event, packet, None)
        calendar.add_component(event)
    return _finish(calendar, packet)


def render_invite(packet: Packet, person: Person, candidate: bool) -> bytes:
    """One person's invitation (METHOD:REQUEST) to every interview they are in."""
    calendar = _calendar("REQUEST", f"Interviews: {packet.candidate}")
    for slot in slots_of(packet, person, candidate):
        text = _shared(packet, slot) if candidate else _internal(packet, slot)
        calendar.add_component(_event(packet, slot, text, person))
    return _finish(calendar, packet)


def render_cancel(packet: Packet, cancels: Iterable[Cancel]) -> bytes:
    """One person's cancellation (METHOD:CANCEL) of the events they are no longer in."""
    calendar = _calendar("CANCEL", f"Interviews: {packet.candidate}")
    for cancel in cancels:
        event = _cancelled(
            packet,
            cancel.uid,
            cancel.sequence,
            cancel.start,
            cancel.end,
            f"Cancelled: {cancel.title}",
        )
        _people(event, packet, cancel.person, reply=False)
        calendar.add_component(event)
    return _finish(calendar, packet)


def _cancelled(
    packet: Packet, uid: str, sequence: int, start: datetime, end: datetime, summary: str
) -> Event:
    """An event taken off a calendar: its UID, a SEQUENCE above the last, STATUS:CANCELLED."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", packet.stamp)
    event.add("sequence", sequence)
    # in UTC: the old day may lie outside the days this file's VTIMEZONE covers
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("summary", summary)
    event.add("status", "CANCELLED")
    return event


def invitees(packet: Packet) -> list[tuple[Person, bool]]:
    """Everyone with an e-mail who gets an invitation: (person, is the candidate)."""
    if packet.organizer is None:
        return []
    people: dict[str, tuple[Person, bool]] = {}
    if packet.candidate_email:
        candidate = Person(packet.candidate, packet.candidate_email)
        people[candidate.email.casefold()] = (candidate, True)
    for seat in packet.seats:
        if seat.person and seat.person.email:
            people.setdefault(seat.person.email.casefold(), (seat.person, False))
    return list(people.values())


def slots_of(packet: Packet, person: Person, candidate: bool) -> list[Slot]:
    """The interviews a person is invited to: all for the candidate, by address for others."""
    if candidate:
        return list(packet.schedule.interviews)
    mine = person.email.casefold()
    return [
        slot
        for slot in packet.schedule.interviews
        if any(p.email.casefold() == mine for p in slot.people if p.email)
    ]


def _calendar(method: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def _event(packet: Packet, slot: Slot, description: str, attendee: Person | None) -> Event:
    assert slot.interview is not None
    uid, sequence = packet.event(slot.interview.id)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", packet.stamp)
    event.add("sequence", sequence)
    start, end = _when(slot.start, slot.end)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{slot.interview.title}: {packet.candidate}")
    event.add("description", description)
    event.add("transp", "OPAQUE")
    if packet.organizer is not None:
        _people(event, packet, attendee)
    return event


def _people(event: Event, packet: Packet, attendee: Person | None, reply: bool = True) -> None:
    """ORGANIZER, and the one ATTENDEE the file is for (none in a PUBLISH).

    An invitation asks the attendee to answer; a cancellation does not.
    """
    assert packet.organizer is not None
    organizer = vCalAddress(f"mailto:{packet.organizer.email}")
    organizer.params["cn"] = vText(packet.organizer.name)
    event.add("organizer", organizer, encode=False)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        if reply:
            address.params["partstat"] = vText("NEEDS-ACTION")
            address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address, encode=False)


def _shared(packet: Packet, slot: Slot) -> str:
    """What anyone may read: the role, the interviewers' names, the candidate's note."""
    assert slot.interview is not None
    people = ", ".join(p.name for p in slot.people) or "to be confirmed"
    note = slot.interview.candidate_note
    return f"{packet.loop.title}\nInterviewers: {people}" + (f"\n\n{note}" if note else "")


def _internal(packet: Packet, slot: Slot) -> str:
    """An interviewer's view: who else is on it, and the interview's brief and focus."""
    assert slot.interview is not None
    interview = slot.interview
    lines = [packet.loop.title, f"Interviewers: {', '.join(p.name for p in slot.people)}"]
    if interview.brief:
        lines += ["", interview.brief]
    if interview.focus:
        lines += ["", "Focus: " + "; ".join(interview.focus)]
    lines += ["", f"Your scorecard: scorecards/ in the packet {packet.folder}"]
    return "\n".join(lines)


def _when(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """Local times, or both in UTC on the days around a change of the clocks.

    A local time the clocks pass twice can only name the first pass in
    iCalendar, and a VTIMEZONE describing the change must be read exactly
    right by every client (icalendar writes a spring change's start in the
    new offset, an hour late by RFC 5545): UTC leaves nothing to read.
    """
    if _clocks_change(start) or _clocks_change(end):
        return start.astimezone(UTC), end.astimezone(UTC)
    return start, end


def _clocks_change(moment: datetime) -> bool:
    """Whether the zone's offset changes within a day either side of ``moment``."""
    zone = moment.tzinfo
    offsets = {
        (moment + timedelta(hours=hours)).astimezone(UTC).astimezone(zone).utcoffset()
        for hours in range(-24, 25)
    }
    return len(offsets) > 1


def _finish(calendar: Calendar, packet: Packet) -> bytes:
    """Add a VTIMEZONE for each zone the events name, covering the packet's days only."""
    day = packet.schedule.day
    calendar.add_missing_timezones(
        first_date=day - timedelta(days=1), last_date=day + timedelta(days=2)
    )
    return bytes(calendar.to_ical())

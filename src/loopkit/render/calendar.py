"""``schedule.ics``: one event per interview, with VTIMEZONE, stable UIDs and DTSTAMP.

Breaks are not events: calendars show the gaps on their own, and an event
per break would clutter every attendee's day. Nothing internal goes in:
no rubric, weight, bar, comp or prompt, only titles, times, people and the
candidate-facing note.
"""

from __future__ import annotations

from datetime import UTC

from icalendar import Calendar, Event, vCalAddress, vText

from loopkit._packet import Packet


def render_calendar(packet: Packet) -> bytes:
    """The packet's calendar as RFC 5545 bytes; the same packet gives the same bytes."""
    calendar = Calendar()
    calendar.add("prodid", "-//loopkit//interview loop//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Interviews: {packet.candidate}")
    # DTSTAMP comes from the inputs, not the clock, so a rebuilt packet is byte-identical.
    stamp = packet.schedule.start.astimezone(UTC)
    for slot in packet.schedule.interviews:
        assert slot.interview is not None
        event = Event()
        event.add("uid", f"{packet.id}--{slot.interview.id}@loopkit")
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        event.add("summary", f"{slot.interview.title}: {packet.candidate}")
        people = ", ".join(p.name for p in slot.people) or "unassigned"
        note = slot.interview.candidate_note
        event.add(
            "description",
            f"{packet.loop.title}\nInterviewers: {people}" + (f"\n\n{note}" if note else ""),
        )
        event.add("transp", "OPAQUE")
        for person in slot.people:
            if person.email:
                attendee = vCalAddress(f"mailto:{person.email}")
                attendee.params["cn"] = vText(person.name)
                attendee.params["role"] = vText("REQ-PARTICIPANT")
                event.add("attendee", attendee, encode=False)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())

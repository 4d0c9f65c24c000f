"""itinerary.pdf: the candidate's day; nothing internal."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Spacer

from loopkit._packet import Packet
from loopkit.render.layout import (
    Story,
    grid,
    packet_width,
    para,
    raw,
    render_packet_document,
    span,
    zone_lines,
)


def itinerary(packet: Packet) -> Story:
    """The candidate's day: times, titles, interviewers and breaks; nothing internal."""
    schedule = packet.schedule
    width = packet_width(packet)
    zone, other = schedule.candidate_tz, schedule.tz
    both = zone.key != other.key
    story: Story = [
        raw("YOUR INTERVIEW DAY", "kicker"),
        para(packet.candidate, "title", "candidate's name"),
        para(packet.loop.title, "h2"),
        raw(
            f"{schedule.start.astimezone(zone):%A %-d %B %Y} · times in {zone.key}"
            + (f" (and {other.key})" if both else ""),
            "muted",
        ),
        Spacer(1, 10),
    ]
    # a zone on lines of its own, broken after its slash: a narrow column then never
    # breaks inside a name (America/Los_Angele / s)
    head = [raw(f"Your time<br/>{zone_lines(zone.key)}", "cellhead")]
    if both:
        head.append(raw(zone_lines(other.key), "cellhead"))
    head += [raw("What", "cellhead"), raw("With", "cellhead")]
    rows: list[list[Any]] = [head]
    for slot in schedule.slots:
        row: list[Any] = [raw(span(slot, zone, schedule.start), "cell")]
        if both:
            row.append(raw(span(slot, other, schedule.start), "muted"))
        if slot.interview is not None:
            people = ", ".join(p.name for p in slot.people) or "to be confirmed"
            what: list[Any] = [para(f"{slot.title} ({slot.minutes}m)", "cell")]
            if slot.interview.candidate_note:
                what.append(para(slot.interview.candidate_note, "muted"))
            row += [what, para(people, "cell", "interviewer names")]
        else:
            row += [raw(f"{slot.title} ({slot.minutes}m)", "muted"), ""]
        rows.append(row)
    widths = [0.2, 0.18, 0.4, 0.22] if both else [0.22, 0.5, 0.28]
    story += [
        grid(rows, [w * width for w in widths]),
        Spacer(1, 12),
        raw(
            "Breaks are yours: step away, eat, or ask us anything. If a time does not work, "
            "reply to your coordinator and we will move things around.",
            "small",
        ),
    ]
    return story


def render_itinerary(packet: Packet) -> bytes:
    """itinerary.pdf, for the candidate."""
    return render_packet_document(
        packet,
        itinerary(packet),
        f"Your interview day: {packet.candidate}",
        "Itinerary",
        internal=False,
    )

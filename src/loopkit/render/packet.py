"""packet.pdf: the cover with the day as a timeline, the schedule, every scorecard, a debrief sheet."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table

from loopkit._models import format_minutes
from loopkit._packet import Packet, Seat
from loopkit._scale import bar_text
from loopkit._schedule import Schedule, clock_span, elapsed_minutes
from loopkit.render import styles as st
from loopkit.render.fonts import BASE
from loopkit.render.layout import (
    TABLE_FONT,
    Bookmark,
    RuleLines,
    Story,
    TickBox,
    clock,
    fit_text,
    grid,
    long_day,
    packet_width,
    para,
    raw,
    render_packet_document,
    run_width,
    span,
    zone_lines,
)
from loopkit.render.scorecard import scorecard


def timeline(packet: Packet, width: float) -> Drawing:
    """The day as one horizontal band: interviews coloured, breaks grey, hours marked."""
    schedule = packet.schedule
    total = max(1, elapsed_minutes(schedule.start, schedule.end))
    height, band_y, band_h = 62, 22, 26
    drawing = Drawing(width, height, initialFontName=BASE)  # not reportlab's Helvetica
    scale = width / total
    colour = 0
    # Times under the band are drawn left to right where they fit: a label never
    # overlaps the one before it or the day's end, however short the blocks.
    end_label = clock(schedule.end)
    end_left = width - run_width(end_label, 6.5)
    free_from = 0.0
    for slot in schedule.slots:
        x = elapsed_minutes(schedule.start, slot.start) * scale
        w = slot.minutes * scale
        if slot.kind == "interview":
            fill = st.INTERVIEW_FILLS[colour % len(st.INTERVIEW_FILLS)]
            colour += 1
        else:
            fill = st.BREAK
        drawing.add(
            Rect(x, band_y, w, band_h, fillColor=fill, strokeColor=colors.white, strokeWidth=1)
        )
        if slot.kind == "interview" and slot.interview is not None:
            label = fit_text(slot.interview.title, w - 6, 7.5)
            if label:
                drawing.add(
                    String(x + 3, band_y + band_h - 10, label, fontName=BASE, fontSize=7.5,
                           fillColor=colors.white)
                )  # fmt: skip  # one shape per line
            minutes = f"{slot.minutes}m"
            if run_width(minutes, 7) <= w - 6:
                drawing.add(
                    String(x + 3, band_y + 4, minutes, fontName=BASE, fontSize=7,
                           fillColor=colors.white)
                )  # fmt: skip  # one shape per line
        elif slot.kind == "lunch" and w > 28:
            drawing.add(
                String(x + 3, band_y + 9, "lunch", fontName=BASE, fontSize=7, fillColor=st.MUTED)
            )
        drawing.add(Line(x, band_y - 3, x, band_y, strokeColor=st.MUTED, strokeWidth=0.5))
        start = clock(slot.start)
        right = x + run_width(start, 6.5)
        if x >= free_from and right + 3 <= end_left:
            drawing.add(
                String(x, band_y - 12, start, fontName=BASE, fontSize=6.5, fillColor=st.MUTED)
            )
            free_from = right + 3
    drawing.add(Line(width, band_y - 3, width, band_y, strokeColor=st.MUTED, strokeWidth=0.5))
    drawing.add(
        String(width, band_y - 12, end_label, fontName=BASE, fontSize=6.5, fillColor=st.MUTED,
               textAnchor="end")
    )  # fmt: skip  # one shape per line
    return drawing


def _whole_day(zone: ZoneInfo, schedule: Schedule) -> str:
    return clock_span(schedule.start, schedule.end, zone, "–", schedule.start)


def cover(packet: Packet) -> Story:
    """Candidate, role, day, both zones, the timeline and the panel."""
    schedule, loop = packet.schedule, packet.loop
    width = packet_width(packet)
    story: Story = [
        raw("INTERVIEW PACKET", "kicker"),
        para(packet.candidate, "title", "candidate's name"),
        para(loop.title, "h2"),
        Spacer(1, 4),
        para(f"{long_day(packet)} · {_whole_day(schedule.tz, schedule)} ({schedule.tz.key})"),
    ]
    if schedule.candidate_tz.key != schedule.tz.key:
        other = schedule.candidate_tz
        story.append(
            para(f"Candidate's time: {_whole_day(other, schedule)} ({other.key})", "muted")
        )
    total = elapsed_minutes(schedule.start, schedule.end)
    story += [
        raw(
            f"{len(schedule.interviews)} interviews, {format_minutes(total)} with breaks · hire bar "
            f"{bar_text(loop.hire_bar, 1)} on the 1–4 scale",
            "muted",
        ),
        Spacer(1, 12),
        timeline(packet, width),
        Spacer(1, 10),
        raw("Panel", "h2"),
    ]
    rows: list[list[Any]] = [
        [
            raw("Time", "cellhead"),
            raw("Interview", "cellhead"),
            raw("Weight", "cellhead"),
            raw("Interviewers", "cellhead"),
        ]
    ]
    for slot in schedule.interviews:
        assert slot.interview is not None
        seats = packet.seats_of(slot.interview.id)
        people = "\n".join(str(s.person) if s.person else "unassigned" for s in seats)
        rows.append(
            [
                raw(span(slot, schedule.tz, schedule.start), "cell"),
                para(slot.interview.title, "cell"),
                raw(f"{slot.interview.weight:g}", "cell"),
                para(people, "cell", "panel"),
            ]
        )
    story.append(grid(rows, [0.22 * width, 0.36 * width, 0.1 * width, 0.32 * width]))
    story += [
        Spacer(1, 12),
        raw("In this packet", "h2"),
        raw(
            "1. Schedule with both time zones and each interview's brief<br/>"
            "2. Every interviewer's scorecard<br/>"
            "3. Debrief sheet: the grid for the hiring decision",
            "small",
        ),
    ]
    return story


def schedule_section(packet: Packet) -> Story:
    """The full schedule table and, per interview, its brief and focus."""
    schedule = packet.schedule
    width = packet_width(packet)
    both = schedule.candidate_tz.key != schedule.tz.key
    # a zone on a line of its own: a narrow column breaks between words, not inside one
    head = [raw(f"Time<br/>{zone_lines(schedule.tz.key)}", "cellhead")]
    if both:
        head.append(raw(f"Candidate<br/>{zone_lines(schedule.candidate_tz.key)}", "cellhead"))
    head += [raw("Block", "cellhead"), raw("Interviewers", "cellhead")]
    rows: list[list[Any]] = [head]
    shade = []
    for index, slot in enumerate(schedule.slots, start=1):
        row: list[Any] = [raw(span(slot, schedule.tz, schedule.start), "cell")]
        if both:
            row.append(raw(span(slot, schedule.candidate_tz, schedule.start), "cell"))
        if slot.interview is not None:
            people = ", ".join(s.interviewer for s in packet.seats_of(slot.interview.id))
            row += [para(f"{slot.title} ({slot.minutes}m)", "cell"), para(people, "cell", "panel")]
        else:
            row += [raw(f"{slot.title} ({slot.minutes}m)", "muted"), ""]
            shade.append(("BACKGROUND", (0, index), (-1, index), st.SHADE))
        rows.append(row)
    widths = [0.2, 0.22, 0.33, 0.25] if both else [0.22, 0.45, 0.33]
    story: Story = [
        raw("Schedule", "h1"),
        grid(rows, [w * width for w in widths], extra=shade),
        Spacer(1, 8),
    ]
    for slot in schedule.interviews:
        assert slot.interview is not None
        interview = slot.interview
        block: Story = [
            para(
                f"{interview.title} · {span(slot, schedule.tz)} · weight {interview.weight:g}",
                "h2",
            ),
        ]
        if interview.brief:
            block.append(para(interview.brief, "small"))
        if interview.focus:
            block.append(para("Focus: " + "; ".join(interview.focus), "muted"))
        story.append(KeepTogether(block))
    return story


def debrief_sheet(packet: Packet) -> Story:
    """A one-page grid of interviews x interviewers with space for scores and the bar."""
    width = packet_width(packet)
    loop = packet.loop
    rows: list[list[Any]] = [
        [
            raw(h, "cellhead")
            for h in ("Interview", "Weight", "Interviewer", "Recommendation 1–4", "Score", "Notes")
        ]
    ]
    for slot in packet.schedule.interviews:
        assert slot.interview is not None
        for seat in packet.seats_of(slot.interview.id):
            rows.append(
                [
                    para(slot.interview.title, "cell"),
                    # a shadow's ratings never count: no weight to write a score against
                    raw("–" if seat.shadow else f"{slot.interview.weight:g}", "cell"),
                    para(_counted(seat), "cell", "panel"),
                    "",
                    "",
                    "",
                ]
            )
    sheet = grid(
        rows,
        [w * width for w in (0.24, 0.08, 0.2, 0.16, 0.1, 0.22)],
        extra=[("GRID", (0, 0), (-1, -1), 0.4, st.RULE)],
        row_height=30,
    )
    total_weight = sum(i.weight for i in loop.interviews)
    return [
        raw("DEBRIEF SHEET", "kicker"),
        raw("Hiring decision", "h1"),
        raw(
            f"Each interview's score is the weighted mean of its competency ratings ("
            f"“no signal” left out), averaged over its interviewers. The loop score is the mean of "
            f"interview scores weighted by the loop's weights (total {total_weight:g}). "
            f"Hire bar: <font color='{st.tint(st.ACCENT)}'>{bar_text(loop.hire_bar, 1)}</font>.",
            "small",
        ),
        Spacer(1, 8),
        sheet,
        Spacer(1, 14),
        raw(f"Loop score ______ against the hire bar of {bar_text(loop.hire_bar, 1)}", "h2"),
        Spacer(1, 4),
        raw("Check before deciding", "h2"),
        *[
            Table(
                [[TickBox(), raw(text, "cell")]],
                colWidths=[16, width - 16],
                hAlign="LEFT",
                style=[TABLE_FONT],
            )
            for text in (
                "Every assigned interviewer's scorecard is in",
                "No interview has two recommendations two or more points apart",
                "The deep-dive is at or above the bar",
                "Competencies with no signal from anyone are noted",
            )
        ],
        Spacer(1, 8),
        raw("Decision and reasons", "h2"),
        RuleLines(5),
    ]


def render_packet(packet: Packet) -> bytes:
    """packet.pdf: cover, schedule, every scorecard and the debrief sheet."""
    story = [Bookmark("Cover"), *cover(packet), PageBreak()]
    story += [Bookmark("Schedule"), *schedule_section(packet)]
    for n, seat in enumerate(packet.seats):
        story.append(PageBreak())
        if n == 0:
            story.append(Bookmark("Scorecards"))
        story += [Bookmark(f"{seat.interview.title} · {seat.interviewer}", 1)]
        story += scorecard(packet, seat)
    story += [PageBreak(), Bookmark("Debrief sheet"), *debrief_sheet(packet)]
    return render_packet_document(
        packet, story, f"Interview packet: {packet.candidate}", "Interview packet"
    )


def _counted(seat: Seat) -> str:
    """The debrief sheet's name for a seat: a shadow's says the score leaves them out."""
    return (
        f"{seat.person.name} (shadow, not counted)"
        if seat.person and seat.shadow
        else seat.interviewer
    )

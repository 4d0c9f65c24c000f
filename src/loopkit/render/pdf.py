"""The packet's PDFs: one builder per section, each returning flowables.

Builders receive a fully built ``Packet`` and only lay it out. Every piece
of user text reaches reportlab through ``fonts.markup`` or ``fonts.runs``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from loopkit._models import RATING_LABELS, format_minutes
from loopkit._packet import Packet, Seat
from loopkit._schedule import Slot, elapsed_minutes
from loopkit.render import styles as st
from loopkit.render.fonts import BASE, markup, runs

Story = list[Flowable]
# Streams are compressed anyway; ASCII85 on top only costs time and bytes.
rl_config.useA85 = 0


# --- small flowables -------------------------------------------------------------------------


class TickBox(Flowable):  # type: ignore[misc]
    """An empty square to tick with a pen."""

    def __init__(self, size: float = 9) -> None:
        super().__init__()
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        self.canv.setStrokeColor(st.INK)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size)


class RuleLines(Flowable):  # type: ignore[misc]
    """Ruled lines to write on."""

    def __init__(self, count: int, spacing: float = 17) -> None:
        super().__init__()
        self.count, self.spacing = count, spacing

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.count * self.spacing

    def draw(self) -> None:
        self.canv.setStrokeColor(st.RULE)
        self.canv.setLineWidth(0.6)
        for n in range(self.count):
            self.canv.line(0, n * self.spacing, self.width, n * self.spacing)


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width.

    A table wraps each cell several times at the same width (to size its
    rows, to split across pages, to draw), and line breaking was the largest
    cost of a packet. The result depends on the width alone, so it is kept.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None  # (width, size at that width)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._wrapped is None or self._wrapped[0] != available_width:
            size = super().wrap(available_width, available_height)
            self._wrapped = (available_width, size)
        return self._wrapped[1]


def para(text: str, style: str = "body", what: str = "text") -> Para:
    """A paragraph of user text: escaped, with CJK font runs."""
    return Para(markup(text, what), st.styles()[style])


def raw(html: str, style: str = "body") -> Para:
    """A paragraph of loopkit's own markup (no user text inside unescaped)."""
    return Para(html, st.styles()[style])


def _time(moment: datetime, zone: ZoneInfo | None = None) -> str:
    moment = moment.astimezone(zone) if zone else moment
    return f"{moment:%H:%M}"


def _span(slot: Slot, zone: ZoneInfo) -> str:
    return f"{_time(slot.start, zone)}–{_time(slot.end, zone)} {slot.end.astimezone(zone).tzname()}"


def _day(packet: Packet) -> str:
    return f"{packet.schedule.start:%A %-d %B %Y}"


def grid(
    rows: list[list[Any]],
    widths: Sequence[float],
    header: bool = True,
    extra: Sequence[Any] = (),
    row_height: float | None = None,
) -> Table:
    """A ruled table in the house style; the first row is a shaded header unless told not."""
    heights = [None] + [row_height] * (len(rows) - 1) if row_height else None
    table = Table(
        rows,
        colWidths=list(widths),
        rowHeights=heights,
        repeatRows=1 if header else 0,
        hAlign="LEFT",
    )
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, st.RULE),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), st.BAND),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, st.ACCENT),
        ]
    table.setStyle(TableStyle([*style, *extra]))
    return table


# --- page furniture --------------------------------------------------------------------------


def _draw_runs(
    canvas: Canvas, x: float, y: float, text: str, size: float, right: bool = False
) -> None:
    """Draw user text on the canvas with font switches; right-aligned at x when asked."""
    pieces = list(runs(text))
    if right:
        x -= sum(canvas.stringWidth(chunk, font, size) for font, chunk in pieces)
    for font, chunk in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += canvas.stringWidth(chunk, font, size)


@dataclass(frozen=True)
class Heading:
    """What every page of one document says at its top and bottom."""

    label: str
    role: str
    candidate: str
    paper: str
    internal: bool = True


def _numbered_canvas(heading: Heading) -> type[Canvas]:
    """A canvas that draws the header and "page X of Y" once the page count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, len(self._pages))
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            width, height = self._pagesize
            top = height - st.MARGIN + 4
            self.setFillColor(st.MUTED)
            _draw_runs(self, st.MARGIN, top, f"{heading.label} · {heading.role}", 8)
            self.setFillColor(st.INK)
            _draw_runs(self, width - st.MARGIN, top, heading.candidate, 8.5, right=True)
            self.setStrokeColor(st.RULE)
            self.setLineWidth(0.5)
            self.line(st.MARGIN, top - 4, width - st.MARGIN, top - 4)
            self.setFillColor(st.MUTED)
            if heading.internal:
                self.setFont(BASE, 7.5)
                self.drawString(st.MARGIN, st.MARGIN - 14, "Internal: not for the candidate")
            self.setFont(BASE, 8)
            self.drawRightString(width - st.MARGIN, st.MARGIN - 14, f"page {number} of {total}")

    return NumberedCanvas


def render_story(story: Story, heading: Heading, title: str) -> bytes:
    """Lay a story out with header, footer and page numbers; invariant, so reproducible."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=st.PAPER[heading.paper],
        leftMargin=st.MARGIN,
        rightMargin=st.MARGIN,
        topMargin=st.MARGIN + st.HEADER_GAP,
        bottomMargin=st.MARGIN,
        title=title,
        author="loopkit",
        subject=heading.role,
        creator="loopkit",
        invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_numbered_canvas(heading))
    return buffer.getvalue()


def _render(packet: Packet, story: Story, title: str, label: str, internal: bool = True) -> bytes:
    heading = Heading(label, packet.loop.title, packet.candidate, packet.paper, internal)
    return render_story(story, heading, title)


def page_width(paper: str) -> float:
    """The width of the text frame on ``paper``."""
    return float(st.PAPER[paper][0] - 2 * st.MARGIN)


def _width(packet: Packet) -> float:
    return page_width(packet.paper)


# --- sections --------------------------------------------------------------------------------


def timeline(packet: Packet, width: float) -> Drawing:
    """The day as one horizontal band: interviews coloured, breaks grey, hours marked."""
    schedule = packet.schedule
    total = max(1, elapsed_minutes(schedule.start, schedule.end))
    height, band_y, band_h = 62, 22, 26
    drawing = Drawing(width, height)
    scale = width / total
    colour = 0
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
                    String(
                        x + 3,
                        band_y + band_h - 10,
                        label,
                        fontName=BASE,
                        fontSize=7.5,
                        fillColor=colors.white,
                    )
                )
            drawing.add(
                String(
                    x + 3,
                    band_y + 4,
                    f"{slot.minutes}m",
                    fontName=BASE,
                    fontSize=7,
                    fillColor=colors.white,
                )
            )
        elif slot.kind == "lunch" and w > 28:
            drawing.add(
                String(x + 3, band_y + 9, "lunch", fontName=BASE, fontSize=7, fillColor=st.MUTED)
            )
        drawing.add(Line(x, band_y - 3, x, band_y, strokeColor=st.MUTED, strokeWidth=0.5))
        drawing.add(
            String(
                x, band_y - 12, _time(slot.start), fontName=BASE, fontSize=6.5, fillColor=st.MUTED
            )
        )
    drawing.add(Line(width, band_y - 3, width, band_y, strokeColor=st.MUTED, strokeWidth=0.5))
    drawing.add(
        String(
            width,
            band_y - 12,
            _time(schedule.end),
            fontName=BASE,
            fontSize=6.5,
            fillColor=st.MUTED,
            textAnchor="end",
        )
    )
    return drawing


def fit_text(text: str, width: float, size: float) -> str:
    """The longest prefix of ``text`` (with an ellipsis) that fits in ``width``; Noto glyphs only."""
    if any(font != BASE for font, _ in runs(text)):
        return ""  # CJK titles are named in the table below the band instead
    if stringWidth(text, BASE, size) <= width:
        return text
    while text and stringWidth(text + "…", BASE, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if len(text) > 2 else ""


def cover(packet: Packet) -> Story:
    """Candidate, role, day, both zones, the timeline and the panel."""
    schedule, loop = packet.schedule, packet.loop
    width = _width(packet)
    story: Story = [
        raw("INTERVIEW PACKET", "kicker"),
        para(packet.candidate, "title", "candidate's name"),
        para(loop.title, "h2"),
        Spacer(1, 4),
        para(
            f"{_day(packet)} · {_time(schedule.start)}–{_time(schedule.end)} {schedule.end.tzname()} ({schedule.tz.key})"
        ),
    ]
    if schedule.candidate_tz.key != schedule.tz.key:
        start, end = (
            schedule.start.astimezone(schedule.candidate_tz),
            schedule.end.astimezone(schedule.candidate_tz),
        )
        story.append(
            para(
                f"Candidate's time: {start:%H:%M}–{end:%H:%M} {end.tzname()} ({schedule.candidate_tz.key})",
                "muted",
            )
        )
    total = elapsed_minutes(schedule.start, schedule.end)
    story += [
        raw(f"{len(schedule.interviews)} interviews, {format_minutes(total)} with breaks · hire bar "
             f"{loop.hire_bar:.1f} on the 1–4 scale", "muted"),
        Spacer(1, 12),
        timeline(packet, width),
        Spacer(1, 10),
        raw("Panel", "h2"),
    ]  # fmt: skip
    rows: list[list[Any]] = [[raw("Time", "cellhead"), raw("Interview", "cellhead"),
                              raw("Weight", "cellhead"), raw("Interviewers", "cellhead")]]  # fmt: skip
    for slot in schedule.interviews:
        assert slot.interview is not None
        seats = packet.seats_of(slot.interview.id)
        people = "\n".join(str(s.person) if s.person else "unassigned" for s in seats)
        rows.append([raw(_span(slot, schedule.tz), "cell"), para(slot.interview.title, "cell"),
                     raw(f"{slot.interview.weight:g}", "cell"), para(people, "cell", "panel")])  # fmt: skip
    story.append(grid(rows, [0.22 * width, 0.36 * width, 0.1 * width, 0.32 * width]))
    story += [
        Spacer(1, 12),
        raw("In this packet", "h2"),
        raw("1. Schedule with both time zones and each interview's brief<br/>"
             "2. Every interviewer's scorecard<br/>"
             "3. Debrief sheet: the grid for the hiring decision", "small"),
    ]  # fmt: skip
    return story


def schedule_section(packet: Packet) -> Story:
    """The full schedule table and, per interview, its brief and focus."""
    schedule = packet.schedule
    width = _width(packet)
    both = schedule.candidate_tz.key != schedule.tz.key
    head = [raw(f"Time ({schedule.tz.key})", "cellhead")]
    if both:
        head.append(raw(f"Candidate ({schedule.candidate_tz.key})", "cellhead"))
    head += [raw("Block", "cellhead"), raw("Interviewers", "cellhead")]
    rows: list[list[Any]] = [head]
    shade = []
    for index, slot in enumerate(schedule.slots, start=1):
        row: list[Any] = [raw(_span(slot, schedule.tz), "cell")]
        if both:
            row.append(raw(_span(slot, schedule.candidate_tz), "cell"))
        if slot.interview is not None:
            people = ", ".join(s.interviewer for s in packet.seats_of(slot.interview.id))
            row += [para(f"{slot.title} ({slot.minutes}m)", "cell"), para(people, "cell", "panel")]
        else:
            row += [raw(f"{slot.title} ({slot.minutes}m)", "muted"), ""]
            shade.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f6f7f9")))
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
                f"{interview.title} · {_span(slot, schedule.tz)} · weight {interview.weight:g}",
                "h2",
            ),
        ]
        if interview.brief:
            block.append(para(interview.brief, "small"))
        if interview.focus:
            block.append(para("Focus: " + "; ".join(interview.focus), "muted"))
        story.append(KeepTogether(block))
    return story


def _bullets(items: Sequence[str]) -> Story:
    return [Para(markup(item), st.styles()["bullet"], bulletText="•") for item in items]


def scorecard(packet: Packet, seat: Seat) -> Story:
    """One interviewer's printable scorecard: context, prompts, anchored ratings, notes."""
    width = _width(packet)
    slot, template = seat.slot, seat.template
    schedule = packet.schedule
    story: Story = [
        raw("SCORECARD", "kicker"),
        para(seat.interview.title, "h1"),
    ]
    facts = [
        ("Candidate", para(packet.candidate, "cell", "candidate's name")),
        ("Interviewer", para(seat.interviewer, "cell", "interviewer's name")),
        ("When", raw(f"{_day(packet)}, {_span(slot, schedule.tz)} ({slot.minutes}m)", "cell")),
    ]
    story.append(
        grid(
            [[raw(k, "cellhead"), v] for k, v in facts],
            [0.16 * width, 0.84 * width],
            header=False,
            extra=[("LINEBELOW", (0, 0), (-1, -1), 0, colors.white)],
        )
    )
    story += [raw("Purpose", "h2"), para(template.purpose, "small")]
    story += [raw("Prompts you may ask", "h2"), *_bullets(template.prompts)]
    if seat.interview.focus:
        story += [raw("Focus", "h2"), para("; ".join(seat.interview.focus), "small")]
    story += [
        raw("Competencies", "h2"),
        raw("Tick one box per competency. Rate what you saw, not what you guess; "
             "“no signal” never counts as a number.", "muted"),
        Spacer(1, 4),
    ]  # fmt: skip
    for competency in template.competencies:
        rows: list[list[Any]] = [
            [
                Para(
                    markup(competency.name) + f"<font size='8.5' color='#5b6473'>   ·   weight "
                    f"{competency.weight:g}</font>",
                    st.styles()["h3"],
                ),
                "",
                "",
            ],
            [para("Look for: " + competency.look_for, "lookfor"), "", ""],
        ]
        for rating, anchor in sorted(competency.anchors.items()):
            rows.append(
                [
                    TickBox(),
                    raw(f"{rating} {RATING_LABELS[int(rating)]}", "cellhead"),
                    para(anchor, "cell"),
                ]
            )
        rows.append(
            [
                TickBox(),
                raw("no signal", "cellhead"),
                raw("The interview gave no evidence either way.", "muted"),
            ]
        )
        table = Table(rows, colWidths=[16, 62, width - 78], hAlign="LEFT")
        table.setStyle(
            TableStyle([
                ("SPAN", (0, 0), (-1, 0)), ("SPAN", (0, 1), (-1, 1)),
                ("BACKGROUND", (0, 0), (-1, 0), st.BAND),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 2), (0, -1), 4),
                ("LINEBELOW", (0, 1), (-1, -2), 0.3, st.RULE),
            ])
        )  # fmt: skip
        story.append(
            KeepTogether(
                [table, Spacer(1, 3), raw("Evidence", "cellhead"), RuleLines(3), Spacer(1, 10)]
            )
        )
    boxes: list[Any] = []
    for value, label in RATING_LABELS.items():
        boxes += [TickBox(10), raw(f"{value} {label}", "cell")]
    recommendation = Table([boxes], colWidths=[16, 0.25 * width - 16] * 4, hAlign="LEFT")
    recommendation.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 4)])
    )
    story.append(
        KeepTogether([
            raw("Overall recommendation", "h2"), recommendation, Spacer(1, 6),
            raw("Notes", "h2"), RuleLines(6),
        ])
    )  # fmt: skip
    return story


def debrief_sheet(packet: Packet) -> Story:
    """A one-page grid of interviews x interviewers with space for scores and the bar."""
    width = _width(packet)
    loop = packet.loop
    rows: list[list[Any]] = [[raw(h, "cellhead") for h in ("Interview", "Weight", "Interviewer",
                                                            "Recommendation 1–4", "Score", "Notes")]]  # fmt: skip
    for slot in packet.schedule.interviews:
        assert slot.interview is not None
        for seat in packet.seats_of(slot.interview.id):
            rows.append([para(slot.interview.title, "cell"), raw(f"{slot.interview.weight:g}", "cell"),
                         para(seat.interviewer, "cell", "panel"), "", "", ""])  # fmt: skip
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
            f"Hire bar: <font color='#1f5fa8'>{loop.hire_bar:.1f}</font>.",
            "small",
        ),
        Spacer(1, 8),
        sheet,
        Spacer(1, 14),
        raw(f"Loop score ______ against the hire bar of {loop.hire_bar:.1f}", "h2"),
        Spacer(1, 4),
        raw("Check before deciding", "h2"),
        *[
            Table([[TickBox(), raw(text, "cell")]], colWidths=[16, width - 16], hAlign="LEFT")
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


def itinerary(packet: Packet) -> Story:
    """The candidate's day: times, titles, interviewers and breaks; nothing internal."""
    schedule = packet.schedule
    width = _width(packet)
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
    head = [raw(f"Your time ({zone.key})", "cellhead")]
    if both:
        head.append(raw(other.key, "cellhead"))
    head += [raw("What", "cellhead"), raw("With", "cellhead")]
    rows: list[list[Any]] = [head]
    for slot in schedule.slots:
        row: list[Any] = [raw(_span(slot, zone), "cell")]
        if both:
            row.append(raw(_span(slot, other), "muted"))
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
        raw("Breaks are yours: step away, eat, or ask us anything. If a time does not work, "
             "reply to your coordinator and we will move things around.", "small"),
    ]  # fmt: skip
    return story


# --- documents -------------------------------------------------------------------------------


def render_packet(packet: Packet) -> bytes:
    """packet.pdf: cover, schedule, every scorecard and the debrief sheet."""
    story = [*cover(packet), PageBreak(), *schedule_section(packet)]
    for seat in packet.seats:
        story += [PageBreak(), *scorecard(packet, seat)]
    story += [PageBreak(), *debrief_sheet(packet)]
    return _render(packet, story, f"Interview packet: {packet.candidate}", "Interview packet")


def render_scorecard(packet: Packet, seat: Seat) -> bytes:
    """scorecards/<interview>--<interviewer>.pdf."""
    return _render(
        packet, scorecard(packet, seat), f"Scorecard: {seat.interview.title}", "Scorecard"
    )


def render_itinerary(packet: Packet) -> bytes:
    """itinerary.pdf, for the candidate."""
    return _render(
        packet,
        itinerary(packet),
        f"Your interview day: {packet.candidate}",
        "Itinerary",
        internal=False,
    )

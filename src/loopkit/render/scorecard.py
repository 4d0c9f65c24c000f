"""scorecards/<interview>--<interviewer>.pdf: one interviewer's printable scorecard.

The file of its own is also a form (SPEC 8.4): each tick box is a radio
button, each space to write on a text field, and the seat's identity rides
along in hidden fields, so the filled PDF is read back as the TOML is. The
copy inside packet.pdf is paper only.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from loopkit._models import NO_SIGNAL_FIELD
from loopkit._packet import Packet, Seat
from loopkit._scale import RATING_LABELS
from loopkit.render import styles as st
from loopkit.render.fonts import markup
from loopkit.render.layout import (
    TABLE_FONT,
    FormLines,
    FormRadio,
    FormValues,
    Para,
    RuleLines,
    Story,
    TickBox,
    bullets,
    grid,
    long_day,
    packet_width,
    para,
    raw,
    render_packet_document,
    span,
)


def scorecard(packet: Packet, seat: Seat, *, fillable: bool = False) -> Story:
    """One interviewer's printable scorecard: context, prompts, anchored ratings, notes.

    ``fillable`` makes it a form with the field names of SPEC 8.4.
    """
    width = packet_width(packet)
    slot, template = seat.slot, seat.template
    schedule = packet.schedule

    def box(group: str, value: str, size: float = 9) -> Flowable:
        return FormRadio(group, value, size) if fillable else TickBox(size)

    def lines(name: str, count: int) -> Flowable:
        return FormLines(name, count) if fillable else RuleLines(count)

    story: Story = [
        raw("SCORECARD", "kicker"),
        para(seat.interview.title, "h1"),
    ]
    if fillable:
        story.insert(0, FormValues(_identity(packet, seat)))
    facts = [
        ("Candidate", para(packet.candidate, "cell", "candidate's name")),
        ("Interviewer", _interviewer(seat, lines("interviewer", 1))),
        ("When", raw(f"{long_day(packet)}, {span(slot, schedule.tz)} ({slot.minutes}m)", "cell")),
    ]
    story.append(
        grid(
            [[raw(k, "cellhead"), v] for k, v in facts],
            [0.16 * width, 0.84 * width],
            header=False,
            extra=[("LINEBELOW", (0, 0), (-1, -1), 0, colors.white)],
        )
    )
    if seat.shadow:
        story += [Spacer(1, 4), para(SHADOWING, "small")]
    story += [raw("Purpose", "h2"), para(template.purpose, "small")]
    story += [raw("Prompts you may ask", "h2"), *bullets(template.prompts)]
    if seat.interview.focus:
        story += [raw("Focus", "h2"), para("; ".join(seat.interview.focus), "small")]
    story += [
        raw("Competencies", "h2"),
        raw(
            "Tick one box per competency. Rate what you saw, not what you guess; "
            "“no signal” never counts as a number.",
            "muted",
        ),
        Spacer(1, 4),
    ]
    for competency in template.competencies:
        rows: list[list[Any]] = [
            [
                Para(
                    markup(competency.name)
                    + f"<font size='8.5' color='{st.tint(st.MUTED)}'>   ·   weight "
                    f"{competency.weight:g}</font>",
                    st.styles()["h3"],
                ),
                "",
                "",
            ],
            [para("Look for: " + competency.look_for, "lookfor"), "", ""],
        ]
        group = f"rating-{competency.id}"
        for rating, anchor in sorted(competency.anchors.items()):
            rows.append(
                [
                    box(group, str(rating)),
                    raw(f"{rating} {RATING_LABELS[int(rating)]}", "cellhead"),
                    para(anchor, "cell"),
                ]
            )
        rows.append(
            [
                box(group, NO_SIGNAL_FIELD),
                raw("no signal", "cellhead"),
                raw("The interview gave no evidence either way.", "muted"),
            ]
        )
        table = Table(rows, colWidths=[16, 62, width - 78], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    TABLE_FONT,
                    ("SPAN", (0, 0), (-1, 0)),
                    ("SPAN", (0, 1), (-1, 1)),
                    ("BACKGROUND", (0, 0), (-1, 0), st.BAND),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 2), (0, -1), 4),
                    ("LINEBELOW", (0, 1), (-1, -2), 0.3, st.RULE),
                ]
            )
        )
        story.append(
            KeepTogether(
                [
                    table,
                    Spacer(1, 3),
                    raw("Evidence", "cellhead"),
                    lines(f"evidence-{competency.id}", 3),
                    Spacer(1, 10),
                ]
            )
        )
    boxes: list[Any] = []
    for value, label in RATING_LABELS.items():
        boxes += [box("recommendation", str(value), 10), raw(f"{value} {label}", "cell")]
    recommendation = Table([boxes], colWidths=[16, 0.25 * width - 16] * 4, hAlign="LEFT")
    recommendation.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(
        KeepTogether(
            [
                raw("Overall recommendation", "h2"),
                recommendation,
                Spacer(1, 6),
                raw("Notes", "h2"),
                lines("notes", 6),
            ]
        )
    )
    return story


SHADOWING = (
    "You are shadowing: rate as if it counted. Your ratings are shown apart in the debrief "
    "and compared in calibration; they never count in the candidate's score."
)


def _interviewer(seat: Seat, line: Flowable) -> Any:
    """The interviewer's name, or, for an unassigned seat, a line to write it on."""
    if seat.person is not None:
        return para(seat.interviewer, "cell", "interviewer's name")
    return [
        Spacer(1, 12),
        line,
        raw("Nobody was assigned: write your name here and in the TOML", "muted"),
    ]


def _identity(packet: Packet, seat: Seat) -> dict[str, str]:
    """What the blank TOML says of its seat, for the form to carry: the debrief checks it."""
    values = {
        "packet": packet.id,
        "interview": seat.interview.id,
        "lock": packet.lock_hash,
        "seat": seat.stem,
    }
    if seat.person is not None:  # an unassigned seat's name is a field to fill in instead
        values["interviewer"] = seat.person.name
    return values


def render_scorecard(packet: Packet, seat: Seat, *, fillable: bool = True) -> bytes:
    """scorecards/<interview>--<interviewer>.pdf: a form unless ``fillable`` is false."""
    return render_packet_document(
        packet,
        scorecard(packet, seat, fillable=fillable),
        f"Scorecard: {seat.interview.title} · {packet.candidate}",
        "Scorecard",
    )

"""debrief.pdf: a chart read at a glance, the score table, flags, and every interviewer's evidence."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Spacer

from loopkit._debrief import Card, Debrief, InterviewResult
from loopkit._scale import NO_SIGNAL, RATING_LABELS, bar_text, beside
from loopkit.render import styles as st
from loopkit.render.fonts import BASE, markup, register
from loopkit.render.layout import (
    Bookmark,
    Heading,
    Para,
    Story,
    fit_text,
    grid,
    page_width,
    para,
    raw,
    reflowed,
    render_story,
)

Box = tuple[float, float, float, float]  # left, bottom, right, top
LABEL_SIZE, GAP = 8.0, 2.0


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _text_box(x: float, baseline: float, text: str, size: float) -> Box:
    """The room a line of Noto digits and letters takes, descender to cap height, with a gap."""
    right = x + stringWidth(text, BASE, size)
    return (x - GAP, baseline - 0.25 * size - GAP, right + GAP, baseline + 0.75 * size + GAP)


def chart(debrief: Debrief, width: float) -> Drawing:
    """Each interview's score as a bar, the hire bar as a line, interviewers as dots.

    Bars stand on zero, so a score of 1 (the lowest rating) is a quarter of
    the height and never an empty slot. The hire bar's label stands in a
    margin of its own, right of the bars; each score's label goes where it
    touches neither the hire bar's line nor a dot: inside the bar's top,
    above it, or beside the line.
    """
    register()  # the font's widths place the labels
    height, left, bottom, top = 190, 28, 42, 14
    bar_label = f"hire bar {debrief.hire_bar:g}"
    margin = stringWidth(bar_label, BASE, 7.5) + 8  # the hire bar's label, clear of every bar
    plot_h = height - bottom - top
    drawing = Drawing(width, height, initialFontName=BASE)  # not reportlab's Helvetica
    count = max(1, len(debrief.interviews))
    slot = (width - left - margin) / count

    def y(value: float) -> float:
        return bottom + value / 4 * plot_h

    drawing.add(Line(left, bottom, width - margin, bottom, strokeColor=st.MUTED, strokeWidth=0.6))
    for value in (1, 2, 3, 4):
        drawing.add(
            Line(left, y(value), width - margin, y(value), strokeColor=st.RULE, strokeWidth=0.4)
        )
        drawing.add(
            String(left - 6, y(value) - 3, str(value), fontName=BASE, fontSize=7.5,
                   fillColor=st.MUTED, textAnchor="end")
        )  # fmt: skip  # one shape per line
    bar_y = y(debrief.hire_bar)
    line_band: Box = (left, bar_y - 1.5, width, bar_y + 1.5)
    for n, result in enumerate(debrief.interviews):
        x = left + n * slot + slot * 0.2
        bar_w = slot * 0.6
        cards = [c for c in result.cards if c.score is not None]
        dots: list[tuple[float, float]] = []
        for k, card in enumerate(cards):
            assert card.score is not None
            dots.append((x + bar_w * (k + 1) / (len(cards) + 1), y(card.score)))
        score = result.score
        if score is not None:
            fill = st.GOOD if score >= debrief.hire_bar else st.BAD
            drawing.add(
                Rect(x, bottom, bar_w, y(score) - bottom, fillColor=fill, strokeColor=None,
                     fillOpacity=0.8)
            )  # fmt: skip  # one shape per line
            text = f"{score:.2f}"
            taken = [line_band, *((cx - 4.2, cy - 4.2, cx + 4.2, cy + 4.2) for cx, cy in dots)]
            drawing.add(_score_label(text, x + 4, y(score), bar_y, (bottom, height), taken))
        else:
            drawing.add(
                String(x + bar_w / 2, bottom + 4, "no score", fontName=BASE, fontSize=7.5,
                       fillColor=st.MUTED, textAnchor="middle")
            )  # fmt: skip  # one shape per line
        for cx, cy in dots:
            drawing.add(
                Circle(cx, cy, 3.2, fillColor=colors.white, strokeColor=st.INK, strokeWidth=1)
            )
        title = fit_text(result.title, slot - 4, 7.5)
        drawing.add(
            String(x + bar_w / 2, bottom - 13, title, fontName=BASE, fontSize=7.5,
                   fillColor=st.INK, textAnchor="middle")
        )  # fmt: skip  # one shape per line
        drawing.add(
            String(x + bar_w / 2, bottom - 24, f"weight {result.weight:g}", fontName=BASE,
                   fontSize=7, fillColor=st.MUTED, textAnchor="middle")
        )  # fmt: skip  # one shape per line
    drawing.add(
        Line(left, bar_y, width - margin + 4, bar_y, strokeColor=st.ACCENT, strokeWidth=1.2,
             strokeDashArray=[4, 3])
    )  # fmt: skip  # one shape per line
    drawing.add(
        String(width, bar_y - 2.6, bar_label, fontName=BASE, fontSize=7.5, fillColor=st.ACCENT,
               textAnchor="end")
    )  # fmt: skip  # one shape per line
    return drawing


def _score_label(
    text: str, x: float, top: float, bar_y: float, bounds: tuple[float, float], taken: list[Box]
) -> String:
    """A score's label at the first place that touches nothing ``taken``.

    In white inside the top of its bar; else in ink above it; else (a dot
    there too) in white just under the hire bar's line or lower in the bar.
    ``taken[0]`` is the hire bar's line, which no place may touch; where
    every place touches a dot, the one touching fewest wins. ``bounds`` are
    the bar's foot and the drawing's top.
    """
    size, foot, ceiling = LABEL_SIZE, bounds[0], bounds[1]
    clear = 0.25 * size + GAP  # from a baseline down to the foot of its box
    places = [  # (baseline, inside the bar)
        (top - size - 2, True),
        (top + clear, False),
        (bar_y - size - 4, True),
        (top - 2 * size - 6, True),
    ]
    fits: list[tuple[int, float, bool]] = []
    for baseline, inside in places:
        box = _text_box(x, baseline, text, size)
        if inside and not foot <= box[1] <= box[3] <= top:
            continue
        if not inside and not top <= box[1] <= box[3] <= ceiling:
            continue
        # the line is never crossed; a dot is avoided where a place allows
        touched = [_overlaps(box, other) for other in taken]
        if not touched[0]:
            fits.append((sum(touched), baseline, inside))
    _, baseline, white = min(fits, key=lambda fit: fit[0]) if fits else (0, *places[1])
    return String(x, baseline, text, fontName=BASE, fontSize=size,
                  fillColor=colors.white if white else st.INK)  # fmt: skip  # one shape per line


def render_debrief(debrief: Debrief) -> bytes:
    """The debrief for the hiring meeting."""
    width = page_width(debrief.paper)
    score = beside(debrief.score, debrief.hire_bar) if debrief.score is not None else "no score"
    verdict = "meets" if debrief.meets_bar else "is below"
    colour = st.tint(st.GOOD if debrief.meets_bar and not debrief.incomplete else st.BAD)
    lead = "INCOMPLETE: " if debrief.incomplete else ""
    story: Story = [
        Bookmark("Summary"),
        raw("DEBRIEF", "kicker"),
        para(debrief.candidate, "title", "candidate's name"),
        para(debrief.title, "h2"),
        raw(
            f"{lead}Loop score <font color='{colour}'>{score}</font> {verdict} the hire bar of {bar_text(debrief.hire_bar, 2)}",
            "h1",
        ),
    ]
    if debrief.incomplete:
        story.append(
            raw(
                f"<font color='{st.tint(st.BAD)}'>INCOMPLETE: debriefed with missing scorecards.</font>",
                "body",
            )
        )
    if debrief.decision:
        reason = f": {markup(debrief.reason, 'reason')}" if debrief.reason else ""
        story.append(raw(f"<b>Decision: {debrief.decision}</b>{reason}", "body"))
    story += [
        Spacer(1, 6),
        chart(debrief, width),
        raw(
            "Bars: interview scores (weighted mean of competency ratings, averaged over interviewers). "
            "Dots: each interviewer's score. Dashed line: the hire bar.",
            "muted",
        ),
    ]
    if debrief.flags:
        story += [Bookmark("Flags"), raw("Flags", "h2")]
        story += [
            Para(markup(flag), st.styles()["bullet"], bulletText="!") for flag in debrief.flags
        ]
    rows: list[list[Any]] = [
        [
            raw(h, "cellhead")
            for h in ("Interview", "Weight", "Interviewer", "Score", "Recommendation")
        ]
    ]
    for result in debrief.interviews:
        for card in (*result.cards, *result.shadows):
            shown = f"{card.score:.2f}" if card.score is not None else "no signal"
            rows.append(
                [
                    para(result.title, "cell"),
                    raw(f"{result.weight:g}", "cell"),
                    para(_who(card, result), "cell"),
                    raw(shown, "cell"),
                    raw(f"{card.recommendation} {RATING_LABELS[card.recommendation]}", "cell"),
                ]
            )
        for person in result.missing:
            rows.append(
                [
                    para(result.title, "cell"),
                    raw(f"{result.weight:g}", "cell"),
                    para(person, "cell"),
                    raw("missing", "muted"),
                    "",
                ]
            )
    story += [
        Bookmark("Scores"),
        raw("Scores", "h2"),
        grid(rows, [w * width for w in (0.34, 0.09, 0.25, 0.12, 0.2)]),
    ]
    rated = [r for r in debrief.interviews if r.cards or r.shadows]
    for n, result in enumerate(rated):
        if n == 0:
            story.append(Bookmark("Evidence"))
        story.append(Bookmark(result.title, 1))
        interview_score = f"{result.score:.2f}" if result.score is not None else "no score"
        title = f"{result.title} · weight {result.weight:g} · score {interview_score}"
        story += _heading(title, "h2", 100)  # room for the competency's heading too
        for competency_id, name, weight in result.competencies:
            entries: list[Any] = _heading(f"{name} (weight {weight:g})", "h3", 60)
            for card in (*result.cards, *result.shadows):
                rating = card.ratings[competency_id]
                label = NO_SIGNAL if rating is None else f"{rating} {RATING_LABELS[rating]}"
                evidence = card.evidence.get(competency_id) or "(no evidence written)"
                entries.append(
                    Para(
                        f"<font color='{st.tint(st.MUTED)}'>{markup(_who(card, result))} · {label}:</font> {markup(reflowed(evidence))}",
                        st.styles()["small"],
                    )
                )
            story += [*entries, Spacer(1, 4)]
        notes = [c for c in (*result.cards, *result.shadows) if c.notes.strip()]
        for card in notes:
            story.append(para(f"Notes from {_who(card, result)}: {reflowed(card.notes)}", "muted"))
    heading = Heading("Debrief", debrief.title, debrief.candidate, debrief.paper)
    return render_story(story, heading, f"Debrief: {debrief.candidate}")


def _heading(text: str, style: str, room: float) -> list[Any]:
    """An evidence heading that never ends a page: a new page when less than ``room`` is
    left, then the evidence flows after it.

    Kept with what followed it (a heading's keepWithNext), a competency's first
    evidence of hundreds of words moved whole to the next page: pages 40% empty.
    """
    heading = para(text, style)
    heading.keepWithNext = 0
    return [CondPageBreak(room), heading]


def _who(card: Card, result: InterviewResult) -> str:
    """The interviewer's name; a shadow's says their ratings are not in the score."""
    return (
        f"{card.interviewer} (shadow, not counted)" if card in result.shadows else card.interviewer
    )

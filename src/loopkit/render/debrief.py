"""debrief.pdf: a chart read at a glance, the score table, flags, and every interviewer's evidence."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Spacer

from loopkit._debrief import Debrief
from loopkit._models import NO_SIGNAL, RATING_LABELS
from loopkit.render import styles as st
from loopkit.render.fonts import BASE, markup
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
    render_story,
)


def chart(debrief: Debrief, width: float) -> Drawing:
    """Each interview's score as a bar on the 1-4 scale, the hire bar as a line, interviewers as dots."""
    height, left, bottom, top = 190, 28, 42, 12
    plot_h = height - bottom - top
    drawing = Drawing(width, height, initialFontName=BASE)  # not reportlab's Helvetica
    count = max(1, len(debrief.interviews))
    slot = (width - left) / count

    def y(value: float) -> float:
        return bottom + (value - 1) / 3 * plot_h

    for value in (1, 2, 3, 4):
        drawing.add(Line(left, y(value), width, y(value), strokeColor=st.RULE, strokeWidth=0.4))
        drawing.add(
            String(
                left - 6,
                y(value) - 3,
                str(value),
                fontName=BASE,
                fontSize=7.5,
                fillColor=st.MUTED,
                textAnchor="end",
            )
        )
    for n, result in enumerate(debrief.interviews):
        x = left + n * slot + slot * 0.2
        bar_w = slot * 0.6
        score = result.score
        if score is not None:
            fill = st.GOOD if score >= debrief.hire_bar else st.BAD
            drawing.add(
                Rect(
                    x,
                    bottom,
                    bar_w,
                    y(score) - bottom,
                    fillColor=fill,
                    strokeColor=None,
                    fillOpacity=0.8,
                )
            )
            drawing.add(
                String(
                    x + 4,
                    y(score) - 11,
                    f"{score:.2f}",
                    fontName=BASE,
                    fontSize=8,
                    fillColor=colors.white,
                )
            )
        else:
            drawing.add(
                String(
                    x + bar_w / 2,
                    bottom + 4,
                    "no score",
                    fontName=BASE,
                    fontSize=7.5,
                    fillColor=st.MUTED,
                    textAnchor="middle",
                )
            )
        cards = [c for c in result.cards if c.score is not None]
        for k, card in enumerate(cards):
            assert card.score is not None
            cx = x + bar_w * (k + 1) / (len(cards) + 1)
            drawing.add(
                Circle(
                    cx,
                    y(card.score),
                    3.2,
                    fillColor=colors.white,
                    strokeColor=st.INK,
                    strokeWidth=1,
                )
            )
        title = fit_text(result.title, slot - 4, 7.5)
        drawing.add(
            String(
                x + bar_w / 2,
                bottom - 13,
                title,
                fontName=BASE,
                fontSize=7.5,
                fillColor=st.INK,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                x + bar_w / 2,
                bottom - 24,
                f"weight {result.weight:g}",
                fontName=BASE,
                fontSize=7,
                fillColor=st.MUTED,
                textAnchor="middle",
            )
        )
    bar_y = y(debrief.hire_bar)
    drawing.add(
        Line(
            left,
            bar_y,
            width,
            bar_y,
            strokeColor=st.ACCENT,
            strokeWidth=1.2,
            strokeDashArray=[4, 3],
        )
    )
    drawing.add(
        String(
            width,
            bar_y + 3,
            f"hire bar {debrief.hire_bar:g}",
            fontName=BASE,
            fontSize=7.5,
            fillColor=st.ACCENT,
            textAnchor="end",
        )
    )
    return drawing


def render_debrief(debrief: Debrief) -> bytes:
    """The debrief for the hiring meeting."""
    width = page_width(debrief.paper)
    score = f"{debrief.score:.2f}" if debrief.score is not None else "no score"
    verdict = "meets" if debrief.meets_bar else "is below"
    colour = st.tint(st.GOOD if debrief.meets_bar and not debrief.incomplete else st.BAD)
    lead = "INCOMPLETE: " if debrief.incomplete else ""
    story: Story = [
        Bookmark("Summary"),
        raw("DEBRIEF", "kicker"),
        para(debrief.candidate, "title", "candidate's name"),
        para(debrief.title, "h2"),
        raw(
            f"{lead}Loop score <font color='{colour}'>{score}</font> {verdict} the hire bar of {debrief.hire_bar:.2f}",
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
        for card in result.cards:
            shown = f"{card.score:.2f}" if card.score is not None else "no signal"
            rows.append(
                [
                    para(result.title, "cell"),
                    raw(f"{result.weight:g}", "cell"),
                    para(card.interviewer, "cell"),
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
    evidence = [r for r in debrief.interviews if r.cards]
    for n, result in enumerate(evidence):
        if n == 0:
            story.append(Bookmark("Evidence"))
        story.append(Bookmark(result.title, 1))
        interview_score = f"{result.score:.2f}" if result.score is not None else "no score"
        story.append(
            para(f"{result.title} · weight {result.weight:g} · score {interview_score}", "h2")
        )
        for competency_id, name, weight in result.competencies:
            entries: list[Any] = [para(f"{name} (weight {weight:g})", "h3")]
            for card in result.cards:
                rating = card.ratings[competency_id]
                label = NO_SIGNAL if rating is None else f"{rating} {RATING_LABELS[rating]}"
                evidence = card.evidence.get(competency_id) or "(no evidence written)"
                entries.append(
                    Para(
                        f"<font color='{st.tint(st.MUTED)}'>{markup(card.interviewer)} · {label}:</font> {markup(evidence)}",
                        st.styles()["small"],
                    )
                )
            story.append(KeepTogether([*entries, Spacer(1, 4)]))
        notes = [c for c in result.cards if c.notes.strip()]
        for card in notes:
            story.append(para(f"Notes from {card.interviewer}: {card.notes}", "muted"))
    heading = Heading("Debrief", debrief.title, debrief.candidate, debrief.paper)
    return render_story(story, heading, f"Debrief: {debrief.candidate}")

"""calibration.pdf and calibration.toml: each interviewer against their peers, privately.

The first page is the team's: how alike each interview's raters rate. Then
one page per interviewer, naming only them: their ratings and their
recommendations beside everyone else's, their leniency among their peers'
(shown as unnamed dots), their "no signal" share and how often their
recommendation matched the decision.
Peers' figures are left out where fewer than three peers would make them.
Normative feedback of this kind is what narrows the gaps between raters;
a league table is not, so nobody else is named on a person's page.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

import tomli_w
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.platypus import PageBreak, Spacer

from loopkit._calibrate import MIN_SHARED, RATINGS, Calibration, Interval, Rater
from loopkit._scale import RATING_LABELS
from loopkit.render import styles as st
from loopkit.render.across import NOT_ENOUGH, counted, left_out, shown, unread
from loopkit.render.fonts import BASE, markup
from loopkit.render.layout import (
    Bookmark,
    Heading,
    Story,
    grid,
    notes,
    page_width,
    para,
    raw,
    render_story,
    unread_notes,
)

# Fewer peers than this and their pooled figures, medians and dots are not drawn on a private
# page: with one or two, an interviewer who knows who else rated could tell whose they are.
MIN_PEERS = 3
FEW_PEERS = f"Fewer than {MIN_PEERS} peers"


def calibration_toml(calibration: Calibration) -> bytes:
    """Every figure, for scripts and for next quarter's comparison."""
    data = {
        "packets": calibration.packets,
        "min_shared": MIN_SHARED,
        "stale_debriefs": list(calibration.stale),
        "interviewers": [
            {
                "name": r.name,
                "email": r.email,
                "shadow": r.shadow,
                "shadowed": r.shadowed,
                "scorecards": r.scorecards,
                "ratings": {str(k): v for k, v in r.ratings.items()},
                "no_signal": r.no_signal,
                "no_signal_share": r.no_signal_share,
                "recommendations": {str(k): v for k, v in r.recommendations.items()},
                "leniency": interval_data(r.leniency),
                "agreement_with_decision": interval_data(r.agreement),
                "undecided": r.undecided,
            }
            for r in calibration.raters
        ],
        "interviews": [
            {
                "id": a.interview,
                "title": a.title,
                "raters": a.raters,
                "candidates": a.candidates,
                "alpha": interval_data(a.alpha),
            }
            for a in calibration.interviews
        ],
    }
    return tomli_w.dumps(data).encode("utf-8")


def interval_data(interval: Interval) -> dict[str, Any]:
    """An estimate as TOML and JSON write it: no value at all when there is not enough data."""
    if interval.value is None:
        return {"n": interval.n, "enough_data": False}
    out: dict[str, Any] = {"n": interval.n, "enough_data": True, "value": interval.value}
    if interval.low is not None and interval.high is not None:
        out |= {"low": interval.low, "high": interval.high}
    return out


def calibration_pdf(calibration: Calibration, paper: str = "letter") -> bytes:
    """The team's page, then one private page per interviewer."""
    width = page_width(paper)
    story: Story = [
        Bookmark("The team"),
        raw("CALIBRATION", "kicker"),
        raw("How alike the interviewers rate", "title"),
        raw(
            f"{counted(calibration.packets, 'packet')}. Krippendorff's alpha (ordinal) over "
            "the competency ratings of candidates rated by two or more people: 1 is perfect "
            "agreement, 0 is what chance would give, and 0.667 the usual lowest for tentative "
            "conclusions. "
            f"Fewer than {MIN_SHARED} shared candidates is not enough data."
            + unread(calibration.skipped),
            "muted",
        ),
        Spacer(1, 6),
    ]
    rows: list[list[Any]] = [
        [raw(h, "cellhead") for h in ("Interview", "Raters", "Shared candidates", "Alpha (95%)")]
    ]
    for agreement in calibration.interviews:
        rows.append(
            [
                para(agreement.title, "cell", "interview title"),
                raw(str(agreement.raters), "cell"),
                raw(str(agreement.candidates), "cell"),
                raw(shown(agreement.alpha), "cell"),
            ]
        )
    story.append(grid(rows, [width * 0.4, width * 0.12, width * 0.18, width * 0.3]))
    story += notes("Decisions not counted: their debriefs are stale", calibration.stale)
    story += unread_notes(left_out(calibration.skipped))
    for rater in calibration.raters:  # a bookmark each: one page to hand each person
        title = calibration.label(rater)
        story += [PageBreak(), Bookmark(title), *_page(rater, title, calibration, width)]
    heading = Heading(
        "Calibration",
        "Interviewer calibration",
        "",
        paper,
        section=lambda number, title: (title, "" if number == 0 else " · private"),
    )
    return render_story(story, heading, "Interviewer calibration")


def _page(rater: Rater, title: str, calibration: Calibration, width: float) -> Story:
    # against the interviewers whose ratings count: trainees are not the yardstick
    peers = [r for r in calibration.raters if r is not rater and not r.shadow]
    role = " (shadow)" if rater.shadow else ""
    as_shadow = (
        f", {rater.shadowed} of them as a shadow" if rater.shadowed and not rater.shadow else ""
    )
    enough = len(peers) >= MIN_PEERS
    no_signal = [p.no_signal_share for p in peers]
    agreement = [p.agreement.value for p in peers if p.agreement.value is not None]
    return [
        raw("YOUR CALIBRATION: FOR YOU ALONE", "kicker"),
        raw(f"{markup(title, 'name')}{role}", "title"),
        raw(
            f"{counted(rater.scorecards, 'scorecard')}{as_shadow} in "
            f"{counted(calibration.packets, 'packet')}. Peers: the {len(peers)} other "
            "interviewers whose ratings count, unnamed."
            + (
                f" With fewer than {MIN_SHARED} scorecards, the shares below say little yet."
                if rater.scorecards < MIN_SHARED
                else ""
            ),
            "muted",
        ),
        *_beside_peers(
            "ratings",
            rater.ratings,
            [p.ratings for p in peers] if enough else None,
            "Share of each rating among all competency ratings given.",
            width,
        ),
        *_beside_peers(
            "recommendations",
            rater.recommendations,
            [p.recommendations for p in peers] if enough else None,
            "Share of each recommendation among your scorecards.",
            width,
        ),
        raw("Leniency", "h2"),
        raw(
            f"Yours: <b>{shown(rater.leniency, signed=True)}</b>: your interview score minus "
            "the mean of the other interviewers' scores of the same candidates, in whatever "
            "interview they sat (a hard interview to do well in makes its raters look "
            "strict). 0 rates like the others; above 0 more generous, below 0 stricter.",
            "body",
        ),
        _line(rater, peers, width),
        raw("No signal and decisions", "h2"),
        raw(
            f'"No signal" on {rater.no_signal_share:.0%} of competencies ({_median(no_signal)}). '
            "Recommendation matched the hiring decision: "
            f"{shown(rater.agreement, percent=True)}; {_median(agreement)}.{_decided(rater)}",
            "body",
        ),
    ]


def _decided(rater: Rater) -> str:
    """Which of their candidates the agreement is over (each decided one once), and how many
    it leaves out for want of a decision, as sentences."""
    n, left = rater.agreement.n, rater.undecided
    said = (
        f" Based on {counted(n, 'decided candidate')}." if rater.agreement.value is not None else ""
    )
    if left:
        more = "more " if n else ""
        has = "has" if left == 1 else "have"
        said += f" {left} {more}of your candidates {has} no decision from a current debrief yet."
    return said


def _beside_peers(
    what: str,
    yours: dict[int, int],
    peers: list[dict[int, int]] | None,
    caption: str,
    width: float,
) -> Story:
    """A heading, the bars of how often each of ``what`` (1-4) was given, yours beside your
    peers' pooled, and a caption; the peers' left out when they are None (too few)."""
    theirs = _shares(_pooled(peers)) if peers is not None else None
    return [
        raw(f"Your {what} and your peers'" if theirs else f"Your {what}", "h2"),
        _bars(_shares(yours), theirs, width),
        raw(caption + ("" if theirs else f" {FEW_PEERS}: your peers' are not shown."), "muted"),
    ]


def _pooled(tables: Any) -> dict[int, int]:
    total = dict.fromkeys(RATINGS, 0)
    for table in tables:
        for k, v in table.items():
            total[k] += v
    return total


def _shares(table: dict[int, int]) -> dict[int, float]:
    total = sum(table.values())
    return {k: (v / total if total else 0.0) for k, v in table.items()}


def _median(values: list[float]) -> str:
    """Where the peers stand, as a phrase: their median share, or why it is not given."""
    if not values:
        return "no peer has enough data yet"
    if len(values) < MIN_PEERS:  # a median of one or two peers would be their own figure
        have = "peer has" if len(values) == 1 else "peers have"
        return f"peers' median not shown: {len(values)} {have} enough data, fewer than {MIN_PEERS}"
    return f"peers' median {statistics.median(values):.0%}"


def _bars(yours: dict[int, float], theirs: dict[int, float] | None, width: float) -> Drawing:
    """Paired bars per rating: yours in the accent colour, your peers' in grey."""
    height, bottom, top = 130, 30, 14
    drawing = Drawing(width, height, initialFontName=BASE)  # not reportlab's Helvetica
    slot = width / len(RATINGS)
    plot = height - bottom - top
    for n, rating in enumerate(RATINGS):
        x = n * slot + slot * 0.2
        pairs = [(yours[rating], st.ACCENT)] + ([(theirs[rating], st.RULE)] if theirs else [])
        for k, (share, colour) in enumerate(pairs):
            bar_x = x + k * slot * 0.3
            drawing.add(
                Rect(
                    bar_x,
                    bottom,
                    slot * 0.28,
                    max(1.0, share * plot),
                    fillColor=colour,
                    strokeColor=None,
                )
            )
            drawing.add(
                String(
                    bar_x + slot * 0.14,
                    bottom + share * plot + 3,
                    f"{share:.0%}",
                    fontName=BASE,
                    fontSize=7.5,
                    fillColor=st.INK,
                    textAnchor="middle",
                )
            )
        drawing.add(
            String(
                x + slot * 0.29,
                bottom - 13,
                f"{rating} {RATING_LABELS[rating]}",
                fontName=BASE,
                fontSize=8,
                fillColor=st.INK,
                textAnchor="middle",
            )
        )
    drawing.add(String(0, 4, "you", fontName=BASE, fontSize=7.5, fillColor=st.ACCENT))
    if theirs:
        drawing.add(String(24, 4, "peers", fontName=BASE, fontSize=7.5, fillColor=st.MUTED))
    return drawing


def _line(rater: Rater, peers: list[Rater], width: float) -> Drawing:
    """A number line from -1.5 to +1.5 (wider, to +-3, when a figure lies beyond: a point
    pinned to the end read as +1.5): peers as grey dots, you as a bar with your interval."""
    height = 54
    drawing = Drawing(width, height, initialFontName=BASE)  # not reportlab's Helvetica
    left, right, y = 20, width - 20, 30
    dots = [p.leniency.value for p in peers if p.leniency.value is not None]
    dots = dots if len(dots) >= MIN_PEERS else []  # one or two dots would name them
    figures = [*dots, rater.leniency.value, rater.leniency.low, rater.leniency.high]
    far = max((abs(f) for f in figures if f is not None), default=0.0)
    span = min(3.0, max(1.5, math.ceil(far * 2) / 2))  # ratings 1-4: a gap is at most 3

    def x(value: float) -> float:
        clamped = max(-span, min(span, value))
        return left + (clamped + span) / (2 * span) * (right - left)

    drawing.add(Line(left, y, right, y, strokeColor=st.RULE, strokeWidth=1))
    for tick in (n / 2 for n in range(int(-2 * span), int(2 * span) + 1)):
        drawing.add(Line(x(tick), y - 3, x(tick), y + 3, strokeColor=st.RULE))
        drawing.add(
            String(
                x(tick),
                y - 14,
                f"{tick:+g}" if tick else "0",
                fontName=BASE,
                fontSize=7,
                fillColor=st.MUTED,
                textAnchor="middle",
            )
        )
    for dot in dots:
        drawing.add(Circle(x(dot), y, 3, fillColor=st.RULE, strokeColor=None))
    own = rater.leniency
    if own.value is None:
        drawing.add(
            String(
                width / 2,
                y + 10,
                NOT_ENOUGH + " for you yet",
                fontName=BASE,
                fontSize=8,
                fillColor=st.MUTED,
                textAnchor="middle",
            )
        )
        return drawing
    if own.low is not None and own.high is not None:
        drawing.add(
            Line(x(own.low), y + 8, x(own.high), y + 8, strokeColor=st.ACCENT, strokeWidth=1.5)
        )
    drawing.add(Rect(x(own.value) - 2, y - 6, 4, 16, fillColor=st.ACCENT, strokeColor=None))
    drawing.add(
        String(
            x(own.value),
            y + 13,
            "you",
            fontName=BASE,
            fontSize=7.5,
            fillColor=st.ACCENT,
            textAnchor="middle",
        )
    )
    return drawing

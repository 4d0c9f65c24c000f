"""report.pdf and report.csv: one loop's candidates side by side, for the hiring manager."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String

from loopkit._report import Report, Row, bar_words
from loopkit._scale import beside
from loopkit.render import styles as st
from loopkit.render.across import left_out, unread
from loopkit.render.fonts import BASE
from loopkit.render.layout import (
    CELL_PADDING,
    Heading,
    Story,
    at_hyphens,
    clip,
    fitted,
    grid,
    label_strings,
    notes,
    page_width,
    para,
    raw,
    render_story,
    unread_notes,
)

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """User text for a CSV cell that a spreadsheet shows as text, never runs."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_csv(report: Report) -> bytes:
    """One row per candidate; scores as the debriefs recorded them, to two decimals as every
    page shows them (more where two would round a score onto the bar's other side; JSON has
    them whole), empty when there are none.

    UTF-8 with a byte-order mark: without one, Excel reads the file in the
    system's legacy code page, and a name in any script but English's
    (Nguyễn, 李伟, Олег) opens garbled. CSV readers take the mark as such
    (Python's ``utf-8-sig``, pandas, LibreOffice, Google Sheets).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    ids = [interview_id for interview_id, _ in report.columns]
    writer.writerow(
        [
            "candidate",
            "date",
            "packet",
            "debrief",
            "loop_score",
            "hire_bar",
            "meets_bar",
            *ids,
            "deep_dive",
            "flags",
            "decision",
            "why_stale",
            "reason",
        ]
    )
    for row in report.rows:
        writer.writerow(
            [
                safe_cell(row.candidate),
                row.date,
                safe_cell(row.folder),
                row.debrief,
                _number(row.score, row.hire_bar),
                f"{row.hire_bar:g}",
                ("yes" if row.meets_bar else "no") if row.scored else "",
                *(_number(row.interview_score(i), row.hire_bar) for i in ids),
                _number(row.deep_dive, row.hire_bar),
                "; ".join(row.flags),
                row.decision,
                row.why_stale,
                safe_cell(row.reason),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _number(value: float | None, bar: float) -> str:
    """A score as the pages print it beside the bar: 2.999, never 3.00, for one just below."""
    return "" if value is None else beside(value, bar)


def report_pdf(report: Report) -> bytes:
    """A chart of loop scores against the bar, then the table of every interview's score."""
    width = page_width(report.paper)
    scored = sum(r.scored for r in report.rows)
    story: Story = [
        raw("CANDIDATES SIDE BY SIDE", "kicker"),
        para(report.title, "title", "loop title"),
        raw(
            f"{report.counted}, "
            f"{scored} scored. Scores are the ones each packet's debrief recorded."
            + unread(report.skipped),
            "muted",
        ),
        *charts(report, width),
        raw(
            "Bars: loop scores on the 1-4 scale. Dashed line: the hire bar. "
            "Candidates without a debrief are listed, never scored.",
            "muted",
        ),
        raw("Every interview", "h2"),
        _table(report, width),
        *notes("Reasons given for decisions", report.reasons()),
        *notes("Stale debriefs: run loopkit debrief again", report.stale()),
        *unread_notes(left_out(report.skipped)),
    ]
    heading = Heading("Report", report.title, report.counted, report.paper)
    return render_story(story, heading, f"{report.title}: candidates side by side")


CHART_ROWS = 30  # candidates in one chart: more would not fit a page (a drawing cannot break)


LABEL = 8.5  # the chart's names, in points


def charts(report: Report, width: float) -> list[Drawing]:
    """The candidates' chart, in parts of at most ``CHART_ROWS`` each, one under the other."""
    rows = report.rows
    cut_to = _cut_names(report, width)  # once for every part: each name is measured once
    return [
        chart(report, rows[start : start + CHART_ROWS], width, cut_to)
        for start in range(0, max(1, len(rows)), CHART_ROWS)
    ]


def _label(report: Report, row: Row, width: float, size: float, cut_to: Mapping[str, str]) -> str:
    """A candidate's name in the chart; with what tells their folder apart when they share it.

    Folders of one name differ somewhere (the day, an id's ``-2``): the label
    shows the folder from where it parts from the one most like it (at the
    start of that word, or a few characters before in a long one), so that
    part is never the one cut (the table gives the whole folder). ``cut_to``
    is every candidate's name as ``clip`` cuts it to ``width``, made once per
    chart: a name cut to another's label shows where the two differ.
    """
    if report.name(row) == row.candidate:
        shown = cut_to[row.candidate]
        alike = [name for name, cut in cut_to.items() if cut == shown and name != row.candidate]
        if not alike:
            return shown
        shared = max(_shared_start(row.candidate, other) for other in alike)
        parts = max(row.candidate.rfind(c, 0, shared) for c in " -") + 1
        cut = max(parts, shared - 4)
        head = clip(row.candidate[:cut], width / 2, size)  # ends in "…" where it is cut
        return clip(head + row.candidate[cut:], width, size)
    others = [
        r.folder
        for r in report.rows
        if r.candidate.casefold() == row.candidate.casefold() and r is not row
    ]
    shared = max(_shared_start(row.folder, other) for other in others)
    cut = max(row.folder.rfind("-", 0, shared) + 1, shared - 4)
    person = clip(row.candidate, width / 2, size)
    return clip(f"{person} ({'…' * (cut > 0)}{row.folder[cut:]})", width, size)


def _shared_start(one: str, other: str) -> int:
    """How many characters ``one`` and ``other`` begin with alike."""
    n, most = 0, min(len(one), len(other))
    while n < most and one[n] == other[n]:
        n += 1
    return n


def _name_width(width: float) -> float:
    return min(150, width * 0.3)


def _cut_names(report: Report, width: float) -> dict[str, str]:
    """Every candidate's name as the chart's name column cuts it."""
    return {
        name: clip(name, _name_width(width), LABEL) for name in {r.candidate for r in report.rows}
    }


def chart(
    report: Report, rows: Sequence[Row], width: float, cut_to: Mapping[str, str] | None = None
) -> Drawing:
    """One horizontal bar per candidate; names on the left, scores in a column on the right.

    ``cut_to``: ``_cut_names`` of the report, when made already."""
    row_h, top, bottom = 18, 16, 16
    name_w, score_w = _name_width(width), 64
    cut_to = cut_to if cut_to is not None else _cut_names(report, width)
    plot_l, plot_r = name_w + 6, width - score_w
    height = top + bottom + row_h * max(1, len(rows))
    drawing = Drawing(width, height, initialFontName=BASE)  # not reportlab's Helvetica

    def x(value: float) -> float:
        return plot_l + (value - 1) / 3 * (plot_r - plot_l)

    for value in (1, 2, 3, 4):
        drawing.add(
            Line(x(value), bottom, x(value), height - top, strokeColor=st.RULE, strokeWidth=0.4)
        )
        drawing.add(_text(x(value), height - top + 4, str(value), st.MUTED, "middle"))
    for n, row in enumerate(rows):
        y = height - top - (n + 1) * row_h + 4
        name = _label(report, row, name_w, LABEL, cut_to)
        for piece in label_strings(name_w, y + 3, name, LABEL, st.INK, right=True):
            drawing.add(piece)
        if row.score is None:
            drawing.add(_text(plot_l + 4, y + 3, row.unscored, st.MUTED))
            continue
        colour = st.GOOD if row.meets_bar else st.BAD
        # a score of 1.00 still gets a sliver of bar: the row is never empty
        drawing.add(
            Rect(
                plot_l,
                y,
                max(2.0, x(row.score) - plot_l),
                row_h - 7,
                fillColor=colour,
                # an incomplete debrief's score, from the interviews it had, is drawn pale
                strokeColor=colour if row.incomplete else None,
                strokeWidth=0.8,
                fillOpacity=0.25 if row.incomplete else 0.8,
            )
        )
        shown = beside(row.score, row.hire_bar) + (" (incomplete)" if row.incomplete else "")
        drawing.add(_text(plot_r + 6, y + 3, shown, st.INK, size=8.5))
    # The hire bar: one dashed line, or, when the candidates' debriefs record different bars
    # (the loop's bar changed between them), each row's own across that row.
    bars = sorted({row.hire_bar for row in rows}) or [3.0]
    spans = (
        [(bars[0], bottom, height - top)]
        if len(bars) == 1
        else [
            (row.hire_bar, height - top - (n + 1) * row_h, height - top - n * row_h)
            for n, row in enumerate(rows)
        ]
    )
    for level, low, high in spans:
        at = x(max(1.0, min(4.0, level)))
        drawing.add(
            Line(at, low, at, high, strokeColor=st.ACCENT, strokeWidth=1.2, strokeDashArray=[4, 3])
        )
    # below the rows, where no bar or score is drawn
    drawing.add(
        _text(x(max(1.0, min(4.0, bars[-1]))), bottom - 11, bar_words(bars), st.ACCENT, "middle")
    )
    return drawing


def _text(
    x: float, y: float, text: str, colour: Any, anchor: str = "start", size: float = 7.5
) -> String:
    return String(x, y, text, fontName=BASE, fontSize=size, fillColor=colour, textAnchor=anchor)


def _table(report: Report, width: float) -> Any:
    titles = [
        f"{t} (deep-dive)" if i == report.deep_dive and "deep-dive" not in t.lower() else t
        for i, t in report.columns
    ]
    heads = ["Candidate", "Loop", *titles, "Flags", "Decision"]
    fixed = [width * 0.19, width * 0.08]  # each interview's column gets what is left
    tail = [width * 0.15, width * 0.1]
    each = (width - sum(fixed) - sum(tail)) / max(1, len(report.columns))
    named = fixed[0] - 2 * CELL_PADDING
    widths = [*fixed, *([each] * len(report.columns)), *tail]
    # the interviews' titles are the loop's words: escaped, and each word kept whole
    rows: list[list[Any]] = [
        [
            fitted(h, w - 2 * CELL_PADDING, "cellhead", "interview title")
            for h, w in zip(heads, widths, strict=True)
        ]
    ]
    for row in report.rows:
        if row.score is not None:
            colour = st.tint(st.GOOD if row.meets_bar else st.BAD)
            loop = f"<font color='{colour}'>{beside(row.score, row.hire_bar)}</font>"
        else:
            loop = row.unscored
        name = at_hyphens(report.name(row), named, "cell", "candidate's name")
        cells = [
            raw(f"{name}<br/>{row.date}", "cell"),
            raw(loop, "cell"),
            *(raw(_score(row.interview_score(i)), "cell") for i, _ in report.columns),
            raw(", ".join(row.flags), "cell"),
            raw(row.decision_shown, "cell"),
        ]
        rows.append(cells)
    return grid(rows, widths)


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"

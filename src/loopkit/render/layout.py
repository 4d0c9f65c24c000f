"""The layout kit: paragraphs, grids, tick boxes, page furniture and numbering.

Every document in ``render/`` is built from these. Every piece of user text
reaches reportlab through ``fonts.markup`` or ``fonts.runs``; every colour,
size and font comes from ``styles`` and ``fonts``.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from reportlab import rl_config
from reportlab.graphics.shapes import String
from reportlab.pdfbase.acroform import PDFFromString, RadioGroup
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from loopkit._glyphs import unprintable
from loopkit.render import styles as st
from loopkit.render.fonts import BASE, markup, register, runs

if TYPE_CHECKING:  # report and calibrate lay out pages with no packet or schedule in them
    from loopkit._packet import Packet
    from loopkit._schedule import Slot
    from loopkit._status import Skipped

Story = list[Flowable]
# Every table names this font for its cells: reportlab's default is Helvetica, which
# the PDF would then name without embedding it, even where every cell is a Paragraph.
TABLE_FONT = ("FONTNAME", (0, 0), (-1, -1), BASE)
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


# --- form fields (SPEC 8.4) -------------------------------------------------------------------
# A form field only takes input: every label stays page text in the embedded font, and
# a field draws nothing until it is filled, so a blank form prints as the paper one does.
# Typed text is drawn by the viewer in a standard font (Helvetica): the only font a
# field's appearance may name without embedding a whole font.
FORM_FONT = "Helvetica"
# annotation flags (PDF 1.7, 12.5.3) and field flags (12.7.3.1, 12.7.4.3)
_HIDDEN, _PRINT, _READ_ONLY, _MULTILINE = 2, 4, 1, 4096


class FormRadio(TickBox):
    """A tick box that is also one button of a radio group: ``group`` set to ``value``.

    The button's appearance when chosen is a check mark in a stream of its
    own, and an empty stream when not: viewers need no NeedAppearances to
    draw it. The two streams are made once per document and size and shared
    by every button (reportlab's radios make six per button, which cost a
    scorecard as much time again as the rest of it).
    """

    def __init__(self, group: str, value: str, size: float = 9) -> None:
        super().__init__(size)
        self.group, self.value = group, value

    def draw(self) -> None:
        super().draw()
        form, doc = self.canv.acroForm, self.canv._doc
        group = form._radios.get(self.group)  # reportlab's own table: its form writes them
        if group is None:
            group = RadioGroup(self.group, tooltip=self.group, fieldFlags="noToggleToOff radio")
            group._ref = form.getRef(group)
            form._radios[self.group] = group
            form.fields.append(group._ref)
        on, off = _radio_looks(form, self.size)
        x, y = self.canv.absolutePosition(0, 0)
        widget = PDFDictionary(
            {
                "Type": PDFName("Annot"),
                "Subtype": PDFName("Widget"),
                "Parent": group._ref,
                "P": doc.thisPageRef(),
                "Rect": PDFArray([x, y, x + self.size, y + self.size]),
                "F": _PRINT,
                "AS": PDFName("Off"),
                "AP": PDFDictionary({"N": PDFDictionary({self.value: on, "Off": off})}),
                "MK": PDFDictionary({"CA": PDFString("4")}),  # a check, should a viewer redraw it
            }
        )
        self.canv._addAnnotation(widget)
        group.kids.append(form.getRef(widget))


def _radio_looks(form: Any, size: float) -> tuple[Any, Any]:
    """The shared appearances of a chosen and an unchosen button of ``size`` points."""
    looks: dict[float, tuple[Any, Any]] = form.__dict__.setdefault("loopkit_looks", {})
    if size not in looks:
        s = size
        check = (
            f"q {form.streamStrokeColor(st.INK)} {s * 0.14:.2f} w 1 J 1 j "
            f"{s * 0.2:.2f} {s * 0.52:.2f} m {s * 0.42:.2f} {s * 0.24:.2f} l "
            f"{s * 0.82:.2f} {s * 0.8:.2f} l S Q"
        )
        procset = PDFFromString("<< /ProcSet [/PDF] >>")
        on = form.getRef(form.makeStream(s, s, check, Resources=procset))
        off = form.getRef(form.makeStream(s, s, "", Resources=procset))
        looks[size] = (on, off)
    return looks[size]


class FormLines(RuleLines):
    """Ruled lines to write on, with a text field ``name`` over them to type in.

    Written as a plain field dictionary with an empty appearance: reportlab's
    text fields give each appearance a Helvetica of its own, so the PDF would
    name a font it does not embed once per field. Here the standard font is
    named once, in the form's resources, for the viewer that draws typed text.
    """

    def __init__(self, name: str, count: int, spacing: float = 17) -> None:
        super().__init__(count, spacing)
        self.name = name

    def draw(self) -> None:
        super().draw()
        form, doc = self.canv.acroForm, self.canv._doc
        font = form.formFontNames[FORM_FONT]  # its short name in the form's resources
        if font not in form.fonts:
            form.makeFont(FORM_FONT)
        x, y = self.canv.absolutePosition(0, 0)
        width, height = self.width, self.count * self.spacing
        empty = form.makeStream(width, height, "/Tx BMC EMC")
        field = PDFDictionary(
            {
                "FT": PDFName("Tx"),
                "T": PDFString(self.name),
                "TU": PDFString(self.name),
                "V": PDFString(""),
                "DA": PDFString(f"/{font} {st.FORM_SIZE:g} Tf {form.streamFillColor(st.INK)}"),
                "Ff": _MULTILINE if self.count > 1 else 0,
                "F": _PRINT,
                "Type": PDFName("Annot"),
                "Subtype": PDFName("Widget"),
                "Rect": PDFArray([x, y, x + width, y + height]),
                "P": doc.thisPageRef(),
                "AP": PDFDictionary({"N": form.getRef(empty)}),
            }
        )
        self.canv._addAnnotation(field)
        form.fields.append(form.getRef(field))


class FormValues(Flowable):  # type: ignore[misc]
    """Hidden, read-only text fields: values the form carries for loopkit, not for a reader.

    Written as plain field dictionaries: reportlab's text fields draw their
    value with a standard font, which cannot hold a name in every script,
    and a hidden field needs no appearance at all.
    """

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__()
        self.values = values
        self.width = self.height = 0

    def draw(self) -> None:
        form, doc = self.canv.acroForm, self.canv._doc
        for name, value in self.values.items():
            field = PDFDictionary(
                {
                    "FT": PDFName("Tx"),
                    "T": PDFString(name),
                    "V": PDFString(value),
                    "Ff": _READ_ONLY,
                    "F": _HIDDEN,
                    "Type": PDFName("Annot"),
                    "Subtype": PDFName("Widget"),
                    "Rect": PDFArray([0, 0, 0, 0]),
                    "P": doc.thisPageRef(),
                }
            )
            self.canv._addAnnotation(field)
            form.fields.append(form.getRef(field))


class Bookmark(Flowable):  # type: ignore[misc]
    """An entry of the PDF's outline (a reader's bookmarks), pointing at where it stands.

    It takes no room, and stays with what follows it, so it never points at
    the foot of the page before the section it names.
    """

    def __init__(self, title: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.level = title, level
        self.width = self.height = 0
        self.keepWithNext = 1

    def draw(self) -> None:
        _, top = self.canv.absolutePosition(0, 0)
        self.canv.mark(self.title, self.level, top)


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width.

    A table wraps each cell several times at the same width (to size its
    rows, to split across pages, to draw), and line breaking was the largest
    cost of a packet. The result depends on the width alone, so it is kept.

    The size returned is only half of what ``Paragraph.wrap`` does: it also
    leaves the broken lines in ``self.blPara`` for ``split`` and ``draw``.
    ``Paragraph.split`` is the one method that changes that state behind
    ``wrap``'s back: when not even the first lines fit the height left (or
    keeping them would leave an orphan or a widow) it deletes ``blPara`` and
    returns ``[]``, and the frame then wraps the same paragraph again, at the
    same width, on the next page, and draws it. So a split forgets the cached
    size, and the next ``wrap`` breaks the lines again.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None  # (width, size at that width)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._wrapped is None or self._wrapped[0] != available_width:
            size = super().wrap(available_width, available_height)
            self._wrapped = (available_width, size)
        return self._wrapped[1]

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # After a split this paragraph is either gone (replaced by the two parts,
        # which are new Paras with nothing cached), whole ([self], nothing lost
        # but one more line breaking) or without its lines ([]): in no case is
        # the cached size still backed by the state draw() reads.
        parts: list[Flowable] = super().split(available_width, available_height)
        self._wrapped = None
        return parts


def notes(heading: str, lines: Sequence[str]) -> Story:
    """A heading and a paragraph of user text for each line, each after a bullet; nothing
    when there are none.

    The lines come from files a person may have edited (a reason, a folder's
    name, a message quoting a value): a character no font of loopkit's
    prints is drawn as "?" here, where a PDF of the whole folder must still
    come out, and the text, CSV and JSON keep it as written.
    """
    if not lines:
        return []
    return [raw(heading, "h2"), *(para("• " + printed(line), "body", "note") for line in lines)]


def printed(text: str) -> str:
    """``text`` with each character no font of loopkit's can print (a script that must be
    shaped, an emoji, a control character) as "?"."""
    text = unicodedata.normalize("NFC", text)  # as runs() draws it
    for char in unprintable(text):
        text = text.replace(char, "?")
    return text


def unread_notes(left_out: Sequence[Skipped]) -> Story:
    """The packets of a folder left out (unreadable, a copy; see ``across.left_out``), each
    with why."""
    return notes("Packets left out", [f"{s.folder}/: {s.reason}" for s in left_out])


# a line that starts a list item: "- ", "* ", "• ", "1. ", "2) "
_LIST_ITEM = re.compile(r"\s*(?:[-*\u2022\u2013]|([0-9]{1,3})[.)])\s")


def reflowed(text: str) -> str:
    """A person's text (evidence, notes) as paragraphs: the line breaks their editor wrapped
    it at are joined, so that a page wraps it to its own width instead of ragged; a blank
    line still parts two paragraphs, and a list item (- , * , 1. ) still starts a line of
    its own. Within a paragraph a number starts an item only as a list's first (1. after a
    line ending in a colon) or as the next of one: a line wrapped before "3. iterations"
    or "1. week" joins; so does one wrapped after a hyphen, with no space (well-/known)."""
    out: list[str] = []
    following = 0  # the number the next item of a numbered list has; 0: no list
    for line in text.replace("\r\n", "\n").strip("\n").split("\n"):
        words = line.strip()
        item = _LIST_ITEM.match(line)
        if item and item[1]:
            number, starts = int(item[1]), not out or not out[-1]
            opens = number == 1 and out and out[-1].rstrip().endswith(":")
            if starts or opens or number == following:
                following = number + 1
            else:
                item = None  # "3. " in a sentence an editor wrapped before it
        following = following if words else 0
        if out and out[-1] and words and not item:
            joint = "" if _WORD_HYPHEN.search(out[-1]) and words[0].isalnum() else " "
            out[-1] = f"{out[-1].rstrip()}{joint}{words}"
        else:
            out.append(line.rstrip())
    return "\n".join(out)


_WORD_HYPHEN = re.compile(r"\w-\s*$")  # a line wrapped after the hyphen of a word


def para(text: str, style: str = "body", what: str = "text") -> Para:
    """A paragraph of user text: escaped, with CJK font runs."""
    return Para(markup(text, what), st.styles()[style])


def at_hyphens(text: str, width: float, style: str = "cell", what: str = "text") -> str:
    """Markup of a name for a cell ``width`` wide, a word too long for it broken after
    its hyphens (Hohenzollern-/Sigmaringen), where reportlab would break it between
    two letters wherever the line ran out."""
    size = st.styles()[style].fontSize
    words = []
    for word in text.split(" "):
        pieces = re.findall(r"[^-\u2010]*[-\u2010]+|[^-\u2010]+$", word)  # - and U+2010
        if len(pieces) < 2 or run_width(word, size) <= width:
            words.append(markup(word, what))
            continue
        lines = [""]
        for piece in pieces:  # as many pieces on a line as fit; a piece too long breaks as before
            if lines[-1] and run_width(lines[-1] + piece, size) > width:
                lines.append("")
            lines[-1] += piece
        words.append("<br/>".join(markup(line, what) for line in lines))
    return " ".join(words)


SMALLEST = 6.5  # points: the least a heading is shrunk to keep its words whole


def fitted(text: str, width: float, style: str = "cellhead", what: str = "text") -> Para:
    """User text in a cell ``width`` wide, its size cut so that its longest word fits
    ("Stakeholder conversatio/n" broke between two letters), down to ``SMALLEST``."""
    size = base = st.styles()[style].fontSize
    longest = max(text.split(), key=lambda word: run_width(word, base), default="")
    while size > SMALLEST and run_width(longest, size) > width:
        size = max(SMALLEST, size - 0.5)
    if run_width(longest, size) > width:  # too wide even so: its words in hyphenated pieces
        words = text.split()
        text = " ".join(
            w if run_width(w, size) <= width else _pieces(w, size, width) for w in words
        )
    shown = markup(text, what)
    return raw(shown if size == base else f"<font size='{size:g}'>{shown}</font>", style)


def _pieces(word: str, size: float, width: float) -> str:
    """A word too wide for ``width``, in pieces that fit, each but the last with a hyphen
    ("Anforderungsmanage- mentgespräch"), where the line would break it without one."""
    pieces, piece = [], ""
    for char in word:
        if piece and run_width(f"{piece}{char}-", size) > width:
            pieces.append(f"{piece}-")
            piece = ""
        piece += char
    return " ".join([*pieces, piece])


def raw(html: str, style: str = "body") -> Para:
    """A paragraph of loopkit's own markup (no user text inside unescaped)."""
    return Para(html, st.styles()[style])


def clock(moment: datetime, zone: ZoneInfo | None = None) -> str:
    """``HH:MM`` of a moment, in ``zone`` when given."""
    moment = moment.astimezone(zone) if zone else moment
    return f"{moment:%H:%M}"


def span(slot: Slot, zone: ZoneInfo, since: datetime | None = None) -> str:
    """A block's times in ``zone``, joined by an en dash: ``09:30-10:30 EST``.

    With ``since``, the day's first moment, a time after midnight in ``zone`` is marked ``+1``.
    """
    from loopkit._schedule import clock_span  # the packet's pages only (see TYPE_CHECKING)

    return clock_span(slot.start, slot.end, zone, "–", since)


def long_day(packet: Packet) -> str:
    """The packet's day written out: ``Thursday 3 December 2026``."""
    return f"{packet.schedule.start:%A %-d %B %Y}"


CELL_PADDING = 4  # points left and right of a table cell's text


def grid(
    rows: list[list[Any]],
    widths: Sequence[float],
    header: bool = True,
    extra: Sequence[Any] = (),
    row_height: float | None = None,
) -> Table:
    """A ruled table in the house style; the first row is a shaded header unless told not.

    A row may split across pages (``splitInRow``): a cell holding a long
    note or many names is taller than a page, and without it reportlab
    stops with a LayoutError instead of printing what the validator accepted.
    """
    heights = [None] + [row_height] * (len(rows) - 1) if row_height else None
    table = Table(
        rows,
        colWidths=list(widths),
        rowHeights=heights,
        repeatRows=1 if header else 0,
        hAlign="LEFT",
        splitInRow=1,
    )
    style = [
        TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
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


def run_width(text: str, size: float) -> float:
    """How wide user text is drawn at ``size``, font switches included."""
    return float(sum(stringWidth(chunk, font, size) for font, chunk in runs(text)))


def clip(text: str, width: float, size: float) -> str:
    """``text``, cut with an ellipsis where it would be wider than ``width``."""
    if run_width(text, size) <= width:
        return text
    while text and run_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def draw_runs(
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


def zone_lines(key: str) -> str:
    """A zone name as table-head markup, a line after each slash: ``America/<br/>Los_Angeles``."""
    return key.replace("/", "/<br/>")


def label_strings(
    x: float, y: float, text: str, size: float, colour: Any, right: bool = False
) -> list[String]:
    """User text for a chart: one String per font run (CJK included), right-aligned at x when asked."""
    pieces = list(runs(text))
    if right:
        x -= sum(stringWidth(chunk, font, size) for font, chunk in pieces)
    out = []
    for font, chunk in pieces:
        out.append(String(x, y, chunk, fontName=font, fontSize=size, fillColor=colour))
        x += stringWidth(chunk, font, size)
    return out


@dataclass(frozen=True)
class Heading:
    """What every page of one document says at its top and bottom."""

    label: str
    role: str
    candidate: str
    paper: str
    internal: bool = True
    # The right of the header from the page's section (the number and title of its latest
    # top-level bookmark), in place of ``candidate``: a document of pages for different
    # people. A name, cut to fit, and a tag after it, kept whole (" · private").
    section: Callable[[int, str], tuple[str, str]] | None = None


def _numbered_canvas(heading: Heading) -> type[Canvas]:
    """A canvas that draws the header and "page X of Y" once the page count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._marks: list[tuple[str, int, float]] = []  # this page's outline entries

        def mark(self, title: str, level: int, top: float) -> None:
            """An outline entry for this page, at height ``top`` (see ``Bookmark``)."""
            self._marks.append((title, level, top))

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()
            self._marks = []

        def save(self) -> None:
            # Pages reach the PDF only here, once their count is known; so do their
            # bookmarks, which name the page that is being written.
            entries = 0
            section = (-1, "")  # the number and title of the section the page is in
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                for title, level, top in self._marks:
                    entries += 1
                    key = f"outline-{entries}"
                    self.bookmarkHorizontalAbsolute(key, top)
                    self.addOutlineEntry(title, key, level)
                    section = (section[0] + 1, title) if level == 0 else section
                self._furniture(number, len(self._pages), section)
                super().showPage()
            if entries:
                self.showOutline()  # a reader opens the document with its bookmarks shown
            super().save()

        def _furniture(self, number: int, total: int, section: tuple[int, str]) -> None:
            width, height = self._pagesize
            top = height - st.MARGIN + 4
            # The role on the left, the candidate on the right, each cut to its share
            # of the line: a long name never runs over the role or off the page.
            room = width - 2 * st.MARGIN - 12
            who, tag = heading.section(*section) if heading.section else (heading.candidate, "")
            name = clip(who, room * 0.45 - run_width(tag, 8.5), 8.5) + tag
            role = clip(f"{heading.label} · {heading.role}", room - run_width(name, 8.5), 8)
            self.setFillColor(st.MUTED)
            draw_runs(self, st.MARGIN, top, role, 8)
            self.setFillColor(st.INK)
            draw_runs(self, width - st.MARGIN, top, name, 8.5, right=True)
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
    register()  # the canvas's initial font, below, must be known before it starts
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
        lang="en",
        # The canvas starts every page in this font; reportlab's default is Helvetica,
        # which no PDF here draws with and which would be named without being embedded.
        initialFontName=BASE,
        invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_numbered_canvas(heading))
    return buffer.getvalue()


def render_packet_document(
    packet: Packet, story: Story, title: str, label: str, internal: bool = True
) -> bytes:
    """One of a packet's PDFs, headed with its label, the role and the candidate."""
    heading = Heading(label, packet.loop.title, packet.candidate, packet.paper, internal)
    return render_story(story, heading, title)


def page_width(paper: str) -> float:
    """The width of the text frame on ``paper``."""
    return float(st.PAPER[paper][0] - 2 * st.MARGIN)


def packet_width(packet: Packet) -> float:
    """The width of the text frame of a packet's pages."""
    return page_width(packet.paper)


def fit_text(text: str, width: float, size: float) -> str:
    """The longest prefix of ``text`` (with an ellipsis) that fits in ``width``; Noto glyphs only."""
    if any(font != BASE for font, _ in runs(text)):
        return ""  # CJK titles are named in the table below the band instead
    if stringWidth(text, BASE, size) <= width:
        return text
    while text and stringWidth(text + "…", BASE, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if len(text) > 2 else ""


def bullets(items: Sequence[str]) -> Story:
    return [Para(markup(item), st.styles()["bullet"], bulletText="•") for item in items]

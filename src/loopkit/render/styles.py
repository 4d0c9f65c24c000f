"""Page geometry, colours and paragraph styles: the one place layout values live."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from loopkit.render.fonts import BASE, register

PAPER = {"letter": LETTER, "a4": A4}
MARGIN = 16 * mm
HEADER_GAP = 9 * mm
FORM_SIZE = 9.5  # text typed into a form field, as big as the body text around it

INK = colors.HexColor("#1d2430")
MUTED = colors.HexColor("#5b6473")
ACCENT = colors.HexColor("#1f5fa8")
RULE = colors.HexColor("#c9d1dc")
BAND = colors.HexColor("#eef3f9")
BREAK = colors.HexColor("#e6e8eb")
GOOD = colors.HexColor("#2f7d4f")
BAD = colors.HexColor("#b23b3b")
SHADE = colors.HexColor("#f6f7f9")  # a break's row in the schedule
INTERVIEW_FILLS = [
    colors.HexColor(c) for c in ("#2d6cb5", "#3f8f7a", "#8a5ab0", "#c07a2c", "#4f6d8f", "#a34d6d")
]


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Every paragraph style, keyed by role."""
    register()
    # bulletFontName: reportlab draws bullets in Helvetica unless told, and would name it unembedded
    body = ParagraphStyle(
        "body", fontName=BASE, bulletFontName=BASE, fontSize=9.5, leading=12.5, textColor=INK
    )
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=11.5),
        "muted": ParagraphStyle("muted", parent=body, fontSize=9, leading=11.5, textColor=MUTED),
        "lookfor": ParagraphStyle("lookfor", parent=body, fontSize=9, textColor=MUTED),
        "kicker": ParagraphStyle("kicker", parent=body, fontSize=9, textColor=ACCENT, spaceAfter=2),
        "title": ParagraphStyle("title", parent=body, fontSize=22, leading=27, spaceAfter=4),
        "name": ParagraphStyle("name", parent=body, fontSize=17, leading=22, textColor=ACCENT),
        "h1": ParagraphStyle(
            "h1", parent=body, fontSize=15, leading=19, spaceBefore=4, spaceAfter=6
        ),
        # a heading never ends a page: it stays with what follows it
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=3,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontSize=10.5, leading=13.5, textColor=INK, keepWithNext=1
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "cellhead": ParagraphStyle(
            "cellhead", parent=body, fontSize=9, leading=11.5, textColor=MUTED
        ),
        "right": ParagraphStyle("right", parent=body, fontSize=9, alignment=TA_RIGHT),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=10, bulletIndent=0, spaceAfter=2
        ),
    }


def tint(colour: colors.Color) -> str:
    """A colour as paragraph markup writes it: ``#1f5fa8``."""
    return "#" + str(colour.hexval())[2:]

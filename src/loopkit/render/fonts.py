"""Fonts: Noto Sans for Latin, Vietnamese, Greek and Cyrillic; CID fonts for CJK.

Every piece of user text goes through ``markup`` (for Paragraphs) or
``runs`` (for canvas drawing), which escape it, switch to a CJK font for
Han, kana and Hangul, and refuse characters no font here can draw: a
TrueType font silently draws nothing for a missing glyph.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache

import fontpkg
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from loopkit._errors import LoopkitError
from loopkit._glyphs import cjk_font

BASE = "Noto"


@cache
def register() -> frozenset[int]:
    """Register Noto Sans once per process; return the code points it can print."""
    regular = TTFont(BASE, str(fontpkg.path("Noto Sans")))
    pdfmetrics.registerFont(regular)
    # The packaged font is variable (one file for every weight), so there is
    # one face: hierarchy comes from size and colour. (Parsing the separate
    # italic file cost 60 ms a packet for one line style.)
    pdfmetrics.registerFontFamily(BASE, normal=BASE, bold=BASE, italic=BASE, boldItalic=BASE)
    # Line breaks and tabs are layout, not glyphs: they print in any font.
    return frozenset(regular.face.charToGlyph).union(map(ord, "\n\t"))


@cache
def _cid(name: str) -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def runs(text: str, what: str = "text") -> Iterator[tuple[str, str]]:
    """Split ``text`` into (font name, substring) runs; raise on undrawable characters."""
    covered = register()
    text = unicodedata.normalize("NFC", text)
    if covered.issuperset(map(ord, text)):
        # nearly all text: one run in the base font, without a loop per character
        if text:
            yield BASE, text
        return
    missing: list[str] = []
    current, buffer = BASE, ""
    for char in text:
        if ord(char) in covered:
            font = BASE
        else:
            cjk = cjk_font(char)
            if cjk is None:
                missing.append(char)
                continue
            font = _cid(cjk)
        if font != current and buffer:
            yield current, buffer
            buffer = ""
        current = font
        buffer += char
    if missing:
        shown = ", ".join(f"{c!r} U+{ord(c):04X}" for c in dict.fromkeys(missing))
        raise LoopkitError(
            f"cannot print {shown} in the {what}: no font here has these characters",
            hint="write the name in another script, or leave those characters out",
        )
    if buffer:
        yield current, buffer


def markup(text: str, what: str = "text") -> str:
    """Escape user text for a reportlab Paragraph, with font switches for CJK."""
    out = []
    for font, chunk in runs(text, what):
        safe = _escape(chunk).replace("\n", "<br/>")
        out.append(safe if font == BASE else f'<font name="{font}">{safe}</font>')
    return "".join(out)


def check(text: str, what: str) -> None:
    """Raise before anything is written if ``text`` cannot be printed."""
    for _ in runs(text, what):
        pass


def _escape(text: str) -> str:
    # What xml.sax.saxutils.escape does, without its import of urllib.request
    # (about 20 ms of every packet's start-up).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

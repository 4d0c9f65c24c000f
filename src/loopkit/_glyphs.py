"""Which characters loopkit's PDFs can print, without loading a font.

``validate`` refuses a character no font can print, with its file, line
and key, instead of the packet stopping on it later; reading the font's
character map takes reportlab and about 60 ms, so the embedded font's
coverage is kept here as ranges. A test checks them against the font, and
``LOOPKIT_UPDATE_GLYPHS=1`` in that test writes them anew after a font
upgrade.
"""

from __future__ import annotations

import bisect
import unicodedata

# Code points the embedded Noto Sans has glyphs for (first, last), in order.
NOTO: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0000),
    (0x000D, 0x000D),
    (0x0020, 0x007E),
    (0x00A0, 0x0377),
    (0x037A, 0x037F),
    (0x0384, 0x038A),
    (0x038C, 0x038C),
    (0x038E, 0x03A1),
    (0x03A3, 0x03E1),
    (0x03F0, 0x052F),
    (0x0900, 0x097F),
    (0x10FB, 0x10FB),
    (0x1AB0, 0x1AC0),
    (0x1AC5, 0x1AC5),
    (0x1AC7, 0x1ACE),
    (0x1C80, 0x1C88),
    (0x1D00, 0x1DF9),
    (0x1DFB, 0x1F15),
    (0x1F18, 0x1F1D),
    (0x1F20, 0x1F45),
    (0x1F48, 0x1F4D),
    (0x1F50, 0x1F57),
    (0x1F59, 0x1F59),
    (0x1F5B, 0x1F5B),
    (0x1F5D, 0x1F5D),
    (0x1F5F, 0x1F7D),
    (0x1F80, 0x1FB4),
    (0x1FB6, 0x1FC4),
    (0x1FC6, 0x1FD3),
    (0x1FD6, 0x1FDB),
    (0x1FDD, 0x1FEF),
    (0x1FF2, 0x1FF4),
    (0x1FF6, 0x1FFE),
    (0x2000, 0x2064),
    (0x2066, 0x2071),
    (0x2074, 0x208E),
    (0x2090, 0x209C),
    (0x20A0, 0x20C0),
    (0x20F0, 0x20F0),
    (0x2100, 0x215F),
    (0x2183, 0x2184),
    (0x2189, 0x2189),
    (0x2212, 0x2212),
    (0x25CC, 0x25CC),
    (0x2C60, 0x2C7F),
    (0x2DE0, 0x2E5D),
    (0xA640, 0xA69F),
    (0xA700, 0xA7CA),
    (0xA7D0, 0xA7D1),
    (0xA7D3, 0xA7D3),
    (0xA7D5, 0xA7D9),
    (0xA7F2, 0xA7FF),
    (0xA8FF, 0xA8FF),
    (0xA92E, 0xA92E),
    (0xAB30, 0xAB6B),
    (0xFB00, 0xFB06),
    (0xFE00, 0xFE00),
    (0xFE20, 0xFE2F),
    (0xFEFF, 0xFEFF),
    (0xFFFC, 0xFFFD),
    (0x10780, 0x10785),
    (0x10787, 0x107B0),
    (0x107B2, 0x107BA),
    (0x1DF00, 0x1DF1E),
)
# Adobe's standard CID fonts, which PDF readers supply: Hangul, kana, Han (render.fonts).
CJK: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("HYSMyeongJo-Medium", ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))),
    ("HeiseiMin-W3", ((0x3040, 0x30FF), (0x31F0, 0x31FF))),
    (
        "STSong-Light",
        (
            (0x2E80, 0x2FDF),
            (0x3000, 0x303F),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xF900, 0xFAFF),
            (0xFF00, 0xFFEF),
        ),
    ),
)
# Scripts whose letters join, reorder or stack as they are written (Hebrew, Arabic and the
# scripts of India and South-East Asia). The PDFs draw one glyph after another and cannot
# shape them, so a name in one would print misspelt even where the font has the glyphs
# (Noto Sans has Devanagari): they are refused as a missing glyph is.
SHAPED: tuple[tuple[int, int], ...] = (
    (0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x18AF),
    (0x1900, 0x1AAF), (0x1B00, 0x1C4F), (0xA800, 0xA8FF), (0xA900, 0xA9FF), (0xAA00, 0xAADF),
    (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF),
)  # fmt: skip  # ranges read as a table
_STARTS = [first for first, _ in NOTO]
LAYOUT = "\n\t"  # line breaks and tabs are layout, not glyphs: they print in any font
_SHAPED = frozenset(p for first, last in SHAPED for p in range(first, last + 1))
_COVERED = (frozenset(p for first, last in NOTO for p in range(first, last + 1)) - _SHAPED) | set(
    map(ord, LAYOUT)
)
_ASCII_PRINTS = _COVERED.issuperset(range(0x20, 0x7F))  # the base font has every ASCII letter


def in_base_font(char: str) -> bool:
    """Whether the embedded font prints ``char`` (has its glyph, and it needs no shaping)."""
    point = ord(char)
    index = bisect.bisect_right(_STARTS, point) - 1
    return index >= 0 and point <= NOTO[index][1] and point not in _SHAPED


def shaped(char: str) -> bool:
    """Whether ``char`` belongs to a script the PDFs cannot shape."""
    return ord(char) in _SHAPED


def why_not(chars: list[str]) -> str:
    """Why characters cannot be printed, as the end of a message."""
    if any(map(shaped, chars)):
        return (
            "letters of a script that must be shaped (joined or reordered) to print, "
            "which loopkit's PDFs cannot do; write the name in Latin letters"
        )
    return "no font here has it"


def cjk_font(char: str) -> str | None:
    """The CID font that prints ``char``, if it is Han, kana or Hangul."""
    point = ord(char)
    for name, ranges in CJK:
        if any(low <= point <= high for low, high in ranges):
            return name
    return None


def _prints(text: str) -> bool:
    """A fast "yes" for nearly every text: no control, format or surrogate character.

    ASCII text (most evidence) is checked as bytes: taking every printable
    character and layout out leaves nothing, at about a sixth of the time of
    ``isprintable``, which looks each character up. ``isprintable`` (in C)
    is false for every one of them (and for a few more characters, which then
    take the long way), true for none.
    """
    if text.isascii():  # known without a look at the characters
        return not text.encode("ascii").translate(None, _ASCII_FINE)
    return text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable()


_ASCII_FINE = bytes(range(0x20, 0x7F)) + LAYOUT.encode("ascii")  # no control character


def prints_plainly(text: str) -> bool:
    """Whether ``text`` is ASCII with no control character: nothing hidden, and every font
    of loopkit's prints it (most evidence; ``hidden`` and ``unprintable`` say [] at once)."""
    return text.isascii() and _ASCII_PRINTS and _prints(text)


def hidden(text: str) -> list[str]:
    """The control, format (zero-width, bidirectional) and surrogate characters of ``text``.

    They never print and can break the files loopkit writes (a NUL in a
    TOML key); line breaks and tabs are layout and are not among them.
    """
    if _prints(text):
        return []
    return sorted(
        {c for c in text if c not in LAYOUT and unicodedata.category(c) in ("Cc", "Cf", "Cs")}
    )


def code_points(chars: list[str]) -> str:
    """Characters as a message names them: ``U+0000, U+200B``."""
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that no font of loopkit's can print, each once, in order."""
    if prints_plainly(text):  # most evidence: no set built
        return []
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # as the renderers draw it
    if _COVERED.issuperset(map(ord, text)):  # nearly all text: one set test in C
        return []
    return list(
        dict.fromkeys(
            c for c in text if c not in LAYOUT and not in_base_font(c) and cjk_font(c) is None
        )
    )

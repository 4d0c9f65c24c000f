"""Fonts: Noto Sans for Latin, Vietnamese, Greek and Cyrillic; a TrueType font found here for CJK.

Every piece of user text goes through ``markup`` (for Paragraphs) or
``runs`` (for canvas drawing), which escape it, switch to a CJK font for
Han, kana and Hangul, and refuse characters no font here can draw: a
TrueType font silently draws nothing for a missing glyph.

Chinese, Japanese and Korean are drawn with a TrueType font, embedded and
subset, so that every viewer shows them: the one named by ``set_cjk_font``
or the ``LOOPKIT_CJK_FONT`` environment variable, else one fontconfig
knows (``fc-list``), asked for only once a document has such a character.
Without one, the characters use Adobe's standard CJK fonts, which the
PDF viewer has to supply (``reader_fonts_used`` says so, for a note).
reportlab embeds TrueType outlines only: ``.ttf`` files and ``.ttc``
collections, not OpenType fonts with PostScript (CFF) outlines such as
Noto Sans CJK's ``.otf``.
"""

from __future__ import annotations

import mmap
import os
import subprocess
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import fontpkg
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from loopkit._errors import LoopkitError
from loopkit._glyphs import cjk_font, shaped, why_not

BASE = "Noto"
CJK_FONT_ENV = "LOOPKIT_CJK_FONT"
# What the command line says, once, when a PDF it wrote relies on the viewer's CJK fonts.
CJK_NOTE = (
    "note: no TrueType font for some Chinese, Japanese or Korean characters was found; "
    "they use fonts the PDF viewer supplies, which some viewers lack "
    f"(install one, such as fonts-wqy-zenhei, or name a .ttf or .ttc file in {CJK_FONT_ENV} or as cjk_font in loopkit.toml)"
)
# The language fontconfig is asked about for each script's reader-supplied font.
_LANGS = {"HYSMyeongJo-Medium": "ko", "HeiseiMin-W3": "ja", "STSong-Light": "zh"}
_TRUETYPE = (b"\x00\x01\x00\x00", b"true", b"ttcf")  # how a .ttf or .ttc file begins
# One byte shared with the render workers this process forks: set when any of them
# (or this process) drew a character with a reader-supplied CJK font.
_READER_FONTS = mmap.mmap(-1, 1)
_named: tuple[Path, str] | None = None  # the font set_cjk_font named, and the setting's name


def register() -> frozenset[int]:
    """Register Noto Sans once per process; return the code points it can print.

    A font named for CJK is checked here, before anything is drawn: a bad
    path stops every document, not only the first one with such a name.
    """
    _named_font()
    return _register_base()


@cache
def _register_base() -> frozenset[int]:
    regular = TTFont(BASE, str(fontpkg.path("Noto Sans")))
    pdfmetrics.registerFont(regular)
    # The packaged font is variable (one file for every weight), so there is
    # one face: hierarchy comes from size and colour. (Parsing the separate
    # italic file cost 60 ms a packet for one line style.)
    pdfmetrics.registerFontFamily(BASE, normal=BASE, bold=BASE, italic=BASE, boldItalic=BASE)
    # Line breaks and tabs are layout, not glyphs: they print in any font.
    # Scripts that need shaping are left out though the font has their glyphs (_glyphs.SHAPED).
    printed = (point for point in regular.face.charToGlyph if not shaped(chr(point)))
    return frozenset(printed).union(map(ord, "\n\t"))


def set_cjk_font(path: Path | None, setting: str = "cjk_font") -> None:
    """Draw Chinese, Japanese and Korean with this TrueType font (a .ttc: its first face).

    ``None`` goes back to ``LOOPKIT_CJK_FONT`` and to what fontconfig
    finds, looked for anew. ``setting`` names the path in messages. The
    file is checked now (it is a TrueType font); it is read only when a
    document has a character of these scripts. Characters it lacks use a
    font fontconfig finds, else a reader-supplied one.
    """
    global _named
    if path is not None:
        _check_truetype(path, setting)
    _named = (path, setting) if path is not None else None
    for cached in (_named_font, _fonts_for, _font_for, _loaded):
        cached.cache_clear()


def reader_fonts_used() -> bool:
    """Whether a PDF drawn since ``forget_reader_fonts`` relies on the viewer's CJK fonts.

    Render workers forked by this process count too.
    """
    return _READER_FONTS[0] == 1


def forget_reader_fonts() -> None:
    """Start counting anew for ``reader_fonts_used`` (once per command)."""
    _READER_FONTS[0] = 0


def _check_truetype(path: Path, setting: str) -> None:
    hint = "name a TrueType font file (.ttf or .ttc) that has Chinese, Japanese or Korean"
    try:
        with path.open("rb") as handle:
            start = handle.read(4)
    except OSError as exc:
        raise LoopkitError(
            f"cannot read the font {path}: {exc.strerror or exc}", key=setting, hint=hint
        ) from None
    if start == b"OTTO":
        raise LoopkitError(
            f"{path} is an OpenType font with PostScript (CFF) outlines, which cannot be embedded",
            key=setting,
            hint=hint,
        )
    if start not in _TRUETYPE:
        raise LoopkitError(f"{path} is not a TrueType font", key=setting, hint=hint)


@cache
def _named_font() -> tuple[Path, str] | None:
    """The font named by ``set_cjk_font`` or ``LOOPKIT_CJK_FONT``, checked; None if none is."""
    if _named is not None:
        return _named
    given = os.environ.get(CJK_FONT_ENV, "")
    if not given:
        return None
    path = Path(given).expanduser()
    _check_truetype(path, CJK_FONT_ENV)
    return path, CJK_FONT_ENV


@cache
def _loaded(path: str, index: int) -> str:
    """Register one face of a TrueType file; its name. Raises TTFError or OSError."""
    name = f"CJK-{Path(path).stem}-{index}"
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    return name


def _fontconfig(lang: str) -> list[tuple[str, int]]:
    """The TrueType faces fontconfig says cover ``lang``, proportional ones first; [] without it."""
    try:
        listed = subprocess.run(
            [
                "fc-list",
                "--format",
                "%{file}\t%{index}\t%{spacing}\n",
                f":lang={lang}:fontformat=TrueType",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):  # no fontconfig, or it hangs
        return []
    faces = []
    for line in listed.stdout.splitlines():
        path, _, rest = line.partition("\t")
        index, _, spacing = rest.partition("\t")
        if path and index.isascii() and index.isdigit():
            # the sort makes the choice the same on every run: fc-list has no order
            faces.append((spacing not in ("", "0"), path, int(index)))
    return [(path, index) for _, path, index in sorted(faces)]


@cache
def _fonts_for(lang: str) -> tuple[str, ...]:
    """The TrueType fonts to try for a script, in order: the one named, then one fontconfig has."""
    fonts = []
    named = _named_font()
    if named is not None:
        path, setting = named
        try:
            fonts.append(_loaded(str(path), 0))
        # reportlab's parser raises whatever a malformed file trips on (KeyError,
        # struct.error, IndexError...), not only TTFError: every one means "not usable".
        except Exception as exc:
            raise LoopkitError(
                f"cannot use the font {path}: {exc}",
                key=setting,
                hint="name a TrueType font file (.ttf or .ttc) that allows embedding",
            ) from None
    for file, index in _fontconfig(lang):
        try:
            fonts.append(_loaded(file, index))
            break
        except Exception:  # not embeddable, or malformed (as above): the next one
            continue
    return tuple(fonts)


@cache
def _font_for(char: str) -> str | None:
    """The font that draws a Han, kana or Hangul character; None for any other character."""
    reader = cjk_font(char)
    if reader is None:
        return None
    for name in _fonts_for(_LANGS[reader]):
        if ord(char) in pdfmetrics.getFont(name).face.charToGlyph:
            return name
    return _cid(reader)


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
            found = _font_for(char)
            if found is None:
                missing.append(char)
                continue
            font = found
            if font in _LANGS:
                _READER_FONTS[0] = 1
        if font != current and buffer:
            yield current, buffer
            buffer = ""
        current = font
        buffer += char
    if missing:
        shown = ", ".join(f"{c!r} U+{ord(c):04X}" for c in dict.fromkeys(missing))
        raise LoopkitError(
            f"cannot print {shown} in the {what}: {why_not(missing)}",
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

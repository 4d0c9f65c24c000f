"""Text as wide as a terminal shows it: a Chinese, Japanese or Korean character takes two
columns, an accent written as a mark of its own (Adébáyọ̀'s last) or a joiner none."""

from __future__ import annotations

import unicodedata


def columns(text: str) -> int:
    """Columns ``text`` takes in a terminal."""
    if text.isascii():
        return len(text)
    return sum(_columns(c) for c in text)


def _columns(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):  # on the letter before; unseen
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def fit(text: str, width: int) -> str:
    """``text`` cut to fewer than ``width`` columns and padded to exactly ``width``."""
    kept, used = [], 0
    for char in text:
        wide = columns(char)
        if used + wide > width - 1:
            break
        kept.append(char)
        used += wide
    return "".join(kept) + " " * (width - used)

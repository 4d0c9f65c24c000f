"""Reading text back out of the PDFs loopkit writes."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, whitespace collapsed."""
    return [
        re.sub(r"\s+", " ", page.extract_text() or "").strip() for page in PdfReader(path).pages
    ]


def pdf_text(path: Path) -> str:
    """All of a PDF's text, whitespace collapsed."""
    return " ".join(pdf_pages(path))

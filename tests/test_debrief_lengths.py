"""The debrief lays out evidence and notes of any length, in any script, for any panel size.

Where a paragraph lands on a page depends on everything above it, so a
layout bug shows up for some lengths and not others: these tests sweep
lengths and panel sizes, run ``loopkit debrief`` and read every page back.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopkit.render.width import columns
from tests.helpers import pdf_pages, run

ROLE = "AI engineer (LLM-applied), senior IC"
CANDIDATE = "Ada Lovelace"
INTERVIEWS = (
    "llm-coding",
    "llm-system-design",
    "past-llm-feature-deep-dive",
    "prompt-engineering-exercise",
)
NAMES = ("Sam Lee", "Nguyễn Văn An", "Αθηνά Παππά", "Ольга Петрова", "Işıl Çelik", "王小明")
# Interviewers per interview, in INTERVIEWS order: every panel size from 1 to 6.
SHAPES = {"1-2-3-4": (1, 2, 3, 4), "5-6-2-1": (5, 6, 2, 1), "6-3-1-5": (6, 3, 1, 5)}
# 0 and 1 word, then every length from 5 to 80 words.
LENGTHS = (0, 1, *range(5, 81))
WORDS = (
    "the",
    "candidate",
    "explained",
    "retrieval",
    "evaluation",
    "with",
    "clear",
    "examples",
    "and",
    "careful",
    "reasoning",
    "about",
    "latency",
    "cost",
    "trade-offs,",
    "then",
    "tested",
    "edge",
    "cases",
    "before",
    "shipping",
    "anything",
)
URL = "https://example.com/" + "a1b2c3d4e5" * 28  # 300 characters, no space to break at
HARD = (
    " ".join(WORDS[n % len(WORDS)] for n in range(400)),
    URL,
    "\n".join(f"line {n}: checked one more failure & wrote it down <here>" for n in range(1, 16)),
    "Nguyễn giải thích rõ ràng cách đánh giá truy xuất, chi phí và độ trễ của hệ thống",
    "Η υποψήφια εξήγησε με σαφήνεια την αξιολόγηση ανάκτησης και το κόστος των κλήσεων",
    "Кандидатка ясно объяснила оценку качества поиска и стоимость вызовов модели",
    "Aday ılık şüpheli ağaç çiçeği örneğiyle İstanbul ve Iğdır ölçümlerini gösterdi",
    "候选人清楚地解释了检索评估、工具调用的权衡以及延迟和成本",
)


def sentence(words: int, start: int) -> str:
    """``words`` words of plain prose; ``start`` varies the words from field to field."""
    return " ".join(WORDS[(start + n) % len(WORDS)] for n in range(words))


@pytest.fixture(scope="module")
def packets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One blank packet per panel shape: the first given with a panel file, the others
    with --interviewer options."""
    made = {}
    for number, (key, shape) in enumerate(SHAPES.items()):
        root = tmp_path_factory.mktemp(f"packet-{key}")
        counts = zip(INTERVIEWS, shape, strict=True)
        people = {iid: list(NAMES[:count]) for iid, count in counts}
        if number == 0:
            panel = root / "panel.toml"
            lines = [
                f"{iid} = {json.dumps(names, ensure_ascii=False)}" for iid, names in people.items()
            ]
            panel.write_text("[panel]\n" + "\n".join(lines) + "\n", "utf-8")
            assign = ["--panel", str(panel)]
        else:
            assign = [
                f"--interviewer={iid}={name}" for iid, names in people.items() for name in names
            ]
        result = run(
            "packet",
            "ai-engineer",
            "--candidate",
            CANDIDATE,
            "--date",
            "2026-12-03",
            "--tz",
            "America/New_York",
            *assign,
            "-o",
            str(root / "out"),
        )
        assert result.exit_code == 0, result.output
        (made[key],) = (root / "out").iterdir()
        assert len(list((made[key] / "scorecards").glob("*.toml"))) == sum(shape)
    return made


def debrief(
    packets: dict[str, Path], shape: str, texts: Iterator[str], tmp_path: Path
) -> tuple[str, list[str]]:
    """Fill a copy of the packet's scorecards from ``texts`` (notes and evidence, in file
    order); run debrief; return its PDF's body text and what to find in it."""
    packet = Path(shutil.copytree(packets[shape], tmp_path / "packet"))
    expected = []
    for number, path in enumerate(sorted((packet / "scorecards").glob("*.toml"))):
        lines = []
        for line in path.read_text("utf-8").splitlines():
            if line.startswith("recommendation = 0"):
                line = f"recommendation = {number % 4 + 1}"
            elif rating := re.fullmatch(r"([a-z-]+) = 0\b.*", line):
                line = f"{rating[1]} = {len(rating[1]) % 4 + 1}"
            elif empty := re.fullmatch(r'([a-z-]+) = ""', line):
                text = next(texts)
                line = f"{empty[1]} = {json.dumps(text, ensure_ascii=False)}"
                if empty[1] != "notes":
                    expected.append(text if text.strip() else "(no evidence written)")
            lines.append(line)
        path.write_text("\n".join(lines) + "\n", "utf-8")
        card = tomllib.loads(path.read_text("utf-8"))
        if card["notes"].strip():
            expected.append(f"Notes from {card['interviewer']}: {card['notes']}")
    result = run("debrief", str(packet))
    assert result.exit_code == 0, result.output
    assert_lined_up(result.output)
    pages = pdf_pages(packet / "debrief.pdf")
    body = []
    for number, page in enumerate(pages, start=1):
        # The header and footer are drawn last on each page: take them off, so a
        # paragraph continued on the next page reads as one.
        furniture = f"Debrief · {ROLE} {CANDIDATE} Internal: not for the candidate page {number} of {len(pages)}"
        assert page.endswith(furniture), page[-200:]
        body.append(page.removesuffix(furniture))
    return "".join(body), expected


def assert_lined_up(table: str) -> None:
    """Every interviewer's recommendation starts at the same screen column, in any script
    (a Chinese character takes two columns: padding by characters shifted its row)."""
    starts = [
        columns(line[: found.start()])
        for line in table.splitlines()
        if (found := re.search(r"  [1-4] (strong )?(no|yes)\b", line))
    ]
    assert len(starts) >= 5
    assert set(starts) == {71}, table


def assert_all_read_back(body: str, expected: list[str]) -> None:
    """Every evidence and note is in the PDF whole, in order of its words (whitespace aside:
    a long URL or a Chinese sentence is broken across lines without a space)."""
    squeezed = re.sub(r"\s+", "", body)
    missing = [text for text in expected if re.sub(r"\s+", "", text) not in squeezed]
    assert not missing, missing[:3]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("offset", [0, 25, 50])
def test_every_length_spread_over_the_panel(
    packets: dict[str, Path], shape: str, offset: int, tmp_path: Path
) -> None:
    """Each field gets the next length of 0, 1, 5..80 words; three offsets and three panel
    shapes give every field many lengths."""

    def texts() -> Iterator[str]:
        for n in range(offset, offset + 10_000):
            yield sentence(LENGTHS[n % len(LENGTHS)], n)

    body, expected = debrief(packets, shape, texts(), tmp_path)
    assert_all_read_back(body, expected)


@pytest.mark.parametrize("words", [0, 1, *range(5, 81, 5), 400])
def test_one_length_everywhere(packets: dict[str, Path], words: int, tmp_path: Path) -> None:
    """Every evidence and every note of one length (the report: one sentence of 20-56 words)."""
    shape = list(SHAPES)[words % len(SHAPES)]

    def texts() -> Iterator[str]:
        for n in range(10_000):
            yield sentence(words, n)

    body, expected = debrief(packets, shape, texts(), tmp_path)
    assert_all_read_back(body, expected)


@pytest.mark.parametrize("shape", SHAPES)
def test_long_unbroken_multiline_and_every_script(
    packets: dict[str, Path], shape: str, tmp_path: Path
) -> None:
    """A 400-word evidence, a 300-character URL, 15 lines, Vietnamese, Greek, Cyrillic,
    Turkish and Chinese, taken in turn by every field."""

    def texts() -> Iterator[str]:
        for n in range(10_000):
            yield HARD[n % len(HARD)]

    body, expected = debrief(packets, shape, texts(), tmp_path)
    assert_all_read_back(body, expected)
    assert URL in re.sub(r"\s+", "", body)


def test_long_evidence_fills_its_pages_and_no_heading_ends_one(
    packets: dict[str, Path], tmp_path: Path
) -> None:
    """Each competency's evidence was kept on one page: at 300 words a card, blocks half a
    page high moved whole to the next page, pages were 40% empty, and an interview's
    heading was left alone at the foot of a page."""
    shape = next(iter(SHAPES))
    texts = (sentence(500, n) for n in range(10_000))
    body, expected = debrief(packets, shape, texts, tmp_path)
    assert_all_read_back(body, expected)
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "packet" / "debrief.pdf")
    words = [len((page.extract_text() or "").split()) for page in reader.pages[1:-1]]
    assert min(words) > 0.8 * max(words), words  # every evidence page is full
    for page in reader.pages:
        lines = [ln for ln in (page.extract_text() or "").splitlines() if ln.strip()]
        body_lines = [ln for ln in lines if "Internal: not for the candidate" not in ln]
        last = body_lines[-1] if body_lines else ""
        assert not re.search(r"· weight \d+(\.\d+)? · score|\(weight \d+(\.\d+)?\)$", last), last


def test_a_name_with_an_accent_of_its_own_takes_the_columns_it_shows() -> None:
    """Olúwaseun Adébáyọ̀ with her last accent a mark of its own (U+0300) shifted every later
    column of status one place left: the mark was counted as a column."""
    name = "Olúwaseun Adébáyo\u0323\u0300"
    assert columns(name) == len("Oluwaseun Adebayo")
    assert columns("王小明") == 6
    assert columns("a\u200db") == 2  # a joiner shows nothing

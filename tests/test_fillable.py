"""Fillable scorecard PDFs (SPEC 8.4): filled with pypdf, checked by poppler and qpdf, debriefed."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from loopkit._actions import debrief_packet as debrief
from loopkit._debrief import Debrief
from loopkit._readback import read_lock
from loopkit.cli import cli
from tests.helpers import FILLS, PANEL, debrief_packet, fill, fill_packet, run

# pypdf draws typed text with Helvetica and says so for every non-Latin-1 string; viewers
# use fonts of their own. The value read back is what is tested.
logging.getLogger("pypdf").setLevel(logging.ERROR)
TOOLS = {name: shutil.which(name) for name in ("pdftoppm", "qpdf")}
EVIDENCE = "Nguyễn Thị nói rõ; Привет, мир; Γειά σου κόσμε"  # Vietnamese, Cyrillic, Greek
NOTES = "Ghi chú: ổn định.\nВторая строка."


def tool(name: str) -> str:
    path = TOOLS[name]
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def fill_pdf(
    path: Path,
    recommendation: int | None,
    ratings: dict[str, int | str],
    interviewer: str | None = None,
    evidence: str = EVIDENCE,
    notes: str = NOTES,
) -> None:
    """Fill a scorecard PDF's fields as a viewer would, with pypdf; None leaves a group unticked."""
    reader = PdfReader(path)
    writer = PdfWriter(clone_from=reader)
    values: dict[str, Any] = {"notes": notes}
    if recommendation is not None:
        values["recommendation"] = f"/{recommendation}"
    for key, value in ratings.items():
        values[f"rating-{key}"] = "/nosignal" if value == "no signal" else f"/{value}"
        values[f"evidence-{key}"] = evidence
    if interviewer is not None:
        values["interviewer"] = interviewer
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(path)


def competencies(packet: Path, stem: str) -> list[str]:
    """The competency ids of one seat's scorecard, from the lock."""
    lock, _ = read_lock(packet)
    seat = lock.seat(stem)
    assert seat is not None
    interview = lock.interview(seat.interview)
    assert interview is not None
    return [c.id for c in lock.scorecards[interview.scorecard].competencies]


def result_of(debriefed: Debrief) -> list[tuple[str, str, int, dict[str, int | None], str]]:
    """What a debrief made of its cards: interview, interviewer, recommendation, ratings, notes."""
    return [
        (i.id, c.interviewer, c.recommendation, c.ratings, " ".join(c.notes.split()))
        for i in debriefed.interviews
        for c in i.cards
    ]


def acroform(pdf: PdfReader | PdfWriter) -> Any:
    """A PDF's form dictionary (pypdf types it as any PDF object)."""
    form: Any = pdf.root_object["/AcroForm"]
    return form.get_object()


def radio(pdf: PdfReader | PdfWriter, name: str) -> Any:
    """A radio group's field dictionary, by name."""
    for ref in acroform(pdf)["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == name:
            return field
    raise AssertionError(name)


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ada Lovelace's packet with five interviewers, every scorecard blank."""
    return debrief_packet(tmp_path_factory.mktemp("fillable"))


@pytest.fixture
def packet(blank: Path, tmp_path: Path) -> Path:
    """A copy of the blank packet to fill in."""
    return Path(shutil.copytree(blank, tmp_path / blank.name))


def fill_all_pdfs(packet: Path) -> None:
    for stem, (recommendation, ratings) in FILLS.items():
        fill_pdf(packet / "scorecards" / f"{stem}.pdf", recommendation, ratings)


class TestRoundTrip:
    def test_filled_pdfs_debrief_as_the_same_tomls_do(self, packet: Path, tmp_path: Path) -> None:
        """Every PDF filled in gives the debrief the TOMLs give: scores, ratings, evidence."""
        tomls = Path(shutil.copytree(packet, tmp_path / "tomls"))
        fill_all_pdfs(packet)
        for stem, (recommendation, ratings) in FILLS.items():
            path = tomls / "scorecards" / f"{stem}.toml"
            fill(path, recommendation, ratings)
            text = path.read_text("utf-8").replace('notes = ""', f"notes = {NOTES!r}".replace("'", '"').replace("\n", "\\n"))  # fmt: skip  # one edit
            for key in ratings:
                text = text.replace(f'"Saw {key} first-hand."', f'"{EVIDENCE}"')
            path.write_text(text, "utf-8")
        from_pdf, from_toml = debrief(packet), debrief(tomls)
        assert result_of(from_pdf) == result_of(from_toml)
        assert from_pdf.score == from_toml.score
        cards = [c for i in from_pdf.interviews for c in i.cards]
        assert len(cards) == len(FILLS)
        assert all(set(c.evidence.values()) == {EVIDENCE} for c in cards)
        assert all(c.notes == NOTES for c in cards)
        assert all(c.file.endswith(".pdf") for c in cards)

    def test_the_ml_engineer_loop_with_unassigned_seats(self, here: Path) -> None:
        """Unassigned seats: the interviewer's name is typed into the form, in any script."""
        result = run("packet", "ml-engineer", "--candidate", "Grace Hopper", "--date", "2026-12-04", "--tz", "UTC", "-o", "out")  # fmt: skip
        assert result.exit_code == 0, result.output
        folder = next((here / "out").iterdir())
        tomls = Path(shutil.copytree(folder, here / "tomls"))
        stems = sorted(p.stem for p in (folder / "scorecards").glob("*.pdf"))
        assert stems
        for n, stem in enumerate(stems):
            ratings: dict[str, int | str] = {
                c: ("no signal" if (n + i) % 5 == 4 else 1 + (n + i) % 4)
                for i, c in enumerate(competencies(folder, stem))
            }
            name = f"Trần Văn {n}" if n % 2 else f"Ελένη {n}"
            fill_pdf(folder / "scorecards" / f"{stem}.pdf", 1 + n % 4, ratings, interviewer=name)
            toml = tomls / "scorecards" / f"{stem}.toml"
            fill(toml, 1 + n % 4, ratings)
            text = re.sub(r'(?m)^interviewer = "".*$', f'interviewer = "{name}"', toml.read_text("utf-8"))  # fmt: skip
            toml.write_text(text, "utf-8")
        from_pdf, from_toml = debrief(folder), debrief(tomls)
        assert [r[:4] for r in result_of(from_pdf)] == [r[:4] for r in result_of(from_toml)]
        assert from_pdf.score == from_toml.score
        assert {c.interviewer for i in from_pdf.interviews for c in i.cards} >= {
            "Ελένη 0",
            "Trần Văn 1",
        }

    def test_the_cli_debriefs_a_pdf_given_with_scorecard(
        self, packet: Path, tmp_path: Path
    ) -> None:
        """--scorecard x.pdf reads a filled PDF from anywhere."""
        fill_packet(packet, {k: v for k, v in FILLS.items() if "kim-yu" not in k})
        outside = tmp_path / "kim.pdf"
        shutil.copy(packet / "scorecards" / "prompt-engineering-exercise--kim-yu.pdf", outside)
        recommendation, ratings = FILLS["prompt-engineering-exercise--kim-yu"]
        fill_pdf(outside, recommendation, ratings)
        assert run("debrief", packet).exit_code == 1  # without it: Kim Yu's card is missing
        result = run("debrief", packet, "--scorecard", outside)
        assert result.exit_code == 0, result.output
        assert "Kim Yu" in result.output

    def test_a_pdf_on_standard_input_is_counted_and_kept_as_its_seats_pdf(
        self, packet: Path, tmp_path: Path
    ) -> None:
        """--scorecard - with a filled PDF piped in: read as a form, kept over the seat's blank."""
        fill_packet(packet, {k: v for k, v in FILLS.items() if "kim-yu" not in k})
        kept = packet / "scorecards" / "prompt-engineering-exercise--kim-yu.pdf"
        outside = tmp_path / "mail.pdf"
        shutil.copy(kept, outside)
        fill_pdf(outside, *FILLS["prompt-engineering-exercise--kim-yu"])
        piped = outside.read_bytes()
        result = CliRunner().invoke(cli, ["debrief", str(packet), "--scorecard", "-"], input=piped)
        assert result.exit_code == 0, result.output
        assert "Kim Yu" in result.output
        assert "note:" not in result.stderr
        assert kept.read_bytes() == piped
        listed = [c["file"] for i in tomllib.loads((packet / "debrief.toml").read_text())["interviews"] for c in i["scorecards"]]  # fmt: skip
        assert kept.name in listed
        status = run("status", packet.parent, "--format", "json")
        assert json.loads(status.output)["packets"][0]["debrief"] == "current"
        again = ["debrief", str(packet), "--scorecard", "-"]  # the card kept: that card
        assert CliRunner().invoke(cli, again, input=piped).exit_code == 0
        checked = CliRunner().invoke(cli, ["validate", "-"], input=piped)  # away from its packet
        assert checked.exit_code == 0, checked.output
        assert "<stdin>: checked away from its packet" in checked.output

    def test_an_untouched_or_resaved_blank_is_missing_not_an_error(self, packet: Path) -> None:
        """A blank PDF, even saved again by a viewer, is a card not filled in yet."""
        fill_packet(packet, {k: v for k, v in FILLS.items() if "kim-yu" not in k})
        kim = packet / "scorecards" / "prompt-engineering-exercise--kim-yu.pdf"
        PdfWriter(clone_from=PdfReader(kim)).write(kim)  # new bytes, nothing filled
        result = run("debrief", packet)
        assert result.exit_code == 1
        assert "missing scorecards from Kim Yu" in result.output
        assert "Traceback" not in result.output
        assert run("debrief", packet, "--allow-missing").exit_code == 0


class TestRevisions:
    def test_a_kept_seats_pdf_is_carried_and_a_changed_seats_is_superseded(
        self, packet: Path
    ) -> None:
        """A revision keeps a filled PDF of a kept seat, still accepted; a changed seat's moves."""
        for stem in ("llm-coding--sam-lee", "llm-system-design--ana-souza"):
            recommendation, ratings = FILLS[stem]
            fill_pdf(packet / "scorecards" / f"{stem}.pdf", recommendation, ratings)
        sam = (packet / "scorecards" / "llm-coding--sam-lee.pdf").read_bytes()
        panel = packet.parent.parent / "panel2.toml"
        panel.write_text(PANEL.replace("Ana Souza", "Rui Costa"), "utf-8")
        result = run("packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03", "--tz", "America/New_York", "--panel", panel, "-o", packet.parent)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert (packet / "scorecards" / "llm-coding--sam-lee.pdf").read_bytes() == sam
        assert (packet / "superseded" / "r1" / "scorecards" / "llm-system-design--ana-souza.pdf").is_file()  # fmt: skip
        cards = [c for i in debrief(packet, allow_missing=True).interviews for c in i.cards]
        assert [(c.interviewer, c.file.endswith(".pdf")) for c in cards] == [("Sam Lee", True)]


class TestPdfAndToml:
    def test_a_pdf_and_a_toml_that_agree_count_once(self, packet: Path) -> None:
        """The same card handed in twice, as PDF and TOML, is one card."""
        fill_packet(packet)
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(packet / "scorecards" / "llm-coding--sam-lee.pdf", recommendation, ratings, evidence="Saw it.", notes="")  # fmt: skip
        toml = packet / "scorecards" / "llm-coding--sam-lee.toml"
        text = toml.read_text("utf-8")
        for key in ratings:
            text = text.replace(f'"Saw {key} first-hand."', '"Saw it."')
        toml.write_text(text, "utf-8")
        result = debrief(packet)
        sams = [c for i in result.interviews for c in i.cards if c.interviewer == "Sam Lee"]
        assert len(sams) == 1

    def test_a_filled_pdf_beside_its_blank_toml_and_the_toml_given_count_once(
        self, packet: Path, tmp_path: Path
    ) -> None:
        """The seat's blank TOML made three cards of the pair: refused as a second card."""
        fill_packet(packet, {k: v for k, v in FILLS.items() if k != "llm-coding--sam-lee"})
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(packet / "scorecards" / "llm-coding--sam-lee.pdf", recommendation, ratings, evidence="Saw it.", notes="")  # fmt: skip
        given = tmp_path / "llm-coding--sam-lee.toml"
        shutil.copy(packet / "scorecards" / given.name, given)
        fill(given, recommendation, ratings)
        given.write_text(re.sub(r'"Saw [a-z-]+ first-hand."', '"Saw it."', given.read_text()))
        result = debrief(packet, [given])
        sams = [c for i in result.interviews for c in i.cards if c.interviewer == "Sam Lee"]
        assert len(sams) == 1

    def test_a_pdf_and_a_toml_that_disagree_are_refused_naming_both(self, packet: Path) -> None:
        """One seat, two different answers: an error that names both files and the field."""
        fill_packet(packet)
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(packet / "scorecards" / "llm-coding--sam-lee.pdf", recommendation, {**ratings, "tool-calling": 1})  # fmt: skip
        result = run("debrief", packet)
        assert result.exit_code == 1
        line = next(x for x in result.output.splitlines() if "rating-tool-calling" in x)
        assert "llm-coding--sam-lee.pdf" in line
        assert "llm-coding--sam-lee.toml" in line
        assert "1 in the PDF, 3 in the TOML" in line

    def test_long_evidence_that_disagrees_is_quoted_where_it_differs(self, packet: Path) -> None:
        """Both texts were quoted whole: evidence of hundreds of words made a message of
        screens. Each is quoted around the first place the two part ways."""
        fill_packet(packet)
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        long = " ".join(["The candidate traced the failing retrieval step by step."] * 40)
        toml = packet / "scorecards" / "llm-coding--sam-lee.toml"
        toml.write_text(re.sub(r'(?m)^code-quality = ".*"$', f'code-quality = "{long} Then stopped."', toml.read_text("utf-8")))  # fmt: skip
        pdf = packet / "scorecards" / "llm-coding--sam-lee.pdf"
        fill_pdf(pdf, recommendation, ratings, evidence=f"{long} Then went on.")
        result = run("debrief", packet)
        assert result.exit_code == 1
        line = next(x for x in result.output.splitlines() if "evidence-code-quality" in x)
        assert len(line) - len(str(pdf)) - len(str(toml)) < 300, line
        assert "step by step. Then went on.' in the PDF" in line
        assert "step by step. Then stopped.' in the TOML" in line
        assert "'…" in line


class TestDrawing:
    def test_qpdf_passes_every_blank_and_filled_scorecard(self, packet: Path) -> None:
        """qpdf --check finds nothing wrong before or after filling."""
        pdfs = sorted((packet / "scorecards").glob("*.pdf"))
        for pdf in pdfs:
            self._check(pdf)
        fill_all_pdfs(packet)
        for pdf in pdfs:
            self._check(pdf)

    @staticmethod
    def _check(pdf: Path) -> None:
        check = subprocess.run([tool("qpdf"), "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "No syntax or stream encoding errors found" in check.stdout, pdf.name
        assert "WARNING" not in check.stdout + check.stderr, pdf.name

    def test_poppler_draws_a_ticked_box_and_not_an_unticked_one(self, packet: Path) -> None:
        """The ticked button has an appearance poppler draws; its neighbour stays empty."""
        pdf = packet / "scorecards" / "llm-coding--sam-lee.pdf"
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(pdf, recommendation, ratings)  # retrieval-quality: 4
        reader = PdfReader(pdf)
        needs = acroform(reader).get("/NeedAppearances", "false")
        assert str(needs).lower() == "false"  # the ticks are drawn from their own appearances
        boxes = {}
        for kid in radio(reader, "rating-retrieval-quality")["/Kids"]:
            widget = kid.get_object()
            on = next(k for k in widget["/AP"]["/N"] if k != "/Off")
            boxes[on] = [float(v) for v in widget["/Rect"]]
        page = reader.pages[0]
        height = float(page.mediabox.height)
        gray = self._render(pdf, packet)
        ticked, unticked = (
            self._ink(gray, boxes["/4"], height),
            self._ink(gray, boxes["/3"], height),
        )
        assert unticked == 0  # inside the printed square: paper
        assert ticked > 100  # of 24 x 24 pixels inside the square

    @staticmethod
    def _render(pdf: Path, work: Path) -> list[bytes]:
        """Page 1 as rows of gray bytes at 288 dpi (four pixels a point)."""
        subprocess.run([tool("pdftoppm"), "-r", "288", "-gray", "-f", "1", "-l", "1", str(pdf), str(work / "page")], check=True)  # fmt: skip
        data = next(work.glob("page*.pgm")).read_bytes()
        magic, width, height, _, pixels = data.split(maxsplit=4)
        assert magic == b"P5"
        w, h = int(width), int(height)
        return [pixels[y * w : (y + 1) * w] for y in range(h)]

    @staticmethod
    def _ink(gray: list[bytes], rect: list[float], height: float) -> int:
        """Dark pixels inside a box, its printed border left out."""
        x0, y0, x1, y1 = (4 * v for v in rect)
        rows = range(int(4 * height - y1) + 6, int(4 * height - y0) - 6)
        return sum(1 for y in rows for x in range(int(x0) + 6, int(x1) - 6) if gray[y][x] < 128)

    def test_an_unfilled_form_looks_as_the_paper_scorecard_did(self, blank: Path, tmp_path: Path) -> None:  # fmt: skip
        """Pixel for pixel, the blank form prints as it does with its fields taken out."""
        pdf = blank / "scorecards" / "past-llm-feature-deep-dive--priya-raman.pdf"
        assert radio(PdfReader(pdf), "rating-ownership")
        plain = tmp_path / "plain.pdf"
        writer = PdfWriter(clone_from=PdfReader(pdf))
        writer.remove_annotations(subtypes="/Widget")
        writer.write(plain)
        for name, source in (("form", pdf), ("plain", plain)):
            subprocess.run([tool("pdftoppm"), "-r", "70", "-png", str(source), str(tmp_path / name)], check=True)  # fmt: skip
        forms_png = sorted(tmp_path.glob("form-*.png"))
        assert forms_png
        for png in forms_png:
            assert png.read_bytes() == (tmp_path / png.name.replace("form", "plain")).read_bytes()


class TestBadFills:
    def run_bad(self, packet: Path, *extra: str | Path) -> str:
        result = run("debrief", packet, "--allow-missing", *extra)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        return result.output

    def test_nothing_ticked_names_the_file_and_the_field(self, packet: Path) -> None:
        """A rating left unticked: "rating-<id>: not ticked", as the TOML's 0 would be refused."""
        recommendation, ratings = FILLS["past-llm-feature-deep-dive--priya-raman"]
        pdf = packet / "scorecards" / "past-llm-feature-deep-dive--priya-raman.pdf"
        fill_pdf(pdf, recommendation, {k: v for k, v in ratings.items() if k != "eval-methodology"})
        output = self.run_bad(packet)
        assert "past-llm-feature-deep-dive--priya-raman.pdf: rating-eval-methodology: not ticked" in output  # fmt: skip
        assert "LK133" in output

    def test_no_recommendation_ticked(self, packet: Path) -> None:
        """The recommendation group left alone is named too."""
        _, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(packet / "scorecards" / "llm-coding--sam-lee.pdf", None, ratings)
        assert "llm-coding--sam-lee.pdf: recommendation: not ticked" in self.run_bad(packet)

    def test_two_boxes_ticked(self, packet: Path) -> None:
        """Two buttons of one group on: refused, not guessed."""
        pdf = packet / "scorecards" / "llm-coding--sam-lee.pdf"
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(pdf, recommendation, ratings)
        writer = PdfWriter(clone_from=PdfReader(pdf))
        for kid in radio(writer, "rating-tool-calling")["/Kids"]:
            widget = kid.get_object()
            on = next(k for k in widget["/AP"]["/N"] if k != "/Off")
            if on in ("/1", "/3"):
                widget[NameObject("/AS")] = NameObject(on)
        writer.write(pdf)
        output = self.run_bad(packet)
        assert "llm-coding--sam-lee.pdf: rating-tool-calling: more than one box is ticked (1, 3)" in output  # fmt: skip

    def test_a_value_that_disagrees_with_the_box_ticked(self, packet: Path) -> None:
        """The group's /V says one thing and its boxes another: refused."""
        pdf = packet / "scorecards" / "llm-coding--sam-lee.pdf"
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(pdf, recommendation, ratings)
        writer = PdfWriter(clone_from=PdfReader(pdf))
        radio(writer, "rating-code-quality")[NameObject("/V")] = NameObject("/2")
        writer.write(pdf)
        assert "rating-code-quality: the form says 2 but the box ticked is 3" in self.run_bad(
            packet
        )

    def test_a_pdf_of_another_packet(self, packet: Path, tmp_path: Path) -> None:
        """Another candidate's scorecard is refused by its hidden packet field, as its TOML is."""
        result = run("packet", "ai-engineer", "--candidate", "Grace Hopper", "--date", "2026-12-03", "--tz", "UTC", "--interviewer", "llm-coding=Sam Lee", "-o", tmp_path / "other")  # fmt: skip
        assert result.exit_code == 0, result.output
        theirs = next((tmp_path / "other").iterdir()) / "scorecards" / "llm-coding--sam-lee.pdf"
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(theirs, recommendation, ratings)
        mine = packet / "scorecards" / "llm-coding--sam-lee.pdf"
        shutil.copy(theirs, mine)
        output = self.run_bad(packet)
        assert "llm-coding--sam-lee.pdf: packet: belongs to packet 'grace-hopper-ai-engineer'" in output  # fmt: skip
        assert "LK132" in output

    def test_a_changed_seat(self, packet: Path) -> None:
        """A hidden seat field edited: refused with the TOML's message."""
        pdf = packet / "scorecards" / "llm-coding--sam-lee.pdf"
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(pdf, recommendation, ratings)
        writer = PdfWriter(clone_from=PdfReader(pdf))
        writer.update_page_form_field_values(None, {"seat": "llm-coding--someone"}, auto_regenerate=False)  # fmt: skip
        writer.write(pdf)
        assert "llm-coding--sam-lee.pdf: seat: no seat 'llm-coding--someone' in this packet" in self.run_bad(packet)  # fmt: skip

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            ("truncated", "is cut short"),
            ("not a scorecard", "is not a loopkit scorecard form: it has no form fields"),
            ("encrypted", "is encrypted: loopkit reads scorecard PDFs saved without a password"),
            ("not a pdf", "is not a PDF"),
            ("empty", "is not a PDF"),
        ],
    )
    def test_a_file_that_is_no_filled_scorecard(self, packet: Path, make: str, message: str) -> None:  # fmt: skip
        """Each is a clear error naming the file, exit 1, never a traceback."""
        pdf = packet / "scorecards" / "llm-coding--sam-lee.pdf"
        recommendation, ratings = FILLS["llm-coding--sam-lee"]
        fill_pdf(pdf, recommendation, ratings)
        if make == "truncated":
            pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 2])
        elif make == "not a scorecard":
            shutil.copy(packet / "itinerary.pdf", pdf)
        elif make == "encrypted":
            locked = pdf.with_name("locked.pdf")
            subprocess.run([tool("qpdf"), "--encrypt", "user", "owner", "256", "--", str(pdf), str(locked)], check=True)  # fmt: skip
            locked.replace(pdf)
        elif make == "not a pdf":
            pdf.write_text("recommendation = 3\n", "utf-8")
        else:
            pdf.write_bytes(b"")
        output = self.run_bad(packet)
        assert f"llm-coding--sam-lee.pdf: {message}" in output, output
        assert "LK131" in output


class TestPacket:
    def test_the_blank_packet_is_byte_identical_across_runs(self, blank: Path, tmp_path: Path) -> None:  # fmt: skip
        """Forms and all, the same inputs give the same bytes."""
        again = debrief_packet(tmp_path)
        pdfs = sorted(p.name for p in (blank / "scorecards").glob("*.pdf"))
        assert pdfs
        for name in pdfs:
            assert (again / "scorecards" / name).read_bytes() == (blank / "scorecards" / name).read_bytes(), name  # fmt: skip

    def test_field_names_are_the_contract(self, blank: Path) -> None:
        """SPEC 8.4's names, the seat's identity beside them; packet.pdf has no form."""
        reader = PdfReader(blank / "scorecards" / "llm-coding--sam-lee.pdf")
        fields = reader.get_fields() or {}
        ids = competencies(blank, "llm-coding--sam-lee")
        assert set(fields) == {
            "packet", "interview", "lock", "seat", "interviewer", "recommendation", "notes",
            *(f"rating-{c}" for c in ids), *(f"evidence-{c}" for c in ids),
        }  # fmt: skip
        assert fields["packet"]["/V"] == "ada-lovelace-ai-engineer"
        assert fields["interviewer"]["/V"] == "Sam Lee"
        states = {k for kid in radio(reader, f"rating-{ids[0]}")["/Kids"] for k in kid.get_object()["/AP"]["/N"]}  # fmt: skip
        assert states == {"/1", "/2", "/3", "/4", "/nosignal", "/Off"}
        assert "/AcroForm" not in PdfReader(blank / "packet.pdf").root_object

    def test_a_toml_debrief_never_imports_pypdf(self, packet: Path) -> None:
        """pypdf is loaded only when a PDF scorecard is read."""
        fill_packet(packet)
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "loopkit", "debrief", str(packet)], capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        assert "loopkit._fillable" in done.stderr
        assert "pypdf" not in done.stderr


def test_a_seat_filled_in_its_pdf_is_not_named_among_the_unfilled_blanks(packet: Path) -> None:
    """Its TOML stays a blank beside it: the debrief's list of cards still to fill named it."""
    stem = "llm-coding--sam-lee"
    fill_pdf(packet / "scorecards" / f"{stem}.pdf", *FILLS[stem])
    result = run("debrief", packet)
    assert result.exit_code == 1, result.output
    assert "unfilled blanks:" in result.output
    assert f"{stem}.toml" not in result.output
    assert "past-llm-feature-deep-dive--priya-raman.toml" in result.output


def test_status_counts_a_seat_filled_in_its_pdf(packet: Path) -> None:
    """status (and so report and calibrate) sees a PDF handed in, also after a cached run."""
    import json

    def filled() -> int:
        data = json.loads(run("status", packet.parent, "--format", "json").output)
        (only,) = data["packets"]
        return int(only["filled"])

    assert filled() == 0
    stem = "llm-coding--sam-lee"
    fill_pdf(packet / "scorecards" / f"{stem}.pdf", *FILLS[stem])
    assert filled() == 1  # the PDF changed under the cache: read again
    fill(packet / "scorecards" / f"{stem}.toml", *FILLS[stem])  # other evidence than the PDF's
    data = json.loads(run("status", packet.parent, "--format", "json").output)
    (only,) = data["packets"]
    assert only["filled"] == 1  # one seat: never counted twice
    assert any(f"{stem}.pdf" in p and "[LK134]" in p for p in only["problems"])


def test_validate_checks_a_filled_pdf_as_its_toml(packet: Path, tmp_path: Path) -> None:
    """validate reads a PDF filled in a viewer: in its packet against the lock, away without."""
    stem = "past-llm-feature-deep-dive--priya-raman"
    pdf = packet / "scorecards" / f"{stem}.pdf"
    recommendation, ratings = FILLS[stem]
    blank = pdf.read_bytes()
    fill_pdf(pdf, recommendation, ratings)
    good = run("validate", pdf)
    assert good.exit_code == 0, good.output
    assert "0 error(s), 0 warning(s)" in good.output
    away = tmp_path / "mail" / pdf.name
    away.parent.mkdir()
    away.write_bytes(pdf.read_bytes())
    assert "[LK136 warning]" in run("validate", away).output
    pdf.write_bytes(blank)
    fill_pdf(pdf, recommendation, {k: v for k, v in ratings.items() if k != "eval-methodology"})
    bad = run("validate", pdf)
    assert bad.exit_code == 1
    assert f"{stem}.pdf: rating-eval-methodology: not ticked" in bad.output
    (tmp_path / "not.pdf").write_bytes(b"%PDF-1.7 cut short")
    broken = run("validate", tmp_path / "not.pdf")
    assert broken.exit_code == 1
    assert "Traceback" not in broken.output


def test_validate_of_a_packet_checks_its_cards_as_debrief_reads_them(packet: Path) -> None:
    """validate PACKET: a PDF filled in a viewer is checked (it was passed over) and its seat's
    blank TOML is not called unfilled; a blank PDF is left to its TOML."""
    stem = "past-llm-feature-deep-dive--priya-raman"
    fill_pdf(packet / "scorecards" / f"{stem}.pdf", None, FILLS[stem][1])  # no recommendation
    seats = len(list((packet / "scorecards").glob("*.toml")))
    for folder, lock in ((packet, 1), (packet / "scorecards", 0)):
        result = run("validate", folder)
        assert result.exit_code == 1, result.output
        assert f"{stem}.pdf: recommendation: not ticked" in result.output
        assert f"{stem}.toml" not in result.output
        # the TOMLs and the filled PDF, and the lock when the packet is given
        assert f"{seats + 1 + lock} files checked" in result.output
        assert result.output.count("not filled in yet") == seats - 1


def test_validate_of_a_lock_checks_it_as_a_lock(packet: Path, tmp_path: Path) -> None:
    """validate loop.lock.toml read the lock as a loop: 40-odd errors, one for each of its
    keys, for a lock that is right. It is checked as debrief reads it, under any name and
    by its folder alike; an edit is named at the hash line."""
    lock = packet / "loop.lock.toml"
    right = run("validate", lock)
    assert right.exit_code == 0, right.output
    assert right.output == "1 file checked: 0 error(s), 0 warning(s)\n"
    copy = tmp_path / "copy.toml"
    copy.write_bytes(lock.read_bytes())
    away = run("validate", copy)  # a copy under a name of its own is a lock still
    assert away.exit_code == 0, away.output
    assert away.output == "1 file checked: 0 error(s), 0 warning(s)\n"
    lines = lock.read_text("utf-8").splitlines()
    hash_line = next(n for n, x in enumerate(lines, 1) if x.startswith("hash = "))
    lock.write_text(lock.read_text("utf-8").replace("hire_bar = 3.0", "hire_bar = 2.0", 1))
    copy.write_bytes(lock.read_bytes())
    said = f":{hash_line}: hash: was changed after the packet was written"
    for given, shown in ((lock, lock), (copy, copy), (packet, lock)):
        edited = run("validate", given)
        assert edited.exit_code == 1
        assert edited.output.startswith(f"{shown}{said}"), edited.output
        assert edited.output.count("[LK130 error]") == 1, edited.output
    alone = tmp_path / "alone"  # a folder with nothing but the lock: no "no .toml files"
    alone.mkdir()
    shutil.copy(lock, alone)
    edited = run("validate", alone)
    assert edited.exit_code == 1
    assert edited.output.startswith(f"{alone / 'loop.lock.toml'}{said}"), edited.output


def test_a_lock_that_is_no_toml_is_one_finding_by_file_and_by_folder(packet: Path) -> None:
    """A lock cut short was LK100 given by itself and LK130 by its folder, with no line."""
    lock = packet / "loop.lock.toml"
    text = lock.read_text("utf-8")
    lock.write_text(text + "extra = [\n", "utf-8")
    last = len(text.splitlines()) + 1
    for given in (lock, packet):
        result = run("validate", given)
        assert result.exit_code == 1
        assert (
            f"{lock}:{last}: TOML syntax: Invalid value at the end of the file (put the lock "
            "back as loopkit wrote it (from a copy, or git); to start over, move the packet "
            "folder aside and build the packet again) [LK130 error]"
        ) in result.output, result.output
        assert result.output.count("error]") == 1, result.output


def test_validate_of_a_packet_gives_the_debriefs_verdict(packet: Path) -> None:
    """What only the cards together show (a filled PDF and TOML that disagree, a second card
    for one seat) and a lock linked to nowhere: validate refused none of them."""
    stem = "llm-coding--sam-lee"
    cards = packet / "scorecards"
    recommendation, ratings = FILLS[stem]
    fill_pdf(cards / f"{stem}.pdf", recommendation, ratings)
    fill(cards / f"{stem}.toml", 4 if recommendation != 4 else 3, ratings)  # disagrees
    kim = cards / "prompt-engineering-exercise--kim-yu.toml"
    fill(kim, *FILLS[kim.stem])
    shutil.copy(kim, cards / "kim-copy.toml")
    (cards / "kim-copy.toml").write_text(
        kim.read_text("utf-8").replace("Kim Yu", "Tom Berg"), "utf-8"
    )
    validate, debrief = run("validate", packet), run("debrief", packet, "--allow-missing")
    assert validate.exit_code == debrief.exit_code == 1
    for said in (f"{stem}.pdf: recommendation: disagrees", "a second scorecard for the seat"):
        assert said in validate.output, said
        assert said in debrief.output, said
    lock = packet / "loop.lock.toml"
    lock.unlink()
    lock.symlink_to(packet / "nowhere.toml")
    gone = run("validate", packet)
    assert gone.exit_code == 1
    assert "[LK130 error]" in gone.output
    assert "LK136" not in gone.output

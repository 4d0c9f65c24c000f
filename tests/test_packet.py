"""The packet folder: every file read back and checked, determinism, names, safety."""

from __future__ import annotations

import hashlib
import os
import tomllib
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from loopkit import LoopkitError, load_loop
from loopkit._folder import packet_files
from loopkit._packet import build_packet, name_slug, slugify
from loopkit._readback import read_lock
from loopkit._schedule import plan_loop
from loopkit.render import itinerary
from tests.helpers import candidate_leaks, pdf_pages, pdf_text, run

GOLDEN = Path(__file__).parent / "golden"
NAME = "Nguyễn Thị Minh Khai"
PACKET_ID = "nguyen-thi-minh-khai-ai-engineer"
FOLDER = f"2026-03-20-{PACKET_ID}"
PANEL = """\
[panel]
llm-coding = ["Sam Lee <sam@example.com>"]
past-llm-feature-deep-dive = ["Priya Raman", "Jo Park <jo@example.com>"]
"""
ARGS = [
    "--date",
    "2026-03-20",
    "--start",
    "09:00",
    "--tz",
    "America/New_York",
    "--candidate-tz",
    "Europe/Berlin",
]


def _broken_render(*_: object) -> bytes:
    """A renderer that fails the way a full disk would (module level, so workers can run it)."""
    raise OSError("disk full")


def make_packet(folder: Path, *extra: str, name: str = NAME, loop: str = "ai-engineer") -> Path:
    panel = folder / "panel.toml"
    panel.write_text(PANEL, encoding="utf-8")
    result = run(
        "packet", loop, "--candidate", name, *ARGS, "--panel", panel, "-o", folder / "out", *extra
    )
    assert result.exit_code == 0, result.output
    return folder / "out" / FOLDER


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_packet(tmp_path_factory.mktemp("packet"))


class TestFolder:
    def test_holds_every_file_of_the_spec(self, packet: Path) -> None:
        """Packet and itinerary PDFs, a scorecard PDF and TOML per seat, calendar and lock."""
        files = sorted(str(p.relative_to(packet)) for p in packet.rglob("*") if p.is_file())
        stems = [
            "llm-coding--sam-lee",
            "llm-system-design",
            "past-llm-feature-deep-dive--jo-park",
            "past-llm-feature-deep-dive--priya-raman",
            "prompt-engineering-exercise",
        ]
        expected = ["itinerary.pdf", "loop.lock.toml", "packet.pdf", "schedule.ics"]
        expected += [f"scorecards/{s}.{ext}" for s in stems for ext in ("pdf", "toml")]
        assert files == sorted(expected)

    def test_the_same_inputs_give_the_same_bytes(self, packet: Path, tmp_path: Path) -> None:
        """A second packet from the same inputs is byte-identical, file by file."""
        again = make_packet(tmp_path)
        for path in packet.rglob("*"):
            if path.is_file():
                assert (again / path.relative_to(packet)).read_bytes() == path.read_bytes(), (
                    path.name
                )

    def test_workers_render_the_same_files_as_one_process(self) -> None:
        """Two render workers (with the small files written meanwhile) give the same bytes."""
        zone = ZoneInfo("America/New_York")
        planned = plan_loop(load_loop("ai-engineer"), date(2026, 3, 20), time(9), zone)
        packet = build_packet(planned, NAME)
        assert packet_files(packet, jobs=2) == packet_files(packet, jobs=1)


class TestPacketPdf:
    def test_cover_has_candidate_role_day_zones_and_panel(self, packet: Path) -> None:
        """Page one names the candidate, the role, both zones' times and the panel."""
        cover = pdf_pages(packet / "packet.pdf")[0]
        expected = [
            NAME,
            "AI engineer (LLM-applied), senior IC",
            "Friday 20 March 2026",
            "09:00–13:00 EDT (America/New_York)",
            "14:00–18:00 CET (Europe/Berlin)",
            "Sam Lee <sam@example.com>",
            "Priya Raman",
            "unassigned",
            "page 1 of",
        ]
        for text in expected:
            assert text in cover, text

    def test_holds_every_scorecard_with_every_anchor_and_a_debrief_sheet(
        self, packet: Path
    ) -> None:
        """Every anchor of every competency is in the packet, and the last page is the debrief sheet."""
        text = pdf_text(packet / "packet.pdf")
        for card in load_loop("ai-engineer").scorecards.values():
            for competency in card.template.competencies:
                for anchor in competency.anchors.values():
                    assert " ".join(anchor.split()[:8]) in text
        last = pdf_pages(packet / "packet.pdf")[-1]
        assert "Hiring decision" in last
        assert "hire bar of 3.0" in last

    def test_the_candidate_name_is_on_every_page(self, packet: Path) -> None:
        """Loose pages can always be matched to their candidate."""
        for page in pdf_pages(packet / "packet.pdf"):
            assert NAME in page


class TestItinerary:
    def test_shows_candidate_times_titles_people_and_breaks(self, packet: Path) -> None:
        """The candidate sees their own zone's times, the blocks and who they meet."""
        text = pdf_text(packet / "itinerary.pdf")
        expected = [
            NAME,
            "14:00–14:50 CET",
            "09:00–09:50 EDT",
            "LLM-applied coding (50m)",
            "Lunch (30m)",
            "Break (10m)",
            "Sam Lee",
            "Priya Raman, Jo Park",
        ]
        for fragment in expected:
            assert fragment in text, fragment

    def test_nothing_internal_reaches_the_candidate(self, packet: Path) -> None:
        """No rubric, prompt, focus, brief, weight, bar, comp or e-mail is in the itinerary or calendar."""
        assert candidate_leaks(packet) == []


class TestScorecards:
    def test_a_scorecard_pdf_has_everything_an_interviewer_needs(self, packet: Path) -> None:
        """Candidate, interviewer, purpose, prompts, anchors, no-signal box, recommendation."""
        pages = pdf_pages(packet / "scorecards" / "llm-coding--sam-lee.pdf")
        text = " ".join(pages)
        card = load_loop("ai-engineer").scorecards["llm-applied-coding"].template
        expected = [
            NAME,
            "Sam Lee",
            "09:00–09:50 EDT",
            "Purpose",
            "Prompts you may ask",
            "no signal",
            "Overall recommendation",
            "4 strong yes",
            "Notes",
        ]
        for fragment in expected:
            assert fragment in text, fragment
        assert " ".join(card.prompts[0].split()[:6]) in text
        for page in pages:
            assert NAME in page
            assert f"of {len(pages)}" in page

    def test_the_blank_toml_is_prefilled_and_parses(self, packet: Path) -> None:
        """The blank scorecard names packet, interview, lock and interviewer, with 0 everywhere."""
        data = tomllib.loads(
            (packet / "scorecards" / "past-llm-feature-deep-dive--jo-park.toml").read_text("utf-8")
        )
        _, digest = read_lock(packet)
        assert data["packet"] == PACKET_ID
        assert data["interview"] == "past-llm-feature-deep-dive"
        assert data["lock"] == digest
        assert data["interviewer"] == "Jo Park"
        assert data["recommendation"] == 0
        card = load_loop("ai-engineer").scorecards["past-llm-feature-deep-dive"].template
        assert data["ratings"] == {c.id: 0 for c in card.competencies}
        assert data["evidence"] == {c.id: "" for c in card.competencies}

    def test_an_unassigned_interview_gets_one_blank_card(self, packet: Path) -> None:
        """With nobody assigned the file is <interview>.toml, the interviewer empty, a line to write on."""
        data = tomllib.loads((packet / "scorecards" / "llm-system-design.toml").read_text("utf-8"))
        assert data["interviewer"] == ""
        text = pdf_text(packet / "scorecards" / "llm-system-design.pdf")
        assert "Nobody was assigned: write your name here and in the TOML" in text


class TestCalendar:
    def test_one_event_per_interview_at_the_right_utc_times(self, packet: Path) -> None:
        """Four events; the first starts 13:00 UTC (09:00 New York on 2026-03-20)."""
        calendar = Calendar.from_ical((packet / "schedule.ics").read_bytes())
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 4
        starts = [e.decoded("dtstart").astimezone(UTC) for e in events]
        assert starts[0] == datetime(2026, 3, 20, 13, 0, tzinfo=UTC)
        assert starts[-1] == datetime(2026, 3, 20, 16, 30, tzinfo=UTC)
        assert len({str(e["uid"]) for e in events}) == 4
        assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]

    def test_the_file_to_import_has_no_attendees(self, packet: Path) -> None:
        """schedule.ics names nobody as an attendee: invitations are invites/, with --organizer."""
        calendar = Calendar.from_ical((packet / "schedule.ics").read_bytes())
        assert [e.get("attendee") for e in calendar.walk("VEVENT")] == [None] * 4
        assert not (packet / "invites").exists()


class TestLock:
    def test_the_lock_checks_its_own_hash_and_holds_the_resolved_loop(self, packet: Path) -> None:
        """read_lock verifies the hash; the lock has schedule, panel and scorecards."""
        lock, digest = read_lock(packet)
        assert digest.startswith("sha256:")
        assert lock.packet.id == PACKET_ID
        deep = lock.interview("past-llm-feature-deep-dive")
        assert deep is not None
        assert deep.interviewers == ["Priya Raman", "Jo Park <jo@example.com>"]
        assert deep.start == "2026-03-20T11:20:00-04:00"
        assert "eval-methodology" in [
            c.id for c in lock.scorecards["past-llm-feature-deep-dive"].competencies
        ]

    def test_an_edited_lock_is_detected(self, packet: Path, tmp_path: Path) -> None:
        """Changing one weight in the lock breaks its hash."""
        edited = tmp_path / "loop.lock.toml"
        edited.write_text(
            (packet / "loop.lock.toml").read_text("utf-8").replace("weight = 3", "weight = 1"),
            "utf-8",
        )
        with pytest.raises(LoopkitError, match="hash no longer matches"):
            read_lock(tmp_path)


class TestGolden:
    """The packet reads exactly as reviewed: extracted text, not layout bytes.

    After a reviewed change to the output, LOOPKIT_UPDATE_GOLDEN=1 rewrites the copies.
    """

    @pytest.mark.parametrize(
        ("pdf", "golden"),
        [
            ("itinerary.pdf", "itinerary.txt"),
            ("packet.pdf", "packet.txt"),
            ("scorecards/past-llm-feature-deep-dive--jo-park.pdf", "scorecard.txt"),
        ],
    )
    def test_text_matches_the_golden_copy(self, packet: Path, pdf: str, golden: str) -> None:
        """Every page's text equals the golden copy, page by page."""
        pages = pdf_pages(packet / pdf)
        path = GOLDEN / golden
        if os.environ.get("LOOPKIT_UPDATE_GOLDEN"):
            path.write_text("\n".join(pages) + "\n", "utf-8")
        assert pages == path.read_text("utf-8").splitlines()


NAMES = [
    ("Zoë Åkesson-Müller", "2026-03-20-zoe-akesson-muller-ai-engineer"),
    ("Nguyễn Thị Minh Khai", FOLDER),
    ("Пётр Ильич Чайковский", "2026-03-20-petr-ilich-chaikovskii-ai-engineer"),
    ("Ελένη Παπαδοπούλου", "2026-03-20-eleni-papadopoulou-ai-engineer"),
    ("Çağrı Işıkoğlu", "2026-03-20-cagri-isikoglu-ai-engineer"),
    ("王小明", "2026-03-20-wang-xiao-ming-ai-engineer"),
    ("김민준", "2026-03-20-gim-min-jun-ai-engineer"),
    ("R&D <b>Lead</b> & Co", "2026-03-20-r-d-b-lead-b-co-ai-engineer"),
]


class TestNames:
    @pytest.mark.parametrize(("name", "folder"), NAMES)
    def test_any_script_prints_as_real_text(
        self, tmp_path: Path, name: str, folder: str | None
    ) -> None:
        """The name comes back out of the PDFs exactly, markup and all, in a safe folder."""
        result = run("packet", "ai-engineer", "--candidate", name, *ARGS, "-o", str(tmp_path))
        assert result.exit_code == 0, result.output
        (made,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
        if folder:
            assert made.name == folder
        assert made.name.isascii()
        assert name in pdf_pages(made / "packet.pdf")[0]
        assert name in pdf_text(made / "itinerary.pdf")

    def test_characters_no_font_has_are_refused_by_name(self, tmp_path: Path) -> None:
        """An emoji in a name fails with the character named and writes nothing."""
        result = run(
            "packet", "ai-engineer", "--candidate", "Ada 🙂", *ARGS, "-o", str(tmp_path / "out")
        )
        assert result.exit_code == 2
        assert "U+1F642" in result.output
        assert not (tmp_path / "out").exists()

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("../../etc/passwd", "etc-passwd"),
            ("C:\\Windows\\System32", "c-windows-system32"),
            ("CON", "con"),
            ("Đặng Văn Lâm", "dang-van-lam"),
            ("   ", ""),
            ("王小明", "wang-xiao-ming"),
            ("Wang 王小明", "wang-wang-xiao-ming"),
            ("김민준", "gim-min-jun"),
            ("やまだ たろう", "yamada-tarou"),
            ("ヤマダ", "yamada"),
            ("Иван Щукин", "ivan-shchukin"),
            ("Подъезд", "podezd"),
            ("Ελένη Παπαδοπούλου", "eleni-papadopoulou"),
            ("Nguyễn Thị Minh Khai", "nguyen-thi-minh-khai"),
            ("Þór", "thor"),
            ("O'Brien", "o-brien"),
        ],
    )
    def test_slugs_are_safe_ascii(self, text: str, expected: str) -> None:
        """Slugs keep letters and digits only, in Latin letters; nothing path-like survives."""
        assert slugify(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # what loopkit 1 made of them, letters of other scripts left out
            ("Zoë Åkesson-Müller", "zoe-akesson-muller"),
            ("Łukasz Żółć", "lukasz-zolc"),
            ("Straße", "strasse"),
            ("ǅemal", "dzemal"),
            ("aŉb", "a-nb"),
            ("Пётр Ильич Чайковский", "petr-ilich-chaikovskii"),
            ("Сергей", "sergei"),
            ("Євген", "yevgen"),
            ("Βασίλης", "basilis"),
        ],
    )
    def test_latin_cyrillic_and_greek_slugs_are_what_they_were(
        self, text: str, expected: str
    ) -> None:
        """A name loopkit 1 slugged letter for letter keeps its slug, so its packet keeps its id."""
        assert slugify(text) == expected

    def test_a_name_with_no_letter_to_keep_falls_back_to_a_hash(self) -> None:
        """Nothing usable (punctuation only, one letter): a short hash of the name."""
        assert name_slug("!!!") == "n-" + hashlib.sha256(b"!!!").hexdigest()[:8]
        assert name_slug("ö") == "n-" + hashlib.sha256("ö".encode()).hexdigest()[:8]
        assert name_slug("王") == "wang"
        assert name_slug("ж") == "zh"


class TestRefusals:
    def test_the_same_packet_again_writes_nothing(self, tmp_path: Path) -> None:
        """A second run with the same inputs says so and leaves every byte as it was."""
        folder = make_packet(tmp_path)
        before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        make_packet(tmp_path)
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
        make_packet(tmp_path, "--force")
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
        assert [p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")] == [
            FOLDER
        ]

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--candidate", "  "], "--candidate: the candidate's name is empty"),
            (["--candidate", "x" * 201], "at most 200"),
            (["--candidate", "Ada\x07"], "control characters"),
            (["--candidate", "Ada", "--date", "2026-13-01"], "--date: not a date"),
            (["--candidate", "Ada", "--tz", "Nowhere/Land"], "unknown time zone"),
            (["--candidate", "Ada", "--interviewer", "ghost=Sam"], "no interview 'ghost'"),
        ],
    )
    def test_bad_options_exit_2_and_write_nothing(
        self, tmp_path: Path, args: list[str], message: str
    ) -> None:
        """Each bad option names itself; no output folder appears."""
        result = run("packet", "ai-engineer", *args, "-o", str(tmp_path / "out"))
        assert result.exit_code == 2, result.output  # a wrong option value is usage
        assert message in result.output
        assert not (tmp_path / "out").exists()

    @pytest.mark.parametrize("under", ["", "sub", "sub/deeper"])
    @pytest.mark.parametrize("dry", [[], ["--dry-run"]])
    def test_an_output_path_that_is_a_file_is_refused(
        self, tmp_path: Path, under: str, dry: list[str]
    ) -> None:
        """-o pointing at a file, or under one, exits 2 naming the file; a dry run promised
        to write under it."""
        (tmp_path / "out").write_text("x", encoding="utf-8")
        out = tmp_path / "out" / under
        result = run("packet", "ai-engineer", "--candidate", "Ada", *ARGS, "-o", str(out), *dry)
        assert result.exit_code == 2, result.output
        assert f"{tmp_path / 'out'} is a file, not a folder" in result.output

    @pytest.mark.parametrize("under", ["", "/scorecards", "/more/out"])
    @pytest.mark.parametrize("dry", [[], ["--dry-run"]])
    def test_an_output_path_in_a_packet_folder_is_refused(
        self, tmp_path: Path, under: str, dry: list[str]
    ) -> None:
        """Bob's packet written into Ada's folder was made, and nothing listed it after:
        status, report and calibrate read the packets side by side."""
        out = tmp_path / "out"
        assert run("packet", "ai-engineer", "--candidate", "Ada", *ARGS, "-o", out).exit_code == 0
        (ada,) = out.iterdir()
        before = sorted(ada.rglob("*"))
        result = run(
            "packet", "ai-engineer", "--candidate", "Bob", *ARGS, "-o", f"{ada}{under}", *dry
        )
        assert result.exit_code == 2, result.output
        said = "is a packet folder" if not under else f"is inside the packet folder {ada}"
        assert f"error: --output: {ada}{under} {said} (write packets beside it, in {out})" in (
            result.output
        )
        assert sorted(ada.rglob("*")) == before

    def test_an_output_path_is_judged_where_it_really_is(self, here: Path) -> None:
        """A link into a packet folder got past the check, which read the path as typed;
        the packet folder's own .. was refused, though it is where packets go; and one set
        in loopkit.toml was named as -o."""
        assert run("packet", "ai-engineer", "--candidate", "Ada", *ARGS).exit_code == 0
        (ada,) = (here / "out").iterdir()
        (here / "into").symlink_to(ada / "scorecards")
        bob = ["packet", "ai-engineer", "--candidate", "Bob", *ARGS, "--dry-run"]
        linked = run(*bob, "-o", "into/x")
        assert linked.exit_code == 2, linked.output
        assert f"into/x is inside the packet folder {ada}" in linked.output
        beside = run(*bob, "-o", f"out/{ada.name}/..")
        assert beside.exit_code == 0, beside.output
        assert f"would write out/{ada.name}/../" in beside.output
        (here / "loopkit.toml").write_text('# the team\noutput = "into"\n')
        set_there = run(*bob)
        assert set_there.exit_code == 1, set_there.output
        assert (
            f"error: loopkit.toml:2: output: {here / 'into'} is inside the packet folder {ada}"
        ) in set_there.output

    @pytest.mark.parametrize("dry", [[], ["--dry-run"]])
    def test_an_output_path_through_a_link_to_nowhere_is_refused(
        self, tmp_path: Path, dry: list[str]
    ) -> None:
        """A dry run promised to write through a dangling link or a link loop."""
        (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
        (tmp_path / "loop").symlink_to(tmp_path / "loop")
        for out in (tmp_path / "gone", tmp_path / "gone" / "sub", tmp_path / "loop"):
            result = run("packet", "ai-engineer", "--candidate", "Ada", *ARGS, "-o", str(out), *dry)
            assert result.exit_code == 2, result.output
            assert "is a link that leads to no folder" in result.output
        assert sorted(p.name for p in tmp_path.iterdir()) == ["gone", "loop"]

    def test_a_failure_while_rendering_leaves_nothing_behind(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A crash in one renderer leaves neither a packet folder nor a partial one."""
        monkeypatch.setattr(itinerary, "render_itinerary", _broken_render)
        result = run(
            "packet", "ai-engineer", "--candidate", "Ada", *ARGS, "-o", str(tmp_path / "out")
        )
        assert result.exit_code == 1
        assert "internal error: OSError: disk full" in result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []

    def test_paper_a4(self, tmp_path: Path) -> None:
        """--paper a4 gives A4 pages."""
        folder = make_packet(tmp_path, "--paper", "a4")
        box = PdfReader(folder / "packet.pdf").pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)

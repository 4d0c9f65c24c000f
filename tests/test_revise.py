"""Packet revisions: a loop that changes never loses a filled scorecard (SPEC 8.1)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopkit._data import bundled_dir
from loopkit._readback import read_lock
from loopkit.cli import cli
from tests.helpers import pdf_text

PANEL = {
    "llm-coding": "Sam Lee <sam@example.com>",
    "llm-system-design": "Ana Souza",
    "past-llm-feature-deep-dive": "Priya Raman; Jo Park <jo@example.com>",
    "prompt-engineering-exercise": "Kim Yu",
}
EVIDENCE = (
    "Walked through the retrieval pipeline end to end, named the failure it was built to fix, "
    "and showed the evaluation set they had labelled by hand before changing anything. "
) * 12  # about 300 words, as a careful interviewer writes


def run(*args: str | Path) -> Result:
    """The CLI in-process, from the current folder."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def packet_args(
    panel: dict[str, str], day: str = "2026-12-03", loop: str = "ai-engineer"
) -> list[str]:
    args = [
        "packet",
        loop,
        "--candidate",
        "Ada Lovelace",
        "--date",
        day,
        "--tz",
        "America/New_York",
        "-o",
        "out",
    ]
    for interview, people in panel.items():
        for person in people.split(";"):
            args += ["--interviewer", f"{interview}={person.strip()}"]
    return args


def fill(path: Path, recommendation: int = 3, rating: int | str = 3) -> bytes:
    """Fill every value of a blank scorecard as an interviewer would; return the bytes."""
    text = path.read_text("utf-8")
    text = text.replace("recommendation = 0", f"recommendation = {recommendation}", 1)
    shown = f'"{rating}"' if isinstance(rating, str) else str(rating)
    text = re.sub(r"(?m)^([a-z0-9-]+) = 0 ", rf"\1 = {shown} ", text)
    text = re.sub(r'(?m)^([a-z0-9-]+) = ""$', rf'\1 = "{EVIDENCE}"', text)
    text = text.replace('notes = ""', f'notes = """{EVIDENCE}\nSecond paragraph of notes."""')
    path.write_text(text, "utf-8")
    return path.read_bytes()


def back_lines(output: str) -> list[str]:
    """The "back as it was" lines of a revision's report."""
    return [x for x in output.splitlines() if "back as it was" in x]


def kim_back(card: str) -> str:
    """The line of Kim's seat back as it was, with ``card`` to copy back."""
    return (
        f"  back as it was: prompt-engineering-exercise--kim-yu (its scorecard {card} is valid "
        "again: copy it back into scorecards/, or give it with debrief --scorecard)"
    )


def filled_files(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` that holds a filled rating, by its path below ``out``."""
    found = {}
    for path in out.rglob("*.toml"):
        text = path.read_text("utf-8")
        if "recommendation = 0" not in text and "[ratings]" in text:
            found[path.relative_to(out).as_posix()] = path.read_bytes()
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team's own copy of the built-in loops, with room in the window for one more interview."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(bundled_dir("loops"), tmp_path / "loops")
    shutil.copytree(bundled_dir("scorecards"), tmp_path / "scorecards")
    loop = tmp_path / "loops" / "ai-engineer.toml"
    loop.write_text(
        loop.read_text("utf-8").replace(
            'length = { min = "4h", max = "4h" }', 'length = { min = "4h", max = "6h" }'
        ),
        "utf-8",
    )
    return tmp_path


def add_interview(project: Path) -> None:
    with (project / "loops" / "ai-engineer.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[[interviews]]\nid = "behavioral"\ntitle = "Behavioral"\nkind = "behavioral"\n'
            'length = "30m"\nweight = 1\nscorecard = "behavioral"\n'
        )


def change_anchor(project: Path) -> None:
    card = project / "scorecards" / "prompt-engineering-exercise.toml"
    text = card.read_text("utf-8")
    old = "Starts rewriting the prompt without looking at which examples fail or why."
    assert old in text
    card.write_text(
        text.replace(old, "Rewrites the prompt before reading a single failure."), "utf-8"
    )


class TestTheWholeStory:
    def test_a_revision_keeps_every_filled_byte_and_supersedes_only_changed_seats(
        self, project: Path
    ) -> None:
        """Move the day, swap one interviewer, change a rubric, add an interview: nothing filled is lost."""
        first = run(*packet_args(PANEL))
        assert first.exit_code == 0, first.output
        old = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        cards = old / "scorecards"
        sam = fill(cards / "llm-coding--sam-lee.toml")
        priya = fill(cards / "past-llm-feature-deep-dive--priya-raman.toml", 4, 4)
        kim = fill(cards / "prompt-engineering-exercise--kim-yu.toml", 2, 2)
        before = filled_files(project / "out")
        assert len(before) == 3

        change_anchor(project)
        add_interview(project)
        panel = dict(PANEL, **{"llm-system-design": "Lee Chen", "behavioral": "Noor Haddad"})
        second = run(*packet_args(panel, day="2026-12-04"))
        assert second.exit_code == 0, second.output
        new = project / "out" / "2026-12-04-ada-lovelace-ai-engineer"
        assert not old.exists()
        assert "updated" in second.output
        assert "revision 2" in second.output

        # the two unchanged seats keep their filled cards byte for byte
        assert (new / "scorecards" / "llm-coding--sam-lee.toml").read_bytes() == sam
        assert (
            new / "scorecards" / "past-llm-feature-deep-dive--priya-raman.toml"
        ).read_bytes() == priya
        # the changed template's card moved, with its reason
        moved = (
            new / "superseded" / "r1" / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
        )
        assert moved.read_bytes() == kim
        why = (new / "superseded" / "r1" / "WHY.txt").read_text("utf-8")
        assert "scorecards/prompt-engineering-exercise--kim-yu.toml:" in why
        assert "prompt-engineering-exercise" in why
        # new seats get blanks; the swapped-out interviewer's untouched blank is gone
        for stem in (
            "llm-system-design--lee-chen",
            "behavioral--noor-haddad",
            "prompt-engineering-exercise--kim-yu",
        ):
            blank = tomllib.loads((new / "scorecards" / f"{stem}.toml").read_text("utf-8"))
            assert blank["recommendation"] == 0, stem
        assert not (new / "scorecards" / "llm-system-design--ana-souza.toml").exists()
        # the lock says revision 2 and what changed
        lock, _ = read_lock(new)
        assert lock.packet.revision == 2
        assert [h.revision for h in lock.history] == [1, 2]
        changes = lock.history[-1].changes
        assert "date: 2026-12-03 -> 2026-12-04" in changes
        assert "interview added: behavioral" in changes
        assert "llm-system-design: interviewer removed: Ana Souza" in changes
        assert "llm-system-design: interviewer added: Lee Chen" in changes
        assert (
            "prompt-engineering-exercise: scorecard prompt-engineering-exercise changed" in changes
        )
        # nothing filled is lost anywhere: every filled byte is still in the output
        after = filled_files(project / "out")
        assert sorted(before.values()) == sorted(after.values())

        # the kept cards are accepted by the debrief of revision 2
        result = run("debrief", new, "--allow-missing")
        assert result.exit_code == 0, result.output
        assert "Sam Lee" in result.output
        assert "Priya Raman" in result.output
        assert "INCOMPLETE" in result.output

    def test_a_moved_debrief_goes_to_superseded_and_the_dry_run_writes_nothing(
        self, project: Path
    ) -> None:
        """--dry-run lists the change and touches no file; the real run supersedes the old debrief."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        for card in (folder / "scorecards").glob("*.toml"):
            fill(card)
        debriefed = run("debrief", folder)
        assert debriefed.exit_code == 0, debriefed.output
        snapshot = {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}

        panel = dict(PANEL, **{"llm-coding": "Sam Lee <sam@example.com>; Rui Costa"})
        dry = run(*packet_args(panel), "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert "would update" in dry.output
        assert "llm-coding: interviewer added: Rui Costa" in dry.output
        assert "would superseded: debrief.toml" in dry.output or "debrief.toml" in dry.output
        # the cards whose seats stay: kept, as a dry run says it
        assert "  would keep: scorecards/past-llm-feature-deep-dive--priya-raman.toml" in dry.output
        assert {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()} == snapshot

        real = run(*packet_args(panel))
        assert real.exit_code == 0, real.output
        assert not (folder / "debrief.toml").exists()
        assert (folder / "superseded" / "r1" / "debrief.toml").read_bytes() == snapshot[
            folder / "debrief.toml"
        ]
        assert "debrief.toml: the debrief of revision 1" in (
            folder / "superseded" / "r1" / "WHY.txt"
        ).read_text("utf-8")
        # every filled card is still there, and still valid
        assert run("debrief", folder, "--allow-missing").exit_code == 0

    def test_a_file_a_person_added_stays_and_a_hand_edited_pdf_is_kept_aside(
        self, project: Path
    ) -> None:
        """Files loopkit did not write are carried over; one it rewrites is kept in superseded/."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        (folder / "notes.md").write_text("Candidate asked about on-call.", "utf-8")
        (folder / "itinerary.pdf").write_bytes(b"%PDF annotated by hand")
        result = run(*packet_args(PANEL, day="2026-12-05"))
        assert result.exit_code == 0, result.output
        moved = project / "out" / "2026-12-05-ada-lovelace-ai-engineer"
        assert (moved / "notes.md").read_text("utf-8") == "Candidate asked about on-call."
        assert (
            moved / "superseded" / "r1" / "itinerary.pdf"
        ).read_bytes() == b"%PDF annotated by hand"
        assert (moved / "itinerary.pdf").read_bytes().startswith(b"%PDF-")


class TestUnassignedSeats:
    def test_the_name_written_into_an_unassigned_card_is_taken(self, project: Path) -> None:
        """The blank has an empty interviewer; the debrief takes the name written there, on the panel."""
        run(*packet_args({"past-llm-feature-deep-dive": "Priya Raman"}))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        for card in (folder / "scorecards").glob("*.toml"):
            fill(card)
        coding = folder / "scorecards" / "llm-coding.toml"
        assert 'interviewer = ""' in coding.read_text("utf-8")
        coding.write_text(
            coding.read_text("utf-8").replace('interviewer = ""', 'interviewer = "Sam Lee"'),
            "utf-8",
        )
        for name in ("llm-system-design", "prompt-engineering-exercise"):
            path = folder / "scorecards" / f"{name}.toml"
            path.write_text(
                path.read_text("utf-8").replace('interviewer = ""', 'interviewer = "Kim Yu"'),
                "utf-8",
            )
        result = run("debrief", folder)
        assert result.exit_code == 0, result.output
        assert "Sam Lee" in result.output
        assert "not on the panel" not in result.output


class TestAllProblemsAtOnce:
    def test_three_bad_cards_are_three_findings_in_one_run(self, project: Path) -> None:
        """Every problem of every card is listed with file, line and key; nothing is written."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        for card in (folder / "scorecards").glob("*.toml"):
            fill(card)
        sam = folder / "scorecards" / "llm-coding--sam-lee.toml"
        sam.write_text(
            sam.read_text("utf-8").replace("recommendation = 3", "recommendation = 7"), "utf-8"
        )
        ana = folder / "scorecards" / "llm-system-design--ana-souza.toml"
        ana.write_text(
            ana.read_text("utf-8").replace("architecture = 3", "architecure = 3"), "utf-8"
        )
        kim = folder / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
        kim.write_text(
            kim.read_text("utf-8").replace("recommendation = 3", 'recommendation = "yes"'), "utf-8"
        )
        result = run("debrief", folder)
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert any(
            re.search(r"llm-coding--sam-lee\.toml:\d+: recommendation: must be 1-4, got 7", x)
            for x in lines
        ), lines
        assert any(
            re.search(
                r"llm-system-design--ana-souza\.toml:\d+: ratings\.architecture: missing rating .*'architecure'",
                x,
            )
            for x in lines
        ), lines
        assert any(
            re.search(r"prompt-engineering-exercise--kim-yu\.toml:\d+: recommendation:", x)
            for x in lines
        ), lines
        assert not (folder / "debrief.toml").exists()


OPS = st.lists(
    st.sampled_from(["day", "swap", "add-person", "anchor", "interview", "weight", "fill", "same"]),
    min_size=1,
    max_size=5,
)


class TestRevisionProperty:
    @settings(
        max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(ops=OPS)
    def test_no_sequence_of_revisions_loses_a_filled_card_or_keeps_a_stale_one(
        self, project: Path, ops: list[str]
    ) -> None:
        """Random changes: every filled byte survives, and only seats that did not change keep a card."""
        out = project / "out"
        shutil.rmtree(out, ignore_errors=True)
        for name in ("loops", "scorecards"):
            shutil.rmtree(project / name)
            shutil.copytree(bundled_dir(name), project / name)
        loop = project / "loops" / "ai-engineer.toml"
        loop.write_text(loop.read_text("utf-8").replace('max = "4h"', 'max = "8h"'), "utf-8")
        panel = dict(PANEL)
        day, people, extra = 3, 0, 0
        assert run(*packet_args(panel, f"2026-12-0{day}")).exit_code == 0
        filled_for: dict[
            bytes, str
        ] = {}  # each filled card -> the seat fingerprint it was filled for
        for op in ops:
            (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
            if op == "fill":
                lock, _ = read_lock(folder)
                for seat in lock.seats:
                    card = folder / "scorecards" / f"{seat.stem}.toml"
                    if "recommendation = 0" in card.read_text("utf-8"):
                        filled_for[fill(card)] = seat.fingerprint
                        break
            elif op == "day":
                day = 3 + (day - 2) % 5
            elif op == "swap":
                people += 1
                panel["llm-system-design"] = f"Person Number{people}"
            elif op == "add-person":
                people += 1
                panel["llm-coding"] += f"; Extra Person{people}"
            elif op == "anchor":
                change_anchor_again(project, people + extra)
                extra += 1
            elif op == "interview" and "behavioral" not in panel:
                add_interview(project)
                panel["behavioral"] = "Noor Haddad"
            elif op == "weight":
                text = loop.read_text("utf-8")
                loop.write_text(text.replace("weight = 1\n", "weight = 1.5\n", 1), "utf-8")
            before = filled_files(out)
            result = run(*packet_args(panel, f"2026-12-0{day}"))
            assert result.exit_code == 0, result.output
            after = filled_files(out)
            assert sorted(before.values()) == sorted(after.values())  # nothing filled is lost
            (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
            lock, _ = read_lock(folder)
            prints = {s.stem: s.fingerprint for s in lock.seats}
            for rel, data in after.items():
                stem = Path(rel).stem
                if rel.split("/")[1] == "scorecards":  # kept in place: its seat is unchanged
                    assert prints.get(stem) == filled_for[data], rel
                else:  # superseded: its seat changed or went
                    assert prints.get(stem) != filled_for[data], rel
            assert run("debrief", folder, "--allow-missing").exit_code == 0


def change_anchor_again(project: Path, n: int) -> None:
    card = project / "scorecards" / "prompt-engineering-exercise.toml"
    text = card.read_text("utf-8")
    card.write_text(
        re.sub(r'1 = "[^"]*"', f'1 = "Anchor text number {n}."', text, count=1), "utf-8"
    )


class TestBatchRerun:
    def test_an_edited_row_is_updated_and_the_others_left_alone(self, project: Path) -> None:
        """Start 09:00 -> 11:00 on one row: that packet moves, its filled card stays, counts say so."""
        rows = "candidate,loop,date,start,tz,panel:llm-coding\n"
        first = (
            rows
            + "Ada Lovelace,ai-engineer,2026-12-03,09:00,UTC,Sam Lee\nBo Chen,ai-engineer,2026-12-03,09:00,UTC,Kim Yu\n"
        )
        Path("c.csv").write_text(first, "utf-8")
        assert run("batch", "c.csv", "-o", "out", "--jobs", "1").exit_code == 0
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        sam = fill(folder / "scorecards" / "llm-coding--sam-lee.toml")
        Path("c.csv").write_text(first.replace("09:00,UTC,Sam Lee", "11:00,UTC,Sam Lee"), "utf-8")
        result = run("batch", "c.csv", "-o", "out", "--jobs", "1")
        assert result.exit_code == 0, result.output
        assert "0 written, 1 updated, 1 unchanged" in result.output
        # as packet says it: a coordinator sees the filled card was kept
        assert "    kept: scorecards/llm-coding--sam-lee.toml" in result.output
        lock, _ = read_lock(folder)
        assert lock.packet.start.startswith("2026-12-03T11:00")
        assert lock.history[-1].changes == ["start: 09:00 -> 11:00"]
        assert (folder / "scorecards" / "llm-coding--sam-lee.toml").read_bytes() == sam


class TestFoundInTrials:
    def test_after_a_revision_the_same_command_writes_nothing(self, project: Path) -> None:
        """Revision 2, then the same command again: nothing changed, nothing written."""
        run(*packet_args(PANEL))
        assert run(*packet_args(PANEL, day="2026-12-04")).exit_code == 0
        folder = project / "out" / "2026-12-04-ada-lovelace-ai-engineer"
        before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        again = run(*packet_args(PANEL, day="2026-12-04"))
        assert "is up to date (revision 2): nothing changed" in again.output
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before

    def test_a_seat_that_comes_back_accepts_its_old_card(self, project: Path) -> None:
        """Kim is swapped out (card superseded), then back: her old card counts again."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        kim = fill(folder / "scorecards" / "prompt-engineering-exercise--kim-yu.toml")
        run(*packet_args(dict(PANEL, **{"prompt-engineering-exercise": "Jo Park"})))
        assert (
            folder / "superseded" / "r1" / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
        ).read_bytes() == kim
        back = run(*packet_args(PANEL))
        assert back.exit_code == 0, back.output
        assert (
            "back as it was: prompt-engineering-exercise--kim-yu (its scorecard "
            "superseded/r1/scorecards/prompt-engineering-exercise--kim-yu.toml is valid again: "
            "copy it back into scorecards/"
        ) in back.output  # not by itself
        (folder / "scorecards" / "prompt-engineering-exercise--kim-yu.toml").write_bytes(kim)
        result = run("debrief", folder, "--allow-missing")
        assert result.exit_code == 0, result.output
        assert "Kim Yu" in result.output

    def test_a_card_in_an_unassigned_seat_given_away_says_where_to_carry_it(
        self, project: Path
    ) -> None:
        """A card filled in the unassigned seat, then Omar assigned there: it went to
        superseded/ as "the seat is gone", saying nothing of whose it may be or where its
        ratings go now."""
        panel = {k: v for k, v in PANEL.items() if k != "prompt-engineering-exercise"}
        run(*packet_args(panel))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        card = fill(folder / "scorecards" / "prompt-engineering-exercise.toml")
        omar = dict(panel, **{"prompt-engineering-exercise": "Omar Haddad; Kim Yu"})
        result = run(*packet_args(omar))
        assert result.exit_code == 0, result.output
        why = (
            "scorecards/prompt-engineering-exercise.toml: the unassigned seat in "
            "prompt-engineering-exercise is gone, given to Omar Haddad, Kim Yu: a card written "
            "there by one of them counts once its ratings and words are copied into that "
            "person's new blank (scorecards/prompt-engineering-exercise--omar-haddad.toml or "
            "scorecards/prompt-engineering-exercise--kim-yu.toml)"
        )
        assert f"moved to superseded/: {why}" in result.output
        moved = folder / "superseded" / "r1"
        assert (moved / "scorecards" / "prompt-engineering-exercise.toml").read_bytes() == card
        assert (moved / "WHY.txt").read_text("utf-8") == why + "\n"

    def test_a_seat_back_names_its_card_kept_under_a_name_of_its_own(self, project: Path) -> None:
        """Kim saved her card as kim_final.toml (as debrief --scorecard keeps one), then was
        swapped out and back: the line named no card, and she would be asked for it again."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        blank = folder / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
        own = folder / "scorecards" / "kim_final.toml"
        own.write_bytes(blank.read_bytes())
        kim = fill(own)
        run(*packet_args(dict(PANEL, **{"prompt-engineering-exercise": "Jo Park"})))
        assert (folder / "superseded" / "r1" / "scorecards" / "kim_final.toml").read_bytes() == kim
        back = run(*packet_args(PANEL))
        assert (
            "back as it was: prompt-engineering-exercise--kim-yu (its scorecard "
            "superseded/r1/scorecards/kim_final.toml is valid again"
        ) in back.output, back.output

    def test_a_seat_back_names_its_newest_filled_card_only(self, project: Path) -> None:
        """Kim out and back twice: her card of revision 1 in superseded/r1, the copy she put
        back and finished in superseded/r3 beside a blank she kept as a draft. Back again, the
        line named all three; the one to copy back is the newest filled card."""
        kim_yu = "prompt-engineering-exercise--kim-yu.toml"
        swapped = dict(PANEL, **{"prompt-engineering-exercise": "Jo Park"})
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        first = fill(folder / "scorecards" / kim_yu)
        run(*packet_args(swapped))
        run(*packet_args(PANEL))  # revision 3: she is back, and copies her card back
        card = folder / "scorecards" / kim_yu
        (folder / "scorecards" / "kim_draft.toml").write_bytes(card.read_bytes())  # a blank
        finished = first.replace(b"Second paragraph", b"Then the rest")
        card.write_bytes(finished)
        run(*packet_args(swapped))
        moved = folder / "superseded" / "r3" / "scorecards"
        assert (moved / "kim_draft.toml").is_file()
        assert (moved / kim_yu).read_bytes() == finished
        back = run(*packet_args(PANEL))
        assert back.exit_code == 0, back.output
        assert back_lines(back.output) == [kim_back(f"superseded/r3/scorecards/{kim_yu}")]

    def test_a_seat_back_with_two_cards_asks_for_the_one_that_counts(self, project: Path) -> None:
        """Kim's seat card and a second card of hers (kim_final.toml), both filled: the line
        said "copy them back", and the debrief refuses the two together."""
        kim_yu = "prompt-engineering-exercise--kim-yu.toml"
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        blank = (folder / "scorecards" / kim_yu).read_bytes()
        fill(folder / "scorecards" / kim_yu)
        (folder / "scorecards" / "kim_final.toml").write_bytes(blank)
        fill(folder / "scorecards" / "kim_final.toml", 2, 2)
        run(*packet_args({"prompt-engineering-exercise": "Jo Park"}))
        back = run(*packet_args({"prompt-engineering-exercise": "Kim Yu"}))
        assert back_lines(back.output) == [
            "  back as it was: prompt-engineering-exercise--kim-yu (its scorecards "
            f"superseded/r1/scorecards/kim_final.toml, superseded/r1/scorecards/{kim_yu} are "
            "valid again: copy the one that counts back into scorecards/, or give the one that "
            "counts with debrief --scorecard)"
        ], back.output

    def test_a_seat_back_never_names_a_card_made_for_it_as_it_was_in_between(
        self, project: Path
    ) -> None:
        """Kim's template changed, she filled the new blank, was swapped out, then came back
        on the first template: the card she filled on the changed one (superseded/r2) is not
        valid for her seat as it is again; her first one is."""
        kim_yu = "prompt-engineering-exercise--kim-yu.toml"
        template = project / "scorecards" / "prompt-engineering-exercise.toml"
        before = template.read_bytes()
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        fill(folder / "scorecards" / kim_yu)
        change_anchor(project)
        run(*packet_args(PANEL))
        fill(folder / "scorecards" / kim_yu, 2, 2)  # on the changed template
        run(*packet_args(dict(PANEL, **{"prompt-engineering-exercise": "Jo Park"})))
        template.write_bytes(before)
        back = run(*packet_args(PANEL))
        assert back.exit_code == 0, back.output
        assert (folder / "superseded" / "r2" / "scorecards" / kim_yu).is_file()
        assert back_lines(back.output) == [kim_back(f"superseded/r1/scorecards/{kim_yu}")]
        card = folder / "superseded" / "r1" / "scorecards" / kim_yu
        (folder / "scorecards" / kim_yu).write_bytes(card.read_bytes())
        result = run("debrief", folder, "--allow-missing")
        assert result.exit_code == 0, result.output

    def test_a_seat_back_with_no_card_filled_points_to_none(self, project: Path) -> None:
        """Kim swapped out before she filled her card, then back: no card in superseded/
        to look for, and the dry run of it says so too."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        run(*packet_args(dict(PANEL, **{"prompt-engineering-exercise": "Jo Park"})))
        assert not (folder / "superseded").exists()
        for dry in (["--dry-run"], []):
            back = run(*packet_args(PANEL), *dry)
            assert back.exit_code == 0, back.output
            lines = [x for x in back.output.splitlines() if "back as it was" in x]
            assert lines == ["  back as it was: prompt-engineering-exercise--kim-yu"], back.output

    def test_a_card_copied_for_another_person_is_a_second_card_for_the_seat(
        self, project: Path
    ) -> None:
        """Sam's filled card copied under Mallory's name claims Sam's seat twice: an error."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        sam = folder / "scorecards" / "llm-coding--sam-lee.toml"
        fill(sam)
        text = sam.read_text("utf-8").replace('interviewer = "Sam Lee"', 'interviewer = "Mallory"')
        (folder / "scorecards" / "llm-coding--mallory.toml").write_text(text, "utf-8")
        result = run("debrief", folder, "--allow-missing")
        assert result.exit_code == 1
        assert "a second scorecard for the seat llm-coding--sam-lee" in result.output
        (folder / "scorecards" / "llm-coding--mallory.toml").write_text(
            re.sub(r"(?m)^seat = .*\n", "", text), "utf-8"
        )
        result = run("debrief", folder, "--allow-missing")
        assert result.exit_code == 1
        assert re.search(
            r"llm-coding--mallory\.toml:\d+: seat: no seat in this packet", result.output
        )

    @pytest.mark.parametrize("suffix", [".toml", ".pdf"])
    def test_a_card_kept_under_its_own_name_goes_with_its_seat(
        self, project: Path, suffix: str
    ) -> None:
        """debrief --scorecard keeps a card under the name it came with; a revision that
        takes its seat away moves it to superseded/ by the seat it names, and the next
        debrief runs (it said "no longer in the packet; see superseded/" of a card still
        in scorecards/)."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        jo = folder / "scorecards" / f"past-llm-feature-deep-dive--jo-park{suffix}"
        mail = project / "mail"
        mail.mkdir()
        if suffix == ".toml":
            fill(jo)
        else:
            from tests.test_fillable import competencies, fill_pdf

            stem = jo.stem
            fill_pdf(jo, 3, dict.fromkeys(competencies(folder, stem), 3))
        shutil.move(jo, mail / f"jo-card{suffix}")
        result = run("debrief", folder, "--scorecard", mail / f"jo-card{suffix}", "--allow-missing")
        assert result.exit_code == 0, result.output
        kept = (folder / "scorecards" / f"jo-card{suffix}").read_bytes()
        without_jo = {**PANEL, "past-llm-feature-deep-dive": "Priya Raman"}
        result = run(*packet_args(without_jo))
        assert result.exit_code == 0, result.output
        assert not (folder / "scorecards" / f"jo-card{suffix}").exists()
        assert (
            folder / "superseded" / "r1" / "scorecards" / f"jo-card{suffix}"
        ).read_bytes() == kept
        why = (folder / "superseded" / "r1" / "WHY.txt").read_text("utf-8")
        assert f"scorecards/jo-card{suffix}: Jo Park <jo@example.com> no longer interviews" in why
        result = run("debrief", folder, "--allow-missing")
        assert result.exit_code == 0, result.output

    def test_a_card_named_in_capitals_goes_with_its_seat(self, project: Path) -> None:
        """jo.TOML is not counted (debrief names it), but it is Jo's card: when Jo's seat goes,
        it goes to superseded/ with it, not left to be renamed into a refusal."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        jo = folder / "scorecards" / "past-llm-feature-deep-dive--jo-park.toml"
        fill(jo)
        capitals = jo.rename(folder / "scorecards" / "jo.TOML")
        result = run(*packet_args({**PANEL, "past-llm-feature-deep-dive": "Priya Raman"}))
        assert result.exit_code == 0, result.output
        assert "moved to superseded/: scorecards/jo.TOML: Jo Park" in result.output
        assert not capitals.exists()
        assert (folder / "superseded" / "r1" / "scorecards" / "jo.TOML").is_file()

    def test_a_card_where_a_new_seat_writes_its_blank_is_put_aside(self, project: Path) -> None:
        """A file in the place of a new seat's blank is moved aside as changed by hand, and the
        blank written, even when it is a card of a seat the revision keeps."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        ana = folder / "scorecards" / "llm-system-design--ana-souza.toml"
        fill(ana)
        alan = folder / "scorecards" / "past-llm-feature-deep-dive--alan-turing.toml"
        shutil.copy(ana, alan)
        result = run(
            *packet_args({**PANEL, "past-llm-feature-deep-dive": "Priya Raman; Alan Turing"})
        )
        assert result.exit_code == 0, result.output
        assert "recommendation = 0" in alan.read_text("utf-8")  # Alan's blank
        assert (
            folder / "superseded" / "r1" / "scorecards" / alan.name
        ).read_bytes() == ana.read_bytes()
        why = (folder / "superseded" / "r1" / "WHY.txt").read_text("utf-8")
        assert f"scorecards/{alan.name}: a scorecard for llm-system-design--ana-souza," in why
        assert "to count it, put it back in scorecards/ under a name of its own" in why

    def test_a_card_of_a_seat_gone_where_a_new_seat_goes_says_its_seat_is_gone(
        self, project: Path
    ) -> None:
        """The unassigned llm-coding card, filled and saved as Sam's when the revision gives
        Sam that seat: WHY.txt gives the gone seat's reason, not advice that then fails."""
        panel = {k: v for k, v in PANEL.items() if k != "llm-coding"}
        run(*packet_args(panel))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        card = folder / "scorecards" / "llm-coding.toml"
        fill(card)
        card.rename(folder / "scorecards" / "llm-coding--sam-lee.toml")
        result = run(*packet_args({**panel, "llm-coding": "Sam Lee <sam@example.com>"}))
        assert result.exit_code == 0, result.output
        why = (folder / "superseded" / "r1" / "WHY.txt").read_text("utf-8")
        (line,) = [w for w in why.splitlines() if w.startswith("scorecards/llm-coding--sam-lee")]
        assert "put it back" not in line, line
        assert "changed by hand" not in line, line

    @pytest.mark.parametrize("place", ["superseded", "superseded/r1"])
    def test_a_file_named_as_the_superseded_folder_is_moved_and_said(
        self, project: Path, place: str
    ) -> None:
        """A file called superseded (or superseded/r1) was said to be kept and ended up
        inside the folder of that name; it is now moved with a line like any file in the way."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        (folder / place).parent.mkdir(parents=True, exist_ok=True)
        (folder / place).write_text("mine\n", "utf-8")
        args = packet_args({**PANEL, "llm-coding": "Lu Wei"})
        dry = run(*args, "--dry-run")
        result = run(*args)
        assert result.exit_code == 0, result.output
        line = f"{place}: where revision 2 writes a folder"
        assert f"would move to superseded/: {line}" in dry.output
        assert f"moved to superseded/: {line}" in result.output
        assert (folder / "superseded" / "r1" / place).read_text("utf-8") == "mine\n"

    def test_a_file_that_cannot_be_read_stops_the_revision_before_anything_moves(
        self, project: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file only its owner may read (here: a read that fails): named, exit 1, the packet
        as it was."""
        from loopkit import _folder

        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        (folder / "scorecards" / "mine.toml").write_text("note = 'private'\n", "utf-8")
        before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        digest = _folder._digest

        def refused(path: Path) -> str:
            if path.name == "mine.toml":
                raise PermissionError(13, "Permission denied", str(path))
            return digest(path)

        monkeypatch.setattr(_folder, "_digest", refused)
        result = run(*packet_args({**PANEL, "llm-coding": "Lu Wei"}))
        assert result.exit_code == 1
        assert "mine.toml cannot be read: Permission denied" in result.output
        assert "internal error" not in result.output
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before

    @pytest.mark.parametrize("value", ["2.5", "true", '["3"]'])
    def test_a_rating_of_the_wrong_kind_gets_one_plain_message(
        self, project: Path, value: str
    ) -> None:
        """2.5, true or a list: one line, as for 5, at the rating's key and line."""
        run(*packet_args(PANEL))
        card = (
            project
            / "out"
            / "2026-12-03-ada-lovelace-ai-engineer"
            / "scorecards"
            / "llm-coding--sam-lee.toml"
        )
        fill(card)
        card.write_text(
            card.read_text("utf-8").replace("testing = 3 ", f"testing = {value} "), "utf-8"
        )
        result = run("debrief", card.parent.parent, "--allow-missing")
        assert result.exit_code == 1
        lines = [x for x in result.output.splitlines() if "ratings.testing" in x]
        assert len(lines) == 1, result.output
        assert 'ratings.testing: must be 1-4 or "no signal"' in lines[0]

    @pytest.mark.parametrize(
        "args",
        [
            # a day far ahead: no warning about a day gone by, whenever the test runs
            ["plan", "ai-engineer", "--tz", "UTC", "--date", "2099-12-03"],
            ["plan", "--help"],
            ["--help"],
            ["--version"],
        ],
    )
    def test_output_cut_short_by_a_pipe_is_no_internal_error(
        self, project: Path, args: list[str]
    ) -> None:
        """`loopkit plan ... | head`: the reader is gone before loopkit writes; no complaint,
        and the exit a shell gives a command stopped by SIGPIPE (141), not 1, a failed check."""
        with subprocess.Popen(
            [sys.executable, "-m", "loopkit", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as running:
            assert running.stdout is not None
            assert running.stderr is not None
            running.stdout.close()  # before the interpreter has started: every write fails
            stderr = running.stderr.read()
        assert (running.returncode, stderr) == (141, "")

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
    @pytest.mark.parametrize(
        "args",
        [["plan", "ai-engineer", "--tz", "UTC", "--date", "2099-12-03"], ["validate"], ["--help"]],
    )
    def test_a_full_disk_on_standard_output_is_said_plainly(
        self, project: Path, args: list[str]
    ) -> None:
        """`loopkit ... > /dev/full`: one line saying so and exit 1, not an internal error."""
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "loopkit", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert done.returncode == 1
        assert done.stderr == "error: standard output cannot be written: No space left on device\n"

    @pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell closes the stream")
    @pytest.mark.parametrize(
        ("args", "code"),
        [(["--version"], 1), (["validate"], 1), (["-q", "packet", "ai-engineer", "--date",
          "2099-12-03", "--tz", "UTC", "--candidate", "Ada Lovelace"], 0)],
    )  # fmt: skip
    def test_a_closed_standard_output_is_said_plainly(
        self, project: Path, args: list[str], code: int
    ) -> None:
        """`loopkit ... >&-`: what a command prints is not dropped unsaid (it exited 0); one
        that prints nothing runs as usual, and no file it writes takes the stream's place."""
        command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "loopkit", *args))
        done = subprocess.run(
            f"{command} >&-", shell=True, capture_output=True, text=True, check=False
        )
        assert done.returncode == code, done.stderr
        if code:
            assert done.stderr == (
                "error: standard output cannot be written: it was closed when loopkit started\n"
            )
        else:
            assert done.stderr == ""
            lock = project / "out" / "2099-12-03-ada-lovelace-ai-engineer" / "loop.lock.toml"
            assert lock.read_text("utf-8").startswith("# loopkit lock file")


class TestWhatAPersonPutInTheFolder:
    def test_links_are_carried_as_links_and_never_followed(self, project: Path) -> None:
        """A link to /dev/zero or to a folder outside stays a link; nothing reads through it."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        outside = project / "elsewhere"
        outside.mkdir()
        (folder / "zero").symlink_to("/dev/zero")
        (folder / "shared").symlink_to(outside)
        result = run(*packet_args(PANEL, day="2026-12-04"))
        assert result.exit_code == 0, result.output
        moved = project / "out" / "2026-12-04-ada-lovelace-ai-engineer"
        assert os.readlink(moved / "zero") == "/dev/zero"
        assert os.readlink(moved / "shared") == str(outside)
        assert outside.is_dir()

    def test_a_link_goes_with_the_card_it_reaches_and_still_reaches_it(self, project: Path) -> None:
        """A link to Jo's card (beside it, or outside the packet) goes to superseded/ with
        Jo's seat, where it was left dangling or kept for a seat that is gone; a relative link
        moved out of the way is made to reach the same card from its new place."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        cards = folder / "scorecards"
        jo = cards / "past-llm-feature-deep-dive--jo-park.toml"
        fill(jo)
        (cards / "jo-link.toml").symlink_to(jo.name)
        outside = project / "mail" / "jo.toml"
        outside.parent.mkdir()
        outside.write_bytes(jo.read_bytes())
        (cards / "jo-mail.toml").symlink_to(outside)
        sam = cards / "llm-coding--sam-lee.toml"
        fill(sam)
        (cards / "llm-coding--lu-wei.toml").symlink_to(sam.name)  # where Lu's blank will go
        panel = {**PANEL, "past-llm-feature-deep-dive": "Priya Raman"}
        panel["llm-coding"] = "Sam Lee <sam@example.com>; Lu Wei"
        result = run(*packet_args(panel))
        assert result.exit_code == 0, result.output
        moved = folder / "superseded" / "r1" / "scorecards"
        assert os.readlink(moved / "jo-link.toml") == jo.name
        assert (moved / "jo-link.toml").read_bytes() == (moved / jo.name).read_bytes()
        assert os.readlink(moved / "jo-mail.toml") == str(outside)
        assert os.readlink(moved / "llm-coding--lu-wei.toml") == f"../../../scorecards/{sam.name}"
        assert (moved / "llm-coding--lu-wei.toml").read_bytes() == sam.read_bytes()
        why = (folder / "superseded" / "r1" / "WHY.txt").read_text("utf-8")
        assert f"scorecards/jo-link.toml: a link to scorecards/{jo.name}, which moved" in why
        assert "scorecards/jo-mail.toml: Jo Park <jo@example.com> no longer interviews" in why
        assert not {"jo-link.toml", "jo-mail.toml"} & {p.name for p in cards.iterdir()}
        assert "recommendation = 0" in (cards / "llm-coding--lu-wei.toml").read_text("utf-8")
        result = run("debrief", folder, "--allow-missing")
        assert result.exit_code == 0, result.output

    def test_an_empty_folder_a_person_made_is_kept_or_moved_never_dropped(
        self, project: Path
    ) -> None:
        """Empty folders vanished from the next revision without a word."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        (folder / "notes" / "to-file").mkdir(parents=True)
        (folder / "scorecards" / "llm-coding--lu-wei.pdf").mkdir()  # where Lu's blank goes
        args = packet_args({**PANEL, "llm-coding": "Sam Lee <sam@example.com>; Lu Wei"})
        dry = run(*args, "--dry-run")
        result = run(*args, "--date", "2026-12-04")
        assert result.exit_code == 0, result.output
        assert "would keep: notes/to-file/" in dry.output
        assert "  kept: notes/to-file/" in result.output
        said = "scorecards/llm-coding--lu-wei.pdf/: a folder where revision 2 writes a file"
        assert said in dry.output
        assert said in result.output
        moved = project / "out" / "2026-12-04-ada-lovelace-ai-engineer"
        assert (moved / "notes" / "to-file").is_dir()
        assert (moved / "superseded" / "r1" / "scorecards" / "llm-coding--lu-wei.pdf").is_dir()
        assert (moved / "scorecards" / "llm-coding--lu-wei.pdf").is_file()

    def test_a_fifo_in_the_folder_stops_the_revision_before_anything_moves(
        self, project: Path
    ) -> None:
        """A FIFO cannot be carried: the revision says so, and the folder stays as it was."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        os.mkfifo(folder / "pipe")
        result = run(*packet_args(PANEL, day="2026-12-04"))
        assert result.exit_code == 1
        assert "pipe is not a file loopkit can carry" in result.output
        assert (folder / "pipe").exists()
        assert not (project / "out" / "2026-12-04-ada-lovelace-ai-engineer").exists()

    @pytest.mark.parametrize(
        ("place", "where"),
        [
            (
                "scorecards/llm-coding--lu-wei.toml/note.txt",
                "in a folder where revision 2 writes a file",
            ),
            ("invites", "where revision 2 writes a folder"),
        ],
    )
    def test_a_file_in_the_way_of_the_revision_is_moved_and_the_dry_run_says_so(
        self, project: Path, place: str, where: str
    ) -> None:
        """A note in a folder named as a new seat's blank, or a file named as the invitations'
        folder: moved aside with its line, as the dry run said (it stopped on "File exists")."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        (folder / place).parent.mkdir(parents=True, exist_ok=True)
        (folder / place).write_text("mine\n", "utf-8")
        args = [
            *packet_args({**PANEL, "llm-coding": "Sam Lee <sam@example.com>; Lu Wei"}),
            "--organizer",
            "Olga Berg <olga@example.com>",
        ]
        dry = run(*args, "--dry-run")
        assert dry.exit_code == 0, dry.output
        result = run(*args)
        assert result.exit_code == 0, result.output
        line = f"{place}: {where}"
        assert f"would move to superseded/: {line}" in dry.output
        assert f"moved to superseded/: {line}" in result.output
        assert result.output.replace("updated", "would update").replace(
            "moved to", "would move to"
        ) == dry.output  # fmt: skip
        assert (folder / "superseded" / "r1" / place).read_text("utf-8") == "mine\n"
        assert line in (folder / "superseded" / "r1" / "WHY.txt").read_text("utf-8")
        assert "recommendation = 0" in (folder / "scorecards/llm-coding--lu-wei.toml").read_text(
            "utf-8"
        )
        assert (folder / "invites").is_dir()


class TestWhatTheTrialsAskedFor:
    def test_validate_checks_a_card_away_from_its_packet_and_flags_a_blank(
        self, project: Path
    ) -> None:
        """A card in Downloads: values out of range are errors; an untouched blank is a warning."""
        run(*packet_args(PANEL))
        card = (
            project
            / "out"
            / "2026-12-03-ada-lovelace-ai-engineer"
            / "scorecards"
            / "llm-coding--sam-lee.toml"
        )
        away = project / "x.toml"
        away.write_bytes(card.read_bytes())
        blank = run("validate", away, "--strict")
        assert blank.exit_code == 1
        assert "recommendation: not filled in yet" in blank.output
        fill(away)
        away.write_text(
            away.read_text("utf-8").replace("recommendation = 3", "recommendation = 9"), "utf-8"
        )
        result = run("validate", away)
        assert result.exit_code == 1
        assert re.search(r"x\.toml:\d+: recommendation: must be 1-4, got 9", result.output)

    def test_an_incomplete_debrief_says_so_in_its_headline(self, project: Path) -> None:
        """With cards missing the loop score line itself starts INCOMPLETE, in the table and the PDF."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        fill(folder / "scorecards" / "llm-coding--sam-lee.toml")
        result = run("debrief", folder, "--allow-missing")
        assert result.exit_code == 0, result.output
        assert re.search(r"(?m)^INCOMPLETE: loop score \d\.\d\d", result.output)
        assert "INCOMPLETE: Loop score" in pdf_text(folder / "debrief.pdf")

    def test_a_batch_says_what_changed_in_each_updated_packet(self, project: Path) -> None:
        """As packet does: the revision and its changes, under the counts."""
        Path("c.csv").write_text(
            "candidate,loop,date,tz\nAda Lovelace,ai-engineer,2026-12-03,UTC\n", "utf-8"
        )
        run("batch", "c.csv", "-o", "out", "--jobs", "1")
        Path("c.csv").write_text(
            "candidate,loop,date,tz\nAda Lovelace,ai-engineer,2026-12-04,UTC\n", "utf-8"
        )
        result = run("batch", "c.csv", "-o", "out", "--jobs", "1")
        assert "0 written, 1 updated, 0 unchanged" in result.output
        assert "2026-12-04-ada-lovelace-ai-engineer: revision 2" in result.output
        assert "changed: date: 2026-12-03 -> 2026-12-04" in result.output


def test_an_address_in_other_capitals_is_the_same_person(project: Path) -> None:
    """SAM@Example.com for sam@example.com superseded Sam's filled card ("seat changed")
    and sent him, and the candidate, a cancellation beside the new invitation."""
    organizer = ["--organizer", "Rita Moreno <rita@example.com>"]
    first = [*packet_args(PANEL), *organizer, "--candidate-email", "ada@example.com"]
    assert run(*first).exit_code == 0
    folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
    sam = folder / "scorecards" / "llm-coding--sam-lee.toml"
    written = fill(sam)
    shouting = {**PANEL, "llm-coding": "Sam Lee <SAM@Example.com>"}
    again = [*packet_args(shouting), *organizer, "--candidate-email", "Ada@Example.COM"]
    result = run(*again)
    assert result.exit_code == 0, result.output
    assert "kept: scorecards/llm-coding--sam-lee.toml" in result.output
    assert sam.read_bytes() == written
    assert not (folder / "superseded").exists()
    assert not list((folder / "invites").glob("*-cancel.*"))  # no one was taken off
    assert run("debrief", folder, "--allow-missing").exit_code == 0  # his card counts


def test_a_lock_of_addresses_as_typed_keeps_its_seats() -> None:
    """Locks written before addresses were compared in any case took the address as typed:
    that fingerprint is still the seat's."""
    import hashlib
    import json
    from dataclasses import asdict

    from loopkit._load import load_loop
    from loopkit._models import Person
    from loopkit._packet import seat_fingerprint

    loop = load_loop("ai-engineer")
    interview = loop.loop.interviews[0]
    template = loop.scorecards[interview.scorecard].template
    person = Person.parse("Sam Lee <SAM@Example.com>")
    identity = {
        "candidate": "Ada Lovelace",
        "interview": [interview.id, interview.kind, interview.weight],
        "template": asdict(template),
        "interviewer": "Sam Lee <SAM@Example.com>",
    }
    text = json.dumps(identity, sort_keys=True, ensure_ascii=False)
    before = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert seat_fingerprint("Ada Lovelace", interview, template, person, as_typed=True) == before
    lower = Person.parse("Sam Lee <sam@example.com>")
    assert seat_fingerprint("Ada Lovelace", interview, template, person) == seat_fingerprint(
        "Ada Lovelace", interview, template, lower, as_typed=True
    )


def test_no_cancellation_where_no_invitation_was_written(project: Path) -> None:
    """A packet without an organizer wrote no invitations: an organizer given with a
    swap sent the swapped-out interviewer a cancellation of an invitation never sent."""
    assert run(*packet_args(PANEL)).exit_code == 0
    swapped = {**PANEL, "llm-coding": "Noor Haddad <noor@example.com>"}
    result = run(*packet_args(swapped), "--organizer", "Rita Moreno <rita@example.com>")
    assert result.exit_code == 0, result.output
    invites = project / "out" / "2026-12-03-ada-lovelace-ai-engineer" / "invites"
    assert (invites / "noor-haddad.eml").is_file()
    assert not list(invites.glob("*-cancel.*"))


def test_a_renamed_interviewer_at_the_same_address_is_said_so(project: Path) -> None:
    """Sam Lee renamed Samuel Lee: his card moved as "no longer interviews", though the
    same address still does; and his e-mail listed one of his two interviews."""
    organizer = ["--organizer", "Rita Moreno <rita@example.com>"]
    assert run(*packet_args(PANEL), *organizer).exit_code == 0
    folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
    fill(folder / "scorecards" / "llm-coding--sam-lee.toml")
    renamed = {
        **PANEL,
        "llm-coding": "Samuel Lee <sam@example.com>",
        "llm-system-design": "S. Lee <SAM@example.com>",
    }
    result = run(*packet_args(renamed), *organizer)
    assert result.exit_code == 0, result.output
    why = (folder / "superseded" / "r1" / "WHY.txt").read_text("utf-8")
    assert (
        "Sam Lee <sam@example.com> is named Samuel Lee <sam@example.com> in llm-coding now" in why
    )
    mail = (folder / "invites" / "samuel-lee.eml").read_text("utf-8")
    assert "LLM-applied coding" in mail
    assert "LLM system design" in mail  # both his interviews, as the calendar attached


class TestARevisionKeepsThePanel:
    """A revision given no panel file took its panel from the options alone: a new day with
    no --interviewer took every interviewer off the packet, and swapping one meant giving
    them all again."""

    @staticmethod
    def changes(output: str) -> list[str]:
        return [x.strip() for x in output.splitlines() if x.strip().startswith("changed:")]

    def test_a_new_day_alone_keeps_every_interviewer_and_card(self, project: Path) -> None:
        run(*packet_args(PANEL))
        before = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        sam = fill(before / "scorecards" / "llm-coding--sam-lee.toml")
        was, _ = read_lock(before)
        result = run(*packet_args({}, day="2026-12-04"))
        assert result.exit_code == 0, result.output
        assert self.changes(result.output) == ["changed: date: 2026-12-03 -> 2026-12-04"]
        folder = project / "out" / "2026-12-04-ada-lovelace-ai-engineer"
        lock, _ = read_lock(folder)
        assert [i.interviewers for i in lock.interviews] == [i.interviewers for i in was.interviews]
        assert [s.stem for s in lock.seats] == [s.stem for s in was.seats]
        assert (folder / "scorecards" / "llm-coding--sam-lee.toml").read_bytes() == sam
        assert not (folder / "superseded").exists()

    def test_one_interviewer_swapped_alone(self, project: Path) -> None:
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        kim = fill(folder / "scorecards" / "prompt-engineering-exercise--kim-yu.toml")
        result = run(*packet_args({"llm-coding": "Lu Wei"}))
        assert result.exit_code == 0, result.output
        assert self.changes(result.output) == [
            "changed: llm-coding: interviewer removed: Sam Lee <sam@example.com>",
            "changed: llm-coding: interviewer added: Lu Wei",
        ]
        lock, _ = read_lock(folder)
        assert {i.id: i.interviewers for i in lock.interviews} == {
            "llm-coding": ["Lu Wei"],
            "llm-system-design": ["Ana Souza"],
            "past-llm-feature-deep-dive": ["Priya Raman", "Jo Park <jo@example.com>"],
            "prompt-engineering-exercise": ["Kim Yu"],
        }
        assert (
            folder / "scorecards" / "prompt-engineering-exercise--kim-yu.toml"
        ).read_bytes() == kim

    def test_an_interview_given_no_one_is_unassigned(self, project: Path) -> None:
        """--interviewer ID= takes everyone off one interview; on a first build, it is one
        with no one, as one not named."""
        result = run(*packet_args(dict(PANEL, **{"llm-system-design": ""})))
        assert result.exit_code == 0, result.output
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        assert (folder / "scorecards" / "llm-system-design.toml").is_file()
        result = run(*packet_args({"prompt-engineering-exercise": ""}))
        assert result.exit_code == 0, result.output
        assert self.changes(result.output) == [
            "changed: prompt-engineering-exercise: interviewer removed: Kim Yu"
        ]
        lock, _ = read_lock(folder)
        assert {i.id: i.interviewers for i in lock.interviews}["prompt-engineering-exercise"] == []

    def test_a_panel_file_is_the_whole_panel(self, project: Path) -> None:
        """A panel file given to a revision says everyone, as before: an interview it leaves
        out has no one."""
        run(*packet_args(PANEL))
        panel = project / "panel.toml"
        panel.write_text('[panel]\nllm-coding = "Sam Lee <sam@example.com>"\n', "utf-8")
        result = run(*packet_args({}), "--panel", panel)
        assert result.exit_code == 0, result.output
        lock, _ = read_lock(project / "out" / "2026-12-03-ada-lovelace-ai-engineer")
        assert {i.id: i.interviewers for i in lock.interviews} == {
            "llm-coding": ["Sam Lee <sam@example.com>"],
            "llm-system-design": [],
            "past-llm-feature-deep-dive": [],
            "prompt-engineering-exercise": [],
        }

    @pytest.mark.parametrize(
        ("given", "why"),
        [
            (
                "Sam Lee <sam.lee@corp.example>",
                "Sam Lee's address in llm-coding is now sam.lee@corp.example, not "
                "sam@example.com: another address is another person, with a card of their own "
                "(give the address as before to keep this card)",
            ),
            (
                "sam lee <sam@example.com>",
                "Sam Lee is now written 'sam lee' in llm-coding: another seat, with a card of "
                "its own (write the name as before to keep this card)",
            ),
        ],
    )
    def test_a_card_moved_for_an_address_or_a_spelling_says_so(
        self, project: Path, given: str, why: str
    ) -> None:
        """Sam's card moved with "Sam Lee no longer interviews", or "the seat changed
        (interview, weight or scorecard)", when only his address or its spelling changed."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        sam = fill(folder / "scorecards" / "llm-coding--sam-lee.toml")
        result = run(*packet_args({"llm-coding": given}))
        assert result.exit_code == 0, result.output
        assert f"moved to superseded/: scorecards/llm-coding--sam-lee.toml: {why}" in result.output
        moved = folder / "superseded" / "r1" / "scorecards" / "llm-coding--sam-lee.toml"
        assert moved.read_bytes() == sam

    def test_what_a_revision_leaves_out_keeps_the_packets_day_start_zones_and_paper(
        self, project: Path
    ) -> None:
        """A swap typed without the day moved the loop to the next business day, at 09:30,
        in this machine's zone, on letter paper: every event sent for the wrong time."""
        first = [
            *packet_args(PANEL),
            "--start",
            "13:00",
            "--candidate-tz",
            "Europe/Berlin",
            "--paper",
            "a4",
        ]
        assert run(*first).exit_code == 0
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        was, _ = read_lock(folder)
        swap = ["packet", "ai-engineer", "--candidate", "Ada Lovelace", "-o", "out"]
        result = run(*swap, "--interviewer", "llm-coding=Lu Wei")
        assert result.exit_code == 0, result.output
        assert self.changes(result.output) == [
            "changed: llm-coding: interviewer removed: Sam Lee <sam@example.com>",
            "changed: llm-coding: interviewer added: Lu Wei",
        ]
        lock, _ = read_lock(folder)
        for key in ("date", "start", "end", "tz", "candidate_tz", "paper"):
            assert getattr(lock.packet, key) == getattr(was.packet, key), key
        moved = run(*swap, "--date", "2026-12-04")
        assert self.changes(moved.output) == ["changed: date: 2026-12-03 -> 2026-12-04"]
        lock, _ = read_lock(project / "out" / "2026-12-04-ada-lovelace-ai-engineer")
        assert lock.packet.start == "2026-12-04T13:00:00-05:00"
        assert (lock.packet.tz, lock.packet.candidate_tz) == ("America/New_York", "Europe/Berlin")
        # a warning about a value the packet gave names it there, not as an option never typed
        late = run(*swap, "--date", "2026-12-07", "--dry-run")
        assert "loop.lock.toml: packet.start: the candidate's day runs 19:00-23:00" in late.output
        assert "--start:" not in late.output

    def test_a_new_zone_alone_says_it_moves_the_loop_and_how_to_keep_its_moment(
        self, project: Path
    ) -> None:
        """--tz alone keeps the day and start on the clock, read in the new zone: the loop
        moved 21 hours, and the report said only "time zone"."""
        first = ["packet", "ai-engineer", "--candidate", "Fri Late", "-o", "out"]
        late = ["--date", "2026-12-11", "--start", "18:00", "--tz", "America/Los_Angeles"]
        assert run(*first, *late, "--candidate-tz", "Asia/Tokyo").exit_code == 0
        result = run(*first, "--tz", "Pacific/Auckland")
        assert result.exit_code == 0, result.output
        assert self.changes(result.output) == [
            "changed: time zone: America/Los_Angeles -> Pacific/Auckland (the day keeps 18:00 "
            "on the clock, in the new zone: the loop moves 21 h earlier; the same moment is "
            "--date 2026-12-12 --start 15:00)"
        ]
        lock, _ = read_lock(project / "out" / "2026-12-11-fri-late-ai-engineer")
        assert lock.packet.start == "2026-12-11T18:00:00+13:00"
        back = run(*first, "--date", "2026-12-12", "--start", "15:00", "--dry-run")
        assert "changed: start: 18:00 -> 15:00" in back.output  # the moment it had

    def test_an_address_written_otherwise_is_the_same_interviewer(self, project: Path) -> None:
        """Sam's address in capitals read as Sam removed and Sam added, his card kept."""
        run(*packet_args(PANEL))
        result = run(*packet_args({"llm-coding": "Sam Lee <Sam@Example.com>"}))
        assert self.changes(result.output) == [
            "changed: llm-coding: interviewer written otherwise: Sam Lee <sam@example.com> -> "
            "Sam Lee <Sam@Example.com>"
        ]

    def test_a_lock_that_cannot_be_read_stops_before_any_warning(self, project: Path) -> None:
        """An edited lock: warnings about this machine's zone and the next business day (the
        defaults, as if there were no packet) came before the refusal."""
        run(*packet_args(PANEL))
        lock = project / "out" / "2026-12-03-ada-lovelace-ai-engineer" / "loop.lock.toml"
        lock.write_text(lock.read_text("utf-8").replace("hire_bar = 3.0", "hire_bar = 2.0"))
        result = run("packet", "ai-engineer", "--candidate", "Ada Lovelace", "--start", "03:00")
        assert result.exit_code == 1
        assert result.output.startswith("error: out/2026-12-03-ada-lovelace-ai-engineer/"), (
            result.output
        )
        assert "warning" not in result.output

    @pytest.mark.parametrize(
        ("first", "then", "said"),
        [
            (  # the same moment is 01:30 EST, the second 01:30 of the night the clocks go back
                ["--date", "2027-11-07", "--start", "07:30", "--tz", "Europe/Berlin"],
                ["--tz", "America/New_York"],
                "time zone: Europe/Berlin -> America/New_York (the day keeps 07:30 on the clock, "
                "in the new zone: the loop moves 6 h later; no --start in America/New_York names "
                "the same moment (01:30 comes twice that night, and a start is the first))",
            ),
            (  # a new start with the zone: how far the loop moves, a whole day here
                ["--date", "2026-12-03", "--start", "09:30", "--tz", "Pacific/Auckland"],
                ["--tz", "America/Adak", "--start", "10:30"],
                "time zone: Pacific/Auckland -> America/Adak (the loop moves 24 h later)",
            ),
            (
                ["--date", "2026-12-03", "--start", "09:30", "--tz", "Pacific/Auckland"],
                ["--tz", "Asia/Kathmandu"],
                "time zone: Pacific/Auckland -> Asia/Kathmandu (the day keeps 09:30 on the "
                "clock, in the new zone: the loop moves 7 h 15 min later; the same moment is "
                "--date 2026-12-03 --start 02:15)",
            ),
        ],
    )
    def test_a_new_zone_says_how_far_the_loop_moves(
        self, project: Path, first: list[str], then: list[str], said: str
    ) -> None:
        """Advice on a night the clocks go back named a start an hour early; a new zone with
        a new start said nothing of the day the loop moved; 10.75 h was a decimal."""
        packet = ["packet", "ai-engineer", "--candidate", "Fold Two", "--candidate-tz", "UTC"]
        assert run(*packet, *first, "-o", "out").exit_code == 0
        result = run(*packet, *then, "-o", "out", "--dry-run")
        assert f"changed: {said}" in result.output, result.output

    def test_a_bare_name_given_an_address_and_a_shadow_made_an_interviewer_say_so(
        self, project: Path
    ) -> None:
        """Ann's first address moved her card as "the seat changed (interview, weight or
        scorecard)"; a shadow counted now read as "written otherwise", the same person."""
        panel = dict(PANEL, **{"llm-system-design": "Ana Souza; Tina Trainee (shadow)"})
        run(*packet_args(panel))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        fill(folder / "scorecards" / "llm-system-design--ana-souza.toml")
        now = {"llm-system-design": "Ana Souza <ana@example.com>; Tina Trainee"}
        result = run(*packet_args(now))
        assert self.changes(result.output) == [
            "changed: llm-system-design: interviewer removed: Ana Souza",
            "changed: llm-system-design: interviewer removed: Tina Trainee (shadow)",
            "changed: llm-system-design: interviewer added: Ana Souza <ana@example.com>",
            "changed: llm-system-design: interviewer added: Tina Trainee",
        ]
        assert (
            "scorecards/llm-system-design--ana-souza.toml: Ana Souza's address in "
            "llm-system-design is now ana@example.com, not none: another seat, with a card of "
            "its own"
        ) in result.output

    @pytest.mark.parametrize("how", ["gone", "nowhere", "cut", "another"])
    def test_a_packet_whose_lock_cannot_be_read_is_never_built_anew_beside_it(
        self, project: Path, how: str
    ) -> None:
        """A lock deleted or linked to nothing: a new packet on the next business day, with
        no panel, beside the old folder and its cards. A lock cut short said to check its
        quotes; one linked to another packet's warned of that packet's values first."""
        run(*packet_args(PANEL))
        folder = project / "out" / "2026-12-03-ada-lovelace-ai-engineer"
        lock = folder / "loop.lock.toml"
        if how == "cut":
            lock.write_bytes(lock.read_bytes()[:1500])
        else:
            lock.unlink()
        if how == "nowhere":
            lock.symlink_to(project / "nowhere.toml")
        if how == "another":
            other = ["packet", "ai-engineer", "--candidate", "Bob Other", "--date", "2026-12-03"]
            assert run(*other, "--tz", "UTC", "-o", "out").exit_code == 0
            lock.symlink_to(Path("..") / "2026-12-03-bob-other-ai-engineer" / "loop.lock.toml")
        before = sorted(p.name for p in (project / "out").iterdir())
        result = run("packet", "ai-engineer", "--candidate", "Ada Lovelace", "-o", "out")
        assert result.exit_code == 1, result.output
        assert sorted(p.name for p in (project / "out").iterdir()) == before
        assert "warning" not in result.output
        said = {
            "gone": "its loop.lock.toml is missing or a link to nothing",
            "nowhere": "its loop.lock.toml is missing or a link to nothing",
            "cut": "TOML syntax: Unterminated string at the end of the file (put the lock back",
            "another": "holds packet bob-other-ai-engineer, not ada-lovelace-ai-engineer",
        }[how]
        assert said in result.output, result.output
        assert re.search(r"put (this packet's own )?(the )?lock back", result.output)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--interviewer", "llm-coding= - "], "--interviewer: a name needs a letter or a digit"),
        (["--interviewer", "llm-coding=Bob; -"], "--interviewer: a name needs a letter or a digit"),
        (
            ["--interviewer", "llm-coding=Bob", "--interviewer", "llm-coding="],
            "--interviewer: llm-coding is given no one (llm-coding=) and Bob",
        ),
        (["--candidate", ";;"], "--candidate: the candidate's name needs a letter or a digit"),
    ],
)
def test_a_name_with_no_letter_is_no_one(project: Path, args: list[str], said: str) -> None:
    """--interviewer "llm-coding=;" made a seat for a person named ";" (and moved the filled
    card of the one it replaced; ";" alone is now no one, as "ID="); "ID=Bob" and "ID="
    together took Bob without a word."""
    base = ["packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03"]
    result = run(*base, "--tz", "UTC", *args)
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert not (project / "out").exists()

"""Packet ids from names: readable in any script, and never one candidate's packet for another."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from loopkit._packet import name_slug, packet_id, plain, slugify
from loopkit.cli import cli
from tests.helpers import ADA, run

ADA_ID = "ada-lovelace-ai-engineer"
ADA_FOLDER = f"2026-12-03-{ADA_ID}"


def _packet(out: Path, *extra: str, candidate: list[str] = ADA) -> str:
    result = run("packet", "ai-engineer", *candidate, "-o", out, *extra)
    return f"[{result.exit_code}] {result.output}"


def _lock(folder: Path) -> dict[str, object]:
    lock = tomllib.loads((folder / "loop.lock.toml").read_text("utf-8"))
    packet = lock["packet"]
    assert isinstance(packet, dict)
    return packet


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


class TestSameName:
    def test_another_candidate_of_the_same_name_is_refused_with_the_id_to_give(
        self, tmp_path: Path
    ) -> None:
        """A second Ada with another e-mail is not made a revision of the first's packet."""
        out = tmp_path / "out"
        assert _packet(out, "--candidate-email", "ada@one.example").startswith("[0]")
        before = _files(out / ADA_FOLDER)
        output = _packet(out, "--candidate-email", "ada@two.example")
        assert output.startswith("[1]"), output
        assert f"{ADA_FOLDER} is the packet of Ada Lovelace <ada@one.example>" in output
        assert "--id ada-lovelace-2-ai-engineer" in output
        assert "Traceback" not in output
        assert _files(out / ADA_FOLDER) == before  # not a byte of the first packet changed
        assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == [ADA_FOLDER]

    def test_two_long_names_of_one_id_are_two_candidates(self, tmp_path: Path) -> None:
        """An id keeps a name's first 40 letters: a second long name was made a revision
        of the first candidate's packet, her cards and debrief moved to superseded/."""
        out = tmp_path / "out"
        first = ["--candidate", "Maria-Magdalena Hohenzollern-Sigmaringen-Wittelsbach"]
        second = ["--candidate", "Maria-Magdalena Hohenzollern-Sigmaringen-Habsburg"]
        assert _packet(out, candidate=first + ADA[2:]).startswith("[0]")
        (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        before = _files(folder)
        output = _packet(out, candidate=second + ADA[2:])
        assert output.startswith("[1]"), output
        assert "is the packet of Maria-Magdalena Hohenzollern-Sigmaringen-Wittelsbach, not of" in (
            output
        )
        stem = folder.name.removeprefix("2026-12-03-").removesuffix("-ai-engineer")
        assert f"--id {stem}-2-ai-engineer" in output
        assert _files(folder) == before
        given = ["--id", f"{stem}-2-ai-engineer"]
        assert _packet(out, *given, candidate=second + ADA[2:]).startswith("[0]")
        assert _packet(out, candidate=second + ADA[2:]).startswith("[1]")  # pointed to hers
        spelled = ["--candidate", "maria-magdalena hohenzollern-sigmaringen-wittelsbach"]
        assert _packet(out, candidate=spelled + ADA[2:]).startswith("[0]")  # her own, in capitals
        assert _files(folder) != before

    def test_an_address_says_who_the_candidate_is_whatever_the_spelling(
        self, tmp_path: Path
    ) -> None:
        """An accent added to her name, her address the same: her packet, not a refusal;
        and a second candidate of the id is pointed to her own packet by her address."""
        out = tmp_path / "out"
        mail = ["--candidate-email", "mh@example.com"]
        first = ["--candidate", "Maria Lopez", *ADA[2:], *mail]
        assert _packet(out, candidate=first).startswith("[0]")
        accented = ["--candidate", "María López", *ADA[2:], *mail]
        assert _packet(out, candidate=accented).startswith("[0]")
        assert _lock(out / "2026-12-03-maria-lopez-ai-engineer")["candidate"] == "María López"
        other = ["--candidate", "Maria Lopez", *ADA[2:], "--candidate-email", "ml@example.com"]
        given = ["--id", "maria-lopez-2-ai-engineer"]
        assert _packet(out, *given, candidate=other).startswith("[0]")
        output = _packet(out, candidate=["--candidate", "Mariá Lopez", *other[2:]])
        assert "<ml@example.com> has the packet maria-lopez-2-ai-engineer" in output
        moved = ["--candidate", "Maria Lopez", *ADA[2:], "--candidate-email", "ml@new.example"]
        output = _packet(out, candidate=moved)  # her new address: pointed to her own packet
        assert "for her new address, update it with --id maria-lopez-2-ai-engineer" in output
        ana = ["--candidate", "Ana Lopez", *ADA[2:], "--id", "maria-lopez-ai-engineer"]
        assert _packet(tmp_path / "o2", candidate=[*ana, *mail]).startswith("[0]")
        bea = ["--candidate", "Bea Lopez", *ADA[2:], "--candidate-email", "bea@example.com"]
        output = _packet(tmp_path / "o2", "--id", "maria-lopez-ai-engineer", candidate=bea)
        assert output.startswith("[1]")  # another name and address: not Ana, even by her id
        assert "another name and another address are another candidate" in output
        maria = ["--candidate", "Maria Lopez", *ADA[2:], "--candidate-email", "mlo@example.com"]
        output = _packet(tmp_path / "o2", candidate=maria)
        assert output.startswith("[1]"), output
        assert "--id maria-lopez-2-ai-engineer" in output
        assert "--id maria-lopez-ai-engineer" not in output  # Ana's, never offered as hers

    def test_a_respelling_that_makes_another_id_is_refused_for_her_address(
        self, tmp_path: Path
    ) -> None:
        """Zoe Mueller for Zoë Müller, her address the same, made a second packet beside the
        first (a second invitation for every interviewer); the refusal names the packet."""
        out = tmp_path / "out"
        mail = ["--candidate-email", "zoe@example.com"]
        assert _packet(out, candidate=["--candidate", "Zoë Müller", *ADA[2:], *mail]).startswith(
            "[0]"
        )
        (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        card = sorted((folder / "scorecards").glob("*.toml"))[0]
        card.write_text(card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3"))
        before = _files(folder)
        respelled = ["--candidate", "Zoe Mueller", *ADA[2:], "--candidate-email", "ZOE@example.com"]
        output = _packet(out, candidate=respelled)
        assert output.startswith("[1]"), output
        assert f"{folder.name} is the ai-engineer packet of Zoë Müller <zoe@example.com>" in output
        assert (
            "if Zoë Müller is Zoe Mueller renamed, update it with --id zoe-muller-ai-engineer"
            in (output)
        )
        assert "another candidate at this address, give this packet an id of its own" in output
        assert [p for p in out.iterdir() if not p.name.startswith(".")] == [folder]
        assert _files(folder) == before
        output = _packet(out, "--id", "zoe-muller-ai-engineer", candidate=respelled)
        assert output.startswith("[0]"), output  # the hint followed: her packet, her card kept
        assert card.read_bytes() == before[card]
        second = ["--id", "zoe-again-ai-engineer"]  # a second loop of hers, said with an id
        assert _packet(out, *second, candidate=respelled).startswith("[0]")
        other = run("packet", "ml-engineer", *respelled, "-o", out)  # another loop: hers too
        assert other.exit_code == 0, other.output
        rows = tmp_path / "week.csv"
        rows.write_text(
            "candidate,loop,date,email\nZoey Mueller,ai-engineer,2026-12-03,zoe@example.com\n",
            "utf-8",
        )
        batch = run("batch", rows, "-o", out)  # a batch row spelled as neither packet
        assert batch.exit_code == 1, batch.output
        assert "has ai-engineer packets already: zoe-again-ai-engineer (Zoe Mueller), " in (
            batch.output
        )
        assert "zoe-muller-ai-engineer (Zoe Mueller)" in batch.output
        assert "nothing was written" in batch.output
        assert not list(out.glob("*zoey*"))

    def test_another_candidate_at_a_shared_inbox_is_offered_an_id_of_their_own_first(
        self, tmp_path: Path
    ) -> None:
        """Two candidates of one agency at one address: the refusal's first way out made the
        second candidate a revision of the first's packet, filled scorecards kept."""
        out = tmp_path / "out"
        inbox = ["--candidate-email", "talent@agency.example"]
        first = ["--candidate", "Nguyễn Thị Minh Khai", *ADA[2:], *inbox]
        assert _packet(out, candidate=first).startswith("[0]")
        (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        before = _files(folder)
        second = ["--candidate", "Bartholomew Adeyemi-Whitfield", *ADA[2:], *inbox]
        output = _packet(out, candidate=second)
        assert output.startswith("[1]"), output
        own = "--id bartholomew-adeyemi-whitfield-ai-engineer"
        assert f"another candidate at this address, give this packet an id of its own: {own}" in (
            output
        )
        assert output.index(own) < output.index("--id nguyen-thi-minh-khai-ai-engineer")
        assert _packet(out, *own.split(), candidate=second).startswith("[0]")  # the hint, followed
        assert _files(folder) == before
        assert len([p for p in out.iterdir() if not p.name.startswith(".")]) == 2
        later = ["--candidate", "Nguyễn Thị Minh Khai", "--date", "2026-12-05", *ADA[4:], *inbox]
        output = _packet(out, candidate=later)  # her own packet, by her name at the inbox
        assert output.startswith("[0]"), output
        assert _lock(out / "2026-12-05-nguyen-thi-minh-khai-ai-engineer")["revision"] == 2

    def test_a_packet_given_its_own_id_is_found_by_name_when_the_id_is_left_out(
        self, tmp_path: Path
    ) -> None:
        """A reschedule typed without the --id the packet was made with wrote a second packet,
        and a second invitation for every interviewer."""
        out = tmp_path / "out"
        own = ["--id", "ada-l-ai-engineer"]
        assert _packet(out, *own, "--organizer", "Rita <rita@example.com>").startswith("[0]")
        (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        output = _packet(out, "--start", "10:00")
        assert output.startswith("[1]"), output
        assert (
            f"{folder.name} is the ai-engineer packet of Ada Lovelace already, as ada-l-ai-engineer"
            in output
        )
        assert "to update it, give --id ada-l-ai-engineer" in output
        assert [p for p in out.iterdir() if not p.name.startswith(".")] == [folder]
        assert _packet(out, *own, "--start", "10:00").startswith("[0]")  # the hint, followed
        assert _lock(folder)["revision"] == 2

    def test_one_name_at_two_addresses_is_two_candidates(self, tmp_path: Path) -> None:
        """Ada Lovelace at another address has her own packet: refused by her name, the
        first way out made the first Ada's packet (and her filled card) the second's."""
        out = tmp_path / "out"
        first = ["--candidate-email", "ada@one.example", "--id", "ada-one-ai-engineer"]
        assert _packet(out, *first).startswith("[0]")
        assert _packet(out, "--candidate-email", "ada@two.example").startswith("[0]")
        ids = sorted(str(_lock(p)["id"]) for p in out.iterdir() if not p.name.startswith("."))
        assert ids == ["ada-lovelace-ai-engineer", "ada-one-ai-engineer"]

    def test_a_name_like_another_at_one_inbox_is_offered_an_id_of_its_own_first(
        self, tmp_path: Path
    ) -> None:
        """Jon and John Smith of one agency: a name a letter apart was taken for a respelling,
        and the first way out gave John the packet and the filled scorecards of Jon."""
        out = tmp_path / "out"
        inbox = ["--candidate-email", "talent@agency.example"]
        assert _packet(out, candidate=["--candidate", "Jon Smith", *ADA[2:], *inbox]).startswith(
            "[0]"
        )
        output = _packet(out, candidate=["--candidate", "John Smith", *ADA[2:], *inbox])
        assert output.startswith("[1]"), output
        own = "give this packet an id of its own: --id john-smith-ai-engineer"
        assert output.index(own) < output.index("update it with --id jon-smith-ai-engineer")

    @pytest.mark.parametrize("jobs", ["1", "2"])
    @pytest.mark.parametrize("given_first", [True, False])
    def test_a_batch_holds_a_new_packet_against_the_folder_as_it_was(
        self, tmp_path: Path, jobs: str, given_first: bool
    ) -> None:
        """Two Ada Lovelaces in one batch, one given an id: with one worker, the row written
        second was refused by the first as it landed (half the batch written); with two, not."""
        rows = [
            "Ada Lovelace,ai-engineer,2026-12-04,UTC,ada-x-ai-engineer",
            "Ada Lovelace,ai-engineer,2026-12-03,UTC,",
        ]
        text = "candidate,loop,date,tz,id\n" + "\n".join(rows if given_first else rows[::-1])
        (tmp_path / "rows.csv").write_text(text + "\n", "utf-8")
        out = tmp_path / "out"
        result = run("batch", tmp_path / "rows.csv", "-o", out, "--jobs", jobs)
        assert result.exit_code == 0, result.output
        ids = sorted(str(_lock(p)["id"]) for p in out.iterdir() if not p.name.startswith("."))
        assert ids == ["ada-lovelace-ai-engineer", "ada-x-ai-engineer"]

    def test_one_name_with_two_packets_asks_which_when_the_id_is_left_out(
        self, tmp_path: Path
    ) -> None:
        """The second Ada, her packet made with --id, rescheduled without it, updated the
        first Ada's packet; at another address given to an id of any form, she was offered
        a third packet."""
        out = tmp_path / "out"
        assert _packet(out).startswith("[0]")
        assert _packet(out, "--id", "ada-2-ai-engineer", "--start", "11:00").startswith("[0]")
        output = _packet(out, "--start", "12:00")
        assert output.startswith("[1]"), output
        assert "which one is meant?" in output
        assert "ada-lovelace-ai-engineer" in output
        assert "ada-2-ai-engineer" in output
        assert _lock(out / ADA_FOLDER)["revision"] == 1
        o2 = tmp_path / "o2"
        assert _packet(o2, "--candidate-email", "a1@example.com").startswith("[0]")
        acme = ["--candidate-email", "a2@example.com", "--id", "ada-acme-ai-engineer"]
        assert _packet(o2, *acme).startswith("[0]")
        output = _packet(o2, "--candidate-email", "a2@example.com", "--start", "12:00")
        assert output.startswith("[1]"), output
        assert "<a2@example.com> has the packet ada-acme-ai-engineer" in output
        assert "update it with --id ada-acme-ai-engineer" in output

    def test_a_packet_folder_renamed_by_hand_is_not_passed_over(self, tmp_path: Path) -> None:
        """Ada's folder renamed ...-old, then a reschedule: a second packet was written beside
        it, with blank cards and invitations back at SEQUENCE 0. A copy kept beside a
        packet was listed twice when a command asked which packet was meant."""
        out = tmp_path / "out"
        assert _packet(out, "--candidate-email", "ada@example.com").startswith("[0]")
        here = out / ADA_FOLDER
        for name in (f"{ADA_FOLDER}-old", f"{ADA_FOLDER} (copy)", "ada-backup"):
            old = out / name
            here.rename(old)
            before = _files(old)
            output = _packet(out, "--start", "11:00")
            assert output.startswith("[1]"), output
            assert f"{old} holds packet {ADA_ID} under a name loopkit did not give it" in output
            assert f"rename the folder {ADA_FOLDER}" in output
            assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == [old.name]
            assert _files(old) == before
            here = old
        old.rename(out / ADA_FOLDER)
        assert _packet(out, "--start", "11:00").startswith("[0]")
        assert _lock(out / ADA_FOLDER)["revision"] == 2
        second = ["--candidate-email", "ada@example.com", "--id", "ada-2-ai-engineer"]
        assert _packet(out, *second).startswith("[0]")
        shutil.copytree(out / ADA_FOLDER, out / f"{ADA_FOLDER}-copy")
        output = _packet(out, "--candidate-email", "ada@example.com", "--id", "ada-3-ai-engineer")
        assert output.startswith("[0]")  # an id given: a packet of its own
        output = _packet(
            out,
            "--candidate-email",
            "ADA@example.com",
            candidate=["--candidate", "Ada L", *ADA[2:]],
        )
        assert output.startswith("[1]"), output
        assert output.count(f"{ADA_ID} (Ada Lovelace)") == 1, output

    def test_a_batch_cell_left_empty_keeps_the_packets_address(self, tmp_path: Path) -> None:
        """A row with no e-mail made the candidate's address "(none)" on a re-run."""
        out = tmp_path / "out"
        assert _packet(out, "--candidate-email", "ada@example.com").startswith("[0]")
        rows = tmp_path / "rows.csv"
        rows.write_text("candidate,loop,date,tz,email\nAda Lovelace,ai-engineer,2026-12-03,UTC,\n")
        result = run("batch", rows, "-o", out)
        assert result.exit_code == 0, result.output
        assert "e-mail" not in result.output
        assert _lock(out / ADA_FOLDER)["candidate_email"] == "ada@example.com"

    def test_following_the_hint_to_spell_a_name_anew_keeps_every_card(self, tmp_path: Path) -> None:
        """A typo mended in a long name: the refusal says to give the packet's id, and doing
        so moved every filled card to superseded/ as another candidate's."""
        out = tmp_path / "out"
        typo = ["--candidate", "Maria-Magdalena Hohenzollern-Sigmaringen-Wittelsbac", *ADA[2:]]
        assert _packet(out, candidate=typo).startswith("[0]")
        (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        cards = sorted((folder / "scorecards").glob("*.toml"))
        for card in cards:
            text = card.read_text("utf-8")
            card.write_text(text.replace("recommendation = 0", "recommendation = 3", 1))
        filled = {card: card.read_bytes() for card in cards}
        mended = ["--candidate", "Maria-Magdalena Hohenzollern-Sigmaringen-Wittelsbach", *ADA[2:]]
        refused = _packet(out, candidate=mended)
        packet_id = folder.name.removeprefix("2026-12-03-")
        assert f"to spell this candidate's name anew, update the packet with --id {packet_id}" in (
            refused
        )
        output = _packet(out, "--id", packet_id, candidate=mended)
        assert output.startswith("[0]"), output
        assert "moved to superseded" not in output
        assert all(card.read_bytes() == text for card, text in filled.items())

    def test_a_name_spelled_anew_keeps_every_filled_card(self, tmp_path: Path) -> None:
        """Capitals or accents of the candidate's name changed every seat: each filled card
        went to superseded/ as "the seat changed"."""
        out = tmp_path / "out"
        assert _packet(out, candidate=["--candidate", "Zoë Müller", *ADA[2:]]).startswith("[0]")
        (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        cards = sorted((folder / "scorecards").glob("*.toml"))
        for card in cards:
            card.write_text(
                card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3", 1)
            )
        filled = {card: card.read_bytes() for card in cards}
        output = _packet(out, candidate=["--candidate", "ZOË MULLER", *ADA[2:]])
        assert output.startswith("[0]"), output
        assert "moved to superseded" not in output
        assert all(card.read_bytes() == text for card, text in filled.items())
        assert _lock(folder)["candidate"] == "ZOË MULLER"

    def test_a_hyphen_or_an_apostrophe_is_the_same_name(self, tmp_path: Path) -> None:
        """Mary Jane O'Brien, her packet made as Mary-Jane O'Brien (the same id), was refused
        as another candidate; typed with a curly apostrophe (another id), she got a second
        packet beside her first. Jon is still not John."""
        out = tmp_path / "out"
        first = ["--candidate", "Mary-Jane O'Brien", *ADA[2:]]
        assert _packet(out, candidate=first).startswith("[0]")
        (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        card = next((folder / "scorecards").glob("*.toml"))
        card.write_text(card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3"))
        kept = card.read_bytes()
        output = _packet(out, candidate=["--candidate", "Mary Jane O'Brien", *ADA[2:]])
        assert output.startswith("[0]"), output
        assert card.read_bytes() == kept
        assert _lock(folder)["candidate"] == "Mary Jane O'Brien"
        curly = ["--candidate", "Mary Jane O\u2019Brien", *ADA[2:]]
        output = _packet(out, candidate=curly)
        assert output.startswith("[1]"), output
        assert "(to update it, give --id mary-jane-o-brien-ai-engineer; " in output
        assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == [folder.name]
        assert plain("J.R.R. Tolkien") == plain("J R R Tolkien")
        assert plain("ジョン・スミス") == plain("ジョン スミス")
        assert plain("Jon Smith") != plain("John Smith")

    def test_with_an_id_of_her_own_both_candidates_have_packets(self, tmp_path: Path) -> None:
        """--id gives the second Ada a packet of her own beside the first's."""
        out = tmp_path / "out"
        _packet(out, "--candidate-email", "ada@one.example")
        output = _packet(
            out, "--candidate-email", "ada@two.example", "--id", "ada-lovelace-2-ai-engineer"
        )
        assert output.startswith("[0]"), output
        assert _lock(out / ADA_FOLDER)["candidate_email"] == "ada@one.example"
        second = out / "2026-12-03-ada-lovelace-2-ai-engineer"
        assert _lock(second)["candidate_email"] == "ada@two.example"
        assert _lock(second)["id"] == "ada-lovelace-2-ai-engineer"

    def test_the_suggested_id_is_one_not_taken(self, tmp_path: Path) -> None:
        """With -2 taken, a third Ada is told to use -3."""
        out = tmp_path / "out"
        _packet(out, "--candidate-email", "ada@one.example")
        _packet(out, "--candidate-email", "ada@two.example", "--id", "ada-lovelace-2-ai-engineer")
        output = _packet(out, "--candidate-email", "ada@three.example")
        assert output.startswith("[1]")
        assert "--id ada-lovelace-3-ai-engineer" in output

    def test_the_second_candidate_run_again_without_her_id_is_pointed_to_it(
        self, tmp_path: Path
    ) -> None:
        """The second Ada, run again without --id, is told which packet is hers."""
        out = tmp_path / "out"
        _packet(out, "--candidate-email", "ada@one.example")
        _packet(out, "--candidate-email", "ada@two.example", "--id", "ada-lovelace-2-ai-engineer")
        output = _packet(out, "--candidate-email", "ada@two.example")
        assert output.startswith("[1]")
        assert "<ada@two.example> has the packet ada-lovelace-2-ai-engineer" in output
        assert "--id ada-lovelace-2-ai-engineer" in output

    def test_the_same_candidate_with_a_new_address_updates_her_packet_when_named(
        self, tmp_path: Path
    ) -> None:
        """Giving the packet's own id says it is her: a new revision with her new address."""
        out = tmp_path / "out"
        _packet(out, "--candidate-email", "ada@one.example")
        output = _packet(out, "--candidate-email", "ada@new.example", "--id", ADA_ID)
        assert output.startswith("[0]"), output
        lock = _lock(out / ADA_FOLDER)
        assert (lock["revision"], lock["candidate_email"]) == (2, "ada@new.example")

    def test_an_address_added_later_is_the_same_candidate(self, tmp_path: Path) -> None:
        """A packet without an e-mail gets one in a new revision: nothing says two people."""
        out = tmp_path / "out"
        _packet(out)
        assert _packet(out, "--candidate-email", "ada@one.example").startswith("[0]")
        assert _lock(out / ADA_FOLDER)["revision"] == 2

    def test_a_batch_with_one_name_spelled_two_ways_is_refused(self, tmp_path: Path) -> None:
        """Mary-Jane O'Brien and Mary Jane OBrien in two rows (two ids, one candidate): the
        batch wrote two packets, then refused every re-run of the same file."""
        csv = tmp_path / "c.csv"
        csv.write_text(
            "candidate,loop,date,tz\nMary-Jane O'Brien,ai-engineer,2026-12-03,UTC\n"
            "Mary Jane OBrien,ai-engineer,2026-12-04,UTC\n",
            "utf-8",
        )
        result = run("batch", csv, "-o", tmp_path / "out")
        assert result.exit_code == 1, result.output
        assert (
            "line 3, candidate: Mary Jane OBrien is Mary-Jane O'Brien of line 2 "
            "(mary-jane-o-brien-ai-engineer) spelled otherwise"
        ) in result.output
        assert not (tmp_path / "out").exists()
        csv.write_text(csv.read_text("utf-8").replace("Mary Jane OBrien", "Mary-Jane O'Brien"))
        assert "the same packet as line 2" in run("batch", csv, "-o", tmp_path / "out").output
        csv.write_text("candidate,loop,date,tz\nLi Wei,ai-engineer,2026-12-03,UTC\n"
                       "李伟,ai-engineer,2026-12-04,UTC\n", "utf-8")  # fmt: skip
        output = run("batch", csv, "-o", tmp_path / "out").output  # two names, one id
        assert "for two candidates whose names make one id, give one a packet id" in output

    def test_a_batch_with_two_candidates_of_one_name_asks_for_an_id(self, tmp_path: Path) -> None:
        """Two rows for two Adas stop the batch before anything is written, naming the id column."""
        csv = tmp_path / "c.csv"
        csv.write_text(
            "candidate,loop,date,tz,email\n"
            "Ada Lovelace,ai-engineer,2026-12-03,UTC,ada@one.example\n"
            "Ada Lovelace,ai-engineer,2026-12-03,UTC,ada@two.example\n",
            "utf-8",
        )
        result = run("batch", csv, "-o", tmp_path / "out")
        assert result.exit_code == 1
        assert "line 3, candidate: the same packet as line 2" in result.output
        assert "id column" in result.output
        assert not (tmp_path / "out").exists()

    def test_a_batch_row_for_another_candidate_of_a_written_name_is_refused(
        self, tmp_path: Path
    ) -> None:
        """A batch meets the first Ada's packet: refused up front; with an id it writes beside it."""
        out = tmp_path / "out"
        _packet(out, "--candidate-email", "ada@one.example")
        before = _files(out / ADA_FOLDER)
        csv = tmp_path / "c.csv"
        csv.write_text(
            "candidate,loop,date,tz,email\nAda Lovelace,ai-engineer,2026-12-03,UTC,ada@two.example\n",
            "utf-8",
        )
        result = run("batch", csv, "-o", out)
        assert result.exit_code == 1
        assert "is the packet of Ada Lovelace <ada@one.example>" in result.output
        assert "nothing was written" in result.output
        assert _files(out / ADA_FOLDER) == before
        csv.write_text(
            "candidate,loop,id,date,tz,email\n"
            "Ada Lovelace,ai-engineer,ada-lovelace-2-ai-engineer,2026-12-03,UTC,ada@two.example\n",
            "utf-8",
        )
        result = run("batch", csv, "-o", out)
        assert result.exit_code == 0, result.output
        assert _lock(out / "2026-12-03-ada-lovelace-2-ai-engineer")["candidate"] == "Ada Lovelace"
        assert _files(out / ADA_FOLDER) == before

    def test_an_id_given_for_another_name_and_address_is_refused(self, tmp_path: Path) -> None:
        """An id pasted for the wrong candidate updated that packet: Ada's filled cards
        became Zed's. A new name or a new address alone is still hers."""
        out = tmp_path / "out"
        _packet(out, "--candidate-email", "ada@one.example")
        card = next((out / ADA_FOLDER / "scorecards").glob("*.toml"))
        card.write_text(card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3"))
        before = _files(out / ADA_FOLDER)
        zed = ["--candidate", "Zed Quist", *ADA[2:], "--candidate-email", "zed@two.example"]
        output = _packet(out, "--id", ADA_ID, candidate=zed)
        assert output.startswith("[1]"), output
        assert (
            f"{ADA_FOLDER} is the packet of Ada Lovelace <ada@one.example>, not of Zed Quist "
            "<zed@two.example>: another name and another address are another candidate"
        ) in output
        assert "--id zed-quist-ai-engineer" in output
        assert _files(out / ADA_FOLDER) == before
        csv = tmp_path / "c.csv"
        csv.write_text(
            f"candidate,loop,id,date,tz,email\nZed Quist,ai-engineer,{ADA_ID},2026-12-03,UTC,"
            "zed@two.example\n",
            "utf-8",
        )
        result = run("batch", csv, "-o", out)
        assert result.exit_code == 1, result.output
        assert "another name and another address are another candidate" in result.output
        assert _files(out / ADA_FOLDER) == before
        # a packet with no address is no one's to take: Zed is pointed to his own packet
        assert _packet(out, candidate=[*zed, "--id", "zed-quist-ai-engineer"]).startswith("[0]")
        plain_ada = ["--candidate", "Ada Byron", *ADA[2:]]
        assert _packet(out, "--id", "ada-byron-ai-engineer", candidate=plain_ada).startswith("[0]")
        output = _packet(out, "--id", "ada-byron-ai-engineer", candidate=zed)
        assert output.startswith("[1]"), output
        assert "is the packet of Ada Byron, not of Zed Quist <zed@two.example>" in output
        assert "Zed Quist <zed@two.example> has the packet zed-quist-ai-engineer: update it " in (
            output
        )
        assert _lock(out / "2026-12-03-ada-byron-ai-engineer")["candidate"] == "Ada Byron"
        # Ada renamed at a new address: the name with her address, then the address
        renamed = ["--candidate", "Ada King", *ADA[2:]]
        assert _packet(out, "--id", ADA_ID, candidate=renamed).startswith("[0]")
        moved = [*renamed, "--candidate-email", "ada@king.example"]
        assert _packet(out, "--id", ADA_ID, candidate=moved).startswith("[0]")
        assert _lock(out / ADA_FOLDER)["candidate"] == "Ada King"
        assert _lock(out / ADA_FOLDER)["candidate_email"] == "ada@king.example"
        assert card.read_bytes() == before[card]  # her filled card, kept all along


class TestReadableIds:
    def test_a_chinese_name_gives_a_readable_folder(self, tmp_path: Path) -> None:
        """王小明's packet is wang-xiao-ming-..., and the name itself is in the lock."""
        out = tmp_path / "out"
        name = ["--candidate", "王小明", "--date", "2026-12-03", "--tz", "UTC"]
        assert _packet(out, candidate=name).startswith("[0]")
        folder = out / "2026-12-03-wang-xiao-ming-ai-engineer"
        assert _lock(folder)["candidate"] == "王小明"

    def test_a_packet_an_earlier_version_named_by_hash_is_still_found(self, tmp_path: Path) -> None:
        """A folder under loopkit 1's hashed id is updated in place, never duplicated."""
        out = tmp_path / "out"
        name = ["--candidate", "王小明", "--date", "2026-12-03", "--tz", "UTC"]
        # the id loopkit 1 gave 王小明, as such a folder has it
        old_id = "n-acf979cc-ai-engineer"
        assert _packet(out, "--id", old_id, candidate=name).startswith("[0]")
        folder = out / f"2026-12-03-{old_id}"
        before = _files(folder)
        output = _packet(out, candidate=name)
        assert output.startswith("[0]"), output
        assert "nothing changed" in output
        assert _files(folder) == before
        moved = [*name[:2], "--date", "2026-12-04", *name[4:]]
        assert _packet(out, candidate=moved).startswith("[0]")
        assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == [
            f"2026-12-04-{old_id}"
        ]
        assert _lock(out / f"2026-12-04-{old_id}")["revision"] == 2

    def test_another_candidate_under_a_former_id_is_not_taken_for_this_one(
        self, tmp_path: Path
    ) -> None:
        """A folder under the hashed id holding someone else stays theirs."""
        out = tmp_path / "out"
        other = ["--candidate", "Someone Else", "--date", "2026-12-03", "--tz", "UTC"]
        _packet(out, "--id", "n-acf979cc-ai-engineer", candidate=other)
        name = ["--candidate", "王小明", "--date", "2026-12-03", "--tz", "UTC"]
        assert _packet(out, candidate=name).startswith("[0]")
        assert (out / "2026-12-03-wang-xiao-ming-ai-engineer").is_dir()
        assert _lock(out / "2026-12-03-n-acf979cc-ai-engineer")["candidate"] == "Someone Else"


class TestSeatNames:
    def test_an_interviewer_in_another_script_has_a_card_of_their_name(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """李伟's card was llm-coding--n-5ed4d58e.toml beside invites/li-wei.eml: no one could
        find their own card. It is llm-coding--li-wei.toml; a packet made the old way keeps
        its cards' names, and every filled card, through a revision."""
        out = tmp_path / "out"
        li = ["--interviewer", "llm-coding=李伟 <li@example.com>"]
        assert _packet(out, *li).startswith("[0]")
        assert (out / ADA_FOLDER / "scorecards" / "llm-coding--li-wei.toml").is_file()
        old = tmp_path / "old"
        original = name_slug
        with monkeypatch.context() as patch:  # the seat names loopkit 1 made
            patch.setattr(
                "loopkit._packet.name_slug",
                lambda name, limit=40, transliterate=True: original(
                    name, limit, transliterate=False
                ),
            )
            assert _packet(old, *li).startswith("[0]")
        (card,) = (old / ADA_FOLDER / "scorecards").glob("llm-coding--n-*.toml")
        card.write_text(card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3"))
        kept = card.read_bytes()
        output = _packet(old, *li, "--start", "11:00")
        assert output.startswith("[0]"), output
        assert "superseded" not in output
        assert card.read_bytes() == kept
        lock = tomllib.loads((old / ADA_FOLDER / "loop.lock.toml").read_text("utf-8"))
        assert f"scorecards/{card.name}" in [
            f for i in lock["interviews"] for f in i["scorecard_files"]
        ]
        assert not list((old / ADA_FOLDER / "scorecards").glob("*li-wei*"))

    def test_two_names_of_one_file_name_keep_their_cards_in_any_order(self, tmp_path: Path) -> None:
        """李伟 and Li Wei are li-wei and li-wei-2 in panel order: the panel reordered, or
        李伟 taken off and put back, swapped their names, and each filled card went to
        superseded/ as "the seat changed"."""
        out = tmp_path / "out"
        both = "llm-coding=李伟 <liwei@cn.example>; Li Wei <li@example.com>"
        assert _packet(out, "--interviewer", both).startswith("[0]")
        cards = out / ADA_FOLDER / "scorecards"
        for card in cards.glob("llm-coding--*.toml"):
            card.write_text(
                card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3")
            )
        filled = {card.name: card.read_bytes() for card in cards.glob("llm-coding--*.toml")}
        assert set(filled) == {"llm-coding--li-wei.toml", "llm-coding--li-wei-2.toml"}
        reordered = "llm-coding=Li Wei <li@example.com>; 李伟 <liwei@cn.example>"
        output = _packet(out, "--interviewer", reordered)
        assert output.startswith("[0]"), output
        assert "superseded" not in output, output
        assert {n: (cards / n).read_bytes() for n in filled} == filled
        output = _packet(out, "--interviewer", "llm-coding=Li Wei <li@example.com>")
        assert "moved to superseded/: scorecards/llm-coding--li-wei.toml: 李伟" in output, output
        assert "kept: scorecards/llm-coding--li-wei-2.toml" in output
        output = _packet(out, "--interviewer", reordered)
        back = [x for x in output.splitlines() if "back as it was" in x]
        assert back == [
            "  back as it was: llm-coding--li-wei (its scorecard "
            "superseded/r2/scorecards/llm-coding--li-wei.toml is valid again: "
            "copy it back into scorecards/, or give it with debrief --scorecard)"
        ], output
        assert "superseded" not in output.replace(back[0], ""), output
        assert (cards / "llm-coding--li-wei-2.toml").read_bytes() == filled[
            "llm-coding--li-wei-2.toml"
        ]

    def test_a_seat_on_the_panel_keeps_its_name_before_one_that_comes_back(
        self, tmp_path: Path
    ) -> None:
        """李伟 taken off, Lí Wèi given his freed name (li-wei) and filling her card, then 李伟
        put back first in the panel: he took li-wei back and her filled card went to
        superseded/ as "the seat changed", refused ever after."""
        out = tmp_path / "out"
        li, wei, lee = (
            "李伟 <lw1@example.com>",
            "Li Wei <lw2@example.com>",
            "Lí Wèi <lw3@example.com>",
        )
        assert _packet(out, "--interviewer", f"llm-coding={li}; {wei}").startswith("[0]")
        card = out / ADA_FOLDER / "scorecards" / "llm-coding--li-wei.toml"
        card.write_text(card.read_text("utf-8").replace("recommendation = 0", "recommendation = 2"))
        output = _packet(out, "--interviewer", f"llm-coding={wei}; {lee}")
        assert "scorecards/llm-coding--li-wei.toml: 李伟 <lw1@example.com> no longer" in output
        assert 'interviewer = "Lí Wèi"' in card.read_text("utf-8")
        card.write_text(card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3"))
        kept = card.read_bytes()
        output = _packet(out, "--interviewer", f"llm-coding={li}; {lee}; {wei}")
        assert output.startswith("[0]"), output
        assert "moved to superseded" not in output, output
        assert card.read_bytes() == kept
        third = out / ADA_FOLDER / "scorecards" / "llm-coding--li-wei-3.toml"
        assert 'interviewer = "李伟"' in third.read_text("utf-8")


class TestSlugProperties:
    @given(st.text(max_size=60))
    def test_any_text_gives_a_safe_slug(self, text: str) -> None:
        """Whatever the name, the slug is lower-case ASCII words joined by single hyphens."""
        slug = slugify(text)
        assert len(slug) <= 40
        assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug), slug

    @given(st.text(max_size=60))
    def test_any_name_gives_a_valid_packet_id(self, text: str) -> None:
        """A name's slug is never empty, and makes an id that --id would accept too."""
        assert len(name_slug(text)) >= 2
        made = packet_id(text, "ai-engineer")
        assert packet_id(text, "ai-engineer", made) == made


@pytest.mark.parametrize("name", ["अमिताभ बच्चन", "محمد بن سلمان", "דוד בן-גוריון", "สมชาย ใจดี"])
def test_a_name_in_a_script_that_needs_shaping_is_refused_not_misprinted(name: str) -> None:
    """Noto Sans has Devanagari glyphs, but a PDF drawn glyph by glyph would misspell the name."""
    result = CliRunner().invoke(cli, ["plan", "ai-engineer", "--interviewer", f"llm-coding={name}"])
    assert result.exit_code == 2
    assert "must be shaped (joined or reordered)" in result.output
    assert "write the name in Latin letters" in result.output

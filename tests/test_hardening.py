"""The second hardening round: each class of bad input or fault, one test or more.

Every case ends in a located error with exit 1, or in the right result;
never an internal error, a traceback, a lost or half-written file, or a guess.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import tomllib
from pathlib import Path

import pytest
import tomli_w
from click.testing import Result

from loopkit._actions import debrief_packet, write_debrief
from loopkit._data import bundled_dir
from loopkit._errors import OutputError
from loopkit._load import machine_zone
from loopkit._records import Lock, lock_digest
from loopkit._schema import validator
from loopkit._write import write_files_atomic
from tests.helpers import ADA, run

HUGE_HEX = "0x" + "f" * 5000
JOSE = "llm-coding=José Ruiz <j@example.com>"
PACKET = "2026-12-03-ada-lovelace-ai-engineer"


def build(day: str, interviewer: str) -> Result:
    """Ada Lovelace's packet on ``day`` in UTC, into ./out, with one interviewer."""
    return run("packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", day, "--tz", "UTC",
               "-o", "out", "--interviewer", interviewer)  # fmt: skip  # options beside their values


def clean_exit_1(output: str) -> None:
    assert "internal error" not in output, output
    assert "Traceback" not in output, output


@pytest.fixture
def packet(here: Path) -> Path:
    """A packet with Sam Lee's card filled, built in the test's folder."""
    result = build("2026-12-03", JOSE)
    assert result.exit_code == 0, result.output
    folder = here / "out" / PACKET
    card = folder / "scorecards" / "llm-coding--jose-ruiz.toml"
    text = card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3")
    card.write_text(re.sub(r"(?m)^([a-z-]+) = 0 ", r"\1 = 3 ", text), "utf-8")
    return folder


def rehash(folder: Path, edit: object) -> None:
    """Edit the lock's data and hash it again, as someone who edits it on purpose would."""
    path = folder / "loop.lock.toml"
    data = tomllib.loads(path.read_text("utf-8"))
    data.pop("hash")
    files = data.pop("files")
    edit(data)  # type: ignore[operator]  # a callable given by the test
    digest = lock_digest(data)
    path.write_text(f'hash = "{digest}"\n' + tomli_w.dumps({**data, "files": files}), "utf-8")
    for card in (folder / "scorecards").glob("*.toml"):
        card.write_text(
            re.sub(r'(?m)^lock = ".*"$', f'lock = "{digest}"', card.read_text("utf-8")), "utf-8"
        )


class TestNumbersTooLarge:
    def test_a_huge_hex_integer_in_a_panel_is_located(self, write: object) -> None:
        """0xfff... past Python's digit limit is a number too large, at its key and line."""
        Path("p.toml").write_text(f"[panel]\nllm-coding = {HUGE_HEX}\n", "utf-8")
        result = run("validate", "p.toml")
        assert result.exit_code == 1
        assert "p.toml:2: panel.llm-coding: a number too large to be meant" in result.output

    def test_a_huge_recommendation_in_a_filled_card_is_located(self, packet: Path) -> None:
        """debrief names the card's line instead of failing to print the number."""
        card = packet / "scorecards" / "llm-coding--jose-ruiz.toml"
        card.write_text(
            card.read_text("utf-8").replace("recommendation = 3", f"recommendation = {HUGE_HEX}"),
            "utf-8",
        )
        result = run("debrief", packet, "--allow-missing")
        assert result.exit_code == 1
        assert re.search(
            r"llm-coding--jose-ruiz\.toml:\d+: recommendation: a number too large", result.output
        )
        clean_exit_1(result.output)


# a cancellation as a lock keeps it, to be edited into a wrong one
_CANCEL = {
    "person": "Sam Lee <sam@example.com>",
    "uid": "u@loopkit",
    "sequence": 1,
    "start": "2026-12-03T09:30:00+00:00",
    "end": "2026-12-03T10:20:00+00:00",
    "title": "LLM-applied coding",
}


class TestLocksRehashedIntoAnotherShape:
    @pytest.mark.parametrize(
        ("edit", "message"),
        [
            (lambda d: d["interviews"][0].update(scorecard="nonexist"), "names scorecard nonexist"),
            (
                lambda d: d["scorecards"].pop("llm-applied-coding"),
                "names scorecard llm-applied-coding",
            ),
            (lambda d: d["interviews"][0].update(interviewers=["<>"]), "expected 'Name'"),
            (lambda d: d["packet"].update(start="garbage"), "not a date and time"),
            (lambda d: d["interviews"][1].update(id="llm-coding"), "two interviews share an id"),
            (
                lambda d: d.update(cancelled=[{**_CANCEL, "person": "Sam Lee"}]),
                "a cancellation with no address: Sam Lee",
            ),
            (
                lambda d: d.update(cancelled=[{**_CANCEL, "end": _CANCEL["start"]}]),
                "a cancellation that ends before it starts",
            ),
            (
                lambda d: d.update(
                    cancelled=[_CANCEL, {**_CANCEL, "person": "S <SAM@example.com>"}]
                ),
                "two cancellations of u@loopkit for SAM@example.com",
            ),
            (
                lambda d: d.update(cancelled=[{**_CANCEL, "uid": "u\nX-EVIL:1"}]),
                "uid that does not print",
            ),
            (lambda d: d["interviews"][0].update(uid="u\nX-EVIL:1"), "uid that does not print"),
        ],
    )
    def test_debrief_and_packet_refuse_it_at_the_lock(
        self, packet: Path, edit: object, message: str
    ) -> None:
        """LK130 with the lock's file; a revision refuses to build on it too."""
        rehash(packet, edit)
        for args in (
            ["debrief", packet, "--allow-missing"],
            [
                "packet",
                "ai-engineer",
                "--candidate",
                "Ada Lovelace",
                "--date",
                "2026-12-04",
                "--tz",
                "UTC",
                "-o",
                "out",
            ],
        ):
            result = run(*args)
            assert result.exit_code == 1, result.output
            assert "loop.lock.toml" in result.output
            assert message in result.output
            assert "[LK130 error]" in result.output
            clean_exit_1(result.output)

    def test_a_lock_with_thousands_of_files_reads_back(self, packet: Path) -> None:
        """50 interviews of 20 people write over 2,000 files; the lock's model takes them."""
        data = tomllib.loads((packet / "loop.lock.toml").read_text("utf-8"))
        data.pop("hash")
        data["files"] = {f"scorecards/s{n}.pdf": "sha256:" + "0" * 64 for n in range(2100)}
        lock = validator(Lock).validate_python(data)
        assert len(lock.files) == 2100


class TestFilledCardText:
    @pytest.mark.parametrize(
        ("edit", "key", "message"),
        [
            (
                ('interviewer = "José Ruiz"', 'interviewer = "Jos\\u200be Ruiz"'),
                "interviewer",
                "invisible or control characters",
            ),
            (
                ('notes = ""', 'notes = "a\\u0000b"'),
                "notes",
                "control characters that do not print (U+0000)",
            ),
            (('notes = ""', 'notes = "good 🙂"'), "notes", "cannot print '🙂' U+1F642"),
        ],
    )
    def test_text_that_cannot_be_a_name_or_print_is_refused_with_its_line(
        self, packet: Path, edit: tuple[str, str], key: str, message: str
    ) -> None:
        """validate and debrief both find it, at the key and line, before anything is drawn."""
        card = packet / "scorecards" / "llm-coding--jose-ruiz.toml"
        text = card.read_text("utf-8")
        assert edit[0] in text
        card.write_text(text.replace(edit[0], edit[1]), "utf-8")
        commands: list[list[str | Path]] = [
            ["debrief", packet, "--allow-missing"],
            ["validate", card],
        ]
        for args in commands:
            result = run(*args)
            assert result.exit_code == 1, result.output
            assert re.search(
                rf"llm-coding--jose-ruiz\.toml:\d+: {key}: .*{re.escape(message)}", result.output
            ), result.output
        assert not (packet / "debrief.toml").exists()

    def test_a_name_written_in_nfd_is_the_same_person(self, packet: Path) -> None:
        """José typed with a combining accent is the José on the panel: not missing, not a stranger."""
        card = packet / "scorecards" / "llm-coding--jose-ruiz.toml"
        card.write_text(card.read_text("utf-8").replace("José Ruiz", "Jose\u0301 Ruiz"), "utf-8")
        result = run("debrief", packet, "--allow-missing")
        assert result.exit_code == 0, result.output
        assert "not on the panel" not in result.output
        assert "José Ruiz (llm-coding)" not in result.output


class TestWrites:
    def test_two_files_are_both_replaced_or_neither(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The second rename failing puts the first file back as it was."""
        first, second = tmp_path / "debrief.toml", tmp_path / "debrief.pdf"
        first.write_bytes(b"old toml")
        second.write_bytes(b"old pdf")
        real = os.replace

        def failing(src: object, dst: object) -> None:
            if str(dst).endswith("debrief.pdf") and str(src).endswith(".new"):
                raise PermissionError(1, "Operation not permitted", str(dst))
            real(src, dst)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "replace", failing)
        with pytest.raises(OutputError, match="Operation not permitted"):
            write_files_atomic({first: b"new toml", second: b"new pdf"})
        monkeypatch.undo()
        assert first.read_bytes() == b"old toml"
        assert second.read_bytes() == b"old pdf"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["debrief.pdf", "debrief.toml"]

    def test_a_debrief_of_a_packet_that_moved_meanwhile_is_not_written(self, packet: Path) -> None:
        """A revision that ran during the debrief moved the folder: the debrief says so, writes nothing."""
        debrief = debrief_packet(packet, allow_missing=True)
        moved = build("2026-12-04", JOSE)
        assert moved.exit_code == 0, moved.output
        with pytest.raises(OutputError, match="changed while the debrief ran"):
            write_debrief(debrief, packet)
        assert not packet.exists()

    @pytest.mark.parametrize("second", ["", "hire", "no-hire"])
    def test_a_decision_recorded_meanwhile_is_never_dropped(
        self, packet: Path, second: str
    ) -> None:
        """Two debriefs at once: one recorded "no-hire" while the other, begun before it,
        was being made; the other wrote its debrief over it, and both said they succeeded.
        The later writer now stops, and the decision stays."""
        first = debrief_packet(packet, allow_missing=True, decision="hire", reason="strong")
        write_debrief(first, packet)
        later = debrief_packet(packet, allow_missing=True, decision=second, reason="a reason")
        meanwhile = debrief_packet(
            packet, allow_missing=True, decision="no-hire", reason="weak on evals"
        )
        write_debrief(meanwhile, packet)
        recorded = (packet / "debrief.toml").read_bytes()
        with pytest.raises(OutputError, match="another debrief recorded a decision"):
            write_debrief(later, packet)
        assert (packet / "debrief.toml").read_bytes() == recorded
        again = debrief_packet(packet, allow_missing=True)  # run again: it keeps the decision
        assert again.decisions == (("no-hire", "weak on evals"), ("hire", "strong"))
        write_debrief(again, packet)


class TestLookingThingsUp:
    def test_a_local_loop_that_is_a_folder_is_an_error_not_the_built_in(self, here: Path) -> None:
        """./loops/ai-engineer.toml as a folder: its own error, never the built-in loop instead."""
        (here / "loops" / "ai-engineer.toml").mkdir(parents=True)
        result = run("plan", "ai-engineer", "--tz", "UTC")
        assert result.exit_code == 1
        assert "loops/ai-engineer.toml" in result.output
        clean_exit_1(result.output)

    @pytest.mark.parametrize(
        ("tz", "expected"),
        [
            (":/etc/localtime", None),
            ("/usr/share/zoneinfo/Europe/Paris", "Europe/Paris"),
            ("Europe/Berlin", "Europe/Berlin"),
            ("/nonexistent", "/nonexistent"),
        ],
    )
    def test_tz_is_read_as_the_c_library_reads_it(
        self, monkeypatch: pytest.MonkeyPatch, tz: str, expected: str | None
    ) -> None:
        """A path names the zone it points into; a name that is no zone is kept, to be refused."""
        monkeypatch.setenv("TZ", tz)
        if expected is None:  # whatever this machine's /etc/localtime points into
            target = os.path.realpath("/etc/localtime")
            expected = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "UTC"
        assert machine_zone() == expected

    def test_an_empty_zone_is_an_error_not_the_default(self, here: Path) -> None:
        """--tz '' names no zone; it is refused, as a typo would be."""
        result = run("plan", "ai-engineer", "--tz", "")
        assert result.exit_code == 2
        assert "--tz: unknown time zone ''" in result.output


class TestBatchChecksEveryRowFirst:
    def test_a_loop_with_unprintable_text_in_row_three_writes_nothing(self, here: Path) -> None:
        """The loop of line 3 cannot print; no packet of lines 2 and 4 is written."""
        loops = here / "loops"
        loops.mkdir()
        text = (bundled_dir("loops") / "ai-engineer.toml").read_text("utf-8")
        (loops / "title.toml").write_text(
            text.replace('id = "ai-engineer"', 'id = "title"').replace(
                'title = "LLM-applied coding"', 'title = "LLM 😀 coding"'
            ),
            "utf-8",
        )
        Path("x.csv").write_text(
            "candidate,loop,tz\nAda,ai-engineer,UTC\nBob,loops/title.toml,UTC\nCy,ml-engineer,UTC\n",
            "utf-8",
        )
        result = run("batch", "x.csv", "-o", "out", "--jobs", "1")
        assert result.exit_code == 1
        assert "line 3, loop:" in result.output
        assert "U+1F600" in result.output
        assert not (here / "out").exists()


class TestFoundInTheSecondCampaign:
    def test_an_interview_id_holding_a_seat_name_gets_its_own_files(self, here: Path) -> None:
        """An interview called llm-coding--sam beside Sam's llm-coding seat: two files, not one."""
        assert run("new", "myloop").exit_code == 0
        loop = here / "loops" / "myloop.toml"
        loop.write_text(
            loop.read_text("utf-8").replace(
                'id = "prompt-engineering-exercise"', 'id = "llm-coding--sam"'
            ),
            "utf-8",
        )
        result = run(
            "packet",
            "myloop",
            "--candidate",
            "Ada",
            "--date",
            "2026-12-03",
            "--tz",
            "UTC",
            "--interviewer",
            "llm-coding=Sam",
            "-o",
            "o",
        )
        assert result.exit_code == 0, result.output
        cards = sorted(
            p.name for p in (here / "o" / "2026-12-03-ada-myloop" / "scorecards").glob("*.toml")
        )
        assert "llm-coding--sam.toml" in cards
        assert "llm-coding--sam-2.toml" in cards

    def test_a_file_already_in_superseded_keeps_its_place_beside_the_moved_card(
        self, packet: Path
    ) -> None:
        """A person's file at the path a moved card would take: both stay."""
        card = packet / "scorecards" / "llm-coding--jose-ruiz.toml"
        filled = card.read_bytes()
        placeholder = packet / "superseded" / "r1" / "scorecards" / "llm-coding--jose-ruiz.toml"
        placeholder.parent.mkdir(parents=True)
        placeholder.write_text("placeholder", "utf-8")
        result = run(
            "packet",
            "ai-engineer",
            *ADA,
            "-o",
            "out",
            "--interviewer",
            "llm-coding=Sam Lee",
        )
        assert result.exit_code == 0, result.output
        assert placeholder.read_text("utf-8") == "placeholder"
        assert placeholder.with_name("llm-coding--jose-ruiz.toml.2").read_bytes() == filled
        why = (placeholder.parent.parent / "WHY.txt").read_text("utf-8")
        moved = "scorecards/llm-coding--jose-ruiz.toml (kept as scorecards/llm-coding--jose-ruiz.toml.2)"
        assert f"{moved}: " in why  # the line names where the card is

    def test_a_revision_keeps_a_persons_file_mode(self, packet: Path) -> None:
        """A private note stays private: carried by a link, its mode and bytes are the same."""
        note = packet / "private.txt"
        note.write_text("salary notes", "utf-8")
        note.chmod(0o600)
        result = build("2026-12-04", JOSE)
        assert result.exit_code == 0, result.output
        moved = packet.parent / "2026-12-04-ada-lovelace-ai-engineer" / "private.txt"
        assert moved.read_text("utf-8") == "salary notes"
        assert moved.stat().st_mode & 0o777 == 0o600

    def test_an_invitee_named_like_a_cancellation_keeps_their_own_invitation(
        self, here: Path
    ) -> None:
        """Grace Hopper is taken off; Grace Hopper Cancel comes on: two files, each its own."""
        base = [
            "packet",
            "ai-engineer",
            "--candidate",
            "Ada",
            "--date",
            "2026-12-03",
            "--tz",
            "UTC",
            "-o",
            "o",
            "--organizer",
            "Org <org@example.com>",
        ]
        run(*base, "--interviewer", "past-llm-feature-deep-dive=Grace Hopper <grace@example.com>")
        result = run(
            *base,
            "--interviewer",
            "past-llm-feature-deep-dive=Grace Hopper Cancel <gc@example.com>",
        )
        assert result.exit_code == 0, result.output
        invites = here / "o" / "2026-12-03-ada-ai-engineer" / "invites"
        assert "METHOD:CANCEL" in (invites / "grace-hopper-cancel.ics").read_text("utf-8")
        assert "METHOD:REQUEST" in (invites / "grace-hopper-cancel-2.ics").read_text("utf-8")

    @pytest.mark.parametrize(
        "address", ["ada,bcc@evil.com", "ada:evil@x.com", 'a"b@example.com', "zoë@example.com"]
    )
    def test_an_address_mail_cannot_carry_safely_is_refused(self, here: Path, address: str) -> None:
        """Commas, colons, quotes and letters outside ASCII would make two recipients or none."""
        result = run(
            "packet",
            "ai-engineer",
            "--candidate",
            "Ada",
            "--tz",
            "UTC",
            "--candidate-email",
            address,
            "--organizer",
            "Org <org@example.com>",
            "--dry-run",
        )
        assert result.exit_code == 2
        assert "--candidate-email: the e-mail address" in result.output

    def test_a_name_with_a_comma_is_one_recipient(self, here: Path) -> None:
        """Zoë O'Brien, Jr. is quoted in the To header: one address, her name whole."""
        result = run(
            "packet",
            "ai-engineer",
            "--candidate",
            "Ada",
            "--date",
            "2026-12-03",
            "--tz",
            "UTC",
            "-o",
            "o",
            "--organizer",
            "Org <org@example.com>",
            "--interviewer",
            "llm-coding=Zoë O'Brien, Jr. <hans@example.com>",
        )
        assert result.exit_code == 0, result.output
        (eml,) = (here / "o" / "2026-12-03-ada-ai-engineer" / "invites").glob("*.eml")
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        (address,) = message["To"].addresses
        assert (address.display_name, address.addr_spec) == ("Zoë O'Brien, Jr.", "hans@example.com")

    @pytest.mark.parametrize("name", ["Sam\u3164Lee", "Sam Lee\u034f", "\u3164"])
    def test_letters_that_draw_as_nothing_are_refused_in_names(self, here: Path, name: str) -> None:
        """A Hangul filler or a grapheme joiner would make two people look like one."""
        result = run("plan", "ai-engineer", "--tz", "UTC", "--interviewer", f"llm-coding={name}")
        assert result.exit_code == 2
        assert "invisible or control characters" in result.output

    def test_a_batch_with_a_folder_in_the_way_writes_nothing(self, here: Path) -> None:
        """Row 3's folder exists and holds no packet: found before row 2 is written."""
        (here / "bo" / "2026-12-03-bob-two-ai-engineer").mkdir(parents=True)
        Path("b.csv").write_text(
            "candidate,loop,date,tz\nAlice One,ai-engineer,2026-12-03,UTC\nBob Two,ai-engineer,2026-12-03,UTC\n",
            "utf-8",
        )
        result = run("batch", "b.csv", "-o", "bo", "--jobs", "1")
        assert result.exit_code == 1
        assert "line 3: " in result.output
        assert sorted(p.name for p in (here / "bo").iterdir()) == ["2026-12-03-bob-two-ai-engineer"]

    @pytest.mark.parametrize(
        ("edit", "message"),
        [
            (lambda d: d["seats"].append(dict(d["seats"][0])), "two seats share a file name"),
            (
                lambda d: d["seats"][0].update(interviewer="Bell\u0007 <b@example.com>"),
                "control characters",
            ),
            (lambda d: d["packet"].update(candidate="Ada\u0000"), "control characters"),
        ],
    )
    def test_a_lock_hashed_again_with_bad_seats_or_names_is_refused(
        self, packet: Path, edit: object, message: str
    ) -> None:
        """Duplicate seats and names that could never be typed are LK130 at the lock."""
        rehash(packet, edit)
        result = run("debrief", packet, "--allow-missing")
        assert result.exit_code == 1
        assert message in result.output
        assert "[LK130 error]" in result.output

    def test_a_debrief_through_a_link_writes_into_the_packet_itself(self, packet: Path) -> None:
        """The packet named by a link is the same packet: its lock and its folder."""
        link = packet.parent.parent / "pk"
        link.symlink_to(packet)
        result = run("debrief", link, "--allow-missing")
        assert result.exit_code == 0, result.output
        assert (packet / "debrief.toml").is_file()


class TestPlainMessages:
    def test_allow_and_currency_say_what_is_expected_in_words(self, write: object) -> None:
        """An error code in allow names the codes that can be; a lower-case currency says how to write it."""
        text = (bundled_dir("loops") / "ai-engineer.toml").read_text("utf-8")
        text = text.replace("hire_bar = 3.0", 'hire_bar = 3.0\nallow = ["LK110", "lk201"]')
        text = text.replace('currency = "USD"', 'currency = "usd"')
        Path("loops").mkdir()
        Path("loops/a.toml").write_text(text, "utf-8")
        result = run("validate", "loops/a.toml")
        assert result.exit_code == 1
        assert (
            "allow[0]: not a warning code that can be allowed: 'LK110' (codes: LK201, LK202, LK203, LK204, LK205, LK206, LK207, LK208, LK209, LK210)"
            in result.output
        )
        assert (
            "allow[1]: not a warning code that can be allowed: 'lk201'; did you mean LK201?"
            in result.output
        )
        assert (
            "comp_band.currency: a currency is a three-letter ISO code in capitals, like USD or EUR"
            in result.output
        )
        assert "pattern" not in result.output

    def test_a_misspelt_csv_column_gets_a_guess(self, here: Path) -> None:
        """candiate_tz is most likely candidate_tz."""
        Path("c.csv").write_text("candidate,loop,candiate_tz\nAda,ai-engineer,UTC\n", "utf-8")
        result = run("batch", "c.csv", "-o", "out")
        assert result.exit_code == 1
        assert "line 1, candiate_tz: unknown column; did you mean 'candidate_tz'?" in result.output

    def test_a_mistyped_interview_or_scorecard_id_gets_a_guess(self, here: Path) -> None:
        """llm-codin is most likely llm-coding; llm-aplied-coding most likely llm-applied-coding."""
        result = run("plan", "ai-engineer", "--tz", "UTC", "--interviewer", "llm-codin=Sam")
        assert "has no interview 'llm-codin' (did you mean 'llm-coding'?)" in result.output
        Path("loops").mkdir()
        text = (bundled_dir("loops") / "ai-engineer.toml").read_text("utf-8")
        Path("loops/x.toml").write_text(
            text.replace('scorecard = "llm-applied-coding"', 'scorecard = "llm-aplied-coding"'),
            "utf-8",
        )
        result = run("validate", "loops/x.toml")
        assert (
            "no scorecard 'llm-aplied-coding' (did you mean 'llm-applied-coding'?) [LK105 error]"
            in result.output
        )

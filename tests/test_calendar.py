"""Calendars that update instead of duplicating, right on every day of the year (SPEC 8.2)."""

from __future__ import annotations

import email
import email.header
import os
import re
import shutil
import subprocess
import tomllib
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner, Result
from icalendar import Calendar

from loopkit._data import bundled_dir
from loopkit._load import load_loop
from loopkit._readback import read_lock
from loopkit.cli import cli
from tests.helpers import ADA

ORGANIZER = "Rita Coordinator <rita@example.com>"
PANEL = [
    "--interviewer",
    "llm-coding=Sam Lee <sam@example.com>",
    "--interviewer",
    "llm-system-design=Ana Souza",
    "--interviewer",
    "past-llm-feature-deep-dive=Priya Raman <priya@example.com>; Jo Park <jo@example.com>",
]

# RFC 5546 section 3.2, VEVENT properties by METHOD: what must be there, and what must not.
REQUIRED = {
    "PUBLISH": {"DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "UID"},
    "REQUEST": {"ATTENDEE", "DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "UID"},
    "CANCEL": {"ATTENDEE", "DTSTAMP", "ORGANIZER", "SEQUENCE", "UID"},
}
FORBIDDEN = {
    "PUBLISH": {"ATTENDEE", "REQUEST-STATUS"},
    "REQUEST": {"REQUEST-STATUS"},
    "CANCEL": {"REQUEST-STATUS"},
}
AT_MOST_ONCE = {
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "ORGANIZER",
    "SUMMARY",
    "UID",
    "SEQUENCE",
    "STATUS",
    "DESCRIPTION",
}


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(cli, [str(a) for a in args], catch_exceptions=False)


def build(out: Path, day: str, start: str, tz: str, *extra: str, loop: str = "ai-engineer") -> Path:
    result = run(
        "packet",
        loop,
        "--candidate",
        "Ada Lovelace",
        "--date",
        day,
        "--start",
        start,
        "--tz",
        tz,
        "-o",
        out,
        *extra,
    )
    assert result.exit_code == 0, result.output
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    return folder


def _mail(path: Path) -> tuple[email.message.EmailMessage, str]:
    """An .eml file as a message, and its plain text."""
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, email.message.EmailMessage)
    plain = message.get_body(("plain",))
    assert plain is not None
    return message, plain.get_content()


def check_itip(path: Path) -> Calendar:
    """The file parses, and every VEVENT meets RFC 5546's table for the file's METHOD."""
    calendar = Calendar.from_ical(path.read_bytes())
    method = str(calendar.get("method", ""))
    events = list(calendar.walk("VEVENT"))
    assert events, path
    for event in events:
        names = [
            name
            for name, _ in event.property_items(recursive=False)
            if name not in ("BEGIN", "END")
        ]
        for name in AT_MOST_ONCE:
            assert names.count(name) <= 1, (path.name, name)
        if method:
            assert REQUIRED[method] <= set(names), (path.name, REQUIRED[method] - set(names))
            assert not FORBIDDEN[method] & set(names), (path.name, FORBIDDEN[method] & set(names))
        if "DTEND" in names:
            assert event.decoded("dtend") > event.decoded("dtstart"), path.name
    return calendar


def utc_starts(calendar: Calendar) -> list[datetime]:
    return [e.decoded("dtstart").astimezone(UTC) for e in calendar.walk("VEVENT")]


# Independently of loopkit: the loop's first start in UTC on each tricky day, by hand from the
# zone's rules, and the real minutes from the loop's start to each interview's.
AI_OFFSETS = [0, 60, 140, 210]  # 50m + 10m break; 50m + 30m lunch; 60m + 10m break
DAYS = [
    (
        "America/New_York",
        "2026-11-01",
        "00:30",
        datetime(2026, 11, 1, 4, 30, tzinfo=UTC),
    ),  # EDT; clocks go back at 02:00
    (
        "America/New_York",
        "2026-03-08",
        "00:30",
        datetime(2026, 3, 8, 5, 30, tzinfo=UTC),
    ),  # EST; clocks go forward at 02:00
    (
        "Europe/Berlin",
        "2026-10-25",
        "01:30",
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
    ),  # CEST; back at 03:00
    (
        "Europe/Berlin",
        "2026-03-29",
        "01:30",
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
    ),  # CET; forward at 02:00
    ("Asia/Kolkata", "2026-12-03", "09:00", datetime(2026, 12, 3, 3, 30, tzinfo=UTC)),  # +05:30
    ("Asia/Kathmandu", "2026-12-03", "09:00", datetime(2026, 12, 3, 3, 15, tzinfo=UTC)),  # +05:45
    (
        "Australia/Adelaide",
        "2026-04-05",
        "01:30",
        datetime(2026, 4, 4, 15, 0, tzinfo=UTC),
    ),  # +10:30, back at 03:00
    (
        "Australia/Adelaide",
        "2026-10-04",
        "01:30",
        datetime(2026, 10, 3, 16, 0, tzinfo=UTC),
    ),  # +09:30, forward at 02:00
]


class TestInstants:
    @pytest.mark.parametrize(("tz", "day", "start", "first"), DAYS)
    def test_every_event_is_at_the_right_instant_on_the_days_clocks_change(
        self, tmp_path: Path, tz: str, day: str, start: str, first: datetime
    ) -> None:
        """Parsed back, each event starts at the hand-computed UTC instant and ends after it starts."""
        folder = build(tmp_path / "out", day, start, tz, "--organizer", ORGANIZER, *PANEL)
        for path in (folder / "schedule.ics", *sorted((folder / "invites").glob("*.ics"))):
            check_itip(path)
        calendar = check_itip(folder / "schedule.ics")
        assert utc_starts(calendar) == [first + timedelta(minutes=m) for m in AI_OFFSETS]
        # around a change of the clocks every time is UTC: no VTIMEZONE to misread
        changes = tz in ("America/New_York", "Europe/Berlin", "Australia/Adelaide")
        assert ("TZID" in (folder / "schedule.ics").read_text("utf-8")) is not changes
        # elsewhere the VTIMEZONE covers the packet's days only, not 1970 to 2037
        for zone in calendar.walk("VTIMEZONE"):
            years = [sub.decoded("DTSTART").year for sub in zone.subcomponents]
            assert set(years) == {int(day[:4])}, years

    def test_the_autumn_night_prints_both_zone_names(self, tmp_path: Path) -> None:
        """plan says 01:30 EDT-01:20 EST where the clocks go back mid-interview, never 01:30-01:20 EST."""
        result = run(
            "plan",
            "ai-engineer",
            "--date",
            "2026-11-01",
            "--start",
            "00:30",
            "--tz",
            "America/New_York",
        )
        assert result.exit_code == 0, result.output
        assert "01:30 EDT-01:20 EST" in result.output
        assert "01:30-01:20" not in result.output


class TestPublishAndInvitations:
    def test_schedule_ics_without_an_organizer_is_a_plain_calendar_without_attendees(
        self, tmp_path: Path
    ) -> None:
        """No METHOD (PUBLISH needs an ORGANIZER), no ATTENDEE, and no invites/ folder."""
        folder = build(tmp_path / "out", "2026-12-03", "09:30", "UTC", *PANEL)
        calendar = check_itip(folder / "schedule.ics")
        assert "method" not in calendar
        assert "ATTENDEE" not in (folder / "schedule.ics").read_text("utf-8")
        assert not (folder / "invites").exists()

    def test_each_person_with_an_email_gets_a_request_and_an_eml_carrying_it(
        self, tmp_path: Path
    ) -> None:
        """Interviewers and the candidate get REQUESTs; the .eml's calendar part is the .ics."""
        folder = build(
            tmp_path / "out",
            "2026-12-03",
            "09:30",
            "UTC",
            "--organizer",
            ORGANIZER,
            "--candidate-email",
            "ada@example.org",
            *PANEL,
        )
        names = sorted(p.name for p in (folder / "invites").iterdir())
        assert names == [
            f"{who}.{ext}"
            for who in ("ada-lovelace", "jo-park", "priya-raman", "sam-lee")
            for ext in ("eml", "ics")
        ]
        for ics in (folder / "invites").glob("*.ics"):
            calendar = check_itip(ics)
            assert str(calendar["method"]) == "REQUEST"
            message = email.message_from_bytes(
                ics.with_suffix(".eml").read_bytes(), policy=policy.default
            )
            part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
            assert part.get_param("method") == "REQUEST"
            assert part.get_content().encode("utf-8") == ics.read_bytes()
            assert message["From"] == ORGANIZER
        sam = Calendar.from_ical((folder / "invites" / "sam-lee.ics").read_bytes())
        assert [str(e["summary"]) for e in sam.walk("VEVENT")] == [
            "LLM-applied coding: Ada Lovelace"
        ]
        assert [str(e["attendee"]) for e in sam.walk("VEVENT")] == ["mailto:sam@example.com"]
        ada = Calendar.from_ical((folder / "invites" / "ada-lovelace.ics").read_bytes())
        assert len(list(ada.walk("VEVENT"))) == 4

    @pytest.mark.parametrize("loop", ["ai-engineer", "ml-engineer"])
    def test_nothing_internal_in_the_candidates_invitation(self, tmp_path: Path, loop: str) -> None:
        """No brief, focus, prompt, rubric, weight or bar in the candidate's .ics or .eml."""
        first = load_loop(loop).loop.interviews[0].id
        folder = build(
            tmp_path / "out",
            "2026-12-03",
            "09:30",
            "UTC",
            "--organizer",
            ORGANIZER,
            "--candidate-email",
            "ada@example.org",
            "--interviewer",
            f"{first}=Sam Lee <sam@example.com>",
            loop=loop,
        )
        document = load_loop(loop)
        for path in (
            folder / "invites" / "ada-lovelace.ics",
            folder / "invites" / "ada-lovelace.eml",
        ):
            text = path.read_text("utf-8").replace("\r\n ", "").replace("\n ", "")
            for interview in document.loop.interviews:
                if interview.brief:
                    assert interview.brief[:25] not in text, path.name
                for focus in interview.focus:
                    assert focus not in text, (path.name, focus)
            for card in document.scorecards.values():
                for prompt in card.template.prompts:
                    assert prompt[:25] not in text
                for competency in card.template.competencies:
                    assert competency.look_for[:25] not in text
            assert not re.search(r"weight|hire bar", text, re.IGNORECASE), path.name
        # the interviewer's invitation does carry the brief
        sam = (folder / "invites" / "sam-lee.ics").read_text("utf-8").replace("\r\n ", "")
        assert document.loop.interviews[0].brief[:25] in sam


class TestUpdates:
    def test_a_reschedule_keeps_uids_raises_sequence_and_cancels_the_removed(
        self, tmp_path: Path
    ) -> None:
        """Same UIDs, SEQUENCE 1, a later DTSTAMP; the swapped-out interviewer gets a CANCEL."""
        out = tmp_path / "out"
        env = {"SOURCE_DATE_EPOCH": "1800000000"}
        args = ["--organizer", ORGANIZER, *PANEL]
        result = run(
            "packet",
            "ai-engineer",
            *ADA,
            "-o",
            out,
            *args,
            env=env,
        )
        assert result.exit_code == 0, result.output
        first = Calendar.from_ical(next(out.glob("*/schedule.ics")).read_bytes())
        swapped = [
            a.replace("Sam Lee <sam@example.com>", "Noor Haddad <noor@example.com>") for a in args
        ]
        env2 = {"SOURCE_DATE_EPOCH": "1800003600"}
        result = run(
            "packet",
            "ai-engineer",
            "--candidate",
            "Ada Lovelace",
            "--date",
            "2026-12-04",
            "--tz",
            "UTC",
            "-o",
            out,
            *swapped,
            env=env2,
        )
        assert result.exit_code == 0, result.output
        folder = out / "2026-12-04-ada-lovelace-ai-engineer"
        second = check_itip(folder / "schedule.ics")
        old = {str(e["uid"]): e for e in first.walk("VEVENT")}
        new = {str(e["uid"]): e for e in second.walk("VEVENT")}
        assert old.keys() == new.keys()
        for uid, event in new.items():
            assert event.decoded("sequence") == old[uid].decoded("sequence") + 1
            assert event.decoded("dtstamp") == datetime.fromtimestamp(1800003600, UTC)
            assert event.decoded("dtstart") - old[uid].decoded("dtstart") == timedelta(days=1)
        cancel = check_itip(folder / "invites" / "sam-lee-cancel.ics")
        assert str(cancel["method"]) == "CANCEL"
        (event,) = cancel.walk("VEVENT")
        assert str(event["uid"]) == "ada-lovelace-ai-engineer--llm-coding@loopkit"
        assert event.decoded("sequence") == 1
        assert str(event["attendee"]) == "mailto:sam@example.com"
        lock, _ = read_lock(folder)
        assert [h.at for h in lock.history] == [
            "2027-01-15T08:00:00+00:00",
            "2027-01-15T09:00:00+00:00",
        ]

    def test_a_cancellation_not_yet_sent_outlives_the_next_revision(self, tmp_path: Path) -> None:
        """Sam swapped out, then the day moved before anyone sent revision 2's files: his
        cancellation was gone from invites/, and his calendar kept the interview. It stays
        until he is invited to that event again, and reads as before."""
        out = tmp_path / "out"
        swap = [
            a.replace("Sam Lee <sam@example.com>", "Noor Haddad <noor@example.com>") for a in PANEL
        ]
        packet: list[str | Path] = ["packet", "ai-engineer", "-o", out, "--organizer", ORGANIZER]
        assert run(*packet, *ADA, *PANEL).exit_code == 0
        first = check_itip(next(out.glob("*/invites/sam-lee.ics")))
        (invited,) = first.walk("VEVENT")
        assert "send: invites/sam-lee-cancel.eml" in run(*packet, *ADA, *swap).output
        moved = [*ADA[:2], "--date", "2026-12-04", *ADA[4:]]
        result = run(*packet, *moved, *swap)
        assert result.exit_code == 0, result.output
        sends = [line for line in result.output.splitlines() if "send:" in line]
        assert not [line for line in sends if "sam-lee-cancel" in line]
        assert re.search(
            r"no need to send again \(the same as before\): .*sam-lee-cancel", result.output
        )
        invites = out / "2026-12-04-ada-lovelace-ai-engineer" / "invites"
        (event,) = check_itip(invites / "sam-lee-cancel.ics").walk("VEVENT")
        assert str(event["uid"]) == str(invited["uid"])
        assert event.decoded("dtstart") == invited.decoded("dtstart")  # the day he was asked for
        assert event.decoded("sequence") == 1
        assert str(event["attendee"]) == "mailto:sam@example.com"
        _, text = _mail(invites / "sam-lee-cancel.eml")
        assert "off for you" in text
        assert "LLM-applied coding" in text
        # Sam back in that interview: his invitation stands, the cancellation goes
        result = run(*packet, *moved, *PANEL)
        assert result.exit_code == 0, result.output
        assert not (invites / "sam-lee-cancel.ics").exists()
        assert "send: invites/sam-lee.eml (new)" in result.output
        lock, _ = read_lock(invites.parent)
        assert [c.person for c in lock.cancelled] == ["Noor Haddad <noor@example.com>"]

    def test_a_cancellation_sent_is_not_asked_for_again_when_only_its_words_change(
        self, tmp_path: Path
    ) -> None:
        """The candidate renamed (her --id given): Sam's cancellation of long before was
        listed to send again, its e-mail naming her anew. Taken off the event again after
        being put back on it, he is sent one again."""
        out = tmp_path / "out"
        swap = [
            a.replace("Sam Lee <sam@example.com>", "Noor Haddad <noor@example.com>") for a in PANEL
        ]
        packet: list[str | Path] = ["packet", "ai-engineer", "-o", out, "--organizer", ORGANIZER]
        assert run(*packet, *ADA, *PANEL).exit_code == 0
        assert "send: invites/sam-lee-cancel.eml" in run(*packet, *ADA, *swap).output
        renamed = ["--candidate", "Ada King", "--id", "ada-lovelace-ai-engineer", *ADA[2:]]
        result = run(*packet, *renamed, *swap)
        assert result.exit_code == 0, result.output
        assert "sam-lee-cancel" not in "".join(
            x for x in result.output.splitlines() if "send:" in x
        )
        assert re.search(
            r"no need to send again \(the same as before\): .*sam-lee-cancel", (result.output)
        )
        assert "send: invites/sam-lee.eml (new)" in run(*packet, *renamed, *PANEL).output
        again = run(*packet, *renamed, *swap)
        assert "send: invites/sam-lee-cancel.eml (a cancellation)" in again.output

    def test_a_person_put_back_without_an_address_is_invited_again(self, tmp_path: Path) -> None:
        """Sam swapped out, then put back as a bare "Sam Lee": he was on the event without an
        invitation, and his cancellation of it stood, listed as the same as before."""
        out = tmp_path / "out"
        packet: list[str | Path] = [
            "packet",
            "ai-engineer",
            *ADA,
            "-o",
            out,
            "--organizer",
            ORGANIZER,
        ]
        assert run(*packet, *PANEL).exit_code == 0
        noor = "Noor Haddad <noor@example.com>"
        swap = [a.replace("Sam Lee <sam@example.com>", noor) for a in PANEL]
        assert run(*packet, *swap).exit_code == 0
        back = [a.replace("Sam Lee <sam@example.com>", f"{noor}; Sam Lee") for a in PANEL]
        result = run(*packet, *back)
        assert result.exit_code == 0, result.output
        assert "interviewer added: Sam Lee <sam@example.com>" in result.output
        assert "send: invites/sam-lee.eml (new)" in result.output
        assert "sam-lee-cancel" not in result.output
        invites = out / "2026-12-03-ada-lovelace-ai-engineer" / "invites"
        assert not (invites / "sam-lee-cancel.ics").exists()
        (event,) = check_itip(invites / "sam-lee.ics").walk("VEVENT")
        assert str(event["uid"]) == "ada-lovelace-ai-engineer--llm-coding@loopkit"

    def test_a_lock_without_cancellations_is_written_as_before(self, tmp_path: Path) -> None:
        """The lock keeps no empty list of cancellations: its bytes stay those an earlier
        loopkit wrote for the same packet."""
        out = tmp_path / "out"
        assert (
            run("packet", "ai-engineer", *ADA, "-o", out, "--organizer", ORGANIZER).exit_code == 0
        )
        assert "cancelled" not in next(out.glob("*/loop.lock.toml")).read_text("utf-8")

    def test_the_candidates_old_address_is_told_where_the_invitations_went(
        self, tmp_path: Path
    ) -> None:
        """It was told "These interviews with Ada Lovelace are off for you", under
        "Cancelled:", of her own day, which goes ahead."""
        out = tmp_path / "out"
        given = [*ADA, "-o", str(out), "--organizer", ORGANIZER, *PANEL]
        first = [*given, "--candidate-email", "ada@old.example"]
        assert run("packet", "ai-engineer", *first).exit_code == 0
        moved = [*given, "--candidate-email", "ada@new.example", "--id", "ada-lovelace-ai-engineer"]
        result = run("packet", "ai-engineer", *moved)
        assert result.exit_code == 0, result.output
        invites = out / "2026-12-03-ada-lovelace-ai-engineer" / "invites"
        old, text = _mail(invites / "ada-lovelace-2-cancel.eml")  # her old address
        assert str(old["To"]) == "Ada Lovelace <ada@old.example>"
        assert (
            str(old["Subject"])
            .strip()
            .startswith("Invitations moved to another address: interviews")
        )
        assert "now go to ada@new.example" in text
        assert "off for you" not in text
        # her new address had no invitation before; Sam's had one, which this one replaces
        ada, text = _mail(invites / "ada-lovelace.eml")
        assert "This replaces" not in text
        assert "The attached invitation adds these to your calendar." in text
        assert (
            str(ada["Subject"]).strip()
            == "Interviews for AI engineer (LLM-applied), senior IC: Ada Lovelace"
        )
        sam, text = _mail(invites / "sam-lee.eml")  # his calendar has them: moved, not added
        assert "(This replaces the invitation sent before.)" in text
        assert "The attached invitation updates these in your calendar." in text
        assert "adds" not in text
        assert str(sam["Subject"]).strip() == (
            "Updated: interviews for AI engineer (LLM-applied), senior IC: Ada Lovelace"
        )
        swapped = [a.replace("Sam Lee <sam@example.com>", "Lu Wei <lu@example.com>") for a in moved]
        assert run("packet", "ai-engineer", *swapped).exit_code == 0
        sam, text = _mail(invites / "sam-lee-cancel.eml")
        assert str(sam["Subject"]).strip().startswith("Cancelled: interviews")
        assert "These interviews with Ada Lovelace are off for you" in text

    def test_a_subject_keeps_every_space_of_a_name_in_any_script(self, tmp_path: Path) -> None:
        """ "Nguyễn Thị Minh Khai" came back "NguyễnThị Minh Khai" in the subjects of updates
        and cancellations: the e-mail package's folding encoded the two words apart, and a
        reader joins adjacent encoded words without the space between them."""
        out = tmp_path / "out"
        name = "Nguyễn Thị Minh Khai"
        given = ["--candidate", name, "--date", "2026-12-03", "--tz", "UTC", "-o", str(out)]
        given += ["--organizer", ORGANIZER, "--candidate-email", "khai@example.vn"]
        given += ["--interviewer", "llm-coding=Олег Петров <oleg@example.ru>"]
        assert run("packet", "ai-engineer", *given).exit_code == 0
        swapped = [
            a.replace("Олег Петров <oleg@example.ru>", "李伟 <li@example.cn>") for a in given
        ]
        assert run("packet", "ai-engineer", *swapped).exit_code == 0
        (invites,) = out.glob("*/invites")
        title = "AI engineer (LLM-applied), senior IC"
        expected = {
            "nguyen-thi-minh-khai.eml": f"Updated: interviews for {title}: {name}",
            "oleg-petrov-cancel.eml": f"Cancelled: interviews for {title}: {name}",
            "li-wei.eml": f"Interviews for {title}: {name}",
        }
        for file, subject in expected.items():
            raw = (invites / file).read_bytes()
            assert str(_mail(invites / file)[0]["Subject"]) == subject, file
            legacy = email.message_from_bytes(raw)  # as an older reader decodes it
            decoded = email.header.make_header(email.header.decode_header(legacy["Subject"]))
            assert str(decoded) == subject, file
            assert max(len(line) for line in raw.split(b"\r\n")[:8]) <= 78, file

    def test_a_revision_says_which_invitations_to_send(self, tmp_path: Path) -> None:
        """Every e-mail of a revision read as one to send again, the unchanged too, and the
        output named none: one interviewer swapped is his cancellation, his successor's
        invitation, and the candidate's (her day lists the interviewers)."""
        out = tmp_path / "out"
        given = [*ADA, "-o", str(out), "--organizer", ORGANIZER, *PANEL]
        given += ["--candidate-email", "ada@example.com"]
        assert run("packet", "ai-engineer", *given).exit_code == 0
        swapped = [a.replace("Sam Lee <sam@example.com>", "Lu Wei <lu@example.com>") for a in given]
        result = run("packet", "ai-engineer", *swapped)
        assert result.exit_code == 0, result.output
        sends = [line.strip() for line in result.output.splitlines() if "send" in line]
        assert sends[:3] == [
            "send: invites/ada-lovelace.eml (changed)",
            "send: invites/lu-wei.eml (new)",
            "send: invites/sam-lee-cancel.eml (a cancellation)",
        ]
        assert sends[3].startswith("no need to send again (the same as before): ")
        assert "ada-lovelace" not in sends[3]
        assert "lu-wei" not in sends[3]
        invites = out / "2026-12-03-ada-lovelace-ai-engineer" / "invites"
        assert "This replaces" not in _mail(invites / "lu-wei.eml")[1]  # never invited before
        moved = run("packet", "ai-engineer", *swapped, "--start", "11:00")
        listed = [line.strip() for line in moved.output.splitlines() if "send" in line]
        # every invitation moved; Sam's cancellation of the interview he left stands as it was
        assert "no need to send again (the same as before): sam-lee-cancel\n" in moved.output
        assert "send: invites/lu-wei.eml (changed)" in listed
        assert "(This replaces the invitation sent before.)" in _mail(invites / "lu-wei.eml")[1]
        again = run("packet", "ai-engineer", *swapped, "--start", "11:00")
        assert "send" not in again.output  # nothing changed, nothing written

    def test_invitations_to_send_are_told_by_address_and_by_what_their_reader_reads(
        self, tmp_path: Path
    ) -> None:
        """A renamed interviewer was "new" (another file name), and a trainee made a counted
        interviewer "need not hear again" (only the calendar was compared, not the e-mail)."""
        out = tmp_path / "out"
        coding = "llm-coding=Sam Lee <sam@example.com>; Tina Trainee <tina@example.com> (shadow)"
        given = [*ADA, "-o", str(out), "--organizer", ORGANIZER, *PANEL, "--interviewer", coding]
        assert run("packet", "ai-engineer", *given).exit_code == 0
        renamed = [a.replace("Priya Raman <", "Priya Raman-Iyer <") for a in given]
        result = run("packet", "ai-engineer", *renamed)
        assert result.exit_code == 0, result.output
        assert "send: invites/priya-raman-iyer.eml (changed)" in result.output
        counted = [a.replace(" (shadow)", "") for a in renamed]
        result = run("packet", "ai-engineer", *counted)
        assert "send: invites/tina-trainee.eml (changed)" in result.output
        assert "no need to send again (the same as before): jo-park, priya-raman-iyer" in (
            result.output
        )

    def test_a_revision_typed_without_organizer_or_address_keeps_both(self, tmp_path: Path) -> None:
        """A swap typed without --organizer wrote no invitations and no cancellation, and the
        next revision with it never cancelled the swapped-out interviewer's event; without
        --candidate-email her day was cancelled at her address."""
        out = tmp_path / "out"
        base = [*ADA, "-o", str(out), *PANEL]
        given = [*base, "--organizer", ORGANIZER, "--candidate-email", "ada@example.com"]
        assert run("packet", "ai-engineer", *given).exit_code == 0
        swapped = [a.replace("Sam Lee <sam@example.com>", "Lu Wei <lu@example.com>") for a in base]
        result = run("packet", "ai-engineer", *swapped)
        assert result.exit_code == 0, result.output
        assert "organizer" not in result.output
        assert "e-mail" not in result.output
        assert "send: invites/sam-lee-cancel.eml (a cancellation)" in result.output
        assert "ada-lovelace-cancel" not in result.output
        folder = out / "2026-12-03-ada-lovelace-ai-engineer"
        lock, _ = read_lock(folder)
        assert (lock.packet.organizer, lock.packet.candidate_email) == (
            ORGANIZER,
            "ada@example.com",
        )
        cancel = {
            name: (folder / "invites" / name).read_bytes()
            for name in ("sam-lee-cancel.eml", "sam-lee-cancel.ics", "lu-wei.eml", "lu-wei.ics")
        }
        dropped = run("packet", "ai-engineer", *swapped, "--organizer", "")
        assert "organizer: Rita Coordinator <rita@example.com> -> (none); the invitations sent" in (
            dropped.output
        )
        assert not (folder / "invites").exists()
        # what invites/ held, maybe not yet sent, is kept as it was: never dropped unsaid
        for name, data in cancel.items():
            assert (folder / "superseded" / "r2" / "invites" / name).read_bytes() == data
            said = "a cancellation" if "cancel" in name else "an invitation of revision 2"
            assert f"moved to superseded/: invites/{name}: {said}" in dropped.output

    def test_a_revisions_organizer_is_the_packets_before_loopkit_tomls(self, here: Path) -> None:
        """loopkit.toml names Rita; the packet was sent from Olga. A reschedule typed without
        --organizer made Rita the organizer of every event, though the help says the
        packet's stays. A first build lists every invitation to send."""
        (here / "loopkit.toml").write_text('organizer = "Rita Moreno <rita@example.com>"\n')
        given = [*ADA, "-o", "out", *PANEL]
        olga = ["--organizer", "Olga Org <olga@example.com>"]
        dry = run("packet", "ai-engineer", *given, *olga, "--dry-run")  # as the build says it
        assert "  send: invites/sam-lee.eml (new)" in dry.output
        first = run("packet", "ai-engineer", *given, *olga)
        assert first.exit_code == 0, first.output
        assert "  send: invites/sam-lee.eml (new)" in first.output
        result = run("packet", "ai-engineer", *given, "--start", "10:00")
        assert result.exit_code == 0, result.output
        assert "organizer" not in result.output
        lock, _ = read_lock(here / "out" / "2026-12-03-ada-lovelace-ai-engineer")
        assert lock.packet.organizer == "Olga Org <olga@example.com>"
        new = run("packet", "ai-engineer", *[a.replace("Ada Lovelace", "Ada King") for a in given])
        assert "organizer" not in new.output  # a first build: loopkit.toml's, as before
        lock, _ = read_lock(here / "out" / "2026-12-03-ada-king-ai-engineer")
        assert lock.packet.organizer == "Rita Moreno <rita@example.com>"
        rows = here / "rows.csv"  # a batch cell left empty keeps Olga, not loopkit.toml's Rita
        rows.write_text(
            "candidate,loop,date,start,tz,organizer\nAda Lovelace,ai-engineer,2026-12-03,11:00,UTC,\n"
        )
        batch = run("batch", rows, "-o", "out")
        assert batch.exit_code == 0, batch.output
        assert "organizer" not in batch.output
        dropped = run("packet", "ai-engineer", *given, "--start", "10:00", "--organizer", "")
        assert "organizer: Olga Org <olga@example.com> -> (none)" in dropped.output
        none = [a.replace("Ada Lovelace", "Ada Byron") for a in given]
        first = run("packet", "ai-engineer", *none, "--organizer", "")  # '' over loopkit.toml's
        assert "send:" not in first.output
        folder = here / "out" / "2026-12-03-ada-byron-ai-engineer"
        assert read_lock(folder)[0].packet.organizer == ""
        later = run("packet", "ai-engineer", *none, "--start", "10:00")  # none before stays none
        assert "organizer" not in later.output
        assert read_lock(folder)[0].packet.organizer == ""

    def test_an_interviewer_named_without_the_address_keeps_it(self, tmp_path: Path) -> None:
        """ "Sam Lee" typed for "Sam Lee <sam@example.com>" moved his filled card to
        superseded/ and sent him a cancellation of the interview he is still in."""
        out = tmp_path / "out"
        given = [*ADA, "-o", str(out), "--organizer", ORGANIZER, *PANEL]
        assert run("packet", "ai-engineer", *given).exit_code == 0
        folder = out / "2026-12-03-ada-lovelace-ai-engineer"
        card = folder / "scorecards" / "llm-coding--sam-lee.toml"
        card.write_text(card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3"))
        filled = card.read_bytes()
        bare = [a.replace("Sam Lee <sam@example.com>", "Sam Lee") for a in given]
        result = run("packet", "ai-engineer", *bare, "--start", "10:00")
        assert result.exit_code == 0, result.output
        assert "cancel" not in result.output
        assert "send: invites/sam-lee.eml (changed)" in result.output
        assert card.read_bytes() == filled
        assert not (folder / "superseded").exists()

    def test_an_interviewer_typed_bare_in_another_interview_is_invited_to_it(
        self, tmp_path: Path
    ) -> None:
        """ "Sam Lee" added bare to an interview he was not in was locked there without his
        address: never invited to it, and nothing said so. He is the one Sam Lee the packet
        knows; one named without any address is said to get no invitation."""
        out = tmp_path / "out"
        given = [*ADA, "-o", str(out), "--organizer", ORGANIZER, *PANEL]
        first = run("packet", "ai-engineer", *given)
        said = "no invitation, for want of an address: Ana Souza (LLM system design)"
        assert said in first.output
        owed = run("status", out, "--owed", "--now", "2026-12-05T00:00Z")
        ana = owed.output.split("Ana Souza: 1 scorecard")[1].split("\n\n")[0]
        assert "(no address in the packet: remind them another way)" in ana
        king = run("packet", "ai-engineer", *[a.replace("Lovelace", "King") for a in given], "-q")
        assert said in king.output  # a warning: -q keeps it
        added = [*given, "--interviewer", "prompt-engineering-exercise=Sam Lee"]
        result = run("packet", "ai-engineer", *added)
        assert result.exit_code == 0, result.output
        assert "send: invites/sam-lee.eml (changed)" in result.output
        folder = out / "2026-12-03-ada-lovelace-ai-engineer"
        sam = Calendar.from_ical((folder / "invites" / "sam-lee.ics").read_bytes())
        assert len(list(sam.walk("VEVENT"))) == 2
        lock, _ = read_lock(folder)
        (exercise,) = (i for i in lock.interviews if i.id == "prompt-engineering-exercise")
        assert exercise.interviewers == ["Sam Lee <sam@example.com>"]
        assert "Sam Lee" not in result.output.split("want of an address:")[-1]

    def test_a_bare_name_takes_the_address_the_command_gives_it_not_the_one_it_replaced(
        self, tmp_path: Path
    ) -> None:
        """Sam's address changed in the same command that added him bare to another interview:
        he was given there the address the command had just replaced."""
        out = tmp_path / "out"
        base = [*ADA, "-o", str(out), "--organizer", ORGANIZER]
        assert (
            run(
                "packet",
                "ai-engineer",
                *base,
                "--interviewer",
                "llm-coding=Sam Lee <sam@old.example>",
            ).exit_code
            == 0
        )
        moved = ["--interviewer", "llm-coding=Sam Lee <sam@new.example>"]
        moved += ["--interviewer", "llm-system-design=Sam Lee"]
        result = run("packet", "ai-engineer", *base, *moved)
        assert result.exit_code == 0, result.output
        assert "llm-system-design: interviewer added: Sam Lee <sam@new.example>" in result.output
        lock, _ = read_lock(out / "2026-12-03-ada-lovelace-ai-engineer")
        (design,) = (i for i in lock.interviews if i.id == "llm-system-design")
        assert design.interviewers == ["Sam Lee <sam@new.example>"]

    def test_a_name_locked_without_an_address_keeps_its_seat(self, tmp_path: Path) -> None:
        """Sam Lee written bare in a second interview of a first build stays so when the
        packet is built again: an address given there would make it another seat."""
        out = tmp_path / "out"
        given = [*ADA, "-o", str(out), "--organizer", ORGANIZER, *PANEL]
        given += ["--interviewer", "prompt-engineering-exercise=Sam Lee"]
        first = run("packet", "ai-engineer", *given)
        assert "Sam Lee (Prompt engineering exercise)" in first.output
        again = run("packet", "ai-engineer", *given)
        assert again.exit_code == 0, again.output
        assert "is up to date" in again.output

    def test_without_source_date_epoch_the_stamp_is_the_clock(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """DTSTAMP and the history's time are when the packet was made."""
        monkeypatch.delenv("SOURCE_DATE_EPOCH")
        before = datetime.now(UTC).replace(microsecond=0)
        folder = build(tmp_path / "out", "2026-12-03", "09:30", "UTC", *PANEL)
        after = datetime.now(UTC)
        for event in Calendar.from_ical((folder / "schedule.ics").read_bytes()).walk("VEVENT"):
            assert before <= event.decoded("dtstamp") <= after
        lock, _ = read_lock(folder)
        assert before <= datetime.fromisoformat(lock.history[0].at) <= after

    def test_the_same_inputs_history_and_epoch_give_the_same_bytes(self, tmp_path: Path) -> None:
        """Two builds with one SOURCE_DATE_EPOCH are byte-identical, invitations included."""
        env = {"SOURCE_DATE_EPOCH": "1800000000"}
        folders = []
        for name in ("a", "b"):
            result = run(
                "packet",
                "ai-engineer",
                *ADA,
                "-o",
                tmp_path / name,
                "--organizer",
                ORGANIZER,
                "--candidate-email",
                "ada@example.org",
                *PANEL,
                env=env,
            )
            assert result.exit_code == 0, result.output
            folders.append(tmp_path / name / "2026-12-03-ada-lovelace-ai-engineer")
        files = sorted(p.relative_to(folders[0]) for p in folders[0].rglob("*") if p.is_file())
        assert len(files) > 10
        for rel in files:
            assert (folders[0] / rel).read_bytes() == (folders[1] / rel).read_bytes(), rel


def short_loop(folder: Path) -> str:
    """loops/ai-engineer-short.toml in ``folder``: ai-engineer without its last interview,
    the prompt engineering exercise; its id."""
    loop = tomllib.loads((bundled_dir("loops") / "ai-engineer.toml").read_text("utf-8"))
    loop["interviews"] = [i for i in loop["interviews"] if i["id"] != EXERCISE]
    loop["id"], loop["length"] = "ai-engineer-short", {"min": "3h", "max": "4h"}
    (folder / "loops").mkdir(exist_ok=True)
    (folder / "loops" / "ai-engineer-short.toml").write_text(tomli_w.dumps(loop), "utf-8")
    return "ai-engineer-short"


EXERCISE = "prompt-engineering-exercise"
EXERCISE_UID = f"ada-lovelace-ai-engineer--{EXERCISE}@loopkit"
SAME_PACKET = ["--id", "ada-lovelace-ai-engineer"]


class TestDroppedInterviews:
    @pytest.mark.parametrize("organizer", [ORGANIZER, ""])
    def test_a_dropped_interview_stays_cancelled_in_schedule_ics(
        self, here: Path, organizer: str
    ) -> None:
        """An interview taken out of the packet stayed in every calendar schedule.ics had
        been imported to: the new file only left it out. It now carries the event,
        cancelled, in this revision and every later one; back, the interview is a new event."""
        out, given = here / "out", ["--organizer", organizer, *SAME_PACKET]
        first = check_itip(build(out, "2026-12-03", "09:30", "UTC", *given) / "schedule.ics")
        (was,) = [e for e in first.walk("VEVENT") if str(e["uid"]) == EXERCISE_UID]
        short = short_loop(here)
        for start in ("09:30", "10:00"):  # dropped, then a later revision of the short loop
            folder = build(out, "2026-12-03", start, "UTC", *given, loop=short)
            calendar = check_itip(folder / "schedule.ics")
            assert str(calendar.get("method", "")) == ("PUBLISH" if organizer else "")
            (gone,) = [e for e in calendar.walk("VEVENT") if str(e["uid"]) == EXERCISE_UID]
            assert str(gone["status"]) == "CANCELLED"
            assert gone.decoded("sequence") == 1  # above the last the calendar was given
            assert gone.decoded("dtstart") == was.decoded("dtstart")  # the same instants
            assert gone.decoded("dtend") == was.decoded("dtend")
            assert str(gone["summary"]) == f"Cancelled: {was['summary']}"
            live = [e for e in calendar.walk("VEVENT") if e is not gone]
            assert len(live) == 3
            assert all("status" not in e for e in live)
        back = check_itip(build(out, "2026-12-03", "10:00", "UTC", *given) / "schedule.ics")
        uids = {str(e["uid"]): e for e in back.walk("VEVENT")}
        assert str(uids[EXERCISE_UID]["status"]) == "CANCELLED"
        assert f"ada-lovelace-ai-engineer--{EXERCISE}-r4@loopkit" in uids
        assert len(uids) == 5

    def test_a_lock_without_dropped_events_is_written_as_before(self, tmp_path: Path) -> None:
        """Nothing dropped: the lock's bytes stay those an earlier loopkit wrote."""
        folder = build(tmp_path / "out", "2026-12-03", "09:30", "UTC", *PANEL)
        assert "dropped" not in (folder / "loop.lock.toml").read_text("utf-8")


@pytest.mark.skipif(
    shutil.which("khal") is None, reason="khal (Debian package khal) is not installed"
)
class TestKhal:
    def test_khal_shows_the_new_events_and_none_of_the_old(
        self, tmp_path: Path, here: Path
    ) -> None:
        """A real client imports revision 1, then revision 2 of a rescheduled packet: 4 events,
        all new; then revision 3, without the exercise: it is cancelled there."""
        calendars = tmp_path / "calendars" / "work"
        calendars.mkdir(parents=True)
        config = tmp_path / "khal.conf"
        config.write_text(
            f"[calendars]\n[[work]]\npath = {calendars}\n[locale]\ntimeformat = %H:%M\n"
            "dateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
            "longdatetimeformat = %Y-%m-%d %H:%M\nlocal_timezone = UTC\ndefault_timezone = UTC\n",
            "utf-8",
        )
        env = {
            **os.environ,
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path),
        }
        out = tmp_path / "out"

        def khal(*args: str) -> str:
            done = subprocess.run(
                ["khal", "-c", str(config), *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            return done.stdout

        first = build(out, "2026-12-03", "09:30", "UTC", "--organizer", ORGANIZER, *PANEL)
        khal("import", "--batch", "-a", "work", str(first / "schedule.ics"))
        second = build(out, "2026-12-04", "11:00", "UTC", "--organizer", ORGANIZER, *PANEL)
        khal("import", "--batch", "-a", "work", str(second / "schedule.ics"))
        listing = khal("list", "--format", "{start} {title}", "2026-12-01", "7d")
        events = [line for line in listing.splitlines() if "Ada Lovelace" in line]
        assert len(events) == 4, listing
        assert all(line.startswith("2026-12-04") for line in events), listing
        assert "2026-12-04 11:00 LLM-applied coding: Ada Lovelace" in listing
        # the exercise dropped: imported again, the file takes it off the calendar
        build(
            out, "2026-12-04", "11:00", "UTC", "--organizer", ORGANIZER, *PANEL, *SAME_PACKET,
            loop=short_loop(here),
        )  # fmt: skip
        khal("import", "--batch", "-a", "work", str(second / "schedule.ics"))
        listing = khal("list", "--format", "{cancelled}{start} {title}", "2026-12-01", "7d")
        events = [line for line in listing.splitlines() if "Ada Lovelace" in line]
        assert len(events) == 4, listing
        assert (
            "CANCELLED 2026-12-04 14:30 Cancelled: Prompt engineering exercise: Ada Lovelace"
        ) in events, listing
        assert sum(line.startswith("CANCELLED") for line in events) == 1, listing

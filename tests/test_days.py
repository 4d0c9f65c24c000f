"""The candidate's day: times past midnight marked +1, and days a coordinator may not mean."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from loopkit import load_loop
from loopkit._data import bundled_dir
from loopkit._schedule import day_findings, expand_schedule, plan_loop
from tests.helpers import Write, pdf_pages, pdf_text, run

# 06:00 in Los Angeles is 23:00 in Tokyo: the candidate's day crosses midnight after one block.
LATE = [
    "--date",
    "2026-12-03",
    "--tz",
    "America/Los_Angeles",
    "--start",
    "06:00",
    "--candidate-tz",
    "Asia/Tokyo",
]


def _rows(output: str) -> list[str]:
    return [line for line in output.splitlines() if line[:2].isdigit()]


@pytest.fixture(scope="module")
def late_packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("late")
    result = run("packet", "ai-engineer", "--candidate", "Ada Lovelace", *LATE, "-o", out)
    assert result.exit_code == 0, result.output
    return out / "2026-12-03-ada-lovelace-ai-engineer"


class TestNextDayMarks:
    def test_plan_marks_the_times_after_the_candidates_midnight(self) -> None:
        """Tokyo's column says +1 from 00:00 on; Los Angeles's, all one day, says nothing."""
        result = run("plan", "ai-engineer", *LATE)
        assert result.exit_code == 0, result.output
        rows = _rows(result.stdout)
        assert rows[0].split()[:4] == ["06:00-06:50", "PST", "23:00-23:50", "JST"]
        assert "23:50-00:00 +1 JST" in rows[1]
        assert "00:00-00:50 +1 JST" in rows[2]  # "00:00 +1-00:50 +1": the day said twice
        assert "02:30-03:00 +1 JST" in rows[-1]
        assert all("+1" not in row.split("JST")[0].split("PST")[0] for row in rows)

    def test_a_day_that_starts_on_the_next_date_is_not_marked(self) -> None:
        """16:00 in Los Angeles is 09:00 the next day in Tokyo: the candidate's first day, no +1."""
        result = run(
            "plan",
            "ai-engineer",
            *LATE[:4],
            "--start",
            "16:00",
            "--candidate-tz",
            "Asia/Tokyo",
        )
        assert result.exit_code == 0, result.output
        rows = _rows(result.stdout)
        assert "09:00-09:50 JST" in rows[0]
        assert "+1" not in result.stdout

    def test_the_itinerary_marks_them_too(self, late_packet: Path) -> None:
        """The candidate's own page reads 00:00 +1 where her day passes midnight."""
        text = pdf_text(late_packet / "itinerary.pdf")
        assert "23:00–23:50 JST" in text
        assert "23:50–00:00 +1 JST" in text
        assert "02:30–03:00 +1 JST" in text

    def test_the_packet_schedule_marks_them_too(self, late_packet: Path) -> None:
        """The coordinator's schedule table and cover carry the same marks."""
        pages = pdf_pages(late_packet / "packet.pdf")
        assert "Candidate's time: 23:00–03:00 +1 JST" in pages[0]
        schedule = next(page for page in pages if page.startswith("Schedule"))
        assert "00:50–01:20 +1 JST" in schedule
        assert "06:00–06:50 PST" in schedule


def _day(
    day: date, start: time, zone: str = "UTC", candidate: str | None = None
) -> list[tuple[str, str]]:
    loop = load_loop("ai-engineer").loop
    schedule = expand_schedule(
        loop, day, start, ZoneInfo(zone), ZoneInfo(candidate) if candidate else None
    )
    return [(f.code, f.message) for f in day_findings(schedule, TODAY)]


TODAY = date(2026, 11, 26)  # a Thursday
THURSDAY, FRIDAY = date(2026, 12, 3), date(2026, 12, 4)


class TestDayWarnings:
    def test_a_weekday_within_the_candidates_hours_is_quiet(self) -> None:
        """07:00 to 11:00 and 16:00 to 20:00 are inside the waking day: nothing to say."""
        assert _day(THURSDAY, time(7, 0)) == []
        assert _day(THURSDAY, time(16, 0)) == []

    @pytest.mark.parametrize(
        ("start", "shown"),
        [
            (time(6, 59), "06:59-10:59 UTC"),
            (time(16, 1), "16:01-20:01 UTC"),
            (time(22, 0), "22:00-02:00 +1 UTC"),
        ],
    )
    def test_before_seven_or_after_eight_is_lk205(self, start: time, shown: str) -> None:
        """A minute outside 07:00-20:00 is enough; the message shows the day's span."""
        found = _day(THURSDAY, start)
        assert [code for code, _ in found] == ["LK205"]
        assert f"runs {shown} in UTC, outside 07:00-20:00" in found[0][1]

    @pytest.mark.parametrize(
        ("zone", "day", "start", "first"),
        [("Europe/Berlin", date(2026, 10, 25), time(2, 30), "02:30 CEST"),
         ("America/New_York", date(2026, 11, 1), time(1, 0), "01:00 EDT"),
         ("Australia/Lord_Howe", date(2027, 4, 4), time(1, 45), "01:45 +11")],
    )  # fmt: skip
    def test_a_start_the_clocks_pass_twice_is_lk210(
        self, zone: str, day: date, start: time, first: str
    ) -> None:
        """02:30 on Berlin's fall-back night was taken as the first 02:30 without a word."""
        loop = load_loop("ai-engineer").loop
        schedule = expand_schedule(loop, day, start, ZoneInfo(zone))
        found = [(f.code, f.message, f.hint) for f in day_findings(schedule) if f.code == "LK210"]
        assert len(found) == 1, found
        assert f"happens twice on {day.isoformat()} in {zone}" in found[0][1]
        assert f"the loop starts at the first, {first}" in found[0][1]
        later = "30m later" if zone == "Australia/Lord_Howe" else "an hour later"  # half an hour
        assert later in found[0][2], found[0][2]
        earlier = (datetime.combine(day, start) - timedelta(hours=1)).time()
        assert [c for c, _ in _day(day, earlier, zone) if c == "LK210"] == []

    def test_the_hours_are_the_candidates(self) -> None:
        """09:30 in New York is 23:30 in Tokyo: a warning for the candidate's night."""
        found = _day(date(2026, 12, 2), time(9, 30), "America/New_York", "Asia/Tokyo")
        assert [code for code, _ in found] == ["LK205"]
        assert "in Asia/Tokyo" in found[0][1]
        zones = plan_loop(
            load_loop("ai-engineer"),
            date(2026, 12, 2),
            time(9, 30),
            ZoneInfo("America/New_York"),
            ZoneInfo("Asia/Tokyo"),
        )
        (warning,) = zones.warnings
        assert warning.hint.startswith(
            "the start, 09:30, is America/New_York time: pick one in the candidate's hours, or"
        )
        (alone,) = plan_loop(
            load_loop("ai-engineer"), date(2026, 12, 2), time(5, 0), ZoneInfo("Asia/Tokyo")
        ).warnings
        assert alone.hint.startswith("start at another time, or allow LK205")

    def test_a_weekend_in_the_candidates_zone_is_lk206(self) -> None:
        """Friday afternoon in Los Angeles is Saturday morning in Tokyo."""
        found = _day(FRIDAY, time(16, 0), "America/Los_Angeles", "Asia/Tokyo")
        assert found == [
            (
                "LK206",
                "the candidate's day falls on Saturday 2026-12-05 in Asia/Tokyo, a weekend",
            )
        ]
        assert _day(FRIDAY, time(16, 0), "America/Los_Angeles") == []

    def test_a_friday_that_ends_at_midnight_is_no_weekend(self) -> None:
        """20:00 to 00:00 ends on Friday's own date; a minute later it is Saturday."""
        at_midnight = _day(FRIDAY, time(20, 0))
        assert [code for code, _ in at_midnight] == ["LK205"]
        past_midnight = _day(FRIDAY, time(20, 1))
        assert [code for code, _ in past_midnight] == ["LK205", "LK206"]
        # mostly on Friday: "falls on Saturday" named the wrong day
        assert past_midnight[1][1] == (
            "the candidate's day runs from Friday 2026-12-04 into Saturday 2026-12-05 "
            "in UTC: Saturday is a weekend day"
        )
        saturday = _day(FRIDAY + timedelta(days=1), time(20, 1))
        assert saturday[1][1] == (
            "the candidate's day runs from Saturday 2026-12-05 into Sunday 2026-12-06 "
            "in UTC: both are weekend days"
        )

    def test_a_day_before_today_is_lk207(self) -> None:
        """The day before today is past; today itself is not."""
        found = _day(date(2026, 11, 25), time(9, 30))
        assert found == [("LK207", "2026-11-25 is in the past: today is 2026-11-26")]
        assert _day(TODAY, time(9, 30)) == []

    def test_without_today_no_day_is_past(self) -> None:
        """A library caller that gives no date gets no warning that needs the clock."""
        loop = load_loop("ai-engineer").loop
        schedule = expand_schedule(loop, date(2001, 1, 2), time(9, 30), ZoneInfo("UTC"))
        assert day_findings(schedule) == []

    def test_plan_loop_carries_them_and_takes_today(self) -> None:
        """plan_loop adds the day's warnings to the loop's, judged against the today it is given."""
        planned = plan_loop(
            load_loop("ai-engineer"),
            date(2026, 11, 21),
            time(5, 0),
            ZoneInfo("UTC"),
            today=TODAY,
        )
        assert [w.code for w in planned.warnings] == ["LK205", "LK206", "LK207"]

    def test_a_day_no_one_gave_is_named_as_the_next_business_day(self) -> None:
        """Thursday's next business day is Friday, Saturday morning in Kiritimati: not '--date'."""
        from loopkit._actions import plan
        from loopkit._settings import When

        when = When(None, "09:30", "UTC", "Pacific/Kiritimati")
        planned = plan(load_loop("ai-engineer"), when, date(2026, 12, 3))
        (weekend,) = [w for w in planned.warnings if w.code == "LK206"]
        assert weekend.file == "the next business day"  # where the command line names an option
        given = plan(load_loop("ai-engineer"), dataclasses.replace(when, day="2026-12-04"), TODAY)
        assert [w.file for w in given.warnings if w.code == "LK206"] == ["--date"]

    def test_a_start_no_one_gave_is_named_as_the_default(self) -> None:
        """09:30 in New York is 23:30 in Tokyo; the start was loopkit's, not a '--start'."""
        from loopkit._actions import plan
        from loopkit._settings import When

        when = When("2026-12-02", None, "America/New_York", "Asia/Tokyo")
        (late,) = plan(load_loop("ai-engineer"), when, TODAY).warnings
        assert late.file == "the default start 09:30"
        given = plan(load_loop("ai-engineer"), dataclasses.replace(when, start="09:30"), TODAY)
        assert [w.file for w in given.warnings] == ["--start"]


ALLOW_ALL = 'allow = ["LK204", "LK205", "LK206", "LK207"]'


class TestDayWarningsOnTheCommandLine:
    def test_plan_prints_them_and_succeeds(self, here: Path) -> None:
        """The warnings go to standard error, each with its option and code; the plan is printed."""
        result = run("plan", "ai-engineer", *LATE[:6], "--start", "05:00")
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("--start: the candidate's day runs 05:00-09:00 PST")
        assert "[LK205 warning]" in result.stderr
        assert "05:00-05:50 PST" in result.stdout

    def test_packet_prints_them_and_still_writes(self, here: Path) -> None:
        """A warning is not an error: the packet is written, the warning said."""
        result = run(
            "packet", "ai-engineer", "--candidate", "Ada", *LATE[:4], "--date", "2026-12-05"
        )
        assert result.exit_code == 0, result.output
        assert "[LK206 warning]" in result.stderr
        assert (here / "out" / "2026-12-05-ada-ai-engineer" / "packet.pdf").is_file()

    def test_a_day_gone_by_is_judged_against_the_clock(self, here: Path) -> None:
        """The command line passes today's date: yesterday warns."""
        yesterday = (date.today() - timedelta(days=1)).isoformat()
        result = run("plan", "ai-engineer", "--tz", "UTC", "--date", yesterday)
        assert result.exit_code == 0, result.output
        assert f"--date: {yesterday} is in the past: today is {date.today()}" in result.stderr

    def test_the_loop_allows_them(self, here: Path, write: Write) -> None:
        """allow = [...] in the loop silences the day's warnings and LK204 alike."""
        text = (bundled_dir("loops") / "ml-engineer.toml").read_text("utf-8")
        write("loops/x.toml", text.replace("hire_bar = 3.0", f"hire_bar = 3.0\n{ALLOW_ALL}"))
        three = [f"--interviewer={i}=Jo" for i in ("ml-coding", "ml-system-design")]
        three += ["--interviewer=past-production-model-deep-dive=Jo"]
        args = ["--date", "2020-12-05", "--start", "05:00", "--tz", "UTC", *three]
        loud = run("plan", "ml-engineer", *args)
        assert {"LK204", "LK205", "LK206", "LK207"} <= set(re.findall(r"LK\d+", loud.stderr))
        quiet = run("plan", "loops/x.toml", *args)
        assert quiet.exit_code == 0, quiet.output
        assert quiet.stderr == ""
        assert run("validate", "loops/x.toml", "--strict").exit_code == 0

    def test_a_batch_says_them_by_row_and_column_and_writes(self, here: Path) -> None:
        """Each row's warnings once, named by its line and the CSV column; the packets are written."""
        (here / "c.csv").write_text(
            "candidate,loop,date,start,tz\n"
            "Ada,ai-engineer,2099-12-05,05:00,UTC\n"
            "Bo,ai-engineer,2099-12-03,,UTC\n",
            "utf-8",
        )
        result = run("batch", "c.csv")
        assert result.exit_code == 0, result.output
        lines = result.stderr.splitlines()
        assert lines[0].startswith("line 2: start: the candidate's day runs 05:00-09:00 UTC")
        assert lines[1].startswith("line 2: date: the candidate's day falls on Saturday")
        assert len([x for x in lines if "warning]" in x]) == 2
        assert "2 written" in result.stdout

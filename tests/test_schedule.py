"""Schedule expansion, panels, and the plan command."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loopkit import LoopkitError, load_loop
from loopkit._models import Breaks, Interview, LengthWindow, Loop, Lunch, Person
from loopkit._schedule import (
    build_panel,
    elapsed_minutes,
    expand_schedule,
    next_business_day,
    panel_findings,
    plan_loop,
)
from tests.helpers import Write, run

NY, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")


class TestExpandSchedule:
    def test_between_the_us_and_eu_dst_changes_new_york_9_is_berlin_14(self) -> None:
        """On 2026-03-20 the US is on DST and Europe is not: a 5-hour gap."""
        loop = load_loop("ai-engineer").loop
        schedule = expand_schedule(loop, date(2026, 3, 20), time(9, 0), NY, BERLIN)
        first = schedule.slots[0]
        assert first.start.hour == 9
        assert first.start.astimezone(BERLIN).hour == 14
        assert first.start.astimezone(UTC).hour == 13

    def test_the_ai_loop_is_exactly_four_hours_with_lunch_after_design(self) -> None:
        """Lunch replaces the gap after llm-system-design; the day is 4h end to end."""
        loop = load_loop("ai-engineer").loop
        schedule = expand_schedule(loop, date(2026, 12, 3), time(9, 30), NY)
        assert elapsed_minutes(schedule.start, schedule.end) == 240
        kinds = [s.kind for s in schedule.slots]
        assert kinds == [
            "interview",
            "break",
            "interview",
            "lunch",
            "interview",
            "break",
            "interview",
        ]
        lunch = schedule.slots[3]
        assert lunch.minutes == 30

    def test_lengths_are_elapsed_time_across_a_dst_change(self) -> None:
        """A loop over the 2026-11-01 fall-back hour still lasts its real length."""
        loop = load_loop("ml-engineer").loop
        schedule = expand_schedule(loop, date(2026, 11, 1), time(0, 30), NY)
        assert elapsed_minutes(schedule.start, schedule.end) == 230
        assert sum(s.minutes for s in schedule.slots) == 230
        # The wall clock shows one hour less than the elapsed time after the change.
        wall = schedule.end.replace(tzinfo=None) - schedule.start.replace(tzinfo=None)
        assert wall == timedelta(minutes=170)

    def test_a_start_that_does_not_exist_is_refused(self) -> None:
        """02:30 on the spring-forward day in New York does not exist."""
        loop = load_loop("ml-engineer").loop
        with pytest.raises(LoopkitError, match="does not exist"):
            expand_schedule(loop, date(2026, 3, 8), time(2, 30), NY)


class TestNextBusinessDay:
    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (date(2026, 11, 25), date(2026, 11, 26)),
            (date(2026, 11, 27), date(2026, 11, 30)),
            (date(2026, 11, 28), date(2026, 11, 30)),
        ],
    )
    def test_skips_weekends(self, today: date, expected: date) -> None:
        """Friday and Saturday both lead to Monday."""
        assert next_business_day(today) == expected


class TestPanel:
    def test_an_unknown_interview_id_is_an_error(self) -> None:
        """A panel naming an interview the loop lacks is refused with the known ids."""
        loop = load_loop("ai-engineer").loop
        with pytest.raises(LoopkitError, match="no interview 'coding'"):
            build_panel(loop, ("panel.toml", {"coding": (Person(name="Sam"),)}))

    def test_one_person_in_two_overlapping_interviews_is_an_error(self) -> None:
        """The same interviewer booked at the same time for two candidates is LK121."""
        loop = load_loop("ai-engineer").loop
        sam = (Person(name="Sam Lee", email="sam@example.com"),)
        a = expand_schedule(
            loop,
            date(2026, 12, 3),
            time(9, 30),
            NY,
            panel=build_panel(loop, ("x", {"llm-coding": sam})),
        )
        b = expand_schedule(
            loop,
            date(2026, 12, 3),
            time(9, 0),
            NY,
            panel=build_panel(loop, ("x", {"llm-coding": sam})),
        )
        codes = [f.code for f in panel_findings([a, b])]
        assert "LK121" in codes

    def test_a_long_stretch_without_a_break_is_a_warning(self) -> None:
        """Coding, design and deep-dive back to back with no lunch is over the 2h limit."""
        loop = load_loop("ml-engineer").loop
        jo = (Person(name="Jo"),)
        panel = build_panel(
            loop,
            ("x", {"ml-coding": jo, "ml-system-design": jo, "past-production-model-deep-dive": jo}),
        )
        schedule = expand_schedule(loop, date(2026, 12, 3), time(9, 30), NY, panel=panel)
        findings = panel_findings([schedule])
        assert [f.code for f in findings] == ["LK204"]
        assert "Jo interviews 3h without a 30m break" in findings[0].message

    def test_plan_loop_reports_the_stretch_warning(self) -> None:
        """plan_loop carries panel warnings next to the loop's own."""
        jo = (Person(name="Jo"),)
        panel = {"ml-coding": jo, "ml-system-design": jo, "past-production-model-deep-dive": jo}
        day = date(2026, 12, 3)
        planned = plan_loop(load_loop("ml-engineer"), day, time(9, 30), NY, panels=[("x", panel)])
        assert [w.code for w in planned.warnings] == ["LK204"]


class TestPlanCommand:
    def test_prints_both_zones_and_every_block(self, here: Path) -> None:
        """plan shows New York and Berlin times for each interview and break."""
        result = run(
            "plan", "ai-engineer", "--date", "2026-03-20", "--start", "09:00",
            "--tz", "America/New_York", "--candidate-tz", "Europe/Berlin",
        )  # fmt: skip  # options beside their values
        assert result.exit_code == 0, result.output
        assert "09:00-09:50 EDT" in result.output
        assert "14:00-14:50 CET" in result.output
        assert "Lunch (30m)" in result.output
        assert "Past LLM feature deep-dive (60m) - unassigned" in result.output

    def test_panel_file_and_interviewer_options_name_people(self, write: Write) -> None:
        """--interviewer replaces the panel file's people for that interview."""
        write(
            "panel.toml",
            '[panel]\nllm-coding = ["Sam Lee <sam@example.com>"]\nllm-system-design = "Priya Raman"\n',
        )
        result = run(
            "plan", "ai-engineer", "--date", "2026-12-03", "--tz", "UTC", "--panel", "panel.toml",
            "--interviewer", "llm-coding=Jo Park",
        )  # fmt: skip  # options beside their values
        assert result.exit_code == 0, result.output
        assert "LLM-applied coding (50m) - Jo Park" in result.output
        assert "LLM system design (50m) - Priya Raman" in result.output

    @pytest.mark.parametrize(
        ("args", "message", "code"),
        [
            (["--date", "2026-02-30"], "--date: not a date: '2026-02-30'", 2),
            (["--start", "9.30"], "--start: not a time: '9.30'", 2),
            (["--tz", "Mars/Olympus"], "--tz: unknown time zone 'Mars/Olympus'", 2),
            (["--candidate-tz", "../etc"], "--candidate-tz: unknown time zone", 2),
            (["--interviewer", "nobody"], "--interviewer: expected ID=NAME", 2),
            (["--interviewer", "coding=Sam"], "no interview 'coding'", 2),
            (["--panel", "missing.toml"], "missing.toml: file not found", 1),
        ],
    )
    def test_bad_options_exit_2_and_bad_files_1_with_a_message(
        self, here: Path, args: list[str], message: str, code: int
    ) -> None:
        """Every bad option value names the option and what was wrong, no traceback."""
        result = run("plan", "ai-engineer", "--tz", "UTC", *args)
        assert result.exit_code == code  # a wrong option value is usage; a bad file is input
        assert message in result.output
        assert "Traceback" not in result.output

    def test_an_unknown_panel_interview_carries_its_code(self, here: Path) -> None:
        """The panel error names its finding code, LK120, like every other finding."""
        result = run("plan", "ai-engineer", "--tz", "UTC", "--interviewer", "coding=Sam")
        assert result.exit_code == 2  # an option's value
        expected = "--interviewer: coding: the loop 'ai-engineer' has no interview 'coding'"
        assert expected in result.output
        assert result.output.rstrip().endswith("[LK120]")

    def test_an_unknown_loop_suggests_a_close_name(self, here: Path) -> None:
        """A typo in a loop id gets a did-you-mean hint."""
        result = run("plan", "ai-enginer")
        assert result.exit_code == 1
        assert "did you mean 'ai-engineer'?" in result.output


@st.composite
def loops(draw: st.DrawFn) -> Loop:
    count = draw(st.integers(1, 6))
    lengths = draw(st.lists(st.integers(5, 180), min_size=count, max_size=count))
    between = draw(st.integers(0, 30))
    interviews = [
        Interview(
            id=f"i{n}",
            title=f"I{n}",
            kind="deep-dive" if n == 0 else "coding",
            length=m,
            weight=10 if n == 0 else 1,
            scorecard="behavioral",
        )
        for n, m in enumerate(lengths)
    ]
    lunch = None
    if count > 1 and draw(st.booleans()):
        lunch = Lunch(after=f"i{draw(st.integers(0, count - 2))}", length=draw(st.integers(15, 60)))
    total = sum(lengths) + between * (count - 1) + (lunch.length - between if lunch else 0)
    return Loop(
        id="p",
        title="P",
        variant="other",
        hire_bar=3,
        length=LengthWindow(min=total, max=total),
        breaks=Breaks(between=between, lunch=lunch),
        interviews=interviews,
    )


class TestScheduleProperties:
    @settings(max_examples=150, deadline=None)
    @given(
        loop=loops(),
        day=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
        start=st.times(time(6, 0), time(12, 0)).map(lambda t: t.replace(second=0, microsecond=0)),
        zone=st.sampled_from(
            ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
        ),
    )
    def test_sorted_non_overlapping_and_inside_the_window(
        self, loop: Loop, day: date, start: time, zone: str
    ) -> None:
        """Slots follow each other without gaps or overlaps and the day fits the loop's window."""
        try:
            schedule = expand_schedule(loop, day, start, ZoneInfo(zone))
        except LoopkitError:
            return  # a start time skipped by a DST change is refused, never mis-scheduled
        for a, b in zip(schedule.slots, schedule.slots[1:], strict=False):
            assert a.start.astimezone(UTC) < a.end.astimezone(UTC) == b.start.astimezone(UTC)
        elapsed = elapsed_minutes(schedule.start, schedule.end)
        assert loop.length.min <= elapsed <= loop.length.max
        assert [s.interview.id for s in schedule.interviews if s.interview] == [
            i.id for i in loop.interviews
        ]


LONG_PANEL = """\
[panel]
ml-coding = ["Jo"]
ml-system-design = ["Jo"]

past-production-model-deep-dive = ["Jo"]
"""
ML_DAY = ["--date", "2099-12-03", "--tz", "UTC"]


class TestPanelFindingsNameTheirSource:
    def test_a_long_stretch_names_the_panel_file_and_line(self, write: Write) -> None:
        """LK204 points at the line of the interview that runs over, in the panel file."""
        write("panel.toml", LONG_PANEL)
        result = run("plan", "ml-engineer", *ML_DAY, "--panel", "panel.toml")
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith(
            "panel.toml:5: panel.past-production-model-deep-dive: Jo interviews 3h"
        ), result.stderr
        assert result.stderr.rstrip().endswith("[LK204 warning]")

    def test_people_from_the_command_line_are_named_by_the_option(self) -> None:
        """--interviewer has no file or line: the finding says --interviewer and the interview."""
        people = [
            f"--interviewer={i}=Jo"
            for i in ("ml-coding", "ml-system-design", "past-production-model-deep-dive")
        ]
        result = run("plan", "ml-engineer", *ML_DAY, *people)
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("--interviewer: past-production-model-deep-dive: Jo")

    def test_an_option_that_replaces_a_files_interview_is_named_instead(self, write: Write) -> None:
        """The source that gave the people of the last interview is the one named."""
        write("panel.toml", LONG_PANEL)
        result = run(
            "plan",
            "ml-engineer",
            *ML_DAY,
            "--panel",
            "panel.toml",
            "--interviewer",
            "past-production-model-deep-dive=Jo",
        )
        assert result.stderr.startswith("--interviewer: past-production-model-deep-dive: Jo")

    @pytest.mark.parametrize(
        ("panel", "where"),
        [
            (
                '[panel]\nml-coding = ["Jo"]\n\nml_coding = ["Kim"]\n',
                "panel.toml:4: panel.ml_coding:",
            ),
            (
                '[panel]\n\nml-coding = ["Jo Park", "Jo Park <jo@example.com>"]\n',
                "panel.toml:3: panel.ml-coding: two people named 'Jo Park'",
            ),
        ],
    )
    def test_panel_errors_name_the_file_and_line(
        self, write: Write, panel: str, where: str
    ) -> None:
        """An unknown interview or two people of one name: the file, line and key, exit 1."""
        write("panel.toml", panel)
        result = run("plan", "ml-engineer", *ML_DAY, "--panel", "panel.toml")
        assert result.exit_code == 1
        assert f"error: {where}" in result.output, result.output

    def test_an_unknown_interview_on_the_command_line_names_the_option(self) -> None:
        """--interviewer ghost=Jo: --interviewer: ghost: ..."""
        result = run("plan", "ml-engineer", *ML_DAY, "--interviewer", "ghost=Jo")
        assert result.exit_code == 2  # an option's value
        assert "--interviewer: ghost: the loop 'ml-engineer' has no interview" in result.output

    def test_a_batch_row_still_names_its_line_and_column(self, write: Write) -> None:
        """In a batch the row and the panel:<id> column stay the place named."""
        write(
            "c.csv",
            "candidate,loop,date,tz,panel:ghost\nAda,ml-engineer,2099-12-03,UTC,Jo\n",
        )
        result = run("batch", "c.csv")
        assert result.exit_code == 1
        assert "line 2, panel:ghost:" in result.output, result.output

"""Schedule expansion and panels: a loop on a date becomes timed slots.

Everything here is pure: the date, start and zones are passed in, never
read from the clock.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loopkit._documents import LoopDocument
from loopkit._errors import (
    Finding,
    LoopkitError,
    PanelError,
    Severity,
    ValidationFailed,
    did_you_mean,
)
from loopkit._models import Interview, Loop, Origin, Panel, PanelSource, Person, format_minutes

REST_MINUTES = 30  # a gap this long counts as a break for an interviewer
# The candidate's waking day: a loop outside it is a warning (LK205), as it may be meant.
EARLIEST, LATEST = time(7, 0), time(20, 0)


def elapsed_minutes(start: datetime, end: datetime) -> int:
    """Real minutes between two aware datetimes.

    Python subtracts datetimes of the same zone as wall-clock times, which is
    an hour off across a DST change; going through UTC measures real time.
    """
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)


@dataclass(frozen=True)
class Slot:
    """One timed block of the day: an interview, a gap or lunch."""

    kind: Literal["interview", "break", "lunch"]
    start: datetime
    end: datetime
    interview: Interview | None = None
    people: tuple[Person, ...] = ()
    origin: Origin = field(default=Origin(), compare=False)  # where the people were given

    @property
    def title(self) -> str:
        """What the block is called on every schedule."""
        if self.interview is not None:
            return self.interview.title
        return "Lunch" if self.kind == "lunch" else "Break"

    @property
    def minutes(self) -> int:
        """Elapsed length in minutes."""
        return elapsed_minutes(self.start, self.end)


@dataclass(frozen=True)
class Schedule:
    """A loop laid out on a day, in aware datetimes of the coordinator's zone."""

    loop_id: str
    day: date
    tz: ZoneInfo
    candidate_tz: ZoneInfo
    slots: tuple[Slot, ...]
    interviewer_limit: int = 120
    label: str = field(default="", compare=False)

    @property
    def start(self) -> datetime:
        """When the first block starts."""
        return self.slots[0].start

    @property
    def end(self) -> datetime:
        """When the last block ends."""
        return self.slots[-1].end

    @property
    def interviews(self) -> tuple[Slot, ...]:
        """The interview slots only, in order."""
        return tuple(s for s in self.slots if s.kind == "interview")


def clock_span(
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    dash: str = "-",
    since: datetime | None = None,
) -> str:
    """``09:30-10:20 EST`` in ``zone``; both ends named when the clocks change between them.

    On the autumn night, 00:30 to 01:20 may run from EDT into EST:
    ``00:30 EDT-01:20 EST`` says so where ``00:30-01:20 EST`` would not.
    With ``since`` (the day's first moment), a time on a later date in
    ``zone`` than ``since`` is marked: ``23:30-00:20 +1 JST``, and a span all
    on that date once: ``00:00-00:50 +1 JST``.
    """
    first, last = start.astimezone(zone), end.astimezone(zone)
    marks = day_mark(first, since, zone), day_mark(last, since, zone)
    a, b = f"{first:%H:%M}{marks[0]}", f"{last:%H:%M}{marks[1]}"
    if first.tzname() != last.tzname():
        return f"{a} {first.tzname()}{dash}{b} {last.tzname()}"
    if marks[0] == marks[1]:
        return f"{first:%H:%M}{dash}{last:%H:%M}{marks[1]} {last.tzname()}"
    return f"{a}{dash}{b} {last.tzname()}"


def day_mark(moment: datetime, since: datetime | None, zone: ZoneInfo) -> str:
    """`` +1`` for a moment on the calendar day after ``since``'s in ``zone`` (``+2``...), else ""."""
    if since is None:
        return ""
    days = (moment.astimezone(zone).date() - since.astimezone(zone).date()).days
    return f" +{days}" if days > 0 else ""


def get_zone(name: str, option: str = "--tz") -> ZoneInfo:
    """An IANA time zone by name, or a clear error."""
    try:
        if not name or name != name.strip() or ".." in name or name.startswith("/"):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        hint = did_you_mean(name, _zone_names(), 0.75) or "use an IANA name like America/New_York"
        raise LoopkitError(f"unknown time zone {name!r}", key=option, hint=hint) from None


@cache
def _zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def next_business_day(today: date) -> date:
    """The next Monday-to-Friday after ``today``."""
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _local(day: date, start: time, tz: ZoneInfo, key: str) -> datetime:
    naive = datetime.combine(day, start)
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise LoopkitError(
            f"{start:%H:%M} does not exist on {day} in {tz.key} (the clocks change)",
            key=key,
            hint="start an hour later",
        )
    return aware


def expand_schedule(
    loop: Loop,
    day: date,
    start: time,
    tz: ZoneInfo,
    candidate_tz: ZoneInfo | None = None,
    panel: Panel | None = None,
    start_key: str = "--start",
) -> Schedule:
    """Lay the loop out from ``start`` on ``day``; lengths are elapsed time, so DST is handled."""
    panel = panel or Panel()
    # Step in UTC so that every length is real elapsed time across a DST change.
    cursor = _local(day, start, tz, start_key).astimezone(UTC)
    slots: list[Slot] = []
    lunch = loop.breaks.lunch
    for index, interview in enumerate(loop.interviews):
        end = cursor + timedelta(minutes=interview.length)
        slots.append(
            Slot(
                "interview",
                cursor.astimezone(tz),
                end.astimezone(tz),
                interview,
                panel.people(interview.id),
                panel.origin(interview.id),
            )
        )
        cursor = end
        if index == len(loop.interviews) - 1:
            break
        if lunch is not None and lunch.after == interview.id:
            gap, kind = lunch.length, "lunch"
        else:
            gap, kind = loop.breaks.between, "break"
        if gap:
            end = cursor + timedelta(minutes=gap)
            slots.append(Slot(kind, cursor.astimezone(tz), end.astimezone(tz)))  # type: ignore[arg-type]
            cursor = end
    return Schedule(
        loop.id, day, tz, candidate_tz or tz, tuple(slots), loop.breaks.interviewer_limit
    )


def parse_interviewer_options(values: Iterable[str]) -> dict[str, tuple[Person, ...]]:
    """Read repeatable ``--interviewer ID=NAME`` options."""
    out: dict[str, list[Person]] = {}
    nobody: set[str] = set()  # "ID=": given no one
    for value in values:
        interview_id, sep, name = value.partition("=")
        if not sep or not interview_id.strip():
            raise PanelError(
                f"expected ID=NAME, got {value!r}",
                key="--interviewer",
                hint='for example --interviewer llm-coding="Sam Lee <sam@example.com>"',
            )
        if not name.replace(";", " ").strip():  # "ID=": no one (a revision keeps the packet's)
            nobody.add(interview_id.strip())
            out.setdefault(interview_id.strip(), [])
            continue
        try:  # "Sam Lee; Kim Yu" is two people, as in a batch file
            people = [Person.parse(n) for n in name.split(";") if n.strip()]
            out.setdefault(interview_id.strip(), []).extend(people)
        except ValueError as exc:
            raise PanelError(str(exc), key="--interviewer") from None
    both = sorted(k for k in nobody if out[k])
    if both:
        raise PanelError(
            f"{both[0]} is given no one ({both[0]}=) and "
            + ", ".join(p.name for p in out[both[0]]),
            key="--interviewer",
            hint="give the interview its people, or no one",
        )
    return {k: tuple(v) for k, v in out.items()}


# People per interview from a panel file, --interviewer or a CSV row; a bare pair has no lines.
PanelInput = PanelSource | tuple[str, Mapping[str, tuple[Person, ...]]]


def build_panel(loop: Loop, *sources: PanelInput) -> Panel:
    """Merge panel sources (later ones replace an interview's people) and check the ids."""
    known = [i.id for i in loop.interviews]
    merged: dict[str, tuple[Person, ...]] = {}
    origins: dict[str, Origin] = {}
    for given in sources:
        source = given if isinstance(given, PanelSource) else PanelSource(*given)
        for interview_id, people in source.people.items():
            # an error names the panel file and line, or --interviewer, or the batch row
            where = source.origin_of(interview_id)
            if interview_id not in known:
                raise PanelError(
                    f"the loop {loop.id!r} has no interview {interview_id!r}",
                    file=where.file,
                    line=where.line,
                    key=where.key,
                    hint=did_you_mean(interview_id, known) or "interviews: " + ", ".join(known),
                    code="LK120",
                )
            roles: dict[str, set[bool]] = {}
            for person in people:
                roles.setdefault(person.key, set()).add(person.shadow)
            for key, shadow in roles.items():
                if len(shadow) > 1:  # one seat can count or not, never both
                    who = next(p for p in people if p.key == key)
                    raise PanelError(
                        f"{who.name} is both an interviewer and a shadow in one interview",
                        file=where.file,
                        line=where.line,
                        key=where.key,
                        hint="list them once: with (shadow) if their ratings must not count",
                    )
            if people and all(p.shadow for p in people):  # no card of it would ever count
                raise PanelError(
                    f"only shadows in {interview_id}: a shadow's card never counts, so the "
                    "interview would have no score",
                    file=where.file,
                    line=where.line,
                    key=where.key,
                    hint="name the interviewer beside them",
                )
            unique = tuple({p.key: p for p in people}.values())
            names = [p.name.casefold() for p in unique]
            for name in {n for n in names if names.count(n) > 1}:
                twins = [str(p) for p in unique if p.name.casefold() == name]
                raise PanelError(
                    f"two people named {twins[0].split(' <')[0]!r} in one interview: {', '.join(twins)}",
                    file=where.file,
                    line=where.line,
                    key=where.key,
                    hint="scorecards are told apart by name: add a middle initial to one of them",
                )
            merged[interview_id] = unique
            origins[interview_id] = where
    return Panel(assignments=merged, origins=origins)


def panel_findings(schedules: Iterable[Schedule]) -> list[Finding]:
    """Check the people across schedules: overlaps are errors, long stretches warnings."""
    booked: dict[str, list[tuple[Slot, Schedule, Person]]] = {}
    for schedule in schedules:
        for slot in schedule.interviews:
            for person in slot.people:
                booked.setdefault(person.key, []).append((slot, schedule, person))
    findings: list[Finding] = []
    for entries in booked.values():
        entries.sort(key=lambda e: (e[0].start, e[0].end))
        for (a, sa, person), (b, sb, _) in itertools.pairwise(entries):
            if b.start < a.end:
                file, line, key = _located(b, sb)
                findings.append(
                    Finding(
                        file,
                        line,
                        "LK121",
                        Severity.ERROR,
                        key,
                        f"{person.name} is in {_where(a, sa)} and {_where(b, sb)} at once",
                        "give one of them another interviewer",
                    )
                )
        findings.extend(_stretches(entries))
    return findings


def _stretches(entries: list[tuple[Slot, Schedule, Person]]) -> Iterator[Finding]:
    run = entries[:1]
    for entry in [*entries[1:], None]:
        if entry is not None and elapsed_minutes(run[-1][0].end, entry[0].start) < REST_MINUTES:
            run.append(entry)
            continue
        first, last = run[0], run[-1]
        minutes = elapsed_minutes(first[0].start, last[0].end)
        limit = first[1].interviewer_limit
        if len(run) > 1 and minutes > limit:
            file, line, key = _located(last[0], last[1])
            yield Finding(
                file,
                line,
                "LK204",
                Severity.WARNING,
                key,
                f"{first[2].name} interviews {format_minutes(minutes)} without a 30m break "
                f"(limit {format_minutes(limit)})",
                "split their interviews or raise breaks.interviewer_limit",
            )
        if entry is not None:
            run = [entry]


def day_findings(
    schedule: Schedule,
    today: date | None = None,
    date_key: str = "--date",
    start_key: str = "--start",
) -> list[Finding]:
    """Warnings about the day as the candidate lives it: the hours, a weekend, a day gone by.

    Times are the candidate's, in their zone. ``today`` is the caller's date
    (the command line reads the clock); without it no day is in the past.
    The keys name the options (a batch, its columns) that set the day.
    """
    zone = schedule.candidate_tz
    start, end = schedule.start.astimezone(zone), schedule.end.astimezone(zone)
    label = schedule.label
    findings: list[Finding] = []

    def warn(code: str, option: str, message: str, hint: str) -> None:
        # a batch row names itself; on the command line the option that set the day does
        findings.append(
            Finding(
                label or option, 0, code, Severity.WARNING, option if label else "", message, hint
            )
        )

    first_day = start.date()
    early = start < datetime.combine(first_day, EARLIEST, zone)
    late = end > datetime.combine(first_day, LATEST, zone)
    if early or late:
        span = clock_span(schedule.start, schedule.end, zone, since=schedule.start)
        bounds = f"{EARLIEST:%H:%M}-{LATEST:%H:%M}"
        ours = schedule.start.astimezone(schedule.tz)
        if ours.utcoffset() == start.utcoffset():
            move = "start at another time"
        else:  # the candidate lives in another zone: the start is the interviewers' clock
            move = f"the start, {ours:%H:%M}, is {schedule.tz.key} time: pick one in the candidate's hours"
        warn(
            "LK205",
            start_key,
            f"the candidate's day runs {span} in {zone.key}, outside {bounds} there",
            f"{move}, or allow LK205 in the loop when the candidate asked for it",
        )
    # a day that ends at midnight ends on its own date, not the next one's
    last_day = (end - timedelta(microseconds=1)).date()
    weekend = sorted({d for d in (first_day, last_day) if d.weekday() >= 5})
    if weekend:
        if first_day == last_day:
            day = f"falls on {first_day:%A} {first_day.isoformat()} in {zone.key}, a weekend"
        else:  # past midnight: say both days, and which is the weekend's
            which = (
                "both are weekend days"
                if len(weekend) == 2
                else f"{weekend[0]:%A} is a weekend day"
            )
            day = (
                f"runs from {first_day:%A} {first_day.isoformat()} into {last_day:%A} "
                f"{last_day.isoformat()} in {zone.key}: {which}"
            )
        warn(
            "LK206",
            date_key,
            f"the candidate's day {day}",
            "pick a weekday, or allow LK206 in the loop when the weekend is meant",
        )
    ours = schedule.start.astimezone(schedule.tz)
    first, second = (ours.replace(tzinfo=None).replace(tzinfo=schedule.tz, fold=f) for f in (0, 1))
    if first.utcoffset() != second.utcoffset():  # the hour the clocks go back: passed twice
        warn(
            "LK210",
            start_key,
            f"{ours:%H:%M} happens twice on {ours.date().isoformat()} in {schedule.tz.key} (the "
            f"clocks go back): the loop starts at the first, {first:%H:%M %Z}",
            f"not at {second:%H:%M %Z}, {_later(first, second)}; a start outside the time "
            "passed twice names one moment, or allow LK210 in the loop when the first is meant",
        )
    if today is not None and schedule.day < today:
        warn(
            "LK207",
            date_key,
            f"{schedule.day.isoformat()} is in the past: today is {today.isoformat()}",
            "give the day of the interviews with --date; allow LK207 in the loop to print past days",
        )
    return findings


def _later(first: datetime, second: datetime) -> str:
    """How much later the second pass of a clock time is: "an hour later" in most zones."""
    gap = first.utcoffset() - second.utcoffset()  # type: ignore[operator]
    minutes = int(gap.total_seconds() // 60)
    return "an hour later" if minutes == 60 else f"{format_minutes(minutes)} later"


def _located(slot: Slot, schedule: Schedule) -> tuple[str, int, str]:
    """Where a finding about a slot's people points: the panel file and line that gave them."""
    if slot.origin.file:
        return slot.origin.file, slot.origin.line, slot.origin.key
    key = f"panel.{slot.interview.id}" if slot.interview else "panel"
    return schedule.label or "panel", 0, key


def _where(slot: Slot, schedule: Schedule) -> str:
    label = f" ({schedule.label})" if schedule.label else ""
    return f"{slot.title} {slot.start:%H:%M}-{slot.end:%H:%M}{label}"


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str, key: str = "--date") -> date:
    """A calendar date written YYYY-MM-DD."""
    try:
        if not _DAY.fullmatch(text.strip()):  # fromisoformat also takes 20261203 and 2026-W49-4
            raise ValueError(text)
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise LoopkitError(
            f"not a date: {text!r}", key=key, hint="write YYYY-MM-DD, e.g. 2026-12-03"
        ) from None
    if not 2000 <= day.year <= 2199:
        raise LoopkitError(
            f"{day} is not a plausible interview day", key=key, hint="a year 2000-2199"
        )
    return day


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_clock(text: str, key: str = "--start") -> time:
    """A wall-clock time written H:MM or HH:MM (24-hour): ``9:30`` is what people type."""
    match = _CLOCK.match(text.strip())
    if match is None:
        raise LoopkitError(f"not a time: {text!r}", key=key, hint="write HH:MM, e.g. 09:30")
    return time(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class Planned:
    """A loaded loop laid out on a day with its panel, and the warnings found on the way."""

    document: LoopDocument
    schedule: Schedule
    warnings: tuple[Finding, ...]

    @property
    def loop(self) -> Loop:
        """The loop being planned."""
        return self.document.loop


def plan_loop(
    document: LoopDocument,
    day: date,
    start: time,
    tz: ZoneInfo,
    candidate_tz: ZoneInfo | None = None,
    panels: Iterable[PanelInput] = (),
    label: str = "",
    start_key: str = "--start",
    today: date | None = None,
    date_key: str = "--date",
) -> Planned:
    """Build a loaded loop's panel and lay it out; raise on any error finding.

    ``today`` is the caller's date, for the warning about a day in the past.
    Warnings the loop allows (``allow = [...]``) are left out.
    """
    panel = build_panel(document.loop, *panels)
    schedule = expand_schedule(document.loop, day, start, tz, candidate_tz, panel, start_key)
    schedule = dataclasses.replace(schedule, label=label)
    findings = panel_findings([schedule])
    if any(f.severity is Severity.ERROR for f in findings):
        raise ValidationFailed(findings)
    allowed = set(document.loop.allow)
    days = day_findings(schedule, today, date_key, start_key)
    found = [f for f in (*findings, *days) if f.code not in allowed]
    return Planned(document, schedule, (*document.warnings, *found))

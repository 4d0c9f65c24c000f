"""What loopkit prints in the terminal: the plan, the debrief and a folder's status as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from loopkit._debrief import Debrief
from loopkit._models import RATING_LABELS, Loop, format_minutes
from loopkit._report import Report
from loopkit._schedule import Schedule, Slot, clock_span, elapsed_minutes
from loopkit._status import FolderStatus, Owed


def format_plan(schedule: Schedule, loop: Loop) -> str:
    """The schedule as a plain-text table for the terminal."""
    both = schedule.candidate_tz.key != schedule.tz.key
    head = f"{loop.title}: {schedule.day:%A %d %B %Y}, {format_minutes(elapsed_minutes(schedule.start, schedule.end))}"
    rows = [head, ""]
    zones = [schedule.tz, schedule.candidate_tz] if both else [schedule.tz]
    heads = [f"time ({schedule.tz.key})", f"candidate ({schedule.candidate_tz.key})"][: len(zones)]
    # each column as wide as its longest cell, and two spaces apart: never run together
    widths = [
        max(len(h), *(len(_span(s, z)) for s in schedule.slots)) + 2
        for h, z in zip(heads, zones, strict=True)
    ]
    rows.append("".join(f"{h:<{w}}" for h, w in zip(heads, widths, strict=True)) + "block")
    for slot in schedule.slots:
        line = "".join(f"{_span(slot, z):<{w}}" for z, w in zip(zones, widths, strict=True))
        title = slot.title
        if slot.kind == "interview":
            who = ", ".join(p.name for p in slot.people) or "unassigned"
            title = f"{title} ({slot.minutes}m) - {who}"
        else:
            title = f"  {title} ({slot.minutes}m)"
        rows.append(line + title)
    return "\n".join(rows)


def _span(slot: Slot, tz: ZoneInfo) -> str:
    return clock_span(slot.start, slot.end, tz)


def format_debrief(debrief: Debrief) -> str:
    """The result as a terminal table."""
    rows = [f"{debrief.candidate}: {debrief.title}", ""]
    rows.append(f"{'interview':<34}{'weight':>7}  {'interviewer':<22}{'score':>6}  recommendation")
    for result in debrief.interviews:
        label = result.title[:33]
        if not result.cards:
            rows.append(f"{label:<34}{result.weight:>7g}  {'(no scorecard)':<22}{'-':>6}")
        for n, card in enumerate(result.cards):
            head = f"{label:<34}{result.weight:>7g}" if n == 0 else " " * 41
            shown = f"{card.score:.2f}" if card.score is not None else "-"
            rows.append(
                f"{head}  {card.interviewer[:21]:<22}{shown:>6}  {card.recommendation} {RATING_LABELS[card.recommendation]}"
            )
        if len(result.cards) > 1 and result.score is not None:
            rows.append(f"{'':<41}  {'interview score':<22}{result.score:>6.2f}")
        for person in result.missing:
            rows.append(f"{'':<41}  {person[:21]:<22}{'missing':>6}")
    rows.append("")
    loop_score = f"{debrief.score:.2f}" if debrief.score is not None else "-"
    verdict = "meets" if debrief.meets_bar else "is below"
    # an incomplete debrief says so in its headline, not only in a flag below it
    lead = "INCOMPLETE: " if debrief.incomplete else ""
    rows.append(f"{lead}loop score {loop_score} {verdict} the hire bar of {debrief.hire_bar:.2f}")
    rows += [f"! {flag}" for flag in debrief.flags]
    if debrief.decision:
        because = f". Reason: {debrief.reason}" if debrief.reason else ""
        rows.append(f"decision: {debrief.decision}{because}")
    return "\n".join(rows)


def format_status(status: FolderStatus, now: datetime) -> str:
    """Every packet on one line, then every scorecard owed, the longest overdue first."""
    heads = ("packet", "candidate", "loop", "date", "rev", "scorecards", "debrief")
    rows = [
        (
            p.folder,
            p.candidate,
            p.loop,
            p.date,
            str(p.revision),
            f"{p.filled}/{p.expected}" + (f" ({p.unchecked} not ready)" if p.unchecked else ""),
            p.debrief,
        )
        for p in status.packets
    ]
    lines = _table(heads, rows) if rows else ["no packets here"]
    lines += [f"skipped {s.folder}/: {s.reason}" for s in status.skipped]
    owed = status.owed
    lines += ["", f"owed: {len(owed)} scorecard{'s' * (len(owed) != 1)}"]
    if owed:
        lines += _table(
            ("interviewer", "e-mail", "interview", "candidate", "ended"),
            [
                (
                    o.person.name if o.person else "(unassigned)",
                    o.person.email if o.person else "",
                    o.title,
                    o.candidate,
                    f"{o.hours(now)} h ago",
                )
                for o in owed
            ],
            indent="  ",
        )
    return "\n".join(lines)


def format_owed(status: FolderStatus, now: datetime) -> str:
    """The scorecards owed, grouped by person, with a ``mailto:`` line to remind each."""
    from urllib.parse import quote  # only this listing writes links

    people: dict[str, list[Owed]] = {}
    for card in status.owed:
        people.setdefault(card.interviewer, []).append(card)
    if not people:
        return "nobody owes a scorecard"
    blocks = []
    for who, owed in sorted(people.items(), key=lambda item: (not item[0], item[0].casefold())):
        count = f"{len(owed)} scorecard{'s' * (len(owed) != 1)}"
        lines = [f"{who or '(unassigned seats: the interviewer writes their name in)'}: {count}"]
        lines += [
            f"  {o.candidate}, {o.title} ({o.folder}): ended {o.hours(now)} h ago" for o in owed
        ]
        person = owed[0].person
        if person is not None and person.email:
            subject = f"Scorecard{'s' * (len(owed) != 1)} to hand in"
            body = (
                "Hello "
                + person.name
                + ",\n\nplease fill in and hand back:\n"
                + "".join(f"- {o.candidate}: {o.title} (scorecards/ in {o.folder})\n" for o in owed)
            )
            lines.append(f"  mailto:{person.email}?subject={quote(subject)}&body={quote(body)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _table(heads: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Left-aligned columns two spaces apart, each as wide as its longest cell."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]

    def line(cells: Sequence[str]) -> str:
        return indent + "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(heads), *(line(r) for r in rows)]


def format_report(report: Report) -> str:
    """The candidates as a terminal table: loop score, each interview, flags, decision."""
    ids = [interview_id for interview_id, _ in report.columns]
    heads = ["candidate", "date", "loop", *ids, "flags", "decision"]
    rows = []
    for row in report.rows:
        if row.score is not None:
            loop = f"{row.score:.2f} {'meets' if row.meets_bar else 'below'}"
        else:
            loop = "no debrief" if row.debrief == "none" else "stale, no score"
        scores = [row.interview_score(i) for i in ids]
        rows.append(
            [
                row.candidate,
                row.date,
                loop,
                *("-" if s is None else f"{s:.2f}" for s in scores),
                ", ".join(row.flags) if row.scored else "",
                row.decision,
            ]
        )
    bar = report.rows[0].hire_bar if report.rows else 0
    lines = [f"{report.title}: {len(report.rows)} candidates, hire bar {bar:g}", ""]
    lines += _table(heads, rows)
    lines += [f"skipped {s.folder}/: {s.reason}" for s in report.skipped]
    return "\n".join(lines)

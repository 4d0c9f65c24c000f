"""What loopkit prints in the terminal for one packet: the plan and the debrief as plain text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from loopkit._debrief import Debrief
from loopkit._models import Loop, format_minutes
from loopkit._scale import RATING_LABELS, bar_text, beside
from loopkit._schedule import Schedule, Slot, clock_span, elapsed_minutes
from loopkit.render.width import fit


def format_plan(schedule: Schedule, loop: Loop) -> str:
    """The schedule as a plain-text table for the terminal."""
    both = schedule.candidate_tz.key != schedule.tz.key
    head = f"{loop.title}: {schedule.day:%A %d %B %Y}, {format_minutes(elapsed_minutes(schedule.start, schedule.end))}"
    rows = [head, ""]
    zones = [schedule.tz, schedule.candidate_tz] if both else [schedule.tz]
    heads = [f"time ({schedule.tz.key})", f"candidate ({schedule.candidate_tz.key})"][: len(zones)]
    # each column as wide as its longest cell, and two spaces apart: never run together
    widths = [
        max(len(h), *(len(_span(s, z, schedule.start)) for s in schedule.slots)) + 2
        for h, z in zip(heads, zones, strict=True)
    ]
    rows.append("".join(f"{h:<{w}}" for h, w in zip(heads, widths, strict=True)) + "block")
    for slot in schedule.slots:
        line = "".join(
            f"{_span(slot, z, schedule.start):<{w}}" for z, w in zip(zones, widths, strict=True)
        )
        title = slot.title
        if slot.kind == "interview":
            who = ", ".join(p.label for p in slot.people) or "unassigned"
            title = f"{title} ({slot.minutes}m) - {who}"
        else:
            title = f"  {title} ({slot.minutes}m)"
        rows.append(line + title)
    return "\n".join(rows)


def _span(slot: Slot, tz: ZoneInfo, since: datetime) -> str:
    # "+1" on a time past midnight, counted from the day's first time in that zone
    return clock_span(slot.start, slot.end, tz, since=since)


def format_debrief(debrief: Debrief) -> str:
    """The result as a terminal table."""
    rows = [f"{debrief.candidate}: {debrief.title}", ""]
    rows.append(f"{'interview':<34}{'weight':>7}  {'interviewer':<22}{'score':>6}  recommendation")
    for result in debrief.interviews:
        label = fit(result.title, 34)
        if not result.cards:
            rows.append(f"{label}{result.weight:>7g}  {'(no scorecard)':<22}{'-':>6}")
        for n, card in enumerate(result.cards):
            head = f"{label}{result.weight:>7g}" if n == 0 else " " * 41
            shown = f"{card.score:.2f}" if card.score is not None else "-"
            rows.append(
                f"{head}  {fit(card.interviewer, 22)}{shown:>6}  {card.recommendation} {RATING_LABELS[card.recommendation]}"
            )
        if len(result.cards) > 1 and result.score is not None:
            rows.append(f"{'':<41}  {'interview score':<22}{result.score:>6.2f}")
        for person in result.missing:
            rows.append(f"{'':<41}  {fit(person, 22)}{'missing':>6}")
        for card in result.shadows:  # trainees: shown, never in the score
            shown = f"{card.score:.2f}" if card.score is not None else "-"
            rows.append(
                f"{'':<41}  {fit(card.interviewer, 22)}{shown:>6}  {card.recommendation} {RATING_LABELS[card.recommendation]} (shadow, not counted)"
            )
    rows.append("")
    loop_score = beside(debrief.score, debrief.hire_bar) if debrief.score is not None else "-"
    verdict = "meets" if debrief.meets_bar else "is below"
    # an incomplete debrief says so in its headline, not only in a flag below it
    lead = "INCOMPLETE: " if debrief.incomplete else ""
    rows.append(
        f"{lead}loop score {loop_score} {verdict} the hire bar of {bar_text(debrief.hire_bar, 2)}"
    )
    rows += [f"! {flag}" for flag in debrief.flags]
    if debrief.decision:
        because = f". Reason: {debrief.reason}" if debrief.reason else ""
        rows.append(f"decision: {debrief.decision}{because}")
    return "\n".join(rows)

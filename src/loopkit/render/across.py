"""What loopkit prints in the terminal across packets: status, report and calibration tables.

Nothing here imports the models or reportlab: a status read from the cache
starts without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from loopkit._calibrate import MIN_SHARED, Calibration, Interval
from loopkit._report import Report, bar_words
from loopkit._scale import beside
from loopkit._status import FolderStatus, Owed, Skipped
from loopkit.render.width import columns

NOT_ENOUGH = "not enough data"


def shown(interval: Interval, percent: bool = False, signed: bool = False) -> str:
    """An estimate in words: ``+0.31 (-0.05 to +0.67)``, or "not enough data"."""
    if interval.value is None:
        return f"{NOT_ENOUGH} ({interval.n} of the {MIN_SHARED} needed)"

    def fmt(v: float) -> str:
        if percent:
            return f"{v:.0%}"
        return f"{v:+.2f}" if signed else f"{v:.2f}"

    if interval.low is None or interval.high is None:
        return fmt(interval.value)
    return f"{fmt(interval.value)} ({fmt(interval.low)} to {fmt(interval.high)})"


def counted(n: int, noun: str) -> str:
    """ "1 packet", "2 packets"."""
    return f"{n} {noun}{'s' * (n != 1)}"


def left_out(skipped: Sequence[Skipped]) -> list[Skipped]:
    """The packets of a folder left out (unreadable, a copy): not its other folders, which
    are no candidate."""
    return [s for s in skipped if s.packet]


def unread(skipped: Sequence[Skipped]) -> str:
    """What a page says of the packets left out, which it names below."""
    n = len(left_out(skipped))
    return (
        f" {counted(n, 'packet')} here {'was' if n == 1 else 'were'} left out: named below."
        if n
        else ""
    )


def format_status(status: FolderStatus, now: datetime) -> str:
    """Every packet on one line, then every scorecard owed, the longest overdue first."""
    heads = ("packet", "candidate", "loop", "date", "rev", "scorecards", "debrief")
    rows = [
        (
            p.folder,
            s.candidate,
            s.loop,
            s.date,
            str(s.revision),
            f"{p.filled}/{p.expected}" + (f" ({s.unchecked} not ready)" if s.unchecked else ""),
            s.debrief,
        )
        for p in status.packets
        for s in (p.summary,)
    ]
    unreadable = len(left_out(status.skipped))
    none = f"no packet here could be read ({counted(unreadable, 'packet')} skipped, below)"
    lines = _table(heads, rows) if rows else [none if unreadable else "no packets here"]
    lines += [f"skipped {s.folder}/: {s.reason}" for s in status.skipped]
    lines += [f"{p.folder}/{problem}" for p in status.packets for problem in p.summary.problems]
    lines += [
        f"{p.folder}: debrief stale: {p.summary.why_stale}; run loopkit debrief again"
        for p in status.packets
        if p.summary.debrief == "stale"
    ]
    owed = status.owed
    if not rows and unreadable:  # who owes what is in the packets that could not be read
        return "\n".join([*lines, "", "owed: not known (no packet could be read)"])
    beyond = (
        f" in the packets read ({counted(unreadable, 'packet')} skipped, above)"
        if unreadable
        else ""
    )
    lines += ["", f"owed: {len(owed)} scorecard{'s' * (len(owed) != 1)}{beyond}"]
    if owed:
        lines += _table(
            ("interviewer", "e-mail", "interview", "candidate", "ended"),
            [
                (
                    o.person.name if o.person else "(unassigned)",
                    o.person.email if o.person else "",
                    o.title,
                    o.candidate,
                    o.ago(now),
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
        unreadable = len(left_out(status.skipped))
        if unreadable and not status.packets:
            return "who owes a scorecard is not known: no packet could be read (loopkit status says why)"
        if unreadable:  # they may owe some: not known
            return (
                f"nobody owes a scorecard in the packets read; {counted(unreadable, 'packet')} "
                "could not be read (loopkit status says why)"
            )
        return "nobody owes a scorecard"
    blocks = []
    for who, owed in sorted(people.items(), key=lambda item: (not item[0], item[0].casefold())):
        count = f"{len(owed)} scorecard{'s' * (len(owed) != 1)}"
        lines = [f"{who or '(unassigned seats: the interviewer writes their name in)'}: {count}"]
        for o in owed:
            lines.append(f"  {o.candidate}, {o.title} ({o.folder}): ended {o.ago(now)}")
            lines += (f"    to mend: {problem}" for problem in o.problems)
            lines += (f"    still to fill in: {keys}" for keys in o.to_fill)
        person = owed[0].person
        if person is not None and person.email:
            subject = f"Scorecard{'s' * (len(owed) != 1)} to hand in"
            body = (
                "Hello "
                + person.name
                + ",\n\nplease fill in and hand back:\n"
                + "".join(_reminder(o) for o in owed)
            )
            lines.append(f"  mailto:{person.email}?subject={quote(subject)}&body={quote(body)}")
        elif person is not None:
            lines.append("  (no address in the packet: remind them another way)")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _reminder(owed: Owed) -> str:
    """One scorecard in a reminder: whose, which file, and what to mend or still fill in."""
    lines = [f"- {owed.candidate}: {owed.title} ({owed.folder}/{owed.scorecard})"]
    lines += (f"  to mend: {problem}" for problem in owed.problems)
    lines += (f"  still to fill in: {keys}" for keys in owed.to_fill)
    return "\n".join(lines) + "\n"


def _table(heads: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Left-aligned columns two spaces apart, each as wide as its longest cell on screen."""
    widths = [max([columns(h), *(columns(r[i]) for r in rows)]) for i, h in enumerate(heads)]

    def line(cells: Sequence[str]) -> str:
        padded = (c + " " * (w - columns(c)) for c, w in zip(cells, widths, strict=True))
        return indent + "  ".join(padded).rstrip()

    return [line(heads), *(line(r) for r in rows)]


def format_report(report: Report) -> str:
    """The candidates as a terminal table: loop score, each interview, flags, decision."""
    ids = [interview_id for interview_id, _ in report.columns]
    heads = ["candidate", "date", "loop", *ids, "flags", "decision"]
    rows = []
    for row in report.rows:
        if row.score is not None:
            loop = f"{beside(row.score, row.hire_bar)} {'meets' if row.meets_bar else 'below'}"
        else:
            loop = row.unscored
        scores = [row.interview_score(i) for i in ids]
        rows.append(
            [
                report.name(row),
                row.date,
                loop,
                *("-" if s is None else f"{s:.2f}" for s in scores),
                ", ".join(row.flags),
                row.decision_shown,
            ]
        )
    bars = sorted({row.hire_bar for row in report.rows})
    bar = f", {bar_words(bars)}" if bars else ""  # none read: no bar
    lines = [f"{report.title}: {report.counted}{bar}", ""]
    lines += _table(heads, rows) if rows else []
    # a reason over lines, its lines indented: none reads as a line of its own
    lines += [f"reason: {reason}".replace("\n", "\n    ") for reason in report.reasons()]
    lines += [f"stale debrief of {why}; run loopkit debrief again" for why in report.stale()]
    lines += [f"skipped {s.folder}/: {s.reason}" for s in report.skipped]
    return "\n".join(lines)


def format_calibration(calibration: Calibration) -> str:
    """Each interviewer's figures, then each interview's agreement between raters."""
    rows = [
        [
            calibration.label(r) + (" (shadow)" if r.shadow else ""),
            str(r.scorecards),
            " ".join(str(r.recommendations[n]) for n in sorted(r.recommendations)),
            f"{r.no_signal_share:.0%}",
            shown(r.leniency, signed=True),
            shown(r.agreement, percent=True),
            str(r.agreement.n) + (f" ({r.undecided} undecided)" if r.undecided else ""),
        ]
        for r in calibration.raters
    ]
    heads = [
        "interviewer",
        "scorecards",
        "recommended 1 2 3 4",
        "no signal",
        "leniency (95%)",
        "agrees with decision",
        "decided candidates",
    ]
    lines = [counted(calibration.packets, "packet"), ""]
    lines += _table(heads, rows) if rows else ["no filled scorecards yet"]
    if calibration.interviews:
        lines += [""]
        lines += _table(
            ["interview", "raters", "shared candidates", "alpha (95%)"],
            [
                [a.title, str(a.raters), str(a.candidates), shown(a.alpha)]
                for a in calibration.interviews
            ],
        )
    lines += [f"decision not counted, debrief stale: {why}" for why in calibration.stale]
    lines += [f"skipped {s.folder}/: {s.reason}" for s in calibration.skipped]
    return "\n".join(lines)

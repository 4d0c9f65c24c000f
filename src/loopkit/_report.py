"""The candidates of one loop side by side, from each packet's debrief.toml.

The report never scores anything itself: every number is the one the
packet's debrief recorded, so the report and the debriefs cannot disagree.
A candidate without a debrief is listed as such, never scored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loopkit._cache import SummaryCache
from loopkit._errors import LoopkitError, did_you_mean
from loopkit._scale import DECIDED_EARLIER, on_scale
from loopkit._status import (
    DebriefState,
    PacketStatus,
    Skipped,
    folder_status,
    no_packets,
    of_kind,
    read_debrief,
)


@dataclass(frozen=True)
class Row:
    """One candidate: their debrief's numbers and flags, or none yet."""

    folder: str
    candidate: str
    date: str
    debrief: DebriefState
    hire_bar: float
    score: float | None = None
    interviews: tuple[tuple[str, float | None], ...] = ()  # interview id, score
    deep_dive: float | None = None
    incomplete: bool = False
    disagreement: bool = False
    deep_dive_below: bool = False
    decision: str = ""  # as the debrief recorded it; a stale debrief's is shown, never scored
    met: bool = False  # the debrief's own verdict: its score against the bar, exactly
    why_stale: str = ""  # what came after a stale debrief
    reason: str = ""  # why the decision, as given with it
    decided_earlier: bool = False  # the decision was recorded on other scores than these

    @property
    def scored(self) -> bool:
        """Whether a debrief gave this candidate a loop score."""
        return self.score is not None

    @property
    def meets_bar(self) -> bool:
        """Whether the loop score reaches the hire bar, as the debrief said."""
        return self.score is not None and self.met

    @property
    def unscored(self) -> str:
        """Why there is no loop score, in words ("" when there is one).

        A current debrief can have none: every scorecard missing (--allow-missing),
        or every rating "no signal".
        """
        if self.score is not None:
            return ""
        return {"none": "no debrief yet", "stale": "debrief stale, no score"}.get(
            self.debrief, "debrief, no score"
        )

    @property
    def flags(self) -> list[str]:
        """What the hiring manager should look at, in words."""
        found = []
        if self.debrief == "stale":
            found.append("debrief stale")
        if self.incomplete:
            found.append("incomplete")
        if self.disagreement:
            found.append("disagreement")
        if self.deep_dive_below:
            found.append("deep-dive below the bar")
        if self.decided_earlier:
            found.append(DECIDED_EARLIER)
        return found

    @property
    def decision_shown(self) -> str:
        """The decision as the table shows it: a stale debrief's said to be one."""
        if self.decision and self.debrief != "current":
            return f"{self.decision} (stale debrief)"
        return self.decision

    def interview_score(self, interview_id: str) -> float | None:
        """This candidate's score in one interview, if it was scored."""
        return dict(self.interviews).get(interview_id)


@dataclass(frozen=True)
class Report:
    """One loop's candidates, scored ones first by loop score, then those without a debrief."""

    loop: str
    title: str
    paper: str
    columns: tuple[tuple[str, str], ...]  # interview id and title, in the loop's order
    deep_dive: str  # the deep-dive's interview id ("" when the loop has none)
    rows: tuple[Row, ...]
    skipped: tuple[Skipped, ...]
    others: tuple[tuple[str, str], ...] = ()  # the packet folders of other loops, and theirs

    def name(self, row: Row) -> str:
        """The candidate's name, with the packet's folder when another candidate shares it."""
        same = sum(r.candidate.casefold() == row.candidate.casefold() for r in self.rows)
        return f"{row.candidate} ({row.folder})" if same > 1 else row.candidate

    def stale(self) -> list[str]:
        """Each stale debrief, in words: whose, and what came after it."""
        return [f"{self.name(r)}: {r.why_stale}" for r in self.rows if r.why_stale]

    def reasons(self) -> list[str]:
        """Each reason given for a decision, in words: whose, the decision, and why."""
        return [
            f"{self.name(r)}, {r.decision_shown}: {r.reason}"
            for r in self.rows
            if r.decision and r.reason
        ]

    @property
    def counted(self) -> str:
        """ "1 candidate", "7 candidates"."""
        return f"{len(self.rows)} candidate{'s' * (len(self.rows) != 1)}"


def bar_words(bars: Sequence[float]) -> str:
    """ "hire bar 3", or, for candidates judged against different bars (the loop's bar
    changed between their packets), "hire bars 2.5 to 3, each row its own"."""
    if len(bars) == 1:
        return f"hire bar {bars[0]:g}"
    return f"hire bars {min(bars):g} to {max(bars):g}, each row its own"


def build_report(
    folder: Path,
    loop: str | None,
    cache: SummaryCache | None = None,
    reading: Callable[[int], None] | None = None,
    paper: str | None = None,
) -> Report:
    """Read every packet in ``folder`` and line up the candidates of ``loop``, on ``paper``
    (the newest packet's when None)."""
    status = folder_status(folder, datetime.now().astimezone(), cache, reading)
    loops = sorted({p.summary.loop for p in status.packets})
    if not loops:
        raise no_packets(folder, status)
    if loop is None:
        if len(loops) > 1:
            raise LoopkitError(
                f"packets of {len(loops)} loops here: {', '.join(loops)}",
                key="--loop",
                hint="choose one with --loop",
            )
        loop = loops[0]
    packets = [p for p in status.packets if p.summary.loop == loop]
    if not packets:
        raise LoopkitError(
            f"no packets of the loop {loop!r} in {folder}",
            key="--loop",
            hint=did_you_mean(loop, loops) or "loops here: " + ", ".join(loops),
        )
    packets.sort(key=lambda p: (p.summary.date, p.folder), reverse=True)  # the newest first
    latest = packets[0].summary
    columns: dict[str, str] = {}
    for packet in packets:
        for interview in packet.summary.interviews:  # the newest packet's order and titles first
            columns.setdefault(interview.id, interview.title)
    deep = next((i.id for i in latest.interviews if i.kind == "deep-dive"), "")
    rows: list[Row] = []
    skipped = list(status.skipped)
    for packet in packets:
        try:
            rows.append(_row(packet, deep))
        except LoopkitError as exc:
            skipped.append(Skipped(packet.folder, str(exc)))
    rows.sort(key=lambda r: (not r.scored, -(r.score or 0.0), r.candidate.casefold(), r.folder))
    return Report(
        loop,
        latest.title,
        paper or latest.paper,
        tuple(columns.items()),
        deep,
        tuple(rows),
        tuple(skipped),
        tuple((p.folder, p.summary.loop) for p in status.packets if p.summary.loop != loop),
    )


def replaced_loops(csv_file: Path, report: Report) -> list[str]:
    """The loops whose report ``csv_file`` holds when it is of other loops than ``report``'s:
    writing the report replaces it, and the command says so. A file that cannot be read as
    a report of this folder's packets holds none."""
    import csv  # only report reads a report back

    try:
        with csv_file.open(encoding="utf-8-sig", newline="") as handle:
            folders = {row.get("packet", "") for row in csv.DictReader(handle)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    ours = {row.folder for row in report.rows}
    if folders & ours:
        return []
    return sorted({loop for folder, loop in report.others if folder in folders})


def _row(status: PacketStatus, deep: str) -> Row:
    packet = status.summary
    file = status.path / "debrief.toml"
    if packet.debrief != "current":  # none, superseded, or older than a card: never scored
        return Row(
            status.folder,
            packet.candidate,
            packet.date,
            packet.debrief,
            packet.hire_bar,
            decision=packet.decision,  # recorded before it went stale: an offer may be out
            why_stale=packet.why_stale,
            reason=packet.reason,
        )
    data = read_debrief(file)
    try:
        interviews = tuple(
            (of_kind(i["id"], str, "an interview id"), on_scale(i.get("score")))
            for i in of_kind(data["interviews"], list, "interviews")
        )
        flags = [of_kind(f, str, "a flag") for f in of_kind(data["flags"], list, "flags")]
        hire_bar = on_scale(data["hire_bar"])
        score = on_scale(data.get("score"))
        met = of_kind(data["meets_bar"], bool, "meets_bar")
        incomplete = of_kind(data["incomplete"], bool, "incomplete")
        decision = of_kind(data.get("decision", ""), str, "a decision")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # edited into another shape
        raise LoopkitError(f"cannot be read ({exc})", file=str(file)) from None
    if hire_bar is None:
        raise LoopkitError("cannot be read (no hire bar)", file=str(file))
    deep_score = dict(interviews).get(deep)
    return Row(
        status.folder,
        packet.candidate,
        packet.date,
        packet.debrief,
        hire_bar,
        score,
        interviews,
        deep_score,
        incomplete,
        any(f.startswith("disagreement") for f in flags),
        any(f.startswith("deep-dive below the bar") for f in flags),
        decision,
        met,
        reason=packet.reason,
        decided_earlier=any(f.startswith(DECIDED_EARLIER) for f in flags),
    )

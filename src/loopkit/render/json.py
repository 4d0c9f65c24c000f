"""What ``--format json`` prints: plain data for scripts, one document on standard output.

Field names are contract (docs/json.md): add, never rename.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from loopkit._errors import Finding, Severity
from loopkit._report import Report
from loopkit._source import mended
from loopkit._status import FolderStatus, Skipped

if TYPE_CHECKING:
    from loopkit._schedule import Planned


def dumps(data: object) -> str:
    """JSON as people and scripts read it: UTF-8 text, indented.

    A file name that is not UTF-8 reaches Python with its bytes as lone
    surrogates; each is shown as U+FFFD, as the text output shows it, so that
    the document stays UTF-8.
    """
    return mended(json.dumps(data, ensure_ascii=False, indent=2))


def findings_data(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as ``validate`` prints them, one object each."""
    return [
        {
            "file": f.file,
            "line": f.line,
            "code": f.code,
            "severity": str(f.severity),
            "key": f.key,
            "message": f.message,
            "hint": f.hint,
        }
        for f in findings
    ]


def validate_data(findings: list[Finding], files: int) -> dict[str, Any]:
    """What ``validate`` found in ``files`` files."""
    errors = sum(f.severity is Severity.ERROR for f in findings)
    return {
        "files": files,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": findings_data(findings),
    }


def plan_data(planned: Planned) -> dict[str, Any]:
    """The timed day: every block with its instants (the coordinator's offset), and warnings."""
    schedule, loop = planned.schedule, planned.document.loop
    return {
        "loop": loop.id,
        "title": loop.title,
        "date": schedule.day.isoformat(),
        "tz": schedule.tz.key,
        "candidate_tz": schedule.candidate_tz.key,
        "start": schedule.start.isoformat(),
        "end": schedule.end.isoformat(),
        "blocks": [
            {
                "kind": slot.kind,
                "id": slot.interview.id if slot.interview else "",
                "title": slot.title,
                "start": slot.start.isoformat(),
                "end": slot.end.isoformat(),
                "minutes": slot.minutes,
                "interviewers": [{"name": p.name, "email": p.email} for p in slot.people],
            }
            for slot in schedule.slots
        ],
        "warnings": findings_data(planned.warnings),
    }


def skipped_data(skipped: Iterable[Skipped]) -> list[dict[str, object]]:
    """The folders skipped, each with why, and whether it is a packet (one left out)."""
    return [{"folder": s.folder, "reason": s.reason, "packet": s.packet} for s in skipped]


def status_data(status: FolderStatus, now: datetime) -> dict[str, object]:
    """The status as plain data, for ``--format json``."""
    return {
        "now": now.isoformat(),
        "packets": [
            {
                "folder": p.folder,
                "candidate": p.summary.candidate,
                "loop": p.summary.loop,
                "date": p.summary.date,
                "revision": p.summary.revision,
                "filled": p.filled,
                "expected": p.expected,
                "unchecked": p.summary.unchecked,
                "problems": list(p.summary.problems),
                "debrief": p.summary.debrief,
                "why_stale": p.summary.why_stale,
            }
            for p in status.packets
        ],
        "owed": [
            {
                "folder": o.folder,
                "candidate": o.candidate,
                "name": o.person.name if o.person else "",
                "email": o.person.email if o.person else "",
                "interview": o.interview,
                "title": o.title,
                "ended": o.ended.isoformat(),
                "hours": o.hours(now),
                "scorecard": o.scorecard,
                "problems": list(o.problems),
                "to_fill": list(o.to_fill),
            }
            for o in status.owed
        ],
        "skipped": skipped_data(status.skipped),
    }


def report_data(report: Report) -> dict[str, Any]:
    """The report as written to report.csv, with the loop's interviews named."""
    return {
        "loop": report.loop,
        "title": report.title,
        "interviews": [{"id": i, "title": t} for i, t in report.columns],
        "deep_dive": report.deep_dive,
        "candidates": [
            {
                "candidate": r.candidate,
                "date": r.date,
                "folder": r.folder,
                "debrief": r.debrief,
                "score": r.score,
                "hire_bar": r.hire_bar,
                "meets_bar": r.meets_bar if r.scored else None,
                "interviews": dict(r.interviews),
                "deep_dive": r.deep_dive,
                "flags": r.flags,
                "decision": r.decision,
                "why_stale": r.why_stale,
                "reason": r.reason,
            }
            for r in report.rows
        ],
        "skipped": skipped_data(report.skipped),
    }

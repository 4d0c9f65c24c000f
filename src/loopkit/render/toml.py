"""The TOML files of a packet: the lock, the blank scorecards, and debrief.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from loopkit._debrief import Basis, Card, Debrief, text_hash
from loopkit._packet import Packet, Seat
from loopkit._records import LOCK_HEADER, Lock, lock_data
from loopkit._scale import NO_SIGNAL
from loopkit._schedule import clock_span
from loopkit._source import mended


def lock_toml(lock: Lock, digest: str, files: dict[str, str]) -> str:
    """loop.lock.toml: the hash line, the lock's data, and the hash of every file written."""
    return f'{LOCK_HEADER}hash = "{digest}"\n' + tomli_w.dumps({**lock_data(lock), "files": files})


def _toml_value(value: str | float) -> str:
    return tomli_w.dumps({"v": value})[4:].rstrip("\n")


def _comment(text: str) -> str:
    return " ".join(text.split())


def blank_scorecard(packet: Packet, seat: Seat) -> str:
    """The blank scorecard TOML an interviewer fills in (SPEC 2.5), with guidance comments."""
    slot = seat.slot
    lines = [
        f"# Scorecard: {_comment(seat.interview.title)} with {_comment(packet.candidate)}",
        f"# {slot.start:%A %d %B %Y}, {clock_span(slot.start, slot.end, packet.schedule.tz)}",
        "#",
        "# How to fill it in:",
        "#   recommendation: 1 strong no, 2 no, 3 yes, 4 strong yes (0 means not filled in yet)",
        '#   each rating: 1-4 as above, or "no signal" when the interview told you nothing about it',
        "#   each evidence: what the candidate said or did, in a sentence or two",
        "# Leave packet, interview, lock and seat as they are: the debrief checks them.",
        *(
            [
                "# You are shadowing: rate as if it counted. Your ratings are shown apart in the",
                "# debrief and compared in calibration; they never count in the candidate's score.",
            ]
            if seat.shadow
            else []
        ),
        "",
        f"packet = {_toml_value(packet.id)}",
        f"interview = {_toml_value(seat.interview.id)}",
        f"lock = {_toml_value(packet.lock_hash)}",
        f"seat = {_toml_value(seat.stem)}",
        f"interviewer = {_toml_value(seat.person.name if seat.person else '')}"
        + ("" if seat.person else "    # nobody was assigned: write your name"),
        "recommendation = 0      # 1 strong no, 2 no, 3 yes, 4 strong yes",
        'notes = ""',
        "",
        '[ratings]               # 1-4, or "no signal"',
    ]
    for competency in seat.template.competencies:
        lines.append(
            f"{competency.id} = 0    # {_comment(competency.name)} (weight {competency.weight:g})"
        )
    lines += ["", "[evidence]              # what you saw, per competency"]
    lines += [f'{competency.id} = ""' for competency in seat.template.competencies]
    return "\n".join(lines) + "\n"


def _basis(basis: Basis) -> dict[str, Any]:
    """What a decision was recorded on, as debrief.toml keeps it."""
    score = {} if basis.score is None else {"score": basis.score}
    return {**score, "incomplete": basis.incomplete, "scorecards": dict(basis.cards)}


def debrief_data(debrief: Debrief) -> dict[str, Any]:
    """Every number of the debrief, for debrief.toml (TOML has no null: absent means none)."""

    def opt(key: str, value: float | None) -> dict[str, float]:
        return {key: value} if value is not None else {}

    def card(c: Card) -> dict[str, Any]:
        return {
            "interviewer": c.interviewer,
            "file": mended(Path(c.file).name),  # UTF-8, whatever the name's bytes
            **opt("score", c.score),
            "recommendation": c.recommendation,
            "ratings": {k: (NO_SIGNAL if v is None else v) for k, v in c.ratings.items()},
            "text_hash": text_hash(c.interviewer, c.evidence, c.notes),
        }

    return {
        "packet": debrief.packet,
        "candidate": debrief.candidate,
        "revision": debrief.revision,
        "hire_bar": debrief.hire_bar,
        **opt("score", debrief.score),
        "meets_bar": debrief.meets_bar,
        "incomplete": debrief.incomplete,
        "flags": list(debrief.flags),
        **({"decision": debrief.decision} if debrief.decision else {}),
        **({"reason": debrief.reason} if debrief.reason else {}),
        **(
            {
                "earlier_decisions": [
                    {"decision": d, **({"reason": r} if r else {})}
                    for d, r in debrief.decisions[1:]
                ]
            }
            if len(debrief.decisions) > 1
            else {}
        ),
        **({"decided_on": _basis(debrief.decided_on)} if debrief.decided_on else {}),
        "interviews": [
            {
                "id": r.id,
                "title": r.title,
                "weight": r.weight,
                **opt("score", r.score),
                "missing": list(r.missing),
                "no_signal": list(r.no_signal),
                "scorecards": [card(c) for c in r.cards],
                **({"shadows": [card(c) for c in r.shadows]} if r.shadows else {}),
            }
            for r in debrief.interviews
        ],
    }

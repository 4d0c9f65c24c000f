"""The debrief: filled scorecards, checked against the lock file, turned into scores.

Reading refuses anything it cannot use (malformed, out of range, left at 0,
another packet's, a stale lock, a duplicate) with the file and key: a
scorecard is never skipped or guessed. Scoring is a pure function of the
lock and the checked scorecards; nothing is rounded before the end.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from loopkit._errors import ScorecardError
from loopkit._io import write_bytes_atomic
from loopkit._load import display_path
from loopkit._models import NO_SIGNAL, RATING_LABELS, Person
from loopkit._packet import read_lock

_KEYS = (
    "packet",
    "interview",
    "lock",
    "interviewer",
    "recommendation",
    "notes",
    "ratings",
    "evidence",
)
DISAGREEMENT = 2  # recommendations this far apart are flagged


@dataclass(frozen=True)
class Filled:
    """One interviewer's checked scorecard."""

    file: str
    interview: str
    interviewer: str
    recommendation: int
    ratings: dict[str, int | None]  # None is "no signal"
    evidence: dict[str, str]
    notes: str


@dataclass(frozen=True)
class Card:
    """One interviewer's result in one interview."""

    interviewer: str
    file: str
    score: float | None  # None when every competency was "no signal"
    recommendation: int
    ratings: dict[str, int | None]
    evidence: dict[str, str]
    notes: str
    on_panel: bool


@dataclass(frozen=True)
class InterviewResult:
    """One interview's cards and score."""

    id: str
    title: str
    kind: str
    weight: float
    cards: tuple[Card, ...]
    missing: tuple[str, ...]
    competencies: tuple[tuple[str, str, float], ...]  # id, name, weight
    no_signal: tuple[str, ...]  # competency names nobody rated

    @property
    def score(self) -> float | None:
        """Mean of the interviewers' scores (None when none has one)."""
        scores = [c.score for c in self.cards if c.score is not None]
        return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class Debrief:
    """The whole result: per-interview scores, the loop score against the bar, and flags."""

    packet: str
    candidate: str
    title: str
    paper: str
    hire_bar: float
    interviews: tuple[InterviewResult, ...]
    flags: tuple[str, ...] = field(default=())
    incomplete: bool = False

    @property
    def score(self) -> float | None:
        """Weighted mean of the interview scores that exist."""
        scored = [(i.weight, i.score) for i in self.interviews if i.score is not None]
        total = sum(w for w, _ in scored)
        return sum(w * s for w, s in scored) / total if total else None

    @property
    def meets_bar(self) -> bool:
        """Whether the loop score reaches the hire bar."""
        return self.score is not None and self.score >= self.hire_bar


def read_scorecard(path: Path, lock: dict[str, Any], digest: str) -> Filled | None:
    """Check one filled scorecard against the lock; None when it is an untouched blank."""
    file = display_path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScorecardError(f"is not valid TOML: {exc}", file=file) from None
    except UnicodeDecodeError:
        raise ScorecardError("is not UTF-8 text", file=file) from None
    except OSError as exc:
        raise ScorecardError(f"cannot be read: {exc.strerror or exc}", file=file) from None

    def fail(key: str, message: str, hint: str = "") -> ScorecardError:
        return ScorecardError(message, file=file, key=key, hint=hint)

    for key in data:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, _KEYS, n=1)
            raise fail(key, "unknown key", f"did you mean {close[0]!r}?" if close else "")
    packet_id = lock["packet"]["id"]
    if data.get("packet") != packet_id:
        raise fail("packet", f"belongs to packet {data.get('packet')!r}, not {packet_id!r}")
    if data.get("lock") != digest:
        raise fail("lock", "was made for another version of this packet (lock hash differs)",
                   "fill the blank scorecard of the current packet")  # fmt: skip
    interviews = {i["id"]: i for i in lock["interviews"]}
    interview = data.get("interview")
    if interview not in interviews:
        raise fail(
            "interview",
            f"no interview {interview!r} in this packet",
            "interviews: " + ", ".join(interviews),
        )
    competencies = [
        c["id"] for c in lock["scorecards"][interviews[interview]["scorecard"]]["competencies"]
    ]
    ratings_in = data.get("ratings")
    if not isinstance(ratings_in, dict):
        raise fail("ratings", "missing the [ratings] table")
    recommendation = data.get("recommendation")
    if recommendation == 0 and all(v == 0 for v in ratings_in.values()):
        return None  # an untouched blank: the interviewer has not filled it in
    interviewer = data.get("interviewer")
    if not isinstance(interviewer, str) or not interviewer.strip():
        raise fail("interviewer", "not filled in", "write your name")
    if isinstance(recommendation, bool) or recommendation not in RATING_LABELS:
        left = " (0 means not filled in yet)" if recommendation == 0 else ""
        raise fail(
            "recommendation",
            f"must be 1-4, got {recommendation!r}{left}",
            "1 strong no, 2 no, 3 yes, 4 strong yes",
        )
    ratings: dict[str, int | None] = {}
    for competency in competencies:
        if competency not in ratings_in:
            raise fail(f"ratings.{competency}", "missing rating", 'rate 1-4 or "no signal"')
        value = ratings_in[competency]
        if isinstance(value, str) and value.strip().lower() == NO_SIGNAL:
            ratings[competency] = None
        elif isinstance(value, int) and not isinstance(value, bool) and value in RATING_LABELS:
            ratings[competency] = value
        else:
            left = " (0 means not filled in yet)" if value == 0 else ""
            raise fail(f"ratings.{competency}", f'must be 1-4 or "no signal", got {value!r}{left}')
    for extra in ratings_in.keys() - set(competencies):
        close = difflib.get_close_matches(extra, competencies, n=1)
        raise fail(f"ratings.{extra}", "not a competency of this interview",
                   f"did you mean {close[0]!r}?" if close else "competencies: " + ", ".join(competencies))  # fmt: skip
    evidence_in = data.get("evidence", {})
    if not isinstance(evidence_in, dict) or not all(
        isinstance(v, str) for v in evidence_in.values()
    ):
        raise fail("evidence", "must be a table of text per competency")
    for extra in evidence_in.keys() - set(competencies):
        raise fail(f"evidence.{extra}", "not a competency of this interview")
    notes = data.get("notes", "")
    if not isinstance(notes, str):
        raise fail("notes", f"must be text, got {notes!r}")
    return Filled(file, str(interview), " ".join(interviewer.split()), recommendation, ratings,
                  {k: evidence_in.get(k, "") for k in competencies}, notes)  # fmt: skip


def collect(
    packet_dir: Path, extra: Sequence[Path] = (), *, allow_missing: bool = False
) -> Debrief:
    """Read a packet's lock and every filled scorecard, check them all, and score the loop."""
    if not packet_dir.is_dir():
        raise ScorecardError("is not a packet folder", file=str(packet_dir))
    lock, digest = read_lock(packet_dir / "loop.lock.toml")
    paths = sorted((packet_dir / "scorecards").glob("*.toml")) + [Path(p) for p in extra]
    for path in extra:
        if not Path(path).is_file():
            raise ScorecardError("no such file", file=str(path), key="--scorecard")
    filled: list[Filled] = []
    blanks: list[str] = []
    for path in dict.fromkeys(p.resolve() for p in paths):
        card = read_scorecard(path, lock, digest)
        if card is None:
            blanks.append(str(path))
        else:
            filled.append(card)
    seen: dict[tuple[str, str], str] = {}
    for card in filled:
        key = (card.interview, card.interviewer.casefold())
        if key in seen:
            raise ScorecardError(
                f"a second scorecard from {card.interviewer} for {card.interview} (the first is {seen[key]})",
                file=card.file, key="interviewer", hint="keep one file per interviewer and interview",
            )  # fmt: skip
        seen[key] = card.file
    return score(lock, filled, blanks, allow_missing=allow_missing)


def score(
    lock: dict[str, Any],
    filled: list[Filled],
    blanks: Sequence[str] = (),
    *,
    allow_missing: bool = False,
) -> Debrief:
    """Score checked scorecards against the lock (pure: no files are read)."""
    results: list[InterviewResult] = []
    missing_all: list[str] = []
    for interview in lock["interviews"]:
        template = lock["scorecards"][interview["scorecard"]]
        weights = {c["id"]: float(c["weight"]) for c in template["competencies"]}
        panel = [Person.parse(p).name for p in interview["interviewers"]]
        mine = sorted(
            (f for f in filled if f.interview == interview["id"]),
            key=lambda f: f.interviewer.casefold(),
        )
        cards = tuple(
            Card(f.interviewer, f.file, _weighted(f.ratings, weights), f.recommendation, f.ratings, f.evidence,
                 f.notes, f.interviewer.casefold() in {p.casefold() for p in panel})
            for f in mine
        )  # fmt: skip
        have = {c.interviewer.casefold() for c in cards}
        missing = tuple(p for p in panel if p.casefold() not in have)
        if not panel and not cards:
            missing = ("unassigned",)
        missing_all += [f"{p} ({interview['id']})" for p in missing]
        no_signal = tuple(
            c["name"]
            for c in template["competencies"]
            if cards and all(card.ratings[c["id"]] is None for card in cards)
        )
        results.append(
            InterviewResult(
                interview["id"], interview["title"], interview["kind"], float(interview["weight"]), cards, missing,
                tuple((c["id"], c["name"], float(c["weight"])) for c in template["competencies"]), no_signal,
            )
        )  # fmt: skip
    if missing_all and not allow_missing:
        where = f"; unfilled blanks: {', '.join(Path(b).name for b in blanks)}" if blanks else ""
        raise ScorecardError(
            "missing scorecards from " + ", ".join(missing_all) + where,
            hint="fill them in, or debrief without them with --allow-missing",
        )
    head = lock["packet"]
    debrief = Debrief(head["id"], head["candidate"], head["title"], head.get("paper", "letter"),
                      float(head["hire_bar"]), tuple(results))  # fmt: skip
    return dataclasses.replace(
        debrief, flags=_flags(debrief, missing_all), incomplete=bool(missing_all)
    )


def _weighted(ratings: dict[str, int | None], weights: dict[str, float]) -> float | None:
    rated = [(weights[k], v) for k, v in ratings.items() if v is not None]
    total = sum(w for w, _ in rated)
    return sum(w * v for w, v in rated) / total if total else None


def _flags(debrief: Debrief, missing: list[str]) -> tuple[str, ...]:
    flags = []
    if missing:
        flags.append("INCOMPLETE: missing scorecards from " + ", ".join(missing))
    every: list[int] = []
    for result in debrief.interviews:
        recs = [c.recommendation for c in result.cards]
        every += recs
        if recs and max(recs) - min(recs) >= DISAGREEMENT:
            flags.append(
                f"disagreement in {result.title}: recommendations {min(recs)} to {max(recs)}"
            )
        for name in result.no_signal:
            flags.append(f"no signal on {name} in {result.title}")
        for card in result.cards:
            if card.score is None:
                flags.append(f"{card.interviewer} gave no signal on anything in {result.title}")
            if not card.on_panel:
                flags.append(f"{card.interviewer} was not on the panel for {result.title}")
        if (
            result.kind == "deep-dive"
            and result.score is not None
            and result.score < debrief.hire_bar
        ):
            flags.append(
                f"deep-dive below the bar: {result.title} scored {result.score:.2f} < {debrief.hire_bar:g}"
            )
    if every and max(every) - min(every) >= DISAGREEMENT:
        flags.append(f"disagreement across the loop: recommendations {min(every)} to {max(every)}")
    return tuple(flags)


def debrief_data(debrief: Debrief) -> dict[str, Any]:
    """Every number of the debrief, for debrief.toml (TOML has no null: absent means none)."""

    def opt(key: str, value: float | None) -> dict[str, float]:
        return {key: value} if value is not None else {}

    return {
        "packet": debrief.packet,
        "candidate": debrief.candidate,
        "hire_bar": debrief.hire_bar,
        **opt("score", debrief.score),
        "meets_bar": debrief.meets_bar,
        "incomplete": debrief.incomplete,
        "flags": list(debrief.flags),
        "interviews": [
            {
                "id": r.id,
                "title": r.title,
                "weight": r.weight,
                **opt("score", r.score),
                "missing": list(r.missing),
                "no_signal": list(r.no_signal),
                "scorecards": [
                    {
                        "interviewer": c.interviewer,
                        "file": Path(c.file).name,
                        **opt("score", c.score),
                        "recommendation": c.recommendation,
                        "ratings": {
                            k: (NO_SIGNAL if v is None else v) for k, v in c.ratings.items()
                        },
                    }
                    for c in r.cards
                ],
            }
            for r in debrief.interviews
        ],
    }


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
    rows.append(f"loop score {loop_score} {verdict} the hire bar of {debrief.hire_bar:.2f}")
    rows += [f"! {flag}" for flag in debrief.flags]
    return "\n".join(rows)


def write_debrief(debrief: Debrief, packet_dir: Path) -> list[Path]:
    """Render debrief.pdf and debrief.toml in memory, then write each atomically."""
    from loopkit.render.debrief import render_debrief  # the PDF stack, only when writing

    files = {
        packet_dir / "debrief.toml": tomli_w.dumps(debrief_data(debrief)).encode("utf-8"),
        packet_dir / "debrief.pdf": render_debrief(debrief),
    }
    for path, data in files.items():
        write_bytes_atomic(path, data)
    return list(files)

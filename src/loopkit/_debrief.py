"""The debrief: filled scorecards, checked against the lock, turned into scores.

Checking refuses anything it cannot use (out of range, left at 0, another
packet's, a stale seat, a duplicate) with the file, key and line, every
problem of every scorecard at once: a scorecard is never skipped or
guessed. Scoring is a pure function of the lock and the checked
scorecards, in exact fractions of the weights and the bar as their
decimals are written (0.35 is 7/20): nothing is rounded before the end,
and a score equal to the bar meets it (in floating point, three cards
whose mean is 2.5 came out as 2.4999999999999996, and a bar of 2.7 is a
little more than 27/10). Nothing here reads a file.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from loopkit._documents import FilledDocument
from loopkit._errors import Finding, Severity, ValidationFailed, did_you_mean
from loopkit._glyphs import code_points, hidden, prints_plainly, unprintable, why_not
from loopkit._models import Person, clean_name
from loopkit._records import FilledScorecard, Lock
from loopkit._scale import DECIDED_EARLIER, NO_SIGNAL, RATING_LABELS, beside
from loopkit._source import mended, shown_value

DISAGREEMENT = 2  # recommendations this far apart are flagged
SHADOW_MARK = "(shadow)"  # how a panel entry names a trainee, never a card's interviewer
NOT_YET = "(0 means not filled in yet)"  # said of a value left at 0
NOT_FILLED = "not filled in"  # said of a name left empty
NOT_TICKED = "not ticked"  # said of a radio group of a PDF left as it was (it reads as 0)


@dataclass(frozen=True)
class Filled:
    """One interviewer's checked scorecard."""

    file: str
    interview: str
    interviewer: str
    on_panel: bool  # named on the panel, or filling an unassigned seat
    recommendation: int
    ratings: dict[str, int | None]  # None is "no signal"
    evidence: dict[str, str]
    notes: str
    shadow: bool = False  # a trainee's card: shown apart, never counted


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
    shadows: tuple[Card, ...] = ()  # trainees' cards: shown apart, never in the score

    @functools.cached_property
    def exact(self) -> Fraction | None:
        """Mean of the interviewers' scores, exactly (None when none has one)."""
        weights = {competency: weight for competency, _, weight in self.competencies}
        scores = [
            s for c in self.cards if (s := exact_mean(_rated(c.ratings, weights))) is not None
        ]
        if not scores:
            return None
        common = math.lcm(*(s.denominator for s in scores))  # in integers: a sum of
        total = sum(s.numerator * (common // s.denominator) for s in scores)  # Fractions
        return Fraction(total, common * len(scores))  # takes a status of 1,000 packets 0.1 s

    @property
    def score(self) -> float | None:
        """Mean of the interviewers' scores (None when none has one)."""
        return _nearest(self.exact)


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
    revision: int = 1
    # The hiring team's decisions and reasons, latest first: ("hire" or "no-hire", why).
    # A decision changed keeps the one before, so no reason anyone wrote is lost.
    decisions: tuple[tuple[str, str], ...] = ()
    # What the latest decision was recorded on (see ``basis``); None when not known
    # (recorded before loopkit kept it) or when there is no decision.
    decided_on: Basis | None = None

    @property
    def decision(self) -> str:
        """The latest decision, or "" before there is one."""
        return self.decisions[0][0] if self.decisions else ""

    @property
    def reason(self) -> str:
        """Why the latest decision was made, if someone said."""
        return self.decisions[0][1] if self.decisions else ""

    @property
    def basis(self) -> Basis:
        """What a decision recorded on this debrief is recorded on."""
        cards = {
            mended(os.path.basename(c.file)): rated_digest(c.recommendation, c.ratings)
            for i in self.interviews
            for c in i.cards
        }
        return Basis(self.score, self.incomplete, tuple(sorted(cards.items())))

    @property
    def decided_earlier(self) -> str:
        """Said when the latest decision was recorded on other scores than these ("" when
        not): a card handed in or rated again after it."""
        then, now = self.decided_on, self.basis
        if then is None or then == now:
            return ""
        before, after = dict(then.cards), dict(now.cards)
        cards = sorted(f for f in before.keys() | after.keys() if before.get(f) != after.get(f))
        since = f", scorecards handed in or rated again since: {', '.join(cards)}" if cards else ""
        return (
            f"{DECIDED_EARLIER}: {self.decision} was recorded on "
            f"{_loop_score(then.score, then.incomplete, self.hire_bar)}; now "
            f"{_loop_score(now.score, now.incomplete, self.hire_bar)}{since}: give --decision "
            "again to confirm it"
        )

    @functools.cached_property
    def exact(self) -> Fraction | None:
        """Weighted mean of the interview scores that exist, exactly."""
        return exact_mean((i.weight, i.exact) for i in self.interviews if i.exact is not None)

    @property
    def score(self) -> float | None:
        """Weighted mean of the interview scores that exist."""
        return _nearest(self.exact)

    @property
    def meets_bar(self) -> bool:
        """Whether the loop score reaches the hire bar (compared exactly)."""
        return self.exact is not None and self.exact >= _decimal(self.hire_bar)


def _loop_score(score: float | None, incomplete: bool, bar: float) -> str:
    shown = "no loop score" if score is None else f"a loop score of {beside(score, bar)}"
    return shown + (" (incomplete)" if incomplete else "")


def _as_rating(value: object) -> str:
    """How to write a rating that was nearly one: a number in quotes, or with a fraction."""
    text = value.strip() if isinstance(value, str) else ""
    if text in {str(r) for r in RATING_LABELS}:
        return f"write {text} without the quotes"
    if isinstance(value, float) and value.is_integer() and int(value) in RATING_LABELS:
        return f"write {int(value)}, a whole number"
    return ""


def check_card(doc: FilledDocument, lock: Lock, digest: str) -> tuple[Filled | None, list[Finding]]:
    """Check one filled scorecard against the lock: the card, or every problem it has.

    None with no findings is an untouched blank: its interviewer has not
    filled it in yet.
    """
    card, source = doc.card, doc.source
    problems: list[Finding] = []

    def fail(code: str, loc: tuple[str, ...], message: str, hint: str = "") -> None:
        problems.append(source.finding(code, loc, message, hint))

    if card.packet != lock.packet.id:
        fail(
            "LK132",
            ("packet",),
            f"belongs to packet {card.packet!r}, not {lock.packet.id!r}",
            f"move it to scorecards/ in the folder of that packet (<date>-{card.packet})",
        )
        return None, problems
    interview = lock.interview(card.interview)
    if interview is None:
        fail(
            "LK132",
            ("interview",),
            f"no interview {card.interview!r} in this packet",
            "interviews: " + ", ".join(i.id for i in lock.interviews),
        )
        return None, problems
    seat = lock.seat(card.seat) if card.seat else None
    if seat is None and lock.seats and not any(s.stem == card.seat for s in lock.retired):
        where = f"no seat {card.seat!r}" if card.seat else "no seat"
        fail(
            "LK132",
            ("seat",),
            f"{where} in this packet",
            "hand in the blank written for you, with its seat line as it was",
        )
        return None, problems
    if seat is not None and seat.interview != card.interview:
        fail(
            "LK132",
            ("interview",),
            f"the seat {seat.stem} is in {seat.interview}, not {card.interview}",
            "leave packet, interview, lock and seat as loopkit wrote them",
        )
        return None, problems
    if card.lock != digest and not (seat is not None and card.lock in seat.locks):
        fail(
            "LK132",
            ("lock",),
            "was made for another version of this packet (lock hash differs)",
            _stale_hint(lock, card.seat),
        )
        return None, problems
    if card.untouched:
        return None, []  # an untouched blank: the interviewer has not filled it in
    competencies = [c.id for c in lock.scorecards[interview.scorecard].competencies]
    interviewer, ratings = _check_values(card, fail, competencies)
    if problems:
        return None, problems
    named = [Person.parse(p) for p in interview.interviewers]
    panel = {p.name.casefold() for p in named}
    on_panel = (seat is not None and not seat.interviewer) or interviewer.casefold() in panel
    evidence = {k: card.evidence.get(k, "") for k in competencies}
    if interviewer.casefold().endswith(SHADOW_MARK):  # "Tina Trainee (shadow)" signed in
        fail(
            "LK133",
            ("interviewer",),
            f"{interviewer!r}: whether a card is a shadow's is the panel's to say",
            "write your name alone",
        )
        return None, problems
    if seat is not None and seat.interviewer:
        holder = Person.parse(seat.interviewer)
        shadow = holder.shadow
        # A card in the seat of someone of the other role on this panel: a counted
        # interviewer's card in a shadow's seat would never count, a shadow's card in an
        # interviewer's seat would count. Each person's card goes in their own seat.
        other = next((p for p in named if p.name.casefold() == interviewer.casefold()), None)
        if other is not None and other.shadow != shadow:
            role = "a shadow, whose card never counts" if shadow else "an interviewer"
            own = next(
                (
                    s.stem
                    for s in lock.seats
                    if s.interview == card.interview
                    and s.interviewer
                    and Person.parse(s.interviewer).name.casefold() == interviewer.casefold()
                ),
                f"{card.interview}--…",
            )
            fail(
                "LK132",
                ("interviewer",),
                f"names {interviewer}, in the seat of {holder.name} ({role})",
                f"write {interviewer}'s card in scorecards/{own}.toml, and leave this seat's "
                f"card to {holder.name}",
            )
            return None, problems
    else:  # an unassigned seat, or a card without one: a shadow by the name on the panel
        shadow = any(p.shadow and p.name.casefold() == interviewer.casefold() for p in named)
    filled = Filled(
        doc.file,
        card.interview,
        interviewer,
        on_panel,
        card.recommendation,
        ratings,
        evidence,
        card.notes,
        shadow,
    )
    return filled, []


def _check_values(
    card: FilledScorecard, fail: Callable[..., None], competencies: list[str] | None
) -> tuple[str, dict[str, int | None]]:
    """What an interviewer wrote: name, recommendation, ratings, evidence and notes.

    With the interview's ``competencies`` every one must be rated and no
    other; without them (a card checked away from its packet) the ratings
    given are checked as they are. Returns the clean name and the ratings.
    """
    try:  # NFC and one space between words, as every name on the panel is
        interviewer = clean_name(card.interviewer)
    except ValueError as exc:
        fail("LK133", ("interviewer",), str(exc), "write your name as you would print it")
        interviewer = ""
    if not interviewer and not card.interviewer.strip():
        fail("LK133", ("interviewer",), NOT_FILLED, "write your name")
    if card.recommendation not in RATING_LABELS:
        left = f" {NOT_YET}" if card.recommendation == 0 else ""
        fail(
            "LK133",
            ("recommendation",),
            f"must be 1-4, got {card.recommendation!r}{left}",
            "1 strong no, 2 no, 3 yes, 4 strong yes",
        )
    unknown = [k for k in card.ratings if competencies is not None and k not in competencies]
    ratings: dict[str, int | None] = {}
    for competency in card.ratings if competencies is None else competencies:
        if competency not in card.ratings:
            close = difflib.get_close_matches(competency, unknown, n=1)
            hint = f"is {close[0]!r} a misspelling of it?" if close else 'rate 1-4 or "no signal"'
            fail("LK133", ("ratings", competency), "missing rating", hint)
            continue
        value = card.ratings[competency]
        if isinstance(value, str) and value.strip().lower() == NO_SIGNAL:
            ratings[competency] = None
        elif type(value) is int and value in RATING_LABELS:  # True is an int, not a rating
            ratings[competency] = value
        else:
            left = f" {NOT_YET}" if type(value) is int and value == 0 else ""  # not false, 0.0
            fail(
                "LK133",
                ("ratings", competency),
                f'must be 1-4 or "no signal", got {shown_value(value)}{left}',
                _as_rating(value),
            )
    for extra in unknown:
        assert competencies is not None
        hint = did_you_mean(extra, competencies) or "competencies: " + ", ".join(competencies)
        fail("LK133", ("ratings", extra), "not a competency of this interview", hint)
    for extra in card.evidence.keys() - set(competencies or card.evidence):
        fail("LK133", ("evidence", extra), "not a competency of this interview")
    written: list[tuple[tuple[str, ...], str]] = [(("notes",), card.notes)]
    written += [(("evidence", k), v) for k, v in card.evidence.items()]
    for loc, text in written:  # found here, with its line, not while debrief.pdf is drawn
        if prints_plainly(text):  # nearly all: one look at the text instead of two
            continue
        invisible = hidden(text)
        missing = [c for c in unprintable(text) if c not in invisible]
        if invisible:
            shown = code_points(invisible)
            fail("LK133", loc, f"contains control characters that do not print ({shown})")
        if missing:
            shown = ", ".join(f"{c!r} U+{ord(c):04X}" for c in missing)
            fail("LK133", loc, f"cannot print {shown}: {why_not(missing)}", "write it in words")
    return interviewer, ratings


def not_yet_written(finding: Finding) -> bool:
    """Whether a card's finding is of a value its interviewer has not written yet (a value
    left at 0, a name left empty): a card being filled in, where a value written wrong (a
    misspelt competency, a date for a rating) is a mistake to name."""
    return finding.code == "LK133" and (
        finding.message.endswith(NOT_YET) or finding.message in (NOT_FILLED, NOT_TICKED)
    )


def check_values(doc: FilledDocument) -> list[Finding]:
    """A filled card's own values, checked without its packet: what validate says of a card."""
    card, source = doc.card, doc.source
    problems: list[Finding] = []
    if card.untouched:
        return [source.finding("LK133", ("recommendation",), "not filled in yet",
                               "rate each competency and give a recommendation", warning=True)]  # fmt: skip  # one finding

    def fail(code: str, loc: tuple[str, ...], message: str, hint: str = "") -> None:
        problems.append(source.finding(code, loc, message, hint))

    _check_values(card, fail, None)
    return problems


def _stale_hint(lock: Lock, stem: str) -> str:
    if stem and lock.seat(stem) is None:
        return f"its seat {stem} is no longer in the packet; see superseded/ and fill the current blank"
    return "fill the blank scorecard of the current packet"


def check_cards(
    docs: Sequence[FilledDocument], lock: Lock, digest: str
) -> tuple[list[Filled], list[str], list[Finding]]:
    """Check every card: the filled ones, the untouched blanks' files, and every problem."""
    filled: list[Filled] = []
    untouched: list[FilledDocument] = []
    problems: list[Finding] = []
    for doc in docs:
        card, found = check_card(doc, lock, digest)
        problems += found
        if card is not None:
            filled.append(card)
        elif not found:
            untouched.append(doc)
    done = {doc.card.seat for doc in docs if doc.file in {c.file for c in filled}}
    # a seat filled in its PDF keeps its TOML blank: that blank is no card still owed
    blanks = [doc.file for doc in untouched if doc.card.seat not in done]
    seats: dict[str, str] = {}
    second: set[str] = set()
    names = {c.file: c.interviewer.casefold() for c in filled}
    for doc in docs:  # one seat, one card: a copy for another person is a second card
        stem = doc.card.seat
        if stem and doc.file in names:
            if stem in seats and names[seats[stem]] != names[doc.file]:  # same name: below
                second.add(doc.file)
                problems.append(
                    Finding(
                        doc.file,
                        doc.source.line_of(("seat",)),
                        "LK134",
                        Severity.ERROR,
                        "seat",
                        f"a second scorecard for the seat {stem} (the first is {seats[stem]})",
                        "keep the one its interviewer filled in",
                    )
                )
            seats.setdefault(stem, doc.file)
    seen: dict[tuple[str, str], str] = {}
    for card in filled:
        key = (card.interview, card.interviewer.casefold())
        if key in seen and card.file not in second:
            problems.append(
                Finding(
                    card.file,
                    0,
                    "LK134",
                    Severity.ERROR,
                    "interviewer",
                    f"a second scorecard from {card.interviewer} for {card.interview} (the first is {seen[key]})",
                    "keep one file per interviewer and interview",
                )
            )
        seen.setdefault(key, card.file)
    return filled, blanks, problems


def score(
    lock: Lock,
    filled: Sequence[Filled],
    blanks: Sequence[str] = (),
    *,
    allow_missing: bool = False,
) -> Debrief:
    """Score checked scorecards against the lock (pure: no files are read)."""
    results: list[InterviewResult] = []
    missing_all: list[str] = []
    scores = card_scores(lock, filled)
    for interview in lock.interviews:
        template = lock.scorecards[interview.scorecard]
        panel = [p.name for p in map(Person.parse, interview.interviewers) if not p.shadow]
        mine = sorted(
            (f for f in filled if f.interview == interview.id),
            key=lambda f: f.interviewer.casefold(),
        )
        every = [
            Card(
                f.interviewer,
                f.file,
                scores[f.file],
                f.recommendation,
                f.ratings,
                f.evidence,
                f.notes,
                f.on_panel,
            )
            for f in mine
        ]
        cards = tuple(c for c, f in zip(every, mine, strict=True) if not f.shadow)
        shadows = tuple(c for c, f in zip(every, mine, strict=True) if f.shadow)
        have = {c.interviewer.casefold() for c in cards}
        missing = tuple(p for p in panel if p.casefold() not in have)
        if not panel and not cards:
            missing = ("unassigned",)
        missing_all += [f"{p} ({interview.id})" for p in missing]
        no_signal = tuple(
            c.name
            for c in template.competencies
            if cards and all(card.ratings[c.id] is None for card in cards)
        )
        competencies = tuple((c.id, c.name, c.weight) for c in template.competencies)
        results.append(
            InterviewResult(
                interview.id,
                interview.title,
                interview.kind,
                interview.weight,
                cards,
                missing,
                competencies,
                no_signal,
                shadows,
            )
        )
    if missing_all and not allow_missing:
        raise ValidationFailed([missing_finding(lock, missing_all, blanks)])
    head = lock.packet
    debrief = Debrief(
        head.id,
        head.candidate,
        head.title,
        head.paper,
        head.hire_bar,
        tuple(results),
        revision=head.revision,
    )
    return dataclasses.replace(
        debrief, flags=_flags(debrief, missing_all), incomplete=bool(missing_all)
    )


def card_scores(lock: Lock, filled: Sequence[Filled]) -> dict[str, float | None]:
    """Each card's score by its file: the mean of its ratings weighted by its interview's
    competencies, as the float nearest the exact mean (None when it gave no signal at all).

    All of a debrief that status keeps of a card, without the rest of ``score``.
    """
    weights = {
        interview.id: {c.id: c.weight for c in lock.scorecards[interview.scorecard].competencies}
        for interview in lock.interviews
    }
    return {
        f.file: _nearest_mean(_rated(f.ratings, weights[f.interview]))
        for f in filled
        if f.interview in weights
    }


@dataclass(frozen=True)
class Basis:
    """What a decision was recorded on: the loop score (None: there was none), whether the
    debrief was incomplete, and each counted card's file with ``rated_digest`` of it."""

    score: float | None
    incomplete: bool
    cards: tuple[tuple[str, str], ...]


def rated_digest(recommendation: int, ratings: Mapping[str, int | None]) -> str:
    """A short digest of what a card rates: its recommendation and ratings ("no signal" as
    None), not its words, which a decision does not rest on."""
    rated = json.dumps([recommendation, sorted(ratings.items())])
    return hashlib.sha256(rated.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def text_hash(interviewer: str, evidence: dict[str, str], notes: str) -> str:
    """A hash of what a card says in words: its interviewer's name, evidence and notes.

    debrief.toml keeps it for each card, beside the ratings, so that a card
    whose words changed after the debrief makes the debrief stale, as a
    changed rating does: debrief.pdf prints those words.
    """
    # The JSON of the words, as written with ensure_ascii=False. ASCII text without DEL
    # (which only ensure_ascii escapes) is written alike either way, and ensure_ascii's
    # encoder takes a third of the time: a status hashes ten cards of a debriefed packet.
    texts = (interviewer, notes, *evidence.keys(), *evidence.values())
    plain = all(t.isascii() and "\x7f" not in t for t in texts)
    words = json.dumps([interviewer, sorted(evidence.items()), notes], ensure_ascii=plain)
    return "sha256:" + hashlib.sha256(words.encode("utf-8", "surrogatepass")).hexdigest()


def missing_finding(lock: Lock, missing: Sequence[str], blanks: Sequence[str]) -> Finding:
    """The debrief's refusal for scorecards not handed in (``missing``: "Name (interview)");
    the blanks it names are those owed, never a shadow's (never required)."""
    shadows = lock.shadows()
    owed = [_name(b) for b in blanks if _name(b).rsplit(".", 1)[0] not in shadows]
    where = f"; unfilled blanks: {', '.join(owed)}" if owed else ""
    return Finding(
        lock.packet.id,
        0,
        "LK135",
        Severity.ERROR,
        "",
        "missing scorecards from " + ", ".join(missing) + where,
        "fill them in, or debrief without them with --allow-missing",
    )


def _name(file: str) -> str:
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def _rated(
    ratings: dict[str, int | None], weights: dict[str, float]
) -> Iterator[tuple[float, int]]:
    """A card's ratings, each with its competency's weight ("no signal" left out): its
    score is their mean (``exact_mean``; ``_nearest_mean`` as a float)."""
    return ((weights[k], v) for k, v in ratings.items() if v is not None)


def exact_mean(pairs: Iterable[tuple[float, int | Fraction]]) -> Fraction | None:
    """The mean of the values weighted by the weights, as an exact fraction (None when the
    weights come to nothing). Each weight is its decimal as written (``_decimal``); in
    whole numbers, as every built-in weight is, the sums stay integers."""
    total, weight = _sums(pairs)
    if not weight:
        return None
    if type(total) is int and type(weight) is int:
        return Fraction(total, weight)
    return Fraction(total) / weight


def _nearest_mean(pairs: Iterable[tuple[float, int]]) -> float | None:
    """``exact_mean`` as the float nearest it, without making the fraction where the sums
    are integers (a card's score, ten a packet, a thousand packets a status)."""
    total, weight = _sums(pairs)
    if not weight:
        return None
    if type(total) is int and type(weight) is int:
        return total / weight  # correctly rounded, as the fraction's float is
    return _nearest(Fraction(total) / weight)


def _sums(pairs: Iterable[tuple[float, int | Fraction]]) -> tuple[int | Fraction, int | Fraction]:
    """The weighted sum of the values, and the sum of the weights, each weight as written."""
    total: int | Fraction = 0
    weight: int | Fraction = 0
    for w, value in pairs:
        part = _decimal(w)
        total += part * value
        weight += part
    return total, weight


@functools.lru_cache(maxsize=4096)
def _decimal(number: float) -> int | Fraction:
    """A weight or a bar read from TOML, as the decimal written there: 0.35 is 7/20, where
    the float nearest it is a little less (the shortest decimal that gives the float back
    is the one typed, up to 15 digits)."""
    if float(number).is_integer():
        return int(number)
    return Fraction(repr(float(number)))


def _nearest(exact: Fraction | None) -> float | None:
    """A score as a number to show and record: the float nearest the exact value."""
    return None if exact is None else exact.numerator / exact.denominator  # correctly rounded


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
            and result.exact is not None
            and result.exact < _decimal(debrief.hire_bar)
        ):
            flags.append(
                f"deep-dive below the bar: {result.title} scored "
                f"{beside(float(result.exact), debrief.hire_bar)} < {debrief.hire_bar:g}"
            )
    if every and max(every) - min(every) >= DISAGREEMENT:
        flags.append(f"disagreement across the loop: recommendations {min(every)} to {max(every)}")
    return tuple(flags)

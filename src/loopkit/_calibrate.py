"""Interviewers calibrated across packets: how each rates, against their peers.

For every interviewer: scorecards written, how their ratings and
recommendations spread, how often they gave "no signal", their leniency
(their interview score minus the mean of the other interviewers' scores of
the same candidate), and how often their recommendation agreed with the
hiring decision. For every interview rated by two or more people on the
same candidates: Krippendorff's alpha for ordinal data over the competency
ratings, with a bootstrap interval (shadows' ratings, which never count,
are left out of it; their leniency still shows them where they stand). Where there is too little data the
result says so instead of giving a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from loopkit._status import FolderStatus, Skipped, Summary

_BARE = re.compile(r"[^\s<>@]+@[^\s<>@]+")
MIN_SHARED = 5  # candidates (or decisions) below which a figure is "not enough data"
BOOTSTRAP = 1000  # resamples for alpha's interval
SEED = 20261126  # a fixed seed: the same packets give the same calibration, byte for byte
RATINGS = (1, 2, 3, 4)

# The 97.5th percentile of Student's t by degrees of freedom, for a 95% interval of a mean,
# rounded up at the fourth decimal: every one to 30, then the usual steps (a df between two
# takes the lower one's, which is larger). An interval is a hair wider, never narrower.
_T975 = {1: 12.7063, 2: 4.3027, 3: 3.1825, 4: 2.7765, 5: 2.5706, 6: 2.4470, 7: 2.3647,
         8: 2.3061, 9: 2.2622, 10: 2.2282, 11: 2.2010, 12: 2.1789, 13: 2.1604, 14: 2.1448,
         15: 2.1315, 16: 2.1200, 17: 2.1099, 18: 2.1010, 19: 2.0931, 20: 2.0860, 21: 2.0797,
         22: 2.0739, 23: 2.0687, 24: 2.0639, 25: 2.0596, 26: 2.0556, 27: 2.0519, 28: 2.0485,
         29: 2.0453, 30: 2.0423, 40: 2.0211, 60: 2.0003, 120: 1.9800}  # fmt: skip


@dataclass(frozen=True)
class Interval:
    """An estimate and its 95% interval; ``value`` None means not enough data."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0  # how many observations it rests on


@dataclass(frozen=True)
class Rater:
    """One interviewer's record across the folder."""

    name: str
    shadow: bool  # every scorecard of theirs was a trainee's
    scorecards: int
    ratings: dict[int, int]  # rating -> how many times given
    no_signal: int  # competencies marked "no signal"
    recommendations: dict[int, int]
    leniency: Interval
    agreement: Interval  # share of decided candidates where the recommendation agreed
    email: str = ""  # who they are: one person whatever their name, two of one name apart
    shadowed: int = 0  # scorecards written as a shadow
    undecided: int = 0  # candidates of theirs with no current debrief's decision: not counted

    @property
    def no_signal_share(self) -> float:
        """Share of competencies this interviewer could not rate."""
        total = sum(self.ratings.values()) + self.no_signal
        return self.no_signal / total if total else 0.0


@dataclass(frozen=True)
class Agreement:
    """How alike the raters of one interview rate the same candidates."""

    interview: str
    title: str
    raters: int
    candidates: int  # candidates rated by two or more people
    alpha: Interval


@dataclass(frozen=True)
class Calibration:
    """Every interviewer and every interview of a folder of packets."""

    raters: tuple[Rater, ...]
    interviews: tuple[Agreement, ...]
    packets: int
    skipped: tuple[Skipped, ...] = field(default=())
    # the stale debriefs whose decisions are left out: "candidate (folder/): what came after it"
    stale: tuple[str, ...] = field(default=())

    def label(self, rater: Rater) -> str:
        """A rater's name as shown: with their address when another interviewer has it."""
        return (
            f"{rater.name} <{rater.email}>" if rater.email and self._shared(rater) else rater.name
        )

    def _shared(self, rater: Rater) -> bool:
        name = rater.name.casefold()
        return sum(r.name.casefold() == name for r in self.raters) > 1


@dataclass
class _Tally:
    name: str
    email: str
    shadowed: int = 0
    scorecards: int = 0
    ratings: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    no_signal: int = 0
    recommendations: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    offsets: list[float] = field(default_factory=list)  # score minus the others', per candidate
    agreed: list[float] = field(default_factory=list)  # per decided candidate: 1 agreed, 0 not
    undecided: int = 0


def calibrate(status: FolderStatus) -> Calibration:
    """Calibrate the interviewers of every packet ``status`` read.

    An interviewer is their seat's address (in any capitals): one person
    under two names is one, two people of one name are two. A card with
    no address (an unassigned seat, its name written in) is the person of
    that name when only one address goes by it.
    """
    tallies: dict[str, _Tally] = {}
    packets = sorted(status.packets, key=lambda p: p.summary.date)  # a name: the latest one
    people = {p.path: _addresses(p.summary) for p in packets}
    named: dict[str, set[str]] = {}  # a name -> the addresses it is written with
    for packet in packets:
        for card in packet.summary.cards:
            if email := people[packet.path].get(card.seat, ""):
                named.setdefault(card.interviewer.casefold(), set()).add(email.casefold())
    # interview id -> unit (packet, competency) -> rater -> rating
    units: dict[str, dict[tuple[str, str], dict[str, int]]] = {}
    titles: dict[str, str] = {}
    raters_of: dict[str, set[str]] = {}
    for packet in packets:
        summary = packet.summary
        for interview in summary.interviews:
            titles.setdefault(interview.id, interview.title)
        scores: dict[str, list[float]] = {}  # rater -> their interview scores of this candidate
        counted: dict[str, list[float]] = {}  # the same, of the cards that count: the yardstick
        agreed: dict[str, list[bool]] = {}  # rater -> whether each card agreed with the decision
        decided = bool(summary.decision) and summary.debrief == "current"  # a stale one: not
        hire = summary.decision == "hire"
        packet_path = str(packet.path)  # by the path: two shown names can be one (see mended)
        for card in summary.cards:
            email = people[packet.path].get(card.seat, "")
            known = named.get(card.interviewer.casefold(), set())
            if not email and len(known) == 1:
                (email,) = known
            key = f"<{email.casefold()}>" if email else card.interviewer.casefold()
            tally = tallies.get(key) or tallies.setdefault(key, _Tally(card.interviewer, email))
            tally.name = card.interviewer  # as the latest packet names them
            tally.shadowed += card.shadow
            tally.scorecards += 1
            tally.recommendations[card.recommendation] += 1
            for competency, rating in card.ratings.items():
                if rating is None:
                    tally.no_signal += 1
                    continue
                tally.ratings[rating] += 1
                if not card.shadow:  # alpha is the agreement of the ratings that count
                    table = units.setdefault(card.interview, {})
                    table.setdefault((packet_path, competency), {})[key] = rating
            if not card.shadow:
                raters_of.setdefault(card.interview, set()).add(key)
            if card.score is not None:
                scores.setdefault(key, []).append(card.score)
                if not card.shadow:
                    counted.setdefault(key, []).append(card.score)
            agreed.setdefault(key, []).append((card.recommendation >= 3) == hire)
        for key, cards in agreed.items():  # one decision counts once, however many cards
            if decided:  # one person wrote of it
                tallies[key].agreed.append(sum(cards) / len(cards))
            else:
                tallies[key].undecided += 1
        # against the interviewers whose scores count: a trainee's shadow card is not the
        # yardstick, though their counted card for another interview of the candidate is
        yardstick = {k: sum(v) / len(v) for k, v in counted.items()}
        for key, mine in scores.items():
            others = [m for k, m in yardstick.items() if k != key]
            if others:
                tallies[key].offsets.append(sum(mine) / len(mine) - sum(others) / len(others))
    raters = tuple(
        Rater(
            t.name,
            t.shadowed == t.scorecards,
            t.scorecards,
            t.ratings,
            t.no_signal,
            t.recommendations,
            mean_interval(t.offsets),
            share_interval(t.agreed),
            t.email,
            t.shadowed,
            t.undecided,
        )
        for t in sorted(tallies.values(), key=lambda t: (t.name.casefold(), t.email.casefold()))
    )
    interviews = tuple(  # in the loops' order, not the order their cards were read in
        _agreement(interview, title, len(raters_of[interview]), units[interview])
        for interview, title in titles.items()
        if interview in units
    )
    stale = tuple(
        f"{p.summary.candidate} ({p.folder}/): {p.summary.why_stale}"
        for p in packets
        if p.summary.debrief == "stale" and p.summary.decision
    )
    return Calibration(raters, interviews, len(status.packets), status.skipped, stale)


def _addresses(summary: Summary) -> dict[str, str]:
    """Each seat's interviewer's address ("" for an unassigned seat, or a name alone)."""
    found = {}
    for seat in summary.seats:
        text = seat.interviewer.removesuffix(" (shadow)")  # as Person writes it
        start, end = text.rfind("<"), text.rfind(">")
        bare = text if _BARE.fullmatch(text) else ""  # an address given alone ("@kim" is a name)
        found[seat.stem] = text[start + 1 : end] if 0 <= start < end else bare
    return found


def _agreement(
    interview: str, title: str, raters: int, table: dict[tuple[str, str], dict[str, int]]
) -> Agreement:
    shared: dict[str, list[list[int]]] = {}  # a candidate's packet -> its pairable units
    for (packet, _), values in table.items():
        if len(values) >= 2:
            shared.setdefault(packet, []).append(list(values.values()))
    candidates = len(shared)
    if candidates < MIN_SHARED:
        return Agreement(interview, title, raters, candidates, Interval(None, n=candidates))
    return Agreement(interview, title, raters, candidates, alpha_interval(list(shared.values())))


def mean_interval(values: Sequence[float]) -> Interval:
    """The mean with a 95% Student-t interval; not enough data below ``MIN_SHARED`` values."""
    n = len(values)
    if n < MIN_SHARED:
        return Interval(None, n=n)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = _t975(n - 1) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


def share_interval(outcomes: Sequence[float]) -> Interval:
    """A share with its 95% Wilson interval; not enough data below ``MIN_SHARED`` outcomes.

    An outcome is 1 or 0, or a part of one: an interviewer with two cards
    of one decided candidate, one agreeing, agreed half.
    """
    n = len(outcomes)
    if n < MIN_SHARED:
        return Interval(None, n=n)
    p, z = sum(outcomes) / n, 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half), n)


def _t975(df: int) -> float:
    return _T975[max(d for d in _T975 if d <= df)]


def ordinal_alpha(units: Sequence[Sequence[int]]) -> float | None:
    """Krippendorff's alpha for ordinal ratings 1-4; each unit lists the ratings it got.

    Units with fewer than two ratings are not pairable and are left out;
    None when the data cannot say (no pairable values, or all alike).
    """
    coincidences = _coincidences(units)
    return _alpha(coincidences)


def alpha_interval(candidates: Sequence[Sequence[Sequence[int]]]) -> Interval:
    """Alpha over every candidate's units (each the ratings one competency got), with a 95%
    percentile interval from resampling the candidates (seeded).

    Candidates, not units, are drawn: one candidate's competencies are rated
    in one conversation and move together, so drawing them one by one would
    count each candidate as several and give too narrow an interval.
    """
    import numpy as np  # only calibrate resamples; numpy costs about 100 ms to import

    # A unit's coincidences depend only on which ratings it got, in any order: they are
    # made once per pattern (a few dozen for thousands of units), and a candidate's are
    # the sum of its units'. The candidates are sorted by them, so that the order the
    # packets were read in does not change the draws.
    n = len(candidates)
    index: dict[tuple[int, ...], int] = {}
    rows, columns = [], []
    for row, units in enumerate(candidates):
        for unit in units:
            rows.append(row)
            columns.append(index.setdefault(tuple(sorted(unit)), len(index)))
    counts = np.zeros((n, len(index)))
    np.add.at(counts, (rows, columns), 1)
    patterns = np.array([_coincidences([kind]) for kind in index], dtype=float)
    each = counts @ patterns.reshape(len(index), -1)  # a candidate's coincidences, a row each
    each = each[np.lexsort(each.T[::-1])]
    value = _alpha(each.sum(axis=0).reshape(len(RATINGS), len(RATINGS)).tolist())
    if value is None:
        return Interval(None, n=n)
    rng = np.random.default_rng(SEED)
    picks = rng.integers(0, n, size=(BOOTSTRAP, n)) + n * np.arange(BOOTSTRAP)[:, None]
    draws = np.bincount(picks.ravel(), minlength=BOOTSTRAP * n).reshape(BOOTSTRAP, n)
    totals = (draws @ each).reshape(BOOTSTRAP, len(RATINGS), len(RATINGS))
    alphas = _alphas(totals)
    low, high = np.percentile(alphas, [2.5, 97.5]) if alphas.size else (None, None)
    return Interval(value, _opt(low), _opt(high), n)


def _alphas(totals: Any) -> Any:
    """``_alpha`` of each of a stack of coincidence matrices at once (numpy), undefined ones left out."""
    import numpy as np

    n_c = totals.sum(axis=2)  # (draws, ratings)
    n = n_c.sum(axis=1)
    upto = np.cumsum(n_c, axis=1)
    c, k = np.meshgrid(np.arange(len(RATINGS)), np.arange(len(RATINGS)), indexing="ij")
    low, high = np.minimum(c, k), np.maximum(c, k)
    between = upto[:, high] - upto[:, low] + n_c[:, low]  # n_c[low] + ... + n_c[high]
    delta = (between - (n_c[:, c] + n_c[:, k]) / 2) ** 2
    observed = (totals * delta).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum(axis=(1, 2))
    defined = (n > 1) & (expected != 0)
    return 1 - observed[defined] / (expected[defined] / (n[defined] - 1))


def _opt(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _coincidences(units: Sequence[Sequence[int]]) -> list[list[float]]:
    """The coincidence matrix o[c][k] of the ratings (Krippendorff 2011, section D)."""
    size = len(RATINGS)
    o = [[0.0] * size for _ in range(size)]
    for unit in units:
        m = len(unit)
        if m < 2:
            continue
        for i, a in enumerate(unit):
            for j, b in enumerate(unit):
                if i != j:
                    o[a - 1][b - 1] += 1 / (m - 1)
    return o


def _alpha(o: list[list[float]]) -> float | None:
    size = len(o)
    n_c = [sum(row) for row in o]
    n = sum(n_c)
    if n <= 1:
        return None

    def delta(c: int, k: int) -> float:  # the ordinal metric
        low, high = min(c, k), max(c, k)
        return (sum(n_c[low : high + 1]) - (n_c[c] + n_c[k]) / 2) ** 2

    observed = sum(o[c][k] * delta(c, k) for c in range(size) for k in range(size))
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in range(size) for k in range(size)) / (
        n - 1
    )
    if expected == 0:
        return None  # every rating alike: agreement cannot be told from chance
    return 1 - observed / expected

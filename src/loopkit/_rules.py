"""Design rules: each takes a well-formed loop or scorecard and yields findings.

A rule is one small function registered in ``LOOP_RULES`` or
``SCORECARD_RULES``; its code is stable so a team can look it up or
silence a warning per loop with ``allow = ["LK2xx"]``.

Errors: LK100 file unreadable or TOML syntax, LK101 unknown key, LK102 wrong
type or value, LK103 missing key, LK104 duplicate id, LK105 missing
scorecard, LK106 bad length, LK107 bad weight, LK108 missing anchor, LK109
loop length outside its window, LK110 deep-dive not weighted highest, LK111
no deep-dive, LK112 bad id, LK113 lunch after an unknown or last interview,
LK114 scorecard id differs from its file name, LK115 text no font can print,
LK120 panel names an unknown
interview, LK121 one person in two overlapping interviews; for the files a
packet hands back (checked in ``_debrief``): LK130 lock file, LK131 a filled
scorecard's shape, LK132 another packet's or a stale seat's card, LK133 a
value not filled in or out of range, LK134 a second card, LK135 cards missing.

Warnings: LK201 leetcode or puzzle interview, LK202 comp band below the
variant's market, LK203 experience asked beyond what the pool can have,
LK204 an interviewer booked too long without a break; about the day
(``_schedule.day_findings``): LK205 outside the candidate's 07:00-20:00, LK206
a weekend in the candidate's zone, LK207 a day in the past.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator

from loopkit._documents import LoopDocument, ScorecardDocument
from loopkit._errors import Finding
from loopkit._glyphs import unprintable
from loopkit._models import Loop, format_minutes
from loopkit._source import Loc, Source

# Total comp a senior IC expects, by variant (USD): below the floor, strong
# candidates decline late in negotiation.
MARKET_BANDS = {"ai-engineer": (360_000, 410_000), "ml-engineer": (300_000, 320_000)}
# The AI-engineer role consolidated in 2023-2024: nobody has much more LLM-applied work.
MAX_LLM_APPLIED_MONTHS = 36
_LEETCODE = re.compile(r"\b(leet\s*code|puzzles?|brain\s*teasers?)\b", re.IGNORECASE)


def loop_minutes(loop: Loop) -> int:
    """First start to last end of the loop in minutes, breaks included."""
    total = sum(i.length for i in loop.interviews)
    for interview in loop.interviews[:-1]:
        lunch = loop.breaks.lunch
        total += lunch.length if lunch and lunch.after == interview.id else loop.breaks.between
    return total


def _duplicate_ids(doc: LoopDocument) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, interview in enumerate(doc.loop.interviews):
        if interview.id in seen:
            yield doc.source.finding(
                "LK104",
                ("interviews", index, "id"),
                f"duplicate interview id {interview.id!r}",
                "every interview needs its own id",
            )
        seen.add(interview.id)


def _lunch_placement(doc: LoopDocument) -> Iterator[Finding]:
    lunch = doc.loop.breaks.lunch
    if lunch is None:
        return
    ids = [i.id for i in doc.loop.interviews]
    if lunch.after not in ids:
        yield doc.source.finding(
            "LK113",
            ("breaks", "lunch", "after"),
            f"no interview {lunch.after!r}",
            "interviews: " + ", ".join(ids),
        )
    elif lunch.after == ids[-1]:
        yield doc.source.finding(
            "LK113",
            ("breaks", "lunch", "after"),
            "lunch after the last interview never happens",
            "place it after an earlier interview",
        )


def _length_window(doc: LoopDocument) -> Iterator[Finding]:
    loop = doc.loop
    total = loop_minutes(loop)
    low, high = loop.length.min, loop.length.max
    if not low <= total <= high:
        window = (
            format_minutes(low) if low == high else f"{format_minutes(low)}-{format_minutes(high)}"
        )
        yield doc.source.finding(
            "LK109",
            ("length",),
            f"the loop runs {format_minutes(total)} with breaks, outside its window of {window}",
            "change interview lengths or breaks, or the length window",
        )


def _deep_dive(doc: LoopDocument) -> Iterator[Finding]:
    interviews = doc.loop.interviews
    dives = [(n, i) for n, i in enumerate(interviews) if i.kind == "deep-dive"]
    if not dives:
        yield doc.source.finding(
            "LK111",
            ("interviews",),
            "the loop has no deep-dive interview",
            'add a past-project deep-dive (kind = "deep-dive"): it is the most predictive block',
        )
        return
    for index, dive in dives:
        rivals = [i for i in interviews if i.kind != "deep-dive" and i.weight >= dive.weight]
        if rivals:
            yield doc.source.finding(
                "LK110",
                ("interviews", index, "weight"),
                f"deep-dive weighs {dive.weight:g}, not more than {rivals[0].id!r} ({rivals[0].weight:g})",
                "the past-project deep-dive must weigh strictly most",
            )


def _leetcode(doc: LoopDocument) -> Iterator[Finding]:
    for index, interview in enumerate(doc.loop.interviews):
        if interview.kind in ("leetcode", "puzzle"):
            yield doc.source.finding(
                "LK201",
                ("interviews", index, "kind"),
                f"a {interview.kind} interview",
                "both loops skip leetcode: test the work the role does",
                warning=True,
            )
        elif _LEETCODE.search(f"{interview.title} {interview.brief}"):
            yield doc.source.finding(
                "LK201",
                ("interviews", index, "title"),
                "reads like a leetcode or puzzle interview",
                "both loops skip leetcode: test the work the role does",
                warning=True,
            )


def _comp_band(doc: LoopDocument) -> Iterator[Finding]:
    band, market = doc.loop.comp_band, MARKET_BANDS.get(doc.loop.variant)
    if band is None or market is None:
        return
    if band.currency != "USD":  # say so rather than stay silent
        yield doc.source.finding(
            "LK202",
            ("comp_band", "currency"),
            f"cannot judge a band in {band.currency}: the {doc.loop.variant} market figures are in USD",
            "compare it by hand, or give the band in USD",
            warning=True,
        )
        return
    if band.min < market[0]:
        yield doc.source.finding(
            "LK202",
            ("comp_band", "min"),
            f"band starts at ${band.min:,}, below the {doc.loop.variant} market "
            f"of ${market[0]:,}-${market[1]:,}",
            "under-market offers lose strong candidates in late negotiation",
            warning=True,
        )


def _experience(doc: LoopDocument) -> Iterator[Finding]:
    asked = doc.loop.requirements
    if asked and asked.llm_applied_months and asked.llm_applied_months > MAX_LLM_APPLIED_MONTHS:
        yield doc.source.finding(
            "LK203",
            ("requirements", "llm_applied_months"),
            f"asks {asked.llm_applied_months} months of LLM-applied work; "
            f"at most {MAX_LLM_APPLIED_MONTHS} exist",
            "the role consolidated in 2023-2024: ask 12-24 months",
            warning=True,
        )


def _texts(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every piece of text in a model, with its key path."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, key))
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name), (*loc, field.name))


def _unprintable(source: Source, model: object) -> Iterator[Finding]:
    for loc, text in _texts(model, ()):
        missing = unprintable(text)
        if missing:
            shown = ", ".join(f"{c!r} U+{ord(c):04X}" for c in missing)
            yield source.finding(
                "LK115",
                loc,
                f"cannot print {shown}: no font here has these characters",
                "leave them out, or write them in words",
            )


def _printable_loop(doc: LoopDocument) -> Iterator[Finding]:
    return _unprintable(doc.source, doc.loop)


def _printable_scorecard(doc: ScorecardDocument) -> Iterator[Finding]:
    return _unprintable(doc.source, doc.template)


def _duplicate_competencies(doc: ScorecardDocument) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, competency in enumerate(doc.template.competencies):
        if competency.id in seen:
            yield doc.source.finding(
                "LK104",
                ("competencies", index, "id"),
                f"duplicate competency id {competency.id!r}",
                "every competency needs its own id",
            )
        seen.add(competency.id)


LOOP_RULES: list[Callable[[LoopDocument], Iterator[Finding]]] = [
    _duplicate_ids,
    _lunch_placement,
    _length_window,
    _deep_dive,
    _leetcode,
    _comp_band,
    _experience,
    _printable_loop,
]
SCORECARD_RULES: list[Callable[[ScorecardDocument], Iterator[Finding]]] = [
    _duplicate_competencies,
    _printable_scorecard,
]


def check_loop(doc: LoopDocument) -> list[Finding]:
    """Every design-rule finding for a well-formed loop."""
    return [finding for rule in LOOP_RULES for finding in rule(doc)]


def check_scorecard(doc: ScorecardDocument) -> list[Finding]:
    """Every design-rule finding for a well-formed scorecard template."""
    return [finding for rule in SCORECARD_RULES for finding in rule(doc)]

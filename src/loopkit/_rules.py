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
LK204 an interviewer booked too long without a break, LK208 market figures
more than a year old, LK209 a hybrid loop (interviews of the other variant's
work); about the day
(``_schedule.day_findings``): LK205 outside the candidate's 07:00-20:00, LK206
a weekend in the candidate's zone, LK207 a day in the past, LK210 a start in
the hour the clocks pass twice.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from loopkit._documents import LoopDocument, ScorecardDocument
from loopkit._errors import Finding
from loopkit._glyphs import unprintable, why_not
from loopkit._market import Market
from loopkit._models import Loop, format_minutes
from loopkit._source import Loc, Source

_LEETCODE = re.compile(r"\b(leet\s*code|puzzles?|brain\s*teasers?)\b", re.IGNORECASE)
# What an interview about each variant's work talks about: composing hosted models
# into a feature, or training custom models on company data (the two stacks).
_WORK = {
    "ai-engineer": re.compile(
        r"\b(llms?|rag|retrieval-augmented|agents?|agentic|prompts?|prompting|langchain|"
        r"llamaindex|openai|anthropic|bedrock|vector\s*stores?|embeddings?|evals?)\b",
        re.IGNORECASE,
    ),
    "ml-engineer": re.compile(
        r"\b(train|trains|trained|training|retrain\w*|pytorch|tensorflow|jax|ray|mlflow|"
        r"wandb|weights\s*(?:and|&)\s*biases|triton|kserve|bentoml|recommenders?|"
        r"production\s*models?|custom\s*models?|feature\s*stores?)\b",
        re.IGNORECASE,
    ),
}
_WORK_NAMES = {"ai-engineer": "LLM-applied work", "ml-engineer": "training models"}


@dataclass(frozen=True)
class Context:
    """What the rules judge a loop against: the market figures and the day it is."""

    market: Market
    today: date


def loop_minutes(loop: Loop) -> int:
    """First start to last end of the loop in minutes, breaks included."""
    total = sum(i.length for i in loop.interviews)
    for interview in loop.interviews[:-1]:
        lunch = loop.breaks.lunch
        total += lunch.length if lunch and lunch.after == interview.id else loop.breaks.between
    return total


def _duplicate_ids(doc: LoopDocument, context: Context) -> Iterator[Finding]:
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


def _lunch_placement(doc: LoopDocument, context: Context) -> Iterator[Finding]:
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


def _length_window(doc: LoopDocument, context: Context) -> Iterator[Finding]:
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


def _deep_dive(doc: LoopDocument, context: Context) -> Iterator[Finding]:
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


def _leetcode(doc: LoopDocument, context: Context) -> Iterator[Finding]:
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


def _comp_band(doc: LoopDocument, context: Context) -> Iterator[Finding]:
    market = context.market
    band, figures = doc.loop.comp_band, market.variant(doc.loop.variant)
    if band is None or figures is None:
        return
    currency = market.data.currency
    if band.currency != currency:  # say so rather than stay silent
        yield doc.source.finding(
            "LK202",
            ("comp_band", "currency"),
            f"cannot judge a band in {band.currency}: the {doc.loop.variant} market figures "
            f"are in {currency}",
            f"compare it by hand, give the band in {currency}, or point loopkit.toml's "
            f"market at figures in your currency (these are from {market.file})",
            warning=True,
        )
        return
    if band.min < figures.band.min:
        yield doc.source.finding(
            "LK202",
            ("comp_band", "min"),
            f"band starts at {market.money(band.min)}, below the {doc.loop.variant} market "
            f"of {market.band_text(doc.loop.variant)}",
            "under-market offers lose strong candidates in late negotiation; "
            f"figures of {figures.band.as_of} from {market.file}",
            warning=True,
        )


def _stale_market(doc: LoopDocument, context: Context) -> Iterator[Finding]:
    market = context.market
    if doc.loop.comp_band is None or market.variant(doc.loop.variant) is None:
        return
    if market.stale(context.today):
        yield doc.source.finding(
            "LK208",
            ("comp_band",),
            f"the market figures this band is judged by ({market.file}) were last checked "
            f"on {market.data.checked}, more than a year ago",
            "check them against their sources and update the file, or point loopkit.toml's "
            "market at a current one",
            warning=True,
        )


def _experience(doc: LoopDocument, context: Context) -> Iterator[Finding]:
    asked = doc.loop.requirements
    pool = context.market.data.pool.llm_applied_months
    if asked and asked.llm_applied_months and asked.llm_applied_months > pool.max:
        yield doc.source.finding(
            "LK203",
            ("requirements", "llm_applied_months"),
            f"asks {asked.llm_applied_months} months of LLM-applied work; at most {pool.max} exist",
            f"the role consolidated in 2023-2024: ask {_ask_months(context.market)} months",
            warning=True,
        )


def _ask_months(market: Market) -> str:
    figures = market.variant("ai-engineer")
    span = figures.ask_llm_applied_months if figures else None
    return f"{span.min}-{span.max}" if span else "fewer"


def work_of(text: str) -> str | None:
    """Which variant's work a piece of text is about, or None when it says neither more."""
    hits = {variant: len(set(pattern.findall(text))) for variant, pattern in _WORK.items()}
    ai, ml = hits["ai-engineer"], hits["ml-engineer"]
    if ai == ml:
        return None
    return "ai-engineer" if ai > ml else "ml-engineer"


def _hybrid(doc: LoopDocument, context: Context) -> Iterator[Finding]:
    variant = doc.loop.variant
    if variant not in _WORK:
        return  # mlops-llm needs both depths on purpose; other is nobody's
    for index, interview in enumerate(doc.loop.interviews):
        text = " ".join([interview.title, interview.scorecard, interview.brief, *interview.focus])
        about = work_of(text)
        if about is not None and about != variant:
            yield doc.source.finding(
                "LK209",
                ("interviews", index, "title"),
                f"a hybrid loop: {interview.id!r} is about {_WORK_NAMES[about]}, "
                f"but the loop hires an {variant}",
                "hybrid hires produce mediocre results at Series B+ scale: test one variant's "
                'work, hire two specialists, or declare variant = "mlops-llm" for an MLOps '
                "engineer with LLM focus",
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
                f"cannot print {shown}: {why_not(missing)}",
                "leave them out, or write them in words",
            )


def _printable_loop(doc: LoopDocument, context: Context) -> Iterator[Finding]:
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


LOOP_RULES: list[Callable[[LoopDocument, Context], Iterator[Finding]]] = [
    _duplicate_ids,
    _lunch_placement,
    _length_window,
    _deep_dive,
    _leetcode,
    _comp_band,
    _stale_market,
    _experience,
    _hybrid,
    _printable_loop,
]
SCORECARD_RULES: list[Callable[[ScorecardDocument], Iterator[Finding]]] = [
    _duplicate_competencies,
    _printable_scorecard,
]


def check_loop(doc: LoopDocument, context: Context) -> list[Finding]:
    """Every design-rule finding for a well-formed loop, judged in ``context``."""
    return [finding for rule in LOOP_RULES for finding in rule(doc, context)]


def check_scorecard(doc: ScorecardDocument) -> list[Finding]:
    """Every design-rule finding for a well-formed scorecard template."""
    return [finding for rule in SCORECARD_RULES for finding in rule(doc)]

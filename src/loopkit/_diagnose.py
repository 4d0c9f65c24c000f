"""Which role, which band: the intake's three answers decide the variant, pure and small.

The hiring guidance asks three questions before a requisition opens: the
primary deliverable (the dominant signal), the primary stack (hire for the
side that holds the dominant 60 percent of the work) and the expected
background (which sets the band and the sourcing channels). When all three
point at one variant, that is the role; when they disagree, the requisition
is ``split`` and must be resolved before posting: a posting that lists both
variants' work draws neither pool. Every figure in the result comes from the
market file (``_market``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic_core import core_schema as cs

from loopkit._errors import Finding
from loopkit._market import Band, Market, VariantMarket
from loopkit._models import ID
from loopkit._schema import key, model, parse_model, schema_of
from loopkit._source import Source

# The side of the work that decides a role that spans both stacks (the guidance's 60 percent).
DOMINANT_SHARE = 60
SPLIT = "split"
BOTH = "both"
DELIVERABLES = {
    "llm-feature": "a shipped LLM feature built on a hosted model (OpenAI, Anthropic, Bedrock)",
    "trained-model": "a trained production model on the company's own data",
    BOTH: "both, each in depth",
}
STACKS = {
    "llm-applied": "LLM framework, provider, vector store and eval framework "
    "(LangChain or LlamaIndex, OpenAI or Anthropic, pgvector or Pinecone, LangSmith or Inspect)",
    "production-ml": "training, tracking, distributed compute and serving "
    "(PyTorch, MLflow or W&B, Ray, Triton or KServe)",
    BOTH: "it spans both: give the share of the work on the LLM-applied side",
}
BACKGROUNDS = {
    "llm-applied": "LLM-applied work, coming from software engineering",
    "production-ml": "years of production ML, coming from ML research or applied ML",
    BOTH: "production ML or MLOps depth together with LLM-applied work",
}
# Which variant each answer points at; ``both`` points at the MLOps engineer with LLM focus.
_SIDE = {
    "llm-feature": "ai-engineer",
    "trained-model": "ml-engineer",
    "llm-applied": "ai-engineer",
    "production-ml": "ml-engineer",
    BOTH: "mlops-llm",
}
# The built-in loop each variant starts from; mlops-llm has none of its own.
LOOP_OF = {"ai-engineer": "ai-engineer", "ml-engineer": "ml-engineer", "mlops-llm": "ml-engineer"}
MLOPS_LOOP_WHY = (
    "mlops-llm has no built-in loop: start from ml-engineer, whose past production model "
    "deep-dive (monitoring, retraining, incidents, rollback) tests the MLOps depth the band "
    "pays for, then swap its ML system design for the LLM system design interview "
    "(scorecard llm-system-design) to test the LLM focus"
)
_WORK = {"ai-engineer": "LLM-applied work", "ml-engineer": "custom model training"}


@model
class Intake:
    """The hiring manager's three answers, as an intake file holds them."""

    deliverable: str = key(
        cs.literal_schema(list(DELIVERABLES)), doc="llm-feature, trained-model or both."
    )
    stack: str = key(cs.literal_schema(list(STACKS)), doc="llm-applied, production-ml or both.")
    llm_share: int | None = key(
        cs.nullable_schema(cs.int_schema(strict=True, ge=0, le=100)),
        default=None,
        doc="Percent of the work on the LLM-applied side; only with stack = both.",
    )
    background: str = key(
        cs.literal_schema(list(BACKGROUNDS)), doc="llm-applied, production-ml or both."
    )


@dataclass(frozen=True)
class Answers:
    """The three answers, checked: ``llm_share`` is given exactly when the stack spans both."""

    deliverable: str
    stack: str
    llm_share: int | None
    background: str


def intake_answers(data: dict[str, Any], source: Source) -> tuple[Answers | None, list[Finding]]:
    """The answers of an intake file's data, or the findings that say what is wrong and where."""
    intake, findings = parse_model(Intake, data, source)
    if intake is None:
        return None, findings
    problem = share_problem(intake.stack, intake.llm_share)
    if problem:
        loc = ("llm_share",) if intake.llm_share is not None else ("stack",)
        return None, [source.finding("LK102", loc, *problem)]
    return Answers(intake.deliverable, intake.stack, intake.llm_share, intake.background), []


def share_problem(stack: str, share: int | None) -> tuple[str, str] | None:
    """What is wrong with the share of the work for this stack (message, hint), or None."""
    if stack == BOTH and share is None:
        return (
            "a stack that spans both needs the share of the work on the LLM-applied side",
            "add llm_share = 70 (percent), or --llm-share 70",
        )
    if stack != BOTH and share is not None:
        return (
            f"a share of the work goes with stack = both, not {stack}",
            f'leave llm_share out, or set stack = "{BOTH}"',
        )
    return None


def stack_side(stack: str, share: int | None) -> str:
    """The variant the stack points at: a mixed stack goes to the side holding 60 percent."""
    if stack != BOTH or share is None:
        return _SIDE[stack]
    if share >= DOMINANT_SHARE:
        return "ai-engineer"
    if 100 - share >= DOMINANT_SHARE:
        return "ml-engineer"
    return "mlops-llm"


@dataclass(frozen=True)
class Other:
    """Another variant's band, and how far its floor is from the chosen one's."""

    variant: str
    band: Band
    gap: int  # the other floor minus this floor
    percent: int  # the gap as a share of this floor, rounded


@dataclass(frozen=True)
class Diagnosis:
    """What the intake decides, with every figure taken from the market file."""

    answers: Answers
    variant: str  # ai-engineer, ml-engineer, mlops-llm or split
    name: str  # the variant's name as the market file gives it
    reasons: tuple[tuple[str, str], ...]  # (question, one line) for each of the three
    resolve: tuple[str, ...]  # what to settle before posting (split only)
    market: Market
    day: date
    others: tuple[Other, ...] = ()
    ask: tuple[str, ...] = ()
    do_not_ask: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    loop: str = ""  # the built-in loop to start from
    loop_note: str = ""

    @property
    def figures(self) -> VariantMarket | None:
        """The market file's figures for the variant (None for split)."""
        return self.market.variant(self.variant)

    @property
    def stale(self) -> bool:
        """Whether the market figures were checked more than a year before the intake."""
        return self.market.stale(self.day)


def diagnose(answers: Answers, market: Market, day: date) -> Diagnosis:
    """Decide the variant from the three answers, and gather its figures from ``market``."""
    sides = {
        "deliverable": _SIDE[answers.deliverable],
        "stack": stack_side(answers.stack, answers.llm_share),
        "background": _SIDE[answers.background],
    }
    reasons = tuple(
        (question, _reason(question, answers, sides[question], market)) for question in sides
    )
    chosen = set(sides.values())
    if len(chosen) != 1:
        return Diagnosis(
            answers, SPLIT, "no single variant", reasons, _to_resolve(answers, sides), market, day
        )
    variant = chosen.pop()
    figures = market.data.variants[variant]
    others = tuple(
        Other(
            name,
            other.band,
            other.band.min - figures.band.min,
            round(100 * (other.band.min - figures.band.min) / figures.band.min),
        )
        for name, other in market.data.variants.items()
        if name != variant and name in LOOP_OF
    )
    return Diagnosis(
        answers,
        variant,
        figures.name,
        reasons,
        (),
        market,
        day,
        others=others,
        ask=_ask(variant, market),
        do_not_ask=_do_not_ask(variant, market),
        channels=tuple(figures.channels.names) if figures.channels else (),
        loop=LOOP_OF[variant],
        loop_note=MLOPS_LOOP_WHY if variant == "mlops-llm" else "",
    )


def _reason(question: str, answers: Answers, side: str, market: Market) -> str:
    if question == "deliverable":
        said = DELIVERABLES[answers.deliverable]
        return f"{said}: {_verdict(side)} (the deliverable is the dominant signal)"
    if question == "stack":
        if answers.stack != BOTH or answers.llm_share is None:
            return f"{STACKS[answers.stack].split(' (')[0]}: the {side} stack"
        share = answers.llm_share
        split = f"{share}% of the work LLM-applied, {100 - share}% production ML"
        if side == "mlops-llm":
            return f"{split}: no side holds the dominant {DOMINANT_SHARE} percent"
        return f"{split}: {side} holds the dominant {DOMINANT_SHARE} percent"
    said = describe_background(answers.background, market)
    return f"{said}: the {side} pool, sourced and paid as one"


def _verdict(side: str) -> str:
    return "the role needs both depths" if side == "mlops-llm" else f"{side} work"


def describe_background(answer: str, market: Market) -> str:
    """The background answer with its figures from the market file."""
    side = _SIDE[answer]
    figures = market.variant(side)
    if figures is None:
        return BACKGROUNDS[answer]
    if answer == "llm-applied" and figures.ask_llm_applied_months:
        span = figures.ask_llm_applied_months
        return f"{span.min}-{span.max} months of {BACKGROUNDS[answer]}"
    if answer == "production-ml" and figures.ask_production_ml_years:
        span = figures.ask_production_ml_years
        return f"{span.min}-{span.max} {BACKGROUNDS[answer]}"
    return BACKGROUNDS[answer]


def _to_resolve(answers: Answers, sides: dict[str, str]) -> tuple[str, ...]:
    """What the hiring manager must settle, answer by answer, before the posting goes out."""
    lead = sides["deliverable"]
    items = []
    settled = set()
    if answers.stack == BOTH and sides["stack"] == "mlops-llm" and lead != "mlops-llm":
        share = answers.llm_share or 0
        items.append(
            f"the stack: {share}% LLM-applied and {100 - share}% production ML, so no side "
            f"holds the dominant {DOMINANT_SHARE} percent: decide which work the role owns, "
            "or open two requisitions"
        )
        settled.add("stack")
    for question in ("stack", "background"):
        side = sides[question]
        if question in settled or side == lead:
            continue
        if "mlops-llm" in (side, lead):
            advice = (
                "decide whether the role truly needs both depths (then every answer is "
                "both: an MLOps engineer with LLM focus) or only one"
            )
        else:
            advice = f"settle on one; the deliverable is the dominant signal, so {lead} unless it changes"
        items.append(f"the {question} points at {side} but the deliverable at {lead}: {advice}")
    return tuple(items)


def _ask(variant: str, market: Market) -> tuple[str, ...]:
    figures = market.data.variants[variant]
    asks = []
    if figures.ask_llm_applied_months:
        span = figures.ask_llm_applied_months
        asks.append(f"{span.min}-{span.max} months of LLM-applied work")
    if figures.ask_production_ml_years:
        span = figures.ask_production_ml_years
        asks.append(f"{span.min}-{span.max} years of production ML")
    return tuple(asks)


def _do_not_ask(variant: str, market: Market) -> tuple[str, ...]:
    pool = market.data.pool
    months, years = pool.llm_applied_months, pool.shut_out_years
    lines = [
        f"more than {months.max} months of LLM-applied work: the role took shape in 2023-2024, "
        f"so nobody has more than {months.min}-{months.max} months; asking {years.value}+ years shuts "
        "out nearly everyone"
    ]
    if variant == "ai-engineer":
        lines.append("years of custom model training: that is the ml-engineer's work")
    elif variant == "ml-engineer":
        lines.append("LLM-applied work as a requirement: that is the ai-engineer's work")
    return tuple(lines)


def posting_warning(variant: str) -> str:
    """The one thing a posting must not do, for this variant."""
    if variant == SPLIT:
        return (
            "Do not post yet: a posting that lists both LLM-applied work and custom model "
            "training draws neither pool and is priced for neither."
        )
    if variant == "mlops-llm":
        return (
            "Post it as an MLOps engineer with LLM focus, not as an AI engineer or an ML "
            "engineer: name the platform work first and the LLM work second."
        )
    other = "ml-engineer" if variant == "ai-engineer" else "ai-engineer"
    return (
        f"Post {_WORK[variant]} only: a posting that also lists {_WORK[other]} draws "
        f"{other} candidates, who expect another band and resist this stack."
    )


@model
class RequisitionAnswers:
    """The intake's answers, as a requisition records them."""

    deliverable: str = key(cs.literal_schema(list(DELIVERABLES)))
    stack: str = key(cs.literal_schema(list(STACKS)))
    llm_share: int | None = key(
        cs.nullable_schema(cs.int_schema(strict=True, ge=0, le=100)), default=None
    )
    background: str = key(cs.literal_schema(list(BACKGROUNDS)))


@model
class RequisitionBand:
    """The band a requisition opens at."""

    currency: str = key(cs.str_schema(strict=True, pattern=r"^[A-Z]{3}$"))
    min: int = key(cs.int_schema(strict=True, gt=0))
    max: int = key(cs.int_schema(strict=True, gt=0))


@model
class RequisitionMarket:
    """Which market figures the result was taken from."""

    file: str = key(cs.str_schema(strict=True))
    version: str = key(cs.str_schema(strict=True))
    checked: date = key(cs.date_schema(strict=True))


@model
class Requisition:
    """``requisitions/<id>.toml``: the answers, the result, the day and the data version."""

    id: str = key(ID)
    date: date = key(cs.date_schema(strict=True))
    variant: str = key(cs.literal_schema(["ai-engineer", "ml-engineer", "mlops-llm", SPLIT]))
    answers: RequisitionAnswers = key(schema_of(RequisitionAnswers))
    market: RequisitionMarket = key(schema_of(RequisitionMarket))
    band: RequisitionBand | None = key(cs.nullable_schema(schema_of(RequisitionBand)), default=None)
    ask: list[str] = key(cs.list_schema(cs.str_schema(strict=True)), default_factory=list)
    channels: list[str] = key(cs.list_schema(cs.str_schema(strict=True)), default_factory=list)
    time_to_fill_days: int | None = key(
        cs.nullable_schema(cs.int_schema(strict=True, gt=0)), default=None
    )
    resolve: list[str] = key(cs.list_schema(cs.str_schema(strict=True)), default_factory=list)
    loop: str = key(cs.str_schema(strict=True), default="", doc="The loop started for it.")


def requisition_data(diagnosis: Diagnosis, req_id: str, loop: str = "") -> dict[str, Any]:
    """The requisition file's data (checked against ``Requisition`` by the tests)."""
    answers = {
        "deliverable": diagnosis.answers.deliverable,
        "stack": diagnosis.answers.stack,
        "background": diagnosis.answers.background,
    }
    if diagnosis.answers.llm_share is not None:
        answers["llm_share"] = diagnosis.answers.llm_share  # type: ignore[assignment]
    market = diagnosis.market
    data: dict[str, Any] = {
        "id": req_id,
        "date": diagnosis.day,
        "variant": diagnosis.variant,
        "answers": answers,
        "market": {
            "file": market.file,
            "version": market.data.version,
            "checked": market.data.checked,
        },
    }
    figures = diagnosis.figures
    if figures is not None:
        data["band"] = {
            "currency": market.data.currency,
            "min": figures.band.min,
            "max": figures.band.max,
        }
        data["ask"] = list(diagnosis.ask)
        data["channels"] = list(diagnosis.channels)
        if figures.time_to_fill:
            data["time_to_fill_days"] = figures.time_to_fill.days
    else:
        data["resolve"] = list(diagnosis.resolve)
    if loop:
        data["loop"] = loop
    return data

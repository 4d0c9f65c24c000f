"""The market figures: one dated data file of bands, medians, time to fill and channels.

``loopkit diagnose`` prints them and ``validate`` judges comp bands (LK202)
and experience asked (LK203) with them, from the same file, so the two never
disagree. The file ships in the package (``data/market.toml``); a team points
to its own copy, for its market or currency, with ``market`` in loopkit.toml
or ``--market``. Every figure carries its source and when it was measured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic_core import PydanticCustomError
from pydantic_core import core_schema as cs

from loopkit._errors import ValidationFailed
from loopkit._models import CompBand
from loopkit._schema import key, model, parse_model, schema_of
from loopkit._source import Source, display_path, read_toml

BUNDLED = Path(__file__).parent / "data" / "market.toml"
# The variants a market file must price: the two the guidance contrasts, and the MLOps
# engineer with LLM focus for roles that truly need both depths.
PRICED = ("ai-engineer", "ml-engineer", "mlops-llm")
STALE_AFTER = dt.timedelta(days=365)

_TEXT = cs.str_schema(strict=True, strip_whitespace=True, min_length=1, max_length=300)
_AMOUNT = cs.int_schema(strict=True, gt=0, le=100_000_000)
_SOURCE = key(_TEXT, doc="Who measured the figure, and how.")
_AS_OF = key(_TEXT, doc='When the figure was measured: "2026-05", "2026-Q1".')


def _ordered(low: int, high: int) -> None:
    if low > high:
        raise PydanticCustomError("range", "min must not be above max")


@model
class Band:
    """The total compensation to open a requisition at."""

    min: int = key(_AMOUNT)
    max: int = key(_AMOUNT)
    source: str = _SOURCE
    as_of: str = _AS_OF

    def _check(self) -> None:
        _ordered(self.min, self.max)


@model
class Span:
    """A range of months or years of experience."""

    min: int = key(cs.int_schema(strict=True, ge=0, le=600))
    max: int = key(cs.int_schema(strict=True, ge=0, le=600))
    source: str = _SOURCE
    as_of: str = _AS_OF

    def _check(self) -> None:
        _ordered(self.min, self.max)


@model
class Amount:
    """One number: a median, a count of years."""

    value: int = key(_AMOUNT)
    source: str = _SOURCE
    as_of: str = _AS_OF


@model
class Days:
    """A median time to fill, in days."""

    days: int = key(cs.int_schema(strict=True, gt=0, le=3650))
    source: str = _SOURCE
    as_of: str = _AS_OF


@model
class Channels:
    """Where candidates of one variant are found."""

    names: list[str] = key(cs.list_schema(_TEXT, min_length=1, max_length=30))
    source: str = _SOURCE
    as_of: str = _AS_OF


@model
class VariantMarket:
    """One variant's figures; those a source does not give are left out."""

    name: str = key(_TEXT)
    band: Band = key(schema_of(Band))
    median: Amount | None = key(cs.nullable_schema(schema_of(Amount)), default=None)
    time_to_fill: Days | None = key(cs.nullable_schema(schema_of(Days)), default=None)
    channels: Channels | None = key(cs.nullable_schema(schema_of(Channels)), default=None)
    ask_llm_applied_months: Span | None = key(cs.nullable_schema(schema_of(Span)), default=None)
    ask_production_ml_years: Span | None = key(cs.nullable_schema(schema_of(Span)), default=None)


@model
class Pool:
    """How much LLM-applied experience exists at all."""

    llm_applied_months: Span = key(schema_of(Span))
    shut_out_years: Amount = key(schema_of(Amount))


@model
class MarketFile:
    """A market data file: its version, the day it was checked, its currency and figures."""

    version: str = key(_TEXT)
    checked: dt.date = key(cs.date_schema(strict=True))
    currency: str = key(cs.str_schema(strict=True, pattern=r"^[A-Z]{3}$"))
    scope: str = key(_TEXT)
    pool: Pool = key(schema_of(Pool))
    variants: dict[str, VariantMarket] = key(
        cs.dict_schema(cs.str_schema(strict=True), schema_of(VariantMarket))
    )


@dataclass(frozen=True)
class Market:
    """A checked market file and where it came from."""

    file: str  # as a user reads it
    data: MarketFile
    source: Source

    def variant(self, name: str) -> VariantMarket | None:
        """The figures of variant ``name``, or None when the file does not price it."""
        return self.data.variants.get(name)

    def money(self, amount: int) -> str:
        """An amount in this market's currency: ``$370,000``, ``290,000 EUR``."""
        return money(amount, self.data.currency)

    def band_text(self, name: str) -> str:
        """Variant ``name``'s band as a range: ``$360,000-$410,000``."""
        figures = self.data.variants[name]
        return f"{self.money(figures.band.min)}-{self.money(figures.band.max)}"

    def stale(self, today: dt.date) -> bool:
        """Whether the figures were last checked more than a year before ``today``."""
        return today - self.data.checked > STALE_AFTER

    def as_band(self, name: str) -> CompBand:
        """Variant ``name``'s band as a loop's ``[comp_band]`` holds it."""
        figures = self.data.variants[name]
        return CompBand(currency=self.data.currency, min=figures.band.min, max=figures.band.max)


def money(amount: int, currency: str) -> str:
    """``$370,000`` in US dollars; ``290,000 EUR`` in any other currency."""
    return f"${amount:,}" if currency == "USD" else f"{amount:,} {currency}"


def load_market(path: Path | None = None) -> Market:
    """Read and check a market file (the bundled one when ``path`` is None).

    Raises ``ValidationFailed`` naming the file, line and key of each problem.
    """
    name = display_path(path) if path is not None else "loopkit's market.toml"
    data, source = read_toml(path or BUNDLED, name)
    market, findings = parse_model(MarketFile, data, source)
    if market is None:
        raise ValidationFailed(findings)
    missing = [v for v in PRICED if v not in market.variants]
    if missing:
        raise ValidationFailed(
            [
                source.finding(
                    "LK103",
                    ("variants",),
                    "no figures for " + ", ".join(missing),
                    "add [variants." + missing[0] + "] with at least name and band",
                )
            ]
        )
    return Market(name, market, source)


@cache
def bundled_market() -> Market:
    """The market file that ships with loopkit."""
    return load_market(None)


_team: list[Market] = []  # the team's own file, read once per command (see ``use_market``)


def use_market(path: Path | None) -> Market:
    """Read the team's market file and judge bands with it from here on.

    ``None`` goes back to the bundled file. As with a team's font, the
    command line sets it once, before any loop is read.
    """
    market = load_market(path) if path is not None else bundled_market()
    _team[:] = [market] if path is not None else []
    return market


def current_market() -> Market:
    """The team's market file if one was set with ``use_market``, else the bundled one."""
    return _team[0] if _team else bundled_market()

"""The diagnosis as a short plain report for the terminal, and the requisition as TOML."""

from __future__ import annotations

import textwrap

import tomli_w

from loopkit._diagnose import SPLIT, Diagnosis, posting_warning, requisition_data

_WIDTH = 92


def _item(label: str, text: str) -> list[str]:
    """``label: text``, wrapped under itself."""
    return _wrap(text, f"  {label}: ", " " * 6)


def _wrap(text: str, first: str, rest: str) -> list[str]:
    """Wrapped at spaces only: variant names keep their hyphens on one line."""
    return textwrap.wrap(
        text, _WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


def format_diagnosis(diagnosis: Diagnosis) -> str:
    """The report: variant, why, band (and the others'), experience, channels, time to fill."""
    market = diagnosis.market
    lines = []
    if diagnosis.variant == SPLIT:
        lines.append("Variant: split: resolve before posting")
    else:
        lines.append(f"Variant: {diagnosis.variant}: {diagnosis.name}")
    lines.append("Why:")
    for question, reason in diagnosis.reasons:
        lines += _item(question, reason)
    if diagnosis.variant == SPLIT:
        lines.append("Resolve before posting:")
        for item in diagnosis.resolve:
            lines += _wrap(item, "  - ", "    ")
        lines.append("Bands, for the conversation:")
        for name, priced in market.data.variants.items():
            lines.append(f"  {name}: {market.band_text(name)} ({priced.band.as_of})")
    else:
        figures = diagnosis.figures
        assert figures is not None  # every variant but split is priced
        lines += _wrap(
            f"Comp band: open at {market.band_text(diagnosis.variant)} "
            f"({figures.band.source}, {figures.band.as_of})",
            "",
            "  ",
        )
        if figures.median:
            lines.append(f"  median {market.money(figures.median.value)} ({figures.median.as_of})")
        for other in diagnosis.others:
            direction = "lower" if other.gap < 0 else "higher"
            lines.append(
                f"  {other.variant} would be {market.band_text(other.variant)}: its floor "
                f"{market.money(abs(other.gap))} ({abs(other.percent)}%) {direction}"
            )
        lines.append("Experience:")
        lines += _item("ask", "; ".join(diagnosis.ask) or "the market file gives no figure")
        for line in diagnosis.do_not_ask:
            lines += _item("do not ask", line)
        lines.append("Sourcing channels:")
        lines += [f"  - {channel}" for channel in diagnosis.channels] or [
            "  the market file names none"
        ]
        if figures.time_to_fill:
            fill = figures.time_to_fill
            lines += _wrap(
                f"Time to fill: median {fill.days} days ({fill.source}, {fill.as_of})", "", "  "
            )
        else:
            lines.append(f"Time to fill: the market file gives no figure for {diagnosis.variant}")
        lines.append(f"Loop: start from {diagnosis.loop} (--new-loop)")
        if diagnosis.loop_note:
            lines += _wrap(diagnosis.loop_note, "  ", "  ")
    lines += _wrap("Posting: " + posting_warning(diagnosis.variant), "", "  ")
    lines += _wrap(
        f"Figures: {market.file}, version {market.data.version}, checked {market.data.checked}"
        f" ({market.data.currency}; {market.data.scope})",
        "",
        "  ",
    )
    if diagnosis.stale:
        lines.append(
            "warning: these figures were checked more than a year ago: update the market file "
            "before opening the requisition [LK208]"
        )
    return "\n".join(lines)


def requisition_toml(diagnosis: Diagnosis, req_id: str, loop: str = "") -> bytes:
    """``requisitions/<id>.toml``: the answers, the result, the day and the data version."""
    return tomli_w.dumps(requisition_data(diagnosis, req_id, loop)).encode("utf-8")

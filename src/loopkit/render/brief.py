"""The role brief: one page for the hiring manager and the recruiter, from a diagnosis."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Spacer

from loopkit._diagnose import (
    BACKGROUNDS,
    DELIVERABLES,
    SPLIT,
    STACKS,
    Diagnosis,
    describe_background,
    posting_warning,
)
from loopkit.render.layout import Heading, Story, bullets, grid, page_width, para, raw, render_story


def brief(diagnosis: Diagnosis, req_id: str, paper: str) -> Story:
    """Variant, band, experience, channels and the three answers, on one page."""
    market = diagnosis.market
    width = page_width(paper)
    answers = diagnosis.answers
    split = diagnosis.variant == SPLIT
    story: Story = [
        raw("ROLE BRIEF", "kicker"),
        para("Split: resolve before posting" if split else diagnosis.name, "title"),
        para(
            f"Requisition {req_id} · intake of {diagnosis.day.isoformat()} · "
            + ("no single variant" if split else f"variant {diagnosis.variant}"),
            "muted",
        ),
        Spacer(1, 8),
    ]
    rows: list[list[Any]] = [
        [raw("Question", "cellhead"), raw("Answer", "cellhead"), raw("Points at", "cellhead")]
    ]
    stack = STACKS[answers.stack].split(" (")[0]
    if answers.llm_share is not None:
        stack = f"spans both: {answers.llm_share}% LLM-applied, {100 - answers.llm_share}% production ML"
    said = {
        "deliverable": DELIVERABLES[answers.deliverable],
        "stack": stack,
        "background": describe_background(answers.background, market)
        if answers.background in BACKGROUNDS
        else answers.background,
    }
    for question, reason in diagnosis.reasons:
        rows.append(
            [
                para(question.capitalize(), "cell"),
                para(said[question], "cell"),
                para(reason.split(": ")[-1], "muted"),
            ]
        )
    story += [
        para("The three answers", "h2"),
        grid(rows, [0.16 * width, 0.46 * width, 0.38 * width]),
    ]
    if split:
        story += [
            para("Resolve before posting", "h2"),
            *bullets([_escape(i) for i in diagnosis.resolve]),
        ]
        bands = [[raw("Variant", "cellhead"), raw("Band", "cellhead")]]
        for name in market.data.variants:
            bands.append([para(name, "cell"), para(market.band_text(name), "cell")])
        story += [
            para("Bands, for the conversation", "h2"),
            grid(bands, [0.4 * width, 0.6 * width]),
        ]
    else:
        figures = diagnosis.figures
        assert figures is not None  # every variant but split is priced
        band = [
            [
                raw("Variant", "cellhead"),
                raw("Band", "cellhead"),
                raw("Against this one", "cellhead"),
            ]
        ]
        band.append(
            [
                para(f"{diagnosis.variant} (open here)", "cell"),
                para(market.band_text(diagnosis.variant), "cell"),
                para(
                    f"median {market.money(figures.median.value)}" if figures.median else "",
                    "muted",
                ),
            ]
        )
        for other in diagnosis.others:
            direction = "lower" if other.gap < 0 else "higher"
            band.append(
                [
                    para(other.variant, "cell"),
                    para(market.band_text(other.variant), "cell"),
                    para(
                        f"floor {market.money(abs(other.gap))} ({abs(other.percent)}%) {direction}",
                        "muted",
                    ),
                ]
            )
        story += [
            para("Comp band", "h2"),
            grid(band, [0.3 * width, 0.35 * width, 0.35 * width]),
            para("Experience", "h2"),
            *bullets([_escape(f"Ask {line}.") for line in diagnosis.ask]),
            *bullets([_escape(f"Do not ask {line}.") for line in diagnosis.do_not_ask]),
            para("Sourcing channels", "h2"),
            *bullets([_escape(c) for c in diagnosis.channels] or ["none in the market file"]),
            para("Time to fill", "h2"),
            para(
                f"Median {figures.time_to_fill.days} days ({figures.time_to_fill.as_of})."
                if figures.time_to_fill
                else f"The market file gives no figure for {diagnosis.variant}.",
                "body",
            ),
        ]
        if diagnosis.loop_note:
            story += [para("Interview loop", "h2"), para(diagnosis.loop_note + ".", "body")]
    story += [
        para("Posting", "h2"),
        para(posting_warning(diagnosis.variant), "body"),
        Spacer(1, 8),
        para(
            f"Figures: {market.file}, version {market.data.version}, checked "
            f"{market.data.checked}; {market.data.currency}, {market.data.scope}.",
            "muted",
        ),
    ]
    if diagnosis.stale:
        story.append(para("These figures were checked more than a year ago: update them.", "muted"))
    return story


def _escape(text: str) -> str:
    """Text for ``bullets``, which takes markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def brief_pdf(diagnosis: Diagnosis, req_id: str, paper: str) -> bytes:
    """The role brief as a PDF: one page, internal."""
    title = "Split: resolve before posting" if diagnosis.variant == SPLIT else diagnosis.name
    heading = Heading("Role brief", title, req_id, paper)
    return render_story(brief(diagnosis, req_id, paper), heading, f"Role brief: {req_id}")

"""``loopkit diagnose``: the intake's three questions, before a loop or a requisition exists."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from loopkit._cli_kit import quiet_option, say, tell_kept
from loopkit._errors import LoopkitError
from loopkit._signals import stops_on_signals

if TYPE_CHECKING:
    from loopkit._diagnose import Answers
    from loopkit._market import Market


@click.command()
@quiet_option
@click.option(
    "--intake",
    type=click.Path(path_type=Path),
    help="An intake TOML with the answers (deliverable, stack, llm_share, background).",
)
@click.option(
    "--deliverable",
    type=click.Choice(["llm-feature", "trained-model", "both"]),
    help="The primary deliverable.",
)
@click.option(
    "--stack",
    type=click.Choice(["llm-applied", "production-ml", "both"]),
    help="The primary stack.",
)
@click.option(
    "--llm-share",
    type=click.IntRange(0, 100),
    metavar="PERCENT",
    help="With --stack both: the share of the work on the LLM-applied side.",
)
@click.option(
    "--background",
    type=click.Choice(["llm-applied", "production-ml", "both"]),
    help="The expected candidate background.",
)
@click.option(
    "--market",
    "market_file",
    type=click.Path(path_type=Path),
    help="Market figures to use [loopkit.toml's market, else loopkit's own].",
)
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day of the intake [today].")
@click.option("--id", "req_id", metavar="ID", help="The requisition's id [<variant>-<date>].")
@click.option("--write", is_flag=True, help="Save requisitions/<id>.toml.")
@click.option(
    "--new-loop",
    is_flag=True,
    help="Also start loops/<id>.toml for the variant, with its band and experience.",
)
@click.option(
    "--pdf",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write a one-page role brief for the hiring manager and recruiter.",
)
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    help="Paper size of the brief [letter].",
)
@stops_on_signals
def diagnose(
    intake: Path | None,
    market_file: Path | None,
    day: str | None,
    req_id: str | None,
    write: bool,
    new_loop: bool,
    pdf: Path | None,
    paper: str | None,
    **given: Any,
) -> None:
    """Which role, which band: the three intake questions decide the variant before posting.

    Asks the hiring manager's three answers (or takes them from options or
    an --intake TOML): the primary deliverable, the primary stack (with the
    share of LLM-applied work when it spans both) and the expected
    background. Prints the variant (ai-engineer, ml-engineer, mlops-llm, or
    split: resolve before posting), why, the band to open at beside the
    others, the experience to ask and not to ask, sourcing channels and the
    median time to fill, all from one dated market file (docs/diagnose.md).

    Example:

    \b
        loopkit diagnose --deliverable llm-feature --stack both --llm-share 70 --background llm-applied --write --new-loop
    """
    from loopkit._diagnose import diagnose as decide
    from loopkit._requisition import default_id, open_requisition
    from loopkit._schedule import parse_day
    from loopkit._settings import load_settings
    from loopkit.render.diagnosis import format_diagnosis

    if pdf is not None:
        _check_brief(pdf)
    settings = load_settings(Path.cwd())
    market = settings.use_market(market_file)
    answers = _intake_answers(intake, given, market)
    when = parse_day(day) if day else date.today()
    result = decide(answers, market, when)
    click.echo(format_diagnosis(result))
    req_id = req_id or default_id(result)
    written: list[Path] = []
    kept: list[tuple[Path, Path]] = []
    if write or new_loop:
        written, kept = open_requisition(result, req_id, Path("."), start_loop=new_loop)
    if pdf is not None:
        from loopkit._settings import DEFAULT_PAPER
        from loopkit._write import write_outputs
        from loopkit.render.brief import brief_pdf

        settings.use_fonts()
        # a file there that loopkit did not write (notes, another PDF) is kept beside it
        done, brief = write_outputs(
            {pdf: brief_pdf(result, req_id, paper or settings.paper or DEFAULT_PAPER)}
        )
        written += done
        kept += brief
    if written:
        say("\n" + "\n".join(f"wrote {p}" for p in written))
    tell_kept(kept)


def _intake_answers(intake: Path | None, given: dict[str, Any], market: Market) -> Answers:
    """The three answers: the intake file's, then the options', then asked for in the terminal."""
    from loopkit import _diagnose as d
    from loopkit._requisition import read_intake

    answers = dict(given)
    if intake is not None:
        filed = read_intake(intake)
        for name in answers:
            if answers[name] is None:
                answers[name] = getattr(filed, name)
    questions = [
        ("deliverable", "1. What is the primary deliverable?", d.DELIVERABLES),
        ("stack", "2. What is the primary stack?", d.STACKS),
    ]
    for name, question, choices in questions:
        if answers[name] is None:
            answers[name] = _ask(question, choices, name)
    if answers["stack"] == d.BOTH and answers["llm_share"] is None:
        answers["llm_share"] = _prompt(
            "   Share of the work on the LLM-applied side, in percent (hire for the side "
            "holding 60)",
            click.IntRange(0, 100),
            "--llm-share",
        )
    if answers["background"] is None:
        backgrounds = {k: d.describe_background(k, market) for k in d.BACKGROUNDS}
        answers["background"] = _ask(
            "3. What candidate background do you expect?", backgrounds, "background"
        )
    problem = d.share_problem(answers["stack"], answers["llm_share"])
    if problem:
        raise click.UsageError(f"{problem[0]} ({problem[1]})")
    return d.Answers(**answers)


def _ask(question: str, choices: dict[str, str], name: str) -> str:
    """One intake question, every choice spelled out, answered by its name."""
    click.echo(question, err=True)
    for choice, meaning in choices.items():
        click.echo(f"   {choice:<14} {meaning}", err=True)
    answer: str = _prompt("  ", click.Choice(list(choices)), f"--{name}")
    return answer


def _prompt(text: str, kind: Any, option: str) -> Any:  # a click type: generic from 8.2 only
    """Ask in the terminal; input that ends unanswered names the option that answers instead."""
    try:
        return click.prompt(text, type=kind, err=True)
    except click.Abort as exc:
        if isinstance(exc.__context__, EOFError):  # not Ctrl-C: stdin ran out
            raise click.UsageError(
                f"no answer for {option}: give it as an option, or the answers in --intake FILE"
            ) from None
        raise


def _check_brief(pdf: Path) -> None:
    """Refuse a place for the brief where it would stand in for a file that is read: a name
    not ending in .pdf (the intake, loopkit.toml, the market file), or a packet folder."""
    if pdf.suffix.lower() != ".pdf":
        raise LoopkitError(
            f"{pdf} is not a .pdf name: the brief would take the place of another kind of file",
            key="--pdf",
            hint="give the brief a name of its own, such as brief.pdf",
        )
    from loopkit._folder import packet_folder_around  # the lock's name; only with --pdf

    packet = packet_folder_around(pdf.parent)
    if packet is not None:
        raise LoopkitError(
            f"{pdf} is in the packet folder {packet}, whose files are the packet's",
            key="--pdf",
            hint=f"write it beside the packets, in {packet.parent}, or elsewhere",
        )

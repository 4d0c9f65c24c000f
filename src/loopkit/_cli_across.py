"""The commands across a folder of packets: status, report and calibrate."""

from __future__ import annotations

import importlib
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from loopkit._cli_kit import (
    format_option,
    json_text,
    print_written,
    quiet_option,
    say,
    tell,
    tell_kept,
)
from loopkit._errors import LoopkitError
from loopkit._signals import stops_on_signals

if TYPE_CHECKING:
    from collections.abc import Callable


@click.command()
@quiet_option
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--now",
    metavar="YYYY-MM-DDTHH:MM+HH:MM",
    help="The time to count hours from [the clock]; with its offset, or read as UTC.",
)
@click.option("--owed", is_flag=True, help="Only who owes a scorecard, by person, to remind them.")
@format_option
def status(folder: Path | None, now: str | None, owed: bool, output_format: str) -> None:
    """Every packet in DIR on one line, then who still owes a scorecard.

    A line per packet: candidate, loop, day, revision, scorecards handed in of
    those expected, and the debrief (none, current, or stale when a revision
    or a scorecard came after it, a wrong or half-filled one too). Then every scorecard owed for an interview
    that has ended: who, their e-mail, the interview, and how long ago it
    ended. --owed groups them by person with a mailto: line to remind each.
    Folders that are not packets are skipped with the reason. Without DIR,
    the folder packets are written in: loopkit.toml's output, or out/.

    Example:

    \b
        loopkit status out/ --owed
    """
    from loopkit._cache import open_cache
    from loopkit._status import folder_status
    from loopkit.render.across import format_owed, format_status

    folder = _folder(folder)
    at = _instant(now, "--now")
    result = folder_status(folder, at, open_cache(), _reading)
    if output_format == "json":
        from loopkit.render.json import status_data

        click.echo(json_text(status_data(result, at)))
    elif owed:
        click.echo(format_owed(result, at))
    else:
        click.echo(format_status(result, at))


SAY_READING = 200  # unread packets from which a terminal is told why it waits (about a second)


def _reading(count: int) -> None:
    """A line on a terminal before a long first read: it takes a while, once."""
    if count >= SAY_READING and sys.stderr.isatty():
        say(
            f"reading {count:,} packets not read before (later runs read only what changed)...",
            err=True,
        )


def _reading_and(*modules: str) -> Callable[[int], None]:
    """``_reading``, then the import of ``modules`` (the PDF's, numpy): packets the cache
    lacks are read in processes of their own, and this one waits for them meanwhile."""

    def reading(count: int) -> None:
        _reading(count)
        for module in modules:
            importlib.import_module(module)

    return reading


def _instant(text: str | None, key: str) -> datetime:
    """An ISO date and time (UTC when it has no offset), or now."""
    if text is None:
        return datetime.now(UTC).replace(microsecond=0)
    hint = "write 2026-12-04T09:00+01:00"
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise LoopkitError(f"not a date and time: {text!r}", key=key, hint=hint) from None
    if "T" not in text.upper() and " " not in text.strip():  # a day alone: which hour of it?
        raise LoopkitError(f"a day with no time: {text!r}", key=key, hint=hint)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command()
@quiet_option
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
@click.option("--loop", metavar="ID", help="The loop to compare [the only one in DIR].")
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    help="Paper size of report.pdf [loopkit.toml's paper, else the newest packet's].",
)
@format_option
@stops_on_signals
def report(folder: Path | None, loop: str | None, paper: str | None, output_format: str) -> None:
    """The candidates of one loop in DIR side by side: report.pdf and report.csv.

    For each candidate: the loop score against the hire bar, every
    interview's score, the deep-dive's, flags (incomplete, disagreement,
    deep-dive below the bar, a stale debrief) and the decision with the
    reason given, all as the packet's debrief.toml recorded them. Candidates
    without a debrief are listed, never scored; a stale debrief's decision is
    shown with what came after it.

    Example:

    \b
        loopkit report out/ --loop ai-engineer
    """
    from loopkit._cache import open_cache
    from loopkit._report import build_report, replaced_loops
    from loopkit._settings import load_settings
    from loopkit._write import write_outputs
    from loopkit.render.across import format_report

    settings = load_settings(Path.cwd())
    settings.use_fonts()
    folder = _folder(folder)
    reading = _reading_and("loopkit.render.report")
    result = build_report(folder, loop, open_cache(), reading, paper or settings.paper)
    from loopkit.render.report import report_csv, report_pdf

    replaced = replaced_loops(folder / "report.csv", result)
    written, kept = write_outputs(
        {folder / "report.csv": report_csv(result), folder / "report.pdf": report_pdf(result)}
    )
    from loopkit.render.json import report_data

    print_written(
        output_format, lambda: report_data(result), lambda: format_report(result), written
    )
    tell_kept(kept, output_format)
    tell(  # one report per folder: another loop's is made again on asking
        [
            f"replaced the report of {other} here: loopkit report {folder} --loop {other} "
            "makes it again"
            for other in replaced
        ],
        output_format,
    )


@click.command()
@quiet_option
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    help="Paper size of calibration.pdf [letter].",
)
@format_option
@stops_on_signals
def calibrate(folder: Path | None, paper: str | None, output_format: str) -> None:
    """How each interviewer in DIR rates against their peers: calibration.pdf and .toml.

    For every interviewer: scorecards written, how their ratings and
    recommendations spread, their "no signal" share, their leniency (their
    score minus the other interviewers' mean on the same candidates, with a
    95% interval) and how often their recommendation matched the decision.
    For every interview rated by two or more people on the same candidates:
    Krippendorff's alpha (ordinal) with a bootstrap interval. Too few shared
    candidates is said as "not enough data", never as a number. A stale
    debrief's decision is not counted, and is named. The PDF has the team's
    page, then one private page per interviewer.

    Example:

    \b
        loopkit calibrate out/
    """
    from loopkit._cache import open_cache
    from loopkit._calibrate import calibrate as calibrate_folder
    from loopkit._settings import DEFAULT_PAPER, load_settings
    from loopkit._status import folder_status, no_packets
    from loopkit._write import write_outputs
    from loopkit.render.across import format_calibration

    settings = load_settings(Path.cwd())
    folder = _folder(folder)
    settings.use_fonts()
    paper = paper or settings.paper or DEFAULT_PAPER
    reading = _reading_and("numpy", "loopkit.render.calibration")
    status = folder_status(folder, datetime.now(UTC), open_cache(), reading)
    from loopkit.render.calibration import calibration_pdf, calibration_toml
    from loopkit.render.json import skipped_data

    if not status.packets:
        raise no_packets(folder, status)
    result = calibrate_folder(status)
    toml = calibration_toml(result)
    written, kept = write_outputs(
        {
            folder / "calibration.toml": toml,
            folder / "calibration.pdf": calibration_pdf(result, paper),
        }
    )
    import tomllib

    print_written(
        output_format,
        lambda: {  # the same data as the TOML, and the folders skipped
            **tomllib.loads(toml.decode("utf-8")),
            "skipped": skipped_data(status.skipped),
        },
        lambda: format_calibration(result),
        written,
    )
    tell_kept(kept, output_format)


def _folder(given: Path | None) -> Path:
    """DIR as given, else the folder packets are written in: loopkit.toml's output, or out/."""
    if given is not None:
        return given
    from loopkit._settings import load_settings  # only when DIR is left out

    return load_settings(Path.cwd()).output or Path("out")

"""What every loopkit command shares: -q, --format, and the lines a command prints.

The commands live in ``cli`` (one packet) and ``_cli_across`` and
``_cli_diagnose`` (across packets; before a loop exists); they print only
through these, so -q and --format json mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from loopkit._errors import Finding, Severity

QUIET = "loopkit.quiet"


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """-q given before or after the command: both set the same flag."""
    if value:
        ctx.meta[QUIET] = True  # meta is shared by the group and its command


quiet_option = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    callback=_set_quiet,
    help="Print nothing but warnings and errors (plan's schedule and a --dry-run's report "
    "are what was asked for, and still print).",
)


def json_text(data: object) -> str:
    """Data as ``--format json`` prints it."""
    from loopkit.render.json import dumps  # only --format json

    return dumps(data)


format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the same, as JSON on standard output (docs/json.md).",
)


def print_written(
    output_format: str, data: Callable[[], object], text: Callable[[], str], written: list[Path]
) -> None:
    """What a command that writes files prints: its data as JSON alone, or its text and files."""
    if output_format == "json":
        click.echo(json_text(data()))
        return
    say(text())
    say("\n" + "\n".join(f"wrote {p}" for p in written))


def tell_kept(kept: list[tuple[Path, Path]], output_format: str = "text") -> None:
    """A line for each file a person changed, kept before it was replaced (``write_outputs``)."""
    tell(
        [f"kept {path} as {copy.name}: not as loopkit last wrote it" for path, copy in kept],
        output_format,
    )


def tell(lines: list[str], output_format: str = "text") -> None:
    """Lines a person should read whatever the options: on standard error, as a warning
    is, when -q or JSON keeps standard output for other things."""
    quiet = click.get_current_context().meta.get(QUIET) or output_format == "json"
    for line in lines:
        click.echo(line, err=quiet)


def say(message: str = "", err: bool = False) -> None:
    """Echo a report line (what was written, a summary) unless -q was given."""
    if not click.get_current_context().meta.get(QUIET):
        click.echo(message, err=err)


def echo_findings(findings: list[Finding], err: bool = False) -> None:
    """Findings as validate prints them: warnings in yellow, errors in red."""
    for finding in findings:
        colour = "yellow" if finding.severity is Severity.WARNING else "red"
        click.secho(finding.format(), fg=colour, err=err)

"""The ``loopkit`` command: parses options, calls one library function, prints.

This module holds the group and the commands about one loop or packet;
``_cli_across`` those across a folder of packets, ``_cli_diagnose`` the
one before a loop exists, and ``_cli_kit`` what they all print through.

Each command imports the library it calls when it runs, not when this
module loads: ``loopkit --help`` and ``--version`` then start without
pydantic or the models (about 90 ms instead of 320), and ``validate`` and
``plan`` without reportlab or icalendar.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import errno
import gc
import io
import os
import signal
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from loopkit import __version__
from loopkit._cli_across import calibrate, report, status
from loopkit._cli_diagnose import diagnose
from loopkit._cli_kit import (
    QUIET,
    echo_findings,
    format_option,
    json_text,
    print_written,
    quiet_option,
    say,
    tell_kept,
)
from loopkit._completion import interview_ids, loop_ids, zones
from loopkit._errors import (
    LoopkitError,
    OutputError,
    Problems,
    Severity,
    ValidationFailed,
    exit_code,
)
from loopkit._scale import DECISIONS, beside
from loopkit._signals import stops_on_signals
from loopkit._source import LOCK_FILE, STDIN, display_path

if TYPE_CHECKING:
    from loopkit._batch import BatchResult
    from loopkit._folder import PacketWrite
    from loopkit._records import Lock
    from loopkit._schedule import Planned
    from loopkit._settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """Turns every ``LoopkitError`` into one clean line and exit 1."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # loopkit's --help and --version print here, before any command
            return super().make_context(*args, **kwargs)
        except BrokenPipeError as exc:  # click would exit 1
            _output_failed(exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            fonts = sys.modules.get("loopkit.render.fonts")  # imported only where PDFs are drawn
            if fonts is not None:
                fonts.forget_reader_fonts()
            result = super().invoke(ctx)
            _note_reader_fonts()
            return result
        except ValidationFailed as exc:
            echo_findings(exc.findings, err=True)
            sys.exit(1)
        except LoopkitError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            # A wrong option value is command-line usage, as click's own checks are; so are
            # several at once. An option, or the file at fault, for each:
            errors = exc.errors if isinstance(exc, Problems) else [exc]
            usage = all((e.file or e.key).startswith("--") for e in errors)
            sys.exit(2 if usage else 1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError as exc:  # `loopkit ... | head`: the reader has all it wants
            _output_failed(exc)
        except KeyboardInterrupt as exc:  # Ctrl-C, or kill and a hang-up (see stops_on_signals)
            click.echo("interrupted", err=True)
            sys.exit(exit_code(exc))
        except Exception as exc:
            if isinstance(exc, OSError) and _printing(exc):  # `loopkit ... > /dev/full`
                _output_failed(exc)
            if ctx.params.get("debug"):
                traceback.print_exc()
            click.secho(
                f"internal error: {type(exc).__name__}: {exc}\n"
                f"This is a bug in loopkit {__version__}: please report it to the loopkit maintainers "
                "with the command you ran and the output of it run again as loopkit --debug <command>.",
                fg="red",
                err=True,
            )
            sys.exit(1)
        finally:
            # A team's market figures hold for the command that read its loopkit.toml only.
            market = sys.modules.get("loopkit._market")
            if market is not None:
                market.use_market(None)


def _note_reader_fonts() -> None:
    """Say once, whatever the number of PDFs, when CJK text relies on the viewer's fonts."""
    fonts = sys.modules.get("loopkit.render.fonts")
    if fonts is not None and fonts.reader_fonts_used():
        click.echo(fonts.CJK_NOTE, err=True)


def _output_failed(exc: OSError) -> NoReturn:
    """Say that standard output could not be written, and exit 1.

    A reader that closed the pipe (``loopkit ... | head``) has all it wanted: nothing is
    said, and the exit is 141, as a shell reports a command stopped by SIGPIPE (128 + 13),
    not 1, which would read as a bad file or a failed check.
    """
    # what is left in its buffer goes nowhere, not to a second failure at exit
    _null_onto(sys.stdout.fileno())
    if isinstance(exc, BrokenPipeError):
        sys.exit(128 + signal.SIGPIPE)
    with contextlib.suppress(OSError):
        click.secho(
            f"error: standard output cannot be written: {exc.strerror or exc}", fg="red", err=True
        )
    sys.exit(1)


class _ClosedOutput(io.TextIOBase):
    """Standard output when the command started without one: writing to it fails as
    writing to a closed file does, so what a command prints is never dropped unsaid."""

    def __init__(self, fileno: int) -> None:
        self._fileno = fileno

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it was closed when loopkit started")

    def fileno(self) -> int:
        return self._fileno


def _closed_output() -> _ClosedOutput:
    """A stand-in for the closed standard output; its descriptor is held on /dev/null,
    so that no file loopkit opens takes its number."""
    _null_onto(1)
    return _ClosedOutput(1)


def _null_onto(descriptor: int) -> None:
    """Point ``descriptor`` at /dev/null (whatever it was, or if it was closed)."""
    null = os.open(os.devnull, os.O_WRONLY)
    if null != descriptor:
        os.dup2(null, descriptor)
        os.close(null)


def _printing(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while printing: standard output is full or failing."""
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code is click.echo.__code__:
            return True
        frame = frame.tb_next
    return False


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="loopkit")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour warnings and errors [only on a terminal, and never with NO_COLOR set].",
)
@quiet_option
@click.pass_context
def cli(ctx: click.Context, debug: bool, color: bool | None) -> None:
    """Interview loops as TOML: validate them, plan the day, build packets, debrief.

    Exit codes: 0 success; 1 a bad file or a failed check; 2 a wrong option
    or option value; 128 + the signal when stopped (130 Ctrl-C, 143 kill,
    141 when the reader of the output stops: | head).

    A team sets its defaults (tz, candidate_tz, start, paper, organizer,
    output) once, in a loopkit.toml next to loops/ or under [tool.loopkit]
    in pyproject.toml; an option given here wins over them.

    Example:

    \b
        loopkit packet ai-engineer --candidate "Ada Lovelace" --date 2026-12-03
    """
    if color is None and os.environ.get("NO_COLOR"):  # https://no-color.org: set and not empty
        color = False
    ctx.color = color  # None: colour only on a terminal, click's default


@cli.command()
@quiet_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@format_option
def validate(paths: tuple[Path, ...], strict: bool, output_format: str) -> None:
    """Check loops and scorecards: errors and design warnings, with file:line.

    With no PATH, checks ./loops and ./scorecards, or the built-in loops
    when there are none here; '-' reads one file from standard input.
    Exit 0 when clean, 1 on errors (and on warnings with --strict).

    Example:

    \b
        loopkit validate loops/ai-engineer.toml scorecards/ --strict
    """
    from loopkit._data import bundled_dir
    from loopkit._load import validate_paths
    from loopkit._settings import load_settings

    load_settings(Path.cwd()).use_market()  # LK202 judges bands by the team's figures
    targets = list(paths)
    if not targets:
        here = [p for p in (Path("loops"), Path("scorecards")) if p.is_dir()]
        targets = here or [bundled_dir("loops"), bundled_dir("scorecards")]
    findings, files = validate_paths(targets, date.today())
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    if output_format == "json":
        from loopkit.render.json import validate_data

        click.echo(json_text(validate_data(findings, files)))
        if errors or (strict and warnings):
            sys.exit(1)
        return
    echo_findings(findings)
    say(f"{files} file{'s' * (files != 1)} checked: {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        sys.exit(1)


def _schedule_options(revision: bool) -> Callable[[F], F]:
    """The day, start, zones and panel of plan and packet; ``revision``: the command's runs
    revise a packet, which keeps its own for each left out."""
    kept = "; a revision: the packet's" if revision else ""
    options = [
        click.option(
            "--date",
            "day",
            metavar="YYYY-MM-DD",
            help=f"Day of the loop [next business day{kept}].",
        ),
        click.option("--start", metavar="HH:MM", help=f"First start [09:30{kept}]."),
        click.option(
            "--tz",
            metavar="ZONE",
            shell_complete=zones,
            help=f"Coordinator's IANA time zone [this machine's{kept}].",
        ),
        click.option(
            "--candidate-tz",
            metavar="ZONE",
            shell_complete=zones,
            help=f"Candidate's time zone [same as --tz{kept}].",
        ),
        click.option(
            "--panel",
            "panel_file",
            type=click.Path(path_type=Path),
            help="Panel TOML file ('-': standard input)"
            + (" [a revision: the packet's panel]." if revision else "."),
        ),
        click.option(
            "--interviewer",
            "interviewers",
            shell_complete=interview_ids,
            multiple=True,
            metavar="ID=NAME",
            help="Assign NAME (or 'NAME <email>') to interview ID; repeatable; replaces --panel's"
            + (" (or a revision's panel)" if revision else "")
            + " for that interview; 'ID=' for no one.",
        ),
    ]

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def _output_options(output_help: str, paper_kept: str = "") -> Callable[[F], F]:
    """-o/--output, --paper and the retired --force, shared by packet and batch."""

    def decorate(func: F) -> F:
        func = click.option(
            "--force",
            is_flag=True,
            hidden=True,
            help="No longer needed: an existing packet is updated as a new revision.",
        )(func)
        func = click.option(
            "--paper",
            type=click.Choice(["letter", "a4"], case_sensitive=False),
            help=f"Paper size [letter{paper_kept}].",
        )(func)
        return click.option(
            "-o", "--output", type=click.Path(path_type=Path), help=f"{output_help} [out]"
        )(func)

    return decorate


_IN_LOCK = {"day": "date", "start": "start", "tz": "tz", "candidate_tz": "candidate_tz"}


def _plan(
    loop: str,
    settings: Settings,
    day: str | None,
    start: str | None,
    tz: str | None,
    candidate_tz: str | None,
    panel_file: Path | None,
    interviewers: tuple[str, ...],
    old: tuple[Path, Lock] | None = None,
) -> Planned:
    """The plan the options give; ``old``: the folder and lock of the packet a build revises,
    whose day, start, zones and panel stand for the options left out, before the team's
    settings."""
    from loopkit._actions import plan_from_options
    from loopkit._settings import When

    settings.use_market()
    given = When(day, start, tz, candidate_tz)
    kept, named = None, {}
    if old is not None:
        from loopkit._folder import kept_options

        folder, lock = old
        before, kept = kept_options(lock)
        # a message names a value the packet gave by its key in the lock, not by an option
        left = [k for k, v in dataclasses.asdict(given).items() if v is None]
        shown = display_path(folder / LOCK_FILE)
        named = {k: f"{shown}: packet.{_IN_LOCK[k]}" for k in left}
        given = given.filled(before)
    named |= given.named_from(settings.when, settings.file)
    when = given.filled(settings.when)
    planned = plan_from_options(loop, when, date.today(), panel_file, interviewers, named, kept)
    echo_findings(list(planned.warnings), err=True)
    return planned


def _retired_force(force: bool) -> None:
    if force:
        say(
            "note: --force is no longer needed: an existing packet is updated as a new "
            "revision, and filled scorecards are kept",
            err=True,
        )


@cli.command()
@quiet_option
@click.argument("loop", shell_complete=loop_ids)
@_schedule_options(revision=False)
@format_option
def plan(loop: str, output_format: str, **options: Any) -> None:
    """Print the timed schedule of LOOP: every interview and break, in both zones.

    LOOP is a path, the id of a loop in ./loops, or a built-in loop id
    (ai-engineer, ml-engineer).

    Example:

    \b
        loopkit plan ai-engineer --date 2026-12-03 --tz America/New_York --candidate-tz Europe/Berlin
    """
    from loopkit._settings import load_settings
    from loopkit.render.text import format_plan

    planned = _plan(loop, load_settings(Path.cwd()), **options)
    if output_format == "json":
        from loopkit.render.json import plan_data

        click.echo(json_text(plan_data(planned)))
        return
    click.echo(format_plan(planned.schedule, planned.loop))


@cli.command()
@quiet_option
@click.argument("loop", shell_complete=loop_ids)
@click.option("--candidate", required=True, help="The candidate's name, in any script.")
@click.option(
    "--id",
    "given_id",
    metavar="ID",
    help="The packet's id [<candidate>-<loop>]; for two candidates who share a name.",
)
@click.option(
    "--candidate-email",
    metavar="EMAIL",
    help="The candidate's e-mail, for their invitation [a revision: the packet's; '' for none].",
)
@click.option(
    "--organizer",
    metavar="'NAME <EMAIL>'",
    help="Who sends the invitations; with it the packet holds invites/ for everyone with an "
    "e-mail [loopkit.toml's; a revision: the packet's; '' for none].",
)
@_schedule_options(revision=True)
@_output_options("Folder the packet folder is written in.", "; a revision: the packet's")
@click.option("--dry-run", is_flag=True, help="Say what would change, and write nothing.")
@stops_on_signals
def packet(
    loop: str,
    candidate: str,
    given_id: str | None,
    candidate_email: str | None,
    organizer: str | None,
    output: Path | None,
    paper: str | None,
    force: bool,
    dry_run: bool,
    **options: Any,
) -> None:
    """Write the packet folder for one candidate, or update it as a new revision.

    The folder is out/<date>-<candidate>-<loop>/ with packet.pdf (coordinator),
    itinerary.pdf (candidate), one scorecard PDF and blank TOML per
    interviewer, schedule.ics and loop.lock.toml. It is written whole or not
    at all; the same inputs give byte-identical files.

    Run it again with what changed (the day, an interviewer, a rubric, an
    interview; what you leave out stays as the packet has it) and the packet
    gets a new revision: filled scorecards of unchanged seats are kept byte
    for byte, those whose seat changed move to superseded/ with the reason,
    and nothing is ever deleted. When nothing changed, nothing is written.
    --dry-run shows what would change.

    Example:

    \b
        loopkit packet ai-engineer --candidate "Nguyễn Thị Minh Khai" --date 2027-03-19 --start 09:00 --tz America/New_York --candidate-tz Europe/Berlin --panel panel.toml -o out/
    """
    from loopkit._actions import attempt, one_or_all, revision_time
    from loopkit._folder import revised_packet, write_packet
    from loopkit._load import load_loop
    from loopkit._packet import build_packet, check_candidate
    from loopkit._settings import DEFAULT_PAPER, load_settings, parse_person

    _retired_force(force)
    settings = load_settings(Path.cwd())
    settings.use_fonts()
    # every problem of the options in one run: the loop and the day's, the addresses', the name's
    errors: list[LoopkitError] = []
    out = attempt(errors, _output, output, settings)
    loop_id = ""  # the loop read twice (2 ms), to find the packet it revises by its id
    with contextlib.suppress(LoopkitError):  # a loop that cannot be read: the plan says why
        loop_id = load_loop(loop).loop.id
    # the packet this build revises, which keeps what the options leave out; a lock that
    # cannot be read stops it, and nothing is planned (or warned of) from values never used
    before, old = len(errors), None
    if out is not None and loop_id:
        old = attempt(errors, revised_packet, out, candidate, loop_id, given_id)
    planned = None
    if len(errors) == before:
        planned = attempt(errors, _plan, loop, settings, old=old, **options)
    sender = attempt(errors, parse_person, organizer, "--organizer") if organizer else None
    email = (
        attempt(errors, parse_person, candidate_email, "--candidate-email")
        if candidate_email
        else None
    )
    attempt(errors, check_candidate, candidate)
    if planned is None or out is None or errors:
        raise one_or_all(errors)
    built = build_packet(
        planned,
        candidate,
        paper or (old[1].packet.paper if old else "") or settings.paper or DEFAULT_PAPER,
        given_id,
        # '' drops it: loopkit.toml's is for an organizer not given at all
        organizer=sender if organizer is not None else settings.organizer,
        candidate_email=email.email if email else "",
        at=revision_time(os.environ),
        # left out (not given as ""), a revision keeps what the packet has
        unsaid=frozenset(
            name
            for name, given in (
                ("organizer", organizer is not None),  # loopkit.toml's: a first build's
                ("candidate_email", candidate_email is not None),
            )
            if not given
        ),
    )
    # Two render workers measured faster than one on a 2-core machine; more were not measured.
    jobs = min(2, os.cpu_count() or 1)
    result = write_packet(built, out, jobs=jobs, dry_run=dry_run)
    _echo_write(result, dry_run)


def _output(given: Path | None, settings: Settings) -> Path:
    """The folder packets are written in: -o, else loopkit.toml's output, else out/; checked
    first, so that one wrong is named where it was set."""
    from loopkit._folder import check_output

    output = given or settings.output or Path("out")
    try:
        check_output(output)
    except OutputError as exc:
        if given is None and settings.output is not None:
            exc.key = settings.place("output")  # the team's file, not an option: exit 1
        raise
    return output


def _echo_write(result: PacketWrite, dry_run: bool) -> None:
    """What a packet write did, in a few lines."""
    would = "would " if dry_run else ""
    tell = click.echo if dry_run else say  # a dry run's report is what was asked for
    revision = result.revision
    if revision is None:
        tell(f"{would}write {result.folder}/" if dry_run else f"wrote {result.folder}/")
        _echo_invitations(result, tell, "  ")
        return
    if revision.unchanged:
        tell(f"{result.folder}/ is up to date (revision {revision.previous}): nothing changed")
        return
    tell(
        f"{would}update {result.folder}/ to revision {revision.packet.revision}"
        if dry_run
        else f"updated {result.folder}/ to revision {revision.packet.revision}"
    )
    _echo_revision(result, tell, "  ", dry_run)


def _echo_revision(
    result: PacketWrite, tell: Callable[[str], None], indent: str, dry_run: bool, one: bool = True
) -> None:
    """A new revision's lines: what changed, each file a person wrote kept or moved, and the
    invitations to send; as ``packet`` and ``batch`` say them (``one``: as ``packet``)."""
    assert result.revision is not None
    for change in result.revision.changes:
        tell(f"{indent}changed: {change}")
    for kept in result.kept:
        tell(f"{indent}{'would keep' if dry_run else 'kept'}: {kept}")
    for moved in result.moved:
        tell(f"{indent}{'would move to ' if dry_run else 'moved to '}superseded/: {moved}")
    for stem, cards in result.returned:
        if not cards:  # no card of it was filled before it went
            tell(f"{indent}back as it was: {stem}")
            continue
        if len(cards) == 1:
            what, it = f"its scorecard {cards[0]} is", "it"
        else:  # a TOML and a PDF, or two cards, of one seat: one counts, if they agree
            what, it = f"its scorecards {', '.join(cards)} are", "the one that counts"
        tell(
            f"{indent}back as it was: {stem} ({what} valid again: "
            f"copy {it} back into scorecards/, or give {it} with debrief --scorecard)"
        )
    _echo_invitations(result, tell, indent, one)


def _echo_invitations(
    result: PacketWrite, tell: Callable[[str], None], indent: str, one: bool = True
) -> None:
    """Which invitations of a revision to send, and which are as they were; ``one``: the
    command wrote one packet, which a warning printed by itself (-q) need not name."""
    for name, why in result.send:
        tell(f"{indent}send: {name} ({why})")
    if result.same:
        names = ", ".join(Path(n).stem for n in result.same)
        tell(f"{indent}no need to send again (the same as before): {names}")
    if result.unaddressed:
        line = "no invitation, for want of an address: " + ", ".join(result.unaddressed)
        if click.get_current_context().meta.get(QUIET):  # a warning: -q keeps warnings
            click.echo(line if one else f"{result.folder.name}: {line}", err=True)
        else:
            tell(indent + line)


@cli.command()
@quiet_option
@click.argument("csv_file", metavar="CSV", type=click.Path(path_type=Path))
@_output_options("Folder the packet folders are written in.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Worker processes [every core].")
@click.option("--dry-run", is_flag=True, help="Say what each row would change, and write nothing.")
@stops_on_signals
def batch(
    csv_file: Path,
    output: Path | None,
    jobs: int | None,
    paper: str | None,
    force: bool,
    dry_run: bool,
) -> None:
    """Write one packet per row of CSV, using every core, with a progress bar.

    CSV is a file, or '-' for standard input. Columns: candidate and loop
    (required); id, date, start, tz, candidate_tz, email and organizer; and
    one panel:<interview-id> column per interview ("Name; Name <email>").
    Empty cells take the team's loopkit.toml defaults.
    Every row is checked before anything is written; all problems are listed
    by line and column. Run it again after editing the CSV: packets whose
    rows changed are updated as new revisions (filled scorecards are kept),
    the others are left as they are, and an interrupted batch is finished.
    Each packet becomes what its row says, undoing a change made since with
    `loopkit packet`: --dry-run shows every change first.

    Example:

    \b
        loopkit batch candidates.csv -o out/ --jobs 2
    """
    import time

    from loopkit._actions import revision_time
    from loopkit._batch import plan_batch, read_batch, write_batch
    from loopkit._settings import DEFAULT_PAPER, load_settings

    _retired_force(force)
    started = time.perf_counter()
    settings = load_settings(Path.cwd())
    settings.use_fonts()
    settings.use_market()
    output = _output(output, settings)
    packets = read_batch(
        csv_file,
        date.today(),
        paper or settings.paper or DEFAULT_PAPER,
        revision_time(os.environ),
        defaults=settings.when,
        defaults_from=settings.file,
        organizer=settings.organizer,
    )
    echo_findings(list(dict.fromkeys(w for p in packets for w in p.warnings)), err=True)
    if dry_run:
        _echo_batch(plan_batch(packets, output), output, "", dry_run=True)
        return
    show = sys.stderr.isatty() and not click.get_current_context().meta.get(QUIET)
    bar = click.progressbar(length=len(packets), label="packets", file=sys.stderr)

    landed: list[Path] = []

    def progress(done: int, total: int, result: PacketWrite) -> None:
        bar.update(1)

    try:
        with bar if show else contextlib.nullcontext(bar):
            result = write_batch(
                packets,
                output,
                jobs=jobs,
                progress=progress if show else None,
                landed=landed.append,
            )
    except KeyboardInterrupt as exc:
        # Every packet folder there is whole; say how many, once, and stop.
        click.echo(
            f"interrupted: {len(landed)} packet{'s' * (len(landed) != 1)} written to {output}/; "
            "run the same command again to write the rest",
            err=True,
        )
        sys.exit(exit_code(exc))
    _echo_batch(result, output, f" in {time.perf_counter() - started:.1f}s")


def _echo_batch(result: BatchResult, output: Path, took: str, *, dry_run: bool = False) -> None:
    """How many packets a batch wrote, updated and left, and what changed in each updated."""
    tell = click.echo if dry_run else say  # a dry run's report is what was asked for
    would = "would be " if dry_run else ""
    counts = ", ".join(
        f"{len(result.of(state))} {would if state != 'unchanged' else ''}{state}"
        for state in ("written", "updated", "unchanged")
    )
    n = len(result.packets)
    tell(f"{n} packet{'s' * (n != 1)} in {output}/{took}: {counts}")
    for new in result.of("written"):  # the invitations to send, as `packet` says them
        if new.send or new.unaddressed:
            tell(f"  {new.folder.name}: {would}written")
            _echo_invitations(new, tell, "    ", one=False)
    for update in result.of("updated"):  # what changed, as `packet` says it
        assert update.revision is not None
        tell(f"  {update.folder.name}: revision {update.revision.packet.revision}")
        _echo_revision(update, tell, "    ", dry_run, one=False)


@cli.command()
@quiet_option
@click.argument("packet_dir", type=click.Path(path_type=Path))
@click.option(
    "--scorecard",
    "extra",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A filled scorecard kept outside the packet folder ('-': standard input); repeatable.",
)
@click.option(
    "--allow-missing",
    is_flag=True,
    help="Debrief even though assigned interviewers' scorecards are missing.",
)
@click.option(
    "--decision",
    type=click.Choice(DECISIONS),
    help="Record the hiring team's decision in debrief.toml [the one recorded before].",
)
@click.option("--reason", metavar="TEXT", help="Why, in a sentence; with --decision.")
@format_option
@stops_on_signals
def debrief(
    packet_dir: Path,
    extra: tuple[Path, ...],
    allow_missing: bool,
    decision: str | None,
    reason: str | None,
    output_format: str,
) -> None:
    """Score the filled scorecards of a packet: print the table, write debrief.pdf and .toml.

    Every scorecard is checked against loop.lock.toml first; every problem of
    every scorecard (malformed, unfilled, foreign, stale or duplicate) is
    listed with its file, line and key, and nothing is written while any
    remains.

    Example:

    \b
        loopkit debrief out/2026-12-03-ada-lovelace-ai-engineer/ --scorecard ~/Downloads/llm-coding--sam-lee.toml
    """
    from loopkit._actions import debrief_packet, write_debrief
    from loopkit._settings import load_settings
    from loopkit._superseded import superseded_decision
    from loopkit.render.fonts import check
    from loopkit.render.text import format_debrief
    from loopkit.render.toml import debrief_data

    if reason is not None and decision is None:
        raise click.UsageError("--reason goes with --decision")
    if reason:
        reason = reason.replace("\r\n", "\n").replace("\r", "\n")  # a lone CR overprints a line
        if len(reason) > 2000:
            raise LoopkitError(f"{len(reason)} characters; at most 2000", key="--reason")
        try:
            check(reason, "reason")
        except LoopkitError as exc:
            exc.key = "--reason"  # an option value: exit 2
            raise
    load_settings(Path.cwd()).use_fonts()
    result = debrief_packet(
        packet_dir,
        list(extra),
        allow_missing=allow_missing,
        decision=decision or "",
        reason=(reason or "").strip(),
    )
    written, left = write_debrief(result, packet_dir, extra)
    text = output_format == "text"
    if result.decision and not decision and text:
        say(f"note: the decision recorded before is kept: {result.decision}", err=True)
    earlier = superseded_decision(packet_dir) if text and not result.decision else None
    if earlier is not None:
        revision = earlier.revision
        say(
            f"note: revision {revision} recorded the decision {earlier.decision} (superseded/"
            f"r{revision}/debrief.toml); it is not carried to revision {result.revision}: give --decision "
            "to record it for this one",
            err=True,
        )
    score = result.score
    if (
        decision
        and not result.reason
        and score is not None
        and (decision == "hire") != result.meets_bar
    ):
        side = "below" if decision == "hire" else "at or above"
        say(
            f"note: {decision} recorded for a loop score of {beside(score, result.hire_bar)}, "
            f"{side} the bar of {result.hire_bar:g}; say why with --reason (the report shows it)",
            err=True,
        )
    for path, why in left:
        card = "the card on standard input" if path == STDIN else str(path)
        say(
            f"note: {card} was counted but not copied into the packet ({why}); "
            "status calls this debrief stale until the packet holds it",
            err=True,
        )
    shown = [Path(display_path(p)) for p in written]  # written where its links lead: named
    print_written(  # from here, as other commands name what they write
        output_format, lambda: debrief_data(result), lambda: format_debrief(result), shown
    )


@cli.command()
@quiet_option
@click.argument("loop_id")
@click.option(
    "--from",
    "source",
    default="ai-engineer",
    show_default=True,
    shell_complete=loop_ids,
    help="Loop to start from.",
)
@stops_on_signals
def new(loop_id: str, source: str) -> None:
    """Start a new loop LOOP_ID in ./loops from another loop, copying its scorecards.

    The loop file is never overwritten; scorecards already in ./scorecards
    are kept. The copies name their schema in a first '#:schema' line, and
    ./schemas and a .taplo.toml are written for editors.

    Example:

    \b
        loopkit new staff-ai --from ai-engineer
    """
    from loopkit._scaffold import new_loop

    written, kept = new_loop(loop_id, source, Path("."))
    for path in written:
        say(f"wrote {path}")
    tell_kept(kept)


@cli.command()
@quiet_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the schemas to.",
)
@stops_on_signals
def schema(output: Path) -> None:
    """Write JSON Schemas of loop, scorecard, panel and filled scorecard files, for editors.

    Editors that use taplo (Even Better TOML) complete keys and mark mistakes
    with them; point a file at its schema with a first line like
    '#:schema ../schemas/loop.schema.json' (loopkit new writes these lines
    and a .taplo.toml).

    Example:

    \b
        loopkit schema -o schemas/
    """
    from loopkit._scaffold import write_schemas

    if output.exists() and not output.is_dir():
        raise LoopkitError(f"{output} is a file, not a folder", key="--output")
    written, kept = write_schemas(output)
    for path in written:
        say(f"wrote {path}")
    tell_kept(kept)


for _command in (status, report, calibrate, diagnose):
    cli.add_command(_command)


def main() -> None:
    """Entry point of the ``loopkit`` script."""
    # Registered first, so it runs last: every other exit handler, the flush of the
    # standard streams and weakref finalizers still run, but the interpreter's last
    # collections skip the objects a run leaves, which the system frees at once
    # (about 0.2 s after a calibrate of 1,000 packets). Every file loopkit writes is
    # closed, and the cache committed, before a command returns.
    atexit.register(gc.freeze)
    for number, arg in enumerate(sys.argv[1:], start=1):
        # Bytes that are not UTF-8 reach Python as lone surrogates, which no file can hold.
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            click.echo(f"error: argument {number} ({shown!r}) is not UTF-8 text", err=True)
            sys.exit(2)
    if sys.stdout is None:  # started with standard output closed (>&-)
        sys.stdout = _closed_output()
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.errors == "strict":
        # A file name that is not UTF-8 (a card saved on another system) is shown as
        # U+FFFD where loopkit knows it may come; anywhere else it is printed as standard
        # error prints it, \udcff, and never ends in an internal error.
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        cli(prog_name="loopkit")
    except OSError as exc:  # --help or --version printed outside any command
        if not _printing(exc):
            raise
        _output_failed(exc)

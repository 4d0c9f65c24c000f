"""Shell completion of loop ids, interview ids and time zones (click's completion protocol).

Each function runs only when a shell asks for completions, so its imports
stay inside it; a completion that cannot be worked out offers nothing
rather than printing an error into the user's prompt.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click
    from click.shell_completion import CompletionItem


def loop_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The loops in ./loops and the built-in ones; a path once the user types one."""
    from click.shell_completion import CompletionItem  # not on the start-up of other commands

    from loopkit._data import bundled_dir  # a plain path lookup, no models

    if "/" in incomplete or incomplete.startswith("."):
        return [CompletionItem(incomplete, type="file")]
    ids = {
        p.stem for folder in (Path("loops"), bundled_dir("loops")) for p in folder.glob("*.toml")
    }
    return [CompletionItem(i) for i in sorted(ids) if i.startswith(incomplete)]


def zones(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """IANA time zone names, matched without regard to case."""
    import zoneinfo  # reads the zone database only when a shell asks

    from click.shell_completion import CompletionItem  # not on the start-up of other commands

    typed = incomplete.casefold()
    names = sorted(z for z in zoneinfo.available_timezones() if z.casefold().startswith(typed))
    return [CompletionItem(name) for name in names]


def interview_ids(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """``ID=`` for each interview of the loop already on the command line."""
    if "=" in incomplete:
        return []  # a name: nothing to offer
    from click.shell_completion import CompletionItem  # not on the start-up of other commands

    from loopkit._errors import LoopkitError
    from loopkit._load import load_loop  # the loop's models, only to complete its ids

    # While completing, click may leave the LOOP argument among the unparsed words.
    loop = ctx.params.get("loop") or next(iter(ctx.args), "")
    try:
        document = load_loop(str(loop))
    except LoopkitError:
        return []
    ids = [interview.id for interview in document.loop.interviews]
    return [CompletionItem(f"{i}=", type="nospace") for i in ids if i.startswith(incomplete)]

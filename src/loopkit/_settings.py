"""Defaults a team sets once: ``loopkit.toml``, or ``[tool.loopkit]`` in ``pyproject.toml``.

The file is looked for in the current folder and then in each folder above
it; the first folder holding either file wins (``loopkit.toml`` before
``pyproject.toml``). An option given on the command line, or a cell given
in a batch CSV, always wins over the file. Every value is checked when the
file is read, and a bad one is named by file, line and key.

status, report and calibrate read the settings and never a loop: the
models and the schedule are imported only to check a value that needs them
(about 200 ms).
"""

from __future__ import annotations

from dataclasses import asdict, astuple, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loopkit._errors import Finding, LoopkitError, Severity, ValidationFailed, did_you_mean
from loopkit._source import Source, display_path, parse_toml, read_file

if TYPE_CHECKING:
    from loopkit._market import Market
    from loopkit._models import Person

PAPERS = ("letter", "a4")
DEFAULT_PAPER = "letter"
KEYS = {
    "tz": "the coordinator's IANA time zone, like America/New_York",
    "candidate_tz": "the candidate's IANA time zone",
    "start": "the first start, H:MM",
    "paper": "letter or a4",
    "organizer": "who sends the invitations, 'Name <email>'",
    "output": "the folder packets are written in, relative to this file",
    "cjk_font": "a TrueType font (.ttf or .ttc) for Chinese, Japanese and Korean names",
    "market": "the team's market figures (a copy of loopkit's market.toml), relative to this file",
}


@dataclass(frozen=True)
class Settings:
    """A team's defaults; ``None`` where the file says nothing."""

    file: str = ""  # where they came from, as a user reads it; "" when there is no file
    tz: str | None = None
    candidate_tz: str | None = None
    start: str | None = None
    paper: str | None = None
    organizer: Person | None = None
    output: Path | None = None
    cjk_font: Path | None = None
    market: Path | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # each key's, in file

    def place(self, key: str) -> str:
        """Where the file sets ``key``, as a message names it: ``loopkit.toml:3: cjk_font``."""
        line = self.lines.get(key, 0)
        return f"{self.file}:{line}: {key}" if line else f"{self.file}: {key}"

    def use_fonts(self) -> None:
        """Draw CJK text with the team's font, if it names one (checked: a TrueType file)."""
        if self.cjk_font is not None:
            from loopkit.render.fonts import set_cjk_font  # only commands that draw PDFs

            set_cjk_font(self.cjk_font, self.place("cjk_font"))

    def use_market(self, given: Path | None = None) -> Market:
        """Judge bands with ``given``, else the team's market file, else loopkit's; checked."""
        from loopkit._market import use_market  # reading a loop needs it; --help does not

        if given is None and self.market is not None and not self.market.is_file():
            # named where the team's file names it, not as a file that merely is not there
            raise LoopkitError(
                f"{display_path(self.market)} is not a file",
                key=self.place("market"),
                hint=KEYS["market"],
            )
        return use_market(given or self.market)

    @property
    def when(self) -> When:
        """The start and zones this file sets, as defaults for ``When.filled``."""
        return When(None, self.start, self.tz, self.candidate_tz)


@dataclass(frozen=True)
class When:
    """The day, start and zones of a loop as a user gave them (None: the default)."""

    day: str | None = None
    start: str | None = None
    tz: str | None = None
    candidate_tz: str | None = None

    def filled(self, defaults: When) -> When:
        """These values, with ``defaults``' where none was given (a team's settings)."""
        return When(
            *(
                mine if mine is not None else theirs
                for mine, theirs in zip(astuple(self), astuple(defaults), strict=True)
            )
        )

    def named_from(self, defaults: When, where: str) -> dict[str, str]:
        """The values ``filled`` takes from ``defaults``, named as in their file ``where``.

        A message about such a value says ``loopkit.toml: start``, not an
        option the user never gave (``plan``'s ``columns``).
        """
        if not where:
            return {}
        mine, theirs = asdict(self), asdict(defaults)
        return {k: f"{where}: {k}" for k, v in mine.items() if v is None and theirs[k] is not None}


def parse_person(text: str, key: str) -> Person:
    """A person with an e-mail, as an option or column gives them (``Name <email>``)."""
    from loopkit._models import Person

    try:
        person = Person.parse(text)
    except ValueError as exc:
        raise LoopkitError(str(exc), key=key) from None
    if not person.email:
        raise LoopkitError(f"not an e-mail address: {text!r}", key=key, hint='write "Name <email>"')
    return person


def find_settings(here: Path) -> Path | None:
    """The team's settings file for work done in ``here``, or None."""
    for folder in (here, *here.parents):
        own = folder / "loopkit.toml"
        if own.is_file():
            return own
        project = folder / "pyproject.toml"
        if project.is_file() and b"[tool.loopkit]" in read_file(project, display_path(project)):
            return project
    return None


def load_settings(here: Path) -> Settings:
    """The settings that apply in ``here``: checked, or a ``ValidationFailed`` naming each problem."""
    path = find_settings(here)
    if path is None:
        return Settings()
    name = display_path(path)
    data, source = parse_toml(read_file(path, name), name)
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "loopkit")
        data = data.get("tool", {}).get("loopkit", {})
        if not isinstance(data, dict):
            raise ValidationFailed([_finding(source, prefix, "must be a table of settings")])
    findings: list[Finding] = []
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, value in data.items():
        loc = (*prefix, key)
        lines[key] = source.line_of(loc)
        if key not in KEYS:
            guess = did_you_mean(key, KEYS)
            known = "known keys: " + ", ".join(KEYS)
            findings.append(_finding(source, loc, "unknown key", f"{guess} {known}".strip()))
        elif not isinstance(value, str):
            findings.append(_finding(source, loc, f"must be text: {KEYS[key]}"))
        else:
            try:
                values[key] = _checked(key, value, path.parent)
            except LoopkitError as exc:
                findings.append(_finding(source, loc, exc.message, exc.hint))
    if findings:
        raise ValidationFailed(findings)
    return Settings(file=name, **values, lines=lines)


def _checked(key: str, value: str, folder: Path) -> Any:
    """One setting's value, checked by the same code as its command-line option."""
    from loopkit._schedule import get_zone, parse_clock

    if key in ("tz", "candidate_tz"):
        get_zone(value, key)
    elif key == "start":
        parse_clock(value, key)
    elif key == "paper":
        if value.lower() not in PAPERS:
            raise LoopkitError(f"unknown paper size {value!r}", hint="letter or a4")
        return value.lower()
    elif key == "organizer":
        return parse_person(value, key)
    elif key in ("output", "cjk_font", "market"):
        if not value.strip():
            raise LoopkitError("is empty", hint=KEYS[key])
        return folder / value
    return value


def _finding(source: Source, loc: tuple[str, ...], message: str, hint: str = "") -> Finding:
    return Finding(
        source.file,
        source.line_of(loc),
        "LK140",
        Severity.ERROR,
        ".".join(loc),
        message,
        hint,
    )

"""The one error root of loopkit and the findings that validation returns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


def did_you_mean(name: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    """``did you mean 'x'?`` for the known name closest to ``name``, or "" when none is close."""
    import difflib  # only a message needs it: --help and --version start without it

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=cutoff)
    return f"did you mean {close[0]!r}?" if close else ""


class Severity(StrEnum):
    """How bad a finding is: errors stop the work, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a file: where, which rule, and what to do."""

    file: str
    line: int
    code: str
    severity: Severity
    key: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render as ``file:line: key: message (hint) [code]``."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        hint = f" ({self.hint})" if self.hint else ""
        kind = "warning" if self.severity is Severity.WARNING else "error"
        return f"{where}:{key} {self.message}{hint} [{self.code} {kind}]"


class LoopkitError(Exception):
    """Root of every error loopkit raises on bad input; the CLI exits 1 on it."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int = 0,
        key: str = "",
        hint: str = "",
        code: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.key = key
        self.hint = hint
        self.code = code  # the finding code (docs/rules.md) where one applies

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries in batch and packet workers; keep the location.
        return (_rebuild, (type(self), self.message, self.__dict__))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        key = f"{self.key}: " if self.key else ""
        hint = f" ({self.hint})" if self.hint else ""
        code = f" [{self.code}]" if self.code else ""
        return f"{where}{key}{self.message}{hint}{code}"


def _rebuild(cls: type[LoopkitError], message: str, state: dict[str, object]) -> LoopkitError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ValidationFailed(LoopkitError):
    """A file, or a set of files, has one or more error findings."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(set(findings))
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        super().__init__("\n".join(f.format() for f in errors) or "validation failed")

    def __str__(self) -> str:
        return self.message


class PanelError(LoopkitError):
    """A panel names an interview the loop lacks, or books one person twice."""


class ScorecardError(LoopkitError):
    """A filled scorecard cannot be used for the debrief."""


class OutputError(LoopkitError):
    """The output folder cannot be written as asked."""


class Problems(LoopkitError):
    """Several independent problems with what a user gave, each with its own place."""

    def __init__(self, errors: list[LoopkitError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return self.message


SIGINT = 2  # the same number on every platform; spares importing signal


class Interrupted(KeyboardInterrupt):
    """A signal that stops loopkit as Ctrl-C does: SIGINT, SIGTERM or SIGHUP.

    A ``KeyboardInterrupt``, so everything that cleans up after Ctrl-C
    (staging folders, temporary files, the render pool) does so here too.
    ``signum`` is None in a copy a library made with a new message (see
    ``exit_code``).
    """

    def __init__(self, signum: int | str = SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum if isinstance(signum, int) else None


def exit_code(interrupt: BaseException) -> int:
    """128 + the number of the signal that stopped the run, as a shell reports it; 130 for Ctrl-C.

    The signal's exception may come wrapped: reportlab re-raises whatever
    stops it inside a paragraph as a new exception of the same class, with
    only a message, raised while handling the original.
    """
    error: BaseException | None = interrupt
    for _ in range(100):  # a chain of causes, however odd, has an end
        if error is None:
            break
        signum = getattr(error, "signum", None)
        if isinstance(signum, int):
            return 128 + signum
        error = error.__cause__ or error.__context__
    return 128 + SIGINT

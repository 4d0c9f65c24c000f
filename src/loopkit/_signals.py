"""Kill and hang-up stop a command that writes as Ctrl-C does (see ``stops_on_signals``)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar, cast

from loopkit._errors import Interrupted

F = TypeVar("F", bound=Callable[..., Any])


def stops_on_signals(func: F) -> F:
    """Make kill (SIGTERM) and a hang-up (SIGHUP) stop a command that writes, as Ctrl-C does.

    Each raises ``Interrupted`` in this process, a ``KeyboardInterrupt``: a
    staging folder or temporary file is removed on the way out, render
    workers end, and the exit code is 128 + the signal's number. Signals
    this process was started ignoring (under nohup, or SIGINT in a
    background job) stay ignored. Commands that write nothing keep the
    default actions, which the shell reports with the same exit code;
    importing ``signal`` would add about 2 ms to ``validate``.
    """

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return func(*args, **kwargs)  # only the main thread may set handlers
        owner = os.getpid()

        def interrupt(signum: int, frame: object) -> None:
            # A process forked from this one inherits the handler until it sets its
            # own; stopping is this process's to do (see _workers._start_worker).
            if os.getpid() == owner:
                raise Interrupted(signum)

        previous: dict[int, Any] = {}
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)  # Windows has no SIGHUP
            if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
                previous[signum] = signal.signal(signum, interrupt)
        try:
            return func(*args, **kwargs)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    return cast(F, run)

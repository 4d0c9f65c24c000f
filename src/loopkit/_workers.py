"""Worker processes that leave stopping to loopkit's own process and die with it.

Rendering (``packet``, ``batch``) and reading packets (``status``, ``report``,
``calibrate``) fork workers. Ctrl-C reaches the whole process group; a worker
interrupted while it held the pool's queue lock never released it, and the
others then waited for it for ever. So workers ignore the stop signals, the
main process stops (dropping what has not started), and the kernel kills a
worker whose parent is gone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, forked where the system can (they share this one's start-up)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if "fork" in methods else None
    return _StoppablePool(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )


_STOP_SIGNALS = tuple(
    getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)
)
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class _StoppablePool(ProcessPoolExecutor):
    """A process pool that forks its workers with Ctrl-C, kill and a hang-up held."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        # The first submit forks the workers. A stop signal handled in the middle of
        # a fork was lost (its exception is swallowed in an at-fork hook), and one
        # reaching a new worker before _start_worker ran its parent's handler.
        # Held, it arrives in this process once the submit is done.
        with stops_held():
            return super().submit(fn, *args, **kwargs)


@contextlib.contextmanager
def stopping(pool: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    """Use ``pool``, then shut it down with the stop signals held.

    Left on an interruption or an error, what has not started is dropped
    (``drop_unstarted``); left normally, every task is done and the workers
    are joined. A Ctrl-C in the middle of that join ("cannot release
    un-acquired lock") was an internal error; held, it arrives once the
    pool is shut.
    """
    try:
        yield pool
    except BaseException:
        drop_unstarted(pool)
        raise
    with stops_held():
        pool.shutdown(wait=True)


def drop_unstarted(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` on the way out of an interruption: what has not started is dropped,
    what has is waited for.

    The stop signals are held meanwhile: a second Ctrl-C (or ``timeout -s INT``,
    which signals the command and then its group) raised in the middle of the
    shutdown closed the pool's pipes under its own thread, and the process hung.
    """
    with stops_held():
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def stops_held() -> Iterator[None]:
    """Hold the stop signals for this thread (and threads and processes it starts)."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(parent: int) -> None:
    """Set up a worker: stopping is its parent's to decide (see the module's docstring),
    and it dies with its parent."""
    for signum in _STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # forked with them held (see _StoppablePool)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """On Linux, have the kernel kill this process when ``parent`` dies; elsewhere nothing.

    A worker waiting on the pool's queue never learns that its parent is
    gone: after a kill -9 of the parent it waited for ever, holding the
    terminal's output open. The request is tied to the thread that forked
    this process; the pool forks its workers from the thread that first
    submits work, which for loopkit is the main thread.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # Linux only, in a worker: no command pays for it at start-up

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL)) != 0:
            return
    except (OSError, AttributeError):  # no C library to load, or no prctl in it
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)

"""kill, a hang-up and kill -9 stop loopkit as Ctrl-C does: whole packets only, no worker left."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import ADA, PANEL, complete, fill_packet, run

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2,
    reason="reads worker processes from Linux /proc; packet renders on 2 cores",
)
ROWS = 20


def children(pid: int) -> set[int]:
    """The processes ``pid`` started and that are still its children."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(FileNotFoundError):  # the thread ended while we looked
            found.update(int(p) for p in task.read_text().split())
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def still_alive_after(pids: set[int], seconds: float) -> set[int]:
    """The processes of ``pids`` that have not ended within ``seconds``."""
    deadline = time.monotonic() + seconds
    while (left := {p for p in pids if alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.fixture
def workers() -> Iterator[set[int]]:
    """Worker pids a test found; any still alive at the end are killed, so none leaks."""
    found: set[int] = set()
    yield found
    for pid in found:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def visible(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith(".")) if out.is_dir() else []


def hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".")) if out.is_dir() else []


def start_batch(
    tmp_path: Path, *, jobs: int = 2, nohup: bool = False
) -> tuple[subprocess.Popen[str], Path]:
    """Start a 20-row batch (on 2 workers); return once its first packet folder is there."""
    # a weekday far ahead: no warning about the day shares standard error with the stop
    rows = [f"Candidate {n:02d},ml-engineer,2099-12-03,,UTC" for n in range(ROWS)]
    (tmp_path / "c.csv").write_text(
        "candidate,loop,date,start,tz\n" + "\n".join(rows) + "\n", "utf-8"
    )
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "loopkit",
        "batch",
        str(tmp_path / "c.csv"),
        "-o",
        str(out),
        "--jobs",
        str(jobs),
    ]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        start_new_session=True,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_ignore_hangups if nohup else None,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None and not visible(out):
        time.sleep(0.01)
    assert process.poll() is None, process.communicate()
    assert visible(out)
    return process, out


def _ignore_hangups() -> None:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # what nohup does before it runs a command


def start_packet(tmp_path: Path) -> subprocess.Popen[str]:
    """Start a packet of 10 interviewers; return once its 2 render workers are running."""
    people = [f"--interviewer=past-llm-feature-deep-dive=Person {n}" for n in range(10)]
    command = [
        sys.executable,
        "-m",
        "loopkit",
        "packet",
        "ai-engineer",
        *ADA,
        *people,
        "-o",
        str(tmp_path / "out"),
    ]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        start_new_session=True,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None and len(children(process.pid)) < 2:
        time.sleep(0.002)
    assert process.poll() is None, process.communicate()
    return process


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
class TestStopSignals:
    @pytest.mark.parametrize("jobs", [1, 2], ids=["jobs-1", "jobs-2"])
    def test_a_batch_stops_with_whole_packets_and_says_how_many(
        self, tmp_path: Path, how: signal.Signals, jobs: int, workers: set[int]
    ) -> None:
        """kill PID: exit 128+N, one line with the count, whole folders only, workers gone."""
        process, out = start_batch(tmp_path, jobs=jobs)
        workers.update(children(process.pid))
        assert len(workers) == (2 if jobs == 2 else 0)
        os.kill(process.pid, how)  # the parent alone, as kill PID does
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 128 + how
        written = visible(out)
        assert 0 < len(written) < ROWS
        assert stderr.splitlines() == [
            f"interrupted: {len(written)} packet{'s' * (len(written) != 1)} written to {out}/; "
            "run the same command again to write the rest"
        ]
        for folder in written:
            assert complete(folder), folder.name
            assert (folder / "loop.lock.toml").is_file()
        assert hidden(out) == []  # no staging folder left
        assert still_alive_after(workers, 5) == set()

    def test_a_packet_stops_whole_or_not_at_all(
        self, tmp_path: Path, how: signal.Signals, workers: set[int]
    ) -> None:
        """kill PID while the PDFs render: exit 128+N, "interrupted", no half folder, workers gone."""
        process = start_packet(tmp_path)
        workers.update(children(process.pid))
        assert len(workers) == 2
        os.kill(process.pid, how)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 128 + how
        assert stderr.strip() == "interrupted"
        out = tmp_path / "out"
        assert all(complete(folder) for folder in visible(out))
        assert hidden(out) == []
        assert still_alive_after(workers, 5) == set()


class TestParentKilled:
    @pytest.mark.parametrize("command", ["batch", "packet"])
    def test_kill_9_of_the_parent_ends_its_workers(
        self, tmp_path: Path, command: str, workers: set[int]
    ) -> None:
        """Render workers end when the process that started them is killed outright."""
        process = start_batch(tmp_path)[0] if command == "batch" else start_packet(tmp_path)
        workers.update(children(process.pid))
        assert len(workers) == 2
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        assert still_alive_after(workers, 5) == set()


class TestHandlersAreLeftAsFound:
    def test_a_batch_under_nohup_keeps_ignoring_hangups(
        self, tmp_path: Path, workers: set[int]
    ) -> None:
        """A hang-up the process was started ignoring does not stop it: every packet is written."""
        process, out = start_batch(tmp_path, nohup=True)
        workers.update(children(process.pid))
        os.kill(process.pid, signal.SIGHUP)
        stdout, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        assert f"{ROWS} written, 0 updated, 0 unchanged" in stdout
        assert len(visible(out)) == ROWS

    def test_a_command_restores_the_handlers_it_found(self, here: Path) -> None:
        """Run in-process, a command leaves this process's signal handlers as they were."""
        from tests.helpers import run

        before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        assert run("schema", "-o", "schemas").exit_code == 0
        assert {s: signal.getsignal(s) for s in before} == before


class TestExitCode:
    def test_the_signal_is_found_in_an_exception_reportlab_rewrapped(self) -> None:
        """reportlab re-raises an interrupt inside a paragraph as a new one; the exit code holds."""
        from reportlab.lib.utils import annotateException

        from loopkit._errors import Interrupted, exit_code

        def draw() -> None:
            try:
                raise Interrupted(signal.SIGTERM)
            except KeyboardInterrupt:
                annotateException("paragraph text '<para>x</para>' caused exception")

        with pytest.raises(KeyboardInterrupt) as caught:
            draw()
        assert isinstance(caught.value, Interrupted)
        assert caught.value.signum is None  # a new exception, with only a message
        assert exit_code(caught.value) == 143
        assert exit_code(Interrupted(signal.SIGHUP)) == 129
        assert exit_code(KeyboardInterrupt()) == 130


# A signal sent to this process reaches a thread that does not hold it: in a pytest-xdist
# worker, execnet's own threads take it, so what loopkit holds in its threads runs at once.
_OWN_THREADS_ONLY = pytest.mark.skipif(
    "PYTEST_XDIST_WORKER" in os.environ, reason="an xdist worker's threads take the signal"
)


class TestStatusStops:
    def test_ctrl_c_twice_while_packets_are_read_exits_130(
        self, tmp_path: Path, workers: set[int]
    ) -> None:
        """A first status over 100 packets reads them on 2 workers. Ctrl-C to the command and
        then to its group (as ``timeout -s INT`` sends it), in the middle of the reading: exit
        130, no traceback, no worker left. A second signal used to land in the middle of the
        pool's shutdown and hang the command."""
        out = tmp_path / "out"
        result = run("packet", "ai-engineer", *ADA, "--panel", _panel(tmp_path), "-o", out)
        assert result.exit_code == 0, result.output
        (packet,) = visible(out)
        fill_packet(packet)
        for n in range(100):  # copies: each read and checked, then skipped as a copy
            shutil.copytree(packet, out / f"copy-{n:03d}", copy_function=os.link)
        for _ in range(3):
            process = subprocess.Popen(
                [sys.executable, "-m", "loopkit", "status", str(out)],
                env={**os.environ, "LOOPKIT_CACHE_DIR": ""},  # every packet read, every time
                start_new_session=True,
                text=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            deadline = time.monotonic() + 60
            while process.poll() is None and len(children(process.pid)) < 2:
                assert time.monotonic() < deadline, "no workers started"
                time.sleep(0.002)
            workers.update(children(process.pid))
            os.kill(process.pid, signal.SIGINT)
            os.killpg(process.pid, signal.SIGINT)
            _, stderr = process.communicate(timeout=30)
            assert process.returncode == 130, stderr
            assert "Traceback" not in stderr
            assert still_alive_after(workers, 5) == set()

    @_OWN_THREADS_ONLY
    def test_a_stop_in_the_middle_of_the_shutdown_waits_for_its_end(self) -> None:
        """Ctrl-C, then a second one while the pool shuts down: the shutdown ends first. A
        second interruption inside it left the pool's thread on closed pipes (status hung
        about one time in ten under ``timeout -s INT`` on a busy machine)."""
        from loopkit._workers import drop_unstarted

        ended: list[str] = []

        class Pool(ProcessPoolExecutor):
            def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)  # a handler would run here, in the middle
                ended.append(f"wait={wait} cancel={cancel_futures}")

        with pytest.raises(KeyboardInterrupt):
            drop_unstarted(Pool(1))
        assert ended == ["wait=True cancel=True"]

    @_OWN_THREADS_ONLY
    def test_a_stop_in_the_middle_of_a_normal_shutdown_waits_for_its_end(self) -> None:
        """Work done, the workers being joined, Ctrl-C: the join ends first (an interrupted
        join was "cannot release un-acquired lock", an internal error), then it stops."""
        from loopkit._workers import stopping, worker_pool

        ended: list[str] = []
        pool = worker_pool(1)  # its threads start with the stop signals held, as loopkit's do
        shutdown = pool.shutdown

        def interrupted(wait: bool = True, *, cancel_futures: bool = False) -> None:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # a handler would run here, in the middle
            shutdown(wait=wait, cancel_futures=cancel_futures)
            ended.append(f"wait={wait} cancel={cancel_futures}")

        pool.shutdown = interrupted  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt), stopping(pool):
            assert pool.submit(abs, -1).result() == 1
        assert ended == ["wait=True cancel=False"]


def _panel(folder: Path) -> Path:
    (folder / "panel.toml").write_text(PANEL, "utf-8")
    return folder / "panel.toml"

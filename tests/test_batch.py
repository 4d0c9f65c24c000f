"""Batch packets from a CSV: all rows checked first, whole folders only, re-runs finish the rest."""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from loopkit._batch import read_batch, write_batch
from loopkit._errors import Finding, OutputError, Severity, ValidationFailed
from loopkit._folder import PacketWrite
from loopkit._write import render_pool
from tests.helpers import GOOD, complete, run

FOLDERS = [
    "2026-12-03-ada-lovelace-ai-engineer",
    "2026-12-03-nguyen-thi-minh-khai-ai-engineer",
    "2026-12-04-grace-hopper-ml-engineer",
]


class TestBatch:
    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_writes_one_whole_packet_per_row(self, tmp_path: Path, jobs: str) -> None:
        """Three rows give three complete packets and a one-line summary."""
        (tmp_path / "c.csv").write_text(GOOD, "utf-8")
        result = run("batch", str(tmp_path / "c.csv"), "-o", str(tmp_path / "out"), "--jobs", jobs)
        assert result.exit_code == 0, result.output
        assert "3 written, 0 updated, 0 unchanged" in result.output
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == FOLDERS
        for name in FOLDERS:
            assert complete(tmp_path / "out" / name)
        deep = (
            tmp_path
            / "out"
            / FOLDERS[0]
            / "scorecards"
            / "past-llm-feature-deep-dive--jo-park.toml"
        )
        assert deep.is_file()

    def test_a_first_batch_lists_the_invitations_to_send(self, tmp_path: Path) -> None:
        """Packets written anew said nothing of their invitations, nor of Jo Park, whom none
        reaches for want of an address, though `packet` says both; with -q, the warning
        alone, naming its packet."""
        (tmp_path / "c.csv").write_text(
            "candidate,loop,date,start,tz,organizer,panel:llm-coding,"
            "panel:past-llm-feature-deep-dive\n"
            "Ada Lovelace,ai-engineer,2099-12-03,09:30,UTC,Rita Moreno <rita@example.com>,"
            "Sam Lee <sam@example.com>,Priya Raman <priya@example.com>; Jo Park\n"
            "Grace Hopper,ml-engineer,2099-12-04,,UTC,,,\n",  # no organizer: no invitations
            "utf-8",
        )
        result = run("batch", tmp_path / "c.csv", "-o", tmp_path / "out")
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[1:] == [
            "  2099-12-03-ada-lovelace-ai-engineer: written",
            "    send: invites/priya-raman.eml (new)",
            "    send: invites/sam-lee.eml (new)",
            "    no invitation, for want of an address: Jo Park (Past LLM feature deep-dive)",
        ]
        dry = run("batch", tmp_path / "c.csv", "-o", tmp_path / "again", "--dry-run")
        assert dry.output.splitlines()[1:] == [
            "  2099-12-03-ada-lovelace-ai-engineer: would be written",
            *result.output.splitlines()[2:],
        ]
        assert not (tmp_path / "again").exists()
        quiet = run("-q", "batch", tmp_path / "c.csv", "-o", tmp_path / "again")
        assert quiet.output == (
            "2099-12-03-ada-lovelace-ai-engineer: no invitation, for want of an address: "
            "Jo Park (Past LLM feature deep-dive)\n"
        )

    def test_a_dry_run_writes_nothing_and_shows_a_change_the_row_would_undo(
        self, tmp_path: Path
    ) -> None:
        """A re-run makes each packet what its row says: a day moved since with `packet`
        goes back. --dry-run says so first, and writes nothing."""
        csv, out = str(tmp_path / "c.csv"), tmp_path / "out"
        (tmp_path / "c.csv").write_text(GOOD, "utf-8")
        result = run("batch", csv, "-o", str(out), "--dry-run")
        assert result.exit_code == 0, result.output
        assert "3 packets in" in result.output
        assert "3 would be written, 0 would be updated, 0 unchanged" in result.output
        assert not out.exists()
        assert run("batch", csv, "-o", str(out)).exit_code == 0
        moved = run(
            "packet", "ml-engineer", "--candidate", "Grace Hopper", "--date", "2026-12-07",
            "--tz", "UTC", "-o", str(out),
        )  # fmt: skip  # options beside their values
        assert moved.exit_code == 0, moved.output
        before = sorted(p.name for p in out.iterdir())
        result = run("batch", csv, "-o", str(out), "--dry-run")
        assert result.exit_code == 0, result.output
        assert "0 would be written, 1 would be updated, 2 unchanged" in result.output
        assert "changed: date: 2026-12-07 -> 2026-12-04" in result.output
        assert sorted(p.name for p in out.iterdir()) == before

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
    def test_a_file_a_revision_cannot_carry_stops_the_batch_before_any_write(
        self, tmp_path: Path
    ) -> None:
        """A pipe in one packet folder was found only when that packet's turn came, after
        the packets before it were written."""
        csv, out = tmp_path / "c.csv", tmp_path / "out"
        csv.write_text(GOOD, "utf-8")
        assert run("batch", str(csv), "-o", str(out)).exit_code == 0
        os.mkfifo(out / FOLDERS[-1] / "myfifo")
        csv.write_text(GOOD.replace("2026-12-0", "2026-12-1"), "utf-8")  # every day moves
        before = sorted(p.name for p in out.iterdir())
        for dry in ([], ["--dry-run"]):
            result = run("batch", str(csv), "-o", str(out), *dry)
            assert result.exit_code == 1, result.output
            assert "myfifo is not a file loopkit can carry" in result.output
            assert "nothing was written" in result.output
            assert sorted(p.name for p in out.iterdir()) == before

    def test_a_batch_packet_equals_the_single_packet(self, tmp_path: Path) -> None:
        """The same row through batch and through packet gives the same bytes."""
        (tmp_path / "c.csv").write_text(GOOD, "utf-8")
        assert (
            run(
                "batch", str(tmp_path / "c.csv"), "-o", str(tmp_path / "a"), "--jobs", "2"
            ).exit_code
            == 0
        )
        single = run(
            "packet", "ml-engineer", "--candidate", "Grace Hopper", "--date", "2026-12-04", "--tz", "UTC",
            "-o", tmp_path / "b",
        )  # fmt: skip  # options beside their values
        assert single.exit_code == 0
        for path in (tmp_path / "b" / FOLDERS[2]).rglob("*"):
            if path.is_file():
                assert (
                    tmp_path / "a" / FOLDERS[2] / path.relative_to(tmp_path / "b" / FOLDERS[2])
                ).read_bytes() == path.read_bytes()

    def test_progress_is_reported_as_each_packet_finishes(self, tmp_path: Path) -> None:
        """With two workers the callback hears of packets while others are still rendering."""
        rows = "".join(f"C{n},ml-engineer,2026-12-03,UTC\n" for n in range(6))
        (tmp_path / "c.csv").write_text("candidate,loop,date,tz\n" + rows, "utf-8")
        packets = read_batch(tmp_path / "c.csv", date(2026, 11, 25))
        seen: list[tuple[int, int]] = []

        def progress(done: int, total: int, result: PacketWrite) -> None:
            written = [p for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")]
            seen.append((done, len(written)))

        write_batch(packets, tmp_path / "out", jobs=2, progress=progress)
        assert [d for d, _ in seen] == [1, 2, 3, 4, 5, 6]
        assert seen[0][1] < 6  # the first report came before the last packet was written

    def test_a_rerun_leaves_unchanged_packets_alone(self, tmp_path: Path) -> None:
        """Packets whose rows did not change are left alone and counted."""
        (tmp_path / "c.csv").write_text(GOOD, "utf-8")
        run("batch", str(tmp_path / "c.csv"), "-o", str(tmp_path / "out"))
        result = run("batch", str(tmp_path / "c.csv"), "-o", str(tmp_path / "out"))
        assert result.exit_code == 0
        assert "0 written, 0 updated, 3 unchanged" in result.output


BAD = [
    ("candidate,date\nAda,2026-12-03\n", ["line 1, loop: missing column"]),
    ("candidate,loop,colour\nAda,ai-engineer,red\n", ["line 1, colour: unknown column"]),
    (
        "candidate,loop,date,start,tz\nAda,ai-engineer,2026-02-30,9,Mars/Base\n,ml-engineer,,,\nBo,ai-enginer,,,\n",
        ["line 2, date: not a date: '2026-02-30'", "line 2, start: not a time: '9'", "line 2, tz: unknown time zone",
         "line 3, candidate: empty", "line 4, loop: no loop named 'ai-enginer'"],
    ),
    ("candidate,loop,panel:coding\nAda,ai-engineer,Sam\n", ["line 2, panel:coding: the loop 'ai-engineer' has no interview 'coding'"]),
    ("candidate,loop,email\nAda,ai-engineer,not-an-address\n", ["line 2, email: not an e-mail address"]),
    (
        "candidate,loop,start,tz,candidate_tz,organizer,email\nAda,ai-engineer,25:00,Bad/Zone,Mars/X,Rita,not-mail\n",
        ["line 2, email: not an e-mail", "line 2, organizer: not an e-mail", "line 2, start: not a time: '25:00'",
         "line 2, tz: unknown time zone 'Bad/Zone'", "line 2, candidate_tz: unknown time zone 'Mars/X'"],
    ),  # every problem of a row in one run, the addresses' and the day's
    (
        "candidate,loop,date,start,tz,panel:llm-coding\nAda,ai-engineer,2026-13-01,25:00,Mars/X,Sam <sam@\nBo,ai-enginer,2026-12-40,,UTC,\n",
        ["line 2, panel:llm-coding: the e-mail address", "line 2, date: not a date: '2026-13-01'",
         "line 2, start: not a time: '25:00'", "line 2, tz: unknown time zone 'Mars/X'",
         "line 3, loop: no loop named 'ai-enginer'", "line 3, date: not a date: '2026-12-40'"],
    ),  # a panel cell or a loop that cannot be read hides none of the day's problems
    (
        "candidate,loop,date,tz,panel:llm-coding,panel:nope\nAda,ai-engineer,2026-12-03,UTC,Sam <x@,Lu\n",
        ["line 2, panel:llm-coding: the e-mail address", "line 2, panel:nope: the loop 'ai-engineer' has no interview 'nope'"],
    ),  # a panel cell that cannot be read hides none of the row's other panel cells
    ("candidate,loop\nAda 🙂,ai-engineer\n", ["line 2, candidate: cannot print '🙂'"]),
    ("candidate,loop\nAda,ai-engineer,extra\n", ["line 2: more cells than the header has columns"]),
    ("candidate,loop\n", ["line 2: no rows"]),
    (
        "candidate,loop,date,start,tz,panel:llm-coding\nBo,ai-engineer,2026-12-03,09:00,UTC,Sam\nCy,ai-engineer,2026-12-03,09:30,UTC,Sam\n",
        ["line 3, panel:llm-coding: Sam is in LLM-applied coding 09:00-09:50 (line 2) and LLM-applied coding 09:30-10:20 (line 3) at once"],
    ),
    ("candidate,loop,date\nBo,ai-engineer,2026-12-03\nBo,ai-engineer,2026-12-03\n", ["line 3, candidate: the same packet as line 2"]),
    (
        "candidate,loop,date,start,tz,email,panel:llm-coding,panel:coding\n"
        "Bo,ai-engineer,2026-12-03,09:00,UTC,,Sam,Lu\nBo,ai-engineer,2026-12-03,09:00,UTC,x,,\n"
        "Cy,ai-engineer,2026-12-03,09:30,UTC,,Sam <sam@,\nDi,ai-engineer,2026-12-03,09:30,UTC,,Sam,\n",
        ["line 2, panel:coding: the loop 'ai-engineer' has no interview 'coding'", "line 3, email: not an e-mail",
         "line 3, candidate: the same packet as line 2", "line 4, panel:llm-coding: the e-mail address",
         "line 5, panel:llm-coding: Sam is in LLM-applied coding 09:00-09:50 (line 2) and LLM-applied coding 09:30-10:20 (line 5) at once"],
    ),  # a row with a wrong cell still clashes with the others, as it will once mended
    (
        "candidate,loop,date,email,id\nZoë Müller,ai-engineer,2026-12-03,zoe@example.com,\n"
        "Zoe Mueller,ai-engineer,2026-12-04,ZOE@example.com,\nZoe M,ai-engineer,2026-12-05,zoe@example.com,zoe-2\n",
        ["line 3, email: ZOE@example.com has the ai-engineer packet of line 2 (zoe-muller-ai-engineer) already"],
    ),  # her name spelled anew is one candidate's second packet; an id given says it is meant
    (
        "candidate,loop,date,email\nJon Smith,ai-engineer,2026-12-03,talent@agency.example\n"
        "John Smith,ai-engineer,2026-12-04,talent@agency.example\n",
        ["line 3, email: talent@agency.example has the ai-engineer packet of line 2 (jon-smith-ai-engineer) "
         "already; for another candidate at this address, give this row a packet id of its own"],
    ),  # two candidates of one agency: an id of its own is the first way out, not one name
]  # fmt: skip  # one CSV per line: the cases read as a table


class TestBadRows:
    @pytest.mark.parametrize(("csv_text", "messages"), BAD)
    def test_every_problem_is_listed_by_line_and_column_and_nothing_is_written(
        self, tmp_path: Path, csv_text: str, messages: list[str]
    ) -> None:
        """Exit 1, each problem on its own line, no output folder."""
        (tmp_path / "c.csv").write_text(csv_text, "utf-8")
        result = run("batch", str(tmp_path / "c.csv"), "-o", str(tmp_path / "out"))
        assert result.exit_code == 1, result.output
        for message in messages:
            assert message in result.output, message
        assert "nothing was written" in result.output
        assert not (tmp_path / "out").exists()

    def test_a_file_that_is_not_utf8_is_refused_with_its_line(self, tmp_path: Path) -> None:
        """Latin-1 bytes from a spreadsheet export are named, not mis-decoded."""
        (tmp_path / "c.csv").write_bytes("candidate,loop\nZoë,ai-engineer\n".encode("latin-1"))
        result = run("batch", str(tmp_path / "c.csv"), "-o", str(tmp_path / "out"))
        assert result.exit_code == 1
        assert "line 2: not UTF-8 text" in result.output


class TestCrashSafety:
    @staticmethod
    def _stop_part_way(tmp_path: Path, how: signal.Signals) -> subprocess.CompletedProcess[str]:
        """Start a 12-row batch on 2 workers and signal its process group after two packets."""
        # a weekday far ahead: no warning about the day shares standard error with the stop
        rows = [f"Candidate {n:02d},ml-engineer,2099-12-03,,UTC" for n in range(12)]
        (tmp_path / "c.csv").write_text(
            "candidate,loop,date,start,tz\n" + "\n".join(rows) + "\n", "utf-8"
        )
        out = tmp_path / "out"
        csv = str(tmp_path / "c.csv")
        command = [sys.executable, "-m", "loopkit", "batch", csv, "-o", str(out), "--jobs", "2"]
        process = subprocess.Popen(
            command,
            cwd=tmp_path,
            start_new_session=True,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if out.is_dir() and len([p for p in out.iterdir() if not p.name.startswith(".")]) >= 2:
                break
            time.sleep(0.02)
        os.killpg(process.pid, how)  # the whole group, as a terminal's Ctrl-C does
        stdout, stderr = process.communicate(timeout=60)
        visible = [p for p in out.iterdir() if not p.name.startswith(".")]
        assert len(visible) > 0
        for folder in visible:
            assert complete(folder), folder.name
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)

    @staticmethod
    def _rerun_finishes(tmp_path: Path) -> None:
        out = tmp_path / "out"
        result = run("batch", str(tmp_path / "c.csv"), "-o", str(out))
        assert result.exit_code == 0, result.output
        finished = [p for p in out.iterdir() if not p.name.startswith(".")]
        assert len(finished) == 12
        assert all(complete(f) for f in finished)
        staging = [p.name for p in out.iterdir() if p.name.startswith(".")]
        assert staging == []  # a killed run's staging folders are cleared

    def test_a_killed_batch_leaves_only_whole_packets_and_a_rerun_finishes(
        self, tmp_path: Path
    ) -> None:
        """SIGKILL part-way: every visible folder is complete; the re-run writes the rest."""
        self._stop_part_way(tmp_path, signal.SIGKILL)
        self._rerun_finishes(tmp_path)

    def test_ctrl_c_stops_cleanly_with_whole_packets_only(self, tmp_path: Path) -> None:
        """SIGINT part-way: exit 130 with one line, no traceback, no staging left; re-run finishes."""
        stopped = self._stop_part_way(tmp_path, signal.SIGINT)
        assert stopped.returncode == 130
        assert re.fullmatch(
            r"interrupted: (1 packet|\d+ packets) written to .*/out/; run the same command again to write the rest",
            stopped.stderr.strip(),
        ), stopped.stderr
        assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []
        self._rerun_finishes(tmp_path)

    def test_render_workers_leave_ctrl_c_to_the_parent(self) -> None:
        """Workers ignore SIGINT, so none is interrupted holding the pool's queue lock."""
        with render_pool(2) as pool:
            handlers = list(pool.map(signal.getsignal, [signal.SIGINT] * 4))
        assert handlers == [signal.SIG_IGN] * 4
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


class TestWorkerErrors:
    def test_an_output_path_that_is_a_file_is_named_even_from_workers(self, tmp_path: Path) -> None:
        """The error raised inside a worker process keeps its message and location."""
        (tmp_path / "c.csv").write_text(GOOD, "utf-8")
        (tmp_path / "out").write_text("not a folder", "utf-8")
        result = run("batch", str(tmp_path / "c.csv"), "-o", str(tmp_path / "out"), "--jobs", "2")
        assert result.exit_code == 2
        assert "--output:" in result.output
        assert "is a file, not a folder" in result.output

    def test_loopkit_errors_survive_pickling_with_their_location(self) -> None:
        """Errors cross process boundaries whole: file, key and hint included."""
        error = pickle.loads(
            pickle.dumps(
                OutputError("is a file", file="a.csv", key="--output", hint="pick a folder")
            )
        )
        assert str(error) == "a.csv: --output: is a file (pick a folder)"
        finding = Finding("f.toml", 3, "LK101", Severity.ERROR, "x", "unknown key")
        assert pickle.loads(pickle.dumps(ValidationFailed([finding]))).findings == [finding]

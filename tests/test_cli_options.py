"""What people type: colour, -q, '-' for standard input, a team's defaults, completion, --help."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loopkit.cli import cli
from tests.helpers import ADA, FILLS, Write, debrief_packet, fill, run

ANSI = "\x1b["
COMMANDS = ("validate", "plan", "packet", "batch", "debrief", "new", "schema")
BROKEN_LOOP = 'id = "x"\n'  # a loop with every required key missing: errors in red


def invoke(
    *args: str | Path, color: bool = False, env: dict[str, str] | None = None, **extra: object
) -> Result:
    """The CLI in-process; ``color=True`` acts as a terminal would (click keeps colours)."""
    runner = CliRunner()
    return runner.invoke(cli, [str(a) for a in args], color=color, env=env, **extra)  # type: ignore[arg-type]


# --- --help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_help_examples_print_on_one_line_at_any_width(command: str) -> None:
    result = invoke(command, "--help", terminal_width=50)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    example = lines[lines.index("  Example:") + 2].strip()
    assert example.startswith(f"loopkit {command} ")
    assert len(example) > 50 or command in ("new", "schema", "batch")  # long ones stay whole
    # the line a user pastes is a whole command: the next line is blank or the options
    following = lines[lines.index("  Example:") + 3]
    assert following == "" or following.startswith("Options")


# --- colour --------------------------------------------------------------------------------------


def test_colour_on_a_terminal_and_never_with_no_color(write: Write) -> None:
    loop = write("loops/x.toml", BROKEN_LOOP)
    assert ANSI in invoke("validate", loop, color=True).output
    assert ANSI not in invoke("validate", loop, color=True, env={"NO_COLOR": "1"}).output
    # NO_COLOR set but empty does not count (no-color.org)
    assert ANSI in invoke("validate", loop, color=True, env={"NO_COLOR": ""}).output


def test_colour_options_win_over_the_terminal_and_no_color(write: Write) -> None:
    loop = write("loops/x.toml", BROKEN_LOOP)
    assert ANSI in invoke("--color", "validate", loop).output  # not a terminal, asked for
    assert ANSI in invoke("--color", "validate", loop, env={"NO_COLOR": "1"}).output
    assert ANSI not in invoke("--no-color", "validate", loop, color=True).output


# --- -q ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_packet_prints_nothing_and_still_writes(here: Path, where: str) -> None:
    args = ["packet", "ai-engineer", *ADA, "-o", "out"]
    result = invoke(*(["-q", *args] if where == "before" else [*args, "-q"]))
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert (here / "out" / "2026-12-03-ada-lovelace-ai-engineer" / "packet.pdf").is_file()


def test_quiet_validate_prints_the_findings_only(write: Write) -> None:
    loop = write("loops/x.toml", BROKEN_LOOP)
    result = invoke("validate", "-q", loop)
    assert result.exit_code == 1
    assert "LK103" in result.output
    assert "checked" not in result.output


def test_quiet_plan_still_prints_the_schedule() -> None:
    result = invoke("plan", "-q", "ai-engineer", "--date", "2026-12-03", "--tz", "UTC")
    assert result.exit_code == 0
    assert "09:30-10:20 UTC" in result.output


# --- '-' for standard input ----------------------------------------------------------------------


def test_validate_reads_standard_input(here: Path) -> None:
    loop = Path(__file__).parents[1] / "loops" / "ai-engineer.toml"
    text = loop.read_text("utf-8")
    assert invoke("validate", "-", input=text).exit_code == 0
    bad = invoke("validate", "-", input=text.replace('kind = "deep-dive"', 'kind = "deep-div"', 1))
    assert bad.exit_code == 1
    assert bad.output.startswith("<stdin>:")
    (here / "-").write_text(text, "utf-8")  # a file named '-' is not standard input
    twice = invoke("validate", "-", "-", loop, str(loop), str(here / "-"), input=text)
    assert twice.exit_code == 0, twice.output
    assert twice.output.startswith("3 files checked:")  # each once, however often given


def test_a_panel_and_a_batch_from_standard_input(here: Path) -> None:
    panel = '[panel]\nllm-coding = ["Sam Lee <sam@example.com>"]\n'
    result = invoke(
        "plan", "ai-engineer", "--panel", "-", "--date", "2026-12-03", "--tz", "UTC", input=panel
    )
    assert result.exit_code == 0, result.output
    assert "LLM-applied coding (50m) - Sam Lee" in result.output
    wrong = invoke("plan", "ai-engineer", "--panel", "-", input="[panel]\nllm-codin = []\n")
    assert wrong.exit_code == 1
    assert "<stdin>" in wrong.output
    csv = "candidate,loop,date,tz\nAda Lovelace,ai-engineer,2026-12-03,UTC\n"
    assert invoke("batch", "-", "-o", "out", input=csv).exit_code == 0
    assert (here / "out" / "2026-12-03-ada-lovelace-ai-engineer" / "loop.lock.toml").is_file()


def test_debrief_reads_a_scorecard_from_standard_input(tmp_path: Path) -> None:
    folder = debrief_packet(tmp_path)
    cards = folder / "scorecards"
    for stem, (recommendation, ratings) in FILLS.items():
        fill(cards / f"{stem}.toml", recommendation, ratings)
    kim = cards / "prompt-engineering-exercise--kim-yu.toml"
    piped = kim.read_text("utf-8")
    kim.unlink()
    result = invoke("debrief", folder, "--scorecard", "-", input=piped)
    assert result.exit_code == 0, result.output
    data = tomllib.loads((folder / "debrief.toml").read_text("utf-8"))
    assert "Kim Yu" in str(data)


# --- a team's defaults ---------------------------------------------------------------------------

SETTINGS = """\
tz = "Europe/London"
candidate_tz = "Asia/Tokyo"
start = "9:00"
paper = "A4"
organizer = "Rita Moreno <rita@example.com>"
output = "packets"
"""


def _packet(folder: Path) -> dict[str, object]:
    """The [packet] table of a packet's lock file."""
    packet: dict[str, object] = tomllib.loads((folder / "loop.lock.toml").read_text("utf-8"))[
        "packet"
    ]
    return packet


def test_loopkit_toml_sets_the_defaults_of_every_option(write: Write, here: Path) -> None:
    write("loopkit.toml", SETTINGS)
    result = CliRunner().invoke(
        cli, ["packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03"]
    )
    assert result.exit_code == 0, result.output
    packet = _packet(here / "packets" / "2026-12-03-ada-lovelace-ai-engineer")
    assert packet["tz"] == "Europe/London"
    assert packet["candidate_tz"] == "Asia/Tokyo"
    assert packet["start"] == "2026-12-03T09:00:00+00:00"  # 9:00 in London, as the file says
    assert packet["paper"] == "a4"
    assert packet["organizer"] == "Rita Moreno <rita@example.com>"


def test_an_option_wins_over_the_file(write: Write, here: Path) -> None:
    write("loopkit.toml", SETTINGS)
    result = run(
        "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03",
        "--tz", "UTC", "--start", "10:00", "--paper", "letter", "-o", "mine",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    packet = _packet(here / "mine" / "2026-12-03-ada-lovelace-ai-engineer")
    assert packet["start"] == "2026-12-03T10:00:00+00:00"
    assert packet["paper"] == "letter"
    assert packet["tz"] == "UTC"


def test_the_file_is_found_from_a_subfolder_and_output_is_beside_it(
    write: Write, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("loopkit.toml", SETTINGS)
    (here / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(here / "a" / "b")
    result = invoke(
        "-q", "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03"
    )
    assert result.exit_code == 0, result.output
    assert (here / "packets" / "2026-12-03-ada-lovelace-ai-engineer").is_dir()


def test_pyproject_tool_loopkit_is_read(write: Write) -> None:
    write(
        "pyproject.toml",
        '[project]\nname = "hiring"\n\n[tool.loopkit]\ntz = "Asia/Kolkata"\nstart = "10:00"\n',
    )
    result = invoke("plan", "ai-engineer", "--date", "2026-12-03")
    assert result.exit_code == 0, result.output
    assert "10:00-10:50 IST" in result.output


def test_a_batch_takes_the_defaults_for_empty_cells(write: Write, here: Path) -> None:
    write("loopkit.toml", SETTINGS)
    write(
        "c.csv",
        "candidate,loop,date,tz\nAda Lovelace,ai-engineer,2026-12-03,\nAlan Turing,ai-engineer,2026-12-03,UTC\n",
    )
    result = invoke("batch", "c.csv")
    assert result.exit_code == 0, result.output
    ada = _packet(here / "packets" / "2026-12-03-ada-lovelace-ai-engineer")
    alan = _packet(here / "packets" / "2026-12-03-alan-turing-ai-engineer")
    assert (ada["tz"], alan["tz"]) == ("Europe/London", "UTC")
    assert ada["organizer"] == alan["organizer"] == "Rita Moreno <rita@example.com>"
    assert ada["paper"] == "a4"


def test_a_warning_about_a_default_names_the_file_it_came_from(write: Write) -> None:
    """An early start from loopkit.toml is the file's, not an --start never given."""
    write("loopkit.toml", 'tz = "UTC"\nstart = "05:30"\n')
    planned = invoke("plan", "ai-engineer", "--date", "2026-12-03")
    assert planned.exit_code == 0, planned.output
    assert "loopkit.toml: start: the candidate's day runs 05:30" in planned.stderr
    assert "--start" not in planned.stderr
    given = invoke("plan", "ai-engineer", "--date", "2026-12-03", "--start", "05:00")
    assert "--start: the candidate's day runs 05:00" in given.stderr
    write(
        "c.csv",
        "candidate,loop,date,start\nAda,ai-engineer,2026-12-03,\nAlan,ai-engineer,2026-12-03,06:00\n",
    )
    batch = invoke("batch", "c.csv", "-o", "out")
    assert batch.exit_code == 0, batch.output
    assert "line 2: loopkit.toml: start: the candidate's day runs 05:30" in batch.stderr
    assert "line 3: start: the candidate's day runs 06:00" in batch.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'tz = "UTC"\nstartt = "9:00"\n',
            "loopkit.toml:2: startt: unknown key (did you mean 'start'?",
        ),
        (
            'tz = "Europe/Lodnon"\n',
            "loopkit.toml:1: tz: unknown time zone 'Europe/Lodnon' (did you mean 'Europe/London'?)",
        ),
        ("\nstart = 930\n", "loopkit.toml:2: start: must be text"),
        ('start = "9.30"\n', "loopkit.toml:1: start: not a time: '9.30'"),
        ('paper = "legal"\n', "loopkit.toml:1: paper: unknown paper size 'legal'"),
        ('organizer = "Rita"\n', "loopkit.toml:1: organizer: not an e-mail address"),
        ('output = ""\n', "loopkit.toml:1: output: is empty"),
        ('tz = "UTC\n', "loopkit.toml:1"),  # TOML syntax
    ],
)
def test_a_bad_settings_file_is_named_by_line_and_key(
    write: Write, text: str, expected: str
) -> None:
    write("loopkit.toml", text)
    result = invoke("plan", "ai-engineer", "--date", "2026-12-03")
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output


def test_a_bad_pyproject_section_is_named(write: Write) -> None:
    write("pyproject.toml", '[project]\nname = "x"\n\n[tool.loopkit]\nzone = "UTC"\n')
    result = invoke("plan", "ai-engineer")
    assert result.exit_code == 1
    assert "pyproject.toml:5: tool.loopkit.zone: unknown key" in result.output


# --- completion ----------------------------------------------------------------------------------


def complete(words: str) -> list[str]:
    """What bash would be offered after ``words`` (the last word is being typed)."""
    parts = words.split(" ")
    env = {
        "_LOOPKIT_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="loopkit")
    return [line.split(",", 1)[1] for line in result.output.splitlines() if "," in line]


def test_completion_of_loops_zones_and_interview_ids(write: Write) -> None:
    write("loops/staff-ai.toml", BROKEN_LOOP)
    assert complete("loopkit packet ") == ["ai-engineer", "ml-engineer", "staff-ai"]
    assert complete("loopkit plan ml") == ["ml-engineer"]
    assert complete("loopkit new x --from s") == ["staff-ai"]
    assert complete("loopkit plan ai-engineer --tz europe/ber") == ["Europe/Berlin"]
    assert "America/Los_Angeles" in complete("loopkit packet ai-engineer --candidate-tz America/Lo")
    assert complete("loopkit packet ai-engineer --interviewer past") == [
        "past-llm-feature-deep-dive="
    ]
    assert complete("loopkit plan no-such-loop --interviewer ") == []


def test_the_readme_shows_how_to_turn_completion_on() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    assert "_LOOPKIT_COMPLETE=bash_source loopkit" in readme
    assert "_LOOPKIT_COMPLETE=zsh_source loopkit" in readme
    assert "_LOOPKIT_COMPLETE=fish_source loopkit" in readme


# --- what people type ----------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["20261203", "2026-W49-4", "2026-12-3"])
def test_a_date_is_written_year_month_day(day: str) -> None:
    result = invoke("plan", "ai-engineer", "--date", day, "--tz", "UTC")
    assert result.exit_code == 2
    assert f"--date: not a date: {day!r}" in result.output


def test_status_without_dir_reads_the_teams_output_folder(write: Write, here: Path) -> None:
    write("loopkit.toml", 'tz = "UTC"\noutput = "packets"\n')
    made = run("packet", "ai-engineer", "--candidate", "王小明", "--date", "2026-12-03")
    assert made.exit_code == 0, made.output
    assert (
        run(
            "packet", "ai-engineer", "--candidate", "Ada Lovelace", "--date", "2026-12-03"
        ).exit_code
        == 0
    )
    lines = run("status").output.splitlines()
    ada = next(line for line in lines if "Ada Lovelace" in line)
    wang = next(line for line in lines if "王小明" in line)

    # columns line up on screen: a Chinese character takes two columns of a terminal
    def column(line: str, text: str) -> int:
        before = line[: line.index(text)]
        return sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in before)

    assert column(ada, "  ai-engineer  ") == column(wang, "  ai-engineer  ")


def test_several_wrong_option_values_are_usage_as_one_is() -> None:
    """Each wrong value named, and exit 2 whether one option is wrong or three."""
    one = invoke("plan", "ai-engineer", "--tz", "Bad/Zone")
    three = invoke("plan", "ai-engineer", "--tz", "Bad/Zone", "--start", "25:00", "--date", "x")
    assert (one.exit_code, three.exit_code) == (2, 2)
    for said in ("--tz: unknown time zone", "--start: not a time", "--date: not a date"):
        assert said in three.output


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell closes the stream")
def test_standard_input_closed_or_left_non_blocking(here: Path) -> None:
    """`validate - <&-` is named (it was an internal error); a pipe its parent left
    non-blocking is waited on until its writer is done, as any pipe is."""
    loopkit = f"{shlex.quote(sys.executable)} -m loopkit"
    closed = subprocess.run(
        f"{loopkit} validate - <&-", shell=True, capture_output=True, text=True, check=False
    )
    assert closed.returncode == 1
    assert "<stdin>: cannot be read: standard input is closed [LK100 error]" in closed.stdout
    reading, writing = os.pipe()
    os.set_blocking(reading, False)
    with subprocess.Popen(
        [sys.executable, "-m", "loopkit", "validate", "-"],
        stdin=reading,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        os.close(reading)
        time.sleep(0.5)  # it reads before anything is written
        os.write(writing, b'[panel]\nllm-coding = ["Sam Lee <sam@example.com>"]\n')
        os.close(writing)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert output == "1 file checked: 0 error(s), 0 warning(s)\n"


def test_every_problem_of_the_options_comes_in_one_run(here: Path) -> None:
    """The addresses, the name and the day of a packet, and a plan's panel file, interviewer
    option and start: each was said only once those before it were mended."""
    packet = invoke(
        "packet", "ai-engineer", "--candidate", "", "--organizer", "bad", "--candidate-email",
        "x@", "--date", "2026-13-01", "--tz", "Bad/Zone", "-o", "out",
    )  # fmt: skip
    assert packet.exit_code == 2, packet.output  # options only: command-line usage
    for line in (
        "--date: not a date: '2026-13-01'",
        "--tz: unknown time zone 'Bad/Zone'",
        "--organizer: not an e-mail address: 'bad'",
        "--candidate-email: the e-mail address in 'x@'",
        "--candidate: the candidate's name is empty",
    ):
        assert line in packet.output, line
    assert not (here / "out").exists()
    plan = invoke(
        "plan", "ai-engineer", "--panel", "nofile.toml", "--interviewer", "llm-coding",
        "--start", "25:00",
    )  # fmt: skip
    assert plan.exit_code == 1, plan.output  # a file at fault: bad input
    for line in (
        "nofile.toml: file not found",
        "--interviewer: expected ID=NAME, got 'llm-coding'",
        "--start: not a time: '25:00'",
    ):
        assert line in plan.output, line


def test_a_pdf_on_standard_input_is_read_as_one(here: Path) -> None:
    """A filled PDF piped in was "not UTF-8 text (byte 10)"; it is read as a PDF, and one
    saved as .toml is named as a PDF."""
    cut = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
    result = invoke("validate", "-", input=cut)
    assert result.exit_code == 1
    assert "<stdin>: is cut short: the PDF does not end as a PDF ends" in result.output
    (here / "card.toml").write_bytes(cut)
    result = invoke("validate", "card.toml")
    assert "card.toml:1: is a PDF, not TOML (a filled PDF scorecard is read from a file" in (
        result.output
    )


@pytest.mark.skipif(not Path("/dev/stdin").exists(), reason="no /dev/stdin")
def test_a_pipe_given_by_its_path_is_named_as_a_pipe(tmp_path: Path) -> None:
    """--scorecard /dev/stdin from a pipe was "/proc/.../pipe:[6597]: file not found"."""
    folder = debrief_packet(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "loopkit", "debrief", str(folder), "--scorecard", "/dev/stdin"],
        input="x = 1\n", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "/dev/stdin: is a pipe, not a file (save what it gives in a file; '-' reads" in (
        result.stdout + result.stderr
    )


@pytest.mark.parametrize("command", [["validate", "-"], ["plan", "ai-engineer", "--panel", "-"]])
def test_an_empty_pipe_is_said_to_be_empty(here: Path, command: list[str]) -> None:
    result = invoke(*command, input="")
    assert result.exit_code == 1
    assert "<stdin>: is empty: nothing came on standard input" in result.output

"""Benchmarks for loopkit: medians over several runs, each beside its floor.

Run it from the repository with the project installed:

    python bench/run.py            # every benchmark, 5 rounds (batch: 3)
    python bench/run.py --quick    # fewer rounds and a 40-row batch
    python bench/run.py --markdown docs/performance.md   # and write the performance page

Every number is a whole command run as a user runs it (a new process),
so interpreter start-up and imports are included on both sides of each
ratio. A command and its floor run in turns, round by round; a ratio is
the median of the rounds' ratios. Nothing here is a pass/fail check: it
prints, and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from loopkit._errors import LoopkitError
from loopkit._load import validate_paths

PY = sys.executable
ROOT = Path(__file__).resolve().parents[1]
# The installed `loopkit` command, as a user runs it (`python -m loopkit` adds runpy).
_SCRIPT = shutil.which("loopkit", path=os.path.dirname(PY))
LOOPKIT = [_SCRIPT] if _SCRIPT else [PY, "-m", "loopkit"]
PANEL = """\
[panel]
llm-coding = ["Sam Lee <sam@example.com>", "Ana Souza", "Lee Chen"]
llm-system-design = ["Priya Raman", "Kim Yu", "Omar Haddad"]
past-llm-feature-deep-dive = ["Jo Park <jo@example.com>", "Mia Rossi"]
prompt-engineering-exercise = ["Noah Berg", "Eva Novak"]
"""
PACKET_ARGS = ["--candidate", "Ada Lovelace", "--date", "2026-12-03", "--tz", "America/New_York"]
PACKET_ARGS += ["--candidate-tz", "Europe/Berlin"]

# Targets: validate within 1.5x of importing its command line and models, a packet
# within 1.3x of plain reportlab drawing the same text, a batch 1.8x faster on two cores.
VALIDATE_TARGET, PACKET_TARGET, BATCH_TARGET = 1.5, 1.3, 1.8

# Broken loops for validate: a built-in loop with lines deleted, cut, duplicated, given
# another value or replaced by garbage, as the property tests make them.
MUTATED = 120
VALUES = ["0", "-1", '""', '"x"', "1e400", "nan", "inf", "true", "[]", "{}", '"1h30"', '"../x"']
VALUES += ["999999999999", '"🙂"']
GARBAGE = "abc xyz 0123456789 []{}=\"'#.,\\\t\x00é🙂"

# Not a floor but a bound: what validate would import if it had no pydantic model
# at all (its command line, errors, and TOML reading with line numbers).
NO_MODELS = (
    "import click, pydantic, pydantic_core, tomllib, difflib, zoneinfo, "
    "loopkit.cli, loopkit._errors, loopkit._source"
)

# Not a floor but a bound: what a packet imports before it draws anything (its
# command line, models, calendar, reportlab's canvas) with the font parsed, and
# no layout engine. No renderer, however fast, could finish a packet sooner.
PACKET_IMPORTS = (
    "import click, pydantic_core, icalendar, tomli_w, reportlab.pdfgen.canvas; "
    "import loopkit.cli, loopkit._load, loopkit._schedule, loopkit._packet; "
    "from loopkit.render.fonts import register; register()"
)

# The floor for the PDF work: plain reportlab drawing the same pages' text, one
# PDF per PDF of the packet, with the same embedded font, and nothing else.
FLOOR = """\
import json, sys
import fontpkg
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
pdfmetrics.registerFont(TTFont("Noto", str(fontpkg.path("Noto Sans"))))
documents = json.load(open(sys.argv[1], encoding="utf-8"))
for n, pages in enumerate(documents):
    canvas = Canvas(f"{sys.argv[2]}/{n}.pdf", invariant=1)
    for page in pages:
        y = 800
        for line in page.splitlines():
            canvas.setFont("Noto", 9)
            canvas.drawString(40, y, line[:140])
            y -= 11
        canvas.showPage()
    canvas.save()
"""

# Not a floor but an explanation: the same text laid out by platypus, which
# loopkit's renderer is built on, one Paragraph per line and a page break per
# page. The distance between this and FLOOR is what platypus itself costs.
PLATYPUS = """\
import json, sys
from xml.sax.saxutils import escape
import fontpkg
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
pdfmetrics.registerFont(TTFont("Noto", str(fontpkg.path("Noto Sans"))))
style = ParagraphStyle("line", fontName="Noto", fontSize=9, leading=11)
documents = json.load(open(sys.argv[1], encoding="utf-8"))
for n, pages in enumerate(documents):
    story = []
    for page in pages:
        story += [Paragraph(escape(line), style) for line in page.splitlines()] + [PageBreak()]
    SimpleDocTemplate(f"{sys.argv[2]}/{n}.pdf", invariant=1).build(story[:-1])
"""

# A packet whose scorecard PDFs are forms (as loopkit writes them) or paper only (as
# before they were forms), run the same way: the cost of the forms, which should stay
# within FORMS_TARGET of the packet without them.
FORMS = """\
import sys
import loopkit.render.scorecard as scorecard
from loopkit.cli import main
if sys.argv[1] == "--paper":
    scorecard.render_scorecard.__kwdefaults__["fillable"] = False  # render workers are forked
sys.argv = ["loopkit", *sys.argv[2:]]
main()
"""
FORMS_TARGET = 1.10


@dataclass(frozen=True)
class Measure:
    """One line of the report: a median in seconds and, beside a floor, the median ratio."""

    name: str
    median: float
    beside: float | None = None
    ratio: float | None = None


def timed(command: list[str], cwd: Path, setup: Callable[[], object] | None = None) -> float:
    """Wall-clock seconds of one run of a command (setup, if given, runs first, untimed)."""
    if setup is not None:
        setup()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}{done.stderr}")
    return elapsed


def in_turns(
    commands: list[list[str]],
    cwd: Path,
    runs: int,
    setup: Callable[[], object] | None = None,
    warm_up: bool = True,
) -> list[list[float]]:
    """Run the commands one after another, ``runs`` rounds; the times of each, round by round.

    A command and its floor are measured in the same rounds, so a slow spell
    of a shared machine lands on both sides of a ratio instead of one. An
    untimed first round (``warm_up``) fills the bytecode cache and the
    operating system's file cache, as earlier runs would have for a user.
    """
    for command in commands if warm_up else []:
        timed(command, cwd, setup)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, spent in zip(commands, times, strict=True):
            spent.append(timed(command, cwd, setup))
    return times


def report(name: str, times: list[float], beside: list[float] | None = None) -> Measure:
    """Print the median, and beside a floor (or reference) the median of the rounds' ratios."""
    value = statistics.median(times)
    if beside is None:
        print(f"{name:<46}{value * 1000:8.0f} ms")
        return Measure(name, value)
    ratio = statistics.median(t / b for t, b in zip(times, beside, strict=True))
    floor = statistics.median(beside)
    print(f"{name:<46}{value * 1000:8.0f} ms   beside {floor * 1000:5.0f} ms   ratio {ratio:.2f}x")
    return Measure(name, value, floor, ratio)


def cjk_fonts(work: Path, packet_cmd: list[str], runs: int) -> dict[str, Measure]:
    """What Chinese, Japanese and Korean fonts cost, and that a packet without them pays nothing.

    fc-list is put behind a wrapper that counts its runs (render workers
    included). A packet with Latin names is timed beside the same packet for
    a Chinese candidate, and run once more with LOOPKIT_CJK_FONT naming a
    file that only starts like a TrueType font: reading it would fail, so the
    packet succeeding shows that no CJK font was loaded.
    """
    real = shutil.which("fc-list")
    calls = work / "fc-list-calls"
    wrapper = work / "fc-bin" / "fc-list"
    wrapper.parent.mkdir()
    run_real = f'exec "{real}" "$@"' if real else "exit 1"  # without fontconfig: fails, as absent
    wrapper.write_text(f'#!/bin/sh\necho run >> "{calls}"\n{run_real}\n', "utf-8")
    wrapper.chmod(0o755)
    header_only = work / "header-only.ttf"
    header_only.write_bytes(b"\x00\x01\x00\x00" + bytes(64))
    latin = ["env", f"PATH={wrapper.parent}{os.pathsep}{os.environ.get('PATH', '')}", *packet_cmd]
    chinese = [*latin[:-2], "--candidate", "王小明", *latin[-2:]]  # the last --candidate wins
    out = work / "out"

    def fresh() -> None:
        shutil.rmtree(out, ignore_errors=True)

    def counted(command: list[str]) -> int:
        calls.unlink(missing_ok=True)
        timed(command, work, fresh)
        return len(calls.read_text("utf-8").splitlines()) if calls.exists() else 0

    latin_calls, chinese_calls = counted(latin), counted(chinese)
    fresh()
    named = subprocess.run(
        ["env", f"LOOPKIT_CJK_FONT={header_only}", *latin], cwd=work, capture_output=True
    )
    latin_times, chinese_times = in_turns([latin, chinese], work, runs, setup=fresh)
    found: dict[str, Measure] = {}
    found["latin"] = report("packet, Latin names (fc-list counted)", latin_times)
    print(f"{'  fc-list runs for it':<46}{latin_calls:8d}")
    print(f"{'  a CJK font named in LOOPKIT_CJK_FONT loaded':<46}{'no' if named.returncode == 0 else 'yes':>8}")  # fmt: skip
    found["chinese"] = report("packet, a Chinese name, beside Latin", chinese_times, latin_times)
    print(f"{'  fc-list runs for it':<46}{chinese_calls:8d}")
    found["latin_calls"] = Measure("fc-list runs, Latin packet", float(latin_calls))
    found["chinese_calls"] = Measure("fc-list runs, Chinese packet", float(chinese_calls))
    # 0: the named font was never loaded; 1: it was (the packet failed on it)
    found["named_read"] = Measure(
        "named CJK font loaded, Latin packet", float(named.returncode != 0)
    )
    return found


def fill_all(packet: Path) -> None:
    """Fill every blank scorecard with fixed values, as interviewers would."""
    for path in sorted((packet / "scorecards").glob("*.toml")):
        text = path.read_text("utf-8").replace("recommendation = 0", "recommendation = 3")
        text = re.sub(r"(?m)^([a-z0-9_-]+) = 0 ", r"\1 = 3 ", text)
        text = re.sub(r'(?m)^([a-z0-9_-]+) = ""$', r'\1 = "Specific, first-hand evidence."', text)
        path.write_text(text, "utf-8")


def mutated_loops(count: int, seed: int = 0) -> list[str]:
    """``count`` built-in loops, each with one to four lines broken (the same ones every run)."""
    rng = random.Random(seed)
    sources = [p.read_text("utf-8") for p in sorted((ROOT / "loops").glob("*.toml"))]
    loops = []
    for _ in range(count):
        lines = rng.choice(sources).splitlines()
        for _ in range(rng.randint(1, 4)):
            if not lines:
                break
            n = rng.randrange(len(lines))
            action = rng.choice(["delete", "truncate", "duplicate", "value", "garbage"])
            if action == "delete":
                del lines[n]
            elif action == "truncate":
                lines[n] = lines[n][: rng.randrange(max(1, len(lines[n])))]
            elif action == "duplicate":
                lines.insert(n, lines[n])
            elif action == "value" and "=" in lines[n]:
                lines[n] = lines[n].split("=", 1)[0] + "= " + rng.choice(VALUES)
            else:
                lines[n] = "".join(rng.choice(GARBAGE) for _ in range(rng.randint(0, 20)))
        loops.append("\n".join(lines) + "\n")
    return loops


def validate_mutated(work: Path, count: int) -> list[float]:
    """Seconds validate takes on each of ``count`` broken loops, in this one process.

    What is timed is the checking (the library call behind ``loopkit validate``),
    not start-up: a pathological input, such as a regular expression that
    backtracks or a nesting that recurses, shows as one slow loop.
    """
    folder = work / "mutated" / "loops"
    folder.mkdir(parents=True)
    paths = []
    for n, text in enumerate(mutated_loops(count)):
        paths.append(folder / f"m{n:03d}.toml")
        paths[-1].write_text(text, "utf-8")
    validate_paths([ROOT / "loops" / "ai-engineer.toml"])  # untimed: builds the validators
    times = []
    for path in paths:
        start = time.perf_counter()
        with contextlib.suppress(LoopkitError):  # a refusal is an answer: only its time matters
            validate_paths([path])
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch-rows", type=int, default=200)
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="3 rounds, a 40-row batch run once")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--markdown", type=Path, metavar="PATH", help="also write the performance page here"
    )
    args = parser.parse_args()
    if args.quick:
        args.runs, args.batch_rows, args.batch_runs = 3, 40, 1
    work = Path(tempfile.mkdtemp(prefix="loopkit-bench-"))
    # Time loopkit as installed: pip compiles a package's bytecode when it
    # installs it, but an editable install under PYTHONDONTWRITEBYTECODE=1
    # would compile loopkit's modules again on every run (about 20 ms each).
    # Every command here caches its bytecode in a folder of the bench's own.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    loop_file = ROOT / "loops" / "ai-engineer.toml"
    measured: dict[str, Measure] = {}
    load_before = os.getloadavg()[0]  # one-minute load: other work competing for the cores
    machine = (
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores"
    )
    print(f"{machine}, {platform.platform()}; medians of {args.runs} rounds\n")

    bare, floor, models, no_models, validate = in_turns(
        [
            [PY, "-c", "pass"],
            [PY, "-c", "import click, pydantic"],
            # pydantic imports lazily: a BaseModel loads what `import pydantic` does not
            # (the reason loopkit's models are dataclasses checked by pydantic-core).
            [PY, "-c", "import click; from pydantic import BaseModel"],
            [PY, "-c", NO_MODELS],
            [*LOOPKIT, "validate", str(loop_file)],
        ],
        work,
        args.runs,
    )
    measured["bare"] = report("interpreter start (python -c pass)", bare)
    measured["floor"] = report("import click, pydantic (the floor)", floor)
    measured["models"] = report("import click; from pydantic import BaseModel", models, floor)
    measured["no_models"] = report("loopkit's CLI and TOML reading, no models", no_models, floor)
    measured["validate"] = report("loopkit validate ai-engineer.toml", validate, floor)

    (work / "panel.toml").write_text(PANEL, "utf-8")
    out = work / "out"
    packet_cmd = [*LOOPKIT, "packet", "ai-engineer", *PACKET_ARGS, "--panel", "panel.toml"]
    packet_cmd += ["-o", "out"]
    timed(packet_cmd, work)  # the floors draw this packet's text
    folder = out / "2026-12-03-ada-lovelace-ai-engineer"
    pdfs = sorted(folder.rglob("*.pdf"))
    documents = [[page.extract_text() for page in PdfReader(p).pages] for p in pdfs]
    (work / "text.json").write_text(json.dumps(documents), "utf-8")
    (work / "floor.py").write_text(FLOOR, "utf-8")
    (work / "platypus.py").write_text(PLATYPUS, "utf-8")
    (work / "floor").mkdir()
    # A packet run again with the same inputs writes nothing; each timed run starts
    # from an empty output folder, so every one builds the whole packet.
    fresh = functools.partial(shutil.rmtree, out, ignore_errors=True)
    pdf_floor, imports, platypus, packet = in_turns(
        [
            [PY, "floor.py", "text.json", "floor"],
            [PY, "-c", PACKET_IMPORTS],
            [PY, "platypus.py", "text.json", "floor"],
            packet_cmd,
        ],
        work,
        args.runs,
        setup=fresh,
    )
    pages = sum(len(d) for d in documents)
    what = f"loopkit packet ({len(pdfs)} PDFs, {pages} pages)"
    measured["pdf_floor"] = report("plain reportlab, same text (the floor)", pdf_floor)
    measured["imports"] = report("a packet's imports and font, nothing drawn", imports, pdf_floor)
    measured["platypus"] = report("the same text laid out by platypus", platypus, pdf_floor)
    measured["packet"] = report(what, packet, pdf_floor)
    measured["packet_platypus"] = report(
        "loopkit packet beside the platypus line", packet, platypus
    )
    (work / "forms.py").write_text(FORMS, "utf-8")
    with_forms, paper_only = in_turns(
        [[PY, "forms.py", flag, *packet_cmd[len(LOOPKIT) :]] for flag in ("--forms", "--paper")],
        work,
        args.runs,
        setup=fresh,
    )
    measured["forms"] = report("packet, form scorecards beside paper ones", with_forms, paper_only)
    (unchanged,) = in_turns([packet_cmd], work, args.runs)
    measured["unchanged"] = report("loopkit packet again, nothing changed", unchanged)
    measured.update({f"cjk_{k}": v for k, v in cjk_fonts(work, packet_cmd, args.runs).items()})
    shutil.rmtree(out, ignore_errors=True)
    timed(packet_cmd, work)  # the packet the revision below starts from

    # A revision where one seat changed (Lee Chen gives way to Rui Costa), in turns with
    # a first build of the same packet: updating must take no longer than building anew.
    (work / "panel2.toml").write_text(PANEL.replace("Lee Chen", "Rui Costa"), "utf-8")
    saved = work / "saved"
    shutil.copytree(out, saved)
    second = [*LOOPKIT, "packet", "ai-engineer", *PACKET_ARGS, "--panel", "panel2.toml"]

    def before_revision() -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(work / "anew", ignore_errors=True)
        shutil.copytree(saved, out)

    update, anew = in_turns(
        [[*second, "-o", "out"], [*second, "-o", "anew"]], work, args.runs, setup=before_revision
    )
    measured["update"] = report("loopkit packet, one seat changed", update, anew)

    fill_all(folder)
    (debrief,) = in_turns([[*LOOPKIT, "debrief", str(folder)]], work, args.runs)
    measured["debrief"] = report("loopkit debrief (10 filled scorecards)", debrief)

    broken = validate_mutated(work, MUTATED)
    measured["mutated"] = report(f"validate, median of {MUTATED} broken loops", broken)
    measured["mutated_max"] = report(f"validate, slowest of {MUTATED} broken loops", [max(broken)])

    rows = ["candidate,loop,date,tz"]
    for n in range(args.batch_rows):
        loop = "ai-engineer" if n % 2 else "ml-engineer"
        rows.append(f"Candidate {n:03d},{loop},2026-12-{1 + n % 28:02d},UTC")
    (work / "rows.csv").write_text("\n".join(rows) + "\n", "utf-8")
    clean = functools.partial(shutil.rmtree, work / "batch", ignore_errors=True)
    batch = [[*LOOPKIT, "batch", "rows.csv", "-o", "batch", "--jobs", str(jobs)] for jobs in (1, 2)]
    # No warm-up round (it would cost a minute): the packet runs have cached
    # every module a batch loads except loopkit._batch itself.
    one, two = in_turns(batch, work, args.batch_runs, setup=clean, warm_up=False)
    measured["batch_1"] = report(f"loopkit batch {args.batch_rows} rows --jobs 1", one)
    measured["batch_2"] = report(f"loopkit batch {args.batch_rows} rows --jobs 2", two)
    speedup = statistics.median(o / t for o, t in zip(one, two, strict=True))
    per_second = args.batch_rows / statistics.median(two)
    name = "batch speed-up, 2 jobs over 1"
    print(f"{name:<46}{speedup:8.2f}x   {per_second:.1f} packets/s with 2 jobs")
    measured["speedup"] = Measure(name, statistics.median(two), ratio=speedup)
    if args.json:
        rows_out = [_as_json(m) for m in measured.values()]
        rows_out[-1]["packets_per_s"] = per_second
        args.json.write_text(json.dumps(rows_out, indent=2) + "\n", "utf-8")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        load = (load_before, os.getloadavg()[0])
        page = performance_page(measured, args, machine, load, len(pdfs), pages, per_second)
        args.markdown.write_text(page, "utf-8")
        print(f"\nwrote {args.markdown}")
    shutil.rmtree(work, ignore_errors=True)


def _as_json(measure: Measure) -> dict[str, object]:
    row: dict[str, object] = {"name": measure.name, "median_s": measure.median}
    if measure.beside is not None:
        row["beside_s"] = measure.beside
    if measure.ratio is not None:
        row["ratio"] = measure.ratio
    return row


# --- the performance page ------------------------------------------------------------------------


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(measure: Measure) -> str:
    return f"{measure.ratio:.2f}x" if measure.ratio is not None else ""


def _target(value: float, target: float, *, at_most: bool = True) -> str:
    met = value <= target if at_most else value >= target
    return f"{target}x: {'met' if met else 'not met'}"


def performance_page(
    m: dict[str, Measure],
    args: argparse.Namespace,
    machine: str,
    load: tuple[float, float],
    pdfs: int,
    pages: int,
    per_second: float,
) -> str:
    """docs/performance.md: this run's tables inside the explanation, which stays as written."""
    command = "python bench/run.py" + (" --quick" if args.quick else "")
    batch = f"{args.batch_rows} rows, {args.batch_runs} run{'s' if args.batch_runs > 1 else ''}"
    kind = "a quick run (`--quick`)" if args.quick else "a full run"
    packet_target = _target(_value(m["packet"].ratio), PACKET_TARGET)
    if _value(m["packet"].ratio) > PACKET_TARGET:
        packet_target += ", and out of reach (below)"
    measured = [
        (
            "`loopkit validate ai-engineer.toml`",
            _time(m["validate"].median),
            f'`python -c "import click, pydantic"`, {_time(m["floor"].median)}',
            _ratio(m["validate"]),
            _target(_value(m["validate"].ratio), VALIDATE_TARGET),
        ),
        (
            f"`loopkit packet` (10 interviewers: {pdfs} PDFs, {pages} pages)",
            _time(m["packet"].median),
            f"plain reportlab drawing the same pages' text, {_time(m['pdf_floor'].median)}",
            _ratio(m["packet"]),
            packet_target,
        ),
        (
            "`loopkit packet` with fillable scorecard PDFs (forms)",
            _time(m["forms"].median),
            f"the same packet with paper-only scorecards, {_time(m['forms'].beside or 0)}",
            _ratio(m["forms"]),
            _target(_value(m["forms"].ratio), FORMS_TARGET),
        ),
        (
            "`loopkit packet` again with nothing changed (nothing is written)",
            _time(m["unchanged"].median),
            "",
            "",
            "",
        ),
        (
            "`loopkit packet` again with one seat changed (a new revision)",
            _time(m["update"].median),
            f"the same packet built anew, {_time(m['update'].beside or 0)}",
            _ratio(m["update"]),
            _target(_value(m["update"].ratio), 1.0),
        ),
        (
            "`loopkit packet` with Latin names: runs of fc-list, and a CJK font named in "
            "`LOOPKIT_CJK_FONT` loaded",
            f"{m['cjk_latin_calls'].median:.0f} runs, "
            + ("loaded" if m["cjk_named_read"].median else "not loaded"),
            "",
            "",
            "nothing: met"
            if m["cjk_latin_calls"].median == 0 and not m["cjk_named_read"].median
            else "nothing: not met",
        ),
        (
            "`loopkit packet` for 王小明 (a TrueType CJK font found and embedded)",
            _time(m["cjk_chinese"].median),
            f"the same packet with Latin names, {_time(m['cjk_chinese'].beside or 0)}",
            _ratio(m["cjk_chinese"]),
            "",
        ),
        ("`loopkit debrief` (10 filled scorecards)", _time(m["debrief"].median), "", "", ""),
        (
            f"`loopkit batch`, {args.batch_rows} rows",
            f"{_time(m['batch_1'].median)} with `--jobs 1`, {_time(m['batch_2'].median)} with `--jobs 2`",
            "",
            f"{_ratio(m['speedup'])} speed-up, {per_second:.1f} packets/s",
            _target(_value(m["speedup"].ratio), BATCH_TARGET, at_most=False),
        ),
        (
            f"`loopkit validate` on {MUTATED} broken loops, in one process",
            f"{_time(m['mutated'].median)} median, {_time(m['mutated_max'].median)} the slowest",
            "",
            "",
            "",
        ),
    ]
    references = [
        (
            '`python -c "import click; from pydantic import BaseModel"`',
            _time(m["models"].median),
            f"{_ratio(m['models'])} of the validate floor",
        ),
        (
            f"loopkit's command line and TOML reading with no model at all (`{NO_MODELS}`)",
            _time(m["no_models"].median),
            f"{_ratio(m['no_models'])} of the validate floor",
        ),
        (
            "what a packet imports before drawing anything, with the font parsed "
            "(`import click, pydantic_core, icalendar, tomli_w, reportlab.pdfgen.canvas`, "
            "loopkit's modules, `register()`)",
            _time(m["imports"].median),
            f"{_ratio(m['imports'])} of the packet floor",
        ),
        (
            "the packet's text laid out by platypus (one Paragraph per line), one process",
            _time(m["platypus"].median),
            f"{_ratio(m['platypus'])} of the packet floor; a whole packet is "
            f"{_ratio(m['packet_platypus'])} of this line",
        ),
    ]
    return _rewrapped(
        PAGE.format(
            command=command,
            kind=kind,
            machine=machine,
            load_before=f"{load[0]:.1f}",
            load_after=f"{load[1]:.1f}",
            runs=args.runs,
            batch=batch,
            measured=_table(["what", "median", "beside", "ratio", "target"], measured),
            references=_table(["reference", "median", "ratio"], references),
            validate_ratio=_ratio(m["validate"]),
            models_ratio=_ratio(m["models"]),
            imports_ratio=_ratio(m["imports"]),
            platypus_ratio=_ratio(m["platypus"]),
            packet_platypus=_ratio(m["packet_platypus"]),
            packet=_time(m["packet"].median),
            under_a_second="holds" if m["packet"].median < 1 else "does not hold in this run",
            speedup=_ratio(m["speedup"]),
            unchanged=_time(m["unchanged"].median),
        )
    )


def _rewrapped(page: str, width: int = 76) -> str:
    """The page with each paragraph and list item filled again, now that the numbers are in."""
    blocks = []
    for block in page.split("\n\n"):
        if block.startswith(("#", "|", "<!--")):
            blocks.append(block)
        elif block.startswith("- "):
            items = [" ".join(item.split()) for item in ("\n" + block).split("\n- ")[1:]]
            blocks.append(
                "\n".join(
                    textwrap.fill(i, width, initial_indent="- ", subsequent_indent="  ")
                    for i in items
                )
            )
        else:
            blocks.append(textwrap.fill(" ".join(block.split()), width))
    return "\n\n".join(blocks).rstrip("\n") + "\n"


def _value(ratio: float | None) -> float:
    assert ratio is not None  # every line the page judges was measured beside something
    return ratio


def _table(header: list[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


PAGE = """\
# Performance

<!-- Written by `{command} --markdown docs/performance.md`; run it again rather than edit. -->

`python bench/run.py` (after installing the project; `--quick` for a short
run) times whole commands in new processes, as a user runs them (the
installed `loopkit` script), and prints medians beside a floor. A command
and its floor run in turns, round by round, after one untimed warm-up
round, and a ratio is the median of the rounds' ratios, so a slow spell of
the machine lands on both sides. Every command keeps its compiled bytecode
in a folder of the bench's own, as an installed package has it, even where
`PYTHONDONTWRITEBYTECODE` is set. Each timed `loopkit packet` starts from
an empty output folder, so it builds the whole packet. The bench never runs
as part of the tests, and nothing in it passes or fails: the targets below
are read from its numbers.

The numbers on this page come from {kind} of `{command}`:
{machine}, medians of {runs} rounds (batch: {batch}). The load average was
{load_before} when the run started and {load_after} when it ended; above
the number of cores, other work competed for them and every time is longer
than on an idle machine. A machine's speed drifts from one run to the next;
ratios, measured in the same rounds as their floor, drift less than times.

## Measured

{measured}

## Where the distance to each floor comes from

Reference lines in the same run:

{references}

**validate** is measured against importing its command line and pydantic:
{validate_ratio} of that floor in this run, for a target of 1.5x. Checking
the loop takes about 15 ms; the rest is start-up, so the ratio moves with
the machine as much as with loopkit. loopkit's models are not pydantic
`BaseModel` classes: importing BaseModel alone is {models_ratio} of the
floor, and building loopkit's models on it took about 85 ms more. The
models are frozen dataclasses whose fields carry pydantic-core schemas,
checked by pydantic-core, the engine BaseModel itself uses (the same
messages; unknown keys are still errors).

**packet** cannot meet 1.3x of its floor with loopkit's dependencies,
whatever the renderer: importing what a packet needs (the command line,
the models, icalendar, reportlab) and parsing the font, with nothing
drawn, already takes {imports_ratio} of the floor, which draws every page.
reportlab's platypus, which loopkit's renderer is built on (tables,
wrapped paragraphs, page templates), costs {platypus_ratio} of the floor
for the same text one paragraph per line, and a whole packet (start-up,
checks, planning, the calendar and every page on two workers) takes
{packet_platypus} of that line. "A packet in well under a second"
{under_a_second}: {packet}. Run again with nothing changed, a packet is
only read and compared, and nothing is written: {unchanged}.

**batch** on two cores: of a 200-row batch that takes about 25 s on an idle
machine, about 0.5 s is serial, so the limit is near 1.98x; this run gave
{speedup}. Other work on the same two cores makes the spread: idle runs of
earlier versions gave 1.64x to 2.08x.

**validate on broken loops** (lines deleted, cut, duplicated, given a wrong
value or replaced by garbage, the same ones every run) is timed in one
process, without start-up: a slow one would be a pathological input, such
as a regular expression that backtracks or nesting that recurses. The tests
check that every such loop ends in a clean, located message; how long that
takes is measured here, where a slow machine cannot fail a test.

## What profiling found, and what was done

Profiling (cProfile, `-X importtime`, timestamps in the workers):

- `validate` runs in about 15 ms; the rest is start-up. `importlib.metadata`
  for `--version` cost about 50 ms, so the version lives in `_version.py`.
  pydantic's `BaseModel` machinery (`pydantic.main`, `pydantic.types` with
  `annotated_types`, the plugin lookup through `importlib.metadata` when a
  validator is built) cost about 55 ms and building the models about 85 ms,
  so the models moved to pydantic-core schemas on dataclasses (creating
  the dataclasses takes about 12 ms). No PDF, calendar or font package,
  and none of pydantic's model machinery, is imported by `validate` or
  `plan`, and `--help` and `--version` load no pydantic at all; tests
  check all three.
- A packet spends about 0.25 s in one process before the workers fork
  (Python, the command line and models; loading and planning the loop,
  about 15 ms; then platypus, whose paragraph module compiles a large
  case-insensitive regular expression on import, and the font), then
  0.3-0.45 s of layout on two forked workers. The parent used to import
  icalendar (about 85 ms) before forking and then wait; it now writes the
  calendar, lock and blank scorecards while the workers render. Escaping
  text through `xml.sax.saxutils` imported `urllib.request` (about 20 ms);
  three `str.replace` calls do the same. The longest task is `packet.pdf`,
  which lays out every interviewer's scorecard again; the other worker
  takes the itinerary and the ten scorecard PDFs. Line breaking was the
  largest layout cost: tables wrap every cell two or three times at the
  same width (4,078 line breaks for 1,687 paragraphs), so a paragraph
  keeps its breaks per width, and text the base font covers is one font
  run without a loop per character. Earlier: one embedded font file
  instead of two (60 ms), no ASCII85 stream encoding, reportlab's C
  accelerators (`rl_accel`), and two render workers. Tried and not kept:
  `gc.freeze()` before forking the workers (a forked worker's first
  collection walks every inherited object; freezing cut a packet's page
  faults from about 29,000 to 23,000, but neither a packet nor an 80-row
  batch got measurably faster).
- A batch spent 1.8 s before any worker started: every row re-read its
  loop and scorecards and serialised its lock file. Each loop is now
  loaded once and a lock is serialised by the worker that writes it;
  checking 200 rows takes 0.05 s. Workers are forked after the PDF stack
  is imported and the font parsed, so none pays that start-up again.
"""


if __name__ == "__main__":
    main()

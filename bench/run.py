"""Benchmarks for loopkit: medians over several runs, each beside its floor.

Run it from the repository with the project installed:

    python bench/run.py            # every benchmark, 5 rounds (batch: 3)
    python bench/run.py --quick    # fewer rounds and a 40-row batch

Every number is a whole command run as a user runs it (a new process),
so interpreter start-up and imports are included on both sides of each
ratio. A command and its floor run in turns, round by round; a ratio is
the median of the rounds' ratios. Nothing here is a pass/fail check: it
prints, and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
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
PACKET_ARGS = ["--candidate", "Ada Lovelace", "--date", "2026-12-03", "--tz", "America/New_York",
               "--candidate-tz", "Europe/Berlin"]  # fmt: skip

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


def timed(command: list[str], cwd: Path, setup: object = None) -> float:
    """Wall-clock seconds of one run of a command (setup, if given, runs first, untimed)."""
    if callable(setup):
        setup()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}{done.stderr}")
    return elapsed


def in_turns(
    commands: list[list[str]], cwd: Path, runs: int, setup: object = None, warm_up: bool = True
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


def report(name: str, times: list[float], beside: list[float] | None = None) -> dict[str, object]:
    """Print the median, and beside a floor (or reference) the median of the rounds' ratios."""
    value = statistics.median(times)
    if beside is None:
        print(f"{name:<46}{value * 1000:8.0f} ms")
        return {"name": name, "median_s": value}
    ratio = statistics.median(t / b for t, b in zip(times, beside, strict=True))
    print(f"{name:<46}{value * 1000:8.0f} ms   beside {statistics.median(beside) * 1000:5.0f} ms"
          f"   ratio {ratio:.2f}x")  # fmt: skip
    return {"name": name, "median_s": value, "beside_s": statistics.median(beside), "ratio": ratio}


def fill_all(packet: Path) -> None:
    """Fill every blank scorecard with fixed values, as interviewers would."""
    for path in sorted((packet / "scorecards").glob("*.toml")):
        text = path.read_text("utf-8").replace("recommendation = 0", "recommendation = 3")
        text = re.sub(r"(?m)^([a-z0-9_-]+) = 0 ", r"\1 = 3 ", text)
        text = re.sub(r'(?m)^([a-z0-9_-]+) = ""$', r'\1 = "Specific, first-hand evidence."', text)
        path.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch-rows", type=int, default=200)
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="3 rounds, a 40-row batch run once")
    parser.add_argument("--json", type=Path, help="also write the results here")
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
    loop_file = Path(__file__).resolve().parents[1] / "loops" / "ai-engineer.toml"
    results = []
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.platform()}; medians of {args.runs} rounds\n")  # fmt: skip

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
    results.append(report("interpreter start (python -c pass)", bare))
    results.append(report("import click, pydantic (the floor)", floor))
    results.append(report("import click; from pydantic import BaseModel", models, floor))
    results.append(report("loopkit's CLI and TOML reading, no models", no_models, floor))
    results.append(report("loopkit validate ai-engineer.toml", validate, floor))

    (work / "panel.toml").write_text(PANEL, "utf-8")
    packet_cmd = [*LOOPKIT, "packet", "ai-engineer", *PACKET_ARGS, "--panel", "panel.toml",
                  "-o", "out", "--force"]  # fmt: skip
    timed(packet_cmd, work)  # the floors draw this packet's text
    folder = work / "out" / "2026-12-03-ada-lovelace-ai-engineer"
    from pypdf import PdfReader

    pdfs = sorted(folder.rglob("*.pdf"))
    documents = [[page.extract_text() for page in PdfReader(p).pages] for p in pdfs]
    (work / "text.json").write_text(json.dumps(documents), "utf-8")
    (work / "floor.py").write_text(FLOOR, "utf-8")
    (work / "platypus.py").write_text(PLATYPUS, "utf-8")
    (work / "floor").mkdir()
    pdf_floor, imports, platypus, packet = in_turns(
        [
            [PY, "floor.py", "text.json", "floor"],
            [PY, "-c", PACKET_IMPORTS],
            [PY, "platypus.py", "text.json", "floor"],
            packet_cmd,
        ],
        work,
        args.runs,
    )
    pages = sum(len(d) for d in documents)
    results.append(report("plain reportlab, same text (the floor)", pdf_floor))
    results.append(report("a packet's imports and font, nothing drawn", imports, pdf_floor))
    results.append(report("the same text laid out by platypus", platypus, pdf_floor))
    results.append(report(f"loopkit packet ({len(pdfs)} PDFs, {pages} pages)", packet, pdf_floor))
    results.append(report("loopkit packet beside the platypus line", packet, platypus))

    fill_all(folder)
    (debrief,) = in_turns([[*LOOPKIT, "debrief", str(folder)]], work, args.runs)
    results.append(report("loopkit debrief (10 filled scorecards)", debrief))

    rows = ["candidate,loop,date,tz"]
    rows += [f"Candidate {n:03d},{'ai-engineer' if n % 2 else 'ml-engineer'},2026-12-{1 + n % 28:02d},UTC"
             for n in range(args.batch_rows)]  # fmt: skip
    (work / "rows.csv").write_text("\n".join(rows) + "\n", "utf-8")
    clean = lambda: shutil.rmtree(work / "batch", ignore_errors=True)  # noqa: E731
    batch = [[*LOOPKIT, "batch", "rows.csv", "-o", "batch", "--jobs", str(jobs)] for jobs in (1, 2)]
    # No warm-up round (it would cost a minute): the packet runs have cached
    # every module a batch loads except loopkit._batch itself.
    one, two = in_turns(batch, work, args.batch_runs, setup=clean, warm_up=False)
    results.append(report(f"loopkit batch {args.batch_rows} rows --jobs 1", one))
    results.append(report(f"loopkit batch {args.batch_rows} rows --jobs 2", two))
    speedup = statistics.median(o / t for o, t in zip(one, two, strict=True))
    per_second = args.batch_rows / statistics.median(two)
    print(f"{'batch speed-up, 2 jobs over 1':<46}{speedup:8.2f}x   {per_second:.1f} packets/s with 2 jobs")  # fmt: skip
    results.append({"name": "batch speed-up", "ratio": speedup, "packets_per_s": per_second})
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

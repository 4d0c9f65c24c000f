"""``loopkit calibrate``: leniency, agreement and alpha, checked against hand sums and a reference."""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import statistics
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
from click.testing import CliRunner

from loopkit._calibrate import (
    MIN_SHARED,
    _alpha,
    _alphas,
    alpha_interval,
    mean_interval,
    ordinal_alpha,
    share_interval,
)
from loopkit.cli import cli
from tests.helpers import FILLS, PANEL, fill, fill_packet, pdf_pages, run

# Six candidates. Each card gives one rating to every competency, so a card's score is that
# rating whatever the competency weights; the hand sums below need nothing from the code.
# Per candidate: Sam (coding), Ana (design), Priya and Jo (deep-dive), Kim (prompting), decision.
RATED: list[tuple[int, int, int, int, int, str]] = [
    (3, 3, 4, 3, 2, "hire"),
    (2, 2, 3, 2, 2, "no-hire"),
    (4, 3, 4, 4, 3, "hire"),
    (1, 2, 2, 1, 1, "no-hire"),
    (3, 4, 4, 3, 3, "hire"),
    (2, 1, 3, 2, 2, "no-hire"),
]
PEOPLE = ["Sam Lee", "Ana Souza", "Priya Raman", "Jo Park", "Kim Yu"]
STEMS = list(FILLS)  # the five seats of PANEL, in PEOPLE's order


def _candidate(here: Path, n: int) -> Path:
    """Candidate n's packet on day n + 1 in here/out, on the panel of here/panel.toml."""
    result = run(
        "packet", "ai-engineer", "--candidate", f"Candidate {n}", "--date", f"2026-12-0{n + 1}",
        "--tz", "UTC", "--panel", here / "panel.toml", "-o", here / "out",
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    return next((here / "out").glob(f"2026-12-0{n + 1}-*"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("calibrate")
    (here / "panel.toml").write_text(PANEL, "utf-8")
    for n, row in enumerate(RATED):
        packet = _candidate(here, n)
        for stem, rating in zip(STEMS, row[:5], strict=True):
            competencies = FILLS[stem][1]
            fill(
                packet / "scorecards" / f"{stem}.toml", rating, dict.fromkeys(competencies, rating)
            )
        assert run("debrief", packet, "--decision", str(row[5])).exit_code == 0
    assert run("calibrate", here / "out").exit_code == 0
    return here / "out"


def _data(folder: Path) -> dict[str, object]:
    return tomllib.loads((folder / "calibration.toml").read_text("utf-8"))


def _interviewers(folder: Path) -> list[dict[str, Any]]:
    raters = _data(folder)["interviewers"]
    assert isinstance(raters, list)
    return raters


def _rater(folder: Path, name: str) -> dict[str, object]:
    raters = _data(folder)["interviewers"]
    assert isinstance(raters, list)
    return next(r for r in raters if r["name"] == name)


@pytest.mark.parametrize("person", range(5))
def test_leniency_is_the_mean_gap_to_the_other_interviewers(folder: Path, person: int) -> None:
    rows = [row[:5] for row in RATED]
    gaps = [r[person] - statistics.mean(r[k] for k in range(5) if k != person) for r in rows]
    leniency = _rater(folder, PEOPLE[person])["leniency"]
    assert isinstance(leniency, dict)
    assert leniency["value"] == pytest.approx(statistics.mean(gaps))
    half = 2.5706 * statistics.stdev(gaps) / len(gaps) ** 0.5  # t(0.975, 5 df)
    assert leniency["low"] == pytest.approx(statistics.mean(gaps) - half)
    assert leniency["high"] == pytest.approx(statistics.mean(gaps) + half)


def test_agreement_with_the_decision_and_the_rating_spread(folder: Path) -> None:
    jo = _rater(folder, "Jo Park")
    # Jo: 3 hire, 2 no, 4 hire, 1 no, 3 hire, 2 no: every recommendation matches
    assert jo["agreement_with_decision"]["value"] == 1.0  # type: ignore[index]
    kim = _rater(folder, "Kim Yu")
    # Kim: 2 (hire: no), 2, 3, 1, 3, 2 -> 5 of 6
    assert kim["agreement_with_decision"]["value"] == pytest.approx(5 / 6)  # type: ignore[index]
    assert kim["recommendations"] == {"1": 1, "2": 3, "3": 2, "4": 0}
    assert kim["ratings"] == {"1": 3, "2": 9, "3": 6, "4": 0}  # 3 competencies per card
    assert kim["scorecards"] == 6


def test_a_decision_counts_once_for_an_interviewer_of_two_interviews(tmp_path: Path) -> None:
    """Sam sits coding and prompting for six candidates, five hired; on two of them one of
    his cards said no. Agreement is over the five decisions (two agreed half), not his ten
    cards; the sixth, not debriefed, is said apart."""
    panel = PANEL.replace('prompt-engineering-exercise = ["Kim Yu"]',
                          'prompt-engineering-exercise = ["Sam Lee <sam@example.com>"]')  # fmt: skip
    (tmp_path / "panel.toml").write_text(panel, "utf-8")
    coding, prompting = FILLS["llm-coding--sam-lee"], FILLS["prompt-engineering-exercise--kim-yu"]
    for n in range(6):
        packet = _candidate(tmp_path, n)
        fills = {stem: fill for stem, fill in FILLS.items() if "kim-yu" not in stem}
        fills["prompt-engineering-exercise--sam-lee"] = (2 if n < 2 else 3, prompting[1])
        fills["llm-coding--sam-lee"] = (3, coding[1])
        fill_packet(packet, fills)
        if n < 5:
            assert run("debrief", packet, "--decision", "hire").exit_code == 0
    result = run("calibrate", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0, result.output
    sam = next(r for r in json.loads(result.stdout)["interviewers"] if r["name"] == "Sam Lee")
    assert sam["scorecards"] == 12
    agreement = sam["agreement_with_decision"]
    assert agreement["n"] == 5
    assert agreement["value"] == pytest.approx((0.5 + 0.5 + 1 + 1 + 1) / 5)
    assert sam["undecided"] == 1
    page = next(p for p in pdf_pages(tmp_path / "out" / "calibration.pdf") if "Sam Lee" in p)
    said = " ".join(page.split())
    text = run("calibrate", tmp_path / "out").output
    assert re.search(r"(?m)^Sam Lee .* 5 \(1 undecided\)$", text), text
    assert text.startswith("6 packets\n")
    assert "decision not counted" not in text
    card = next((tmp_path / "out").glob("2026-12-01-*/scorecards/llm-coding--sam-lee.toml"))
    card.write_text(card.read_text("utf-8").replace("recommendation = 3", "recommendation = 4"))
    text = run("calibrate", tmp_path / "out").output
    stale = "Candidate 0 (2026-12-01-candidate-0-ai-engineer/): changed after it: "
    assert f"decision not counted, debrief stale: {stale}" in text
    assert re.search(r"(?m)^Sam Lee .* 4 \(2 undecided\)$", text), text
    team = " ".join(pdf_pages(tmp_path / "out" / "calibration.pdf")[0].split())
    assert f"Decisions not counted: their debriefs are stale • {stale}" in team
    assert "Based on 5 decided candidates. 1 more of your candidates has no decision from" in said


def test_alpha_of_the_deep_dive_matches_the_reference(folder: Path) -> None:
    interviews = _data(folder)["interviews"]
    assert isinstance(interviews, list)
    deep = next(i for i in interviews if i["id"] == "past-llm-feature-deep-dive")
    priya = [row[2] for row in RATED for _ in range(5)]  # five competencies each
    jo = [row[3] for row in RATED for _ in range(5)]
    expected = krippendorff.alpha(
        reliability_data=np.array([priya, jo], dtype=float),
        level_of_measurement="ordinal",
        value_domain=[1, 2, 3, 4],
    )
    assert deep["alpha"]["value"] == pytest.approx(expected)
    assert deep["alpha"]["low"] <= deep["alpha"]["value"] <= deep["alpha"]["high"]
    assert deep["candidates"] == 6
    coding = next(
        i for i in interviews if i["id"] == "llm-coding"
    )  # one rater: nothing to agree on
    assert coding["alpha"] == {"n": 0, "enough_data": False}


def test_alpha_matches_the_reference_on_random_data_with_missing_ratings() -> None:
    rng = random.Random(7)
    for _ in range(40):
        raters, units = rng.randint(2, 6), rng.randint(5, 60)
        table = np.full((raters, units), np.nan)
        for u in range(units):
            truth = rng.randint(1, 4)
            for r in range(raters):
                if rng.random() < 0.7:
                    table[r, u] = min(4, max(1, truth + rng.choice((-1, 0, 0, 1))))
        ours = ordinal_alpha(
            [[int(v) for v in table[:, u] if not np.isnan(v)] for u in range(units)]
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            reference = krippendorff.alpha(
                reliability_data=table, level_of_measurement="ordinal", value_domain=[1, 2, 3, 4]
            )
        if np.isnan(reference):  # nothing pairable, or every rating alike: no alpha
            assert ours is None
        else:
            assert ours == pytest.approx(reference, abs=1e-9)


def test_the_bootstraps_alphas_at_once_equal_the_formula_one_by_one() -> None:
    """The resamples' alphas are computed as one array: each equals the scalar formula."""
    rng = np.random.default_rng(7)
    half = rng.integers(0, 6, size=(400, 4, 4)).astype(float)
    totals = half + half.transpose(0, 2, 1)  # coincidence matrices are symmetric
    totals[:5] = 0.0  # no pairable values
    totals[5:10] = np.diag([6.0, 0, 0, 0])  # every rating alike
    one_by_one = [_alpha(t.tolist()) for t in totals]
    assert one_by_one[:10] == [None] * 10
    assert _alphas(totals).tolist() == [a for a in one_by_one if a is not None]


def _candidates(seed: int, count: int) -> list[list[list[int]]]:
    """Candidates each rated on four competencies by up to four raters; a candidate's
    competencies move together (one level per candidate), as in one conversation."""
    rng = random.Random(seed)
    candidates = []
    for _ in range(count):
        level = rng.randint(1, 4)
        units = []
        for _ in range(4):
            ratings = [min(4, max(1, level + rng.choice((-1, 0, 0, 1)))) for _ in range(4)]
            units.append(ratings[: rng.randint(1, 4)])  # some missing, some units unpaired
        candidates.append(units)
    return candidates


def test_alphas_interval_is_a_bootstrap_over_the_candidates() -> None:
    """The interval resamples candidates by their pattern of ratings; a plain bootstrap
    (candidates drawn one by one, alpha recomputed over their units) gives the same
    percentiles within its noise, and drawing units instead gives a narrower one."""
    candidates = _candidates(11, 30)
    units = [unit for candidate in candidates for unit in candidate]
    got = alpha_interval(candidates)
    assert got.value == pytest.approx(ordinal_alpha(units), abs=1e-12)
    assert got.n == 30
    rng = random.Random(12)

    def percentiles(draw: Callable[[], list[list[int]]]) -> tuple[float, float]:
        alphas = [a for _ in range(4000) if (a := ordinal_alpha(draw())) is not None]
        low, high = np.percentile(alphas, [2.5, 97.5])
        return float(low), float(high)

    low, high = percentiles(lambda: [u for _ in candidates for u in rng.choice(candidates)])
    assert got.low is not None
    assert got.high is not None
    assert got.low == pytest.approx(low, abs=0.03)
    assert got.high == pytest.approx(high, abs=0.03)
    unit_low, unit_high = percentiles(lambda: [rng.choice(units) for _ in units])
    assert unit_high - unit_low < 0.8 * (high - low)  # the units of a candidate move together
    assert alpha_interval(candidates) == got  # seeded: the same every run
    shuffled = [list(reversed(c)) for c in reversed(candidates)]
    assert alpha_interval(shuffled) == got  # whatever the order


def test_too_few_shared_candidates_is_not_enough_data() -> None:
    assert mean_interval([0.5] * (MIN_SHARED - 1)).value is None
    assert mean_interval([0.5, 0.7, 0.4, 0.6, 0.5]).value == pytest.approx(0.54)
    assert share_interval([True] * (MIN_SHARED - 1)).value is None
    wilson = share_interval([True] * 8 + [False] * 2)
    assert wilson.low == pytest.approx(0.4902, abs=1e-4)
    assert wilson.high == pytest.approx(0.9433, abs=1e-4)


def _t975_by_integration(df: int) -> float:
    """Student's t at 97.5%, found from its density (Simpson's rule) by bisection."""
    scale = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def mass(x: float, steps: int = 2000) -> float:  # from 0 to x
        h = x / steps
        f: list[float] = [
            scale * (1 + (i * h) ** 2 / df) ** (-(df + 1) / 2) for i in range(steps + 1)
        ]
        return h / 3 * (f[0] + f[-1] + 4 * sum(f[1:-1:2]) + 2 * sum(f[2:-1:2]))

    low, high = 1.9, 13.0
    while high - low > 1e-5:
        middle = (low + high) / 2
        low, high = (middle, high) if mass(middle) < 0.475 else (low, middle)
    return (low + high) / 2


@pytest.mark.parametrize("n", [*range(MIN_SHARED, 32), 35, 41, 50, 61, 90, 121, 500])
def test_a_mean_interval_is_students_t_never_narrower(n: int) -> None:
    """The half-width over the standard error is t at n - 1 degrees of freedom: to four
    decimals up to 30, and never less than it beyond."""
    values = [float(i % 3) for i in range(n)]
    got = mean_interval(values)
    assert got.value is not None
    assert got.high is not None
    spread = statistics.stdev(values) / math.sqrt(n)
    t = (got.high - got.value) / spread
    exact = _t975_by_integration(n - 1)
    assert exact - 1e-5 <= t <= exact + (1.5e-4 if n - 1 <= 30 else 0.025)


def test_a_rater_seen_on_few_candidates_gets_not_enough_data(folder: Path, tmp_path: Path) -> None:
    import shutil

    few = tmp_path / "few"
    few.mkdir()
    for packet in sorted(folder.glob("2026-12-0[1-3]-*")):
        shutil.copytree(packet, few / packet.name)
    result = run("calibrate", few)
    assert result.exit_code == 0, result.output
    assert f"not enough data (3 of the {MIN_SHARED} needed)" in result.output
    assert _rater(few, "Sam Lee")["leniency"] == {"n": 3, "enough_data": False}


def test_a_page_of_few_scorecards_says_its_shares_say_little(folder: Path, tmp_path: Path) -> None:
    few = tmp_path / "few"
    few.mkdir()
    for packet in sorted(folder.glob("2026-12-0[1-4]-*")):
        shutil.copytree(packet, few / packet.name)
    assert run("calibrate", few).exit_code == 0
    caution = "With fewer than 5 scorecards, the shares below say little yet."
    pages = [" ".join(p.split()) for p in pdf_pages(few / "calibration.pdf")[1:]]
    assert pages
    assert all(caution in page for page in pages)  # four each
    assert not any(caution in " ".join(p.split()) for p in pdf_pages(folder / "calibration.pdf"))


def test_every_interviewer_gets_a_private_page(folder: Path) -> None:
    pages = pdf_pages(folder / "calibration.pdf")
    assert len(pages) == 1 + len(PEOPLE)
    assert "Past LLM feature deep-dive" in pages[0]
    for name, page in zip(sorted(PEOPLE), pages[1:], strict=True):
        assert name in page
        assert [other for other in PEOPLE if other != name and other in page] == []
        assert f"{name} · private" in page  # whose page it is, at its top
    # the team's page is no one's, and says so at its top
    assert "The team" in pages[0]
    assert "private" not in pages[0]


def test_each_page_has_a_bookmark_to_hand_it_to_its_interviewer(folder: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(folder / "calibration.pdf")
    titles = [entry.title for entry in reader.outline]  # type: ignore[union-attr]
    assert titles == ["The team", *sorted(PEOPLE)]
    pages = [reader.get_destination_page_number(entry) for entry in reader.outline]  # type: ignore[arg-type]
    assert pages == list(range(1 + len(PEOPLE)))


def test_the_same_packets_give_the_same_bytes(folder: Path) -> None:
    before = [(folder / f).read_bytes() for f in ("calibration.toml", "calibration.pdf")]
    assert run("calibrate", folder).exit_code == 0
    assert [(folder / f).read_bytes() for f in ("calibration.toml", "calibration.pdf")] == before


def test_json_is_the_toml(folder: Path) -> None:
    import json

    result = CliRunner().invoke(cli, ["calibrate", str(folder), "--format", "json"])
    assert json.loads(result.stdout) == {**_data(folder), "skipped": []}


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["calibrate", str(tmp_path)])
    assert result.exit_code == 1
    assert "no packets here" in result.output


def test_with_fewer_than_three_peers_a_private_page_shows_none_of_theirs(
    folder: Path, tmp_path: Path
) -> None:
    """Three interviewers: each has two peers, whose figures would be theirs to read off."""
    import shutil

    three = tmp_path / "three"
    shutil.copytree(folder, three)
    for card in three.glob("*/scorecards/*.toml"):
        if card.stem in (STEMS[1], STEMS[4]):  # Ana's and Kim's
            card.unlink()
    result = run("calibrate", three)
    assert result.exit_code == 0, result.output
    pages = pdf_pages(three / "calibration.pdf")
    assert len(pages) == 1 + 3
    for page in pages[1:]:
        assert "Fewer than 3 peers: your peers' are not shown." in page
        assert "peers' median not shown: 2 peers have enough data, fewer than 3" in page
    for page in pdf_pages(folder / "calibration.pdf")[1:]:  # four peers each: shown
        assert "not shown" not in page
        assert re.search(r"peers' median \d+%", page), page


def test_packets_whose_names_differ_only_in_bytes_that_are_not_utf8(
    folder: Path, tmp_path: Path
) -> None:
    """Such names are shown alike (U+FFFD); the packets are still told apart by their path."""
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    odd = tmp_path / "odd"
    odd.mkdir()
    for n, packet in enumerate(sorted(p for p in folder.iterdir() if p.is_dir())):
        shutil.copytree(packet, odd / os.fsdecode(b"p" + bytes([0xF0 + n])), symlinks=True)
    assert run("calibrate", odd).exit_code == 0
    assert _data(odd)["interviews"] == _data(folder)["interviews"]


class TestWhoIsWho:
    """An interviewer is their address: calibrate grouped cards by name alone."""

    @pytest.fixture
    def people(self, tmp_path: Path) -> Path:
        coding = FILLS["llm-coding--sam-lee"][1]
        seats = [
            ("Ada One", "Sam Lee <sam@example.com>", "2026-12-01"),
            ("Bo Two", "Sam Lee <slee@other.example>", "2026-12-02"),
            ("Cy Three", "Samuel Lee <SAM@example.com>", "2026-12-03"),
            ("Di Four", "Eli Moss <eli@example.com>", "2026-12-04"),
            # a shadow beside the interviewer whose card counts (a panel of shadows alone is
            # refused)
            ("Ed Five", "Zed Quinn <zed@example.com>; Eli Moss <eli@example.com> (shadow)", "2026-12-05"),
            ("Fay Six", "Zed Quinn <zed@example.com>; Tom Berg <tom@example.com> (shadow)", "2026-12-06"),
        ]  # fmt: skip  # one packet a line
        for candidate, person, day in seats:
            result = run(
                "packet", "ai-engineer", "--candidate", candidate, "--date", day, "--tz", "UTC",
                "--interviewer", f"llm-coding={person}", "-o", tmp_path / "out",
            )  # fmt: skip  # options beside their values
            assert result.exit_code == 0, result.output
            for card in (tmp_path / "out").glob(f"{day}-*/scorecards/llm-coding--*.toml"):
                fill(card, 3, dict.fromkeys(coding, 3))
        return tmp_path / "out"

    def test_one_address_is_one_person_and_one_name_two_people(self, people: Path) -> None:
        result = run("calibrate", people)
        assert result.exit_code == 0, result.output
        raters = {(r["name"], r["email"]): r for r in _interviewers(people)}
        assert raters[("Samuel Lee", "sam@example.com")]["scorecards"] == 2  # the latest name
        assert raters[("Sam Lee", "slee@other.example")]["scorecards"] == 1
        eli = raters[("Eli Moss", "eli@example.com")]
        assert (eli["shadow"], eli["shadowed"], eli["scorecards"]) == (False, 1, 2)
        tom = raters[("Tom Berg", "tom@example.com")]
        assert (tom["shadow"], tom["shadowed"]) == (True, 1)
        pages = pdf_pages(people / "calibration.pdf")
        (samuel,) = [p for p in pages[1:] if "Samuel Lee" in p]
        assert "slee@other.example" not in samuel
        (eli_page,) = [p for p in pages[1:] if "Eli Moss" in p]
        assert "Eli Moss (shadow)" not in eli_page
        assert "1 of them as a shadow" in eli_page

    def test_two_people_of_one_name_are_told_apart_by_address(self, people: Path) -> None:
        (card,) = people.glob("2026-12-03-*/scorecards/llm-coding--*.toml")
        card.write_text(card.read_text("utf-8").replace("Samuel Lee", "Sam Lee"), "utf-8")
        shutil.rmtree(card.parent.parent)  # Samuel's packet gone: both are Sam Lee now
        result = run("calibrate", people)
        assert result.exit_code == 0, result.output
        assert "Sam Lee <sam@example.com>" in result.output
        assert "Sam Lee <slee@other.example>" in result.output
        titles = [p.splitlines() for p in pdf_pages(people / "calibration.pdf")[1:]]
        assert sum("Sam Lee <sam@example.com>" in " ".join(t) for t in titles) == 1

    def test_a_stale_or_unknown_decision_is_no_decision(self, people: Path) -> None:
        (ada,) = people.glob("2026-12-01-*")
        assert run("debrief", ada, "--allow-missing", "--decision", "hire").exit_code == 0
        debrief = (ada / "debrief.toml").read_text("utf-8")
        (ada / "debrief.toml").write_text(debrief.replace('"hire"', '"maybe"'), "utf-8")
        result = run("calibrate", people)
        assert result.exit_code == 0, result.output
        assert "a decision of 'maybe': hire or no-hire" in result.output  # named, skipped
        json_out = CliRunner().invoke(cli, ["calibrate", str(people), "--format", "json"])
        import json

        skipped = json.loads(json_out.stdout)["skipped"]
        assert [s["folder"] for s in skipped] == [ada.name]
        (ada / "debrief.toml").write_text(debrief, "utf-8")
        card = next(ada.glob("scorecards/llm-coding--*.toml"))
        card.write_text(card.read_text("utf-8").replace("recommendation = 3", "recommendation = 4"))
        assert run("calibrate", people).exit_code == 0  # the debrief is stale now
        sam = next(r for r in _interviewers(people) if r["email"] == "sam@example.com")
        assert sam["agreement_with_decision"]["n"] == 0


@pytest.mark.parametrize(("leniency", "end"), [(0.4, "+1.5"), (2.4, "+2.5"), (-3.0, "+3")])
def test_the_leniency_line_reaches_every_figure_it_draws(leniency: float, end: str) -> None:
    """A leniency of +3.00 was drawn pinned to the +1.5 end, as if it were +1.5."""
    from reportlab.graphics.shapes import String

    from loopkit._calibrate import Interval, Rater
    from loopkit.render.calibration import _line

    def rater(value: float) -> Rater:
        return Rater(
            "X", False, 6, {}, 0, {}, Interval(value, value - 0.1, value + 0.1, 6), Interval(None)
        )

    drawing = _line(rater(leniency), [rater(0.1)], 400)
    ticks = [
        item.text for item in drawing.contents if isinstance(item, String) and item.text != "you"
    ]
    assert ticks[-1] == end, ticks
    assert ticks[0] == "-" + end[1:]


def test_a_trainees_counted_card_is_a_yardstick_and_their_shadow_card_is_not() -> None:
    """Tina shadows the coding interview and interviews prompting for the same candidates:
    she was left out of every peer's comparison, her counted card too; "@kim" (a name)
    was taken for an address."""
    from loopkit._calibrate import calibrate
    from loopkit._status import FolderStatus, Handed, PacketStatus, Sitting, Summary, Taken

    def card(seat: str, interview: str, who: str, score: float, shadow: bool) -> Handed:
        return Handed(f"{seat}.toml", seat, interview, who, 3, {"x": 3}, score, shadow)

    packets = []
    for n in range(MIN_SHARED):
        seats = (
            Taken("c-sam", "coding", "Sam Lee <sam@example.com>", False),
            Taken("c-tina", "coding", "Tina Trainee <tina@example.com> (shadow)", True),
            Taken("p-tina", "prompting", "Tina Trainee <tina@example.com>", False),
            Taken("d-kim", "design", "@kim", False),
        )
        cards = (
            card("c-sam", "coding", "Sam Lee", 3.0, False),
            card("c-tina", "coding", "Tina Trainee", 2.0, True),
            card("p-tina", "prompting", "Tina Trainee", 4.0, False),
            card("d-kim", "design", "@kim", 3.0, False),
        )
        sittings = tuple(
            Sitting(i, i, i, "2026-12-01T12:00:00+00:00") for i in ("coding", "prompting", "design")
        )
        summary = Summary(f"p{n}", f"C{n}", "l", "T", "letter", "2026-12-01", 1, 3.0, sittings, seats,
                          cards, 0, (), "none", "", "", "", {}, {})  # fmt: skip
        packets.append(PacketStatus(f"p{n}", summary, (), Path(f"/p{n}")))
    raters = {r.name: r for r in calibrate(FolderStatus(tuple(packets), ())).raters}
    # Sam 3 against Tina's counted 4 and Kim's 3; Tina's 2 and 4 against Sam's and Kim's 3
    assert raters["Sam Lee"].leniency.value == pytest.approx(-0.5)
    assert raters["Tina Trainee"].leniency.value == pytest.approx(0.0)
    assert (raters["Tina Trainee"].shadow, raters["Tina Trainee"].shadowed) == (False, MIN_SHARED)
    assert raters["@kim"].email == ""


def test_interviews_are_in_the_loops_order_whatever_order_their_cards_came_in() -> None:
    """The first cards read were the deep-dive's: calibrate listed it before the coding."""
    from loopkit._calibrate import calibrate
    from loopkit._status import FolderStatus, Handed, PacketStatus, Sitting, Summary, Taken

    order = ("coding", "design", "deep-dive", "prompting")
    sittings = tuple(Sitting(i, i.title(), i, "2026-12-01T12:00:00+00:00") for i in order)
    seats = tuple(Taken(f"{i}-x", i, f"X <x-{i}@example.com>", False) for i in order)
    cards = tuple(
        Handed(f"{i}-x.toml", f"{i}-x", i, "X", 3, {"c": 3}, 3.0, False)
        for i in ("deep-dive", "prompting", "coding")  # design has no card
    )
    summary = Summary("p", "C", "l", "T", "letter", "2026-12-01", 1, 3.0, sittings, seats, cards,
                      0, (), "none", "", "", "", {}, {})  # fmt: skip
    packet = PacketStatus("p", summary, (), Path("/p"))
    result = calibrate(FolderStatus((packet,), ()))
    assert [a.interview for a in result.interviews] == ["coding", "deep-dive", "prompting"]


def test_each_interviewers_recommendations_beside_their_peers(folder: Path) -> None:
    """How often each recommendation was given, counted by hand from RATED: in the table,
    and on each private page beside the peers' (there are four peers)."""
    from collections import Counter

    output = CliRunner().invoke(cli, ["calibrate", str(folder)]).output
    pages = dict(zip(sorted(PEOPLE), pdf_pages(folder / "calibration.pdf")[1:], strict=True))
    for n, name in enumerate(PEOPLE):
        given = Counter(row[n] for row in RATED)
        counts = " ".join(str(given[k]) for k in (1, 2, 3, 4))
        (line,) = [line for line in output.splitlines() if line.startswith(name)]
        assert f"  {counts}  " in line, (line, counts)
        page = pages[name]
        assert "Your recommendations and your peers'" in page
        shares = [f"{given[k] / len(RATED):.0%}" for k in (1, 2, 3, 4)]
        at = page.index("Your recommendations")
        found = re.findall(r"\d+%", page[at:])[:8]  # yours and the peers', rating by rating
        assert found[0::2] == shares, (name, found, shares)

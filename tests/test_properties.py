"""Property tests: mutated loops never crash, random ratings score like an independent sum."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopkit._data import bundled_dir
from loopkit._debrief import Filled, score
from loopkit._load import read_lock
from loopkit._records import Lock
from loopkit.cli import cli
from tests.helpers import run

LOOPS = {p.stem: p.read_text("utf-8") for p in sorted(bundled_dir("loops").glob("*.toml"))}
VALUES = [
    "0",
    "-1",
    '""',
    '"x"',
    "1e400",
    "nan",
    "inf",
    "true",
    "[]",
    "{}",
    '"1h30"',
    '"../x"',
    "999999999999",
    '"🙂"',
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A built-in loop with a few lines deleted, truncated, duplicated or given another value."""
    lines = LOOPS[draw(st.sampled_from(sorted(LOOPS)))].splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        n = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "truncate", "duplicate", "value", "garbage"]))
        if action == "delete":
            del lines[n]
        elif action == "truncate":
            lines[n] = lines[n][: draw(st.integers(0, max(0, len(lines[n]) - 1)))]
        elif action == "duplicate":
            lines.insert(n, lines[n])
        elif action == "value" and "=" in lines[n]:
            lines[n] = lines[n].split("=", 1)[0] + "= " + draw(st.sampled_from(VALUES))
        else:
            lines[n] = draw(st.text(max_size=20))
    return "\n".join(lines) + "\n"


class TestMutatedLoops:
    @settings(
        max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(text=mutated())
    def test_validate_ends_cleanly(self, tmp_path: Path, text: str) -> None:
        """Any mutation gives exit 0 or a clean exit 1 naming the file, never a crash.

        How long validate takes on mutated loops is measured by bench/run.py, not here:
        a time limit would fail on a slow or busy machine, not on slow code.
        """
        path = tmp_path / "loops" / "m.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8", errors="surrogatepass")
        result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=True)
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert "internal error" not in result.output
        if result.exit_code == 1:
            assert "m.toml" in result.output


@pytest.fixture(scope="module")
def lock(tmp_path_factory: pytest.TempPathFactory) -> Lock:
    folder = tmp_path_factory.mktemp("lock")
    (folder / "panel.toml").write_text(
        '[panel]\nml-coding = ["A", "B"]\nml-system-design = ["C"]\npast-production-model-deep-dive = ["D", "E", "F"]\nbehavioral = ["G"]\n',
        "utf-8",
    )
    result = run(
        "packet", "ml-engineer", "--candidate", "Ada", "--date", "2026-12-03", "--tz", "UTC",
        "--panel", folder / "panel.toml", "-o", folder,
    )  # fmt: skip  # options beside their values
    assert result.exit_code == 0, result.output
    lock, _ = read_lock(folder / "2026-12-03-ada-ml-engineer")
    return lock


RATING = st.one_of(st.integers(1, 4), st.none())  # None is "no signal", as in a checked card


class TestDebriefProperties:
    @settings(max_examples=150, deadline=None)
    @given(data=st.data())
    def test_the_loop_score_equals_an_independent_computation(
        self, lock: Lock, data: st.DataObject
    ) -> None:
        """Random valid ratings: loopkit's score equals a sum written out from the lock here."""
        filled = []
        for interview in lock.interviews:
            competencies = lock.scorecards[interview.scorecard].competencies
            for person in interview.interviewers:
                ratings = {c.id: data.draw(RATING) for c in competencies}
                recommendation = data.draw(st.integers(1, 4))
                filled.append(
                    Filled("f.toml", interview.id, person, True, recommendation, ratings, {}, "")
                )
        result = score(lock, filled)
        expected_parts = []
        for interview in lock.interviews:
            weights = {c.id: c.weight for c in lock.scorecards[interview.scorecard].competencies}
            people = []
            for card in (f for f in filled if f.interview == interview.id):
                rated = {k: v for k, v in card.ratings.items() if v is not None}
                if rated:
                    people.append(
                        sum(weights[k] * v for k, v in rated.items())
                        / sum(weights[k] for k in rated)
                    )
            if people:
                expected_parts.append((interview.weight, sum(people) / len(people)))
        if expected_parts:
            expected = sum(w * s for w, s in expected_parts) / sum(w for w, _ in expected_parts)
            assert result.score == pytest.approx(expected, rel=1e-12)
        else:
            assert result.score is None

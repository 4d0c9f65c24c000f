"""Property tests: random ratings score like an independent sum (mutated files: test_fuzz)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loopkit._debrief import Filled, score
from loopkit._readback import read_lock
from loopkit._records import Lock
from tests.helpers import run


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

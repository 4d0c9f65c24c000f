"""Scoring and checking filled scorecards as values: a lock built by hand, no packet, no CLI."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loopkit._debrief import Filled, check_card, check_cards, not_yet_written, score
from loopkit._documents import FilledDocument
from loopkit._errors import ValidationFailed
from loopkit._models import Competency, ScorecardTemplate
from loopkit._readback import read_filled
from loopkit._records import Lock, LockInterview, LockPacket, LockSeat
from loopkit._scale import bar_text

DIGEST = "sha256:" + "1" * 64  # the lock's hash as the scorecards quote it
EARLIER = "sha256:" + "2" * 64  # an earlier revision's hash that a seat still accepts
ANCHORS = {"1": "a", "2": "b", "3": "c", "4": "d"}


def template(template_id: str, *weights: tuple[str, float]) -> ScorecardTemplate:
    """A scorecard template whose competencies have these ids and weights."""
    competencies = [
        Competency(id=c, name=c.capitalize(), weight=w, look_for="l", anchors=ANCHORS)
        for c, w in weights
    ]
    return ScorecardTemplate(
        id=template_id, title=template_id, purpose="p", prompts=["q"], competencies=competencies
    )


def interview(
    interview_id: str, kind: str, weight: float, scorecard: str, *people: str
) -> LockInterview:
    """A planned interview of the test day with these interviewers."""
    return LockInterview(
        id=interview_id,
        title=interview_id.capitalize(),
        kind=kind,
        weight=weight,
        scorecard=scorecard,
        start="2026-12-03T09:00:00+00:00",
        end="2026-12-03T10:00:00+00:00",
        interviewers=list(people),
    )


def seat(stem: str, interview_id: str, person: str = "", *locks: str) -> LockSeat:
    """One seat of the packet; ``locks`` are earlier hashes its scorecards may carry."""
    return LockSeat(
        stem=stem,
        interview=interview_id,
        interviewer=person,
        fingerprint="sha256:" + "3" * 64,
        locks=list(locks),
    )


# Coding weighs 1 and the deep-dive 3; the bar is 3. Coding rates design (2) and tests (1);
# the deep-dive rates depth (3) and ownership (1). "Design" is unassigned.
LOCK = Lock(
    packet=LockPacket(
        id="ada-t",
        candidate="Ada",
        loop="t",
        title="Test loop",
        variant="other",
        hire_bar=3.0,
        date="2026-12-03",
        tz="UTC",
        candidate_tz="UTC",
        start="2026-12-03T09:00:00+00:00",
        end="2026-12-03T12:00:00+00:00",
        paper="letter",
    ),
    interviews=[
        interview("code", "coding", 1, "code-card", "Sam Lee <sam@example.com>"),
        interview("dive", "deep-dive", 3, "dive-card", "Priya Raman", "Jo Park"),
    ],
    seats=[
        seat("code--sam-lee", "code", "Sam Lee <sam@example.com>", EARLIER),
        seat("dive--priya-raman", "dive", "Priya Raman"),
        seat("dive--jo-park", "dive", "Jo Park"),
    ],
    scorecards={
        "code-card": template("code-card", ("design", 2), ("tests", 1)),
        "dive-card": template("dive-card", ("depth", 3), ("ownership", 1)),
    },
)


def card(
    interview_id: str, who: str, recommendation: int, on_panel: bool = True, **ratings: int | None
) -> Filled:
    """A checked scorecard: None is "no signal"."""
    return Filled(f"{who}.toml", interview_id, who, on_panel, recommendation, ratings, {}, "")


SAM = card("code", "Sam Lee", 3, design=4, tests=2)  # (2*4 + 1*2) / 3
PRIYA = card("dive", "Priya Raman", 4, depth=4, ownership=2)  # (3*4 + 1*2) / 4
JO = card("dive", "Jo Park", 3, depth=2, ownership=4)  # (3*2 + 1*4) / 4
EVERYONE = [SAM, PRIYA, JO]


def result(debrief_cards: list[Filled]) -> tuple[float | None, ...]:
    """Each interview's score, then the loop's."""
    debrief = score(LOCK, debrief_cards)
    return (*(i.score for i in debrief.interviews), debrief.score)


class TestInterviewerScores:
    def test_ratings_are_weighted_by_the_scorecard(self) -> None:
        """An interviewer's score is the competency-weighted mean of their ratings."""
        debrief = score(LOCK, EVERYONE)
        scores = {c.interviewer: c.score for i in debrief.interviews for c in i.cards}
        assert scores == pytest.approx(
            {"Sam Lee": 10 / 3, "Priya Raman": 14 / 4, "Jo Park": 10 / 4}
        )

    def test_no_signal_is_left_out_not_counted_as_zero(self) -> None:
        """design 4 and tests "no signal" is 4, not (2*4 + 1*0) / 3."""
        sam = card("code", "Sam Lee", 3, design=4, tests=None)
        (code, _) = score(LOCK, [sam, PRIYA, JO]).interviews
        assert code.cards[0].score == 4
        assert code.no_signal == ("Tests",)

    def test_a_card_with_no_signal_on_everything_has_no_score(self) -> None:
        """Such a card is kept and flagged, and its interview has no score of its own."""
        sam = card("code", "Sam Lee", 3, design=None, tests=None)
        debrief = score(LOCK, [sam, PRIYA, JO])
        code = debrief.interviews[0]
        assert (code.cards[0].score, code.score) == (None, None)
        assert code.no_signal == ("Design", "Tests")
        assert debrief.score == pytest.approx(3.0)  # the deep-dive alone: (3.5 + 2.5) / 2
        assert "Sam Lee gave no signal on anything in Code" in debrief.flags
        assert "no signal on Design in Code" in debrief.flags


class TestInterviewAndLoopScores:
    def test_an_interview_is_the_mean_of_its_interviewers(self) -> None:
        """Priya 3.5 and Jo 2.5 make the deep-dive 3.0."""
        assert result(EVERYONE)[1] == pytest.approx(3.0)

    def test_the_loop_is_the_interview_weighted_mean(self) -> None:
        """(1 * 10/3 + 3 * 3.0) / 4, unrounded."""
        code, dive, loop = result(EVERYONE)
        assert (code, dive) == pytest.approx((10 / 3, 3.0))
        assert loop == pytest.approx((1 * 10 / 3 + 3 * 3.0) / 4, abs=1e-12)
        assert score(LOCK, EVERYONE).meets_bar is True

    def test_the_order_of_the_cards_does_not_matter(self) -> None:
        """Cards are sorted by interviewer, so any order gives the same result."""
        assert score(LOCK, [JO, SAM, PRIYA]) == score(LOCK, EVERYONE)

    def test_below_the_bar_does_not_meet_it(self) -> None:
        """A loop score under the hire bar is reported as not meeting it."""
        low = [card("code", "Sam Lee", 2, design=2, tests=2), PRIYA, JO]
        debrief = score(LOCK, low)
        assert debrief.score == pytest.approx((2 + 3 * 3.0) / 4)
        assert debrief.meets_bar is False


class TestMissingScorecards:
    def test_a_missing_scorecard_stops_the_debrief(self) -> None:
        """LK135 names who is missing, in which interview, and the blanks left unfilled."""
        with pytest.raises(ValidationFailed) as caught:
            score(LOCK, [SAM, PRIYA], blanks=["scorecards/dive--jo-park.toml"])
        (finding,) = caught.value.findings
        assert (finding.code, finding.file) == ("LK135", "ada-t")
        assert finding.message == (
            "missing scorecards from Jo Park (dive); unfilled blanks: dive--jo-park.toml"
        )
        assert "--allow-missing" in finding.hint

    def test_allow_missing_scores_the_rest_and_marks_it_incomplete(self) -> None:
        """With allow_missing the result exists, says INCOMPLETE first, and uses who is there."""
        debrief = score(LOCK, [SAM, PRIYA], allow_missing=True)
        assert debrief.incomplete is True
        assert debrief.flags[0] == "INCOMPLETE: missing scorecards from Jo Park (dive)"
        assert debrief.interviews[1].missing == ("Jo Park",)
        assert debrief.score == pytest.approx((10 / 3 + 3 * 3.5) / 4)

    def test_an_unassigned_interview_without_a_card_is_missing(self) -> None:
        """Nobody on the panel and no card: the interview is missing "unassigned"."""
        lock = dataclasses.replace(
            LOCK, interviews=[LOCK.interviews[0], interview("dive", "deep-dive", 3, "dive-card")]
        )
        with pytest.raises(ValidationFailed, match=r"missing scorecards from unassigned \(dive\)"):
            score(lock, [SAM])

    def test_nothing_missing_is_complete(self) -> None:
        """Every panel member's card makes a complete debrief."""
        debrief = score(LOCK, EVERYONE)
        assert debrief.incomplete is False
        assert all(i.missing == () for i in debrief.interviews)


class TestFlags:
    def test_recommendations_two_apart_are_a_disagreement(self) -> None:
        """2 and 4 in one interview are flagged there and across the loop."""
        jo = dataclasses.replace(JO, recommendation=2)
        flags = score(LOCK, [SAM, PRIYA, jo]).flags
        assert "disagreement in Dive: recommendations 2 to 4" in flags
        assert "disagreement across the loop: recommendations 2 to 4" in flags

    def test_recommendations_one_apart_are_not(self) -> None:
        """3 and 4 are close enough: no disagreement flag anywhere."""
        assert not [f for f in score(LOCK, EVERYONE).flags if "disagreement" in f]

    def test_a_deep_dive_below_the_bar_is_flagged_but_another_interview_is_not(self) -> None:
        """Only the deep-dive carries the bar on its own; coding under 3 is not flagged."""
        jo = card("dive", "Jo Park", 3, depth=2, ownership=2)  # the deep-dive is (3.5 + 2) / 2
        sam = card("code", "Sam Lee", 3, design=2, tests=2)
        flags = score(LOCK, [sam, PRIYA, jo]).flags
        assert "deep-dive below the bar: Dive scored 2.75 < 3" in flags
        assert not [f for f in flags if "Code scored" in f]

    def test_a_deep_dive_at_the_bar_is_not_flagged(self) -> None:
        """3.0 against a bar of 3 meets it."""
        assert not [f for f in score(LOCK, EVERYONE).flags if "below the bar" in f]

    def test_someone_not_on_the_panel_is_kept_and_flagged(self) -> None:
        """A substitute's card counts, and the flag names them and the interview."""
        lee = card("code", "Lee Chen", 3, on_panel=False, design=4, tests=4)
        debrief = score(LOCK, [SAM, lee, PRIYA, JO])
        assert "Lee Chen was not on the panel for Code" in debrief.flags
        assert debrief.interviews[0].score == pytest.approx((10 / 3 + 4) / 2)


# One deep-dive of four competencies weighted 3, 2, 2, 2, rated by three people, whose mean
# is exactly 2.5: (31/9 + 7/4 + 11/9) / 3. In floating point it came out as 2.4999999999999996.
AT_THE_BAR = [
    card("dive", "Ann", 3, a=2, b=4, c=1, d=4),
    card("dive", "Bo", 3, a=None, b=None, c=3, d=4),
    card("dive", "Cy", 3, a=2, b=1, c=1, d=1),
]


def _one_interview(bar: float, weights: list[float], interview_weight: float = 3) -> Lock:
    """A loop of one deep-dive rated by Ann, Bo and Cy on competencies a, b, c, ..."""
    ids = "abcdefgh"[: len(weights)]
    people = ("Ann", "Bo", "Cy")
    return dataclasses.replace(
        LOCK,
        packet=dataclasses.replace(LOCK.packet, hire_bar=bar),
        interviews=[interview("dive", "deep-dive", interview_weight, "card", *people)],
        seats=[seat(f"dive--{p.lower()}", "dive", p) for p in people],
        scorecards={"card": template("card", *zip(ids, weights, strict=True))},
    )


class TestExactScores:
    def test_a_mean_equal_to_the_bar_meets_it(self) -> None:
        """Three cards averaging exactly 2.5 against a bar of 2.5: not below it, and no
        deep-dive flag."""
        debrief = score(_one_interview(2.5, [3, 2, 2, 2]), AT_THE_BAR)
        (dive,) = debrief.interviews
        assert dive.exact == Fraction(5, 2)
        assert (dive.score, debrief.score) == (2.5, 2.5)
        assert debrief.meets_bar is True
        assert not [f for f in debrief.flags if "below the bar" in f]

    def test_weights_and_bars_are_the_decimals_written(self) -> None:
        """Weights of 0.35, 0.15, 0.25, 0.2 and 0.05 rated 4, 4, 3, 1, 1 are exactly 3 by hand;
        as the floats nearest those decimals they came out below a bar of 3, the deep-dive
        flagged. Cards of 2.8 and 2.6 make exactly 2.7, below the float nearest 2.7."""
        five = _one_interview(3.0, [0.35, 0.15, 0.25, 0.2, 0.05])
        jo = Filled(
            "a.toml",
            "dive",
            "Ann",
            True,
            3,
            dict(zip("abcde", [4, 4, 3, 1, 1], strict=True)),
            {},
            "",
        )
        debrief = score(five, [jo], allow_missing=True)
        assert debrief.exact == 3
        assert debrief.meets_bar is True
        assert not [f for f in debrief.flags if "below the bar" in f]
        ones = _one_interview(2.7, [1, 1, 1, 1, 1])
        two = [
            Filled(
                "a.toml",
                "dive",
                "Ann",
                True,
                3,
                dict(zip("abcde", [3, 3, 3, 2, 3], strict=True)),
                {},
                "",
            ),
            Filled(
                "b.toml",
                "dive",
                "Bo",
                True,
                3,
                dict(zip("abcde", [3, 3, 2, 2, 3], strict=True)),
                {},
                "",
            ),
        ]
        debrief = score(ones, two, allow_missing=True)
        assert debrief.exact == Fraction(27, 10)
        assert debrief.meets_bar is True
        assert not [f for f in debrief.flags if "below the bar" in f]

    @given(
        weights=st.lists(st.integers(1, 9), min_size=4, max_size=4),
        ratings=st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=4, max_size=4),
    )
    def test_whole_weights_give_the_float_nearest_the_exact_score(
        self, weights: list[int], ratings: list[int | None]
    ) -> None:
        """A card's score, divided in integers where its weights are whole, is the float
        nearest the fraction worked out here."""
        lock = _one_interview(3.0, [float(w) for w in weights])
        ann = Filled(
            "a.toml", "dive", "Ann", True, 3, dict(zip("abcd", ratings, strict=True)), {}, ""
        )
        (card,) = score(lock, [ann], allow_missing=True).interviews[0].cards
        parts = [(w, r) for w, r in zip(weights, ratings, strict=True) if r is not None]
        exact = Fraction(sum(w * r for w, r in parts), sum(w for w, _ in parts)) if parts else None
        assert card.score == (None if exact is None else float(exact))

    @given(
        weights=st.lists(
            st.sampled_from([0.1, 0.15, 0.35, 0.45, 1 / 3, 1, 2.5]), min_size=4, max_size=4
        ),
        interview_weight=st.sampled_from([0.1, 0.35, 1 / 3, 2]),
        rating=st.integers(1, 4),
        marks=st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=3, max_size=3),
    )
    def test_ratings_all_at_the_bar_score_the_bar(
        self, weights: list[float], interview_weight: float, rating: int, marks: list[list[bool]]
    ) -> None:
        """Whatever the weights, every rating at the bar scores the bar exactly and meets it;
        and each card's score is the fraction worked out here (each weight as written).
        ``marks`` says which competencies each person rated (the rest "no signal")."""
        lock = _one_interview(float(rating), weights, interview_weight)
        cards = [
            Filled(
                f"{who}.toml",
                "dive",
                who,
                True,
                3,
                dict(zip("abcd", [rating if m else None for m in mine], strict=True)),
                {},
                "",
            )
            for who, mine in zip(("Ann", "Bo", "Cy"), marks, strict=True)
        ]
        debrief = score(lock, cards)
        if not any(any(mine) for mine in marks):
            assert debrief.score is None
            return
        assert debrief.score == rating
        assert debrief.meets_bar is True
        for scored, mine in zip(debrief.interviews[0].cards, marks, strict=True):
            parts = [Fraction(repr(w)) for w, m in zip(weights, mine, strict=True) if m]
            expected = sum(w * rating for w in parts) / sum(parts) if parts else None
            assert scored.score == (None if expected is None else float(expected))


# --- checking one filled scorecard -----------------------------------------------------------

FILLED = """\
packet = "ada-t"
interview = "code"
lock = "{lock}"
seat = "code--sam-lee"
interviewer = "  Sam   Lee "
recommendation = 3
notes = "Strong."

[ratings]
design = 4
tests = " No Signal "

[evidence]
design = "Drew the module boundaries first."
"""


def read(tmp_path: Path, text: str, *replacements: tuple[str, str]) -> FilledDocument:
    """A filled scorecard written to a file and read back as the debrief reads it."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "code--sam-lee.toml"
    path.write_text(text, "utf-8")
    document, findings = read_filled(path)
    assert document is not None, findings
    return document


def filled_text(lock: str = DIGEST) -> str:
    return FILLED.replace("{lock}", lock)


def problems(tmp_path: Path, *replacements: tuple[str, str]) -> list[tuple[str, str, int]]:
    """Code, key and line of each problem check_card finds in the edited scorecard."""
    checked, found = check_card(read(tmp_path, filled_text(), *replacements), LOCK, DIGEST)
    assert checked is None
    return [(f.code, f.key, f.line) for f in found]


class TestCheckCard:
    def test_a_good_card_becomes_a_checked_value(self, tmp_path: Path) -> None:
        """Name spacing normalised, "no signal" as None in any case, evidence for each competency."""
        checked, found = check_card(read(tmp_path, filled_text()), LOCK, DIGEST)
        assert found == []
        assert checked is not None
        assert checked.interviewer == "Sam Lee"
        assert checked.ratings == {"design": 4, "tests": None}
        assert checked.evidence == {"design": "Drew the module boundaries first.", "tests": ""}
        assert (checked.interview, checked.recommendation, checked.notes) == ("code", 3, "Strong.")
        assert checked.on_panel is True

    def test_an_untouched_blank_is_neither_a_card_nor_a_problem(self, tmp_path: Path) -> None:
        """recommendation and every rating still 0, no word written: the interviewer has not
        filled it in. With words and no rating yet, it is a card being filled in."""
        unrated = (
            ("recommendation = 3", "recommendation = 0"),
            ("design = 4", "design = 0"),
            ('tests = " No Signal "', "tests = 0"),
        )
        words = (('"Drew the module boundaries first."', '""'), ('"Strong."', '""'))
        blank = read(tmp_path, filled_text(), *unrated, *words)
        assert check_card(blank, LOCK, DIGEST) == (None, [])
        started = read(tmp_path, filled_text(), *unrated)
        card, found = check_card(started, LOCK, DIGEST)
        assert card is None
        assert [f.key for f in found] == ["recommendation", "ratings.design", "ratings.tests"]
        assert all(not_yet_written(f) for f in found)

    def test_a_card_of_an_earlier_revision_counts_for_its_seat(self, tmp_path: Path) -> None:
        """A hash the seat lists among its earlier locks is as good as the current one."""
        checked, found = check_card(read(tmp_path, filled_text(EARLIER)), LOCK, DIGEST)
        assert (checked is not None, found) == (True, [])

    def test_someone_else_in_a_seat_is_not_on_the_panel(self, tmp_path: Path) -> None:
        """A different name in Sam's seat is kept, marked as not on the panel."""
        doc = read(tmp_path, filled_text(), ('interviewer = "  Sam   Lee "', 'interviewer = "Lee"'))
        checked, _ = check_card(doc, LOCK, DIGEST)
        assert checked is not None
        assert checked.on_panel is False

    @pytest.mark.parametrize(
        ("replacement", "expected"),
        [
            (('packet = "ada-t"', 'packet = "bo-t"'), ("LK132", "packet", 1)),
            (('interview = "code"', 'interview = "lunch"'), ("LK132", "interview", 2)),
            ((DIGEST, EARLIER.replace("2", "9")), ("LK132", "lock", 3)),
        ],
    )
    def test_another_packets_card_stops_at_the_first_mismatch(
        self, tmp_path: Path, replacement: tuple[str, str], expected: tuple[str, str, int]
    ) -> None:
        """Wrong packet, interview or lock: one LK132 at that key, nothing else checked."""
        assert problems(tmp_path, replacement) == [expected]

    def test_a_card_for_a_seat_the_packet_never_had_is_refused(self, tmp_path: Path) -> None:
        """A seat line naming no seat of the packet is an error at that line (stale seats: test_revise)."""
        doc = read(
            tmp_path,
            filled_text(EARLIER.replace("2", "9")),
            ('seat = "code--sam-lee"', 'seat = "code--ana"'),
        )
        _, found = check_card(doc, LOCK, DIGEST)
        assert [f.code for f in found] == ["LK132"]
        assert found[0].message == "no seat 'code--ana' in this packet"
        assert found[0].key == "seat"

    def test_every_problem_of_a_card_is_found_at_once_with_its_line(self, tmp_path: Path) -> None:
        """No name, recommendation 0, a rating out of range, a misspelt and an unknown key."""
        found = problems(
            tmp_path,
            ('interviewer = "  Sam   Lee "', 'interviewer = " "'),
            ("recommendation = 3", "recommendation = 0"),
            ("design = 4", "design = 5"),
            ('tests = " No Signal "', "testz = 3"),
            ("[evidence]", "[evidence]\nstyle = 'x'"),
        )
        assert found == [
            ("LK133", "interviewer", 5),
            ("LK133", "recommendation", 6),
            ("LK133", "ratings.design", 10),
            ("LK133", "ratings.tests", 9),
            ("LK133", "ratings.testz", 11),
            ("LK133", "evidence.style", 14),
        ]

    def test_a_misspelt_rating_is_suggested_and_words_other_than_no_signal_refused(
        self, tmp_path: Path
    ) -> None:
        """The missing competency's hint names the misspelling; "maybe" is not a rating."""
        doc = read(tmp_path, filled_text(), ('tests = " No Signal "', "testz = 3"))
        _, found = check_card(doc, LOCK, DIGEST)
        assert found[0].hint == "is 'testz' a misspelling of it?"
        assert found[1].hint == "did you mean 'tests'?"
        doc = read(tmp_path, filled_text(), ('tests = " No Signal "', 'tests = "maybe"'))
        _, found = check_card(doc, LOCK, DIGEST)
        assert [f.message for f in found] == ["must be 1-4 or \"no signal\", got 'maybe'"]


class TestCheckCards:
    def test_two_cards_from_one_interviewer_for_one_interview_are_an_error(
        self, tmp_path: Path
    ) -> None:
        """LK134 on the second file, naming the first; neither is picked silently."""
        first = read(tmp_path, filled_text())
        second = dataclasses.replace(first, file="again.toml")
        filled, blanks, found = check_cards([first, second], LOCK, DIGEST)
        assert [f.interviewer for f in filled] == ["Sam Lee", "Sam Lee"]
        assert blanks == []
        assert [(f.code, f.file) for f in found] == [("LK134", "again.toml")]
        assert f"(the first is {first.file})" in found[0].message


def test_a_bar_is_shown_as_written_where_rounding_would_move_it() -> None:
    """A bar of 2.141 was printed "the hire bar of 2.14" beside a score of 2.14 below it,
    and 2.75 in the packet as "2.8"."""
    assert (bar_text(3.0, 2), bar_text(2.5, 1)) == ("3.00", "2.5")
    assert (bar_text(2.141, 2), bar_text(2.75, 1), bar_text(2.14, 1)) == ("2.141", "2.75", "2.14")

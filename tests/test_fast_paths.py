"""Every shortcut taken for speed gives what the long way gives.

status and calibrate read thousands of locks and scorecards; the shortcuts
that make that fast (rtoml before tomllib, a lock's hash checked on its
text, C string tests before per-character ones, cached names and folders,
packets read in several processes) are each compared here with the way
they stand in for, on data made to find where they could differ.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import time
import tomllib
import unicodedata
from collections.abc import Callable
from concurrent import futures
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

import loopkit
from loopkit import _status, _workers
from loopkit._data import bundled_dir
from loopkit._debrief import text_hash
from loopkit._errors import LoopkitError, ValidationFailed
from loopkit._glyphs import LAYOUT, cjk_font, hidden, in_base_font, prints_plainly, unprintable
from loopkit._readback import read_lock, whole_lock
from loopkit._records import (
    FilledScorecard,
    Lock,
    as_written,
    file_digest,
    lock_as_written,
    lock_digest,
)
from loopkit._schema import parse_model
from loopkit._source import (
    MAX_DEPTH,
    Source,
    _huge_number,
    _walk,
    display_path,
    files_in,
    loads,
    parse_toml,
    read_file,
)
from loopkit._status import _summary_text as summary_text
from loopkit._status import summarize
from loopkit._workers import worker_pool
from tests.helpers import FILLS, PANEL, debrief_packet, fill, fill_packet, run

ADA = "2026-12-03-ada-lovelace-ai-engineer"


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    """Ada Lovelace's packet, every scorecard blank."""
    return debrief_packet(tmp_path)


def _hidden_slowly(text: str) -> list[str]:
    return sorted(
        {c for c in text if c not in LAYOUT and unicodedata.category(c) in ("Cc", "Cf", "Cs")}
    )


def _unprintable_slowly(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    return list(
        dict.fromkeys(
            c for c in text if c not in LAYOUT and not in_base_font(c) and cjk_font(c) is None
        )
    )


class TestCharacters:
    def test_hidden_finds_every_control_format_and_surrogate_character(self) -> None:
        """Every code point, alone and inside a word: the C test never hides one."""
        for point in range(0x110000):
            char = chr(point)
            assert hidden(char) == _hidden_slowly(char), hex(point)
            assert hidden(f"ab\n{char}\tc") == _hidden_slowly(f"ab\n{char}\tc"), hex(point)

    def test_unprintable_ascii_is_only_the_control_characters(self) -> None:
        for point in range(0x80):
            text = f"Evidence:\n\t{chr(point)} end"
            assert unprintable(text) == _unprintable_slowly(text), hex(point)
            fine = not _hidden_slowly(text) and not _unprintable_slowly(text)
            assert prints_plainly(text) == fine, hex(point)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.integers(0, 0x10FFFF).map(chr), max_size=60).map("".join))  # surrogates too
    def test_on_any_text_the_short_way_agrees(self, text: str) -> None:
        if prints_plainly(text):  # checked no further by a card's check
            assert _hidden_slowly(text) == _unprintable_slowly(text) == []
        assert hidden(text) == _hidden_slowly(text)
        assert unprintable(text) == _unprintable_slowly(text)


# TOML values of every kind the format has, nested, with keys and strings of any script
_KEYS = st.text(min_size=1, max_size=8)
_LEAVES = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-7.5))]))
    | st.dates()
    | st.times()
)
_DATA = st.dictionaries(
    _KEYS,
    st.recursive(
        _LEAVES,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
        max_leaves=20,
    ),
    max_size=6,
)


class TestToml:
    @settings(max_examples=300, deadline=None)
    @given(_DATA)
    def test_any_document_reads_as_tomllib_reads_it(self, data: dict[str, object]) -> None:
        for text in (tomli_w.dumps(data), tomli_w.dumps(data, multiline_strings=True)):
            # repr: the same values of the same classes, in the same order (a date-time's
            # offset class too: rtoml's own compares equal but shows in a message)
            assert repr(loads(text)) == repr(tomllib.loads(text))
            windows = text.replace("\n", "\r\n")  # line ends in multi-line strings too
            assert repr(loads(windows)) == repr(tomllib.loads(windows))

    @pytest.mark.parametrize(
        "text",
        [
            'a = "x',  # a string not closed
            "a = 1\na = 2",  # a key twice
            "[a]\nx = 1\n[a]\n",  # a table twice
            "a = 01",  # a leading zero
            'a = "\\q"',  # an unknown escape
            "a = 1979-02-30",  # no such day
        ],
    )
    def test_a_broken_file_fails_with_tomllibs_located_message(self, text: str) -> None:
        with pytest.raises(tomllib.TOMLDecodeError) as caught:
            loads(text)
        with pytest.raises(tomllib.TOMLDecodeError) as expected:
            tomllib.loads(text)
        assert str(caught.value) == str(expected.value)

    def test_what_only_tomllib_reads_is_read_as_tomllib_reads_it(self) -> None:
        """What rtoml refuses goes to tomllib: a huge float (infinite)."""
        for text in ("a = 1e400", "a = -1e400"):
            assert loads(text) == tomllib.loads(text)

    @pytest.mark.parametrize("line_end", ["\n", "\r\n"])
    def test_a_key_of_thousands_of_parts_is_refused_at_once(self, line_end: str) -> None:
        """tomllib took 14 s and 3.5 GB on such a key: it is never handed one."""
        text = "note = 1" + line_end + ".".join(["a"] * 30_000) + " = 1" + line_end
        started = time.perf_counter()
        with pytest.raises(ValidationFailed) as caught:
            parse_toml(text.encode(), "t.toml")
        assert caught.value.findings[0].message == "TOML is nested too deeply"
        assert time.perf_counter() - started < 1

    def test_every_file_loopkit_writes_reads_as_tomllib_reads_it(self, packet: Path) -> None:
        fill_packet(packet)
        assert run("debrief", packet).exit_code == 0
        bundled = [bundled_dir("loops"), bundled_dir("scorecards")]
        files = sorted(packet.rglob("*.toml"))
        files += [f for folder in bundled for f in sorted(folder.glob("*.toml"))]
        files += sorted((Path(loopkit.__file__).parent / "data").glob("*.toml"))
        assert len(files) > 15  # the packet's, the loops', the scorecards' and the market's
        for file in files:
            text = file.read_text("utf-8")
            assert loads(text) == tomllib.loads(text), file

    def test_a_date_where_text_belongs_is_named_as_it_was_written(self) -> None:
        """rtoml and tomllib give dates of different time zone classes: messages never show it."""
        text = "interviewer = 2026-12-03T09:30:00Z\nnotes = 2026-12-03\nseat = 09:30:00\n"
        messages = [
            [f.message for f in parse_model(FilledScorecard, data, Source("card.toml", text))[1]]
            for data in (loads(text), tomllib.loads(text))
        ]
        assert messages[0] == messages[1]
        assert any("got 2026-12-03T09:30:00+00:00" in m for m in messages[0]), messages[0]

    def test_true_a_text_and_a_nested_date_are_named_as_toml_writes_them(
        self, packet: Path
    ) -> None:
        """Not as Python does (True, datetime.datetime(...)); a recommendation in words gets
        what the numbers mean."""
        card = packet / "scorecards" / "llm-coding--sam-lee.toml"
        text = card.read_text("utf-8").replace("recommendation = 0", 'recommendation = "yes"', 1)
        text = re.sub(r"(?m)^(testing) = 0\b", r"\1 = true", text)
        card.write_text(
            re.sub(r"(?m)^(tool-calling) = 0\b", r"\1 = [2026-12-03T09:30:00+01:00]", text)
        )
        output = run("validate", card).output
        meaning = "(1 strong no, 2 no, 3 yes, 4 strong yes)"
        assert f"recommendation: input should be a valid integer, got 'yes' {meaning}" in output
        card.write_text(card.read_text("utf-8").replace('"yes"', "3", 1), "utf-8")
        output = run("validate", card).output
        assert 'testing: must be 1-4 or "no signal", got true [LK133' in output, output
        assert "got [2026-12-03T09:30:00+01:00]" in output, output

    def test_a_date_as_a_rating_is_named_as_it_was_written(self, packet: Path) -> None:
        card = packet / "scorecards" / "llm-coding--sam-lee.toml"
        text = card.read_text("utf-8").replace("recommendation = 0", "recommendation = 3", 1)
        card.write_text(re.sub(r"(?m)^(testing) = 0\b", r"\1 = 2026-12-03T09:30:00Z", text))
        result = run("validate", card)
        assert 'testing: must be 1-4 or "no signal", got 2026-12-03T09:30:00+00:00' in result.output

    @settings(max_examples=300, deadline=None)
    @given(_DATA)
    def test_a_huge_number_is_found_exactly_where_the_long_walk_finds_one(
        self, data: dict[str, object]
    ) -> None:
        assert _walk(data).huge == (_huge_number(data, ()) is not None)

    @pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**30, -(10**19)])
    def test_a_huge_number_deep_in_a_list_is_found(self, number: int) -> None:
        data = {"a": [{"b": [1, "x", True]}, {"c": [[number]]}]}
        assert _walk(data).huge
        assert _huge_number(data, ()) == ("a", 1, "c", 0, 0)
        assert not _walk({"a": [2**63 - 1, -(2**63), True, 1.0e300]}).huge  # TOML's 64 bits
        assert _huge_number({"a": [2**63 - 1, -(2**63)]}, ()) is None
        read, _ = parse_toml(b"a = -9223372036854775808\nb = 9223372036854775807\n", "t.toml")
        assert read == {"a": -(2**63), "b": 2**63 - 1}

    def test_a_number_past_pythons_digit_limit_is_located(self) -> None:
        """tomllib refuses 4,301 digits with Python's advice to raise a limit: it is named as
        any huge number is, at its line."""
        text = 'a = "1234"\nb = [1, 2]\nc = ' + "9" * 5000 + "\n"
        with pytest.raises(ValidationFailed) as caught:
            parse_toml(text.encode(), "t.toml")
        (finding,) = caught.value.findings
        assert (finding.line, finding.code) == (3, "LK102")
        assert finding.message == "a number too large to be meant"

    def test_data_nested_past_the_limit_is_refused_and_at_it_read(self) -> None:
        """The walk is a loop, not a recursion: it stops deep nesting itself, at MAX_DEPTH."""
        at_limit = "a = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH
        data, _ = parse_toml(at_limit.encode(), "t.toml")
        assert data == tomllib.loads(at_limit)
        for deeper in ("a = [" + at_limit[4:] + "]", "a.a = " + at_limit[4:]):
            with pytest.raises(ValidationFailed) as caught:
                parse_toml(deeper.encode(), "t.toml")
            assert caught.value.findings[0].message == "TOML is nested too deeply"
        data = {"a": [[[1]]]}  # the walk itself finds deeper data from tomllib (1e400 in it)
        for _ in range(MAX_DEPTH - 3):
            data = {"a": data}
        assert not _walk(data).deep  # MAX_DEPTH below the top
        assert _walk({"a": data}).deep


def _without_hash(text: str) -> dict[str, object]:
    data = tomllib.loads(text)
    del data["hash"], data["files"]
    return data


class TestLockText:
    def test_a_lock_as_loopkit_wrote_it_is_known_by_its_text(self, packet: Path) -> None:
        text = (packet / "loop.lock.toml").read_text("utf-8")
        written = tomllib.loads(text)["hash"]
        assert as_written(text, written)
        assert lock_digest(_without_hash(text)) == written  # the long way agrees

    @pytest.mark.parametrize(
        "edit",
        [
            lambda t: t.replace('candidate = "Ada Lovelace"', 'candidate = "Ada Lovelacf"'),
            lambda t: t.replace("weight = 2.0", "weight = 3.0", 1),
            lambda t: t + "\n[extra]\nkey = 1\n",  # a table after the file hashes
            lambda t: t.replace("\n[files]\n", "\n[files]\n[files.more]\n", 1),
            lambda t: t.replace("\n[files]\n", '\n[files]\n"../x" = "sha256:00"\n', 1),
            lambda t: t.replace("# loopkit lock file", "# a lock file", 1),
            lambda t: t.replace("\n", "\r\n"),  # saved on Windows
            lambda t: t.replace("[packet]\n", "[packet]\n\n", 1),  # laid out anew
            lambda t: t.replace('\nhash = "', '\nhash  = "', 1),
        ],
    )
    def test_an_edited_lock_is_judged_as_the_long_way_judges_it(
        self, packet: Path, edit: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        lock = packet / "loop.lock.toml"
        lock.write_text(edit(lock.read_text("utf-8")), "utf-8", newline="")
        short = _verdict(packet)
        monkeypatch.setattr("loopkit._readback.as_written", lambda text, written: False)
        assert short == _verdict(packet)


def _rehashed(text: str) -> str:
    """A lock edited by hand and given the hash of its new text, as loopkit checks it."""
    head, _, rest = text.partition("\n")
    _, _, body = rest.partition("\n")
    cut = body.rfind("\n[files]\n")
    if cut < 0:
        return text
    return f'{head}\nhash = "{file_digest(body[:cut].encode())}"\n{body}'


def _read_both_ways(raw: bytes) -> tuple[tuple[Lock, str] | None, object]:
    """A lock read with its templates kept (None: not read so), and read whole (or why not)."""
    quick = lock_as_written(raw, "loop.lock.toml")
    try:
        whole: object = whole_lock(raw, "loop.lock.toml")
    except (LoopkitError, ValidationFailed) as exc:
        whole = f"refused: {exc}"
    return quick, whole


def _title_over_the_templates(text: str, closed_in_templates: bool) -> str:
    """The [packet] table moved to just before the templates, its title a string over lines
    that a cut there would split: closed on a comment line inside the templates (after a
    template of its own), or on one in the [files] table, which lists no file."""
    body = text.partition("\n[files]\n")[0]
    chunks = re.split(r"(?m)^(?=\[)", body)
    packet = next(c for c in chunks if c.startswith("[packet]"))
    others = [c for c in chunks[1:] if c is not packet]
    first = next(i for i, c in enumerate(others) if c.startswith("[scorecards."))
    packet = re.sub(r"(?m)^title = .*\n", "", packet).rstrip("\n") + '\ntitle = """\n'
    extra = ""
    if closed_in_templates:
        extra = (
            '[scorecards.extra]\nid = "extra"\ntitle = "Extra"\npurpose = "None."\n'
            'prompts = ["Ask."]\n\n[[scorecards.extra.competencies]]\nid = "x"\nname = "X"\n'
            'weight = 1.0\nlook_for = "Y"\n[scorecards.extra.competencies.anchors]\n'
            '1 = "a"\n2 = "b"\n3 = "c"\n4 = "d"\n# """\n'
        )
    rest = "".join(others[first:]).rstrip("\n")
    return f'{chunks[0]}{"".join(others[:first])}{packet}{extra}{rest}\n[files]\n# """\n'


_TABLE_LINES = [
    "[scorecards.extra]",
    "[[scorecards.extra.competencies]]",
    "[scorecards.llm-applied-coding.more]",
    "[scorecards]",
    "[ scorecards.spaced ]",
    "[packet]",
    "[[history]]",
    "[extra]",
    'id = "zz"',
    "scorecards.dotted = 1",
    'note = """',
    "'''",
    '"""',
    "[1, 2],",
    "]",
    "x = [",
]


class TestTemplatesReadOnce:
    """A lock's templates are parsed and checked once per process, and the lock is the same."""

    def test_a_lock_read_with_its_templates_kept_is_the_lock_read_whole(self, packet: Path) -> None:
        raw = (packet / "loop.lock.toml").read_bytes()
        quick, whole = _read_both_ways(raw)
        assert quick is not None
        assert quick == whole
        again, _ = _read_both_ways(raw)  # the templates as kept from the first read
        assert again == whole
        assert again is not None
        assert quick is not None
        card = "llm-applied-coding"
        assert again[0].scorecards[card] is quick[0].scorecards[card]

    def test_templates_edited_in_another_lock_are_that_locks_own(self, packet: Path) -> None:
        text = (packet / "loop.lock.toml").read_text("utf-8")
        old = 'name = "Retrieval and context"'
        edited = _rehashed(text.replace(old, 'name = "Retrieval, and the context"', 1))
        lock_as_written(text.encode(), "loop.lock.toml")  # the first lock's templates, kept
        quick, whole = _read_both_ways(edited.encode())
        assert quick is not None
        assert quick == whole
        names = [c.name for c in quick[0].scorecards["llm-applied-coding"].competencies]
        assert "Retrieval, and the context" in names

    @pytest.mark.parametrize(
        "edit",
        [
            # another table of templates after the history: not left out of the lock
            lambda t: t.replace("\n[files]\n", '\n[scorecards.extra]\nid = "extra"\n\n[files]\n'),
            # a value over lines, with a line in it that looks like a table
            lambda t: t.replace('purpose = "', 'purpose = """\n[packet]\n', 1).replace(
                '."\nprompts', '."""\nprompts', 1
            ),
            lambda t: t.replace("[scorecards.", "[scorecards]\n[scorecards.", 1),
            lambda t: t.replace("\n[[history]]\n", '\n[ scorecards.x ]\nid = "x"\n[[history]]\n'),
            lambda t: t.replace("retired = []", 'scorecards.x.id = "x"\nretired = []', 1),
            # a string opened before the templates, closed inside them or after them
            lambda t: _title_over_the_templates(t, closed_in_templates=True),
            lambda t: _title_over_the_templates(t, closed_in_templates=False),
        ],
    )
    def test_a_lock_laid_out_otherwise_and_hashed_again_reads_as_it_reads_whole(
        self, packet: Path, edit: Callable[[str], str]
    ) -> None:
        text = (packet / "loop.lock.toml").read_text("utf-8")
        edited = _rehashed(edit(text))
        assert edited != text
        quick, whole = _read_both_ways(edited.encode())
        assert quick is None or quick == whole

    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(st.tuples(st.floats(0, 1), st.sampled_from(_TABLE_LINES)), min_size=1, max_size=3)
    )
    def test_any_line_put_anywhere_reads_as_it_reads_whole(
        self, lock_text: str, inserts: list[tuple[float, str]]
    ) -> None:
        lines = lock_text.split("\n")
        for where, line in inserts:
            lines.insert(2 + int(where * (len(lines) - 3)), line)
        quick, whole = _read_both_ways(_rehashed("\n".join(lines)).encode())
        assert quick is None or quick == whole


@pytest.fixture(scope="module")
def lock_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The lock of Ada Lovelace's packet, as loopkit wrote it."""
    return (debrief_packet(tmp_path_factory.mktemp("lock")) / "loop.lock.toml").read_text("utf-8")


def _verdict(packet: Path) -> str:
    try:
        lock, digest = read_lock(packet)
    except (LoopkitError, ValidationFailed) as exc:
        return f"refused: {exc}"
    return f"read: {digest} {lock.packet.candidate} {len(lock.files)} files"


class TestFiles:
    def test_files_in_lists_what_glob_lists(self, tmp_path: Path) -> None:
        for name in ("b.toml", "a.toml", ".hidden.toml", "A.TOML", "c.toml.bak", ".toml"):
            (tmp_path / name).write_text("")
        (tmp_path / "folder.toml").mkdir()
        assert files_in(tmp_path, ".toml") == sorted(tmp_path.glob("*.toml"))
        with pytest.raises(FileNotFoundError):  # a packet's scorecards/ gone is named
            files_in(tmp_path / "missing", ".toml")

    def test_display_path_names_a_file_as_resolving_it_does(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real = tmp_path / "real"
        (real / "cards").mkdir(parents=True)
        (real / "cards" / "a.toml").write_text("")
        (tmp_path / "elsewhere.toml").write_text("")
        (real / "cards" / "link.toml").symlink_to(tmp_path / "elsewhere.toml")
        (tmp_path / "linked").symlink_to(real)
        (tmp_path / "linked-again").symlink_to(tmp_path / "linked")  # a link to a link
        (real / "up").symlink_to("..")  # a relative link, back out of the folder
        (real / "cards" / "deeper").symlink_to(tmp_path / "linked" / "cards")
        monkeypatch.chdir(real)
        for path in (
            Path("cards/a.toml"),
            real / "cards" / "a.toml",
            tmp_path / "linked" / "cards" / "a.toml",
            tmp_path / "linked-again" / "cards" / "a.toml",
            real / "up" / "elsewhere.toml",
            real / "up" / "linked" / "cards" / "deeper" / "a.toml",
            Path("cards/deeper/deeper/a.toml"),
            Path("nowhere/cards/a.toml"),
            tmp_path / "linked" / ".." / "elsewhere.toml",  # .. after a link: the link's parent's
            Path("cards/deeper/../a.toml"),  # .. after a link: its target's parent's
            Path("up/linked/../real/cards/a.toml"),
            real / "cards" / "link.toml",
            Path("cards/../cards/a.toml"),
            tmp_path / "elsewhere.toml",
            Path("cards/missing.toml"),
        ):
            try:
                slow = str(path.resolve().relative_to(Path.cwd().resolve()))
            except ValueError:
                slow = str(path)
            assert display_path(path) == slow, path

    @pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc")
    def test_a_file_that_says_it_is_empty_is_read_whole(self) -> None:
        """/proc files give a size of 0 and hold text: reading stops at the end, not the size."""
        data = read_file(Path("/proc/self/status"), "status")
        assert data.startswith(b"Name:")
        assert data.endswith(b"\n")

    def test_a_file_is_read_to_its_last_byte(self, tmp_path: Path) -> None:
        for size in (0, 1, 4095, 4096, 4097, 65_537):
            file = tmp_path / f"f{size}"
            file.write_bytes(os.urandom(size))
            assert read_file(file, "f") == file.read_bytes()

    @pytest.mark.parametrize("grown", [1, 10, 70_000])
    def test_a_file_that_grew_after_its_size_was_taken_is_read_to_its_end(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grown: int
    ) -> None:
        """The first read asks for the size and a byte more; past that it reads on."""
        file = tmp_path / "card.toml"
        file.write_bytes(os.urandom(100_000))
        fstat = os.fstat

        def smaller(fd: int) -> os.stat_result:
            info = list(fstat(fd))
            info[6] -= grown  # st_size, as it was a moment before
            return os.stat_result(info)

        monkeypatch.setattr(os, "fstat", smaller)
        assert read_file(file, "f") == file.read_bytes()
        assert len(read_file(file, "f", limit=99_999)) == 100_000  # over the limit: one byte more


def _text_hash_slowly(interviewer: str, evidence: dict[str, str], notes: str) -> str:
    words = json.dumps([interviewer, sorted(evidence.items()), notes], ensure_ascii=False)
    return "sha256:" + hashlib.sha256(words.encode("utf-8", "surrogatepass")).hexdigest()


_WORDS = st.text(st.characters() | st.sampled_from('\x7f\x00\n\t"\\'), max_size=40)


class TestWordsHash:
    """A card's words are hashed from their JSON; ASCII text takes the faster encoder."""

    @settings(max_examples=300, deadline=None)
    @given(_WORDS, st.dictionaries(_WORDS, _WORDS, max_size=4), _WORDS)
    def test_any_words_hash_as_the_json_of_them_does(
        self, interviewer: str, evidence: dict[str, str], notes: str
    ) -> None:
        assert text_hash(interviewer, evidence, notes) == _text_hash_slowly(
            interviewer, evidence, notes
        )

    @pytest.mark.parametrize("odd", ["\x7f", "é", "李", "\ud800", "\x00", '"', "\\", "\u2028"])
    def test_one_character_past_plain_ascii_hashes_as_the_json_does(self, odd: str) -> None:
        evidence = {"architecture": "Weighed two stores " * 40, "testing": f"before {odd} after"}
        for args in (("Ana Souza", evidence, "notes"), (f"Ana {odd}", {}, ""), ("", {}, odd)):
            assert text_hash(*args) == _text_hash_slowly(*args)


class TestSummaries:
    def test_a_summary_as_cache_data_is_what_asdict_gives(self, packet: Path) -> None:
        fill_packet(packet)
        summary = summarize(packet)
        assert json.dumps(summary.to_data(), sort_keys=True) == json.dumps(
            dataclasses.asdict(summary), sort_keys=True
        )
        assert _status.Summary.from_data(json.loads(json.dumps(summary.to_data()))) == summary

    @pytest.mark.skipif(sys.platform != "linux", reason="packets are read in forked processes")
    def test_packets_read_in_many_processes_say_what_one_process_says(
        self, here: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        out = _week(here, ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"])
        turing = out / "2026-12-03-alan-turing-ai-engineer"
        fill(turing / "scorecards" / "llm-coding--sam-lee.toml", *FILLS["llm-coding--sam-lee"])
        lock = out / "2026-12-03-grace-hopper-ai-engineer" / "loop.lock.toml"
        lock.write_text(re.sub("Grace Hopper", "Grace Hoppers", lock.read_text("utf-8")))
        monkeypatch.setenv("LOOPKIT_CACHE_DIR", "")  # every packet read, every time
        one = run("status", out, "--now", "2026-12-05T00:00Z", "--format", "json")
        monkeypatch.setattr(_status, "PACKETS_PER_PROCESS", 1)
        pools = _pools_counted(monkeypatch)
        many = run("status", out, "--now", "2026-12-05T00:00Z", "--format", "json")
        assert one.exit_code == many.exit_code == 0, many.output
        assert many.output == one.output
        assert "was changed after the packet was written" in one.output
        cores = len(os.sched_getaffinity(0))
        assert pools == ([min(cores, 4)] if cores > 1 else [])  # four packets, one per process

    @pytest.mark.skipif(sys.platform != "linux", reason="packets are read in forked processes")
    def test_packets_kept_and_packets_read_in_processes_say_what_one_process_says(
        self, here: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Packets looked up a slice at a time, some kept and some read by the processes as they
        are found: each packet is its own, in its place, whichever way it came."""
        names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov"]
        out = _week(here, names)
        monkeypatch.setattr(_status, "SETTLED_NS", 0)  # every packet kept as soon as read
        monkeypatch.setenv("LOOPKIT_CACHE_DIR", str(here / "cache"))
        args = ("status", out, "--now", "2026-12-05T00:00Z", "--format", "json")
        assert run(*args).exit_code == 0  # every packet kept
        turing = out / "2026-12-03-alan-turing-ai-engineer"
        fill(turing / "scorecards" / "llm-coding--sam-lee.toml", *FILLS["llm-coding--sam-lee"])
        liskov = out / "2026-12-03-barbara-liskov-ai-engineer" / "loop.lock.toml"
        liskov.write_text(liskov.read_text("utf-8").replace("Barbara Liskov", "Barbara Lisk"))
        monkeypatch.setenv("LOOPKIT_CACHE_DIR", "")
        one = run(*args)  # every packet read here
        monkeypatch.setenv("LOOPKIT_CACHE_DIR", str(here / "cache"))
        monkeypatch.setattr(_status, "PACKETS_PER_PROCESS", 1)
        monkeypatch.setattr(_status, "_SLICE", 2)  # two packets kept, then two to read, then one
        log = here / "read.log"

        def logged(path: Path) -> tuple[str, str]:  # in whichever process reads the packet
            with log.open("a", encoding="utf-8") as file:
                file.write(path.name + "\n")
            return summary_text(path)

        monkeypatch.setattr(_status, "_summary_text", logged)
        pools = _pools_counted(monkeypatch)
        many = run(*args)
        assert many.exit_code == one.exit_code == 0, many.output
        assert many.output == one.output
        assert "was changed after the packet was written" in one.output
        assert sorted(log.read_text("utf-8").split()) == [turing.name, liskov.parent.name]
        assert pools == ([2] if len(os.sched_getaffinity(0)) > 1 else [])


def _week(here: Path, names: list[str]) -> Path:
    """A folder of AI-engineer packets, one per name, Ada Lovelace's scorecards filled."""
    (here / "panel.toml").write_text(PANEL, "utf-8")
    out = here / "out"
    for name in names:
        result = run(
            "packet", "ai-engineer", "--candidate", name, "--date", "2026-12-03",
            "--tz", "UTC", "--panel", here / "panel.toml", "-o", out,
        )  # fmt: skip  # options beside their values
        assert result.exit_code == 0, result.output
    fill_packet(out / ADA)
    return out


def _pools_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of workers of each pool loopkit starts from now on, as they start."""
    pools: list[int] = []

    def counted(workers: int) -> futures.ProcessPoolExecutor:
        pools.append(workers)
        return worker_pool(workers)

    monkeypatch.setattr(_workers, "worker_pool", counted)
    return pools

"""The TOML line scanner behind every file:line."""

from __future__ import annotations

from loopkit._source import format_loc, scan_lines


class TestScanLines:
    def test_maps_tables_arrays_of_tables_and_inline_keys(self) -> None:
        """Headers, keys, [[array]] indexes and inline-table keys get their lines."""
        text = 'id = "x"\nlength = { min = "1h", max = "2h" }\n\n[breaks]\nbetween = "5m"\n\n[[interviews]]\nid = "a"\n\n[[interviews]]\nid = "b"\nfocus = [\n  "x = y",\n]\nweight = 1\n'
        lines = scan_lines(text)
        assert lines[("id",)] == 1
        assert lines[("length", "max")] == 2
        assert lines[("breaks", "between")] == 5
        assert lines[("interviews", 0, "id")] == 8
        assert lines[("interviews", 1, "id")] == 11
        assert lines[("interviews", 1, "weight")] == 15
        assert ("interviews", 1, "x") not in lines  # text inside a multi-line array is not a key

    def test_skips_multiline_strings(self) -> None:
        """A key-like line inside a triple-quoted string is not a key."""
        lines = scan_lines('a = """\nb = 1\n"""\nc = 2\n')
        assert ("b",) not in lines
        assert lines[("c",)] == 4

    def test_format_loc_reads_like_a_user_path(self) -> None:
        """Locations print as interviews[1].weight."""
        assert format_loc(("interviews", 1, "weight")) == "interviews[1].weight"

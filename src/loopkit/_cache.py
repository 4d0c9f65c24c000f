"""A cache of packet summaries, keyed by what the file system says of their files.

``status``, ``report`` and ``calibrate`` read every packet of a folder; most
packets have not changed since the last time. A summary is stored under a
digest of each file's inode, size, modification and change times (and of
loopkit's version; see ``_status.packet_key``), so any write to a file gives
another key and the packet is read again: the cache can make a command
faster, never different. It lives in the user's cache folder
(``$XDG_CACHE_HOME/loopkit``, or ``LOOPKIT_CACHE_DIR``), and when it cannot be
opened or read the commands simply run without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

_BATCH = 500  # keys per query: well under SQLite's limit on bound parameters
# Summaries kept: any write to a packet gives it a new key, so the oldest stored are let
# go. About 5 kB each (ten scorecards): at most about 100 MB, four folders of 5,000 packets.
KEEP = 20_000


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    """Where the cache lives; None when it is turned off (``LOOPKIT_CACHE_DIR=""``)."""
    if "LOOPKIT_CACHE_DIR" in environ:
        chosen = environ["LOOPKIT_CACHE_DIR"]
        return Path(chosen) if chosen else None
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "loopkit"


class SummaryCache:
    """Packet summaries by content digest, in one SQLite file."""

    def __init__(self, folder: Path | None) -> None:
        self._connection: sqlite3.Connection | None = None
        if folder is None:
            return
        with contextlib.suppress(OSError, sqlite3.Error):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            connection = sqlite3.connect(folder / "summaries.sqlite", timeout=5)
            connection.execute(
                "CREATE TABLE IF NOT EXISTS summary (key TEXT PRIMARY KEY, data TEXT NOT NULL)"
            )
            self._connection = connection

    def get(self, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The summaries stored under ``keys``; a key not there, or unreadable, is left out.

        Each is stored with a digest of its key and text: a row changed in any
        way since loopkit wrote it (damage, a hand edit) is left out, and its
        packet read again, instead of a summary of the wrong shape.
        """
        found: dict[str, dict[str, Any]] = {}
        for key, row in self._rows(keys):
            if not isinstance(row, str):  # a BLOB or a number put there by hand
                continue
            seal, _, text = row.partition(" ")
            if seal != _seal(key, text):
                continue
            with contextlib.suppress(ValueError):
                data = json.loads(text)
                if isinstance(data, dict):
                    found[key] = data
        return found

    def _rows(self, keys: Sequence[str]) -> Iterator[tuple[str, object]]:
        if self._connection is None:
            return
        try:
            for start in range(0, len(keys), _BATCH):
                chunk = keys[start : start + _BATCH]
                marks = ",".join("?" * len(chunk))
                yield from self._connection.execute(
                    f"SELECT key, data FROM summary WHERE key IN ({marks})", chunk
                )
        except sqlite3.Error:
            return  # a damaged cache file: read everything instead

    def put(self, summaries: Mapping[str, str]) -> None:
        """Store summaries, each as JSON text (``json.dumps``, which escapes a file name's
        lone surrogates: SQLite refuses them); a cache that cannot be written is left as it is."""
        if self._connection is None:
            return
        rows = [(key, f"{_seal(key, text)} {text}") for key, text in summaries.items()]
        with contextlib.suppress(sqlite3.Error), self._connection:
            self._connection.executemany(
                "INSERT OR REPLACE INTO summary (key, data) VALUES (?, ?)", rows
            )
            self._connection.execute(  # a row stored again is stored anew: the last to go
                "DELETE FROM summary WHERE rowid <= (SELECT max(rowid) FROM summary) - ?", (KEEP,)
            )


def _seal(key: str, text: str) -> str:
    return hashlib.sha256(f"{key}\0{text}".encode()).hexdigest()


def open_cache(environ: Mapping[str, str] = os.environ) -> SummaryCache:
    """The user's summary cache (a no-op one when it is turned off or cannot be opened)."""
    return SummaryCache(cache_dir(environ))

"""The writer's tools: atomic files that follow the umask, and the render workers.

Every file loopkit writes goes through here or through ``_folder`` (packet
folders and their revisions), whole or not at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import tomli_w

from loopkit._debrief import Debrief
from loopkit._errors import LoopkitError, OutputError
from loopkit._readback import read_lock
from loopkit._records import Lock, file_digest
from loopkit._workers import worker_pool
from loopkit.render.toml import debrief_data


def umask() -> int:
    """This process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, then rename into place; umask applies."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        # mkstemp makes 0600; a file loopkit writes is as readable as one cp writes.
        os.fchmod(fd, 0o666 & ~umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_files_atomic(files: dict[Path, bytes]) -> list[Path]:
    """Write several files of one folder so that either all of them change or none does."""
    for path in files:
        if path.is_dir():
            raise OutputError(f"cannot write {path}: a folder is in its place")
    staged: list[tuple[Path, Path]] = []
    replaced: list[tuple[Path, Path | None]] = []  # each file moved into place, and its old copy
    try:
        for path, data in files.items():
            tmp = path.with_name(f".{path.name}.new")
            write_bytes_atomic(tmp, data)
            staged.append((tmp, path))
        for tmp, path in staged:
            old = path.with_name(f".{path.name}.old")
            kept = old if path.exists() else None
            if kept is not None:
                os.replace(path, kept)
            replaced.append((path, kept))
            os.replace(tmp, path)
    except BaseException as exc:
        for path, kept in reversed(replaced):  # put every file back as it was
            with contextlib.suppress(OSError):
                if kept is not None:
                    os.replace(kept, path)
                else:
                    path.unlink(missing_ok=True)
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot write {exc.filename or path}: {exc.strerror or exc}"
            ) from None
        raise
    for _, kept in replaced:
        if kept is not None:
            kept.unlink(missing_ok=True)
    return list(files)


# --- rendering -------------------------------------------------------------------------------


def render_pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes for rendering, forked once the PDF stack is imported and the font parsed.

    Forked workers share that start-up with this process instead of paying
    it each. Where fork is not available the workers start afresh (slower,
    same bytes). Workers leave Ctrl-C, kill and a hang-up to this process,
    and end when it ends, however it ends (see ``_workers``).
    """
    # Imported before the fork so that every worker inherits them.
    import loopkit.render.packet  # noqa: F401
    from loopkit.render.fonts import register

    register()
    return worker_pool(jobs)


@contextlib.contextmanager
def packet_lock(out: Path, packet_id: str) -> Iterator[None]:
    """Hold the advisory lock of one packet: two writers of it never run at once.

    The lock is a hidden file beside the packet folders, removed when the
    writer is done. A writer that locked a file another had just removed
    sees that the name now points elsewhere, and stops like one that found
    the lock taken.
    """
    path = out / f".{packet_id}.lock"
    busy = OutputError(
        f"another loopkit is writing packet {packet_id} in {out}",
        hint="wait for it to finish, then run again",
    )
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    with handle, contextlib.ExitStack() as cleanup:
        if created:  # a run that wrote nothing leaves no empty output folder behind
            cleanup.callback(_remove_if_empty, out)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        try:
            if os.stat(path).st_ino != os.fstat(handle.fileno()).st_ino:
                raise busy
        except FileNotFoundError:
            raise busy from None
        try:
            yield
        finally:
            path.unlink(missing_ok=True)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


# --- the debrief -----------------------------------------------------------------------------


def write_debrief(
    debrief: Debrief, packet_dir: Path, handed: Sequence[Path] = ()
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Render debrief.pdf and debrief.toml in memory, then write both or neither.

    Written under the packet's lock, and only if the folder still holds the
    revision the debrief was made from: a revision that ran meanwhile moved
    or changed the packet, and this debrief belongs to neither.

    Then the scorecards ``handed`` in from elsewhere (``--scorecard``) are
    copied into the packet (``keep_handed``). Returns the files written, and
    each card left where it was with the reason.
    """
    # The PDF stack, only when writing a debrief: new and schema write files through
    # this module too, and reportlab's import is about 100 ms.
    from loopkit.render.debrief import render_debrief

    # the folder by its real path: a link to it, or scorecards/.., is the same packet
    packet_dir = Path(os.path.realpath(packet_dir))
    files = {
        packet_dir / "debrief.toml": tomli_w.dumps(debrief_data(debrief)).encode("utf-8"),
        packet_dir / "debrief.pdf": render_debrief(debrief),
    }
    with packet_lock(packet_dir.parent, debrief.packet):
        try:
            now, _ = read_lock(packet_dir)
        except LoopkitError:
            now = None
        if now is None or (now.packet.id, now.packet.revision) != (
            debrief.packet,
            debrief.revision,
        ):
            raise OutputError(
                f"{packet_dir} changed while the debrief ran (a new revision was written)",
                hint="run the debrief again",
            )
        written = write_files_atomic(files)
        kept, left = keep_handed(handed, packet_dir, now)
        return written + kept, left


def keep_handed(
    handed: Sequence[Path], packet_dir: Path, lock: Lock
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Copy cards counted from elsewhere into ``scorecards/``, so the packet holds them all.

    A card goes in under its own name where that name is free, or holds the
    same bytes, or the blank loopkit wrote; a card a person wrote there is
    never replaced. status reads ``*.toml`` and ``*.pdf``, and a debrief
    names cards by file name: a card of another name, or a second card of
    one name, stays where it is. Each card left out comes with the reason.
    """
    kept: list[Path] = []
    left: list[tuple[Path, str]] = []
    taken: set[str] = set()
    try:  # the packet's own cards, links followed: one given again is already here
        with os.scandir(packet_dir / "scorecards") as entries:
            seen = {os.path.realpath(entry.path) for entry in entries}
    except OSError:
        seen = set()
    for given in handed:
        real = os.path.realpath(given)
        if real in seen:
            continue  # one card given twice, by two paths, or a card of this packet
        seen.add(real)
        path = Path(real)  # a link's card by its own name, as the debrief names it
        target = packet_dir / "scorecards" / path.name
        if not path.name.endswith((".toml", ".pdf")):
            left.append((given, "only a .toml or .pdf file in scorecards/ is read there"))
            continue
        if path.name in taken:
            left.append((given, f"another card given is named {path.name} too"))
            continue
        taken.add(path.name)
        if target.exists() and not target.is_file():
            left.append((given, f"scorecards/{path.name} is not a file"))
            continue
        try:
            data = path.read_bytes()
            there = target.read_bytes() if target.exists() else None
        except OSError as exc:
            left.append((given, f"it cannot be read: {exc.strerror or exc}"))
            continue
        if there == data:
            continue
        blank = lock.files.get(f"scorecards/{path.name}")
        if there is not None and blank != file_digest(there):
            left.append((given, f"scorecards/{path.name} holds a card a person wrote"))
            continue
        try:
            write_bytes_atomic(target, data)
        except OutputError as exc:
            left.append((given, exc.message))
            continue
        kept.append(target)
    return kept, left

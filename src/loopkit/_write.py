"""The writer's tools: atomic files that follow the umask, and the render workers.

Every file loopkit writes goes through here or through ``_folder`` (packet
folders and their revisions), whole or not at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import tomllib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from loopkit._errors import OutputError
from loopkit._workers import stops_held, worker_pool


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


WRITTEN = ".loopkit-written"  # what report, calibrate, diagnose --pdf, schema last wrote there


def write_outputs(files: dict[Path, bytes]) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """Write a folder's own files (report.*, calibration.*) whole, keeping any a person changed.

    The folder's record (``.loopkit-written``) holds the sha256 of each of
    them as loopkit last wrote it. One whose bytes differ (report.csv
    annotated in a spreadsheet and saved) is a person's: a copy is kept
    beside it (``report.edited.csv``) before it is replaced. So is one found
    with no record of it (written by hand, or before the record was kept):
    nothing is taken for loopkit's that might not be. Returns the files
    written, and each file kept with the name of its copy.
    """
    if not files:
        return [], []
    folder = next(iter(files)).parent
    for path in (*files, folder / WRITTEN):  # before anything is copied or written
        if path.is_dir():
            raise OutputError(f"cannot write {path}: a folder is in its place")
    record = _record(folder / WRITTEN)
    kept = []
    for path, data in files.items():
        try:
            there = path.read_bytes() if path.is_file() else None
        except OSError:
            there = None  # write_files_atomic says why it cannot be replaced
        if there is None or there == data or record.get(path.name) == _digest(there):
            continue
        copy = _free_name(path)
        write_bytes_atomic(copy, there)
        kept.append((path, copy))
    written = write_files_atomic(files)
    record.update({path.name: _digest(data) for path, data in files.items()})
    lines = [f'"{name}" = "{digest}"' for name, digest in sorted(record.items())]
    head = (
        "# What loopkit last wrote here (report, calibrate, diagnose --pdf, schema): a file\n"
        "# that differs is a person's.\n"
    )
    write_bytes_atomic(folder / WRITTEN, (head + "\n".join(lines) + "\n").encode("utf-8"))
    return written, kept


def _record(path: Path) -> dict[str, str]:
    """The record of what loopkit wrote in a folder; empty when there is none or it is
    unreadable (every file there is then kept before it is replaced)."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)}


def _digest(data: bytes) -> str:
    """A file's hash as the lock writes it: ``_records.file_digest`` imports the models,
    and a warm calibrate starts without them."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _free_name(path: Path) -> Path:
    """``report.edited.csv`` beside ``report.csv``, or ``report.edited-2.csv`` and on."""
    for n in range(1, 10_000):
        copy = path.with_name(f"{path.stem}.edited{'' if n == 1 else f'-{n}'}{path.suffix}")
        if not copy.exists() and not copy.is_symlink():
            return copy
    raise OutputError(f"cannot keep {path}: too many edited copies beside it")


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
    with contextlib.ExitStack() as cleanup:
        # Stop signals held until the lock file's removal is arranged: a kill between
        # opening it and taking it left the file behind (a batch stopped under load).
        with stops_held():
            try:
                out.mkdir(parents=True, exist_ok=True)
                handle = cleanup.enter_context(path.open("a"))
            except OSError as exc:
                raise OutputError(
                    f"cannot write to {out}: {exc.strerror or exc}",
                    hint=f"a run that writes packet {packet_id} holds a lock file there "
                    f"({path.name}) so that no other run changes the packet meanwhile",
                ) from None
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
            cleanup.callback(path.unlink, missing_ok=True)  # ours now: removed however we leave
        yield


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()

"""A cache of validated records, so that a command on an unchanged repository parses nothing.

It lives inside the repository's Git folder (``.git/lx-cache/``; never in the work tree, never
committed), or in the user's cache folder outside Git. It is a speed-up only: a missing, unreadable,
corrupt, stale or foreign-version cache is ignored and rebuilt. Every file is keyed by its stat
(size, mtime, ctime, inode) and the SHA-1 of its content; the whole listing by a digest of those.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from laoxiao_cli.repo.discover import git_dir
from laoxiao_cli.repo.nogc import no_gc

MAGIC = b"LXCACHE1\n"


def enabled() -> bool:
    return os.environ.get("LX_NO_CACHE", "") in ("", "0")


def location(root: Path, data_dir: Path) -> Path:
    """The cache folder of one data folder."""
    name = hashlib.sha1(str(data_dir.resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    git = git_dir(root)
    if git is not None:
        return git / "lx-cache" / name
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "lx" / name


_TAG: bytes | None = None


def code_tag() -> bytes:
    """Versions of everything that decides what a record, a finding and a remembered view are: lx's own
    source files, Python, Pydantic, PyYAML and chinese-calendar (working days when a year has no calendar
    file). A cache written by any other combination is foreign."""
    global _TAG
    if _TAG is None:
        import importlib.util

        import pydantic

        from laoxiao_cli import __version__

        spec = importlib.util.find_spec("yaml")
        origin = Path(spec.origin) if spec and spec.origin else None
        yaml_tag = f"{origin}:{origin.stat().st_mtime_ns}" if origin and origin.exists() else "?"
        spec = importlib.util.find_spec("chinese_calendar")  # its files, not its import (~10 ms)
        folder = Path(spec.origin).parent if spec and spec.origin else None
        calendar_files = sorted(folder.glob("*.py")) if folder is not None else []
        calendar_tag = ",".join(f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in calendar_files)

        h = hashlib.sha1(usedforsecurity=False)
        package = Path(__file__).resolve().parent.parent
        for path in sorted(package.rglob("*.py")):
            st = path.stat()
            h.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        h.update(f"{__version__}|{pydantic.VERSION}|{sys.version_info[:3]}|{yaml_tag}|{calendar_tag}".encode())
        _TAG = h.hexdigest().encode()
    return _TAG


def read(path: Path) -> Any | None:
    """The object stored at ``path``, or None when it is missing, unreadable or foreign."""
    with no_gc():
        return _read(path)


def _read(path: Path) -> Any | None:
    opened = _open(path)
    if opened is None:
        return None
    handle, stored = opened
    if _is_chunked(stored):
        table = Opened(handle, stored[1], stored[2]).table()
        return (stored[1], table) if table is not None else None
    handle.close()
    return stored


def _open(path: Path) -> tuple[Any, Any] | None:
    """The open file at ``path`` and its first pickle, read after the magic line and the code tag; None
    (the file closed) when it is missing, unreadable or foreign."""
    try:
        handle = path.open("rb")
    except OSError:
        return None
    try:
        if handle.read(len(MAGIC)) == MAGIC and handle.readline().rstrip(b"\n") == code_tag():
            return handle, pickle.load(handle)
    except Exception:  # a damaged or foreign pickle can raise nearly anything
        pass
    handle.close()
    return None


def _is_chunked(stored: Any) -> bool:
    """The head pickle of a table stored in chunks: (marker, head, number of chunks)."""
    return isinstance(stored, tuple) and len(stored) == 3 and stored[0] == CHUNKED


class Opened:
    """A cached (head, table) pair whose head has been read and whose table is read by ``table()``: from
    the file as it was when opened, even when it has been replaced since (the open file keeps that
    version), so tables read late still belong to the state that named ``head``."""

    def __init__(self, handle: Any, head: Any, chunks: int) -> None:
        self.head, self._handle, self._chunks = head, handle, chunks

    def table(self) -> dict[Any, Any] | None:
        """The table (None when the rest of the file cannot be read); the file is closed."""
        handle, self._handle = self._handle, None
        if handle is None:
            return None
        try:
            with handle, no_gc():
                table: dict[Any, Any] = {}
                for _ in range(self._chunks):
                    table.update(pickle.load(handle))
                return table
        except Exception:
            return None

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()


def open_table(path: Path) -> Opened | None:
    """A (head, table) pair stored by ``write``, opened with its head read, its table not yet; None when
    the file is missing, unreadable, foreign or holds something else."""
    opened = _open(path)
    if opened is None:
        return None
    handle, stored = opened
    if _is_chunked(stored):
        return Opened(handle, stored[1], stored[2])
    handle.close()
    return None


CHUNKED = "lx-chunked-table"
CHUNK = 20_000
"""A (head, table) payload with a bigger table is written as pickles of this many entries each: pickle
keeps every object it wrote in a memo until the end of a dump, which for a province's 285,000 reports in
one dump was ~0.4 GB at the peak of a cold load."""


def write(path: Path, payload: Any) -> None:
    """Store ``payload`` atomically, streamed to a temporary file (no second copy in memory); failing to
    write a cache is never an error. A (head, dict) pair with a big dict is stored in chunks (``CHUNK``);
    ``read`` gives back the same pair."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    if _dump(fd, Path(tmp), payload):
        try:
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)


def write_aside(tmp: Path, payload: Any) -> bool:
    """Store ``payload`` as ``write`` does, at ``tmp``, a new file (the caller renames it into place, or
    removes it); False (nothing left at ``tmp``) when it cannot be written."""
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except OSError:
        return False
    return _dump(fd, tmp, payload)


def _dump(fd: int, tmp: Path, payload: Any) -> bool:
    """``payload`` written to the open file ``fd`` (at ``tmp``, removed when the writing fails)."""
    try:
        try:
            with os.fdopen(fd, "wb") as handle, no_gc():
                handle.write(MAGIC + code_tag() + b"\n")
                if isinstance(payload, tuple) and len(payload) == 2 and isinstance(payload[1], dict):
                    _dump_chunked(handle, payload[0], payload[1])
                else:
                    pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
            return True
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        return False  # no cache this time: nothing is lost


STALE = 600
"""Seconds after which a temporary file in the cache is one a killed process left (``sweep``)."""


def sweep(folder: Path) -> None:
    """Remove the temporary files a process killed while writing left in ``folder`` (older than ``STALE``:
    a younger one may be another lx's, being written)."""
    import time

    limit = time.time() - STALE
    try:
        with os.scandir(folder) as entries:
            stale = [e.path for e in entries if e.name.startswith(".") and e.name.endswith(".tmp")]
    except OSError:
        return  # the folder is gone: nothing to sweep
    for path in stale:
        try:
            if os.stat(path).st_mtime < limit:
                os.unlink(path)
        except OSError:
            pass  # renamed into place, or swept by another process, meanwhile


def _dump_chunked(handle: Any, head: Any, table: dict[Any, Any]) -> None:
    import itertools

    items = iter(table.items())
    count = -(-len(table) // CHUNK)
    pickle.dump((CHUNKED, head, count), handle, protocol=pickle.HIGHEST_PROTOCOL)
    for _ in range(count):
        pickle.dump(dict(itertools.islice(items, CHUNK)), handle, protocol=pickle.HIGHEST_PROTOCOL)

"""One writer at a time: a lock file inside the Git folder, with a timeout and a clear message.

The lock holds the writer's process id and host; a lock whose process is gone (killed) is stale and
is taken over.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from laoxiao_cli.errors import LxError

NAME = "lx.lock"


def timeout() -> float:
    try:
        return float(os.environ.get("LX_LOCK_TIMEOUT", "30"))
    except ValueError:
        return 30.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _stale(path: Path) -> bool:
    holder = _holder(path)
    if holder is None:  # unreadable: a writer killed while writing it, or just created; judge by age
        try:
            return time.time() - path.stat().st_mtime > 5
        except OSError:
            return False
    pid = holder.get("pid")
    same_host = holder.get("host") == socket.gethostname()
    return same_host and isinstance(pid, int) and not _alive(pid)


_held: dict[Path, int] = {}
SEQUENCE = "lx-seq"


def sequence(git_dir: Path) -> int:
    """The write sequence number: odd while a write is under way, bumped by every write (a seqlock)."""
    try:
        return int((git_dir / SEQUENCE).read_text(encoding="ascii") or 0)
    except (OSError, ValueError):
        return 0


def bump(git_dir: Path) -> None:
    from laoxiao_cli.store.files import write_text_atomic

    write_text_atomic(git_dir / SEQUENCE, str(sequence(git_dir) + 1))


@contextmanager
def locked(git_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the repository's write lock (re-entrant within one process); wait for another lx up to
    ``wait`` seconds."""
    key = git_dir.resolve()
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    with _acquired(git_dir, wait):
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)


@contextmanager
def _acquired(git_dir: Path, wait: float | None) -> Iterator[None]:
    path = git_dir / NAME
    limit = timeout() if wait is None else wait
    deadline = time.monotonic() + limit
    mine = json.dumps(
        {"pid": os.getpid(), "host": socket.gethostname(), "since": datetime.now().isoformat(timespec="seconds")}
    )
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _stale(path):
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                continue
            if time.monotonic() >= deadline:
                holder = _holder(path) or {}
                raise LxError(
                    f"另一个 lx 命令正在修改此仓库（进程 {holder.get('pid', '?')}，自 {holder.get('since', '?')} 起），"
                    f"已等待 {limit:g} 秒：请稍后再试（或设置 LX_LOCK_TIMEOUT 延长等待）"
                ) from None
            time.sleep(0.05)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(mine)
        break
    try:
        yield
    finally:
        try:
            if (_holder(path) or {}).get("pid") == os.getpid():
                path.unlink()
        except FileNotFoundError:
            pass

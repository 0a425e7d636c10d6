"""One writer at a time: an exclusive ``flock`` on ``.git/lx.lock``, and the write sequence readers check.

The kernel holds the lock for the open file and frees it when its holder exits, however it exits (a
SIGKILL included), so no lock is ever judged stale and no process ever removes another's lock: the
file itself stays. The holder writes its process id and start time into it, only for the message a
waiter shows when it gives up.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from laoxiao_cli.errors import LxError, os_reason

NAME = "lx.lock"
SEQUENCE = "lx-seq"
_held: dict[Path, int] = {}


def timeout() -> float:
    try:
        return float(os.environ.get("LX_LOCK_TIMEOUT", "30"))
    except ValueError:
        return 30.0


def sequence(git_dir: Path) -> int:
    """The write sequence number: odd while a write is under way, bumped by every write (a seqlock)."""
    try:
        return int((git_dir / SEQUENCE).read_text(encoding="ascii") or 0)
    except (OSError, ValueError):
        return 0


def bump(git_dir: Path) -> None:
    """Advance the write sequence (only the lock's holder calls this)."""
    from laoxiao_cli.repo.files import write_text_atomic

    write_text_atomic(git_dir / SEQUENCE, str(sequence(git_dir) + 1))


@contextmanager
def locked(git_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the repository's write lock (re-entrant within one process); wait for another lx up to
    ``wait`` seconds (default ``LX_LOCK_TIMEOUT``, 30)."""
    key = git_dir.resolve()
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    fd = _acquire(git_dir / NAME, timeout() if wait is None else wait)
    _held[key] = 1
    try:
        yield
    finally:
        _held.pop(key, None)
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the file releases the lock


def _acquire(path: Path, limit: float) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise LxError(f"无法创建写入锁 {path}：{os_reason(exc)}") from None
    deadline = time.monotonic() + limit
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                os.close(fd)
                raise LxError(
                    f"另一个 lx 命令正在修改此仓库（进程 {holder.get('pid', '?')}，自 {holder.get('since', '?')} 起），"
                    f"已等待 {limit:g} 秒：请稍后再试（或设置 LX_LOCK_TIMEOUT 延长等待）"
                ) from None
            time.sleep(0.02)
    mine = json.dumps({"pid": os.getpid(), "since": datetime.now().isoformat(timespec="seconds")}).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, mine, 0)
    return fd


def _holder(fd: int) -> dict[str, object]:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}

"""Atomic file writes: a temporary file in the same folder, fsync, then rename."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path


def crash_point(name: str) -> None:
    """Fault injection for the crash-safety tests: ``LX_CRASH_AT=<name>`` kills the process here, as a
    power cut or ``kill -9`` would."""
    if os.environ.get("LX_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))

"""Run a command with a pseudo-terminal as its standard output (the tests of what a terminal is shown)."""

from __future__ import annotations

import errno
import os
import pty
import subprocess
from pathlib import Path
from typing import IO, Any


def on_a_terminal(args: list[str], cwd: Path, env: dict[str, str], stderr: IO[Any] | None = None) -> tuple[int, str]:
    """(exit code, everything written to the terminal). Standard error goes to the terminal too, unless
    ``stderr`` is given."""
    main, child = pty.openpty()
    try:
        process = subprocess.Popen(
            args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=child, stderr=child if stderr is None else stderr
        )
    finally:
        os.close(child)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError as exc:  # EIO: every end of the terminal's other side is closed
                if exc.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(main)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8")

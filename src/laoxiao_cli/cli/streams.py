"""Standard output and error that never end in a traceback: closed, full, or in an encoding that cannot
hold Chinese."""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

from laoxiao_cli.errors import os_reason


def prepare() -> None:
    """A closed standard stream becomes /dev/null (its output is discarded, as with `> /dev/null`); an
    encoding that cannot hold Chinese (e.g. PYTHONIOENCODING=ascii) writes escapes instead of failing."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            continue
        try:
            "中".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")


def finish(code: Any) -> Any:
    """Flush standard output; a failure there (disk full, broken pipe) is a message and exit 1, not an
    error at interpreter exit."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        _silence()
        if exc.errno != errno.EPIPE:
            try:
                sys.stderr.write(f"错误：{os_error_message(exc)}\n")
            except OSError:
                pass
        return 1
    return code


def _silence() -> None:
    try:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    except OSError:
        pass


def os_error_message(exc: OSError) -> str:
    """A Chinese sentence for a failed read or write."""
    where = exc.filename if exc.filename is not None else "标准输出"
    if exc.filename is None and exc.errno not in (errno.ENOSPC, errno.EBADF, errno.EPIPE, errno.EIO):
        where = "文件"
    return f"无法读写 {where}：{os_reason(exc)}"

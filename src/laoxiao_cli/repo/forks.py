"""Child processes forked to work beside this one: the parse's workers (``pipeline``), the cache's writer
(``snapshot``). A forked child inherits the imported modules and the data in memory, and costs no start-up;
Linux only (elsewhere, and with ``LX_WORKERS=1``, the work is done in this process)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable


def cores() -> int:
    """How many processes may work at once: the cores this process may use (at most ``LX_WORKERS``, 8 by
    default); 1 off Linux or with ``LX_WORKERS=1``."""
    if sys.platform != "linux" or os.environ.get("LX_WORKERS") == "1":
        return 1
    try:
        return max(1, min(len(os.sched_getaffinity(0)), int(os.environ.get("LX_WORKERS") or 8)))
    except (AttributeError, ValueError):
        return 1


def start(work: Callable[[], bool], interruptible: bool = True) -> int:
    """The pid of a forked child that runs ``work`` and exits (0 when it returned True, else 1) without
    running this process's exit handlers or flushing its buffers. Signals are blocked across the fork, so
    that an interrupt cannot reach the child before it has its own handlers: the default ones, or (not
    ``interruptible``: a child this process alone ends, e.g. through a pipe, or stops with SIGKILL) none,
    so that a Ctrl-C to the whole process group leaves its ending to this process. Raises OSError when no
    process can be had."""
    import gc

    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        raise
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return pid
    code = 1
    try:
        handler = signal.SIG_DFL if interruptible else signal.SIG_IGN
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        gc.disable()  # the child only makes objects, and ends soon: no cycles to look for
        code = 0 if work() else 1
    finally:
        os._exit(code)


def stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def reap(pid: int) -> int | None:
    """Wait for child ``pid`` to end; its exit code (None when it was killed or was reaped already)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None

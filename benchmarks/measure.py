"""Time whole processes: wall clock, exit code and peak resident memory of each run."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float
    rc: int
    output: str  # the first lines of stdout+stderr, kept only when rc != 0


@dataclass
class Series:
    """Runs of one command in one mode (cold, warm, or single)."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def min(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def max(self) -> float:
        return max(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_mb for s in self.samples)

    @property
    def failures(self) -> list[Sample]:
        return [s for s in self.samples if s.rc != 0]


# The measured process is started by a small, fresh Python (-S: no site, ~8 MB) that times it and
# reads its rusage. A child's ru_maxrss starts at its parent's resident size when it is spawned, so
# spawning from this (larger, growing) runner would inflate every small peak; from the helper, a peak
# below ~8 MB cannot show, which no command here comes near.
_HELPER = """
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.posix_spawnp(cmd[0], cmd, os.environ)
_pid, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - t0
with open(out, "w") as f:
    f.write(f"{seconds!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_once(cmd: Sequence[str], cwd: Path, ok_codes: tuple[int, ...] = (0,)) -> Sample:
    """Run cmd to completion: its wall-clock seconds, exit code and peak RSS (wait4 in a fresh helper)."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as result:
        helper = [sys.executable, "-S", "-c", _HELPER, result.name, *cmd]
        subprocess.run(helper, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        fields = result.read().split()  # empty when the command could not be started
        seconds, maxrss_kb, rc = (float(fields[0]), int(fields[1]), int(fields[2])) if fields else (0.0, 0, 127)
        text = ""
        if rc not in ok_codes:
            out.seek(0)
            text = out.read(4000).decode("utf-8", "replace")
    return Sample(seconds, maxrss_kb / 1024, 0 if rc in ok_codes else rc, text)


def run_many(cmds: Sequence[Sequence[str]], cwd: Path) -> Sample:
    """Several processes one after the other (a file list split to fit the command line), as one sample."""
    parts = [run_once(cmd, cwd) for cmd in cmds]
    failed = next((p for p in parts if p.rc != 0), None)
    return Sample(
        sum(p.seconds for p in parts),
        max(p.peak_mb for p in parts),
        failed.rc if failed else 0,
        failed.output if failed else "",
    )


def series(runs: int, once: Callable[[], Sample], before: Callable[[], None] | None = None) -> Series:
    """`runs` timed samples; `before` runs (untimed) ahead of each one."""
    result = Series()
    for _ in range(runs):
        if before is not None:
            before()
        result.samples.append(once())
    return result


def say(label: str, result: Series) -> None:
    """One line of progress: a case's median (and how many runs failed)."""
    bad = result.failures
    print(f"{label}: median {result.median:.3f} s" + (f" ({len(bad)} failed)" if bad else ""), flush=True)


def report(
    title: str,
    command: str,
    files: int,
    seconds: float,
    note: str,
    rows: Sequence[tuple[str, Series]],
    target: float | None,
) -> str:
    """A results page: what ran, on what, then one row per series (with a ✓/✗ column against ``target``)."""
    import os
    import platform
    import time

    mark = target is not None
    lines = [
        f"# {title}",
        "",
        f"Command: `{command}` · {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} · "
        f"{files:,} YAML files · took {seconds:.0f} s",
        "",
        note,
        "",
        "| case | median s | min s | max s | peak MB |" + (f" ≤ {target:g} s |" if mark else ""),
        "|---|---:|---:|---:|---:|" + (":---:|" if mark else ""),
    ]
    for label, s in rows:
        if s.failures:
            reason = s.failures[0].output.strip().splitlines()[-1:] or ["?"]
            lines.append(f"| {label} | failed: {reason[0][:80]} | | | |" + (" ✗ |" if mark else ""))
            continue
        ok = "" if target is None else (" ✓ |" if s.median <= target else " ✗ |")
        lines.append(f"| {label} | {s.median:.3f} | {s.min:.3f} | {s.max:.3f} | {s.peak_mb:.0f} |{ok}")
    return "\n".join(lines) + "\n"


def main_of(
    prog: str,
    doc: str,
    measure: Callable[[Path, int], list[tuple[str, Series]]],
    render: Callable[[str, str, int, list[tuple[str, Series]], float], str],
    out: Callable[[str], Path],
    argv: list[str] | None,
) -> int:
    """The command line every timing benchmark shares: ``--scale``, ``--runs``, ``--out``, ``--work``; it
    generates (or reuses) the repository, measures, writes the page and prints it."""
    import argparse
    import time

    from benchmarks.run import compile_product, ensure_repo

    parser = argparse.ArgumentParser(prog=f"python -m {prog}", description=doc.splitlines()[0])
    parser.add_argument("--scale", default="city")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/lx-bench"))
    args = parser.parse_args(argv)
    started = time.time()
    compile_product()
    repo, _meta = ensure_repo(args.scale, args.work)
    files = sum(1 for _ in (repo / "data").rglob("*.yaml"))
    rows = measure(repo, args.runs)
    command = f"python -m {prog} " + " ".join(sys.argv[1:] if argv is None else argv)
    text = render(command.strip(), args.scale, files, rows, time.time() - started)
    (args.out or out(args.scale)).write_text(text, encoding="utf-8")
    print(text)
    return 0

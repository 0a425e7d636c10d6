"""Time `lx sync` on a generated repository shared through a real `git daemon` on 127.0.0.1 (spec 12:
with nothing to do ≤ 0.5 s plus the network).

    python -m benchmarks.sync [--scale district|city] [--runs 5] [--out benchmarks/RESULTS-sync-<scale>.md]

Two clones of one shared (bare) repository, each with a warm lx cache. "Nothing to do": `lx sync` in a
clone that is level with the remote. "One commit each way": the other clone records a task done and
syncs (untimed), this clone records another task done (untimed), then its `lx sync` is timed — fetch,
merge in the object database, validation of the merged data, merge commit, checkout, push.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

from benchmarks.measure import Series, main_of, report, run_once, series
from benchmarks.run import tool

HERE = Path(__file__).resolve().parent
TODAY = "2026-01-15"


def _open_tasks(repo: Path, count: int) -> list[str]:
    out = []
    for path in sorted((repo / "data" / "tasks").iterdir()):
        task = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        if isinstance(task, dict) and task.get("status") == "open":
            out.append(str(task["id"]))
            if len(out) == count:
                break
    return out


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _daemon(base: Path) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={port}", f"--base-path={base}",
         "--export-all", "--enable=receive-pack", str(base)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("git daemon did not start")


def measure(repo: Path, runs: int) -> list[tuple[str, Series]]:
    lx = tool("lx")
    env = {**os.environ, "LX_TODAY": TODAY}
    work = repo.parent / f"{repo.name}-sync"
    shutil.rmtree(work, ignore_errors=True)
    served = work / "served"
    served.mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(served / "shared.git")], check=True)
    proc, port = _daemon(served)
    try:
        url = f"git://127.0.0.1:{port}/shared.git"
        a, b = work / "a", work / "b"
        for clone in (a, b):
            subprocess.run(["git", "clone", "-q", url, str(clone)], check=True)
            _git(clone, "config", "user.name", "基准测试")
            _git(clone, "config", "user.email", "bench@example.org")
            subprocess.run([lx, "validate"], cwd=clone, env=env, check=True, stdout=subprocess.DEVNULL)
        os.environ["LX_TODAY"] = TODAY
        nothing = series(runs, lambda: run_once([lx, "sync"], a))
        print(f"lx sync, nothing to do: median {nothing.median:.3f} s", flush=True)
        tasks = iter(_open_tasks(a, 2 * runs + 2))

        def one_each_way() -> None:
            for clone in (b, a):
                subprocess.run(
                    [lx, "task", "done", next(tasks), "--date", TODAY], cwd=clone, env=env, check=True,
                    stdout=subprocess.DEVNULL,
                )  # fmt: skip
            subprocess.run([lx, "sync"], cwd=b, env=env, check=True, stdout=subprocess.DEVNULL)

        each_way = series(runs, lambda: run_once([lx, "sync"], a), before=one_each_way)
        print(f"lx sync, one commit each way: median {each_way.median:.3f} s", flush=True)
    finally:
        proc.terminate()
        proc.wait()
    return [("lx sync, nothing to do", nothing), ("lx sync, one commit each way (merge, validate, push)", each_way)]


def render(command: str, scale: str, files: int, rows: list[tuple[str, Series]], seconds: float) -> str:
    return report(
        f"`lx sync` at {scale} scale",
        command,
        files,
        seconds,
        "Two clones of a repository served by `git daemon` on 127.0.0.1, warm lx caches. Target (spec 12): nothing to do ≤ 0.5 s plus the network.",
        rows,
        None,
    )


def main(argv: list[str] | None = None) -> int:
    return main_of(
        "benchmarks.sync", __doc__ or "", measure, render, lambda scale: HERE / f"RESULTS-sync-{scale}.md", argv
    )


if __name__ == "__main__":
    sys.exit(main())

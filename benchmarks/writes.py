"""Time every writing command on a generated repository (spec 12: each ≤ 1 s at city scale).

    python -m benchmarks.writes [--scale city] [--runs 5] [--out benchmarks/RESULTS-writes.md]

Each run starts from the generated repository's last commit with a warm lx cache (a `git reset --hard`
and an `lx validate`, both untimed), then times one whole `lx` process that writes, validates and
commits. "Today" is 2026-01-15 (LX_TODAY), two weeks after the generated data ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from benchmarks.measure import Series, main_of, report, run_once, series
from benchmarks.run import tool

HERE = Path(__file__).resolve().parent
TODAY = "2026-01-15"


def _load(path: Path) -> dict[str, object]:
    data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    assert isinstance(data, dict)
    return data


def _pick(repo: Path) -> dict[str, str]:
    """Ids the commands act on: an open task, a letter awaiting reply, a unit, a leader."""
    data = repo / "data"
    picked: dict[str, str] = {}
    for path in sorted((data / "tasks").iterdir()):
        task = _load(path)
        if task.get("status") == "open" and not task.get("extensions"):
            picked.setdefault("task", str(task["id"]))
            if "task2" not in picked and str(task["id"]) != picked["task"]:
                picked["task2"] = str(task["id"])
            if "task2" in picked:
                break
    for path in sorted((data / "letters").iterdir()):
        letter = _load(path)
        if letter.get("replied") is None:
            picked["letter"] = str(letter["id"])
            break
    unit = _load(next(p for p in sorted((data / "units").iterdir()) if p.suffix == ".yaml"))
    picked["unit"] = str(unit["id"])
    group = _load(data / "group.yaml")
    leaders = group["leaders"]
    assert isinstance(leaders, list)
    picked["leader"] = str(leaders[0]["name"])
    return picked


def commands(ids: dict[str, str]) -> list[tuple[str, list[str], Callable[[Path], None] | None]]:
    """(label, lx arguments, untimed preparation after the reset)."""

    def hand_edit(repo: Path) -> None:
        path = repo / "data" / "tasks" / f"{ids['task']}.yaml"
        with path.open("ab") as f:
            f.write("# 基准测试：手工修改\n".encode())

    return [
        (
            "lx task new",
            [
                "task",
                "new",
                "--title",
                "基准任务",
                "--target",
                "基准目标",
                "--lead",
                ids["unit"],
                "--due",
                "2026-06-30",
            ],
            None,
        ),
        ("lx task done", ["task", "done", ids["task"]], None),
        ("lx task extend", ["task", "extend", ids["task2"], "--to", "2026-06-30", "--reason", "基准测试"], None),
        ("lx task cancel", ["task", "cancel", ids["task"], "--reason", "基准测试"], None),
        ("lx letters reply", ["letters", "reply", ids["letter"]], None),
        (
            "lx letters issue (ladder, one unit)",
            ["letters", "issue", "--unit", ids["unit"], "-o", "/tmp/lx-bench-letters"],
            None,
        ),
        (
            "lx meeting hold (new meeting)",
            ["meeting", "hold", "2026-q1", "--date", "2026-01-10", "--chair", ids["leader"]],
            None,
        ),
        ("lx handover", ["handover", "--unit", ids["unit"], "--role", "liaison", "--to", "基准新人"], None),
        ("lx reports new (no commit)", ["reports", "new", "--unit", ids["unit"], "--month", "2026-01"], None),
        ("lx save (one hand-edited file)", ["save"], hand_edit),
    ]


def reset(repo: Path, lx: str) -> None:
    """Back to the generated repository's last commit (tag ``lx-bench-base``) with a warm lx cache."""
    subprocess.run(["git", "reset", "-q", "--hard", "lx-bench-base"], cwd=repo, check=True)
    subprocess.run(["git", "clean", "-fdq", "data"], cwd=repo, check=True)
    subprocess.run([lx, "validate"], cwd=repo, check=True, stdout=subprocess.DEVNULL)


def measure(repo: Path, runs: int) -> list[tuple[str, Series]]:
    lx = tool("lx")
    subprocess.run(["git", "tag", "-f", "lx-bench-base", "HEAD"], cwd=repo, check=True, stdout=subprocess.DEVNULL)
    os.environ["LX_TODAY"] = TODAY
    ids = _pick(repo)
    out = []
    try:
        for label, args, prepare in commands(ids):

            def before(prepare: Callable[[Path], None] | None = prepare) -> None:
                reset(repo, lx)
                if prepare is not None:
                    prepare(repo)

            result = series(runs, lambda args=args: run_once([lx, *args], repo), before=before)
            bad = result.failures
            print(f"{label}: median {result.median:.3f} s" + (f" ({len(bad)} failed)" if bad else ""), flush=True)
            out.append((label, result))
    finally:
        reset(repo, lx)
    return out


def render(command: str, scale: str, files: int, rows: list[tuple[str, Series]], seconds: float) -> str:
    return report(
        f"Writing commands at {scale} scale",
        command,
        files,
        seconds,
        "Each run: a whole `lx` process with a warm cache, from the generated repository's last commit. Target (spec 12): ≤ 1 s.",
        rows,
        1.0,
    )


def main(argv: list[str] | None = None) -> int:
    return main_of("benchmarks.writes", __doc__ or "", measure, render, lambda scale: HERE / "RESULTS-writes.md", argv)


if __name__ == "__main__":
    sys.exit(main())

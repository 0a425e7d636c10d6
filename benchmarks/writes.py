"""Time every writing command on a generated repository (spec 12: each ≤ 1 s at city scale).

    python -m benchmarks.writes [--scale city] [--runs 5] [--out benchmarks/RESULTS-writes.md]

Each run starts from the generated repository's last commit with a warm lx cache (a `git reset --hard`
and an `lx validate`, both untimed) and the case's untimed preparation (a pending extension for approve
and refuse, a filled form for import, …), then times one whole `lx` process that writes, validates and
commits. "Today" is 2026-01-15 (LX_TODAY), two weeks after the generated data ends. The cases and their
arguments are listed in benchmarks/README.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from benchmarks.measure import Series, main_of, report, run_once, say, series
from benchmarks.run import tool

HERE = Path(__file__).resolve().parent
TODAY = "2026-01-15"
REPORT_MONTH = "2026-01"
CALENDAR_YEAR = 2026
"""The year `lx calendar init` writes: no calendar file in the generated data, and chinese-calendar knows it."""
SCRATCH = Path("/tmp/lx-bench-writes")
"""Outside the repository: letter documents, the report form, the repository `lx init` makes."""


def _load(path: Path) -> dict[str, object]:
    data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    assert isinstance(data, dict)
    return data


def _pick(repo: Path) -> dict[str, str]:
    """Ids the commands act on: open tasks (one not yet due, one with a milestone to record), a letter
    awaiting reply, the last held meeting, a unit, a leader, a year without a calendar file."""
    data = repo / "data"
    picked: dict[str, str] = {}
    for path in sorted((data / "tasks").iterdir()):
        task = _load(path)
        if task.get("status") != "open":
            continue
        tid = str(task["id"])
        if not task.get("extensions"):
            if "task" not in picked:
                picked["task"] = tid
            elif "task2" not in picked:
                picked["task2"] = tid
            elif "pending" not in picked and str(task["due"]) >= TODAY:
                picked["pending"] = tid  # for a pending extension that is more than a formality
        milestones = task.get("milestones") or []
        assert isinstance(milestones, list)
        todo = [n for n, m in enumerate(milestones, 1) if m.get("done") is None]
        if todo and "milestone_task" not in picked:
            picked["milestone_task"], picked["milestone"] = tid, str(todo[0])
        if {"task", "task2", "pending", "milestone_task"} <= picked.keys():
            break
    for path in sorted((data / "letters").iterdir()):
        letter = _load(path)
        if letter.get("replied") is None:
            picked["letter"] = str(letter["id"])
            break
    held = [_load(p) for p in (data / "meetings").iterdir() if p.suffix == ".yaml"]
    picked["meeting"] = str(max((m for m in held if m.get("status") == "held"), key=lambda m: str(m["date"]))["id"])
    unit = _load(next(p for p in sorted((data / "units").iterdir()) if p.suffix == ".yaml"))
    picked["unit"] = str(unit["id"])
    group = _load(data / "group.yaml")
    leaders = group["leaders"]
    assert isinstance(leaders, list)
    picked["leader"] = str(leaders[0]["name"])
    assert not (data / "calendar" / f"{CALENDAR_YEAR}.yaml").exists(), f"calendar {CALENDAR_YEAR} already exists"
    return picked


def commands(ids: dict[str, str]) -> list[tuple[str, list[str], Callable[[Path], None] | None]]:
    """(label, lx arguments, untimed preparation after the reset)."""
    lx = tool("lx")
    form, letters = SCRATCH / "form.xlsx", str(SCRATCH / "letters")

    def hand_edit(repo: Path) -> None:
        path = repo / "data" / "tasks" / f"{ids['task']}.yaml"
        with path.open("ab") as f:
            f.write("# 基准测试：手工修改\n".encode())

    def request_extension(repo: Path) -> None:
        """A pending extension request (committed), for approve and refuse to decide."""
        request = ["task", "extend", ids["pending"], "--to", "2026-12-31", "--reason", "基准测试：待决定"]
        subprocess.run([lx, *request], cwd=repo, check=True, stdout=subprocess.DEVNULL)

    def filled_form(repo: Path) -> None:
        """One unit's monthly report form, made by `lx reports form` and filled as forms.py does."""
        from benchmarks.forms import fill  # here: forms imports this module

        form.parent.mkdir(parents=True, exist_ok=True)
        form.unlink(missing_ok=True)
        month = ["reports", "form", "-m", REPORT_MONTH, "-u", ids["unit"], "-o", str(form)]
        subprocess.run([lx, *month], cwd=repo, check=True, stdout=subprocess.DEVNULL)
        fill(form, 0, when=date.fromisoformat(TODAY))

    def no_repository(_repo: Path) -> None:
        shutil.rmtree(SCRATCH / "init", ignore_errors=True)

    decide = ["meeting", "decide", ids["meeting"], "--text", "基准议定事项"]
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
        ("lx task done --milestone", ["task", "done", ids["milestone_task"], "--milestone", ids["milestone"]], None),
        ("lx task extend", ["task", "extend", ids["task2"], "--to", "2026-06-30", "--reason", "基准测试"], None),
        ("lx task approve (pending extension)", ["task", "approve", ids["pending"]], request_extension),
        ("lx task refuse (pending extension)", ["task", "refuse", ids["pending"]], request_extension),
        ("lx task cancel", ["task", "cancel", ids["task"], "--reason", "基准测试"], None),
        ("lx letters reply", ["letters", "reply", ids["letter"]], None),
        (
            "lx letters issue (ladder, one unit)",
            ["letters", "issue", "--unit", ids["unit"], "-o", letters],
            None,
        ),
        (
            "lx letters issue --task (special letter)",
            ["letters", "issue", "--task", ids["task"], "--kind", "reminder", "--reason", "基准测试", "-o", letters],
            None,
        ),
        (
            "lx meeting hold (new meeting)",
            ["meeting", "hold", "2026-q1", "--date", "2026-01-10", "--chair", ids["leader"]],
            None,
        ),
        ("lx meeting decide (held meeting)", decide, None),
        (
            "lx meeting decide --lead (with a new task)",
            [*decide, "--lead", ids["unit"], "--due", "2026-06-30", "--title", "基准跟踪任务", "--target", "基准目标"],
            None,
        ),
        ("lx handover", ["handover", "--unit", ids["unit"], "--role", "liaison", "--to", "基准新人"], None),
        (
            "lx handover --role leader",
            ["handover", "--role", "leader", "--replaces", ids["leader"], "--to", "基准组长"],
            None,
        ),
        ("lx reports new (no commit)", ["reports", "new", "--unit", ids["unit"], "--month", REPORT_MONTH], None),
        ("lx reports import (one filled form)", ["reports", "import", str(form)], filled_form),
        (f"lx calendar init {CALENDAR_YEAR}", ["calendar", "init", str(CALENDAR_YEAR)], None),
        ("lx save (one hand-edited file)", ["save"], hand_edit),
        ("lx init (new repository, independent of scale)", ["init", str(SCRATCH / "init")], no_repository),
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
            say(label, result)
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

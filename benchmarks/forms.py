"""Time the monthly report forms (spec 10.1) on a generated repository: `lx reports form --all` for a
month, and `lx reports import` of 31 filled forms in one process (one commit).

    python -m benchmarks.forms [--scale district] [--runs 5] [--out benchmarks/RESULTS-forms.md]

The forms are made once by `lx reports form --all` and filled with openpyxl (untimed), found by their
labels as a liaison's Excel would show them. Each import run starts from the generated repository's last
commit with a warm lx cache (a `git reset --hard` and an `lx validate`, both untimed). "Today" is
2026-01-28 (LX_TODAY): the month is 2026-01, after the generated data ends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from benchmarks.measure import Series, main_of, report, run_once, series
from benchmarks.run import tool
from benchmarks.writes import reset as _reset

HERE = Path(__file__).resolve().parent
TODAY = "2026-01-28"
MONTH = "2026-01"
FORMS = 31
"""How many filled forms one import takes: the roster of the bundled district (31 units)."""


def fill(path: Path, seed: int, when: date = date(2026, 1, 20)) -> None:
    """Fill one form's input cells: the date (``when``, not after LX_TODAY), a percent and a note per task,
    an item per section."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["月报"]
    where = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    at = where["报送日期"]
    sheet.cell(row=at.row, column=at.column + 1).value = when
    header = where["任务编号"]
    percent, note = where["本月进度(%)"].column, where["进展情况"].column
    r = header.row + 1
    while sheet.cell(row=r, column=header.column).value:
        sheet.cell(row=r, column=percent).value = (seed * 7 + r * 13) % 101
        sheet.cell(row=r, column=note).value = f"按计划推进，本月完成第 {r - header.row} 阶段工作"
        r += 1
    for label, text in (("存在困难", "场地紧张"), ("意见建议", "建议加强统筹"), ("可复制可推广的经验", "清单化管理")):
        top = where[label]
        sheet.cell(row=top.row + 1, column=top.column).value = f"{text}（{seed}）"
    book.save(path)


def measure(repo: Path, runs: int) -> list[tuple[str, Series]]:
    lx = tool("lx")
    subprocess.run(["git", "tag", "-f", "lx-bench-base", "HEAD"], cwd=repo, check=True, stdout=subprocess.DEVNULL)
    os.environ["LX_TODAY"] = TODAY
    out = repo.parent / f"{repo.name}-forms"
    _reset(repo, lx)

    def clear() -> None:
        shutil.rmtree(out, ignore_errors=True)

    made = series(runs, lambda: run_once([lx, "reports", "form", "--all", "-m", MONTH, "-o", str(out)], repo), clear)
    forms = sorted(out.glob("*.xlsx"))
    print(f"lx reports form --all: {len(forms)} forms, median {made.median:.3f} s", flush=True)
    chosen = forms[:FORMS]
    for seed, path in enumerate(chosen):
        fill(path, seed)
    args = [lx, "reports", "import", *map(str, chosen)]
    try:
        imported = series(runs, lambda: run_once(args, repo), before=lambda: _reset(repo, lx))
        done = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=repo, capture_output=True, text=True)
        print(f"lx reports import ({len(chosen)} forms): median {imported.median:.3f} s; {done.stdout.strip()}")
    finally:
        _reset(repo, lx)
    return [
        (f"lx reports form --all -m {MONTH} ({len(forms)} forms)", made),
        (f"lx reports import ({len(chosen)} filled forms, one commit)", imported),
    ]


def render(command: str, scale: str, files: int, rows: list[tuple[str, Series]], seconds: float) -> str:
    return report(
        f"Monthly report forms at {scale} scale",
        command,
        files,
        seconds,
        "Each run: one whole `lx` process with a warm cache. `form --all` writes one xlsx per unit that owes "
        f"the {MONTH} report; `import` reads {FORMS} forms filled with openpyxl, validates the whole repository "
        "with them applied, writes their report files and commits them in one commit.",
        rows,
        None,
    )


def main(argv: list[str] | None = None) -> int:
    return main_of("benchmarks.forms", __doc__ or "", measure, render, lambda scale: HERE / "RESULTS-forms.md", argv)


if __name__ == "__main__":
    sys.exit(main())

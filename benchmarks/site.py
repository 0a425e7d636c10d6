"""Time `lx site` (the dashboard web page) on a generated repository, cold and warm.

    python -m benchmarks.site [--scale city] [--runs 5] [--out benchmarks/RESULTS-site.md]

`lx site --as-of 2025-12-31 -o <repo>-site/` writes index.html and style.css into a folder next to the
repository (the same folder every run, as a user would regenerate it). Cold: `.git/lx-cache` deleted
before every run (the data files read once first, so that they are in the OS page cache); warm: one
untimed run first, then the timed runs with the cache in place — as `lx status` in benchmarks.run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.measure import Series, main_of, report, say
from benchmarks.report import AS_OF
from benchmarks.run import lx_modes, tool

HERE = Path(__file__).resolve().parent


def measure(repo: Path, runs: int) -> list[tuple[str, Series]]:
    out = repo.parent / f"{repo.name}-site"
    modes = lx_modes([tool("lx"), "site", "--as-of", AS_OF, "-o", str(out)], repo, runs)
    page = out / "index.html"
    size = page.stat().st_size / 1024 if page.exists() else 0
    rows = []
    for mode, result in modes.items():
        say(f"lx site, {mode}", result)
        rows.append((f"lx site --as-of {AS_OF}, {mode} (index.html {size:,.0f} KB)", result))
    return rows


def render(command: str, scale: str, files: int, rows: list[tuple[str, Series]], seconds: float) -> str:
    return report(
        f"`lx site` at {scale} scale",
        command,
        files,
        seconds,
        "Each run: one whole `lx site` process writing index.html and style.css into a folder outside the "
        "repository. Cold: no `.git/lx-cache` (data files in the OS page cache); warm: the cache in place. "
        "The spec (section 12) sets no target for `lx site`.",
        rows,
        None,
    )


def main(argv: list[str] | None = None) -> int:
    return main_of("benchmarks.site", __doc__ or "", measure, render, lambda scale: HERE / "RESULTS-site.md", argv)


if __name__ == "__main__":
    sys.exit(main())

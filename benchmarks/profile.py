"""Profile one lx command, in one process, as `lx` runs it (cycle collector off), with cProfile.

    python -m benchmarks.profile [--cold] [--top N] REPO -- ARGS...
    python -m benchmarks.profile --page benchmarks/PROFILES.md   # the profiles the issue-18 note cites

Prints the entries with the most own time ("tottime") and, of lx's own functions, those with the most
time including what they call ("cumtime"). `--cold` deletes the repository's lx cache first. The numbers
are inflated by the profiler (~1.3-2×); use them to see where the time goes, the benchmarks for how much.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PAGE = [  # (title, scale, cold, prepare, args)
    ("cold `lx validate`, city", "city", True, None, ["validate"]),
    ("warm `lx status --as-of 2025-12-31`, city", "city", False, None, ["status", "--as-of", "2025-12-31"]),
    ("warm `lx overdue --as-of 2025-12-31`, city", "city", False, None, ["overdue", "--as-of", "2025-12-31"]),
    ("`lx validate` after one changed task file, city", "city", False, "touch-task", ["validate"]),
    ("warm `lx status --as-of 2025-12-31`, province", "province", False, None, ["status", "--as-of", "2025-12-31"]),
]


def run(repo: Path, args: list[str], cold: bool, top: int) -> str:
    if cold:
        shutil.rmtree(repo / ".git" / "lx-cache", ignore_errors=True)
    old, argv = Path.cwd(), sys.argv
    os.chdir(repo)
    sys.argv = ["lx", *args]
    gc.disable()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    try:
        from laoxiao_cli.cli.app import main

        with open(os.devnull, "w") as sink:
            stdout, sys.stdout = sys.stdout, sink
            try:
                main()
            except SystemExit:
                pass
            finally:
                sys.stdout = stdout
    finally:
        profiler.disable()
        wall = time.perf_counter() - started
        os.chdir(old)
        sys.argv = argv
        gc.enable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"wall time under the profiler: {wall:.3f} s\n\nmost own time:\n")
    stats.sort_stats("tottime").print_stats(top)
    out.write("\nlx's functions, most time including callees:\n")
    stats.sort_stats("cumtime").print_stats(r"laoxiao_cli", top)
    return _trim(out.getvalue())


def _trim(text: str) -> str:
    """The profile without pstats' banner lines and with paths shortened."""
    lines = []
    for line in text.splitlines():
        if "function calls" in line or line.strip().startswith(("Ordered by", "List reduced", "Random listing")):
            continue
        line = line.replace(str(HERE.parent / "src") + "/", "").replace(sys.prefix + "/lib/", "")
        lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"


def _touch_task(repo: Path) -> Path:
    path = sorted((repo / "data" / "tasks").iterdir())[0]
    with path.open("ab") as handle:
        handle.write(b"# profile: one changed file\n")
    return path


def page(out: Path, work: Path, top: int) -> None:
    import subprocess

    from benchmarks.run import compile_product, tool

    compile_product()
    parts = [
        "# Profiles (issue 18)",
        "",
        f"Command: `python -m benchmarks.profile --page {out}` · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "Each profile: one lx command in a fresh process under cProfile (imports included), the cycle collector"
        " off as `lx` runs; warm ones after an untimed run that fills the cache. Times are inflated by the"
        " profiler. Cold `lx validate` profiles this process only: it parses half the files, a forked worker"
        " the other half.",
    ]
    for title, scale, cold, prepare, args in PAGE:
        repo = work / scale
        if not (repo / "data").is_dir():
            parts += ["", f"## {title}", "", f"not run: {repo} is missing (python -m benchmarks.generate)"]
            continue
        if not cold:
            subprocess.run([tool("lx"), *args], cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        restore: tuple[Path, bytes] | None = None
        if prepare == "touch-task":
            first = sorted((repo / "data" / "tasks").iterdir())[0]
            restore = (first, first.read_bytes())
            subprocess.run([tool("lx"), "validate"], cwd=repo, stdout=subprocess.DEVNULL)
            _touch_task(repo)
        try:  # a fresh process each, so that each profile includes its imports
            command = [sys.executable, "-m", "benchmarks.profile", "--top", str(top), *(["--cold"] if cold else [])]
            done = subprocess.run([*command, str(repo), "--", *args], cwd=HERE.parent, capture_output=True, text=True)
            text = done.stdout if done.returncode == 0 else f"failed ({done.returncode}): {done.stderr[-2000:]}"
        finally:
            if restore is not None:
                restore[0].write_bytes(restore[1])
        parts += ["", f"## {title}", "", "```", text.rstrip(), "```"]
        print(f"profiled: {title}", flush=True)
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, nargs="?")
    parser.add_argument("--cold", action="store_true", help="delete the repository's lx cache first")
    parser.add_argument("--top", type=int, default=18)
    parser.add_argument("--page", type=Path, help="write the profiles of PAGE into this Markdown file")
    parser.add_argument("--work", type=Path, default=Path("/tmp/lx-bench"))
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    if options.page is not None:
        page(options.page, options.work, options.top)
        return 0
    if options.repo is None or not options.args:
        parser.error("give REPO and, after --, the lx arguments")
    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    print(run(options.repo.resolve(), args, options.cold, options.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the benchmark: whole `lx` processes, cold and warm, on generated repositories; write RESULTS.md.

    python -m benchmarks.run [--scales district,city,province] [--runs N] [--out benchmarks/RESULTS.md]

See benchmarks/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import report
from benchmarks.generate import SCALES, generate, git, read_meta
from benchmarks.measure import Sample, Series, run_many, run_once, series
from benchmarks.report import AS_OF, CHANGED, FLOOR, HELP, PEER, SAME, TYPER, VALIDATE, ScaleResult

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LX_COMMANDS = [
    (VALIDATE, ["validate"]),
    (f"lx status --as-of {AS_OF}", ["status", "--as-of", AS_OF]),
    (f"lx overdue --as-of {AS_OF}", ["overdue", "--as-of", AS_OF]),
    ("lx score --period 2025", ["score", "--period", "2025"]),
    (HELP, ["--help"]),
]


def tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def compile_product() -> None:
    """Write lx's bytecode (``__pycache__``) before timing it, as pip does for an installed package: the
    project is installed editable, and where PYTHONDONTWRITEBYTECODE is set (this machine's environment
    sets it) every lx process would otherwise compile its ~130 modules again (~40 ms)."""
    import compileall

    compileall.compile_dir(str(HERE.parent / "src"), quiet=1)


def clear_cache(repo: Path) -> None:
    shutil.rmtree(repo / ".git" / "lx-cache", ignore_errors=True)


REMEMBERED = ("status", "overdue")
"""Commands whose output the cache remembers (src/laoxiao_cli/repo/views.py): their warm runs repeat an
output; "first view" runs have the records cached but not that output (a new day, or after a change)."""
FIRST_VIEW = " — first view"


def forget_views(repo: Path) -> None:
    for path in (repo / ".git" / "lx-cache").glob("*/view-*"):
        path.unlink()


def read_all(folder: Path) -> None:
    """Read every file once, so that it is in the OS page cache: "cold" means no lx cache, not disk
    reads (on a VM that reclaims the page cache within minutes, a first run would time the disk)."""
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as f:
                f.read()


def cold_start(repo: Path) -> None:
    clear_cache(repo)
    read_all(repo / "data")


def ensure_repo(scale: str, work: Path) -> tuple[Path, dict[str, object] | None]:
    repo = work / scale
    if not (repo / "data" / "group.yaml").is_file() or read_meta(repo) is None:
        print(f"[{scale}] generating into {repo}", flush=True)
        shutil.rmtree(repo, ignore_errors=True)
        generate(scale, repo)
    return repo, read_meta(repo)


def ensure_tasks_copy(repo: Path, dst: Path) -> Path:
    """A repository holding only group.yaml, the units, the tasks (and the meetings that tasks name)."""
    if (dst / ".git").is_dir():
        return dst
    shutil.rmtree(dst, ignore_errors=True)
    (dst / "data").mkdir(parents=True)
    shutil.copy2(repo / "data" / "group.yaml", dst / "data" / "group.yaml")
    for folder in ("units", "tasks", "meetings"):
        shutil.copytree(repo / "data" / folder, dst / "data" / folder)
    git(dst, "init", "-q", "-b", "main")
    git(dst, "add", "data")
    git(dst, "commit", "-q", "-m", "task files only", date="2025-12-31T18:00:00+08:00")
    return dst


def lx_modes(lx: list[str], repo: Path, runs: int) -> dict[str, Series]:
    def once() -> Sample:
        return run_once(lx, repo)

    cold = series(runs, once, before=lambda: cold_start(repo))
    read_all(repo / "data")
    once()  # untimed: the cache is present for the warm runs
    warm = series(runs, once)
    return {"cold": cold, "warm": warm}


def interleaved(runs: int, lx: list[str], floor: list[str], repo: Path) -> tuple[Series, Series]:
    """``runs`` cold runs of ``lx`` and of the floor, taking turns (floor, lx, floor, lx, …): on a machine
    whose speed drifts over minutes (a shared VM), both see the same spells, so their ratio is fair where
    the ratio of two series measured minutes apart is not."""
    mine, its = Series(), Series()
    for _ in range(runs):
        read_all(repo / "data")
        its.samples.append(run_once(floor, repo))
        cold_start(repo)
        mine.samples.append(run_once(lx, repo))
    return mine, its


def after_change(lx: str, repo: Path, runs: int) -> Series:
    """Append a comment line to one task file (uncommitted), time a warm `lx validate`; restore it."""
    path = min((repo / "data" / "tasks").iterdir())
    original, stat = path.read_bytes(), path.stat()
    counter = iter(range(1, runs + 1))

    def restore() -> None:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    def before() -> None:
        restore()
        run_once([lx, "validate"], repo)  # untimed: warm for the committed state
        with path.open("ab") as f:
            f.write(f"# benchmark: changed ({next(counter)})\n".encode())

    try:
        return series(runs, lambda: run_once([lx, "validate"], repo), before=before)
    finally:
        restore()


def peer_commands(repo: Path, schemas: Path) -> list[list[str]]:
    """check-jsonschema over all task files, split into calls that fit the command line."""
    files = sorted(f"data/tasks/{name}" for name in os.listdir(repo / "data" / "tasks"))
    base = [tool("check-jsonschema"), "--schemafile", str(schemas / "task.schema.json")]
    limit = min(os.sysconf("SC_ARG_MAX") // 4, 500_000)
    cmds: list[list[str]] = []
    size = limit
    for name in files:
        if size + len(name) + 9 > limit:
            cmds.append(list(base))
            size = sum(len(a) + 9 for a in base)
        cmds[-1].append(name)
        size += len(name) + 9
    return cmds


def step(scale: str, label: str, modes: dict[str, Series]) -> dict[str, Series]:
    text = "  ".join(f"{mode} {s.median:.3f} s" for mode, s in modes.items())
    bad = sum(len(s.failures) for s in modes.values())
    print(f"[{scale}] {label}: {text}" + (f"  ({bad} failed runs)" if bad else ""), flush=True)
    return modes


def run_scale(scale: str, runs: int, work: Path) -> ScaleResult:
    repo, meta = ensure_repo(scale, work)
    lx = tool("lx")
    files = sum(1 for _ in (repo / "data").rglob("*.yaml"))
    tasks = len(os.listdir(repo / "data" / "tasks"))
    result = ScaleResult(scale, repo, files, tasks, meta)
    source = report.lx_source_tag()
    load = os.getloadavg()[0]
    result.notes.append(f"load average (1 min) when this scale started: {load:.2f} on {os.cpu_count()} cores")
    rows = result.rows
    for label, args in LX_COMMANDS:
        rows[label] = step(scale, label, lx_modes([lx, *args], repo, runs))
        if args[0] in REMEMBERED:
            command = [lx, *args]
            first = series(runs, lambda: run_once(command, repo), before=lambda: forget_views(repo))  # noqa: B023
            rows[label + FIRST_VIEW] = step(scale, label + FIRST_VIEW, {"warm": first})
    rows[CHANGED] = step(scale, CHANGED, {"warm": after_change(lx, repo, runs)})
    floor = [sys.executable, str(HERE / "floor.py"), str(repo / "data")]
    data = repo / "data"
    rows[FLOOR] = step(scale, FLOOR, {"single": series(runs, lambda: run_once(floor, repo), lambda: read_all(data))})
    if scale in report.COLD_LIMIT:  # the ratio's target: measured again, the floor and lx taking turns
        mine, its = interleaved(runs, [lx, "validate"], floor, repo)
        rows[report.PAIRED_LX] = step(scale, report.PAIRED_LX, {"cold": mine})
        rows[report.PAIRED_FLOOR] = step(scale, report.PAIRED_FLOOR, {"single": its})
    typer = [sys.executable, "-c", "import typer"]
    rows[TYPER] = step(scale, TYPER, {"single": series(runs, lambda: run_once(typer, repo))})
    schemas = work / "schemas"
    subprocess.run([lx, "schema", "-o", str(schemas)], check=True, stdout=subprocess.DEVNULL)
    cmds = peer_commands(repo, schemas)
    if len(cmds) > 1:
        result.notes.append(f"check-jsonschema ran as {len(cmds)} calls (command-line length); times are summed")
    peer = series(runs, lambda: run_many(cmds, repo), lambda: read_all(data / "tasks"))
    rows[PEER] = step(scale, PEER, {"single": peer})
    copy = ensure_tasks_copy(repo, work / f"{scale}-tasks")
    meetings = len(os.listdir(copy / "data" / "meetings"))
    result.notes.append(
        f"“same task files”: a copy holding group.yaml, the units, the {tasks:,} task files and the {meetings}"
        " meetings that tasks name in source.meeting (without them every such task is an error)"
    )
    rows[SAME] = step(scale, SAME, lx_modes([lx, "validate"], copy, runs))
    if report.lx_source_tag() != source:
        result.notes.append(
            "⚠ lx's source files changed while this scale was measured: the numbers mix versions, and a change"
            " invalidates lx's cache, so some warm runs may have been cold"
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="district,city", help="comma-separated: district,city,province")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command and mode (default 5)")
    parser.add_argument("--province-runs", type=int, default=1, help="timed runs at province scale (default 1)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--work", type=Path, default=Path("/tmp/lx-bench"), help="where the repositories live")
    args = parser.parse_args(argv)
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in scales if s not in SCALES]
    if unknown:
        parser.error(f"unknown scale(s): {', '.join(unknown)}")
    if not Path(tool("check-jsonschema")).exists() and not shutil.which("check-jsonschema"):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "check-jsonschema"], check=True)
    args.work.mkdir(parents=True, exist_ok=True)
    compile_product()
    started, commit = time.time(), report.lx_commit()
    results = []
    for scale in scales:
        runs = args.province_runs if scale == "province" else args.runs
        results.append(run_scale(scale, runs, args.work))
    command = "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv)
    text = report.render(command.strip(), results, time.time() - started, commit)
    args.out.write_text(text, encoding="utf-8")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

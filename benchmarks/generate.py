"""Generate a valid data repository for the benchmark, with a Git history of monthly commits.

    python -m benchmarks.generate --scale district|city|province DIR

Deterministic: the same scale gives the same files and the same commits (fixed seeds, author and
dates). Streaming: each district is planned, rendered and written before the next one starts; files
wait in a staging folder inside .git/ and are moved into data/ one month at a time, then committed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import corpus as c
from benchmarks.district import END, MONTHS, START, district_files

SCALES = {"district": 1, "city": 10, "province": 100}
AUTHOR = ("专班办公室（基准数据）", "office@example.gov.cn")
STAGE = "lx-bench-stage"  # inside .git/: never part of the work tree
META = "lx-bench-meta.json"  # inside .git/: what was generated, and how long it took


def group_text() -> str:
    leaders = "".join(f"- name: {n}\n  title: {t}\n" for n, t in c.LEADERS)
    deputies = "".join(
        f"- name: {n}\n  title: {t}\n" + ("  coordinator: true\n" if i == 0 else "")
        for i, (n, t) in enumerate(c.DEPUTY_LEADERS)
    )
    return f"""# 基准测试用的生成数据（benchmarks/generate.py），非真实数据。
name: 普惠型托育养老一体化服务体系建设试点工作专班
short_name: “一老一小”一体化试点工作专班
document:
  number: 基准函〔2021〕1号
  title: 关于成立普惠型托育养老一体化服务体系建设试点工作专班的通知（基准测试数据）
  issued: {START.isoformat()}
  issuers:
  - {c.CITY}人民政府办公室
started: {START.isoformat()}
goals:
- 以应对“少子化”“老龄化”为切入口，全力构筑普惠型托育养老一体化服务体系。
- 加速实现托育养老设施“双覆盖”、服务“双融合”、水平“双提升”。
leaders:
{leaders}deputy_leaders:
{deputies}office:
  director_units:
  - d01-minzheng
  - d01-weijian
  deputy_units:
  - d01-qufuban
  - d01-jiaoyu
  staff_units:
  - d01-fagai
  - d01-minzheng
  - d01-weijian
  duties:
  - 统筹协调专班工作，及时掌握工作进展，做好信息报送工作。
rules:
  meetings:
    every_months: 3
  reports:
    due_day: 25
  escalation:
    reminder: 7
    assignment: 21
    supervision: 45
    reply_days: 10
  scoring:
    on_time: 1.0
    late: 0.5
    missing_report_penalty: 2
"""


def commit_date(m: str) -> str:
    """A month's batch is committed on the 5th of the next month (the last one on END)."""
    if m == MONTHS[-1]:
        return f"{END.isoformat()}T18:00:00+08:00"
    y, mo = int(m[:4]), int(m[5:])
    y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return f"{y}-{mo:02d}-05T18:00:00+08:00"


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": AUTHOR[0],
        "GIT_AUTHOR_EMAIL": AUTHOR[1],
        "GIT_COMMITTER_NAME": AUTHOR[0],
        "GIT_COMMITTER_EMAIL": AUTHOR[1],
        "GIT_CONFIG_COUNT": "1",  # no automatic gc while committing: one `git gc` at the end
        "GIT_CONFIG_KEY_0": "gc.auto",
        "GIT_CONFIG_VALUE_0": "0",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=repo, env=env, check=True)


class Stager:
    """Writes files to .git/lx-bench-stage/<month>/<path>, creating folders once."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.made: set[str] = set()
        self.count = 0

    def write(self, m: str, rel: str, text: str) -> None:
        path = os.path.join(self.root, m, rel)
        folder = os.path.dirname(path)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.count += 1


def move_tree(src: Path, dst: Path) -> int:
    """Move every file under src to the same place under dst; return how many."""
    moved = 0
    for dirpath, _dirs, files in os.walk(src):
        target = os.path.join(dst, os.path.relpath(dirpath, src))
        os.makedirs(target, exist_ok=True)
        for name in files:
            os.rename(os.path.join(dirpath, name), os.path.join(target, name))
            moved += 1
    return moved


def generate(scale: str, repo: Path, districts: int | None = None) -> dict[str, object]:
    n = districts or SCALES[scale]
    t0 = time.perf_counter()
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    stage = repo / ".git" / STAGE
    stager = Stager(stage)
    stager.write(MONTHS[0], "group.yaml", group_text())
    for i in range(1, n + 1):
        for m, rel, text in district_files(i):
            stager.write(m, rel, text)
        if n <= 10 or i % 10 == 0 or i == n:
            print(f"  district {i}/{n}: {stager.count} files written ({time.perf_counter() - t0:.1f} s)", flush=True)
    t1 = time.perf_counter()
    data = repo / "data"
    for k, m in enumerate(MONTHS, 1):
        moved = move_tree(stage / m, data)
        git(repo, "add", "data")
        git(repo, "commit", "-q", "-m", f"数据：{m}（{moved} 个文件）", date=commit_date(m))
        if k % 6 == 0 or k == len(MONTHS):
            print(f"  commit {k}/{len(MONTHS)} ({m}): {time.perf_counter() - t0:.1f} s", flush=True)
    shutil.rmtree(stage)
    t2 = time.perf_counter()
    git(repo, "gc", "-q")  # packed, as a clone would be
    print(f"  git gc: {time.perf_counter() - t2:.1f} s", flush=True)
    meta = {
        "scale": scale,
        "districts": n,
        "files": stager.count,
        "commits": len(MONTHS),
        "write_seconds": round(t1 - t0, 1),
        "commit_seconds": round(time.perf_counter() - t1, 1),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (repo / ".git" / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return meta


def read_meta(repo: Path) -> dict[str, object] | None:
    try:
        return json.loads((repo / ".git" / META).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), required=True)
    parser.add_argument("--districts", type=int, help="override the number of districts (for quick tries)")
    parser.add_argument("--force", action="store_true", help="delete DIR first if it exists")
    parser.add_argument("dir", type=Path, metavar="DIR")
    args = parser.parse_args(argv)
    repo: Path = args.dir
    if repo.exists() and any(repo.iterdir()):
        if not args.force:
            print(f"{repo} exists and is not empty (use --force to replace it)", file=sys.stderr)
            return 2
        shutil.rmtree(repo)
    print(f"generating {args.scale} into {repo}", flush=True)
    meta = generate(args.scale, repo, args.districts)
    print(f"done: {meta['files']} files, {meta['commits']} commits in {meta['seconds']} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

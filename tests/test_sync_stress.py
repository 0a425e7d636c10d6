"""`lx sync` under stress, against a real `git daemon`: four clones syncing in parallel lose no commit
and end with distinct ids and valid data; `kill -9` at every step and at random moments leaves a clone
that is as before or that the next `lx sync` completes."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tests.gitserver import GitServer
from tests.test_sync import LX, lx, new_task, ok, snapshot

pytestmark = pytest.mark.slow

POINTS = [
    "sync-fetched",
    "sync-renumbered",
    "sync-merged",
    "sync-journaled",
    "sync-checked-out",
    "sync-moved",
    "sync-pushing",
    "sync-pushed",
]


def _titles(root: Path) -> list[str]:
    out = []
    for path in sorted((root / "data/tasks").glob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("title: "):
                out.append(line.removeprefix("title: "))
    return out


def _ids(root: Path) -> list[str]:
    out = []
    for path in sorted((root / "data/tasks").glob("*.yaml")):
        line = next(x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("id: "))
        assert line == f"id: {path.stem}", path
        out.append(path.stem)
    return out


def test_four_clones_syncing_in_parallel_lose_nothing(tmp_path: Path, git_server: GitServer) -> None:
    url = git_server.publish(make_repo(tmp_path / "origin"))
    clones = [git_server.clone(url, tmp_path / f"c{i}") for i in range(4)]
    rounds = 5
    titles: list[str] = []
    failures: list[str] = []
    figures = {"syncs": 0, "refused": 0, "pushed": 0, "renumbered": 0}
    lock = threading.Lock()

    def work(i: int) -> None:
        root = clones[i]
        for r in range(rounds):
            title = f"单位{i}第{r}项"
            with lock:
                titles.append(title)
            new_task(root, title)
            for _attempt in range(6):
                done = lx(root, "sync", "-f", "json")
                with lock:
                    figures["syncs"] += 1
                if done.returncode == 0:
                    out = json.loads(done.stdout)
                    with lock:
                        figures["pushed"] += int(out["pushed"])
                        figures["renumbered"] += len(out["renumbered"])
                    break
                with lock:
                    figures["refused"] += 1
                if "轮都未能推送" not in done.stderr:
                    failures.append(done.stderr)
                    return
            else:
                failures.append(f"clone {i} round {r}: sync never got through")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    for root in clones:  # everyone catches up
        ok(lx(root, "sync"))
    head = git_server.head()
    on_remote = set(git(clones[0], "rev-list", head).split())
    lost = 0
    for root in clones:  # every commit the branch of any clone ever pointed at is on the remote
        ever = set(git(root, "reflog", "--format=%H", "refs/heads/main").split())
        lost += len(ever - on_remote)
        assert git(root, "rev-parse", "HEAD").strip() == head
    assert lost == 0
    final = clones[0]
    ids = _ids(final)
    duplicates = len(ids) - len(set(ids))
    assert duplicates == 0 and len(ids) == 2 + 4 * rounds  # all distinct, none lost
    assert sorted(_titles(final)) == sorted(["完成甲事", "完成乙事", *titles])
    ok(lx(final, "validate"))
    print(
        f"\nparallel sync: 4 clones × {rounds} rounds; {len(titles)} tasks created; lx sync runs {figures['syncs']} "
        f"(refused after 5 rounds: {figures['refused']}); commits pushed {figures['pushed']}; commits on the remote "
        f"{len(on_remote)}; renumbered {figures['renumbered']}; commits lost {lost}; duplicate ids {duplicates}"
    )


def _contains(root: Path, commit: str) -> bool:
    return subprocess.run(["git", "merge-base", "--is-ancestor", commit, "HEAD"], cwd=root).returncode == 0


def _diverged(tmp_path: Path, server: GitServer, name: str) -> tuple[Path, Path]:
    """Two clones of a new shared repository; the remote has a task the local clone also created under
    the same id, so a sync must renumber, merge, move and push."""
    url = server.publish(make_repo(tmp_path / f"{name}-origin"), f"{name}.git")
    a = server.clone(url, tmp_path / f"{name}-a")
    b = server.clone(url, tmp_path / f"{name}-b")
    new_task(a, "远程的任务")
    ok(lx(a, "sync"))
    new_task(b, "本地的任务")
    return a, b


def _completes(b: Path, server: GitServer, name: str, before: tuple[str, str, dict[str, bytes]]) -> None:
    """After a kill: the clone equals its state before, or a next `lx sync` (which must succeed) leaves
    both sides' tasks on the remote."""
    if snapshot(b) != before:  # mid-move (the next lx command finishes it), or merged but not pushed
        moved = git(b, "status", "--porcelain", "--", "data") == "" and _contains(b, before[0].strip())
        assert (b / ".git/lx-sync.json").exists() or moved
    again = lx(b, "sync")
    assert again.returncode == 0, again.stdout + again.stderr
    assert not (b / ".git/lx-sync.json").exists()
    assert git(b, "rev-parse", "HEAD").strip() == server.head(f"{name}.git")
    assert sorted(_titles(b)) == sorted(["完成甲事", "完成乙事", "远程的任务", "本地的任务"])
    ok(lx(b, "validate"))


@pytest.mark.parametrize("point", POINTS)
def test_sync_killed_at_each_step(tmp_path: Path, git_server: GitServer, point: str) -> None:
    name = point.replace("-", "")
    _a, b = _diverged(tmp_path, git_server, name)
    before = snapshot(b)
    killed = lx(b, "sync", LX_CRASH_AT=point)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    if point in ("sync-fetched", "sync-renumbered", "sync-merged"):
        assert snapshot(b) == before  # nothing but Git objects yet
    _completes(b, git_server, name, before)


def test_sync_killed_at_random_moments(tmp_path: Path, git_server: GitServer) -> None:
    rng = random.Random(13)
    for n in range(8):
        name = f"random{n}"
        _a, b = _diverged(tmp_path, git_server, name)
        before = snapshot(b)
        proc = subprocess.Popen([LX, "sync"], cwd=b, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.8))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _completes(b, git_server, name, before)

"""Two lx processes at once: writers wait for each other, nothing is lost or half-written, readers
never see a half-written repository."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import git, make_repo

pytestmark = pytest.mark.slow

LX = str(Path(sys.executable).with_name("lx"))
BETA = (
    "id: beta\nname: 乙局\nkind: department\nmember: {name: 王三, title: 乙局局长}\nliaison: {name: 钱一}\nduties: []\n"
)


def start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full = {**os.environ, "LX_TODAY": "2022-11-01", **(env or {})}
    return subprocess.Popen([LX, *args], cwd=root, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_parallel_writers_on_different_units_both_land(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"data/units/beta.yaml": BETA})
    for _ in range(3):
        a = start(root, "handover", "-u", "alpha", "--role", "liaison", "--to", f"王{_}", "--date", f"2022-11-0{_ + 1}")
        b = start(root, "handover", "-u", "beta", "--role", "liaison", "--to", f"赵{_}", "--date", f"2022-11-0{_ + 1}")
        results = [(*p.communicate(timeout=60), p.returncode) for p in (a, b)]
        assert [r[2] for r in results] == [0, 0], results
    log = git(root, "log", "--format=%s").splitlines()
    assert sum(line.startswith("交接: 甲局 liaison") for line in log) == 3
    assert sum(line.startswith("交接: 乙局 liaison") for line in log) == 3
    assert git(root, "status", "--porcelain") == ""
    assert subprocess.run([LX, "validate"], cwd=root, capture_output=True, check=False).returncode == 0


def test_conflicting_writers_are_serialised(tmp_path: Path) -> None:
    """Two handovers of the same liaison: the second reads what the first wrote. Either both land as a
    chain (in date order) or the second is refused whole; never a half-written or broken repository."""
    root = make_repo(tmp_path / "r")
    a = start(root, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01")
    b = start(root, "handover", "-u", "alpha", "--role", "liaison", "--to", "赵六", "--date", "2022-11-02")
    for p in (a, b):
        p.communicate(timeout=60)
    outcomes = sorted(p.returncode for p in (a, b))
    assert outcomes in ([0, 0], [0, 1])
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    handovers = sorted(p.name for p in (root / "data/handovers").glob("*.yaml"))
    assert len(handovers) == outcomes.count(0)
    assert len(git(root, "log", "--format=%s").splitlines()) == 1 + outcomes.count(0)
    assert subprocess.run([LX, "validate"], cwd=root, capture_output=True, check=False).returncode == 0


def test_readers_never_see_a_half_written_repository(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"data/units/beta.yaml": BETA})
    writers = [
        start(
            root, "handover", "-u", unit, "--role", "liaison", "--to", f"新{unit}{n}", "--date", f"2022-11-{n + 1:02d}"
        )
        for n in range(4)
        for unit in ("alpha", "beta")
    ]
    reads = 0
    while any(w.poll() is None for w in writers):
        reader = subprocess.run(
            [LX, "validate", "--format", "json"], cwd=root, capture_output=True, text=True, check=False
        )
        assert reader.returncode == 0, reader.stdout + reader.stderr
        assert json.loads(reader.stdout)["ok"] is True
        reads += 1
    assert reads >= 1
    for w in writers:
        w.communicate(timeout=60)
    assert all(w.returncode in (0, 1) for w in writers)
    assert subprocess.run([LX, "validate"], cwd=root, capture_output=True, check=False).returncode == 0
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


HOLD = """
import sys, time
from pathlib import Path
from laoxiao_cli.repo.lock import locked
with locked(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(gdir: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(gdir), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_lock_timeout_names_the_holder_and_a_killed_holder_frees_it(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    holder = _holder(root / ".git", 60)
    try:
        started = time.monotonic()
        waited = start(
            root, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", env={"LX_LOCK_TIMEOUT": "0.5"}
        )
        _out, err = waited.communicate(timeout=30)
        assert waited.returncode == 1 and "另一个 lx 命令正在修改此仓库" in err and str(holder.pid) in err
        assert time.monotonic() - started < 10
        assert git(root, "status", "--porcelain") == ""
    finally:
        holder.send_signal(signal.SIGKILL)  # as a power cut would: the kernel frees the lock
        holder.communicate()
    taken = start(root, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01")
    _out, err = taken.communicate(timeout=60)
    assert taken.returncode == 0, err
    assert (root / ".git" / "lx.lock").exists()  # the lock file stays; only the kernel's lock comes and goes


RACE = """
import os, sys, time
from pathlib import Path
from laoxiao_cli.repo.lock import locked
gdir, log, go = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
time.sleep(max(0.0, go - time.time()))
with locked(gdir):
    with open(log, "a") as f:
        f.write(f"in {os.getpid()}\\n")
    time.sleep(0.01)
    with open(log, "a") as f:
        f.write(f"out {os.getpid()}\\n")
"""


def test_waiters_for_a_dead_holders_lock_never_hold_it_together(tmp_path: Path) -> None:
    """Regression: the lock of v1 judged a dead holder's lock stale by check-then-unlink, and two waiters
    that both judged it so could both hold it (16 rounds in 100 on this machine). Each round leaves the
    lock file of a killed holder and starts six waiters at the same instant."""
    gdir = tmp_path / "git"
    gdir.mkdir()
    for round_ in range(30):
        dead = _holder(gdir, 60)
        dead.send_signal(signal.SIGKILL)
        dead.communicate()
        log = tmp_path / f"log{round_}"
        go = time.time() + 0.4
        procs = [subprocess.Popen([sys.executable, "-c", RACE, str(gdir), str(log), str(go)]) for _ in range(6)]
        assert [p.wait(timeout=60) for p in procs] == [0] * 6
        depth = 0
        for line in log.read_text().splitlines():
            depth += 1 if line.startswith("in ") else -1
            assert depth in (0, 1), f"round {round_}: two processes held the lock at once"

"""Two lx processes at once: writers wait for each other, nothing is lost or half-written, readers
never see a half-written repository."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import git, make_repo

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


def test_lock_timeout_message_and_stale_lock(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    lock = root / ".git" / "lx.lock"
    lock.write_text(
        json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": "2022-11-01T10:00:00"}), encoding="utf-8"
    )
    started = time.monotonic()
    held = start(root, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", env={"LX_LOCK_TIMEOUT": "0.5"})
    _out, err = held.communicate(timeout=30)
    assert held.returncode == 1 and "另一个 lx 命令正在修改此仓库" in err and str(os.getpid()) in err
    assert time.monotonic() - started < 10
    assert git(root, "status", "--porcelain") == ""
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "since": "x"}), encoding="utf-8")
    taken = start(root, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01")
    _out, err = taken.communicate(timeout=60)
    assert taken.returncode == 0, err
    assert not lock.exists()

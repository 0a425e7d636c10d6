"""A correction and a late handover (补录) killed (SIGKILL) at every point: the next lx command leaves
either the repository as it was or the whole change, exactly as an uninterrupted run makes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tests.test_handover import ALPHA, UNIT

pytestmark = pytest.mark.slow  # SIGKILLed subprocesses, one repository each

LX = str(Path(sys.executable).with_name("lx"))
POINTS = ["locked", "journaled", "wrote-1", "wrote-2", "validated", "staged", "committed"]
FIRST = ("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01")
CHANGES = {
    "correct": (*FIRST[:6], "张三", "--date", "2022-11-01", "--correct"),
    "insert": (*FIRST[:6], "赵六", "--date", "2022-09-01"),
}


def run(root: Path, *args: str, crash: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LX_TODAY": "2022-11-05"}
    env.pop("LX_CRASH_AT", None)
    if crash:
        env["LX_CRASH_AT"] = crash
    return subprocess.run([LX, *args], cwd=root, env=env, capture_output=True, text=True, timeout=60, check=False)


def state(root: Path) -> tuple[str, str, dict[str, bytes]]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain", "--untracked-files=all"), files


def handed(root: Path) -> Path:
    make_repo(root, {UNIT: ALPHA})
    assert run(root, *FIRST).returncode == 0
    return root


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_killed_correction_or_insert_is_all_or_nothing(tmp_path: Path, change: str, point: str) -> None:
    reference = handed(tmp_path / "reference")
    done = run(reference, *CHANGES[change])
    assert done.returncode == 0, done.stderr
    whole = state(reference)[2]
    tree = git(reference, "rev-parse", "HEAD^{tree}")
    root = handed(tmp_path / "r")
    before = state(root)
    assert run(root, *CHANGES[change], crash=point).returncode == -signal.SIGKILL
    check = run(root, "validate")  # any command recovers first
    assert check.returncode == 0, check.stdout + check.stderr
    assert not (root / ".git" / "lx-journal.json").exists()
    head, status, files = state(root)
    assert status == ""
    if point == "committed":
        assert "已经提交" in check.stderr
        assert git(root, "rev-parse", "HEAD^") == before[0]
        assert git(root, "rev-parse", "HEAD^{tree}") == tree and files == whole
        assert git(root, "log", "-1", "--format=%s").startswith("交接: 更正" if change == "correct" else "交接: 补录")
    else:
        assert (head, files) == (before[0], before[2])
        if point != "locked":
            assert "已撤销" in check.stderr
    again = run(root, *CHANGES[change])  # and the repository works normally afterwards
    assert again.returncode == (1 if point == "committed" else 0), again.stderr

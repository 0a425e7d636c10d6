"""Crash safety: a writing command killed (SIGKILL) at any point leaves the repository as it was, or
completed; the next lx command (any command) finishes the job before it does anything else."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import git, make_repo

pytestmark = pytest.mark.slow  # SIGKILLed subprocesses, one repository each

LX = str(Path(sys.executable).with_name("lx"))
POINTS = ["locked", "journaled", "wrote-1", "wrote-2", "validated", "staged", "committed"]


def run(root: Path, *args: str, crash: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LX_TODAY": "2022-11-01"}
    env.pop("LX_CRASH_AT", None)
    if crash:
        env["LX_CRASH_AT"] = crash
    return subprocess.run([LX, *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def state(root: Path) -> tuple[str, str, dict[str, bytes]]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain", "--untracked-files=all"), files


HANDOVER = ("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01")


@pytest.mark.parametrize("point", POINTS)
def test_killed_handover_is_undone_or_completed(tmp_path: Path, point: str) -> None:
    root = make_repo(tmp_path / "r")
    before = state(root)
    killed = run(root, *HANDOVER, crash=point)
    assert killed.returncode == -signal.SIGKILL
    assert (root / ".git" / "lx-journal.json").exists() == (point != "locked")
    check = run(root, "validate")  # any command recovers first
    assert check.returncode == 0, check.stdout + check.stderr
    assert not (root / ".git" / "lx-journal.json").exists()
    after = state(root)
    if point == "committed":
        assert "已经提交" in check.stderr
        assert git(root, "log", "-1", "--format=%s").startswith("交接: 甲局 liaison: 李二 → 王五")
        assert after[1] == "" and after[0] != before[0]
    else:
        assert after == before
        if point != "locked":
            assert "已撤销" in check.stderr
    # and the repository works normally afterwards
    again = run(root, *HANDOVER)
    assert again.returncode == (1 if point == "committed" else 0), again.stderr


@pytest.mark.parametrize("point", ["journaled", "wrote-1", "validated", "staged"])
def test_killed_letters_issue_and_agenda_write(tmp_path: Path, point: str) -> None:
    root = make_repo(tmp_path / "r")
    before = state(root)
    assert (
        run(root, "letters", "issue", "--as-of", "2022-10-21", "-o", str(tmp_path / "out"), crash=point).returncode
        == -signal.SIGKILL
    )
    assert run(root, "status", "--as-of", "2022-10-21").returncode == 0
    assert state(root) == before
    assert run(root, "meeting", "agenda", "--as-of", "2022-10-26", "--write", crash=point).returncode == -signal.SIGKILL
    assert run(root, "overdue").returncode == 0
    assert state(root) == before
    assert run(root, "letters", "issue", "--as-of", "2022-10-21", "-o", str(tmp_path / "out")).returncode == 0


def leftovers(root: Path) -> list[str]:
    """Temporary files of an atomic write or of a staged side output, anywhere in the work tree."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if ".git" not in p.relative_to(root).parts and (p.name.endswith(".tmp") or p.name.endswith(".lx-tmp"))
    )


def test_kill_at_random_moments(tmp_path: Path) -> None:
    """SIGKILL after random delays: whatever the moment, the next command leaves a valid, clean repository
    that is either the old state or the whole handover commit (the same as an uninterrupted run makes)."""
    reference = make_repo(tmp_path / "reference")
    done = run(reference, *HANDOVER)
    assert done.returncode == 0, done.stderr
    new_tree = git(reference, "rev-parse", "HEAD^{tree}")
    new_subject = git(reference, "log", "-1", "--format=%s")
    new_files = state(reference)[2]
    rng = random.Random(20221101)
    root = make_repo(tmp_path / "r")
    before = state(root)
    old_head = before[0].strip()
    assert before[1] == ""
    for _ in range(12):
        env = {**os.environ, "LX_TODAY": "2022-11-01"}
        process = subprocess.Popen(
            [LX, *HANDOVER], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.05, 0.9))
        process.kill()
        process.wait()
        check = run(root, "validate")  # recovers first
        assert check.returncode == 0, check.stdout + check.stderr
        head, status, files = state(root)
        assert status == ""  # nothing modified, staged or left untracked
        assert leftovers(root) == []
        assert not (root / ".git" / "lx-journal.json").exists()
        if head.strip() == old_head:
            assert files == before[2]
            continue
        # the whole new commit: on top of the old one, with the tree and message of an uninterrupted run
        assert git(root, "rev-parse", "HEAD^") == before[0]
        assert git(root, "rev-parse", "HEAD^{tree}") == new_tree
        assert git(root, "log", "-1", "--format=%s") == new_subject
        assert files == new_files
        git(root, "reset", "-q", "--hard", old_head)
        assert state(root) == before


def test_someone_elses_later_change_is_not_undone(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    assert run(root, *HANDOVER, crash="wrote-2").returncode == -signal.SIGKILL
    unit = root / "data/units/alpha.yaml"
    edited = unit.read_text(encoding="utf-8") + "# 手工修改\n"
    unit.write_text(edited, encoding="utf-8")
    result = run(root, "status")
    assert "未恢复" in result.stderr and "data/units/alpha.yaml" in result.stderr
    assert unit.read_text(encoding="utf-8") == edited
    assert not (root / "data/handovers/2022-11-01-alpha-liaison.yaml").exists()


@pytest.mark.parametrize("point", ["init-written", "init-committed"])
def test_killed_init_leaves_nothing(tmp_path: Path, point: str) -> None:
    target = tmp_path / "新仓库"
    killed = run(tmp_path, "init", str(target), crash=point)
    assert killed.returncode == -signal.SIGKILL
    assert not target.exists()
    done = run(tmp_path, "init", str(target))
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob(".*lx-init-*"))  # the killed attempt's staging folder is gone
    assert run(target, "validate").returncode == 0
    assert git(target, "status", "--porcelain") == ""


def _many_tasks(root: Path, count: int) -> None:
    """The base repository with ``count`` more small task files: enough for a parse on two cores."""
    make_repo(root, commit=False)
    for n in range(count):
        (root / "data" / "tasks" / f"t2023-{n:04d}.yaml").write_text(
            f"id: t2023-{n:04d}\ntitle: 任务{n}\ntarget: 目标{n}\nlead: alpha\ndue: 2023-06-30\nstatus: open\n",
            encoding="utf-8",
        )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "many tasks")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_parse_on_two_cores_leaves_no_folder_and_no_worker(tmp_path: Path, how: signal.Signals) -> None:
    """Killed while its workers parse: SIGTERM stops them and removes their results folder; after SIGKILL
    the workers see their parent gone at their next batch, remove it and end."""
    root = tmp_path / "many"
    _many_tasks(root, 6000)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "LX_WORKERS": "2"}
    env.pop("LX_CRASH_AT", None)
    errors = tmp_path / "stderr"
    with errors.open("wb") as sink:
        proc = subprocess.Popen([LX, "validate"], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=sink)
    deadline = time.monotonic() + 30
    while not list(scratch.glob("lx-parse-*")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if proc.poll() is not None:
        pytest.skip("the parse ended before it could be interrupted")
    time.sleep(0.05)  # the workers are parsing
    proc.send_signal(how)
    code = proc.wait(timeout=30)
    assert code == (143 if how == signal.SIGTERM else -signal.SIGKILL)
    deadline = time.monotonic() + 20
    while list(scratch.glob("lx-parse-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(scratch.glob("lx-parse-*"))
    assert "Traceback" not in errors.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_a_load_killed_while_its_cache_is_written_leaves_no_part_behind(tmp_path: Path, how: signal.Signals) -> None:
    """Killed while a child writes the cache's parts beside the cross-file rules: the child is never told
    to go on, removes what it wrote and ends; the next load is a whole one, and the same. Ctrl-C (SIGINT
    to the whole process group, the child too) ends the load with 130, the child's files removed."""
    import re

    root = tmp_path / "many"
    _many_tasks(root, 6000)
    env = {**os.environ, "LX_WORKERS": "2"}
    env.pop("LX_CRASH_AT", None)
    expected = subprocess.run([LX, "validate"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    cache = root / ".git" / "lx-cache"
    aside = re.compile(r"\.[a-z_]+\.[0-9a-f]{32}\.tmp")

    def written_aside() -> list[Path]:
        return [p for p in cache.rglob(".*.tmp") if aside.fullmatch(p.name)]

    for _attempt in range(10):  # the window is a fraction of a second: try again when it was missed
        shutil.rmtree(cache, ignore_errors=True)
        proc = subprocess.Popen(
            [LX, "validate"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while not written_aside() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        if proc.poll() is None:
            if how == signal.SIGINT:
                os.killpg(proc.pid, how)  # as the terminal does
            else:
                proc.send_signal(how)
            _, errors = proc.communicate(timeout=60)
            assert proc.returncode == (130 if how == signal.SIGINT else -how)
            assert b"Traceback" not in errors
            break
        proc.communicate()
    else:
        pytest.skip("every load ended before it could be interrupted")
    deadline = time.monotonic() + 20
    while written_aside() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not written_aside()
    again = subprocess.run([LX, "validate"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert (again.returncode, again.stdout) == (expected.returncode, expected.stdout)

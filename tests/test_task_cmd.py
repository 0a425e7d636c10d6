"""`lx task done` (spec 8.2): status done and the date, one commit of the task file, every refusal writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from laoxiao_cli.repo import yamlio
from tests.conftest import Lx, git

LX = str(Path(sys.executable).with_name("lx"))
TASK = "data/tasks/t2022-001.yaml"  # open, start 2022-07-01, due 2022-09-30
TODAY = {"LX_TODAY": "2022-12-01"}


def _untouched(repo: Path, head: str) -> None:
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        ("2022-06-30", "早于任务的开始日期"),  # the day before the start
        ("2022-07-01", None),  # the start itself
        ("2022-12-01", None),  # today
        ("2022-12-02", "晚于今天"),  # tomorrow
    ],
)
def test_task_done_dates(repo: Path, lx: Lx, day: str, refused: str | None) -> None:
    head = git(repo, "rev-parse", "HEAD")
    before = (repo / TASK).read_bytes()
    result = lx("task", "done", "t2022-001", "--date", day, "-f", "json", cwd=repo, env=TODAY)
    if refused is not None:
        assert result.exit_code == 1 and refused in result.output
        _untouched(repo, head)
        return
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (
        out["files"] == [TASK]
        and out["ids"] == ["t2022-001"]
        and out["commit"] == git(repo, "rev-parse", "HEAD").strip()
    )
    assert git(repo, "log", "-1", "--format=%s").strip() == "任务: t2022-001 完成"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [TASK]
    after = (repo / TASK).read_bytes()
    data = yamlio.parse(after).data
    assert data["status"] == "done" and str(data["done"]) == day
    # only the edited values changed: the old text with `status: open` → `status: done` and one new line
    expected = before.replace(b"status: open\n", f"status: done\ndone: {day}\n".encode())
    assert after == expected
    assert lx("validate", cwd=repo).exit_code == 0


def test_task_done_defaults_to_today_and_refuses_a_task_not_open(repo: Path, lx: Lx) -> None:
    assert lx("task", "done", "t2022-001", cwd=repo, env=TODAY).exit_code == 0
    assert "done: 2022-12-01" in (repo / TASK).read_text(encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD")
    again = lx("task", "done", "t2022-001", cwd=repo, env=TODAY)
    assert again.exit_code == 1 and "已于 2022-12-01 完成" in again.output
    done_already = lx("task", "done", "t2022-002", cwd=repo, env=TODAY)
    assert done_already.exit_code == 1 and "只有在办的任务才能办结" in done_already.output
    unknown = lx("task", "done", "t2099-001", cwd=repo, env=TODAY)
    assert unknown.exit_code == 1 and "没有编号为“t2099-001”的任务" in unknown.output
    _untouched(repo, head)


def test_task_done_dry_run_shows_the_diff_and_writes_nothing(repo: Path, lx: Lx) -> None:
    head = git(repo, "rev-parse", "HEAD")
    result = lx("task", "done", "t2022-001", "--date", "2022-11-20", "--dry-run", cwd=repo, env=TODAY)
    assert result.exit_code == 0
    assert "-status: open\n+status: done\n+done: 2022-11-20\n" in result.stdout
    _untouched(repo, head)


def test_task_done_refuses_a_dirty_tree_unless_no_commit(repo: Path, lx: Lx) -> None:
    other = repo / "data/tasks/t2022-002.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "# 手工备注\n", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD")
    refused = lx("task", "done", "t2022-001", cwd=repo, env=TODAY)
    assert refused.exit_code == 1 and "未提交的修改" in refused.output
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain").split() == [
        "M",
        "data/tasks/t2022-002.yaml",
    ]
    written = lx("task", "done", "t2022-001", "--no-commit", cwd=repo, env=TODAY)
    assert written.exit_code == 0 and git(repo, "rev-parse", "HEAD") == head
    assert "status: done" in (repo / TASK).read_text(encoding="utf-8")


@pytest.mark.parametrize("point", ["journaled", "wrote-1", "validated", "staged"])
def test_a_killed_task_done_is_undone(repo: Path, point: str) -> None:
    head = git(repo, "rev-parse", "HEAD")
    env = {**os.environ, **TODAY, "LX_CRASH_AT": point}
    killed = subprocess.run([LX, "task", "done", "t2022-001"], cwd=repo, env=env, capture_output=True, check=False)
    assert killed.returncode == -9
    after = subprocess.run([LX, "validate"], cwd=repo, capture_output=True, text=True, check=False)
    assert after.returncode == 0 and "已撤销" in after.stderr
    _untouched(repo, head)

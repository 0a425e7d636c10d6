"""`lx save` (spec 8.4): hand edits validated, then one commit of data/ alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Lx, git

LX = str(Path(sys.executable).with_name("lx"))


def _files_of_head(repo: Path) -> list[str]:
    out = git(repo, "-c", "core.quotePath=false", "show", "--name-status", "--format=", "HEAD")
    return sorted(line for line in out.splitlines() if line)


def test_nothing_to_save(repo: Path, lx: Lx) -> None:
    head = git(repo, "rev-parse", "HEAD")
    result = lx("save", cwd=repo)
    assert result.exit_code == 0 and result.stdout == "没有需要保存的修改\n"
    assert git(repo, "rev-parse", "HEAD") == head


def test_save_commits_every_data_change_and_nothing_else(repo: Path, lx: Lx) -> None:
    task = repo / "data/tasks/t2022-002.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("完成乙事", "完成乙事（改）"), encoding="utf-8")
    new = repo / "data/reports/2022-08/alpha.yaml"
    new.parent.mkdir()
    new.write_text((repo / "data/reports/2022-07/alpha.yaml").read_text(encoding="utf-8").replace("2022-07", "2022-08"))
    git(repo, "rm", "-q", "data/letters/l2022-001.yaml")  # a staged deletion
    (repo / "data/笔记.docx").write_bytes(b"PK")  # not lx's: left alone
    (repo / "README.txt").write_text("outside data/", encoding="utf-8")
    result = lx("save", cwd=repo)
    assert result.exit_code == 0, result.output
    subject = git(repo, "log", "-1", "--format=%s").strip()
    assert subject == "数据: 删除 函件 l2022-001；新增 月报 2022-08/alpha；修改 任务 t2022-002"
    assert _files_of_head(repo) == [
        "A\tdata/reports/2022-08/alpha.yaml",
        "D\tdata/letters/l2022-001.yaml",
        "M\tdata/tasks/t2022-002.yaml",
    ]
    status = git(repo, "-c", "core.quotePath=false", "status", "--porcelain", "--untracked-files=all")
    assert sorted(status.splitlines()) == ["?? README.txt", "?? data/笔记.docx"]


def test_an_unstaged_deletion_and_a_message(repo: Path, lx: Lx) -> None:
    (repo / "data/tasks/t2022-002.yaml").unlink()
    result = lx("save", "-m", "删除重复的任务", cwd=repo)
    assert result.exit_code == 0, result.output
    assert git(repo, "log", "-1", "--format=%s").strip() == "删除重复的任务"
    assert _files_of_head(repo) == ["D\tdata/tasks/t2022-002.yaml"]
    assert git(repo, "status", "--porcelain") == ""


def test_findings_commit_nothing(repo: Path, lx: Lx) -> None:
    task = repo / "data/tasks/t2022-002.yaml"
    task.write_text(task.read_text(encoding="utf-8") + "deu: 2022-12-01\n", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD")
    result = lx("save", cwd=repo)
    assert result.exit_code == 1 and "data/tasks/t2022-002.yaml:8:1: 未知字段 `deu`" in result.output
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == " M data/tasks/t2022-002.yaml\n"


def test_save_refuses_without_identity_and_on_a_detached_head(repo: Path) -> None:
    (repo / "data/tasks/t2022-002.yaml").unlink()
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER")) and k != "EMAIL"}
    head = git(repo, "rev-parse", "HEAD")
    done = subprocess.run([LX, "save"], cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "Git 还不知道提交人是谁" in done.stderr
    assert (
        git(repo, "rev-parse", "HEAD") == head
        and git(repo, "status", "--porcelain") == " D data/tasks/t2022-002.yaml\n"
    )
    git(repo, "config", "user.name", "测试员")
    git(repo, "config", "user.email", "tester@example.org")
    git(repo, "checkout", "-q", "--detach")
    done = subprocess.run([LX, "save"], cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "detached HEAD" in done.stderr
    assert git(repo, "status", "--porcelain") == " D data/tasks/t2022-002.yaml\n"


def test_a_killed_save_leaves_the_edits_as_they_were(repo: Path) -> None:
    task = repo / "data/tasks/t2022-002.yaml"
    edited = task.read_text(encoding="utf-8").replace("完成乙事", "完成乙事（改）")
    task.write_text(edited, encoding="utf-8")
    (repo / "data/letters/l2022-001.yaml").unlink()
    head = git(repo, "rev-parse", "HEAD")
    for point in ("journaled", "wrote-1", "validated", "staged"):
        env = {**os.environ, "LX_CRASH_AT": point}
        assert subprocess.run([LX, "save"], cwd=repo, env=env, capture_output=True, check=False).returncode == -9
        after = subprocess.run([LX, "validate"], cwd=repo, capture_output=True, text=True, check=False)
        assert after.returncode == 0, (point, after.stdout, after.stderr)
        assert git(repo, "rev-parse", "HEAD") == head
        assert task.read_text(encoding="utf-8") == edited
        assert not (repo / "data/letters/l2022-001.yaml").exists()
        assert sorted(git(repo, "status", "--porcelain").splitlines()) == [
            " D data/letters/l2022-001.yaml",
            " M data/tasks/t2022-002.yaml",
        ], point
    assert subprocess.run([LX, "save"], cwd=repo, capture_output=True, check=False).returncode == 0
    assert git(repo, "status", "--porcelain") == ""

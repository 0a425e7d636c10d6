"""Spec 8.1, held by every writing command alike, on a committed copy of the bundled data.

For each command: ``--format json`` names the commit and exactly the files it holds, and the commit
message starts with the record kind; ``--dry-run`` shows the change and writes nothing; ``--no-commit``
writes without committing; a dirty data folder, a detached HEAD and a missing Git identity are refused
with HEAD and the tree untouched. The commands' own tests cover what each one writes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import git

LX = str(Path(sys.executable).with_name("lx"))
TODAY = "2023-01-12"
PENDING = "extensions:\n- requested: 2023-01-05\n  new_due: 2023-06-30\n  reason: 配套政策尚未出台\n"

# name → (arguments, commit message prefix, a file the commit must hold, set-up)
COMMANDS: dict[str, tuple[list[str], str, str, str | None]] = {
    "task new": (
        ["task", "new", "--title", "测试任务", "--target", "测试目标", "--lead", "区民政局", "--due", "2023-03-31"],
        "任务: ",
        "data/tasks/t2023-001.yaml",
        None,
    ),
    "task done": (["task", "done", "t2022-003"], "任务: ", "data/tasks/t2022-003.yaml", None),
    "task done --milestone": (
        ["task", "done", "t2022-001", "--milestone", "2"],
        "任务: ",
        "data/tasks/t2022-001.yaml",
        None,
    ),
    "task cancel": (
        ["task", "cancel", "t2022-009", "--reason", "并入其他任务"],
        "任务: ",
        "data/tasks/t2022-009.yaml",
        None,
    ),
    "task extend": (
        ["task", "extend", "t2022-011", "--to", "2023-06-30", "--reason", "配套政策尚未出台"],
        "任务: ",
        "data/tasks/t2022-011.yaml",
        None,
    ),
    "task approve": (
        ["task", "approve", "t2022-011", "--by", "杜潘祚"],
        "任务: ",
        "data/tasks/t2022-011.yaml",
        "pending",
    ),
    "task refuse": (
        ["task", "refuse", "t2022-011", "--by", "杜潘祚"],
        "任务: ",
        "data/tasks/t2022-011.yaml",
        "pending",
    ),
    "letters reply": (
        ["letters", "reply", "l2022-002", "--note", "已组织培训"],
        "函件: ",
        "data/letters/l2022-002.yaml",
        None,
    ),
    "letters issue": (["letters", "issue", "-o", "函件"], "函件: ", "data/letters/l2023-001.yaml", None),
    "letters issue --task": (
        ["letters", "issue", "--task", "t2022-001", "--kind", "reminder", "--reason", "进度明显滞后", "-o", "函件"],
        "函件: ",
        "data/letters/l2023-001.yaml",
        None,
    ),
    "meeting hold": (
        ["meeting", "hold", "2023-q1", "--date", "2023-01-10", "--chair", "曾瑞华"],
        "会议: ",
        "data/meetings/2023-q1.yaml",
        None,
    ),
    "meeting decide": (
        [
            *("meeting", "decide", "2022-q3", "--text", "推进试点", "--lead", "minzheng", "--due", "2023-03-31"),
            *("--title", "试点推进", "--target", "完成试点"),
        ],
        "会议: ",
        "data/meetings/2022-q3.yaml",
        None,
    ),
    "meeting agenda --write": (["meeting", "agenda", "--write"], "会议: ", "data/meetings/2023-q1.yaml", None),
    "handover": (
        ["handover", "--unit", "区民政局", "--role", "liaison", "--to", "张三"],
        "交接: ",
        "data/units/minzheng.yaml",
        None,
    ),
    "reports import": (["reports", "import", "form.xlsx"], "月报: ", "data/reports/2023-01/minzheng.yaml", "form"),
}


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "LX_TODAY": TODAY, "COLUMNS": "120"} if env is None else env
    return subprocess.run([LX, *args], cwd=root, env=full, capture_output=True, text=True, check=False)


def _state(root: Path) -> tuple[str, str]:
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain", "--untracked-files=all")


@pytest.fixture
def office(bundled: Path, request: pytest.FixtureRequest) -> Path:
    name = request.node.callspec.params["name"]
    if COMMANDS[name][3] == "pending":
        path = bundled / "data/tasks/t2022-011.yaml"
        text = path.read_text(encoding="utf-8").replace("status: open\n", "status: open\n" + PENDING)
        path.write_text(text, encoding="utf-8")
        git(bundled, "commit", "-qam", "延期申请")
    if COMMANDS[name][3] == "form":  # a filled monthly report form beside data/ (not a data file)
        from tests.test_report_form import fill

        made = _run(bundled, "reports", "form", "--unit", "区民政局", "--month", "2023-01", "-o", "form.xlsx")
        assert made.returncode == 0, made.stderr
        fill(bundled / "form.xlsx", submitted=date(2023, 1, 10))
    return bundled


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_names_the_commit_and_exactly_its_files(office: Path, name: str) -> None:
    args, prefix, must, _ = COMMANDS[name]
    head = git(office, "rev-parse", "HEAD")
    done = _run(office, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) >= {"commit", "files", "ids"}
    assert out["commit"] == git(office, "rev-parse", "HEAD").strip() != head.strip()
    assert git(office, "rev-parse", "HEAD~1") == head
    committed = git(office, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(out["files"]) == sorted(committed) and must in committed
    assert out["ids"] and all(isinstance(i, str) for i in out["ids"])
    assert git(office, "log", "-1", "--format=%s").startswith(prefix)
    assert [line for line in git(office, "status", "--porcelain").splitlines() if "data/" in line] == []
    assert _run(office, "validate").returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_dry_run_shows_the_change_and_writes_nothing(office: Path, name: str) -> None:
    args, _, must, _ = COMMANDS[name]
    before = _state(office)
    done = _run(office, *args, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"+++ b/{must}" in done.stdout
    assert _state(office) == before
    assert not (office / "函件").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_commit_writes_without_committing(office: Path, name: str) -> None:
    args, _, must, _ = COMMANDS[name]
    head = git(office, "rev-parse", "HEAD")
    done = _run(office, *args, "--no-commit")
    assert done.returncode == 0, done.stderr
    assert git(office, "rev-parse", "HEAD") == head
    assert must in git(office, "status", "--porcelain", "--untracked-files=all")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_refusals_leave_head_and_tree_untouched(office: Path, name: str) -> None:
    args = COMMANDS[name][0]
    stray = office / "data/tasks/t2099-001.yaml"  # a file Git does not have
    stray.write_text(stray.name, encoding="utf-8")
    before = _state(office)
    dirty = _run(office, *args)
    assert dirty.returncode == 1 and "未提交的修改" in dirty.stderr
    assert _state(office) == before
    stray.unlink()

    git(office, "checkout", "-q", "--detach")
    before = _state(office)
    detached = _run(office, *args)
    assert detached.returncode == 1 and "detached HEAD" in detached.stderr
    assert _state(office) == before
    git(office, "checkout", "-q", "main")

    git(office, "config", "--unset", "user.name")
    git(office, "config", "--unset", "user.email")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER")) and k != "EMAIL"}
    before = _state(office)
    anonymous = _run(office, *args, env={**env, "LX_TODAY": TODAY})
    assert anonymous.returncode == 1 and "Git 还不知道提交人是谁" in anonymous.stderr
    assert _state(office) == before
    assert not (office / "函件").exists()

"""`lx task new|done --milestone|cancel|extend|approve|refuse` (spec 8.1, 8.2): each writes exactly the
expected bytes of one task file in one commit, and every refusal writes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import Result

from laoxiao_cli.repo import yamlio
from tests.conftest import Lx, git, make_repo

LX = str(Path(sys.executable).with_name("lx"))
TODAY = {"LX_TODAY": "2022-12-01"}
T1 = "data/tasks/t2022-001.yaml"  # open, key, from meeting 2022-q3, start 2022-07-01, due 2022-09-30
T3 = "data/tasks/t2022-003.yaml"
T3_TEXT = """\
# 手工维护的任务（注释须保留）
id: t2022-003
title: 完成丙事
target: 丙事按期完成
lead: beta
start: 2022-10-01
due: 2023-03-31
milestones:
- name: 方案
  due: 2022-11-30
  done: 2022-11-25   # 已完成
- name: 试点
  due: 2023-01-31
status: open   # 在办
weight: 1.5
"""
PLANNED = "id: 2022-q4\nkind: regular\nstatus: planned\ndate: 2022-12-20\n"


@pytest.fixture
def steps(tmp_path: Path) -> Path:
    """The base repository, a task in the bundled data's block style (t2022-003), a planned meeting."""
    return make_repo(tmp_path / "repo", {T3: T3_TEXT, "data/meetings/2022-q4.yaml": PLANNED})


def state(repo: Path) -> tuple[str, str]:
    return git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain", "--untracked-files=all")


def committed(repo: Path, result: Result, message: str, rel: str, record: str) -> bytes:
    """The command succeeded with one commit of exactly ``rel``; returns the file's bytes."""
    assert result.exit_code == 0, result.output
    head = git(repo, "rev-parse", "HEAD").strip()
    assert json.loads(result.stdout) == {"commit": head, "files": [rel], "ids": [record]}
    assert git(repo, "log", "-1", "--format=%s").strip() == message
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [rel]
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    return (repo / rel).read_bytes()


def refused(repo: Path, lx: Lx, args: list[str], text: str, code: int = 1, env: dict[str, str] = TODAY) -> Result:
    before = state(repo)
    result = lx(*args, cwd=repo, env=env)
    assert result.exit_code == code, result.output
    assert text in result.output
    assert "Traceback" not in result.output
    assert state(repo) == before
    return result


def check(repo: Path, lx: Lx, *args: str, as_of: str = "2022-12-01") -> dict:  # type: ignore[type-arg]
    result = lx(*args, "--format", "json", "--as-of", as_of, cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def row(repo: Path, lx: Lx, task_id: str, as_of: str = "2022-12-01") -> dict:  # type: ignore[type-arg]
    items = check(repo, lx, "checklist", as_of=as_of)["items"]
    return next(item for item in items if item["id"] == task_id)  # type: ignore[no-any-return]


# --- lx task new -------------------------------------------------------------------------------------

NEW = ["task", "new", "--title", "新建托育点", "--target", "新增托位50个", "--lead", "甲局全称", "--due", "2023-03-31"]


def test_task_new_writes_every_option_in_the_bundled_style(steps: Path, lx: Lx) -> None:
    args = [*NEW, "--support", "乙局", "--duty", "alpha.2", "--key", "--start", "2022-12-01", "--weight", "3"]
    args += ["--milestone", "选址:2023-01-15", "--milestone", "开园：2023-03-01", "-f", "json"]
    result = lx(*args, cwd=steps, env=TODAY)
    rel = "data/tasks/t2022-004.yaml"
    assert (
        committed(steps, result, "任务: 新增 t2022-004 新建托育点", rel, "t2022-004")
        == (
            "# 任务记录（lx task new 生成）\n"
            "id: t2022-004\n"
            "title: 新建托育点\n"
            "target: 新增托位50个\n"
            "lead: alpha\n"
            "support:\n- beta\n"
            "duties:\n- alpha.2\n"
            "key: true\n"
            "start: 2022-12-01\n"
            "due: 2023-03-31\n"
            "milestones:\n- name: 选址\n  due: 2023-01-15\n- name: 开园\n  due: 2023-03-01\n"
            "status: open\n"
            "weight: 3\n"
        ).encode()
    )
    assert lx("validate", cwd=steps).exit_code == 0
    assert row(steps, lx, "t2022-004")["state"] == "open"


@pytest.mark.parametrize(
    ("today", "extra", "expected"),
    [
        ("2022-12-01", [], "t2022-004"),  # one more than the largest t2022-NNN
        ("2023-01-05", [], "t2023-001"),  # a new year starts at 001
        ("2022-12-01", ["--id", "tuoyu-1"], "tuoyu-1"),
    ],
)
def test_task_new_numbers_the_task(steps: Path, lx: Lx, today: str, extra: list[str], expected: str) -> None:
    result = lx(*NEW, *extra, "-f", "json", cwd=steps, env={"LX_TODAY": today})
    data = committed(steps, result, f"任务: 新增 {expected} 新建托育点", f"data/tasks/{expected}.yaml", expected)
    assert (
        data
        == (
            f"# 任务记录（lx task new 生成）\nid: {expected}\ntitle: 新建托育点\ntarget: 新增托位50个\nlead: alpha\n"
            "due: 2023-03-31\nstatus: open\n"
        ).encode()
    )


def test_task_new_from_a_held_meeting(steps: Path, lx: Lx) -> None:
    """A task the office makes later from a meeting (its minutes need not name it: the spec's rule goes
    from a decision to its task, not back)."""
    result = lx(*NEW, "--meeting", "2022-q3", "-f", "json", cwd=steps, env={"LX_TODAY": "2022-12-01"})
    data = committed(steps, result, "任务: 新增 t2022-004 新建托育点", "data/tasks/t2022-004.yaml", "t2022-004")
    assert data.endswith(b"status: open\nsource:\n  meeting: 2022-q3\n")
    assert lx("validate", cwd=steps).exit_code == 0


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        (["--lead", "丙局"], "没有名为“丙局”的单位；是否是："),
        (["--support", "丁局"], "没有名为“丁局”的单位"),
        (["--id", "t2022-001"], "任务编号 t2022-001 已被使用"),
        (["--id", "T-1"], "任务编号“T-1”不合规"),
        (["--meeting", "2022-q9"], "没有编号为“2022-q9”的会议"),
        (["--meeting", "2022-q4"], "会议 2022-q4 尚未召开"),
        (["--title", "  "], "data/tasks/t2022-004.yaml:3:8: `title`（标题）：不能只有空格"),
        (["--duty", "alpha.9"], "职责“alpha.9”不存在"),
        (["--weight", "0"], "权重应为大于 0 的数字"),
        (["--start", "2023-04-01"], "开始日期 2023-04-01 晚于截止日期 2023-03-31"),
        (["--milestone", "验收:2023-04-30"], "节点“验收”的期限 2023-04-30 晚于任务的截止日期 2023-03-31"),
    ],
)
def test_task_new_refusals_write_nothing(steps: Path, lx: Lx, extra: list[str], text: str) -> None:
    refused(steps, lx, [*NEW, *extra], text)


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        (["--milestone", "选址"], "“选址”应写成 名称:YYYY-MM-DD"),
        (["--milestone", ":2023-01-15"], "应写成 名称:YYYY-MM-DD"),
        (["--milestone", "选址:2023-02-30"], "“2023-02-30”不是日期"),
        (["--milestone", "选址:3023-01-15"], "日期超出范围"),
        (["--due", "2023-3-31"], "不是日期"),
        (["--weight", "一"], "不是整数"),
    ],
)
def test_task_new_bad_values_are_usage_errors(steps: Path, lx: Lx, extra: list[str], text: str) -> None:
    result = refused(steps, lx, [*NEW, *extra], text, code=2)
    assert "用法错误" in result.output


def test_task_new_requires_its_options(steps: Path, lx: Lx) -> None:
    refused(steps, lx, ["task", "new", "--title", "甲"], "缺少必需的选项 --target", code=2)


def test_task_new_dry_run_and_no_commit(steps: Path, lx: Lx) -> None:
    head = git(steps, "rev-parse", "HEAD")
    dry = lx(*NEW, "--dry-run", cwd=steps, env=TODAY)
    assert dry.exit_code == 0 and "+++ b/data/tasks/t2022-004.yaml" in dry.stdout and "+title: 新建托育点" in dry.stdout
    assert state(steps) == (head, "")
    written = lx(*NEW, "--no-commit", cwd=steps, env=TODAY)
    assert written.exit_code == 0 and "未提交" in written.output
    assert state(steps) == (head, "?? data/tasks/t2022-004.yaml\n")


# --- lx task done --milestone N ----------------------------------------------------------------------


def test_task_done_milestone_in_block_style(steps: Path, lx: Lx) -> None:
    result = lx(
        "task", "done", "t2022-003", "--milestone", "2", "--date", "2022-11-30", "-f", "json", cwd=steps, env=TODAY
    )
    data = committed(steps, result, "任务: t2022-003 节点2 完成", T3, "t2022-003")
    assert data == T3_TEXT.replace("  due: 2023-01-31\n", "  due: 2023-01-31\n  done: 2022-11-30\n").encode()
    assert yamlio.parse(data).data["status"] == "open"


def test_task_done_milestone_in_flow_style(tmp_path: Path, lx: Lx) -> None:
    text = (Path(__file__).parent / "examples/base" / T1).read_text(encoding="utf-8")
    flow = text.replace("done: 2022-08-10}\n", "done: 2022-08-10}\n  - {name: 验收, due: 2022-09-25}   # 二\n")
    repo = make_repo(tmp_path / "r", {T1: flow})
    result = lx("task", "done", "t2022-001", "--milestone", "2", "-f", "json", cwd=repo, env=TODAY)
    data = committed(repo, result, "任务: t2022-001 节点2 完成", T1, "t2022-001")
    assert data == flow.replace("2022-09-25}", "2022-09-25, done: 2022-12-01}").encode()


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["t2022-003", "--milestone", "0"], "任务 t2022-003 只有 2 个节点：--milestone 应为 1–2"),
        (["t2022-003", "--milestone", "3"], "只有 2 个节点"),
        (["t2022-003", "--milestone", "1"], "节点1“方案”已于 2022-11-25 完成"),
        (["t2022-003", "--milestone", "2", "--date", "2022-12-02"], "完成日期 2022-12-02 晚于今天（2022-12-01）"),
        (["t2022-003", "--milestone", "2", "--date", "2022-09-30"], "早于任务的开始日期 2022-10-01"),
        (["t2022-002", "--milestone", "1"], "只有在办的任务才能记录节点完成"),
        (["t2099-001", "--milestone", "1"], "没有编号为“t2099-001”的任务"),
    ],
)
def test_task_done_milestone_refusals(steps: Path, lx: Lx, args: list[str], text: str) -> None:
    refused(steps, lx, ["task", "done", *args], text)


def test_task_done_milestone_of_a_task_without_milestones(steps: Path, lx: Lx) -> None:
    assert lx(*NEW, cwd=steps, env=TODAY).exit_code == 0
    refused(steps, lx, ["task", "done", "t2022-004", "--milestone", "1"], "任务 t2022-004 没有节点")


# --- lx task cancel ----------------------------------------------------------------------------------


def test_task_cancel(steps: Path, lx: Lx) -> None:
    result = lx(
        "task",
        "cancel",
        "t2022-003",
        "--reason",
        "并入 t2022-001",
        "--date",
        "2022-11-30",
        "-f",
        "json",
        cwd=steps,
        env=TODAY,
    )
    data = committed(steps, result, "任务: t2022-003 取消", T3, "t2022-003")
    assert (
        data
        == T3_TEXT.replace(
            "status: open   # 在办\n",
            "status: cancelled   # 在办\ncancelled: {date: 2022-11-30, reason: 并入 t2022-001}\n",
        ).encode()
    )
    assert row(steps, lx, "t2022-003")["state"] == "cancelled"


@pytest.mark.parametrize(
    ("args", "text", "code"),
    [
        (["t2022-002", "--reason", "不再需要"], "任务 t2022-002 已于 2022-10-20 完成：只有在办的任务才能取消", 1),
        (["t2022-003", "--reason", "不再需要", "--date", "2022-12-02"], "取消日期 2022-12-02 晚于今天", 1),
        (["t2022-003", "--reason", " "], "`reason`", 1),
        (["t2022-003"], "缺少必需的选项 --reason", 2),
    ],
)
def test_task_cancel_refusals(steps: Path, lx: Lx, args: list[str], text: str, code: int) -> None:
    refused(steps, lx, ["task", "cancel", *args], text, code)


def test_a_cancelled_task_cannot_be_cancelled_again(steps: Path, lx: Lx) -> None:
    assert lx("task", "cancel", "t2022-003", "--reason", "并入", cwd=steps, env=TODAY).exit_code == 0
    refused(steps, lx, ["task", "cancel", "t2022-003", "--reason", "并入"], "任务 t2022-003 已取消")
    refused(steps, lx, ["task", "extend", "t2022-003", "--to", "2023-04-30", "--reason", "x"], "已取消")
    refused(steps, lx, ["task", "done", "t2022-003"], "已取消")


# --- lx task extend / approve / refuse ---------------------------------------------------------------

EXTEND = ["task", "extend", "t2022-003", "--to", "2023-04-30", "--reason", "试点学校调整"]
PENDING = "  - {requested: 2022-12-01, new_due: 2023-04-30, reason: 试点学校调整, approved: null}\n"


def with_extension(line: str) -> bytes:
    return T3_TEXT.replace("status: open   # 在办\n", f"status: open   # 在办\nextensions:\n{line}").encode()


def test_task_extend_appends_a_pending_request(steps: Path, lx: Lx) -> None:
    result = lx(*EXTEND, "-f", "json", cwd=steps, env=TODAY)
    assert committed(steps, result, "任务: t2022-003 申请延期至 2023-04-30", T3, "t2022-003") == with_extension(PENDING)
    assert "不予延期" not in result.stderr
    assert row(steps, lx, "t2022-003")["due"] == "2023-03-31"  # pending: nothing moves


def test_task_extend_already_approved(steps: Path, lx: Lx) -> None:
    args = [*EXTEND, "--requested", "2022-11-20", "--approved", "2022-11-25", "--by", "张一", "-f", "json"]
    data = committed(steps, lx(*args, cwd=steps, env=TODAY), "任务: t2022-003 申请延期至 2023-04-30", T3, "t2022-003")
    line = "  - {requested: 2022-11-20, new_due: 2023-04-30, reason: 试点学校调整, approved: 2022-11-25, by: 张一}\n"
    assert data == with_extension(line)
    assert row(steps, lx, "t2022-003")["due"] == "2023-04-30"
    assert row(steps, lx, "t2022-003", as_of="2022-11-24")["due"] == "2023-03-31"  # not approved yet then


def test_a_late_request_is_recorded_but_moves_nothing(steps: Path, lx: Lx) -> None:
    result = lx(
        "task",
        "extend",
        "t2022-001",
        "--to",
        "2022-12-31",
        "--reason",
        "经费未到位",
        "-f",
        "json",
        cwd=steps,
        env=TODAY,
    )
    data = committed(steps, result, "任务: t2022-001 申请延期至 2022-12-31", T1, "t2022-001")
    assert b"extensions:\n  - {requested: 2022-12-01, new_due: 2022-12-31, reason: \xe7\xbb\x8f" in data
    assert "逾期后申请延期不予延期" in result.stderr and "仍为 2022-09-30" in result.stderr
    approved = lx("task", "approve", "t2022-001", "--by", "组长甲", cwd=steps, env=TODAY)
    assert approved.exit_code == 0, approved.output
    assert "同意也不改变截止日期（仍为 2022-09-30）" in approved.stderr
    overdue = check(steps, lx, "overdue")["items"]
    task = next(i for i in overdue if i["id"] == "t2022-001")
    assert (task["due"], task["days_late"]) == ("2022-09-30", 62)


@pytest.mark.parametrize(
    ("extra", "text", "code"),
    [
        (["--to", "2023-03-31"], "延期至 2023-03-31 不晚于申请时的截止日期 2023-03-31", 1),
        (["--to", "2023-03-01"], "不晚于申请时的截止日期", 1),
        (["--requested", "2022-12-02"], "申请日期 2022-12-02 晚于今天", 1),
        (["--approved", "2022-12-02"], "同意日期 2022-12-02 晚于今天", 1),
        (["--requested", "2022-11-20", "--approved", "2022-11-19"], "同意日期 2022-11-19 早于申请日期 2022-11-20", 1),
        (["--approved", "2022-12-01", "--by", "王三"], "“王三”不能决定任务 t2022-003 的延期", 1),
        (["--by", "张一"], "--by 须与 --approved 同用", 2),
        (["--reason", ""], "`reason`", 1),
    ],
)
def test_task_extend_refusals(steps: Path, lx: Lx, extra: list[str], text: str, code: int) -> None:
    refused(steps, lx, [*EXTEND, *extra], text, code)


def test_task_extend_refusals_by_state(steps: Path, lx: Lx) -> None:
    refused(
        steps, lx, ["task", "extend", "t2022-002", "--to", "2023-04-30", "--reason", "x"], "只有在办的任务才能申请延期"
    )
    # a key task from a meeting decision: only a 组长 or 副组长 decides
    key = ["task", "extend", "t2022-001", "--to", "2022-10-31", "--reason", "x", "--requested", "2022-09-20"]
    refused(steps, lx, [*key, "--approved", "2022-09-21", "--by", "张一"], "由组长、副组长决定（组长甲、副组长乙）")
    assert lx(*EXTEND, cwd=steps, env=TODAY).exit_code == 0
    refused(steps, lx, [*EXTEND, "--to", "2023-05-31"], "上一项延期申请（2022-12-01 申请延期至 2023-04-30）尚未决定")
    assert lx("task", "approve", "t2022-003", cwd=steps, env=TODAY).exit_code == 0
    # the due in force is now 2023-04-30; a request filed before that decision cannot follow it
    refused(
        steps,
        lx,
        [*EXTEND, "--to", "2023-05-31", "--requested", "2022-11-30"],
        "早于上一项延期申请的决定日期 2022-12-01",
    )
    refused(steps, lx, [*EXTEND, "--to", "2023-04-20"], "延期至 2023-04-20 不晚于申请时的截止日期 2023-04-30")


def test_task_approve(steps: Path, lx: Lx) -> None:
    assert lx(*EXTEND, cwd=steps, env=TODAY).exit_code == 0
    result = lx("task", "approve", "t2022-003", "--by", "副组长乙", "-f", "json", cwd=steps, env=TODAY)
    data = committed(steps, result, "任务: t2022-003 同意延期至 2023-04-30", T3, "t2022-003")
    assert data == with_extension(PENDING.replace("approved: null}", "approved: 2022-12-01, by: 副组长乙}"))
    assert row(steps, lx, "t2022-003")["due"] == "2023-04-30"


def test_task_approve_a_different_due(steps: Path, lx: Lx) -> None:
    assert lx(*EXTEND, "--requested", "2022-11-20", cwd=steps, env=TODAY).exit_code == 0
    result = lx(
        "task", "approve", "t2022-003", "--date", "2022-11-22", "--to", "2023-04-15", "-f", "json", cwd=steps, env=TODAY
    )
    data = committed(steps, result, "任务: t2022-003 同意延期至 2023-04-15", T3, "t2022-003")
    line = "  - {requested: 2022-11-20, new_due: 2023-04-15, reason: 试点学校调整, approved: 2022-11-22}\n"
    assert data == with_extension(line)
    assert row(steps, lx, "t2022-003")["due"] == "2023-04-15"


@pytest.mark.parametrize("command", ["approve", "refuse"])
def test_decisions_refused(steps: Path, lx: Lx, command: str) -> None:
    refused(steps, lx, ["task", command, "t2022-003"], "任务 t2022-003 没有待决定的延期申请")
    assert lx(*EXTEND, "--requested", "2022-11-20", cwd=steps, env=TODAY).exit_code == 0
    what = "同意日期" if command == "approve" else "不同意日期"
    refused(
        steps, lx, ["task", command, "t2022-003", "--date", "2022-11-19"], f"{what} 2022-11-19 早于申请日期 2022-11-20"
    )
    refused(steps, lx, ["task", command, "t2022-003", "--date", "2022-12-02"], f"{what} 2022-12-02 晚于今天")
    refused(steps, lx, ["task", command, "t2022-003", "--by", "王三"], "“王三”不能决定任务 t2022-003 的延期")
    refused(steps, lx, ["task", command, "t2099-001"], "没有编号为“t2099-001”的任务")


def test_task_approve_refuses_a_due_not_after_the_one_in_force(steps: Path, lx: Lx) -> None:
    assert lx(*EXTEND, cwd=steps, env=TODAY).exit_code == 0
    refused(
        steps,
        lx,
        ["task", "approve", "t2022-003", "--to", "2023-03-31"],
        "同意延期至 2023-03-31 不晚于申请时的截止日期",
    )


def test_task_refuse_then_a_new_request(steps: Path, lx: Lx) -> None:
    assert lx(*EXTEND, cwd=steps, env=TODAY).exit_code == 0
    result = lx("task", "refuse", "t2022-003", "--by", "组长甲", "-f", "json", cwd=steps, env=TODAY)
    data = committed(steps, result, "任务: t2022-003 不同意延期", T3, "t2022-003")
    refused_line = PENDING.replace("approved: null}", "refused: 2022-12-01, by: 组长甲}")
    assert data == with_extension(refused_line)
    assert row(steps, lx, "t2022-003")["due"] == "2023-03-31"
    again = lx(*EXTEND, "--to", "2023-04-15", "-f", "json", cwd=steps, env=TODAY)
    second = "  - {requested: 2022-12-01, new_due: 2023-04-15, reason: 试点学校调整, approved: null}\n"
    assert committed(steps, again, "任务: t2022-003 申请延期至 2023-04-15", T3, "t2022-003") == with_extension(
        refused_line + second
    )
    cancel = lx("task", "cancel", "t2022-003", "--reason", "并入", "-f", "json", cwd=steps, env=TODAY)
    assert committed(steps, cancel, "任务: t2022-003 取消", T3, "t2022-003") == with_extension(
        refused_line + second + "cancelled: {date: 2022-12-01, reason: 并入}\n"
    ).replace(b"status: open", b"status: cancelled")


# --- what every writing command holds to (spec 8.1) --------------------------------------------------

PENDING_FIRST = ["task", "extend", "t2022-003", "--to", "2023-04-30", "--reason", "x"]
COMMANDS = {
    "new": (None, NEW),
    "done --milestone": (None, ["task", "done", "t2022-003", "--milestone", "2"]),
    "cancel": (None, ["task", "cancel", "t2022-003", "--reason", "并入"]),
    "extend": (None, PENDING_FIRST),
    "approve": (PENDING_FIRST, ["task", "approve", "t2022-003"]),
    "refuse": (PENDING_FIRST, ["task", "refuse", "t2022-003"]),
}


def _prepare(repo: Path, lx: Lx, name: str) -> list[str]:
    setup, args = COMMANDS[name]
    if setup is not None:
        assert lx(*setup, cwd=repo, env=TODAY).exit_code == 0
    return args


@pytest.mark.parametrize("name", COMMANDS)
def test_refuses_a_dirty_data_folder(steps: Path, lx: Lx, name: str) -> None:
    args = _prepare(steps, lx, name)
    (steps / "data/units/beta.yaml").write_text(
        (steps / "data/units/beta.yaml").read_text(encoding="utf-8") + "# 手工备注\n", encoding="utf-8"
    )
    refused(steps, lx, args, "数据文件夹有未提交的修改（data/units/beta.yaml）")


@pytest.mark.parametrize("name", COMMANDS)
def test_refuses_a_detached_head_and_no_identity(steps: Path, lx: Lx, name: str) -> None:
    args = _prepare(steps, lx, name)
    git(steps, "checkout", "-q", "--detach")
    before = state(steps)
    done = subprocess.run(
        [LX, *args], cwd=steps, env={**os.environ, **TODAY}, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "detached HEAD" in done.stderr
    assert state(steps) == before
    git(steps, "checkout", "-q", "main")
    git(steps, "config", "--unset", "user.name")
    git(steps, "config", "--unset", "user.email")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER")) and k != "EMAIL"}
    before = state(steps)
    done = subprocess.run([LX, *args], cwd=steps, env={**env, **TODAY}, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "Git 还不知道提交人是谁" in done.stderr
    assert state(steps) == before


@pytest.mark.parametrize("name", COMMANDS)
def test_dry_run_shows_the_change_and_writes_nothing(steps: Path, lx: Lx, name: str) -> None:
    args = _prepare(steps, lx, name)
    before = state(steps)
    result = lx(*args, "--dry-run", cwd=steps, env=TODAY)
    assert result.exit_code == 0, result.output
    assert "+++ b/data/tasks/" in result.stdout and "预演" in result.output
    assert state(steps) == before


@pytest.mark.parametrize("command", ["new", "done", "cancel", "extend", "approve", "refuse"])
def test_help_is_chinese(lx: Lx, command: str) -> None:
    result = lx("task", command, "--help")
    assert result.exit_code == 0 and "用法：" in result.output and "显示此帮助并退出" in result.output
    assert "Show this message" not in result.output


KILLED = {
    "new": NEW,
    "extend": ["task", "extend", "t2022-001", "--to", "2022-12-31", "--reason", "x"],
}


@pytest.mark.slow
@pytest.mark.parametrize("point", ["locked", "journaled", "wrote-1", "validated", "staged", "committed"])
@pytest.mark.parametrize("name", KILLED)
def test_a_killed_command_is_undone_or_completed(steps: Path, name: str, point: str) -> None:
    before = state(steps)
    files = {p: p.read_bytes() for p in (steps / "data").rglob("*.yaml")}
    env = {**os.environ, **TODAY, "LX_CRASH_AT": point}
    killed = subprocess.run([LX, *KILLED[name]], cwd=steps, env=env, capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL
    env.pop("LX_CRASH_AT")
    after = subprocess.run([LX, "validate"], cwd=steps, env=env, capture_output=True, text=True, check=False)
    assert after.returncode == 0, after.stdout + after.stderr
    if point == "committed":  # the commit landed: the write is finished, as an uninterrupted run leaves it
        assert git(steps, "log", "-1", "--format=%s").startswith("任务: ")
        assert git(steps, "status", "--porcelain", "--untracked-files=all") == ""
        return
    assert state(steps) == before
    assert {p: p.read_bytes() for p in (steps / "data").rglob("*.yaml")} == files
    if point != "locked":
        assert "已撤销" in after.stderr
    again = subprocess.run([LX, *KILLED[name]], cwd=steps, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr

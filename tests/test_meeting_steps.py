"""`lx meeting hold`, `lx meeting decide` and `lx meeting agenda --write` (spec 8.3): what each writes,
byte for byte, in one commit, and every refusal writing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from laoxiao_cli.repo import yamlio
from tests.conftest import Lx, git, make_repo

LX = str(Path(sys.executable).with_name("lx"))
TODAY = {"LX_TODAY": "2022-11-05"}
HELD = "data/meetings/2022-q3.yaml"  # held 2022-09-01, chaired by 副组长乙 for 组长甲; two decisions
PLANNED = "data/meetings/2022-q4.yaml"
HAND_PLANNED = (
    "id: 2022-q4\nkind: regular\nstatus: planned\ndate: 2022-12-20\nattendees: [alpha]  # 拟参会\nagenda: [听取进展]\n"
)


def _untouched(repo: Path, head: str) -> None:
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def _head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD")


def _subject(repo: Path) -> str:
    return git(repo, "log", "-1", "--format=%s").strip()


def _committed(repo: Path) -> list[str]:
    return sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split())


@pytest.fixture
def planned(repo: Path, lx: Lx) -> Path:
    """The base repository with the 2022-q4 meeting `agenda --write` plans (date 2022-11-02)."""
    result = lx("meeting", "agenda", "--as-of", "2022-10-26", "--write", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    return repo


# --- lx meeting hold -------------------------------------------------------------------------------


def test_hold_a_planned_meeting_edits_it_in_place(planned: Path, lx: Lx) -> None:
    before = (planned / PLANNED).read_text(encoding="utf-8")
    result = lx(
        "meeting", "hold", "2022-q4", "--date", "2022-11-04", "--chair", "副组长乙", "--on-behalf-of", "组长甲",
        "--attendee", "甲局", "--attendee", "beta", "--heard", "alpha", "-f", "json", cwd=planned, env=TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"commit": _head(planned).strip(), "files": [PLANNED], "ids": ["2022-q4"]}
    assert _subject(planned) == "会议: 2022-q4 已召开" and _committed(planned) == [PLANNED]
    expected = (
        before.replace("status: planned\ndate: 2022-11-02\n", "status: held\ndate: 2022-11-04\n")
        .replace("chair: null\non_behalf_of: null\n", "chair: 副组长乙\non_behalf_of: 组长甲\n")
        .replace("attendees: []\n", "attendees:\n- alpha\n- beta\n")
        .replace("heard: []\n", "heard:\n- alpha\n")
    )
    assert (planned / PLANNED).read_text(encoding="utf-8") == expected
    assert lx("validate", cwd=planned).exit_code == 0
    minutes = lx("meeting", "minutes", "2022-q4", cwd=planned)
    assert minutes.exit_code == 0 and "副组长乙（受组长组长甲委托）主持召开" in minutes.stdout


def test_hold_chaired_by_a_leader_drops_the_empty_on_behalf_of(planned: Path, lx: Lx) -> None:
    before = (planned / PLANNED).read_text(encoding="utf-8")
    result = lx("meeting", "hold", "2022-q4", "--chair", "组长甲", cwd=planned, env=TODAY)
    assert result.exit_code == 0, result.output
    expected = before.replace(
        "status: planned\ndate: 2022-11-02\nchair: null\non_behalf_of: null\n",
        "status: held\ndate: 2022-11-05\nchair: 组长甲\n",
    )
    assert (planned / PLANNED).read_text(encoding="utf-8") == expected


def test_hold_a_hand_written_planned_meeting(tmp_path: Path, lx: Lx) -> None:
    repo = make_repo(tmp_path / "r", {PLANNED: HAND_PLANNED})
    result = lx(
        "meeting", "hold", "2022-q4", "--date", "2022-11-01", "--chair", "组长甲", "--heard", "乙局",
        "--kind", "regular", cwd=repo, env=TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (repo / PLANNED).read_text(encoding="utf-8") == (
        "id: 2022-q4\nkind: regular\nstatus: held\ndate: 2022-11-01\nchair: 组长甲\n"
        "attendees: [alpha]  # 拟参会\nagenda: [听取进展]\nheard:\n- beta\n"
    )


def test_hold_creates_a_missing_meeting(repo: Path, lx: Lx) -> None:
    result = lx(
        "meeting", "hold", "2022-s1", "--kind", "special", "--date", "2022-10-08", "--chair", "组长甲",
        "--attendee", "alpha", "-f", "json", cwd=repo, env=TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"] == ["data/meetings/2022-s1.yaml"]
    assert (repo / "data/meetings/2022-s1.yaml").read_text(encoding="utf-8") == (
        "id: 2022-s1\nkind: special\nstatus: held\ndate: 2022-10-08\nchair: 组长甲\non_behalf_of: null\n"
        "attendees:\n- alpha\nagenda: []\nheard: []\nreviewed: []\ndecisions: []\n"
    )
    assert _committed(repo) == ["data/meetings/2022-s1.yaml"] and _subject(repo) == "会议: 2022-s1 已召开"


def test_a_new_meeting_is_regular_by_default_and_checked(repo: Path, lx: Lx) -> None:
    head = _head(repo)
    wrong_quarter = lx("meeting", "hold", "2022-q4", "--date", "2022-09-30", "--chair", "组长甲", cwd=repo, env=TODAY)
    assert wrong_quarter.exit_code == 1, wrong_quarter.output  # a regular meeting's id names its quarter
    _untouched(repo, head)
    ok = lx("meeting", "hold", "2022-q4", "--date", "2022-10-31", "--chair", "组长甲", cwd=repo, env=TODAY)
    assert ok.exit_code == 0, ok.output
    assert "kind: regular\nstatus: held\n" in (repo / PLANNED).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["2022-q3", "--chair", "组长甲"], "会议 2022-q3 已于 2022-09-01 召开"),
        (["2022-q4", "--chair", "组长甲", "--date", "2022-11-06"], "晚于今天"),
        (["2022-q4", "--chair", "张三"], "主持人“张三”不是组长或副组长；应为：组长甲、副组长乙"),
        (
            ["2022-q4", "--chair", "副组长乙"],
            "副组长 副组长乙 主持会议须用 --on-behalf-of 写明受哪位组长委托（组长甲）",
        ),
        (["2022-q4", "--chair", "副组长乙", "--on-behalf-of", "张三"], "“张三”不是组长"),
        (["2022-q4", "--chair", "组长甲", "--on-behalf-of", "组长甲"], "组长主持会议时不填 --on-behalf-of"),
        (["2022-q4", "--chair", "组长甲", "--attendee", "丙局"], "没有名为“丙局”的单位"),
        (["2022-q4", "--chair", "组长甲", "--heard", "gamma"], "没有名为“gamma”的单位"),
        (["../x", "--chair", "组长甲"], "会议编号“../x”不合规"),
    ],
)
def test_hold_refusals_write_nothing(planned: Path, lx: Lx, args: list[str], refused: str) -> None:
    head = _head(planned)
    result = lx("meeting", "hold", *args, cwd=planned, env=TODAY)
    assert result.exit_code == 1 and refused in result.output, result.output
    _untouched(planned, head)


def test_hold_dry_run_and_no_commit(planned: Path, lx: Lx) -> None:
    head = _head(planned)
    dry = lx("meeting", "hold", "2022-q4", "--chair", "组长甲", "--dry-run", cwd=planned, env=TODAY)
    assert (
        dry.exit_code == 0 and "-status: planned\n" in dry.stdout and "+status: held\n+date: 2022-11-05\n" in dry.stdout
    )
    _untouched(planned, head)
    written = lx("meeting", "hold", "2022-q4", "--chair", "组长甲", "--no-commit", cwd=planned, env=TODAY)
    assert written.exit_code == 0 and _head(planned) == head
    assert "status: held" in (planned / PLANNED).read_text(encoding="utf-8")


def test_hold_requires_a_chair(repo: Path, lx: Lx) -> None:
    result = lx("meeting", "hold", "2022-q4", cwd=repo, env=TODAY)
    assert result.exit_code == 2 and "缺少必需的选项 --chair" in result.output


# --- lx meeting decide -----------------------------------------------------------------------------

DECIDE_TASK = ["--lead", "乙局", "--due", "2023-03-31", "--title", "推进丙事", "--target", "丙事完成"]


def test_decide_without_a_lead_appends_in_the_files_style(repo: Path, lx: Lx) -> None:
    before = (repo / HELD).read_text(encoding="utf-8")
    result = lx("meeting", "decide", "2022-q3", "--text", "加强宣传, 每月一次", "-f", "json", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"commit": _head(repo).strip(), "files": [HELD], "ids": ["2022-q3"]}
    assert (repo / HELD).read_text(encoding="utf-8") == before + '  - {text: "加强宣传, 每月一次"}\n'
    assert _subject(repo) == "会议: 2022-q3 议定事项 3" and _committed(repo) == [HELD]


def test_decide_with_a_lead_creates_and_links_the_task_in_one_commit(repo: Path, lx: Lx) -> None:
    before = (repo / HELD).read_text(encoding="utf-8")
    args = [*DECIDE_TASK, "--support", "alpha", "--key", "--weight", "3"]
    result = lx("meeting", "decide", "2022-q3", "--text", "加快推进丙事", *args, "-f", "json", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    task = "data/tasks/t2022-003.yaml"
    out = json.loads(result.stdout)
    assert out == {"commit": _head(repo).strip(), "files": [HELD, task], "ids": ["2022-q3", "t2022-003"]}
    assert _subject(repo) == "会议: 2022-q3 议定事项 3 → 任务 t2022-003"
    assert _committed(repo) == [HELD, task]
    line = "  - {text: 加快推进丙事, lead: beta, due: 2023-03-31, task: t2022-003}\n"
    assert (repo / HELD).read_text(encoding="utf-8") == before + line
    assert yamlio.parse((repo / task).read_bytes()).data == {
        "id": "t2022-003",
        "title": "推进丙事",
        "target": "丙事完成",
        "lead": "beta",
        "support": ["alpha"],
        "key": True,
        "due": date(2023, 3, 31),
        "status": "open",
        "weight": 3,
        "source": {"meeting": "2022-q3"},
    }
    assert lx("validate", cwd=repo).exit_code == 0


def test_decide_on_the_bundled_data_writes_a_block_item(bundled: Path, lx: Lx) -> None:
    path = bundled / "data/meetings/2022-q3.yaml"
    before = path.read_text(encoding="utf-8")
    args = ["--lead", "区民政局", "--due", "2023-03-31", "--title", "完善平台", "--target", "平台二期上线"]
    result = lx(
        "meeting", "decide", "2022-q3", "--text", "推进平台二期", *args, cwd=bundled, env={"LX_TODAY": "2023-01-05"}
    )
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    added = "- text: 推进平台二期\n  lead: minzheng\n  due: 2023-03-31\n  task: t2023-001\n"
    assert after.startswith(before.rstrip("\n") + "\n") and after == before + added
    assert lx("validate", cwd=bundled).exit_code == 0


def test_decide_on_a_meeting_just_held(planned: Path, lx: Lx) -> None:
    assert lx("meeting", "hold", "2022-q4", "--chair", "组长甲", cwd=planned, env=TODAY).exit_code == 0
    assert lx("meeting", "decide", "2022-q4", "--text", "甲", cwd=planned, env=TODAY).exit_code == 0
    assert lx("meeting", "decide", "2022-q4", "--text", "乙", *DECIDE_TASK, cwd=planned, env=TODAY).exit_code == 0
    text = (planned / PLANNED).read_text(encoding="utf-8")
    assert text.endswith("decisions:\n- text: 甲\n- text: 乙\n  lead: beta\n  due: 2023-03-31\n  task: t2022-003\n")
    assert _subject(planned) == "会议: 2022-q4 议定事项 2 → 任务 t2022-003"
    assert lx("validate", cwd=planned).exit_code == 0


@pytest.mark.parametrize(
    ("meeting", "args", "refused"),
    [
        ("2022-q9", [], "没有编号为“2022-q9”的会议"),
        ("2022-q4", [], "会议 2022-q4 尚未召开：先用 lx meeting hold 记录召开"),
        ("2022-q3", ["--lead", "丙局", "--due", "2023-03-31", "--title", "a", "--target", "b"], "没有名为“丙局”的单位"),
        ("2022-q3", [*DECIDE_TASK, "--support", "gamma"], "没有名为“gamma”的单位"),
        ("2022-q3", ["--lead", "beta", "--due", "2023-03-31", "--title", " ", "--target", "b"], "不能只有空格"),
        (
            "2022-q3",
            ["--lead", "beta", "--due", "2023-03-31", "--title", "a", "--target", "b", "--text", " "],
            "不能只有空格",
        ),
    ],
)
def test_decide_refusals_write_nothing(planned: Path, lx: Lx, meeting: str, args: list[str], refused: str) -> None:
    head = _head(planned)
    result = lx("meeting", "decide", meeting, "--text", "议定", *args, cwd=planned, env=TODAY)
    assert result.exit_code == 1 and refused in result.output, result.output
    _untouched(planned, head)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--lead", "beta"], "--lead 须同时给出 --due、--title、--target"),
        (["--lead", "beta", "--due", "2023-01-01", "--title", "a"], "--lead 须同时给出 --target"),
        (["--due", "2023-01-01", "--key"], "--due、--key 须与 --lead 同用"),
        (["--support", "alpha"], "--support 须与 --lead 同用"),
        ([*DECIDE_TASK, "--weight", "0"], "不是正整数"),
    ],
)
def test_decide_usage_errors(repo: Path, lx: Lx, args: list[str], said: str) -> None:
    head = _head(repo)
    result = lx("meeting", "decide", "2022-q3", "--text", "议定", *args, cwd=repo, env=TODAY)
    assert result.exit_code == 2 and said in result.output, result.output
    _untouched(repo, head)
    missing = lx("meeting", "decide", "2022-q3", cwd=repo, env=TODAY)
    assert missing.exit_code == 2 and "缺少必需的选项 --text" in missing.output


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **TODAY, **(env or {})}
    return subprocess.run([LX, *args], cwd=root, env=full, capture_output=True, text=True, check=False)


DECIDE = ["meeting", "decide", "2022-q3", "--text", "加快推进丙事", *DECIDE_TASK]


@pytest.mark.parametrize("point", ["journaled", "wrote-1", "wrote-2", "validated"])
def test_a_killed_decide_leaves_neither_file(repo: Path, point: str) -> None:
    head = _head(repo)
    killed = _run(repo, *DECIDE, env={"LX_CRASH_AT": point})
    assert killed.returncode == -9
    after = _run(repo, "validate")
    assert after.returncode == 0 and "已撤销" in after.stderr
    _untouched(repo, head)
    assert not (repo / "data/tasks/t2022-003.yaml").exists()


def test_a_decide_killed_after_its_commit_keeps_both_files(repo: Path) -> None:
    killed = _run(repo, *DECIDE, env={"LX_CRASH_AT": "committed"})
    assert killed.returncode == -9
    assert _run(repo, "validate").returncode == 0
    assert _committed(repo) == [HELD, "data/tasks/t2022-003.yaml"]
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_decide_refuses_a_detached_head_and_a_dirty_tree(repo: Path) -> None:
    (repo / "data/tasks/draft.yaml").write_text("id: draft\n", encoding="utf-8")
    dirty = _run(repo, *DECIDE)
    assert dirty.returncode == 1 and "未提交的修改" in dirty.stderr
    (repo / "data/tasks/draft.yaml").unlink()
    git(repo, "checkout", "-q", "--detach")
    head = _head(repo)
    detached = _run(repo, *DECIDE)
    assert detached.returncode == 1 and "detached HEAD" in detached.stderr
    _untouched(repo, head)


# --- lx meeting agenda --write ---------------------------------------------------------------------


def test_agenda_write_json_and_dry_run(repo: Path, lx: Lx) -> None:
    head = _head(repo)
    dry = lx("meeting", "agenda", "--as-of", "2022-10-26", "--write", "--dry-run", cwd=repo, env=TODAY)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.startswith("# 2022年第四季度专班例会议程（草案）") and f"+++ b/{PLANNED}\n" in dry.stdout
    _untouched(repo, head)
    done = lx("meeting", "agenda", "--as-of", "2022-10-26", "--write", "-f", "json", cwd=repo, env=TODAY)
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == {"commit": _head(repo).strip(), "files": [PLANNED], "ids": ["2022-q4"]}
    assert _subject(repo) == "会议: 2022-q4 例会议程草案" and _committed(repo) == [PLANNED]


def test_agenda_write_keeps_its_output(repo: Path, lx: Lx) -> None:
    shown = lx("meeting", "agenda", "--as-of", "2022-10-26", cwd=repo, env=TODAY)
    written = lx("meeting", "agenda", "--as-of", "2022-10-26", "--write", cwd=repo, env=TODAY)
    assert written.exit_code == 0 and written.stdout == shown.stdout


def test_agenda_flags_of_a_write_need_write(repo: Path, lx: Lx) -> None:
    for flag in (["--dry-run"], ["-f", "json"]):
        result = lx("meeting", "agenda", *flag, cwd=repo, env=TODAY)
        assert result.exit_code == 2 and "须与 --write 同用" in result.output


def test_meeting_help_is_in_chinese(lx: Lx) -> None:
    for command in ("hold", "decide", "agenda"):
        shown = lx("meeting", command, "--help").output
        assert "用法：" in shown and "选项" in shown and "Show this message" not in shown

"""`lx letters reply` and `lx letters issue` (by the ladder and at the office's discretion, spec 8.3):
what each writes, byte for byte, the letter numbers, the documents, and every refusal writing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import Lx, git, make_repo

LX = str(Path(sys.executable).with_name("lx"))
LETTER = "data/letters/l2022-001.yaml"  # reminder to alpha for t2022-001 (due 09-30), issued 10-10, reply_by 10-20
TODAY = {"LX_TODAY": "2022-11-01"}
LATER_TASK = "id: t2022-003\ntitle: 完成丙事\ntarget: 丙事完成\nlead: alpha\ndue: 2022-12-31\nstatus: open\n"


def _untouched(repo: Path, head: str) -> None:
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def _head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD")


def _subject(repo: Path) -> str:
    return git(repo, "log", "-1", "--format=%s").strip()


def _committed(repo: Path) -> list[str]:
    return git(repo, "show", "--name-only", "--format=", "HEAD").split()


# --- lx letters reply ------------------------------------------------------------------------------


def test_reply_records_the_date_note_and_promise_after_replied(repo: Path, lx: Lx) -> None:
    before = (repo / LETTER).read_bytes()
    result = lx(
        "letters", "reply", "l2022-001", "--date", "2022-10-15", "--note", "已部署推进", "--promised", "2022-11-30",
        "-f", "json", cwd=repo, env=TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out == {"commit": _head(repo).strip(), "files": [LETTER], "ids": ["l2022-001"]}
    assert _subject(repo) == "函件: l2022-001 已回复" and _committed(repo) == [LETTER]
    expected = before.replace(
        b"replied: null\n", "replied: 2022-10-15\nreply_note: 已部署推进\npromised: 2022-11-30\n".encode()
    )
    assert (repo / LETTER).read_bytes() == expected
    assert lx("validate", cwd=repo).exit_code == 0


def test_reply_defaults_to_today_and_only_sets_replied(repo: Path, lx: Lx) -> None:
    before = (repo / LETTER).read_bytes()
    assert lx("letters", "reply", "l2022-001", cwd=repo, env=TODAY).exit_code == 0
    assert (repo / LETTER).read_bytes() == before.replace(b"replied: null", b"replied: 2022-11-01")
    head = _head(repo)
    again = lx("letters", "reply", "l2022-001", cwd=repo, env=TODAY)
    assert again.exit_code == 1 and "已于 2022-11-01 回复" in again.output
    _untouched(repo, head)


def test_reply_to_a_letter_without_a_replied_key_adds_it_at_the_end(tmp_path: Path, lx: Lx) -> None:
    bare = "id: l2022-001\nkind: reminder\nunit: alpha\ntasks: [t2022-001]\nissued: 2022-10-10\nreply_by: 2022-10-20\n"
    repo = make_repo(tmp_path / "r", {LETTER: bare})
    result = lx("letters", "reply", "l2022-001", "--date", "2022-10-20", "--note", "已整改", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    assert (repo / LETTER).read_text(encoding="utf-8") == bare + "replied: 2022-10-20\nreply_note: 已整改\n"


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["--date", "2022-10-09"], "早于发函日期 2022-10-10"),  # the day before it was issued
        (["--date", "2022-10-10"], None),  # the issue day itself
        (["--date", "2022-11-01"], None),  # today
        (["--date", "2022-11-02"], "晚于今天"),  # tomorrow
        (["--date", "2022-10-15", "--promised", "2022-10-14"], "承诺完成时限 2022-10-14 早于回复日期 2022-10-15"),
        (["--date", "2022-10-15", "--promised", "2022-10-15"], None),
    ],
)
def test_reply_dates(repo: Path, lx: Lx, args: list[str], refused: str | None) -> None:
    head = _head(repo)
    result = lx("letters", "reply", "l2022-001", *args, cwd=repo, env=TODAY)
    if refused is None:
        assert result.exit_code == 0, result.output
        assert lx("validate", cwd=repo).exit_code == 0
        return
    assert result.exit_code == 1 and refused in result.output
    _untouched(repo, head)


def test_reply_refuses_an_unknown_letter(repo: Path, lx: Lx) -> None:
    head = _head(repo)
    result = lx("letters", "reply", "l2022-01", cwd=repo, env=TODAY)
    assert result.exit_code == 1 and "没有编号为“l2022-01”的函件；是否是：l2022-001？" in result.output
    _untouched(repo, head)


def test_reply_dry_run_shows_the_diff_and_writes_nothing(repo: Path, lx: Lx) -> None:
    head = _head(repo)
    result = lx("letters", "reply", "l2022-001", "--date", "2022-10-18", "--dry-run", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    assert "-replied: null\n+replied: 2022-10-18\n" in result.stdout
    _untouched(repo, head)
    as_json = json.loads(lx("letters", "reply", "l2022-001", "--dry-run", "-f", "json", cwd=repo, env=TODAY).stdout)
    assert as_json == {"commit": None, "files": [LETTER], "ids": ["l2022-001"], "dry_run": True}
    _untouched(repo, head)


def test_reply_refuses_a_dirty_tree_unless_no_commit(repo: Path, lx: Lx) -> None:
    task = repo / "data/tasks/t2022-002.yaml"
    task.write_text(task.read_text(encoding="utf-8") + "# 手工备注\n", encoding="utf-8")
    head = _head(repo)
    refused = lx("letters", "reply", "l2022-001", cwd=repo, env=TODAY)
    assert refused.exit_code == 1 and "未提交的修改" in refused.output
    assert git(repo, "status", "--porcelain").split() == ["M", "data/tasks/t2022-002.yaml"]
    written = lx("letters", "reply", "l2022-001", "--no-commit", cwd=repo, env=TODAY)
    assert written.exit_code == 0 and _head(repo) == head
    assert "replied: 2022-11-01" in (repo / LETTER).read_text(encoding="utf-8")


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **TODAY, **(env or {})}
    return subprocess.run([LX, *args], cwd=root, env=full, capture_output=True, text=True, check=False)


def test_reply_refuses_a_detached_head_and_a_missing_identity(repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach")
    head = _head(repo)
    detached = _run(repo, "letters", "reply", "l2022-001")
    assert detached.returncode == 1 and "detached HEAD" in detached.stderr
    _untouched(repo, head)
    git(repo, "checkout", "-q", "main")
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER")) and k != "EMAIL"}
    nobody = subprocess.run(
        [LX, "letters", "reply", "l2022-001"], cwd=repo, env={**env, **TODAY}, capture_output=True, text=True
    )
    assert nobody.returncode == 1 and "Git 还不知道提交人是谁" in nobody.stderr
    _untouched(repo, head)


@pytest.mark.parametrize("point", ["journaled", "wrote-1", "validated"])
def test_a_killed_reply_is_undone(repo: Path, point: str) -> None:
    head = _head(repo)
    killed = _run(repo, "letters", "reply", "l2022-001", "--note", "已整改", env={"LX_CRASH_AT": point})
    assert killed.returncode == -9
    after = _run(repo, "validate")
    assert after.returncode == 0 and "已撤销" in after.stderr
    _untouched(repo, head)


def test_a_reply_killed_after_its_commit_is_kept(repo: Path) -> None:
    head = _head(repo)
    killed = _run(repo, "letters", "reply", "l2022-001", env={"LX_CRASH_AT": "committed"})
    assert killed.returncode == -9
    assert _run(repo, "validate").returncode == 0
    assert _head(repo) != head and _subject(repo) == "函件: l2022-001 已回复"
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


# --- a reply's promised date holds the next letter back (spec 6.3) ----------------------------------


@pytest.mark.parametrize(
    ("day", "due"), [("2022-11-09", []), ("2022-11-10", ["assignment"]), ("2022-11-11", ["assignment"])]
)
def test_escalation_waits_for_the_promised_date(repo: Path, lx: Lx, day: str, due: list[str]) -> None:
    env = {"LX_TODAY": "2022-12-01"}
    replied = lx("letters", "reply", "l2022-001", "--date", "2022-10-15", "--promised", "2022-11-10", cwd=repo, env=env)
    assert replied.exit_code == 0, replied.output
    listed = json.loads(lx("letters", "--as-of", day, "-f", "json", cwd=repo, env=env).stdout)
    assert [x["kind"] for x in listed["letters"]] == due
    issued = lx("letters", "issue", "--as-of", day, "-o", str(repo.parent / "out"), cwd=repo, env=env)
    assert issued.exit_code == 0, issued.output
    assert ("l2022-002 交办函 → 甲局" in issued.stdout) == bool(due)


def test_without_a_promise_the_reply_does_not_stop_escalation(repo: Path, lx: Lx) -> None:
    env = {"LX_TODAY": "2022-12-01"}
    assert lx("letters", "reply", "l2022-001", "--date", "2022-10-15", cwd=repo, env=env).exit_code == 0
    listed = json.loads(lx("letters", "--as-of", "2022-10-21", "-f", "json", cwd=repo, env=env).stdout)
    assert [x["kind"] for x in listed["letters"]] == ["assignment"]


# --- lx letters issue: numbers, messages, formats --------------------------------------------------

LADDER_RECORD = (
    "# 函件记录（lx letters issue 生成）；收到回复后用 lx letters reply 记录\n"
    "id: l2022-002\nkind: assignment\nnumber: {number}\nunit: alpha\ntasks:\n- t2022-001\n"
    "issued: 2022-10-21\nreply_by: 2022-10-31\nreplied: null\n"
)


def _issue(lx: Lx, repo: Path, *args: str, today: str = "2022-11-01"):  # type: ignore[no-untyped-def]
    return lx("letters", "issue", "-o", str(repo.parent / "out"), *args, cwd=repo, env={"LX_TODAY": today})


def test_issue_writes_the_next_number_and_a_letters_message(repo: Path, lx: Lx) -> None:
    result = _issue(lx, repo, "--as-of", "2022-10-21", "-f", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    path = "data/letters/l2022-002.yaml"
    assert out == {"commit": _head(repo).strip(), "files": [path], "ids": ["l2022-002"]}
    assert (repo / path).read_text(encoding="utf-8") == LADDER_RECORD.format(number=2)  # l2022-001 counts as 1
    assert _subject(repo) == "函件: 交办函 1 件 (2022-10-21)" and _committed(repo) == [path]
    docs = sorted(p.name for p in (repo.parent / "out").iterdir())
    assert docs == ["l2022-002.docx", "l2022-002.md"]


def test_issue_continues_after_the_highest_number_of_the_year(tmp_path: Path, lx: Lx) -> None:
    numbered = (make_repo(tmp_path / "r") / LETTER).read_text(encoding="utf-8") + "number: 7\n"
    repo = make_repo(tmp_path / "s", {LETTER: numbered})
    assert _issue(lx, repo, "--as-of", "2022-10-21").exit_code == 0
    assert (repo / "data/letters/l2022-002.yaml").read_text(encoding="utf-8") == LADDER_RECORD.format(number=8)


def test_issue_takes_the_registers_number_and_refuses_one_taken(repo: Path, lx: Lx) -> None:
    head = _head(repo)
    taken = _issue(lx, repo, "--as-of", "2022-10-21", "--number", "1")
    assert taken.exit_code == 1 and "2022 年的函件编号 1 已被 l2022-001 使用" in taken.output
    _untouched(repo, head)
    bad = _issue(lx, repo, "--as-of", "2022-10-21", "--number", "0")
    assert bad.exit_code == 2 and "不是编号" in bad.output
    assert _issue(lx, repo, "--as-of", "2022-10-21", "--number", "15").exit_code == 0
    assert (repo / "data/letters/l2022-002.yaml").read_text(encoding="utf-8") == LADDER_RECORD.format(number=15)
    assert lx("validate", cwd=repo).exit_code == 0


def test_issue_dry_run_writes_neither_records_nor_documents(repo: Path, lx: Lx) -> None:
    head = _head(repo)
    result = _issue(lx, repo, "--as-of", "2022-10-21", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "l2022-002 交办函 → 甲局（t2022-001；回复期限 2022-10-31）\n" in result.stdout
    assert "+number: 2\n" in result.stdout and "文档在" not in result.stdout
    assert not (repo.parent / "out").exists()
    _untouched(repo, head)


def test_issue_with_nothing_due(repo: Path, lx: Lx) -> None:
    head = _head(repo)
    text = _issue(lx, repo, "--as-of", "2022-10-15")
    assert text.exit_code == 0 and text.stdout == "截至 2022-10-15，没有需要发出的函件。\n"
    as_json = _issue(lx, repo, "--as-of", "2022-10-15", "-f", "json")
    assert json.loads(as_json.stdout) == {"commit": None, "files": [], "ids": []}
    _untouched(repo, head)


def test_issue_refuses_a_day_after_today(repo: Path, lx: Lx) -> None:
    head = _head(repo)
    result = _issue(lx, repo, "--as-of", "2022-11-02")
    assert result.exit_code == 1 and "发函日期 2022-11-02 晚于今天（2022-11-01）" in result.output
    _untouched(repo, head)


# --- lx letters issue --task: the office's discretion ----------------------------------------------

DISCRETIONARY_RECORD = (
    "# 函件记录（lx letters issue 生成）；收到回复后用 lx letters reply 记录\n"
    "id: l2022-002\nkind: assignment\nnumber: 2\nunit: alpha\ntasks:\n- t2022-001\n"
    "issued: 2022-10-12\nreply_by: 2022-10-22\nreason: 进度明显滞后\nreplied: null\n"
)
ASSIGN = ("--task", "t2022-001", "--kind", "assignment", "--reason", "进度明显滞后")


def test_a_discretionary_letter_skips_a_level_and_the_ladder_continues_from_it(repo: Path, lx: Lx) -> None:
    # 10-12: t2022-001 is 12 days late; by the ladder an assignment letter waits for 21 days
    result = _issue(lx, repo, *ASSIGN, "--as-of", "2022-10-12", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ids"] == ["l2022-002"]
    assert (repo / "data/letters/l2022-002.yaml").read_text(encoding="utf-8") == DISCRETIONARY_RECORD
    assert _subject(repo) == "函件: l2022-002 交办函 t2022-001 专门发函 (2022-10-12)"
    assert _committed(repo) == ["data/letters/l2022-002.yaml"]
    md = (repo.parent / "out" / "l2022-002.md").read_text(encoding="utf-8")
    assert (
        "现对你单位牵头的以下任务予以交办（事由：进度明显滞后）：" in md
        and "| 1 | 完成甲事 | 2022年9月30日 | 12 |" in md
    )
    # the ladder goes on from the assignment: no second assignment, supervision at 45 days late
    for day, kinds in [("2022-10-21", []), ("2022-11-13", []), ("2022-11-14", ["supervision"])]:
        listed = json.loads(lx("letters", "--as-of", day, "-f", "json", cwd=repo).stdout)
        assert [x["kind"] for x in listed["letters"]] == kinds, day
    assert _issue(lx, repo, "--as-of", "2022-11-14", today="2022-11-14").exit_code == 0
    assert "kind: supervision\nnumber: 3\n" in (repo / "data/letters/l2022-003.yaml").read_text(encoding="utf-8")
    assert lx("validate", cwd=repo).exit_code == 0


def test_a_discretionary_letter_for_a_task_not_yet_late(tmp_path: Path, lx: Lx) -> None:
    repo = make_repo(tmp_path / "r", {"data/tasks/t2022-003.yaml": LATER_TASK})
    args = ("--task", "t2022-003", "--kind", "reminder", "--reason", "序时进度滞后")
    result = _issue(lx, repo, *args)
    assert result.exit_code == 0, result.output
    md = (repo.parent / "out" / "l2022-002.md").read_text(encoding="utf-8")
    assert md.startswith("测试办公室\n\n〔2022〕2号\n\n# 关于加快推进测试有关任务的提醒函\n")
    assert "| 1 | 完成丙事 | 2022年12月31日 | 未逾期 |" in md and "-" not in md.split("| 2022年12月31日 |")[1][:8]
    shown = lx("letters", "show", "l2022-002", cwd=repo)
    assert shown.exit_code == 0 and shown.stdout == md


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (
            ("--task", "t2022-002", "--kind", "reminder", "--reason", "复核"),
            "任务 t2022-002 已完成：只有在办的任务才能发函",
        ),
        (("--task", "t2099-001", "--kind", "reminder", "--reason", "复核"), "没有编号为“t2099-001”的任务"),
        (
            ("--task", "t2022-001", "--kind", "reminder", "--reason", "再次提醒"),
            "已有一份发给 甲局 的同级函件 l2022-001（2022-10-10 发出）尚未回复",
        ),
        ((*ASSIGN, "--as-of", "2022-11-02"), "晚于今天"),
        ((*ASSIGN, "--number", "1"), "编号 1 已被 l2022-001 使用"),
        (("--task", "t2022-001", "--kind", "assignment", "--reason", " "), "发函事由（--reason）不能为空"),
    ],
)
def test_discretionary_refusals_write_nothing(repo: Path, lx: Lx, args: tuple[str, ...], refused: str) -> None:
    head = _head(repo)
    result = _issue(lx, repo, *args)
    assert result.exit_code == 1 and refused in result.output, result.output
    _untouched(repo, head)
    assert not (repo.parent / "out").exists()


def test_a_cancelled_task_gets_no_letter(tmp_path: Path, lx: Lx) -> None:
    cancelled = LATER_TASK.replace("status: open", "status: cancelled")
    repo = make_repo(tmp_path / "r", {"data/tasks/t2022-003.yaml": cancelled})
    result = _issue(lx, repo, "--task", "t2022-003", "--kind", "reminder", "--reason", "复核")
    assert result.exit_code == 1 and "任务 t2022-003 已取消" in result.output


def test_a_reminder_after_its_reply_may_be_sent_again(repo: Path, lx: Lx) -> None:
    assert lx("letters", "reply", "l2022-001", "--date", "2022-10-15", cwd=repo, env=TODAY).exit_code == 0
    result = _issue(lx, repo, "--task", "t2022-001", "--kind", "reminder", "--reason", "回复后仍无进展")
    assert result.exit_code == 0, result.output
    assert lx("validate", cwd=repo).exit_code == 0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--task", "t2022-001", "--kind", "reminder"), "--task 须同时给出 --kind（函件级别）与 --reason（发函事由）"),
        (("--kind", "reminder", "--reason", "x"), "--kind 与 --reason 须与 --task 同用"),
        (
            ("--task", "t2022-001", "--kind", "提醒函", "--reason", "x"),
            "应为以下之一：reminder、assignment、supervision",
        ),
    ],
)
def test_discretionary_usage_errors(repo: Path, lx: Lx, args: tuple[str, ...], said: str) -> None:
    head = _head(repo)
    result = _issue(lx, repo, *args)
    assert result.exit_code == 2 and said in result.output, result.output
    _untouched(repo, head)


def test_a_discretionary_letter_with_unit_goes_only_to_a_unit_that_leads_the_task(repo: Path, lx: Lx) -> None:
    """``--unit`` picks the receiver among the task's leads (a group's members, spec 6.11); beta only supports."""
    head = _head(repo)
    refused = _issue(lx, repo, *ASSIGN, "--unit", "乙局")
    assert refused.exit_code == 1 and "乙局（beta）不牵头任务 t2022-001" in refused.output, refused.output
    _untouched(repo, head)
    result = _issue(lx, repo, *ASSIGN, "--unit", "alpha")
    assert result.exit_code == 0, result.output
    assert "unit: alpha\n" in (repo / "data/letters/l2022-002.yaml").read_text(encoding="utf-8")


def test_letters_help_is_in_chinese(lx: Lx) -> None:
    for command in (["letters", "issue"], ["letters", "reply"]):
        shown = lx(*command, "--help").output
        assert "用法：" in shown and "选项" in shown and "Show this message" not in shown
    assert "回复要点" in lx("letters", "reply", "--help").output
    assert "发函事由" in lx("letters", "issue", "--help").output


@pytest.mark.parametrize(
    ("letter_id", "issued", "number", "expected"),
    [
        ("l2023-007", "2023-03-20", None, 7),  # the recommended form: the number of its id
        ("l2023-007", "2023-03-20", 12, 12),  # written by letters issue
        ("l2025-d10-020", "2025-03-20", None, None),  # another form: no number to take from it
        ("l2022-007", "2023-01-05", None, None),  # an id of another year: not that year's register
        ("x-7", "2023-03-20", None, None),
    ],
)
def test_letter_number(letter_id: str, issued: str, number: int | None, expected: int | None) -> None:
    from datetime import date

    from laoxiao_cli.model.loop_checks import letter_number
    from laoxiao_cli.model.records import Letter

    letter = Letter.model_validate(
        {
            "id": letter_id,
            "kind": "reminder",
            "unit": "alpha",
            "tasks": ["t1"],
            "issued": date.fromisoformat(issued),
            "reply_by": date.fromisoformat(issued),
            **({"number": number} if number is not None else {}),
        }
    )
    assert letter_number(letter) == expected


def test_issue_records_the_signing_leader_and_cc_and_prints_them(bundled: Path, lx: Lx) -> None:
    """`--signed-by` and `--cc` reach the letter record (so `letters show` prints them, as issued) and the
    documents written beside it."""
    args = ["--task", "t2022-003", "--kind", "assignment", "--reason", "进度滞后", "--as-of", "2022-12-31"]
    result = lx("letters", "issue", *args, "--signed-by", "杜潘祚", "--cc", "区委办", "--cc", "区府办", cwd=bundled)
    assert result.exit_code == 0, result.output
    record = yaml.safe_load((bundled / "data" / "letters" / "l2022-003.yaml").read_text(encoding="utf-8"))
    assert record["signed_by"] == "杜潘祚" and record["cc"] == ["区委办", "区府办"]
    shown = lx("letters", "show", "l2022-003", cwd=bundled).stdout
    assert shown.rstrip().endswith("抄送：区委办，区府办。")
    assert "杜潘祚" in shown
    written = (bundled / "letters-out" / "l2022-003.md").read_text(encoding="utf-8")
    assert written == shown


def test_issue_without_signed_by_and_cc_writes_neither_key(bundled: Path, lx: Lx) -> None:
    args = ["--task", "t2022-003", "--kind", "assignment", "--reason", "进度滞后", "--as-of", "2022-12-31"]
    assert lx("letters", "issue", *args, cwd=bundled).exit_code == 0
    text = (bundled / "data" / "letters" / "l2022-003.yaml").read_text(encoding="utf-8")
    assert "signed_by" not in text and "cc:" not in text
    assert "抄送" not in lx("letters", "show", "l2022-003", cwd=bundled).stdout

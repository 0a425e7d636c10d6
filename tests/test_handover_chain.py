"""`lx handover` in the chain of a unit and role: the successor's account, spec 8.1's JSON and dry run,
a mistaken handover corrected (--correct) and a late one inserted (补录), in real temporary Git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Lx, git, make_repo
from tests.test_handover import ALPHA, UNIT, snapshot

TODAY = {"LX_TODAY": "2022-11-05"}
FIRST = "data/handovers/2022-11-01-alpha-liaison.yaml"
RECORD_FIRST = """\
# 人员调整交接备案（lx handover 生成）
id: 2022-11-01-alpha-liaison
unit: alpha
role: liaison
from:
  name: 李二
  title: 科长
  section: 综合科
  phone: 0577-1234567
to:
  name: 王五
  title: 科长
  section: 综合科
  phone: '13900000000'
  account: wangwu
effective: 2022-11-01
filed: 2022-11-05
open_tasks:
- t2022-001
open_letters:
- l2022-001
missing_reports:
- 2022-08
- 2022-09
- 2022-10
note: null
"""
"""The record of the first handover below, exactly as lx writes it."""
ALPHA_WANGWU = ALPHA.replace("  name: 李二      # 现任联络员", "  name: 王五      # 现任联络员").replace(
    '  phone: "0577-1234567"\n', '  phone: "13900000000"\n  account: wangwu\n'
)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "office", {UNIT: ALPHA})


def handover(lx: Lx, root: Path, *args: str, today: dict[str, str] = TODAY):  # type: ignore[no-untyped-def]
    return lx("handover", "-u", "alpha", "--role", "liaison", *args, cwd=root, env=today)


@pytest.fixture
def handed(office: Path, lx: Lx) -> Path:
    """李二 → 王五 on 2022-11-01 (with a phone and an account), committed."""
    done = handover(lx, office, "--to", "王五", "--date", "2022-11-01", "--phone", "13900000000", "--account", "wangwu")
    assert done.exit_code == 0, done.output
    assert (office / FIRST).read_text(encoding="utf-8") == RECORD_FIRST
    assert (office / UNIT).read_text(encoding="utf-8") == ALPHA_WANGWU
    return office


def committed_files(root: Path) -> list[str]:
    return sorted(git(root, "show", "--name-only", "--format=", "HEAD").split())


def subject(root: Path) -> str:
    return git(root, "log", "-1", "--format=%s").strip()


def refused(lx: Lx, root: Path, *args: str, text: str) -> None:
    before = snapshot(root)
    result = handover(lx, root, *args)
    assert result.exit_code == 1, result.output
    assert text in result.output and "Traceback" not in result.output
    assert snapshot(root) == before


# --- the successor's account (CODEOWNERS, validate --authors) -------------------------------------


def test_account_goes_to_codeowners_and_is_dropped_with_its_person(handed: Path, lx: Lx) -> None:
    owners = lx("codeowners", cwd=handed).stdout
    assert "/data/units/alpha.yaml  @wangwu\n" in owners and "/data/reports/*/alpha.yaml  @wangwu\n" in owners
    # a report committed by the new liaison's account (not by name) passes `validate --authors`
    start = git(handed, "rev-parse", "HEAD").strip()
    report = handed / "data/reports/2022-11/alpha.yaml"
    report.parent.mkdir(parents=True)
    report.write_text("unit: alpha\nmonth: '2022-11'\nsubmitted: 2022-11-20\n", encoding="utf-8")
    git(handed, "add", "-A")
    git(handed, "commit", "-qm", "月报", "--author", "Wang Wu <wangwu@forge.example>")
    assert lx("validate", "--authors", "--since", start, cwd=handed).exit_code == 0
    # the next handover without --account: the account leaves with 王五, like the phone
    assert handover(lx, handed, "--to", "赵六", "--date", "2022-11-05").exit_code == 0
    assert (handed / UNIT).read_text(encoding="utf-8") == ALPHA.replace(
        "  name: 李二      # 现任联络员", "  name: 赵六      # 现任联络员"
    ).replace('  phone: "0577-1234567"\n', "")
    assert "@wangwu" not in lx("codeowners", cwd=handed).stdout
    assert lx("validate", cwd=handed).exit_code == 0


@pytest.mark.parametrize("account", ["@ouhai/office", "wang.wu@example.org", "@wang-wu"])
def test_accounts_as_codeowners_writes_them(office: Path, lx: Lx, account: str) -> None:
    assert handover(lx, office, "--to", "王五", "--account", account).exit_code == 0
    expected = account if "@" in account else f"@{account}"
    assert f"/data/units/alpha.yaml  {expected}\n" in lx("codeowners", cwd=office).stdout


@pytest.mark.parametrize("account", ["wang wu", "#wangwu", "", "@"])
def test_an_account_codeowners_cannot_hold_is_a_usage_error(office: Path, lx: Lx, account: str) -> None:
    before = snapshot(office)
    result = handover(lx, office, "--to", "王五", "--account", account)
    assert result.exit_code == 2 and "继任者信息有误" in result.output and "--account" in result.output
    assert snapshot(office) == before


# --- spec 8.1: --format json, --dry-run -------------------------------------------------------------


def test_json_is_the_summary_with_the_record(office: Path, lx: Lx) -> None:
    dry = handover(lx, office, "--to", "王五", "--date", "2022-11-01", "-f", "json", "--dry-run")
    assert dry.exit_code == 0, dry.output
    head = git(office, "rev-parse", "HEAD")
    planned = json.loads(dry.stdout)
    assert list(planned) == ["commit", "files", "ids", "dry_run", "action", "record"]
    assert planned["commit"] is None and planned["dry_run"] is True and planned["action"] == "new"
    assert git(office, "rev-parse", "HEAD") == head and not (office / FIRST).exists()
    done = handover(lx, office, "--to", "王五", "--date", "2022-11-01", "-f", "json")
    out = json.loads(done.stdout)
    assert list(out) == ["commit", "files", "ids", "action", "record"]
    assert out["commit"] == git(office, "rev-parse", "HEAD").strip()
    assert out["files"] == [FIRST, UNIT] == sorted(committed_files(office))
    assert out["ids"] == ["2022-11-01-alpha-liaison", "alpha"]
    assert out["record"] == {**planned["record"]}  # what the dry run showed is what was filed
    assert out["record"]["from"]["phone"] == "0577-1234567"  # the record itself, contacts included
    assert out["record"]["to"] == {"name": "王五", "title": "科长", "section": "综合科"}


def test_dry_run_shows_the_checklist_and_both_diffs_with_contacts_masked(office: Path, lx: Lx) -> None:
    before = snapshot(office)
    result = handover(lx, office, "--to", "王五", "--date", "2022-11-01", "--phone", "13900000000", "--dry-run")
    assert result.exit_code == 0, result.output
    checklist, _, diffs = result.stdout.partition("\n【将要写入的修改】\n")
    assert checklist.startswith("交接清单：甲局 联络员 李二（科长） → 王五（科长）\n") and "【在办任务】" in checklist
    assert diffs.startswith(f"--- /dev/null\n+++ b/{FIRST}\n")
    assert f"--- a/{UNIT}\n+++ b/{UNIT}\n" in diffs
    assert "-  name: 李二      # 现任联络员\n+  name: 王五      # 现任联络员\n" in diffs
    assert '-  phone: "***"\n+  phone: "***"\n' in diffs and "+  phone: ***\n" in diffs  # record: from's phone
    assert "0577-1234567" not in result.stdout and "13900000000" not in result.stdout
    assert "以 *** 显示" in result.stderr and "未写入任何文件" in result.stderr
    assert snapshot(office) == before
    shown = handover(lx, office, "--to", "王五", "--phone", "13900000000", "--dry-run", "--with-contacts")
    assert '-  phone: "0577-1234567"\n+  phone: "13900000000"\n' in shown.stdout
    assert snapshot(office) == before


def test_markdown_dry_run_puts_the_diff_in_a_fenced_block(office: Path, lx: Lx) -> None:
    result = handover(lx, office, "--to", "王五", "--dry-run", "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# 甲局联络员交接清单\n")
    assert "\n## 将要写入的修改\n\n```diff\n--- /dev/null\n" in result.stdout and result.stdout.endswith("```\n")


def test_a_dry_run_validates_the_change(office: Path, lx: Lx) -> None:
    """The change is validated with the whole repository even when nothing is written: a handover
    before the group started is a finding of the new record."""
    before = snapshot(office)
    result = handover(lx, office, "--to", "王五", "--date", "2022-05-01", "--dry-run")
    assert result.exit_code == 1, result.output
    assert "data/handovers/2022-05-01-alpha-liaison.yaml" in result.output and "早于专班成立" in result.output
    assert snapshot(office) == before


def test_the_default_date_writes_no_yaml_anchor(office: Path, lx: Lx) -> None:
    """Today is both `effective` and `filed`: written as two dates, not an anchor and an alias."""
    assert handover(lx, office, "--to", "王五").exit_code == 0
    text = (office / "data/handovers/2022-11-05-alpha-liaison.yaml").read_text(encoding="utf-8")
    assert "effective: 2022-11-05\nfiled: 2022-11-05\n" in text and "&" not in text


# --- a mistaken handover corrected (--correct) ------------------------------------------------------


def test_correction_rewrites_the_record_and_the_unit_file(handed: Path, lx: Lx) -> None:
    head = git(handed, "rev-parse", "HEAD")
    result = handover(lx, handed, "--to", "张三", "--date", "2022-11-01", "--correct", "--note", "继任者更正")
    assert result.exit_code == 0, result.output
    expected = RECORD_FIRST.replace(
        "  name: 王五\n  title: 科长\n  section: 综合科\n  phone: '13900000000'\n  account: wangwu\n",
        "  name: 张三\n  title: 科长\n  section: 综合科\n",
    ).replace("note: null\n", "note: 继任者更正\n")
    assert (handed / FIRST).read_text(encoding="utf-8") == expected
    assert (handed / UNIT).read_text(encoding="utf-8") == ALPHA.replace(
        "  name: 李二      # 现任联络员", "  name: 张三      # 现任联络员"
    ).replace('  phone: "0577-1234567"\n', "")
    assert git(handed, "rev-parse", "HEAD~1") == head
    assert committed_files(handed) == [FIRST, UNIT]
    assert subject(handed) == "交接: 更正 2022-11-01-alpha-liaison：继任者为 张三（原误录 王五）"
    assert "更正：交接记录 2022-11-01-alpha-liaison 原录继任者为 王五，更正为 张三" in result.stdout
    assert git(handed, "status", "--porcelain", "--untracked-files=all") == ""
    assert lx("validate", cwd=handed).exit_code == 0
    assert "@wangwu" not in lx("codeowners", cwd=handed).stdout


def test_correction_of_the_details_only(handed: Path, lx: Lx) -> None:
    args = ("--to", "王五", "--date", "2022-11-01", "--correct", "--phone", "13900000001", "--account", "wangwu")
    result = handover(lx, handed, *args, "-f", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["action"] == "correct" and out["record"]["to"]["phone"] == "13900000001"
    assert (handed / FIRST).read_text(encoding="utf-8") == RECORD_FIRST.replace("'13900000000'", "'13900000001'")
    assert subject(handed) == "交接: 更正 2022-11-01-alpha-liaison：继任者 王五 的信息"
    assert lx("validate", cwd=handed).exit_code == 0


def test_same_day_correction_with_the_default_date(office: Path, lx: Lx) -> None:
    assert handover(lx, office, "--to", "李四").exit_code == 0
    result = handover(lx, office, "--to", "张三", "--correct")
    assert result.exit_code == 0, result.output
    assert subject(office) == "交接: 更正 2022-11-05-alpha-liaison：继任者为 张三（原误录 李四）"
    assert lx("validate", cwd=office).exit_code == 0


def test_correction_refusals(handed: Path, lx: Lx) -> None:
    refused(lx, handed, "--to", "张三", "--date", "2022-10-31", "--correct", text="没有生效日期为 2022-10-31")
    same = ("--to", "王五", "--date", "2022-11-01", "--correct", "--phone", "13900000000", "--account", "wangwu")
    refused(lx, handed, *same, text="无需更正")
    refused(lx, handed, "--to", "李二", "--date", "2022-11-01", "--correct", text="是这次交接的原任")
    refused(lx, handed, "--to", "张三", "--date", "2022-11-01", text="请加 --correct 更正")


def test_correction_of_an_earlier_record_rewrites_the_next_one(handed: Path, lx: Lx) -> None:
    assert handover(lx, handed, "--to", "赵六", "--date", "2022-11-05").exit_code == 0
    unit = (handed / UNIT).read_bytes()
    second = handed / "data/handovers/2022-11-05-alpha-liaison.yaml"
    second_before = second.read_text(encoding="utf-8")
    refused(
        lx, handed, "--to", "赵六", "--date", "2022-11-01", "--correct", text="其后一次交接（2022-11-05-alpha-liaison）"
    )
    result = handover(lx, handed, "--to", "张三", "--date", "2022-11-01", "--correct")
    assert result.exit_code == 0, result.output
    assert second.read_text(encoding="utf-8") == second_before.replace(
        "from:\n  name: 王五\n  title: 科长\n  section: 综合科\n  phone: '13900000000'\n  account: wangwu\n",
        "from:\n  name: 张三\n  title: 科长\n  section: 综合科\n",
    )
    assert (handed / UNIT).read_bytes() == unit  # 赵六 still holds the post
    assert committed_files(handed) == [FIRST, "data/handovers/2022-11-05-alpha-liaison.yaml"]
    assert subject(handed) == (
        "交接: 更正 2022-11-01-alpha-liaison：继任者为 张三（原误录 王五）；其后 2022-11-05-alpha-liaison 的原任随之改为 张三"
    )
    assert lx("validate", cwd=handed).exit_code == 0


# --- a late handover inserted into the chain (补录) --------------------------------------------------


def test_a_back_dated_handover_is_inserted_before_the_next_one(handed: Path, lx: Lx) -> None:
    unit = (handed / UNIT).read_bytes()
    result = handover(lx, handed, "--to", "赵六", "--date", "2022-09-01", "--account", "zhao6")
    assert result.exit_code == 0, result.output
    inserted = (handed / "data/handovers/2022-09-01-alpha-liaison.yaml").read_text(encoding="utf-8")
    assert inserted == (
        "# 人员调整交接备案（lx handover 生成）\nid: 2022-09-01-alpha-liaison\nunit: alpha\nrole: liaison\n"
        "from:\n  name: 李二\n  title: 科长\n  section: 综合科\n  phone: 0577-1234567\n"
        "to:\n  name: 赵六\n  title: 科长\n  section: 综合科\n  account: zhao6\n"
        "effective: 2022-09-01\nfiled: 2022-11-05\nopen_tasks:\n- t2022-001\nopen_letters: []\n"
        "missing_reports:\n- 2022-08\nnote: null\n"
    )
    assert (handed / FIRST).read_text(encoding="utf-8") == RECORD_FIRST.replace(
        "from:\n  name: 李二\n  title: 科长\n  section: 综合科\n  phone: 0577-1234567\n",
        "from:\n  name: 赵六\n  title: 科长\n  section: 综合科\n  account: zhao6\n",
    )
    assert (handed / UNIT).read_bytes() == unit
    assert committed_files(handed) == ["data/handovers/2022-09-01-alpha-liaison.yaml", FIRST]
    assert subject(handed) == (
        "交接: 补录 甲局 liaison: 李二 → 赵六 (2022-09-01)；其后 2022-11-01-alpha-liaison 的原任随之改为 赵六"
    )
    assert "补录：" in result.stdout and "其后的交接 2022-11-01-alpha-liaison 的原任随之改为 赵六" in result.stdout
    assert lx("validate", cwd=handed).exit_code == 0
    # between two records: the holder then is the earlier record's successor
    between = handover(lx, handed, "--to", "孙八", "--date", "2022-10-01", "-f", "json")
    assert between.exit_code == 0, between.output
    out = json.loads(between.stdout)
    assert out["action"] == "insert" and out["record"]["from"]["name"] == "赵六"
    assert out["files"] == ["data/handovers/2022-10-01-alpha-liaison.yaml", FIRST]
    assert "from:\n  name: 孙八\n" in (handed / FIRST).read_text(encoding="utf-8")
    assert (handed / UNIT).read_bytes() == unit
    assert lx("validate", cwd=handed).exit_code == 0


def test_insert_refusals(handed: Path, lx: Lx) -> None:
    refused(lx, handed, "--to", "李二", "--date", "2022-09-01", text="2022-09-01 时 李二 已是甲局的联络员，无需补录")
    refused(lx, handed, "--to", "王五", "--date", "2022-09-01", text="git revert")


def test_insert_before_a_handover_from_a_vacancy(repo: Path, lx: Lx) -> None:
    """乙局 had no liaison until 钱七; a handover to 周九 filed late makes 钱七's record start from 周九."""
    args = ("-u", "beta", "--role", "liaison")
    assert lx("handover", *args, "--to", "钱七", "--date", "2022-11-01", cwd=repo, env=TODAY).exit_code == 0
    record = repo / "data/handovers/2022-11-01-beta-liaison.yaml"
    before = record.read_text(encoding="utf-8")
    result = lx("handover", *args, "--to", "周九", "--date", "2022-09-01", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    assert record.read_text(encoding="utf-8") == before.replace("from: null\n", "from: {name: 周九}\n")
    assert (
        subject(repo)
        == "交接: 补录 乙局 liaison: 空缺 → 周九 (2022-09-01)；其后 2022-11-01-beta-liaison 的原任随之改为 周九"
    )
    assert lx("validate", cwd=repo).exit_code == 0


def test_member_insert_keeps_the_title(office: Path, lx: Lx) -> None:
    args = ("-u", "alpha", "--role", "member")
    assert lx("handover", *args, "--to", "赵六", "--date", "2022-11-01", cwd=office, env=TODAY).exit_code == 0
    result = lx("handover", *args, "--to", "钱七", "--date", "2022-08-01", "-f", "json", cwd=office, env=TODAY)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)["record"]
    assert record["from"] == {"name": "张一", "title": "甲局局长"}
    assert record["to"] == {"name": "钱七", "title": "甲局局长"}
    assert (office / UNIT).read_text(encoding="utf-8") == ALPHA.replace('{name: "张一", title', '{name: "赵六", title')
    assert lx("validate", cwd=office).exit_code == 0


# --- refusals of the repository: dirty tree, detached HEAD, no identity ----------------------------


CHANGES = {
    "correct": ("--to", "张三", "--date", "2022-11-01", "--correct"),
    "insert": ("--to", "赵六", "--date", "2022-09-01"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_repository_refusals_leave_head_and_tree_untouched(
    handed: Path, lx: Lx, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    args = CHANGES[change]
    stray = handed / "data/tasks/t2099-001.yaml"
    stray.write_text("id: t2099-001\n", encoding="utf-8")
    refused(lx, handed, *args, text="未提交的修改")
    stray.unlink()
    git(handed, "checkout", "-q", "--detach")
    refused(lx, handed, *args, text="detached HEAD")
    git(handed, "checkout", "-q", "main")
    git(handed, "config", "--unset", "user.name")
    git(handed, "config", "--unset", "user.email")
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(key, raising=False)
    refused(lx, handed, *args, text="Git 还不知道提交人是谁")

"""`lx handover` in real temporary Git repositories: happy paths, byte-identical edits, refusals, failures."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml

import laoxiao_cli.repo.files as files_module
import laoxiao_cli.repo.loader as loader
from laoxiao_cli.model.findings import Finding
from tests.conftest import Lx, git, make_repo

ALPHA = """\
# 甲局：测试单位（注释必须保留）
id: alpha
name: 甲局
aliases: [甲局全称]   # 别名
kind: department
member: {name: "张一", title: '甲局局长'}  # 成员
liaison:
  name: 李二      # 现任联络员
  title: 科长
  section: 综合科
  phone: "0577-1234567"

duties:
  - {id: alpha.1, text: 负责甲事。}
  - {id: alpha.2, text: 负责乙事。}
"""
UNIT = "data/units/alpha.yaml"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "office", {UNIT: ALPHA})


def snapshot(root: Path) -> tuple[str, str, dict[str, bytes]]:
    files = {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain", "--untracked-files=all"), files


def test_liaison_handover_edits_only_the_changed_values(office: Path, lx: Lx) -> None:
    result = lx("handover", "--unit", "甲局", "--role", "liaison", "--to", "王五", "--date", "2022-11-01", cwd=office)
    assert result.exit_code == 0, result.output
    expected = ALPHA.replace("  name: 李二      # 现任联络员", "  name: 王五      # 现任联络员").replace(
        '  phone: "0577-1234567"\n', ""
    )
    assert (office / UNIT).read_text(encoding="utf-8") == expected
    record = yaml.safe_load((office / "data/handovers/2022-11-01-alpha-liaison.yaml").read_text(encoding="utf-8"))
    assert record["from"] == {"name": "李二", "title": "科长", "section": "综合科", "phone": "0577-1234567"}
    assert record["to"] == {"name": "王五", "title": "科长", "section": "综合科"}
    assert record["effective"].isoformat() == "2022-11-01"
    assert record["open_tasks"] == ["t2022-001"]  # t2022-002 is done
    assert record["open_letters"] == ["l2022-001"]
    assert record["missing_reports"] == ["2022-08", "2022-09", "2022-10"]
    # one commit, exactly the two files, message and author as specified
    assert sorted(git(office, "show", "--name-only", "--format=", "HEAD").split()) == [
        "data/handovers/2022-11-01-alpha-liaison.yaml",
        UNIT,
    ]
    assert git(office, "log", "-1", "--format=%s") == "交接: 甲局 liaison: 李二 → 王五 (2022-11-01)\n"
    assert git(office, "log", "-1", "--format=%an <%ae>") == "测试员 <tester@example.org>\n"
    assert git(office, "status", "--porcelain") == ""
    assert lx("validate", cwd=office).exit_code == 0
    # the checklist for the successor
    for text in (
        "交接清单",
        "负责甲事。",
        "t2022-001 完成甲事",
        "l2022-001 提醒函",
        "2022-08、2022-09、2022-10",
        "2022年第四季度",
    ):
        assert text in result.stdout, text


def test_member_handover_keeps_quoting_and_title(office: Path, lx: Lx) -> None:
    result = lx(
        "handover", "-u", "alpha", "--role", "member", "--to", "赵六", "--date", "2022-11-02", "-f", "json", cwd=office
    )
    assert result.exit_code == 0, result.output
    assert (office / UNIT).read_text(encoding="utf-8") == ALPHA.replace('{name: "张一", title', '{name: "赵六", title')
    out = json.loads(result.stdout)  # spec 8.1's summary; the record as --format json printed it before
    assert list(out) == ["commit", "files", "ids", "action", "record"]
    assert out["commit"] == git(office, "rev-parse", "HEAD").strip() and out["action"] == "new"
    assert out["files"] == ["data/handovers/2022-11-02-alpha-member.yaml", UNIT]
    assert out["ids"] == ["2022-11-02-alpha-member", "alpha"]
    record = out["record"]
    assert record["id"] == "2022-11-02-alpha-member"
    assert record["from"] == {"name": "张一", "title": "甲局局长"} and record["to"] == {
        "name": "赵六",
        "title": "甲局局长",
    }


def test_handover_of_a_null_liaison_with_contacts(repo: Path, lx: Lx) -> None:
    before = (repo / "data/units/beta.yaml").read_text(encoding="utf-8")
    result = lx(
        "handover",
        "-u",
        "beta",
        "--role",
        "liaison",
        "--to",
        "钱七",
        "--title",
        "科长",
        "--phone",
        "13800138000",
        "--email",
        "q@example.org",
        "--date",
        "2022-12-01",
        "--note",
        "新设联络员",
        cwd=repo,
    )
    assert result.exit_code == 0, result.output
    after = (repo / "data/units/beta.yaml").read_text(encoding="utf-8")
    assert after == before.replace(
        "liaison: null", 'liaison: {name: 钱七, title: 科长, phone: "13800138000", email: q@example.org}'
    )
    record = yaml.safe_load((repo / "data/handovers/2022-12-01-beta-liaison.yaml").read_text(encoding="utf-8"))
    assert record["from"] is None and record["note"] == "新设联络员"
    assert git(repo, "log", "-1", "--format=%s") == "交接: 乙局 liaison: 空缺 → 钱七 (2022-12-01)\n"
    assert lx("validate", cwd=repo).exit_code == 0


def test_markdown_dry_run_writes_nothing(office: Path, lx: Lx) -> None:
    before = snapshot(office)
    result = lx(
        "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--dry-run", "-f", "markdown", cwd=office
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# 甲局联络员交接清单")
    assert "## 在办任务" in result.stdout
    assert snapshot(office) == before


def test_no_commit_writes_files_only(office: Path, lx: Lx) -> None:
    head = git(office, "rev-parse", "HEAD")
    (office / "notes.txt").write_text("未提交的其他文件", encoding="utf-8")
    result = lx(
        "handover",
        "-u",
        "alpha",
        "--role",
        "liaison",
        "--to",
        "王五",
        "--date",
        "2022-11-01",
        "--no-commit",
        cwd=office,
    )
    assert result.exit_code == 0, result.output
    assert git(office, "rev-parse", "HEAD") == head
    assert (office / "data/handovers/2022-11-01-alpha-liaison.yaml").exists()


def _refused(root: Path, lx: Lx, *args: str, text: str) -> None:
    before = snapshot(root) if (root / ".git").exists() else None
    result = lx("handover", *args, cwd=root)
    assert result.exit_code == 1, result.output
    assert text in result.output
    assert "Traceback" not in result.output
    if before is not None:
        assert snapshot(root) == before


def test_refuses_a_dirty_tree(office: Path, lx: Lx) -> None:
    (office / "data/tasks/t2022-002.yaml").write_text(
        (office / "data/tasks/t2022-002.yaml").read_text(encoding="utf-8") + "# 改了\n", encoding="utf-8"
    )
    _refused(office, lx, "-u", "alpha", "--role", "liaison", "--to", "王五", text="未提交的修改")


def test_refuses_untracked_data_files_but_not_other_files(office: Path, lx: Lx) -> None:
    """Only files lx reads (*.yaml, and *.yml which are findings) count as changes; a saved document in
    data/ is not lx's and does not block a writing command (spec 8.1)."""
    (office / "data/tasks/t2022-099.yaml").write_text("id: t2022-099\n", encoding="utf-8")
    _refused(office, lx, "-u", "alpha", "--role", "liaison", "--to", "王五", text="data/tasks/t2022-099.yaml")
    (office / "data/tasks/t2022-099.yaml").unlink()
    (office / "data/tasks/会议纪要.docx").write_bytes(b"PK")
    result = lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", cwd=office)
    assert result.exit_code == 0, result.output
    status = git(office, "-c", "core.quotePath=false", "status", "--porcelain", "--untracked-files=all")
    assert status == "?? data/tasks/会议纪要.docx\n"


def test_refuses_outside_git(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(tmp_path / "plain", {UNIT: ALPHA}, commit=False)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    _refused(root, lx, "-u", "alpha", "--role", "liaison", "--to", "王五", text="不在 Git 仓库中")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_refuses_unknown_unit_with_suggestions(office: Path, lx: Lx) -> None:
    _refused(office, lx, "-u", "甲", "--role", "liaison", "--to", "王五", text="甲局（alpha）")


def test_refuses_the_current_holder(office: Path, lx: Lx) -> None:
    _refused(office, lx, "-u", "alpha", "--role", "liaison", "--to", "李二", text="无需交接")


def test_refuses_invalid_data(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(tmp_path / "bad", {UNIT: ALPHA, "data/tasks/t2022-002.yaml": "id: t2022-002\n"})
    _refused(root, lx, "-u", "alpha", "--role", "liaison", "--to", "王五", text="data/tasks/t2022-002.yaml:1:1")


def test_refuses_an_existing_record(office: Path, lx: Lx) -> None:
    assert (
        lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01", cwd=office).exit_code
        == 0
    )
    _refused(office, lx, "-u", "alpha", "--role", "liaison", "--to", "孙八", "--date", "2022-11-01", text="已存在")


def test_member_needs_a_title(repo: Path, lx: Lx) -> None:
    (repo / "data/units/beta.yaml").write_text(
        "id: beta\nname: 乙局\nkind: department\nmember: null\nduties: [{id: beta.1, text: 配合甲事。}]\n",
        encoding="utf-8",
    )
    git(repo, "commit", "-qam", "乙局成员空缺")
    _refused(repo, lx, "-u", "beta", "--role", "member", "--to", "周九", text="--title")


def test_failing_commit_hook_restores_everything(office: Path, lx: Lx) -> None:
    hook = office / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 不许提交 >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    _refused(office, lx, "-u", "alpha", "--role", "liaison", "--to", "王五", text="钩子")


@pytest.mark.parametrize("failing_write", [1, 2])
def test_failing_write_restores_everything(
    office: Path, lx: Lx, monkeypatch: pytest.MonkeyPatch, failing_write: int
) -> None:
    real = files_module.write_bytes_atomic
    calls = {"n": 0}

    def flaky(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == failing_write:
            raise OSError(28, "磁盘已满")
        real(path, data)

    monkeypatch.setattr("laoxiao_cli.repo.writer.write_bytes_atomic", flaky)
    before = snapshot(office)
    result = lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", cwd=office)
    assert result.exit_code == 1 and "磁盘已满" in result.output and "Traceback" not in result.output
    assert snapshot(office) == before


def test_a_finding_of_the_planned_change_writes_nothing(office: Path, lx: Lx, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer validates the repository with the change applied, in memory, before writing anything."""
    real = loader.planned
    seen: list[dict[Path, bytes | None]] = []

    def planned_with_a_finding(
        data_dir: Path, changes: dict[Path, bytes | None], base: loader.Loaded | None = None
    ) -> loader.Loaded:
        seen.append(changes)
        result = real(data_dir, changes, base)
        injected = [*result.findings, Finding("data/x.yaml", "注入的错误", line=1, column=1)]
        return loader.Loaded(result.data_dir, result.root, result.files, injected, result.source)

    monkeypatch.setattr(loader, "planned", planned_with_a_finding)
    before = snapshot(office)
    result = lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", cwd=office)
    assert result.exit_code == 1 and "注入的错误" in result.output
    assert snapshot(office) == before
    assert seen and any(b"\xe7\x8e\x8b\xe4\xba\x94" in (data or b"") for data in seen[0].values())  # 王五


def test_failing_git_commit_restores_everything(office: Path, lx: Lx) -> None:
    """A real commit that fails after the files were written and staged: a commit-msg hook refuses it."""
    hook = office / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\necho 提交说明不合格 >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    before = snapshot(office)
    result = lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", cwd=office)
    assert result.exit_code == 1 and "commit-msg" in result.output and "提交说明不合格" in result.output
    assert snapshot(office) == before  # the index entries were put back too (git status unchanged)


def test_chain_rule_violations_are_located(office: Path, lx: Lx) -> None:
    assert (
        lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01", cwd=office).exit_code
        == 0
    )
    broken = {
        "data/handovers/2022-12-01-alpha-liaison.yaml": (
            "id: 2022-12-01-alpha-liaison\nunit: alpha\nrole: liaison\nfrom: {name: 不相干}\nto: {name: 孙八}\n"
            "effective: 2022-12-01\nfiled: 2022-12-01\n"
        )
    }
    for rel, text in broken.items():
        (office / rel).write_text(text, encoding="utf-8")
    data = json.loads(lx("validate", "-f", "json", cwd=office).stdout)
    got = {(e["file"], e["line"], e["column"]) for e in data["errors"]}
    assert got == {("data/handovers/2022-12-01-alpha-liaison.yaml", 4, 7), (UNIT, 8, 3)}
    messages = " ".join(e["message"] for e in data["errors"])
    assert "交接链断开" in messages and "孙八" in messages


def test_history_lists_commits_with_changed_fields(office: Path, lx: Lx) -> None:
    assert (
        lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01", cwd=office).exit_code
        == 0
    )
    assert (
        lx("handover", "-u", "alpha", "--role", "member", "--to", "赵六", "--date", "2022-11-02", cwd=office).exit_code
        == 0
    )
    task = office / "data/tasks/t2022-002.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("完成乙事", "完成乙事（修订）"), encoding="utf-8")
    git(office, "commit", "-qam", "修订任务标题")
    data = json.loads(lx("history", "unit/alpha", "-f", "json", cwd=office).stdout)
    assert data["path"] == UNIT
    assert [(c["action"], c["fields"]) for c in data["commits"]] == [
        ("changed", ["member.name"]),
        ("changed", ["liaison.name", "liaison.phone"]),
        ("created", ["aliases", "duties", "id", "kind", "liaison", "member", "name"]),
    ]
    assert data["commits"][0]["message"].startswith("交接: 甲局 member")
    assert data["commits"][0]["author"] == "测试员"
    bare = json.loads(lx("history", "t2022-002", "-f", "json", cwd=office).stdout)
    assert next(c["fields"] for c in bare["commits"]) == ["title"]
    report = json.loads(lx("history", "report/2022-07/alpha", "-f", "json", cwd=office).stdout)
    assert report["path"] == "data/reports/2022-07/alpha.yaml" and report["commits"][0]["action"] == "created"
    table = lx("history", "handover/2022-11-01-alpha-liaison", cwd=office)
    assert table.exit_code == 0 and "新建" in table.stdout


def test_history_of_a_deleted_record_and_unknown_ids(office: Path, lx: Lx) -> None:
    git(office, "rm", "-q", "data/letters/l2022-001.yaml")
    git(office, "commit", "-qm", "撤回函件")
    data = json.loads(lx("history", "l2022-001", "-f", "json", cwd=office).stdout)
    assert [c["action"] for c in data["commits"]] == ["deleted", "created"]
    missing = lx("history", "nothing-here", cwd=office)
    assert missing.exit_code == 1 and "没有编号" in missing.output


def test_history_ambiguous_bare_id(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(
        tmp_path / "amb",
        {
            "data/letters/alpha.yaml": "id: alpha\nkind: reminder\nunit: alpha\ntasks: [t2022-001]\nissued: 2022-10-10\nreply_by: 2022-10-20\nreplied: 2022-10-15\n"
        },
    )
    result = lx("history", "alpha", cwd=root)
    assert result.exit_code == 1 and "unit/alpha" in result.output and "letter/alpha" in result.output
    assert os.path.exists(root / "data/letters/alpha.yaml")

"""`lx validate`, `lx schema`, `lx init`, data folder discovery and the error boundary."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Lx, git, make_repo


def test_clean_repo_text_and_json(repo: Path, lx: Lx) -> None:
    result = lx("validate", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "8 个文件" in result.stdout
    result = lx("validate", "--format", "json", cwd=repo)
    assert json.loads(result.stdout) == {"ok": True, "files": 8, "errors": []}


def test_formats_of_a_finding(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(
        tmp_path / "r",
        {
            "data/tasks/t2022-002.yaml": "id: t2022-002\ntitle: x\ntarget: y\nlead: beta\ndue: 2022-10-31\nstatus: open\ndeu: 1\n"
        },
    )
    data = json.loads(lx("validate", "-f", "json", cwd=root).stdout)
    assert data["ok"] is False and data["files"] == 8
    assert data["errors"] == [
        {"file": "data/tasks/t2022-002.yaml", "line": 7, "column": 1, "message": data["errors"][0]["message"]}
    ]
    text = lx("validate", cwd=root)
    assert text.exit_code == 1
    assert text.stdout.startswith("data/tasks/t2022-002.yaml:7:1: 未知字段 `deu`")
    gh = lx("validate", "--format", "github", cwd=root)
    assert gh.exit_code == 1
    assert gh.stdout.startswith("::error file=data/tasks/t2022-002.yaml,line=7,col=1::未知字段 `deu`")


def test_finding_without_line(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(tmp_path / "r", {"data/tasks/x.yml": "id: x\n"})
    data = json.loads(lx("validate", "-f", "json", cwd=root).stdout)
    assert data["files"] == 9
    assert data["errors"][0]["file"] == "data/tasks/x.yml" and data["errors"][0]["line"] is None
    assert "data/tasks/x.yml: " in lx("validate", cwd=root).stdout
    assert "::error file=data/tasks/x.yml::" in lx("validate", "-f", "github", cwd=root).stdout


def test_all_findings_are_reported(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(
        tmp_path / "r",
        {
            "data/tasks/t2022-002.yaml": "id: t2022-002\ntitle: x\ntarget: y\nlead: nobody\ndue: 2022-10-31\nstatus: open\n",
            "data/letters/l2022-001.yaml": "id: l2022-001\nkind: reminder\nunit: alpha\ntasks: [t9]\nissued: 2022-10-10\nreply_by: 2022-10-20\n",
            "data/units/beta.yaml": "id: beta\nname: 乙局\nkind: departmnt\nduties: []\n",
        },
    )
    data = json.loads(lx("validate", "-f", "json", cwd=root).stdout)
    files = sorted({e["file"] for e in data["errors"]})
    assert files == ["data/letters/l2022-001.yaml", "data/tasks/t2022-002.yaml", "data/units/beta.yaml"]


def test_data_folder_discovery(repo: Path, tmp_path: Path, lx: Lx) -> None:
    # walking up from a subfolder
    assert lx("validate", cwd=repo / "data" / "tasks").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # --data after the command, before it, and LX_DATA
    assert lx("validate", "--data", str(repo / "data"), cwd=elsewhere).exit_code == 0
    assert lx("--data", str(repo / "data"), "validate", cwd=elsewhere).exit_code == 0
    assert lx("validate", cwd=elsewhere, env={"LX_DATA": str(repo / "data")}).exit_code == 0
    missing = lx("validate", cwd=elsewhere)
    assert missing.exit_code == 1
    assert "找不到数据文件夹" in missing.output and "Traceback" not in missing.output
    assert lx("validate", "--data", str(tmp_path / "nope"), cwd=elsewhere).exit_code == 1


def test_bad_usage_is_exit_2(repo: Path, lx: Lx) -> None:
    assert lx("validate", "--format", "xml", cwd=repo).exit_code == 2
    assert lx("no-such-command", cwd=repo).exit_code == 2


def test_unexpected_error_is_one_line_exit_3(repo: Path, lx: Lx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from laoxiao_cli.repo import Repo

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("磁盘坏了")

    monkeypatch.setattr(Repo, "load", boom)
    result = lx("validate", cwd=repo)
    assert result.exit_code == 3
    assert "内部错误" in result.output and "磁盘坏了" in result.output
    assert "Traceback" not in result.output


def test_schema_command(tmp_path: Path, lx: Lx) -> None:
    out = tmp_path / "schemas"
    result = lx("schema", "-o", str(out))
    assert result.exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        f"{k}.schema.json"
        for k in sorted(["group", "unit", "task", "meeting", "report", "letter", "handover", "calendar"])
    ]
    task = json.loads((out / "task.schema.json").read_text(encoding="utf-8"))
    assert task["type"] == "object" and "lead" in task["properties"]
    assert set(json.loads(lx("schema").stdout)) >= {"task", "unit"}


def test_init_creates_a_valid_committed_repository(tmp_path: Path, lx: Lx) -> None:
    target = tmp_path / "new"
    result = lx("init", str(target), "--name", "新专班")
    assert result.exit_code == 0, result.output
    assert git(target, "status", "--porcelain") == ""
    assert "lx init" in git(target, "log", "--format=%s")
    assert lx("validate", cwd=target).exit_code == 0
    again = lx("init", str(target))
    assert again.exit_code == 1 and "不为空" in again.output

"""`lx history` shows what changed — each field with its old and its new value — and does not call the
oldest commit of a shallow clone (`git clone --depth`) the record's creation (issue 11)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from laoxiao_cli.domain.history import FieldChange, Version, changes, record_history
from laoxiao_cli.render import history as render
from laoxiao_cli.render.common import Screen
from tests.conftest import Lx, git, make_repo

UNIT = "data/units/alpha.yaml"


def _version(commit: str, data: dict[str, object] | None, readable: bool = True) -> Version:
    return Version(commit, "测试员", "t@example.org", f"2022-12-0{commit[-1]}T10:00:00+08:00", "说明", data, readable)


# --- the domain ------------------------------------------------------------------------------------


def test_each_change_lists_the_old_and_the_new_value() -> None:
    versions = [
        _version("c3", {"id": "a", "name": "乙", "liaison": {"name": "王五", "title": "科长"}, "duties": ["x"]}),
        _version("c2", {"id": "a", "name": "甲", "liaison": {"name": "李二", "phone": "1"}}),
        _version("c1", {"id": "a", "name": "甲"}),
    ]
    newest, middle, oldest = changes(versions)
    assert newest.action == "changed" and newest.fields == [
        "name",
        "liaison.name",
        "liaison.phone",
        "liaison.title",
        "duties",
    ]
    assert newest.changes == [
        FieldChange("name", "甲", "乙"),
        FieldChange("liaison.name", "李二", "王五"),
        FieldChange("liaison.phone", "1", None),
        FieldChange("liaison.title", None, "科长"),
        FieldChange("duties", None, ["x"]),
    ]
    assert middle.changes == [FieldChange("liaison", None, {"name": "李二", "phone": "1"})]
    assert oldest.action == "created" and oldest.fields == ["id", "name"]
    assert oldest.changes == [FieldChange("id", None, "a"), FieldChange("name", None, "甲")]


def test_a_version_that_cannot_be_read_is_skipped_when_comparing() -> None:
    versions = [_version("c3", {"name": "丙"}), _version("c2", None, readable=False), _version("c1", {"name": "甲"})]
    newest, broken, _ = changes(versions)
    assert newest.changes == [FieldChange("name", "甲", "丙")]  # compared with the last readable version
    assert broken.action == "unreadable" and broken.changes == []
    only_broken_before = changes([_version("c2", {"name": "乙"}), _version("c1", None, readable=False)])
    assert only_broken_before[0].action == "changed" and only_broken_before[0].changes == []
    assert only_broken_before[0].fields == ["name"]  # old values unknown: every field may have changed


def test_the_oldest_version_of_a_shallow_clone_is_not_its_creation() -> None:
    versions = [_version("c2", {"name": "乙"}), _version("c1", {"name": "甲"})]
    cut = record_history("unit/a", UNIT, versions, shallow_cut={"c1"})
    assert [c.action for c in cut.changes] == ["changed", "shallow"] and cut.shallow
    assert cut.changes[-1].fields == [] and cut.changes[-1].changes == []
    # a record created after the clone's first commit was created where the history shows it
    later = record_history("unit/a", UNIT, versions, shallow_cut={"c0"})
    assert [c.action for c in later.changes] == ["changed", "created"] and not later.shallow
    # only the oldest version can be where the clone is cut off
    assert [c.action for c in changes(versions, {"c2"})] == ["changed", "created"]
    warning = render.warning(cut)
    assert warning is not None and "浅克隆" in warning and "git fetch --unshallow" in warning
    assert render.warning(later) is None


def test_the_table_shows_old_and_new_values() -> None:
    versions = [
        _version("c3", {"name": "乙", "due": date(2023, 1, 31), "note": "长" * 80}),
        _version("c2", {"name": "甲", "due": date(2022, 12, 31)}),
    ]
    text = render.table(record_history("task/t1", "data/tasks/t1.yaml", versions, {"c2"}), Screen(False, 200))
    assert "name：甲 → 乙" in text
    assert "due：2022-12-31 → 2023-01-31" in text
    assert "note：（无） → " + "长" * 29 + "…" in text  # long values are cut in the table (JSON has them whole)
    assert "浅克隆的起点" in text and "新建" not in text


# --- real repositories -----------------------------------------------------------------------------


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A repository whose alpha unit changed twice after it was created, and whose t2022-002 task was
    added in the last commit."""
    root = make_repo(tmp_path / "office")
    unit = root / UNIT
    text = unit.read_text(encoding="utf-8")
    assert "name: 甲局" in text
    unit.write_text(text.replace("name: 甲局", "name: 甲局（新）", 1), encoding="utf-8")
    git(root, "commit", "-qam", "改名")
    unit.write_text(unit.read_text(encoding="utf-8").replace("[甲局全称]", "[甲局全称, 甲]"), encoding="utf-8")
    task = root / "data/tasks/t2022-002.yaml"
    kept = task.read_text(encoding="utf-8")
    git(root, "rm", "-q", "data/tasks/t2022-002.yaml")
    git(root, "commit", "-qam", "别名；暂撤任务")
    task.write_text(kept, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "任务恢复")
    return root


def _clone(source: Path, target: Path, depth: int) -> Path:
    subprocess.run(
        ["git", "clone", "-q", "--depth", str(depth), source.resolve().as_uri(), str(target)],
        check=True,
        capture_output=True,
    )
    assert git(target, "rev-parse", "--is-shallow-repository").strip() == "true"
    return target


def test_history_json_has_old_and_new_values(office: Path, lx: Lx) -> None:
    result = lx("history", "unit/alpha", "-f", "json", cwd=office)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["shallow"] is False
    newest, renamed, created = data["commits"]
    assert set(newest) >= {"commit", "author", "email", "date", "message", "action", "fields", "changes"}
    assert newest["fields"] == ["aliases"] and newest["changes"] == [
        {"field": "aliases", "old": ["甲局全称"], "new": ["甲局全称", "甲"]}
    ]
    assert renamed["changes"] == [{"field": "name", "old": "甲局", "new": "甲局（新）"}]
    assert created["action"] == "created" and {"field": "name", "old": None, "new": "甲局"} in created["changes"]
    table = lx("history", "unit/alpha", cwd=office)
    assert "name：甲局 → 甲局（新）" in table.stdout and "新建" in table.stdout
    assert "浅克隆" not in table.output


def test_history_in_a_depth_1_clone(office: Path, tmp_path: Path, lx: Lx) -> None:
    clone = _clone(office, tmp_path / "clone", depth=1)
    result = lx("history", "unit/alpha", "-f", "json", cwd=clone)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["shallow"] is True
    assert [c["action"] for c in data["commits"]] == ["shallow"]
    assert "浅克隆" in result.stderr and "git fetch --unshallow" in result.stderr
    assert "浅克隆" not in result.stdout  # the JSON stays clean
    table = lx("history", "unit/alpha", cwd=clone)
    assert table.exit_code == 0
    assert "浅克隆的起点" in table.stdout and "新建" not in table.stdout
    assert "浅克隆" in table.stderr


def test_history_in_a_deeper_clone_knows_what_it_holds(office: Path, tmp_path: Path, lx: Lx) -> None:
    clone = _clone(office, tmp_path / "clone", depth=3)
    # the unit: its last change is in the clone, its rename commit is where the clone is cut off
    unit = json.loads(lx("history", "unit/alpha", "-f", "json", cwd=clone).stdout)
    assert [c["action"] for c in unit["commits"]] == ["changed", "shallow"] and unit["shallow"]
    assert unit["commits"][0]["changes"] == [{"field": "aliases", "old": ["甲局全称"], "new": ["甲局全称", "甲"]}]
    # the task was re-created in the last commit, whose parent is in the clone: a true creation
    task = lx("history", "task/t2022-002", "-f", "json", cwd=clone)
    data = json.loads(task.stdout)
    assert [c["action"] for c in data["commits"]] == ["created", "deleted", "shallow"]
    assert "浅克隆" in task.stderr

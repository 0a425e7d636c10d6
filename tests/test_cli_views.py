"""`lx status`, `lx overdue`, `lx checklist`, `lx reports` through the CLI, every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT, Lx, make_repo

SNAPSHOT = ROOT / "tests" / "snapshots" / "status-2022-12-31.json"
ANSI = "\x1b["


def test_status_json_snapshot_on_bundled_data(lx: Lx) -> None:
    result = lx("status", "--as-of", "2022-12-31", "--format", "json", cwd=ROOT)
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    # and the snapshot itself is consistent with the spec's definitions
    assert set(got) == {"as_of", "tasks", "units", "meetings", "letters"}
    assert set(got["tasks"]) == {"total", "open", "overdue", "done", "done_late", "cancelled"}
    t = got["tasks"]
    assert t["open"] + t["done"] + t["cancelled"] == t["total"]
    assert sum(u["lead_open"] for u in got["units"]) == t["open"]
    assert sum(u["lead_overdue"] for u in got["units"]) == t["overdue"]
    assert [u["id"] for u in got["units"]] == sorted(u["id"] for u in got["units"])
    assert len(got["units"]) == 31
    assert set(got["units"][0]) == {
        "id",
        "name",
        "lead_open",
        "lead_overdue",
        "lead_done",
        "liaison",
        "missing_reports",
    }
    assert got["meetings"] == {"last_held": "2022-09-20", "overdue_quarters": []}


def test_status_table_and_markdown(repo: Path, lx: Lx) -> None:
    table = lx("status", "--as-of", "2022-12-31", cwd=repo)
    assert table.exit_code == 0, table.output
    assert ANSI not in table.stdout  # not a terminal: no colour codes
    assert "甲局" in table.stdout and "李二" in table.stdout and "未明确" in table.stdout
    assert "2022年第四季度" not in table.stdout  # Q4 ends on the as-of day: not yet overdue
    later = lx("status", "--as-of", "2023-01-01", cwd=repo)
    assert "2022年第四季度" in later.stdout
    md = lx("status", "--as-of", "2022-12-31", "-f", "markdown", cwd=repo)
    assert md.stdout.startswith("## ") and "| 单位 |" in md.stdout


def test_overdue_json_shape_and_unit_names(repo: Path, lx: Lx) -> None:
    base = lx("overdue", "--as-of", "2022-10-20", "-f", "json", cwd=repo)
    data = json.loads(base.stdout)
    assert data["as_of"] == "2022-10-20" and data["unit"] is None
    by_id = {i["id"]: i for i in data["items"]}
    assert by_id["t2022-001"] == {
        "kind": "task",
        "id": "t2022-001",
        "unit": "alpha",
        "role": "lead",
        "title": "完成甲事",
        "due": "2022-09-30",
        "days_late": 20,
        "next_letter": None,
    }  # a reminder was issued on 10-10 with reply_by 10-20: waiting
    assert by_id["2022-08/alpha"]["kind"] == "report" and by_id["2022-08/alpha"]["role"] is None
    lates = [i["days_late"] for i in data["items"]]
    assert lates == sorted(lates, reverse=True)
    outputs = {
        json.loads(lx("overdue", "--as-of", "2022-10-20", "-f", "json", "--unit", name, cwd=repo).stdout)[
            "items"
        ].__repr__()
        for name in ("beta", "乙局")
    }
    assert len(outputs) == 1
    beta = json.loads(lx("overdue", "--as-of", "2022-10-20", "-f", "json", "-u", "beta", cwd=repo).stdout)
    assert beta["unit"] == "beta"
    support = [i for i in beta["items"] if i["id"] == "t2022-001"]
    assert support == [{**by_id["t2022-001"], "unit": "beta", "role": "support", "next_letter": None}]
    assert all(i["kind"] != "meeting" for i in beta["items"])
    alias = json.loads(lx("overdue", "--as-of", "2022-10-20", "-f", "json", "-u", "甲局全称", cwd=repo).stdout)
    assert alias["unit"] == "alpha"


def test_overdue_next_letter_after_reply_by(repo: Path, lx: Lx) -> None:
    data = json.loads(lx("overdue", "--as-of", "2022-10-21", "-f", "json", cwd=repo).stdout)
    task = next(i for i in data["items"] if i["id"] == "t2022-001")
    assert (task["days_late"], task["next_letter"]) == (21, "assignment")


def test_unknown_unit_suggests(repo: Path, lx: Lx) -> None:
    result = lx("overdue", "--unit", "甲", cwd=repo)
    assert result.exit_code == 1
    assert "没有名为“甲”的单位" in result.output and "甲局（alpha）" in result.output
    assert "Traceback" not in result.output


def test_overdue_csv_and_markdown(repo: Path, lx: Lx) -> None:
    raw = lx("overdue", "--as-of", "2022-12-31", "-f", "csv", cwd=repo).stdout
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert rows[0][:3] == ["类别", "编号", "单位"]
    assert any(r[1] == "t2022-001" and r[2] == "甲局" for r in rows[1:])
    md = lx("overdue", "--as-of", "2022-12-31", "-f", "markdown", cwd=repo).stdout
    assert "| 任务 | t2022-001 |" in md


@pytest.mark.parametrize("which", ["tasks", "duties", "targets"])
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_checklist_formats(repo: Path, lx: Lx, which: str, fmt: str) -> None:
    result = lx("checklist", "--list", which, "-f", fmt, "--as-of", "2022-12-31", cwd=repo)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["list"] == which and data["items"]
    elif fmt == "csv":
        assert result.stdout.startswith("\ufeff")
        assert len(list(csv.reader(io.StringIO(result.stdout)))) > 1
    assert "完成甲事" in result.stdout or "负责甲事" in result.stdout or "甲事完成率" in result.stdout


def test_checklist_unit_filter_and_roles(repo: Path, lx: Lx) -> None:
    data = json.loads(lx("checklist", "-u", "乙局", "-f", "json", "--as-of", "2022-12-31", cwd=repo).stdout)
    assert {(i["id"], i["role"]) for i in data["items"]} == {("t2022-001", "support"), ("t2022-002", "lead")}
    states = {i["id"]: i["state"] for i in data["items"]}
    assert states == {"t2022-001": "overdue", "t2022-002": "done"}


def test_checklist_xlsx_reads_back(repo: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "清单.xlsx"
    result = lx("checklist", "-f", "xlsx", "-o", str(out), "--list", "targets", "--as-of", "2022-12-31", cwd=repo)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["目标清单", "任务清单", "责任清单"]
    tasks = book["任务清单"]
    assert tasks.freeze_panes == "A2"
    assert [c.value for c in tasks[1]][:3] == ["编号", "任务", "牵头单位"]
    assert tasks[1][0].font.bold
    assert {tasks.cell(row=r, column=1).value for r in range(2, tasks.max_row + 1)} == {"t2022-001", "t2022-002"}
    assert tasks.column_dimensions["B"].width >= len("完成甲事") * 2
    duties = book["责任清单"]
    assert any(row[2] == "负责甲事。" for row in duties.iter_rows(min_row=2, values_only=True))


def test_checklist_xlsx_needs_output(repo: Path, lx: Lx) -> None:
    result = lx("checklist", "-f", "xlsx", cwd=repo)
    assert result.exit_code == 2 and "-o" in result.output


def test_reports_month(repo: Path, lx: Lx) -> None:
    data = json.loads(lx("reports", "--month", "2022-07", "--as-of", "2022-12-31", "-f", "json", cwd=repo).stdout)
    assert data["due"] == "2022-07-25"
    rows = {r["unit"]: r for r in data["units"]}
    assert rows["alpha"]["state"] == "submitted" and rows["alpha"]["submitted"] == "2022-07-20"
    assert rows["alpha"]["difficulties"] == ["经费不足"]
    assert rows["beta"]["state"] == "missing" and rows["beta"]["days_late"] == 159
    pending = json.loads(lx("reports", "--month", "2022-07", "--as-of", "2022-07-10", "-f", "json", cwd=repo).stdout)
    assert {r["unit"]: r["state"] for r in pending["units"]} == {"alpha": "pending", "beta": "pending"}
    table = lx("reports", "--month", "2022-07", "--as-of", "2022-12-31", cwd=repo).stdout
    assert "经费不足" in table and "增加经费" in table
    assert lx("reports", "--month", "2022-7", cwd=repo).exit_code == 2


def test_reports_default_month(repo: Path, lx: Lx) -> None:
    assert json.loads(lx("reports", "--as-of", "2022-08-26", "-f", "json", cwd=repo).stdout)["month"] == "2022-08"
    assert json.loads(lx("reports", "--as-of", "2022-08-25", "-f", "json", cwd=repo).stdout)["month"] == "2022-07"


@pytest.mark.parametrize("command", [["status"], ["overdue"], ["checklist"], ["reports"]])
def test_commands_refuse_invalid_data(tmp_path: Path, lx: Lx, command: list[str]) -> None:
    root = make_repo(tmp_path / "r", {"data/tasks/t2022-002.yaml": "id: t2022-002\nstatus: [\n"})
    result = lx(*command, cwd=root)
    assert result.exit_code == 1
    assert "data/tasks/t2022-002.yaml:" in result.output and "Traceback" not in result.output


def test_bad_as_of_is_usage_error(repo: Path, lx: Lx) -> None:
    result = lx("status", "--as-of", "2022-13-01", cwd=repo)
    assert result.exit_code == 2

"""`lx status`, `lx overdue`, `lx checklist`, `lx reports` through the CLI, every format."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from tests.conftest import ROOT, Lx, make_repo

SNAPSHOT = ROOT / "tests" / "snapshots" / "status-2022-12-31.json"
ANSI = "\x1b["


def test_status_json_snapshot_on_bundled_data(bundled: Path, lx: Lx) -> None:
    result = lx("status", "--as-of", "2022-12-31", "--format", "json", cwd=bundled)
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    # and the snapshot itself is consistent with the spec's definitions
    assert set(got) == {"as_of", "tasks", "colours", "units", "meetings", "letters"}
    assert set(got["tasks"]) == {"total", "open", "overdue", "done", "done_late", "cancelled"}
    t = got["tasks"]
    assert t["open"] + t["done"] + t["cancelled"] == t["total"]
    assert list(got["colours"]) == ["red", "yellow", "green"] and sum(got["colours"].values()) == t["open"]
    assert got["colours"]["red"] == t["overdue"]
    # each task counts once for its own lead, and again for each member of the group that leads it (spec 6.11)
    members = yaml.safe_load((bundled / "data" / "units" / "zhenjie.yaml").read_text(encoding="utf-8"))["members"]
    notice_units = [u for u in got["units"] if u["id"] not in members]
    assert sum(u["lead_open"] for u in notice_units) == t["open"]
    assert sum(u["lead_overdue"] for u in notice_units) == t["overdue"]
    group = next(u for u in got["units"] if u["id"] == "zhenjie")
    for member in (u for u in got["units"] if u["id"] in members):
        assert (member["lead_open"], member["lead_overdue"]) == (group["lead_open"], group["lead_overdue"])
    roster = yaml.safe_load((bundled / "data" / "group.yaml").read_text(encoding="utf-8"))["units"]
    assert [u["id"] for u in got["units"]] == roster  # the roster's order (spec 6.1)
    assert len(notice_units) == 31 and len(got["units"]) == 31 + 13
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
        "colour": "red",
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


OVERDUE_2022_12_31 = [
    ["月报", "2022-07/beta", "乙局", "", "2022年7月工作月报", "2022-07-25", "159", "", ""],
    ["月报", "2022-08/alpha", "甲局", "", "2022年8月工作月报", "2022-08-25", "128", "", ""],
    ["月报", "2022-08/beta", "乙局", "", "2022年8月工作月报", "2022-08-25", "128", "", ""],
    ["月报", "2022-09/alpha", "甲局", "", "2022年9月工作月报", "2022-09-25", "97", "", ""],
    ["月报", "2022-09/beta", "乙局", "", "2022年9月工作月报", "2022-09-25", "97", "", ""],
    ["任务", "t2022-001", "甲局", "牵头", "完成甲事", "2022-09-30", "92", "交办函", "红"],
    ["月报", "2022-10/alpha", "甲局", "", "2022年10月工作月报", "2022-10-25", "67", "", ""],
    ["月报", "2022-10/beta", "乙局", "", "2022年10月工作月报", "2022-10-25", "67", "", ""],
    ["月报", "2022-11/alpha", "甲局", "", "2022年11月工作月报", "2022-11-25", "36", "", ""],
    ["月报", "2022-11/beta", "乙局", "", "2022年11月工作月报", "2022-11-25", "36", "", ""],
    ["月报", "2022-12/alpha", "甲局", "", "2022年12月工作月报", "2022-12-25", "6", "", ""],
    ["月报", "2022-12/beta", "乙局", "", "2022年12月工作月报", "2022-12-25", "6", "", ""],
]
OVERDUE_HEADER = ["类别", "编号", "单位", "角色", "事项", "截止日期", "逾期天数", "应发函件", "预警"]


def test_overdue_csv_and_markdown(repo: Path, lx: Lx) -> None:
    raw = lx("overdue", "--as-of", "2022-12-31", "-f", "csv", cwd=repo).stdout
    assert raw.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(raw.removeprefix("\ufeff")))) == [OVERDUE_HEADER, *OVERDUE_2022_12_31]
    md = lx("overdue", "--as-of", "2022-12-31", "-f", "markdown", cwd=repo).stdout
    lines = [
        "### 逾期事项（截至 2022-12-31）：共 12 项",
        "",
        f"| {' | '.join(OVERDUE_HEADER)} |",
        "| --- " * len(OVERDUE_HEADER) + "|",
        *(f"| {' | '.join(row)} |" for row in OVERDUE_2022_12_31),
    ]
    assert md == "\n".join(lines) + "\n"


# each list of the base repository as of 2022-12-31: its title, header and rows (the same in every text format)
CHECKLISTS = {
    "tasks": (
        "任务清单（截至 2022-12-31）",
        [
            "编号",
            "任务",
            "牵头单位",
            "配合单位",
            "重点项目",
            "开始日期",
            "截止日期",
            "状态",
            "进度(%)",
            "逾期天数",
            "完成日期",
            "权重",
        ],
        [
            ["t2022-001", "完成甲事", "甲局", "乙局", "是", "2022-07-01", "2022-09-30", "已逾期", "30", "92", "", "2"],
            ["t2022-002", "完成乙事", "乙局", "", "", "", "2022-10-31", "已完成", "", "", "2022-10-20", "1"],
        ],
    ),
    "duties": (
        "责任清单（截至 2022-12-31）",
        ["单位", "职责编号", "职责内容", "牵头落实的任务", "配合落实的任务"],
        [
            ["甲局", "alpha.1", "负责甲事。", "t2022-001", ""],
            ["甲局", "alpha.2", "负责乙事。", "", ""],
            ["乙局", "beta.1", "配合甲事。", "", ""],
            ["乙局", "—", "（未对应具体职责的任务）", "t2022-002", "t2022-001"],
        ],
    ),
    "targets": (
        "目标清单（截至 2022-12-31）",
        ["任务编号", "目标", "牵头单位", "重点项目", "截止日期", "状态"],
        [
            ["t2022-001", "甲事完成率100%", "甲局", "是", "2022-09-30", "已逾期"],
            ["t2022-002", "乙事按期完成", "乙局", "", "2022-10-31", "已完成"],
        ],
    ),
}
CHECKLIST_JSON = {
    "tasks": [
        {
            "id": "t2022-001",
            "title": "完成甲事",
            "lead": "alpha",
            "lead_name": "甲局",
            "support": ["beta"],
            "support_names": ["乙局"],
            "role": None,
            "key": True,
            "start": "2022-07-01",
            "due": "2022-09-30",
            "status": "open",
            "state": "overdue",
            "days_late": 92,
            "done": None,
            "weight": 2,
            "reported": 30,
        },
        {
            "id": "t2022-002",
            "title": "完成乙事",
            "lead": "beta",
            "lead_name": "乙局",
            "support": [],
            "support_names": [],
            "role": None,
            "key": False,
            "start": None,
            "due": "2022-10-31",
            "status": "done",
            "state": "done",
            "days_late": None,
            "done": "2022-10-20",
            "weight": 1,
            "reported": None,
        },
    ],
    "duties": [
        {
            "unit": "alpha",
            "unit_name": "甲局",
            "duty": "alpha.1",
            "text": "负责甲事。",
            "lead_tasks": ["t2022-001"],
            "support_tasks": [],
        },
        {
            "unit": "alpha",
            "unit_name": "甲局",
            "duty": "alpha.2",
            "text": "负责乙事。",
            "lead_tasks": [],
            "support_tasks": [],
        },
        {
            "unit": "beta",
            "unit_name": "乙局",
            "duty": "beta.1",
            "text": "配合甲事。",
            "lead_tasks": [],
            "support_tasks": [],
        },
        {
            "unit": "beta",
            "unit_name": "乙局",
            "duty": None,
            "text": "（未对应具体职责的任务）",
            "lead_tasks": ["t2022-002"],
            "support_tasks": ["t2022-001"],
        },
    ],
    "targets": [
        {
            "task": "t2022-001",
            "target": "甲事完成率100%",
            "lead": "alpha",
            "lead_name": "甲局",
            "key": True,
            "due": "2022-09-30",
            "state": "overdue",
        },
        {
            "task": "t2022-002",
            "target": "乙事按期完成",
            "lead": "beta",
            "lead_name": "乙局",
            "key": False,
            "due": "2022-10-31",
            "state": "done",
        },
    ],
}


def _cells(line: str, bar: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip(bar).split(bar)]


@pytest.mark.parametrize("which", ["tasks", "duties", "targets"])
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_checklist_formats(repo: Path, lx: Lx, which: str, fmt: str) -> None:
    result = lx("checklist", "--list", which, "-f", fmt, "--as-of", "2022-12-31", cwd=repo)
    assert result.exit_code == 0, result.output
    title, header, rows = CHECKLISTS[which]
    out = result.stdout
    if fmt == "json":
        data = json.loads(out)
        assert data == {"as_of": "2022-12-31", "unit": None, "list": which, "items": CHECKLIST_JSON[which]}
    elif fmt == "csv":
        assert out.startswith("\ufeff")
        assert list(csv.reader(io.StringIO(out.removeprefix("\ufeff")))) == [header, *rows]
    elif fmt == "markdown":
        lines = [f"### {title}", "", f"| {' | '.join(header)} |", "| --- " * len(header) + "|"]
        assert out == "\n".join([*lines, *(f"| {' | '.join(row)} |" for row in rows)]) + "\n"
    else:
        lines = out.rstrip("\n").splitlines()
        assert lines[0].strip() == title
        assert [_cells(line, "┃") for line in lines if line.startswith("┃")] == [header]
        assert [_cells(line, "│") for line in lines if line.startswith("│")] == rows
        assert ANSI not in out


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
    assert tasks["A1"].value == "任务清单（截至 2022-12-31）"  # the title row, then the header (spec 10.2)
    assert tasks.freeze_panes == "A3"
    assert [c.value for c in tasks[2]][:3] == ["编号", "任务", "牵头单位"]
    assert tasks[2][0].font.bold
    assert tasks.column_dimensions["B"].width >= len("完成甲事") * 2
    # every sheet holds exactly the rows of the text formats (an empty cell is empty, not "")
    for sheet, which in (("目标清单", "targets"), ("任务清单", "tasks"), ("责任清单", "duties")):
        _title, header, rows = CHECKLISTS[which]
        expected = [tuple(header), *(tuple(cell or None for cell in row) for row in rows)]
        shown = [tuple(_as_text(v) for v in row) for row in book[sheet].iter_rows(min_row=2, values_only=True)]
        assert shown == expected, sheet
    # dates are date cells and numbers numbers (spec 10.2), not text
    dates = [c for c in tasks[3] if isinstance(c.value, datetime.datetime)]
    assert [c.value.date().isoformat() for c in dates] == ["2022-07-01", "2022-09-30"]  # start, due
    assert all(c.is_date for c in dates)
    ids = [row[0] for row in tasks.iter_rows(min_row=3, values_only=True)]
    assert ids == ["t2022-001", "t2022-002"]  # ids stay text


def _as_text(value: object) -> object:
    """A cell read back as the text formats show it."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return value


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

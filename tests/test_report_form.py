"""Monthly report forms (spec 10.1): `lx reports form` writes a protected xlsx form per unit, a liaison
fills its unlocked cells, `lx reports import` turns the forms into report files in one commit — or
names every problem of every form at its cell and writes nothing. On a committed copy of the bundled data.

Forms are filled here with openpyxl the way a liaison fills them in Excel: only the unlocked cells, found
by their labels (never by coordinates the test assumes), and, slow, saved again by LibreOffice.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import Lx, git
from tests.test_handover import snapshot

TODAY = {"LX_TODAY": "2023-01-28"}
MONTH = "2023-01"
FORM = "月报-区民政局-2023-01.xlsx"
REPORT = "data/reports/2023-01/minzheng.yaml"
TASKS = ["t2022-003", "t2022-015"]
"""The tasks 区民政局 leads or supports that are open on 2023-01-25, the report's due date."""


# --- helpers ---------------------------------------------------------------------------------------


def find(sheet: Worksheet, text: str) -> Any:
    """The cell holding ``text`` (a label or header), wherever it is."""
    for row in sheet.iter_rows():
        for item in row:
            if item.value == text:
                return item
    raise AssertionError(f"no cell {text!r}")


def right(sheet: Worksheet, label: str) -> Any:
    found = find(sheet, label)
    return sheet.cell(row=found.row, column=found.column + 1)


def task_rows(sheet: Worksheet) -> list[int]:
    first = find(sheet, "任务编号")
    rows = []
    r = first.row + 1
    while sheet.cell(row=r, column=first.column).value:
        rows.append(r)
        r += 1
    return rows


def column_of(sheet: Worksheet, header: str) -> int:
    return int(find(sheet, header).column)


def put(sheet: Worksheet, item: Any, value: Any) -> None:
    """Type into a cell as a liaison can: only into an unlocked one."""
    assert sheet.protection.sheet and item.protection.locked is False, f"{item.coordinate} is locked"
    item.value = value


def fill(
    path: Path,
    *,
    submitted: Any = date(2023, 1, 20),
    percents: tuple[Any, ...] = (80, 35),
    notes: tuple[Any, ...] = ("平台二期已上线试运行", None),
    sections: dict[str, list[str]] | None = None,
    edit: Callable[[Worksheet], None] | None = None,
    out: Path | None = None,
) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book["月报"]
    if submitted is not None:
        put(sheet, right(sheet, "报送日期"), submitted)
    percent_col, note_col = column_of(sheet, "本月进度(%)"), column_of(sheet, "进展情况")
    for k, r in enumerate(task_rows(sheet)):
        percent = percents[k] if k < len(percents) else None
        note = notes[k] if k < len(notes) else None
        if percent is not None:
            put(sheet, sheet.cell(row=r, column=percent_col), percent)
        if note is not None:
            put(sheet, sheet.cell(row=r, column=note_col), note)
    for header, items in (sections if sections is not None else SECTIONS).items():
        top = find(sheet, header)
        for k, text in enumerate(items, start=1):
            put(sheet, sheet.cell(row=top.row + k, column=top.column), text)
    if edit is not None:
        edit(sheet)
    target = out or path
    book.save(target)
    return target


SECTIONS = {
    "存在困难": ["专业护理人员缺口较大", "  部分镇街可用场地有限  "],
    "意见建议": ["建议统一数据共享标准"],
    "下步工作思路": ["春节前完成平台二期试运行评估"],
    "可复制可推广的经验": [],
}
EXPECTED = {
    "unit": "minzheng",
    "month": "2023-01",
    "submitted": date(2023, 1, 20),
    "received": date(2023, 1, 28),  # the day of the import (spec 6.9)
    "progress": [
        {"task": "t2022-003", "percent": 80, "note": "平台二期已上线试运行"},
        {"task": "t2022-015", "percent": 35},
    ],
    "difficulties": ["专业护理人员缺口较大", "部分镇街可用场地有限"],
    "suggestions": ["建议统一数据共享标准"],
    "plans": ["春节前完成平台二期试运行评估"],
}


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    return folder


def make_form(lx: Lx, repo: Path, forms: Path, unit: str = "区民政局", name: str = FORM) -> Path:
    result = lx("reports", "form", "--unit", unit, "--month", MONTH, "-o", str(forms / name), cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    return forms / name


def import_(lx: Lx, repo: Path, *args: str) -> Any:
    return lx("reports", "import", *args, cwd=repo, env=TODAY)


# --- the form --------------------------------------------------------------------------------------


def test_the_form_holds_the_unit_its_open_tasks_and_only_input_cells_are_unlocked(
    bundled: Path, lx: Lx, forms: Path
) -> None:
    result = lx(
        "reports", "form", "-u", "minzheng", "-m", MONTH, cwd=forms, env={**TODAY, "LX_DATA": str(bundled / "data")}
    )
    assert result.exit_code == 0, result.output
    assert f"已写入 {FORM}" in result.stderr  # the default name, in the current folder
    book = openpyxl.load_workbook(forms / FORM)
    assert book.sheetnames == ["月报"]
    sheet = book["月报"]
    assert sheet["A1"].value == "区民政局 2023-01 月报"
    assert "填写说明" in sheet["A2"].value
    labels = {label: right(sheet, label).value for label in ("单位编号", "单位", "月份", "联络员", "报送日期")}
    assert labels == {"单位编号": "minzheng", "单位": "区民政局", "月份": "2023-01", "联络员": None, "报送日期": None}
    assert right(sheet, "报送日期").number_format == "yyyy-mm-dd"
    header = find(sheet, "任务编号").row
    assert [c.value for c in sheet[header]] == [
        "任务编号",
        "任务名称",
        "截止日期",
        "上次进度(%)",
        "本月进度(%)",
        "进展情况",
    ]
    rows = [[c.value for c in sheet[r]] for r in task_rows(sheet)]
    assert [r[0] for r in rows] == TASKS
    assert [r[3] for r in rows] == [75, None]  # 上次进度: the 2022-12 report gave t2022-003 75 %
    assert all(isinstance(r[2], datetime) for r in rows)  # 截止日期 are date cells
    assert sheet.cell(row=task_rows(sheet)[0], column=3).number_format == "yyyy-mm-dd"

    assert sheet.protection.sheet is True and not sheet.protection.password
    unlocked = {c.coordinate for row in sheet.iter_rows() for c in row if c.protection.locked is False}
    entry = {right(sheet, "报送日期").coordinate}
    entry |= {f"{col}{r}" for r in task_rows(sheet) for col in ("E", "F")}
    headers = [find(sheet, text) for text in ("存在困难", "意见建议", "下步工作思路", "可复制可推广的经验")]
    assert [h.row for h in headers] == sorted(h.row for h in headers)  # in the model's order
    for header_text in ("存在困难", "意见建议", "下步工作思路", "可复制可推广的经验"):
        top = find(sheet, header_text)
        entry |= {f"{letter}{top.row + k}" for k in range(1, 5) for letter in "ABCDEF"}  # four rows each: one A4 page
    assert unlocked == entry
    for label in ("单位编号", "单位", "月份", "联络员"):
        assert right(sheet, label).protection.locked is not False and find(sheet, label).protection.locked is not False

    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    first, last = task_rows(sheet)[0], task_rows(sheet)[-1]
    percent = rules[f"E{first}:E{last}"]
    assert (percent.type, percent.operator, percent.formula1, percent.formula2) == ("whole", "between", "0", "100")
    assert percent.showErrorMessage and percent.error == "本月进度应为 0～100 的整数（不带 %），如 80"
    when = rules[right(sheet, "报送日期").coordinate]
    assert when.type == "date" and "报送日期应为日期" in (when.error or "")
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "portrait", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_all_writes_one_form_per_unit_that_owes_the_report(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    units = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((bundled / "data/units").glob("*.yaml"))]
    result = lx("reports", "form", "--all", "-m", MONTH, "-o", str(tmp_path / "all"), cwd=bundled, env=TODAY)
    assert result.exit_code == 0, result.output
    # every unit of the roster owes 2023-01, but the group 各镇街, whose 13 members do (spec 6.11)
    assert len(list((tmp_path / "all").iterdir())) == 43 == len(units) - 1
    assert "已生成 43 份 2023-01 月报表" in result.stderr

    unit = bundled / "data/units/zuzhibu.yaml"  # joins later: owes reports from 2023-02 (spec 6.7)
    text = unit.read_text(encoding="utf-8").replace("reports: true\n", "reports: true\nsince: 2023-01-10\n")
    unit.write_text(text, encoding="utf-8")
    git(bundled, "commit", "-qam", "区委组织部稍后加入")
    out = tmp_path / "月报表"
    result = lx("reports", "form", "--all", "-m", MONTH, "-o", str(out), cwd=bundled, env=TODAY)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"月报-{u['name']}-2023-01.xlsx" for u in units if u["id"] not in ("zuzhibu", "zhenjie"))
    assert len(names) == 42
    refused = lx(
        "reports", "form", "-u", "zuzhibu", "-m", MONTH, "-o", str(tmp_path / "x.xlsx"), cwd=bundled, env=TODAY
    )
    assert refused.exit_code == 1 and "区委组织部（zuzhibu）2023-01 不需要报送月报" in refused.stderr
    assert git(bundled, "status", "--porcelain", "--untracked-files=all") == ""


def test_form_usage_errors(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    for args, said in (
        (["--all", "-m", MONTH], "--all 须用 -o 指定输出文件夹"),
        (["-m", MONTH], "请用 --unit 指定一个单位"),
        (["--all", "-u", "minzheng", "-m", MONTH, "-o", str(tmp_path)], "二者选一"),
    ):
        result = lx("reports", "form", *args, cwd=bundled, env=TODAY)
        assert result.exit_code == 2 and said in result.stderr, result.output
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for args, said in (
        (["--all", "-m", MONTH, "-o", str(tmp_path / "file")], "不是文件夹"),
        (["-u", "minzheng", "-m", MONTH, "-o", str(tmp_path)], "是一个文件夹"),
        (["-u", "minzheng", "-m", "2023-02"], "还没有到"),
        (["-u", "minzheng", "-m", "2022-05"], "早于专班成立"),
    ):
        result = lx("reports", "form", *args, cwd=bundled, env=TODAY)
        assert result.exit_code == 1 and said in result.stderr, result.output


# --- import ----------------------------------------------------------------------------------------


def test_a_filled_form_imports_as_the_report_in_one_commit(bundled: Path, lx: Lx, forms: Path) -> None:
    path = fill(make_form(lx, bundled, forms))
    head = git(bundled, "rev-parse", "HEAD")
    result = import_(lx, bundled, str(path))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((bundled / REPORT).read_text(encoding="utf-8")) == EXPECTED
    assert (
        (bundled / REPORT)
        .read_text(encoding="utf-8")
        .startswith(
            "# 月报（lx reports import 从月报表导入）\nunit: minzheng\nmonth: '2023-01'\nsubmitted: 2023-01-20\n"
            "received: 2023-01-28\n"
        )
    )
    assert git(bundled, "rev-parse", "HEAD~1") == head
    assert git(bundled, "log", "-1", "--format=%s") == "月报: 导入 1 份（区民政局 2023-01）\n"
    assert git(bundled, "show", "--name-only", "--format=", "HEAD").split() == [REPORT]
    assert yaml.safe_load(git(bundled, "show", f"HEAD:{REPORT}")) == EXPECTED
    assert git(bundled, "status", "--porcelain", "--untracked-files=all") == ""
    assert lx("validate", cwd=bundled).exit_code == 0
    shown = lx("reports", "-m", MONTH, "-f", "json", cwd=bundled, env=TODAY)
    assert "专业护理人员缺口较大" in shown.stdout


def test_several_forms_go_in_one_commit(bundled: Path, lx: Lx, forms: Path) -> None:
    first = fill(make_form(lx, bundled, forms))
    second = fill(make_form(lx, bundled, forms, "区财政局", "月报-区财政局-2023-01.xlsx"), percents=(), notes=())
    result = import_(lx, bundled, str(first), str(second), "--format", "json")
    assert result.exit_code == 0, result.output
    assert git(bundled, "log", "-1", "--format=%s") == "月报: 导入 2 份（区民政局 2023-01、区财政局 2023-01）\n"
    files = ["data/reports/2023-01/minzheng.yaml", "data/reports/2023-01/caizheng.yaml"]
    assert sorted(git(bundled, "show", "--name-only", "--format=", "HEAD").split()) == sorted(files)
    assert json.loads(result.stdout)["ids"] == ["2023-01/minzheng", "2023-01/caizheng"]
    caizheng = yaml.safe_load((bundled / files[1]).read_text(encoding="utf-8"))
    assert caizheng == {**{k: v for k, v in EXPECTED.items() if k != "progress"}, "unit": "caizheng"}


def test_cells_as_excel_wps_or_a_person_types_them(bundled: Path, lx: Lx, forms: Path) -> None:
    """A datetime or a date as text, percents as floats or full-width text, stray spaces: the same report."""
    for submitted, percents in (
        (datetime(2023, 1, 20, 0, 0), (80.0, " 35 ")),
        (" 2023/1/20 ", ("８０", 35.0)),
        ("2023-01-20", ("80", "35%")),
        ("２０２３年１月２０日", (80, "35.0")),
    ):
        path = fill(make_form(lx, bundled, forms), submitted=submitted, percents=percents)
        result = import_(lx, bundled, str(path), "--dry-run", "-f", "json")
        assert result.exit_code == 0, (submitted, result.output)
        committed = import_(lx, bundled, str(path), "--no-commit")
        assert committed.exit_code == 0, committed.output
        assert yaml.safe_load((bundled / REPORT).read_text(encoding="utf-8")) == EXPECTED, submitted
        (bundled / REPORT).unlink()


def test_dry_run_writes_nothing(bundled: Path, lx: Lx, forms: Path) -> None:
    path = fill(make_form(lx, bundled, forms))
    before = snapshot(bundled)
    result = import_(lx, bundled, str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"--- /dev/null\n+++ b/{REPORT}\n")
    assert "+  percent: 80\n" in result.stdout and "未写入任何文件" in result.stderr
    assert snapshot(bundled) == before


def test_replace_replaces_an_existing_report(bundled: Path, lx: Lx, forms: Path) -> None:
    path = fill(make_form(lx, bundled, forms))
    assert import_(lx, bundled, str(path)).exit_code == 0
    again = fill(make_form(lx, bundled, forms, name="again.xlsx"), percents=(90, 40), notes=(), sections={})
    before = snapshot(bundled)
    refused = import_(lx, bundled, str(again))
    assert refused.exit_code == 1
    assert f"{again}!B3: {REPORT} 已存在（区民政局 2023-01 的月报）：要用这份表替换它，请加 --replace" in refused.stderr
    assert snapshot(bundled) == before
    replaced = import_(lx, bundled, str(again), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert yaml.safe_load((bundled / REPORT).read_text(encoding="utf-8")) == {
        "unit": "minzheng",
        "month": "2023-01",
        "submitted": date(2023, 1, 20),
        "received": date(2023, 1, 28),
        "progress": [{"task": "t2022-003", "percent": 90}, {"task": "t2022-015", "percent": 40}],
    }
    assert git(bundled, "show", "--name-only", "--format=", "HEAD").split() == [REPORT]


# --- refusals: every problem at its cell, nothing written ------------------------------------------


def _cell(label: str, value: Any) -> Callable[[Worksheet], None]:
    def edit(sheet: Worksheet) -> None:
        right(sheet, label).value = value  # a locked cell: changed by a tool that ignores the lock

    return edit


def _row(column: str, value: Any) -> Callable[[Worksheet], None]:
    def edit(sheet: Worksheet) -> None:
        sheet[f"{column}{task_rows(sheet)[0]}"].value = value

    return edit


REFUSED: dict[str, tuple[dict[str, Any], str]] = {
    "unknown unit": (
        {"edit": _cell("单位编号", "minzhen")},
        "B3: 单位编号“minzhen”不存在：应为名册中的单位编号（data/units/ 下的文件名），请不要修改表中预填的单位编号；"
        "是否是：区民政局（minzheng）？",
    ),
    "no unit": (
        {"edit": _cell("单位编号", None)},
        "B3: 单位编号未填写：应为名册中的单位编号（如 minzheng），请不要修改表中预填的单位编号",
    ),
    "unit name": (
        {"edit": _cell("单位", "区财政局")},
        "D3: 单位“区财政局”与单位编号 minzheng（区民政局）不符：请不要修改表中预填的单位编号和单位",
    ),
    "bad month": (
        {"edit": _cell("月份", "2023-13")},
        "B4: 月份应为 YYYY-MM（如 2023-01），而不是“2023-13”：请不要修改表中预填的月份",
    ),
    "percent 150": ({"percents": (150, 35)}, "E7: 本月进度应为 0～100 的整数，而不是“150”"),
    "percent in words": ({"percents": ("八十", 35)}, "E7: 本月进度应为 0～100 的整数，而不是“八十”"),
    "percent 12.5": ({"percents": (80, 12.5)}, "E8: 本月进度应为 0～100 的整数，而不是“12.5”"),
    "no date": (
        {"submitted": None},
        "F4: 报送日期未填写：请填写实际报送的日期（如 2023-01-20），这是必填项",
    ),
    "not a date": (
        {"submitted": "下周一"},
        "F4: 报送日期应为日期（如 2023-01-20 或 2023/1/20），而不是“下周一”",
    ),
    "no such day": (
        {"submitted": "2023-02-30"},
        "F4: 报送日期应为日期（如 2023-01-20 或 2023/1/20），而不是“2023-02-30”",
    ),
    "after today": (
        {"submitted": date(2023, 2, 1)},
        "F4: 报送日期 2023-02-01 晚于今天（2023-01-28）：应为实际报送的日期，不能是将来的日期",
    ),
    "before the month": (
        {"submitted": date(2022, 12, 30)},
        "F4: 报送日期 2022-12-30 早于 2023-01 月的第一天：月报不能在当月开始前报送",
    ),
    "unknown task": (
        {"edit": _row("A", "t2099-001")},
        "A7: 任务编号“t2099-001”不存在（data/tasks/ 下没有 t2099-001.yaml）：只填写表中预填的任务，请不要修改任务编号",
    ),
    "another unit's task": (
        {"edit": _row("A", "t2022-011")},
        "A7: 任务 t2022-011 由 zhujian 牵头（配合：ziranziyuan），minzheng 既不牵头也不配合：只填写表中预填的本单位任务",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_bad_cell_is_refused_at_its_place(bundled: Path, lx: Lx, forms: Path, case: str) -> None:
    options, said = REFUSED[case]
    path = fill(make_form(lx, bundled, forms), **options)
    before = snapshot(bundled)
    result = import_(lx, bundled, str(path))
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "错误：月报表中有 1 个问题，未写入任何文件：", result.stderr
    assert lines[1:] == [f"{path}!{said}"]
    assert snapshot(bundled) == before


def test_another_unit_task_is_checked_against_the_roster(bundled: Path) -> None:
    task = yaml.safe_load((bundled / "data/tasks/t2022-011.yaml").read_text(encoding="utf-8"))
    assert task["lead"] == "zhujian" and task["support"] == ["ziranziyuan"]  # what REFUSED says of it


def test_a_unit_that_does_not_owe_the_month(bundled: Path, lx: Lx, forms: Path) -> None:
    path = fill(make_form(lx, bundled, forms))
    unit = bundled / "data/units/minzheng.yaml"
    text = unit.read_text(encoding="utf-8").replace("reports: true\n", "reports: true\nsince: 2023-01-10\n")
    unit.write_text(text, encoding="utf-8")
    git(bundled, "commit", "-qam", "区民政局稍后加入")
    before = snapshot(bundled)
    result = import_(lx, bundled, str(path))
    assert result.exit_code == 1
    assert f"{path}!B4: 区民政局（minzheng）2023-01 不需要报送月报：从 2023-02 起报送" in result.stderr.splitlines()
    assert snapshot(bundled) == before


def test_files_that_are_not_forms(bundled: Path, lx: Lx, forms: Path, tmp_path: Path) -> None:
    text = forms / "notes.xlsx"
    text.write_text("这不是表格", encoding="utf-8")
    other = forms / "other.xlsx"
    openpyxl.Workbook().save(other)
    legacy = forms / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    no_label = fill(make_form(lx, bundled, forms), edit=lambda s: setattr(find(s, "报送日期"), "value", None))
    missing = forms / "missing.xlsx"
    before = snapshot(bundled)
    result = import_(lx, bundled, str(text), str(other), str(legacy), str(no_label), str(missing), str(text))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误：月报表中有 6 个问题，未写入任何文件：",
        f"{text}: 不是 xlsx 文件（无法作为 Excel 工作簿打开）：请导入用 lx reports form 生成、填写后保存的 .xlsx 月报表",
        f"{other}: 没有名为“月报”的工作表（其中的工作表：Sheet）：请导入用 lx reports form 生成的月报表",
        f"{legacy}: 这是旧版 .xls 格式：请在 Excel 或 WPS 中“另存为” .xlsx（Excel 工作簿）后再导入",
        f"{no_label}: 工作表“月报”中找不到 报送日期：这不是 lx reports form 生成的月报表，或表头被改动了；"
        "请用 lx reports form 重新生成后填写",
        f"{missing}: 无法读取：文件或文件夹不存在",
        f"{text}: 这个文件在命令中出现了两次（同一份月报只导入一次）",
    ]
    assert snapshot(bundled) == before


def test_the_same_report_twice_and_every_problem_of_every_file(bundled: Path, lx: Lx, forms: Path) -> None:
    first = fill(make_form(lx, bundled, forms))
    copy = forms / "copy.xlsx"
    shutil.copy(first, copy)
    bad = fill(
        make_form(lx, bundled, forms, "区卫生健康局", "月报-区卫生健康局-2023-01.xlsx"),
        submitted="昨天",
        percents=("八十",),
    )
    before = snapshot(bundled)
    result = import_(lx, bundled, str(first), str(copy), str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误：月报表中有 3 个问题，未写入任何文件：",
        f"{copy}!B3: 与 {first} 是同一份月报（区民政局 2023-01）：同一单位同一月份只导入一份",
        f"{bad}!F4: 报送日期应为日期（如 2023-01-20 或 2023/1/20），而不是“昨天”",
        f"{bad}!E7: 本月进度应为 0～100 的整数，而不是“八十”",
    ]
    assert snapshot(bundled) == before


def test_a_row_needs_its_task_and_a_task_one_row(bundled: Path, lx: Lx, forms: Path) -> None:
    def edit(sheet: Worksheet) -> None:
        first, second = task_rows(sheet)
        sheet[f"A{second}"].value = sheet[f"A{first}"].value

    twice = fill(make_form(lx, bundled, forms), edit=edit)
    result = import_(lx, bundled, str(twice))
    assert result.exit_code == 1
    assert f"{twice}!A8: 任务 t2022-003 已在 A7 填写过：每项任务只填一行" in result.stderr.splitlines()
    blank = fill(make_form(lx, bundled, forms, name="blank.xlsx"), edit=_row("A", None))
    result = import_(lx, bundled, str(blank))
    assert result.exit_code == 1
    assert (
        f"{blank}!A7: 这一行填写了进度或进展，但没有任务编号：请只在表中预填的任务行填写" in result.stderr.splitlines()
    )


def test_a_dirty_data_folder_is_refused_before_anything_is_written(bundled: Path, lx: Lx, forms: Path) -> None:
    path = fill(make_form(lx, bundled, forms))
    (bundled / "data/tasks/t2099-001.yaml").write_text("x", encoding="utf-8")
    before = snapshot(bundled)
    result = import_(lx, bundled, str(path))
    assert result.exit_code == 1 and "未提交的修改" in result.stderr
    assert snapshot(bundled) == before


# --- LibreOffice -----------------------------------------------------------------------------------


@pytest.fixture
def soffice(tmp_path: Path) -> Iterator[Callable[[Path, Path], Path]]:
    program = shutil.which("soffice")
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: the round trip of the forms must be tested")
        pytest.skip("LibreOffice (soffice) is not installed: the round trip of the forms is not tested here")
    profile = tmp_path / "lo-profile"

    def convert(path: Path, out: Path) -> Path:
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return out / path.name

    yield convert


@pytest.mark.slow
def test_a_form_saved_again_by_libreoffice_imports_the_same(
    bundled: Path, lx: Lx, forms: Path, tmp_path: Path, soffice: Callable[[Path, Path], Path]
) -> None:
    path = fill(make_form(lx, bundled, forms))
    saved = soffice(path, tmp_path / "libreoffice")
    assert saved.read_bytes() != path.read_bytes()
    sheet = openpyxl.load_workbook(saved)["月报"]
    assert sheet.protection.sheet and right(sheet, "报送日期").protection.locked is False
    assert right(sheet, "单位编号").protection.locked is not False
    assert {v.type for v in sheet.data_validations.dataValidation} == {"whole", "date"}
    direct = import_(lx, bundled, str(path), "--dry-run")
    assert direct.exit_code == 0, direct.output
    result = import_(lx, bundled, str(saved))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((bundled / REPORT).read_text(encoding="utf-8")) == EXPECTED
    assert direct.stdout.splitlines()[3:] == ["+" + line for line in (bundled / REPORT).read_text("utf-8").splitlines()]


# --- the day received (spec 6.9) -------------------------------------------------------------------


def _state(lx: Lx, repo: Path, as_of: str) -> dict[str, Any]:
    shown = lx("reports", "-m", MONTH, "--as-of", as_of, "-f", "json", cwd=repo, env=TODAY)
    assert shown.exit_code == 0, shown.output
    return {r["unit"]: r for r in json.loads(shown.stdout)["units"]}["minzheng"]


def test_received_names_the_day_the_office_received_the_form(bundled: Path, lx: Lx, forms: Path) -> None:
    """2023-01's report is due 2023-01-28 (the 25th fell in the Spring Festival; the 28th was a working
    Saturday): a form sent on the 20th but received on the 29th is late, by the day it was received."""
    path = fill(make_form(lx, bundled, forms))
    later = {"LX_TODAY": "2023-01-30"}
    result = lx("reports", "import", str(path), "--received", "2023-01-29", cwd=bundled, env=later)
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((bundled / REPORT).read_text(encoding="utf-8"))
    assert written == {**EXPECTED, "received": date(2023, 1, 29)}
    assert _state(lx, bundled, "2023-01-30") == {
        "unit": "minzheng",
        "name": "区民政局",
        "state": "late",
        "submitted": "2023-01-20",
        "received": "2023-01-29",
        "days_late": 1,
        "difficulties": ["专业护理人员缺口较大", "部分镇街可用场地有限"],
        "suggestions": ["建议统一数据共享标准"],
        "plans": ["春节前完成平台二期试运行评估"],
        "practices": [],
    }
    assert _state(lx, bundled, "2023-01-28")["state"] == "pending"  # not received yet, not due yet
    assert _state(lx, bundled, "2023-01-29")["state"] == "late"
    table = lx("reports", "-m", MONTH, "--as-of", "2023-01-30", cwd=bundled, env={"COLUMNS": "200"}).stdout
    assert "收到日期" in table and "2023-01-29" in table and "工作思路：春节前完成平台二期试运行评估" in table


def test_a_form_received_on_the_due_day_is_on_time(bundled: Path, lx: Lx, forms: Path) -> None:
    path = fill(make_form(lx, bundled, forms))
    assert import_(lx, bundled, str(path)).exit_code == 0  # received today, 2023-01-28: the due day
    assert _state(lx, bundled, "2023-01-31")["state"] == "submitted"


def test_received_refusals_write_nothing(bundled: Path, lx: Lx, forms: Path) -> None:
    path = fill(make_form(lx, bundled, forms))
    before = snapshot(bundled)
    future = import_(lx, bundled, str(path), "--received", "2023-01-29")
    assert future.exit_code == 1
    assert "收到日期 2023-01-29 晚于今天（2023-01-28）：还没有发生的事不能记录" in future.stderr
    early = import_(lx, bundled, str(path), "--received", "2023-01-19")
    assert early.exit_code == 1
    assert early.stderr.splitlines()[1:] == [
        f"{path}!F4: 报送日期 2023-01-20 晚于专班办公室收到月报表的日期（--received 2023-01-19）：报送日期应为实际报送的"
        "日期，不能晚于收到的日期；请核对报送日期，或改正 --received"
    ]
    assert import_(lx, bundled, str(path), "--received", "2023-1-19").exit_code == 2  # a usage error
    assert snapshot(bundled) == before
    same_day = import_(lx, bundled, str(path), "--received", "2023-01-20", "--dry-run")
    assert same_day.exit_code == 0 and "+received: 2023-01-20\n" in same_day.stdout


def test_a_form_made_before_the_plans_section_still_imports(bundled: Path, lx: Lx, forms: Path) -> None:
    """Forms sent out by an earlier lx have no 下步工作思路 section: they import, with no plans."""

    def older(sheet: Worksheet) -> None:
        top = find(sheet, "下步工作思路")
        for row in range(top.row, top.row + 6):  # its header and its input rows, as blank rows
            for column in range(1, 7):
                cell = sheet.cell(row=row, column=column)
                if not isinstance(cell, MergedCell):  # the merged cells' others hold nothing
                    cell.value = None

    path = fill(make_form(lx, bundled, forms), sections={**SECTIONS, "下步工作思路": []}, edit=older)
    assert "下步工作思路" not in [c.value for row in openpyxl.load_workbook(path)["月报"].iter_rows() for c in row]
    result = import_(lx, bundled, str(path))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((bundled / REPORT).read_text(encoding="utf-8")) == {
        k: v for k, v in EXPECTED.items() if k != "plans"
    }

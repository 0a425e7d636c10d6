"""Monthly report forms (spec 10.1): what a unit's form holds, and a filled form read back as a report.

The sheet itself (where each label sits, how cells are found again) is ``render/report_form.py``; this
module sees only the cells it hands over (``Filled``), each with its reference, and turns them into the
report record — or into located problems, every one of them, with what would be allowed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import first_month_on_or_after, month_start
from laoxiao_cli.domain.units import role
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Unit
from laoxiao_cli.model.years import year_ok

Field = Literal["unit", "unit_name", "month", "by", "submitted"]
"""The labelled cells of a form."""
Section = Literal["difficulties", "suggestions", "plans", "practices"]
"""The lists below the table, in the form's order (``plans``: 下步工作思路, spec 6.9)."""
SECTIONS: tuple[Section, ...] = ("difficulties", "suggestions", "plans", "practices")
OPTIONAL: frozenset[Section] = frozenset({"plans"})
"""Sections a form made before them lacks: such a form imports with the list empty."""


# --- what a form holds -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormTask:
    task: str
    title: str
    due: date
    """The due in force on the report's due date."""
    last: int | None
    """上次进度: the percent in the unit's latest earlier report (None: not given there, or no report)."""


@dataclass(frozen=True, slots=True)
class Form:
    unit: str
    unit_name: str
    month: str
    liaison: str | None
    due: date
    """The day the report is due."""
    tasks: tuple[FormTask, ...]


def owing_units(ds: Dataset, month: str) -> list[str]:
    """The units that owe the report of ``month``, in roster order."""
    return [unit.id for unit in ds.units.values() if rules.owes_report(ds, unit, month)]


def form(ds: Dataset, unit_id: str, month: str) -> Form:
    """The form of one unit for ``month``: every task it leads or supports that is open on the report's
    due date, with the percent of its latest earlier report."""
    unit = ds.units[unit_id]
    due = rules.report_due_date(ds, month)
    earlier = [m for (m, u) in ds.submitted if u == unit_id and m < month]
    last: dict[str, int | None] = {}
    if earlier:
        last = {row.task: row.percent for row in ds.reports[(max(earlier), unit_id)].progress}
    tasks = tuple(
        FormTask(t.id, t.title, rules.due_at(t, due), last.get(t.id))
        for t in ds.tasks_by_unit.get(unit_id, [])
        if rules.is_open(t, due)
    )
    return Form(unit_id, unit.name, month, unit.liaison.name if unit.liaison else None, due, tasks)


# --- a filled form read back -----------------------------------------------------------------------

Value = str | int | float | date | None
"""A cell's value as the workbook holds it (a datetime is a date)."""


@dataclass(frozen=True, slots=True)
class Cell:
    ref: str
    """Where it is, e.g. ``E7``."""
    value: Value


@dataclass(frozen=True, slots=True)
class FilledRow:
    task: Cell
    percent: Cell
    note: Cell


@dataclass(frozen=True, slots=True)
class Filled:
    """The cells of one form, as found by their labels and headers."""

    fields: Mapping[Field, Cell]
    rows: tuple[FilledRow, ...]
    sections: Mapping[Section, tuple[Cell, ...]]
    """Every section's non-empty cells (none for a section the form lacks)."""


@dataclass(frozen=True, slots=True)
class Problem:
    cell: str | None
    """The cell, or None for the file as a whole."""
    message: str


@dataclass(frozen=True, slots=True)
class Imported:
    unit: str
    month: str
    unit_cell: str
    """Where the form names its unit: the place of a conflict with another report."""
    record: dict[str, object] = field(default_factory=dict)
    """The report, keys in the order of the bundled data's files."""


def report_of(
    ds: Dataset, filled: Filled, today: date, received: date | None = None
) -> tuple[Imported | None, list[Problem]]:
    """The report a filled form holds, or every problem of it (each at its cell). ``received``: the day the
    office received the form (default ``today``; the caller refuses a later one), recorded in the report:
    its 报送日期 may be no later."""
    received = today if received is None else received
    problems: list[Problem] = []
    cells = filled.fields
    unit = _unit(ds, cells["unit"], cells["unit_name"], problems)
    month = _month(cells["month"], problems)
    if unit is not None and month is not None and not rules.owes_report(ds, unit, month):
        problems.append(Problem(cells["month"].ref, _not_owed(ds, unit, month)))
    submitted = _submitted(cells["submitted"], month, (today, received), problems)
    progress = _progress(ds, unit, filled.rows, problems)
    if problems or unit is None or month is None or submitted is None:
        return None, problems
    record: dict[str, object] = {"unit": unit.id, "month": month, "submitted": submitted, "received": received}
    by = _text(cells["by"].value)
    if by:
        record["by"] = by
    if progress:
        record["progress"] = progress
    for section in SECTIONS:
        items = [text for text in (_text(c.value) for c in filled.sections[section]) if text]
        if items:
            record[section] = items
    return Imported(unit.id, month, cells["unit"].ref, record), []


def _unit(ds: Dataset, id_cell: Cell, name_cell: Cell, problems: list[Problem]) -> Unit | None:
    given = _plain(id_cell.value).lower()
    unit = ds.units.get(given)
    if unit is None:
        problems.append(Problem(id_cell.ref, _unknown_unit(ds, given)))
        return None
    name = _text(name_cell.value) or ""
    if name != unit.name and name not in unit.aliases:
        problems.append(
            Problem(
                name_cell.ref,
                f"单位“{name}”与单位编号 {unit.id}（{unit.name}）不符：请不要修改表中预填的单位编号和单位",
            )
        )
    return unit


def _unknown_unit(ds: Dataset, given: str) -> str:
    if not given:
        return "单位编号未填写：应为名册中的单位编号（如 minzheng），请不要修改表中预填的单位编号"
    close = difflib.get_close_matches(given, list(ds.units), n=3, cutoff=0.75)
    hint = f"；是否是：{'、'.join(f'{ds.units[c].name}（{c}）' for c in close)}？" if close else ""
    return (
        f"单位编号“{given}”不存在：应为名册中的单位编号（data/units/ 下的文件名），请不要修改表中预填的单位编号{hint}"
    )


def _not_owed(ds: Dataset, unit: Unit, month: str) -> str:
    if unit.members:
        return f"{unit.name}（{unit.id}）是单位组，本身不报送月报：月报由各成员单位分别报送，这份月报表不能导入"
    if not unit.reports:
        return f"{unit.name}（{unit.id}）不报送月报（名册中 reports: false）：这份月报表不能导入"
    start = ds.group.started if unit.since is None else max(ds.group.started, unit.since)
    first = first_month_on_or_after(start)
    return f"{unit.name}（{unit.id}）{month} 不需要报送月报：从 {first} 起报送"


_MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")
_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_PERCENT = re.compile(r"(\d{1,3})(?:\.0+)?%?")


def _month(cell: Cell, problems: list[Problem]) -> str | None:
    value = cell.value
    if isinstance(value, date):  # Excel turns a typed 2023-01 into the first day of that month
        year, month = value.year, value.month
    else:
        found = _MONTH.fullmatch(_plain(value))
        year, month = (int(found[1]), int(found[2])) if found else (0, 0)
    if year_ok(year) and 1 <= month <= 12:
        return f"{year:04d}-{month:02d}"
    shown = _shown(value)
    said = f"而不是“{shown}”" if shown else "不能为空"
    problems.append(Problem(cell.ref, f"月份应为 YYYY-MM（如 2023-01），{said}：请不要修改表中预填的月份"))
    return None


def _submitted(cell: Cell, month: str | None, days: tuple[date, date], problems: list[Problem]) -> date | None:
    """报送日期: a date, not before the month begins, not after today nor after the day received."""
    today, received = days
    day = _date(cell.value)
    if day is None:
        shown = _shown(cell.value)
        problems.append(
            Problem(
                cell.ref,
                f"报送日期应为日期（如 2023-01-20 或 2023/1/20），而不是“{shown}”"
                if shown
                else "报送日期未填写：请填写实际报送的日期（如 2023-01-20），这是必填项",
            )
        )
        return None
    if day > today:
        problems.append(Problem(cell.ref, f"报送日期 {day} 晚于今天（{today}）：应为实际报送的日期，不能是将来的日期"))
        return None
    if day > received:
        problems.append(Problem(cell.ref, _after_received(day, received)))
        return None
    if month is not None and day < month_start(month):
        problems.append(Problem(cell.ref, f"报送日期 {day} 早于 {month} 月的第一天：月报不能在当月开始前报送"))
        return None
    return day


def _after_received(day: date, received: date) -> str:
    return (
        f"报送日期 {day} 晚于专班办公室收到月报表的日期（--received {received}）：报送日期应为实际报送的日期，"
        "不能晚于收到的日期；请核对报送日期，或改正 --received"
    )


def _date(value: Value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = _DAY.fullmatch(_plain(value)) if isinstance(value, str) else None
    if found is None or not year_ok(int(found[1])):
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _progress(ds: Dataset, unit: Unit | None, rows: tuple[FilledRow, ...], problems: list[Problem]) -> list[object]:
    out: list[object] = []
    seen: dict[str, str] = {}
    for row in rows:
        percent = _percent(row.percent, problems)
        note = _text(row.note.value)
        task_id = _plain(row.task.value)
        if not task_id:
            if percent is not None or note:
                problems.append(
                    Problem(row.task.ref, "这一行填写了进度或进展，但没有任务编号：请只在表中预填的任务行填写")
                )
            continue
        trouble = _task_trouble(ds, unit, task_id, seen)
        if trouble:
            problems.append(Problem(row.task.ref, trouble))
            continue
        seen[task_id] = row.task.ref
        if percent is None and not note:
            continue
        item: dict[str, object] = {"task": task_id}
        if percent is not None:
            item["percent"] = percent
        if note:
            item["note"] = note
        out.append(item)
    return out


def _task_trouble(ds: Dataset, unit: Unit | None, task_id: str, seen: Mapping[str, str]) -> str | None:
    task = ds.tasks.get(task_id)
    if task is None:
        return (
            f"任务编号“{task_id}”不存在（data/tasks/ 下没有 {task_id}.yaml）：只填写表中预填的任务，请不要修改任务编号"
        )
    if unit is not None and role(ds, task, unit.id) is None:  # a group's tasks are its members' (spec 6.11)
        return (
            f"任务 {task_id} 由 {task.lead} 牵头（配合：{'、'.join(task.support) or '无'}），{unit.id} "
            "既不牵头也不配合：只填写表中预填的本单位任务"
        )
    if task_id in seen:
        return f"任务 {task_id} 已在 {seen[task_id]} 填写过：每项任务只填一行"
    return None


def _percent(cell: Cell, problems: list[Problem]) -> int | None:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: int | None = None
    if isinstance(value, (bool, date)):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    else:
        found = _PERCENT.fullmatch(_plain(value))
        number = int(found[1]) if found else None
    if number is None or not 0 <= number <= 100:
        problems.append(Problem(cell.ref, f"本月进度应为 0～100 的整数，而不是“{_shown(value)}”"))
        return None
    return number


def _text(value: Value) -> str | None:
    """A text cell's content, trimmed (a number typed there is its digits; a date, YYYY-MM-DD)."""
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _plain(value: Value) -> str:
    """An id, a number or a date typed as text: full-width digits and letters as ASCII, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _text(value) or ""))


def _shown(value: Value) -> str:
    return _text(value) or ""

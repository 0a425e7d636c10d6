"""`lx checklist`: 任务清单 / 责任清单 / 目标清单 as table, Markdown, CSV, JSON or an xlsx workbook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, Screen, cell, csv_text, dump_json, markdown_table
from laoxiao_cli.render.grid import Cell, Col, grid
from laoxiao_cli.render.xlsx import Sheet, workbook

if TYPE_CHECKING:
    from laoxiao_cli.domain.checklist import Checklist, ListName

TASK_HEADER = [
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
]
DUTY_HEADER = ["单位", "职责编号", "职责内容", "牵头落实的任务", "配合落实的任务"]
TARGET_HEADER = ["任务编号", "目标", "牵头单位", "重点项目", "截止日期", "状态"]


def rows(c: Checklist, which: ListName, contacts: bool = False) -> tuple[list[str], list[list[Any]]]:
    if which == "tasks":
        header = TASK_HEADER if c.unit is None else [*TASK_HEADER[:2], "本单位角色", *TASK_HEADER[2:]]
        body = []
        for t in c.tasks:
            row: list[Any] = [
                t.id,
                t.title,
                t.lead_name,
                t.support_names,
                t.key,
                t.start,
                t.due,
                labels.TASK_STATES[t.state],
                t.reported,
                t.days_late,
                t.done,
                t.weight,
            ]
            if c.unit is not None:
                row.insert(2, labels.TASK_ROLES[t.role] if t.role else "")
            body.append(row)
        return header, body
    if which == "duties":
        body = [[d.unit_name, d.duty or "—", d.text, d.lead_tasks, d.support_tasks] for d in c.duties]
        if not contacts:
            return DUTY_HEADER, body
        for row, d in zip(body, c.duties, strict=True):
            person = c.liaisons.get(d.unit)
            row += [person.name, person.phone, person.email] if person else ["", "", ""]
        return [*DUTY_HEADER, "联络员", "电话", "邮箱"], body
    return TARGET_HEADER, [
        [t.task, t.target, t.lead_name, t.key, t.due, labels.TASK_STATES[t.state]] for t in c.targets
    ]


def _title(c: Checklist, which: ListName, names: Mapping[str, str]) -> str:
    who = f"{names.get(c.unit, c.unit)} " if c.unit else ""
    return f"{who}{labels.CHECKLISTS[which]}（截至 {c.as_of.isoformat()}）"


def table(c: Checklist, which: ListName, names: Mapping[str, str], screen: Screen, contacts: bool = False) -> str:
    header, body = rows(c, which, contacts)
    fixed = ("编号", "任务编号", "截止日期", "开始日期", "完成日期", "职责编号", "状态")
    columns = [Col(name, right=name in ("进度(%)", "逾期天数", "权重"), wrap=name not in fixed) for name in header]
    table_rows: list[list[Cell]] = [
        [(cell(v), "red") if cell(v) in ("已逾期", "逾期完成") else cell(v) for v in row] for row in body
    ]
    return grid(columns, table_rows, screen, title=_title(c, which, names), lines_between=which == "duties")


def markdown(c: Checklist, which: ListName, names: Mapping[str, str], contacts: bool = False) -> str:
    header, body = rows(c, which, contacts)
    return f"### {_title(c, which, names)}\n\n" + markdown_table(header, body)


def csv(c: Checklist, which: ListName, contacts: bool = False) -> str:
    header, body = rows(c, which, contacts)
    return csv_text(header, body)


def as_json(c: Checklist, which: ListName) -> str:
    items: Sequence[Any] = c.tasks if which == "tasks" else c.duties if which == "duties" else c.targets
    return dump_json({"as_of": c.as_of, "unit": c.unit, "list": which, "items": [asdict(i) for i in items]})


def xlsx(c: Checklist, which: ListName, contacts: bool = False, names: Mapping[str, str] | None = None) -> bytes:
    """All three lists, one sheet each, titled as the other formats title them; the chosen list is the
    first sheet."""
    order = [which, *(w for w in labels.CHECKLISTS if w != which)]
    return workbook([Sheet(labels.CHECKLISTS[w], _title(c, w, names or {}), *rows(c, w, contacts)) for w in order])


FORMATS: dict[str, Renderer[Checklist]] = {
    "table": lambda c, view: table(c, view.list_name, view.names, view.screen, view.with_contacts),
    "markdown": lambda c, view: markdown(c, view.list_name, view.names, view.with_contacts),
    "csv": lambda c, view: csv(c, view.list_name, view.with_contacts),
    "json": lambda c, view: as_json(c, view.list_name),
    "xlsx": lambda c, view: xlsx(c, view.list_name, view.with_contacts, view.names),
}

"""`lx overdue`: every overdue item, as a table, JSON (spec section 4), Markdown, CSV or an xlsx workbook."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, Screen, csv_text, dump_json, markdown_table
from laoxiao_cli.render.grid import Cell, Col, fold, grid
from laoxiao_cli.render.progress import COLOUR_STYLES, COLOUR_WORDS, item, warning
from laoxiao_cli.render.xlsx import Sheet, workbook

if TYPE_CHECKING:
    from laoxiao_cli.domain.overdue import Overdue, OverdueItem

HEADER = ["类别", "编号", "单位", "角色", "事项", "截止日期", "逾期天数", "应发函件", "预警"]


def as_json(o: Overdue) -> str:
    items = [
        {
            "kind": i.kind,
            "id": i.id,
            "unit": i.unit,
            "role": i.role,
            "title": i.title,
            "due": i.due,
            "days_late": i.days_late,
            "next_letter": i.next_letter,
            "colour": i.colour,
        }
        for i in o.items
    ]
    warnings = [item(g) for g in o.warnings]
    return dump_json({"as_of": o.as_of, "unit": o.unit, "items": items, "warnings": warnings})


def _row(i: OverdueItem, names: Mapping[str, str]) -> list[Any]:
    return [
        labels.OVERDUE_KINDS[i.kind],
        i.id,
        names.get(i.unit, i.unit) if i.unit else "",
        labels.TASK_ROLES[i.role] if i.role else "",
        i.title,
        i.due,
        i.days_late,
        labels.LETTER_KINDS[i.next_letter] if i.next_letter else "",
        COLOUR_WORDS[i.colour] if i.colour else "",
    ]


def _heading(o: Overdue, names: Mapping[str, str]) -> str:
    who = f"{names.get(o.unit, o.unit)} " if o.unit else ""
    return f"{who}逾期事项（截至 {o.as_of.isoformat()}）：共 {len(o.items)} 项"


def _warnings(o: Overdue, names: Mapping[str, str]) -> list[str]:
    """The yellow tasks after the overdue ones: the heading line, then one line each (none: nothing)."""
    if not o.warnings:
        return []
    return [f"预警任务（黄色，尚未逾期）：{len(o.warnings)} 项", *(warning(g, o.as_of, names) for g in o.warnings)]


def table(o: Overdue, names: Mapping[str, str], screen: Screen) -> str:
    warned = _warnings(o, names)
    after = "".join(fold(line if n == 0 else "  " + line, screen) + "\n" for n, line in enumerate(warned))
    if not o.items:
        return _heading(o, names) + "，没有逾期事项。\n" + after
    columns = [Col(h, right=h == "逾期天数", wrap=h not in ("类别", "编号", "截止日期", "预警")) for h in HEADER]
    rows: list[list[Cell]] = []
    for i in o.items:
        cells = [str(c) if c is not None else "" for c in _row(i, names)]
        colour = COLOUR_STYLES[i.colour] if i.colour else ""
        letter = "bold magenta" if i.next_letter else ""
        rows.append([*cells[:6], (cells[6], "bold red"), (cells[7], letter), (cells[8], colour)])
    return grid(columns, rows, screen, title=_heading(o, names)) + after


def markdown(o: Overdue, names: Mapping[str, str]) -> str:
    rows = [_row(i, names) for i in o.items]
    text = f"### {_heading(o, names)}\n\n" + (markdown_table(HEADER, rows) if rows else "没有逾期事项。\n")
    warned = _warnings(o, names)
    if warned:
        text += "\n" + warned[0] + "\n\n" + "".join(f"- {line}\n" for line in warned[1:])
    return text


def csv(o: Overdue, names: Mapping[str, str]) -> str:
    return csv_text(HEADER, [_row(i, names) for i in o.items])


def xlsx(o: Overdue, names: Mapping[str, str]) -> bytes:
    """One sheet 逾期清单, the rows of the other formats: 截止日期 a date, 逾期天数 a number."""
    who = f"{names.get(o.unit, o.unit)} " if o.unit else ""
    caption = f"{who}逾期清单（截至 {o.as_of.isoformat()}）：共 {len(o.items)} 项"
    rows = [_row(i, names) for i in o.items]
    return workbook([Sheet("逾期清单", caption, HEADER, rows, note="" if rows else "没有逾期事项。")])


FORMATS: dict[str, Renderer[Overdue]] = {
    "table": lambda o, view: table(o, view.names, view.screen),
    "json": lambda o, view: as_json(o),
    "markdown": lambda o, view: markdown(o, view.names),
    "csv": lambda o, view: csv(o, view.names),
    "xlsx": lambda o, view: xlsx(o, view.names),
}

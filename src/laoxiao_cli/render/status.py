"""`lx status`: the dashboard as a terminal table, JSON (spec section 4) or Markdown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from laoxiao_cli.domain.calendar import quarter_label
from laoxiao_cli.domain.progress import COLOURS
from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, Screen, dump_json, markdown_table, months_text
from laoxiao_cli.render.grid import Cell, Col, fold, grid, paint
from laoxiao_cli.render.progress import tally

if TYPE_CHECKING:
    from laoxiao_cli.domain.status import Status, UnitRow

HEADER = ["单位", "牵头在办", "其中逾期", "已完成", "联络员", "缺报月报"]


def as_json(s: Status) -> str:
    payload: dict[str, Any] = {
        "as_of": s.as_of,
        "tasks": {
            "total": s.tasks.total,
            "open": s.tasks.open,
            "overdue": s.tasks.overdue,
            "done": s.tasks.done,
            "done_late": s.tasks.done_late,
            "cancelled": s.tasks.cancelled,
        },
        "colours": {colour: s.colours.get(colour, 0) for colour in COLOURS},
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "lead_open": u.lead_open,
                "lead_overdue": u.lead_overdue,
                "lead_done": u.lead_done,
                "liaison": u.liaison,
                "missing_reports": u.missing_reports,
            }
            for u in s.units
        ],
        "meetings": {"last_held": s.last_held, "overdue_quarters": s.overdue_quarters},
        "letters": {"awaiting_reply": len(s.awaiting)},
    }
    return dump_json(payload)


def _summary(s: Status) -> str:
    t = s.tasks
    return (
        f"任务 {t.total} 项：在办 {t.open}（其中逾期 {t.overdue}）· 已完成 {t.done}（其中逾期完成 {t.done_late}）"
        f"· 已取消 {t.cancelled}"
    )


def _colours(s: Status) -> str:
    return f"三色预警（在办任务）：{tally({c: s.colours.get(c, 0) for c in COLOURS})}（详见 lx progress）"


def _meetings(s: Status) -> str:
    last = s.last_held.isoformat() if s.last_held else "尚未召开"
    missing = "、".join(quarter_label(q) for q in s.overdue_quarters) or "无"
    return f"专班会议：最近一次召开 {last}；未按期召开的季度例会：{missing}"


def _letters(s: Status, names: Mapping[str, str]) -> list[str]:
    lines = [f"待回复函件：{len(s.awaiting)} 件"]
    for letter in s.awaiting:
        overdue = (s.as_of - letter.reply_by).days
        when = f"已超过回复期限 {overdue} 天" if overdue > 0 else f"回复期限 {letter.reply_by.isoformat()}"
        lines.append(
            f"  {letter.id} {labels.LETTER_KINDS[letter.kind]} → {names.get(letter.unit, letter.unit)}（{when}）"
        )
    return lines


def _row(u: UnitRow, contacts: bool = False) -> list[str]:
    return [
        u.name,
        str(u.lead_open),
        str(u.lead_overdue),
        str(u.lead_done),
        (u.liaison or "未明确") + (f"（{u.liaison_contact}）" if contacts and u.liaison_contact else ""),
        months_text(u.missing_reports),
    ]


def table(s: Status, names: Mapping[str, str], screen: Screen, contacts: bool = False) -> str:
    columns = [
        Col("单位", wrap=False),
        Col("牵头在办", right=True),
        Col("其中逾期", right=True),
        Col("已完成", right=True),
        Col("联络员"),
        Col("缺报月报"),
    ]
    rows: list[list[Cell]] = []
    for u in s.units:
        cells = _row(u, contacts)
        rows.append(
            [
                cells[0],
                (cells[1], "yellow" if u.due_soon and not u.lead_overdue else ""),
                (cells[2], "bold red" if u.lead_overdue else ""),
                cells[3],
                (cells[4], "dim" if u.liaison is None else ""),
                (cells[5], "red" if u.missing_reports else ""),
            ]
        )
    out = [paint(fold(_summary(s), screen), "bold", screen), fold(_colours(s), screen)]
    out.append(grid(columns, rows, screen, title=f"各单位情况（截至 {s.as_of.isoformat()}）").rstrip("\n"))
    out.append(paint(fold(_meetings(s), screen), "red" if s.overdue_quarters else "", screen))
    out += [fold(line, screen) for line in _letters(s, names)]
    return "\n".join(out) + "\n"


def markdown(s: Status, names: Mapping[str, str], contacts: bool = False) -> str:
    lines = [
        f"## {s.group} 工作状态（截至 {s.as_of.isoformat()}）",
        "",
        _summary(s),
        "",
        _colours(s),
        "",
        markdown_table(HEADER, [_row(u, contacts) for u in s.units]),
        _meetings(s),
        "",
        *[line.strip() if i == 0 else "- " + line.strip() for i, line in enumerate(_letters(s, names))],
    ]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Renderer[Status]] = {
    "table": lambda s, view: table(s, view.names, view.screen, view.with_contacts),
    "json": lambda s, view: as_json(s),
    "markdown": lambda s, view: markdown(s, view.names, view.with_contacts),
}

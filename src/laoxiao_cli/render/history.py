"""`lx history`: commits of one record, newest first, each with the fields it changed (old → new)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, Screen, dump_json
from laoxiao_cli.render.grid import Cell, Col, grid, width

if TYPE_CHECKING:
    from laoxiao_cli.domain.history import Change, FieldChange, RecordHistory

LONGEST_VALUE = 60
"""Display columns of one value in the table before it is cut with “…” (JSON has it whole)."""


def as_json(h: RecordHistory) -> str:
    return dump_json({"id": h.id, "path": h.path, "shallow": h.shallow, "commits": [asdict(c) for c in h.changes]})


def value_text(value: Any) -> str:
    """A field's value for the table: ``（无）`` for an absent one, lists joined, mappings as JSON."""
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        text = "、".join(str(v) for v in value) or "（空）"
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value) or "（空）"
    return _cut(text.replace("\n", "⏎"))


def _cut(text: str) -> str:
    if width(text) <= LONGEST_VALUE:
        return text
    out, used = "", 1
    for char in text:
        used += width(char)
        if used > LONGEST_VALUE:
            break
        out += char
    return out + "…"


def change_line(c: FieldChange) -> str:
    return f"{c.field}：{value_text(c.old)} → {value_text(c.new)}"


def _what(c: Change) -> str:
    if c.action != "changed":
        return labels.CHANGE_ACTIONS[c.action]
    if not c.changes:
        return "、".join(c.fields) if c.fields else "（内容未变）"
    return "\n".join(change_line(f) for f in c.changes)


def warning(h: RecordHistory) -> str | None:
    """The line for standard error when the history is cut off by a shallow clone."""
    if not h.shallow:
        return None
    first = h.changes[-1]
    return (
        f"注意：这是浅克隆（git clone --depth），本地只有 {first.commit[:8]}（{first.date[:10]}）以来的历史；"
        f"{h.id} 在那之前的修改（包括新建）不在本地。要看完整历史，请先运行 git fetch --unshallow"
    )


def table(h: RecordHistory, screen: Screen) -> str:
    if not h.changes:
        return f"{h.id}（{h.path}）没有提交记录：它还没有被提交到 Git。\n"
    columns = [Col("提交", wrap=False), Col("时间", wrap=False), Col("作者"), Col("说明"), Col("改动（旧 → 新）")]
    rows: list[list[Cell]] = []
    for c in h.changes:
        what: Cell = (_what(c), "yellow") if c.action == "shallow" else _what(c)
        rows.append([c.commit[:8], c.date[:16].replace("T", " "), c.author, c.message, what])
    title = f"{h.id} 的修改历史（{h.path}，共 {len(h.changes)} 次提交）"
    return grid(columns, rows, screen, title=title, lines_between=True)


FORMATS: dict[str, Renderer[RecordHistory]] = {
    "table": lambda h, view: table(h, view.screen),
    "json": lambda h, view: as_json(h),
}

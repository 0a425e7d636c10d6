"""`lx history`: commits of one record, newest first."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, Screen, dump_json
from laoxiao_cli.render.grid import Cell, Col, grid

if TYPE_CHECKING:
    from laoxiao_cli.domain.history import Change, RecordHistory


def as_json(name: str, rel: str, items: list[Change]) -> str:
    return dump_json({"id": name, "path": rel, "commits": [asdict(c) for c in items]})


def table(name: str, rel: str, items: list[Change], screen: Screen) -> str:
    if not items:
        return f"{name}（{rel}）没有提交记录：它还没有被提交到 Git。\n"
    columns = [Col("提交", wrap=False), Col("时间", wrap=False), Col("作者"), Col("说明"), Col("改动")]
    rows: list[list[Cell]] = []
    for c in items:
        fields = "、".join(c.fields) if c.action == "changed" else labels.CHANGE_ACTIONS[c.action]
        rows.append([c.commit[:8], c.date[:16].replace("T", " "), c.author, c.message, fields or "（内容未变）"])
    return grid(columns, rows, screen, title=f"{name} 的修改历史（{rel}，共 {len(items)} 次提交）")


FORMATS: dict[str, Renderer[RecordHistory]] = {
    "table": lambda h, view: table(h.id, h.path, h.changes, view.screen),
    "json": lambda h, view: as_json(h.id, h.path, h.changes),
}

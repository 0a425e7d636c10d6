"""`lx history`: commits of one record, newest first."""

from __future__ import annotations

from dataclasses import asdict

from laoxiao_cli.domain.history import Change
from laoxiao_cli.render.common import Screen, dump_json
from laoxiao_cli.render.grid import Cell, Col, grid

ACTIONS = {"created": "新建", "changed": "修改", "deleted": "删除", "unreadable": "（该版本无法解析）"}


def as_json(name: str, rel: str, items: list[Change]) -> str:
    return dump_json({"id": name, "path": rel, "commits": [asdict(c) for c in items]})


def table(name: str, rel: str, items: list[Change], screen: Screen) -> str:
    if not items:
        return f"{name}（{rel}）没有提交记录：它还没有被提交到 Git。\n"
    columns = [Col("提交", wrap=False), Col("时间", wrap=False), Col("作者"), Col("说明"), Col("改动")]
    rows: list[list[Cell]] = []
    for c in items:
        fields = "、".join(c.fields) if c.action == "changed" else ACTIONS[c.action]
        rows.append([c.commit[:8], c.date[:16].replace("T", " "), c.author, c.message, fields or "（内容未变）"])
    return grid(columns, rows, screen, title=f"{name} 的修改历史（{rel}，共 {len(items)} 次提交）")

"""`lx history`: commits of one record, newest first."""

from __future__ import annotations

from dataclasses import asdict

from laoxiao_cli.domain.history import Change
from laoxiao_cli.render.common import Screen, dump_json, to_text

ACTIONS = {"created": "新建", "changed": "修改", "deleted": "删除", "unreadable": "（该版本无法解析）"}


def as_json(name: str, rel: str, items: list[Change]) -> str:
    return dump_json({"id": name, "path": rel, "commits": [asdict(c) for c in items]})


def table(name: str, rel: str, items: list[Change], screen: Screen) -> str:
    from rich.table import Table
    from rich.text import Text

    if not items:
        return to_text([Text(f"{name}（{rel}）没有提交记录：它还没有被提交到 Git。")], screen)
    grid = Table(title=f"{name} 的修改历史（{rel}，共 {len(items)} 次提交）", header_style="bold")
    for column in ("提交", "时间", "作者", "说明", "改动"):
        grid.add_column(column, overflow="fold", no_wrap=column in ("提交", "时间"))
    for c in items:
        fields = "、".join(c.fields) if c.action == "changed" else ACTIONS[c.action]
        grid.add_row(c.commit[:8], c.date[:16].replace("T", " "), c.author, c.message, fields or "（内容未变）")
    return to_text([grid], screen)

"""`lx score`: 阶段性赋分 per unit as a table, JSON (spec section 4) or CSV."""

from __future__ import annotations

from typing import Any

from laoxiao_cli.domain.score import Scores, UnitScore
from laoxiao_cli.render.common import Screen, csv_text, dump_json, to_text

HEADER = ["单位", "任务数", "权重合计", "得分权重", "缺报月报", "得分"]


def as_json(s: Scores) -> str:
    return dump_json(
        {
            "period": s.period,
            "end": s.end,
            "units": [
                {
                    "id": u.id,
                    "name": u.name,
                    "score": u.score,
                    "tasks": u.tasks,
                    "earned": u.earned,
                    "missing_reports": u.missing_reports,
                }
                for u in s.units
            ],
        }
    )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _row(u: UnitScore) -> list[Any]:
    return [
        u.name,
        u.tasks,
        _num(u.weight),
        f"{u.earned:.1f}",
        u.missing_reports,
        "—" if u.score is None else f"{u.score:.1f}",
    ]


def csv(s: Scores) -> str:
    return csv_text(["单位编号", *HEADER], [[u.id, *_row(u)] for u in s.units])


def table(s: Scores, screen: Screen) -> str:
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=f"阶段性赋分：{s.period}（截至 {s.end.isoformat()}）", header_style="bold")
    for name in HEADER:
        grid.add_column(name, justify="left" if name == "单位" else "right")
    for u in s.units:
        cells = [Text(str(c)) for c in _row(u)]
        if u.score is not None and u.score < 60:
            cells[-1].stylize("bold red")
        if u.missing_reports:
            cells[4].stylize("red")
        grid.add_row(*cells)
    note = Text(
        "得分 = 100 × 得分权重 ÷ 权重合计 − 缺报扣分；按期完成计全部权重，期内逾期完成计一半（可在 group.yaml 的 rules.scoring 调整）；"
        "“—”表示本期没有牵头任务。",
        style="dim",
    )
    return to_text([grid, note], screen)

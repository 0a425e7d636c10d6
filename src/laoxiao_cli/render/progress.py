"""`lx progress`: 序时进度 and 三色预警 of the open tasks as a table, JSON (spec 11.3) or Markdown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from laoxiao_cli.domain.progress import counts
from laoxiao_cli.render.common import Renderer, Screen, dump_json, markdown_table
from laoxiao_cli.render.grid import Cell, Col, fold, grid

if TYPE_CHECKING:
    from laoxiao_cli.domain.progress import Colour, Gauge, Progress

COLOUR_WORDS: dict[Colour, str] = {"red": "红", "yellow": "黄", "green": "绿"}
"""The colour in words, so that it reads without colours too (a pipe, a printout, NO_COLOR)."""
COLOUR_STYLES: dict[Colour, str] = {"red": "bold red", "yellow": "yellow", "green": "green"}
HEADER = ["预警", "编号", "任务", "牵头单位", "开始日期", "截止日期", "序时%", "报送%", "滞后"]


def item(g: Gauge) -> dict[str, Any]:
    """One task as spec 11.3's JSON has it (also what other views add for their tasks)."""
    return {
        "task": g.task.id,
        "lead": g.task.lead,
        "title": g.task.title,
        "start": g.task.start,
        "due": g.due,
        "expected": g.expected,
        "reported": g.reported,
        "lag": g.lag,
        "colour": g.colour,
    }


def as_json(p: Progress) -> str:
    return dump_json({"as_of": p.as_of, "unit": p.unit, "items": [item(g) for g in p.items]})


def tally(colours: Mapping[Colour, int]) -> str:
    """``红 1 · 黄 2 · 绿 3``."""
    return " · ".join(f"{COLOUR_WORDS[c]} {n}" for c, n in colours.items())


def gauge_text(g: Gauge) -> str:
    """``序时进度 50%，报送进度 30%，滞后 20 个百分点`` (what is known of it)."""
    parts = [f"序时进度 {g.expected}%" if g.expected is not None else "未定开始日期"]
    parts.append(f"报送进度 {g.reported}%" if g.reported is not None else "未报送进度")
    if g.lag is not None:
        parts.append(f"滞后 {g.lag} 个百分点" if g.lag > 0 else "未滞后")
    return "，".join(parts)


def warning(g: Gauge, as_of: date, names: Mapping[str, str]) -> str:
    """One yellow (预警) task in a line: its id and title, lead, due in force, days left and the gauge."""
    left = (g.due - as_of).days
    when = "今天截止" if left == 0 else f"距截止 {left} 天"
    lead = names.get(g.task.lead, g.task.lead)
    return f"{g.task.id} {g.task.title}（{lead}；截止 {g.due.isoformat()}，{when}；{gauge_text(g)}）"


def _row(g: Gauge, names: Mapping[str, str]) -> list[Any]:
    return [
        COLOUR_WORDS[g.colour],
        g.task.id,
        g.task.title,
        names.get(g.task.lead, g.task.lead),
        g.task.start,
        g.due,
        g.expected,
        g.reported,
        g.lag,
    ]


def _heading(p: Progress, names: Mapping[str, str]) -> str:
    who = f"{names.get(p.unit, p.unit)} " if p.unit else ""
    return f"{who}在办任务序时进度（截至 {p.as_of.isoformat()}）：共 {len(p.items)} 项，{tally(counts(p.items))}"


def legend(p: Progress) -> str:
    """What the columns and the colours mean, with the group's thresholds."""
    return (
        "序时%：开始日期至截止日期（含已批准的延期）已过时间的比例；报送%：最近一期月报所报进度；"
        f"滞后 = 序时 − 报送（百分点）。红：已逾期；黄：滞后超过 {p.tolerance} 个百分点或距截止不超过 "
        f"{p.warn_days} 天；绿：其余。"
    )


def table(p: Progress, names: Mapping[str, str], screen: Screen) -> str:
    if not p.items:
        return _heading(p, names) + "，没有在办任务。\n"
    fixed = ("预警", "编号", "开始日期", "截止日期", "序时%", "报送%", "滞后")
    columns = [Col(h, right=h in ("序时%", "报送%", "滞后"), wrap=h not in fixed) for h in HEADER]
    rows: list[list[Cell]] = []
    for g in p.items:
        cells = ["" if v is None else str(v) for v in _row(g, names)]
        rows.append([(cells[0], COLOUR_STYLES[g.colour]), *cells[1:]])
    return grid(columns, rows, screen, title=_heading(p, names)) + fold(legend(p), screen) + "\n"


def markdown(p: Progress, names: Mapping[str, str]) -> str:
    rows = [_row(g, names) for g in p.items]
    if not rows:
        return f"### {_heading(p, names)}\n\n没有在办任务。\n"
    return f"### {_heading(p, names)}\n\n" + markdown_table(HEADER, rows) + "\n" + legend(p) + "\n"


FORMATS: dict[str, Renderer[Progress]] = {
    "table": lambda p, view: table(p, view.names, view.screen),
    "json": lambda p, view: as_json(p),
    "markdown": lambda p, view: markdown(p, view.names),
}

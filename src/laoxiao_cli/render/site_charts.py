"""The dashboard's two charts as geometry for inline SVG (drawn by the page's template, which escapes every
text): a stacked bar per unit (one small SVG per unit, so that a printout can break between them), and
done vs overdue by month.

Widths are percentages of the chart's own width and heights are pixels, with no ``viewBox``: the SVG is
as wide as its box on a phone or a desktop, and its text keeps its size instead of being scaled with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from laoxiao_cli.domain.calendar import month_start

if TYPE_CHECKING:
    from laoxiao_cli.domain.site import MonthPoint, UnitBar

SegmentKind = Literal["open", "overdue", "done"]
BarKind = Literal["done", "overdue"]
SEGMENTS: dict[SegmentKind, str] = {"overdue": "逾期", "open": "在办（未逾期）", "done": "已完成"}
"""The parts of a unit's bar, in the order they are drawn (overdue first, where the eye starts)."""
SEGMENT_WORDS: dict[SegmentKind, str] = {"overdue": "逾期", "open": "在办", "done": "完成"}
"""The same in a row's label, short."""

UNIT_ROW = 38
"""Pixels per unit (the height of its SVG): the name line, then the bar."""
BAR_TOP, BAR_HEIGHT = 19, 11

MONTH_TOP, MONTH_PLOT = 20, 150
"""Room for the value labels above the tallest bar, and the plot's height."""
MONTH_WIDTH = 40
"""The least width (px) of one month, below which the chart scrolls in its box instead of crowding."""


@dataclass(frozen=True, slots=True)
class Segment:
    kind: SegmentKind
    count: int
    x: str
    """Percent of the chart's width, as SVG writes it (``12.5%``)."""
    width: str
    title: str


@dataclass(frozen=True, slots=True)
class UnitRow:
    unit: str
    name: str
    label: str
    """The counts in words (``逾期 1 · 完成 2``), beside the name."""
    segments: list[Segment]


@dataclass(frozen=True, slots=True)
class UnitChart:
    rows: list[UnitRow]
    height: int = UNIT_ROW
    """Of each row's SVG."""
    bar_top: int = BAR_TOP
    bar_height: int = BAR_HEIGHT


@dataclass(frozen=True, slots=True)
class MonthBar:
    kind: BarKind
    value: int
    x: str
    centre: str
    width: str
    y: int
    height: int
    title: str


@dataclass(frozen=True, slots=True)
class MonthColumn:
    month: str
    centre: str
    label: str
    """``7月``."""
    year: str | None
    """``2023年`` under the first month and where a year begins, else None."""
    bars: list[MonthBar]


@dataclass(frozen=True, slots=True)
class MonthChart:
    height: int
    min_width: int
    baseline: int
    columns: list[MonthColumn]


def pct(value: float) -> str:
    """A percentage as SVG writes it, with no more digits than it needs."""
    return f"{round(value, 3):g}%"


def units(bars: list[UnitBar]) -> UnitChart:
    """One row per unit: the bar's length is its number of tasks against the unit with the most."""
    most = max((b.total for b in bars), default=0) or 1
    rows = []
    for bar in bars:
        counts: dict[SegmentKind, int] = {"overdue": bar.overdue, "open": bar.open, "done": bar.done}
        segments, at = [], 0
        for kind, count in counts.items():
            if count:
                title = f"{bar.name}：{SEGMENTS[kind]} {count} 项"
                segments.append(Segment(kind, count, pct(100 * at / most), pct(100 * count / most), title))
                at += count
        label = " · ".join(f"{SEGMENT_WORDS[k]} {c}" for k, c in counts.items() if c) or "无牵头任务"
        rows.append(UnitRow(bar.unit, bar.name, label, segments))
    return UnitChart(rows)


def months(points: list[MonthPoint]) -> MonthChart:
    """Two bars per month side by side: done in the month, overdue at its end."""
    most = max((max(p.done, p.overdue) for p in points), default=0) or 1
    baseline = MONTH_TOP + MONTH_PLOT
    step = 100 / len(points) if points else 100.0
    columns = []
    for n, point in enumerate(points):
        left, start = n * step, month_start(point.month)
        bars = []
        pair: tuple[tuple[BarKind, int], ...] = (("done", point.done), ("overdue", point.overdue))
        for i, (kind, value) in enumerate(pair):
            height = round(MONTH_PLOT * value / most)
            x = left + step * (0.14 + 0.38 * i)
            word = "完成" if kind == "done" else f"截至 {point.judged.month}月{point.judged.day}日逾期"
            title = f"{start.year}年{start.month}月：{word} {value} 项"
            bars.append(
                MonthBar(kind, value, pct(x), pct(x + step * 0.16), pct(step * 0.32), baseline - height, height, title)
            )
        year = f"{start.year}年" if n == 0 or start.month == 1 else None
        columns.append(MonthColumn(point.month, pct(left + step / 2), f"{start.month}月", year, bars))
    return MonthChart(baseline + 44, len(points) * MONTH_WIDTH, baseline, columns)

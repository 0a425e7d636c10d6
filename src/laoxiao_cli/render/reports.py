"""`lx reports`: each unit's report for a month, and what the units raised that month."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from laoxiao_cli.domain.calendar import month_label
from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, Screen, dump_json, markdown_table
from laoxiao_cli.render.grid import Cell, Col, grid, paint

if TYPE_CHECKING:
    from laoxiao_cli.domain.reports import MonthReports, ReportRow

HEADER = ["单位", "报送情况", "报送日期", "逾期天数"]
RECEIVED = "收到日期"
"""A column shown only when some report of the month has its ``received`` day recorded."""


def _header(m: MonthReports) -> list[str]:
    return [*HEADER[:3], RECEIVED, *HEADER[3:]] if _with_received(m) else HEADER


def _with_received(m: MonthReports) -> bool:
    return any(r.received is not None for r in m.rows)


def _row(r: ReportRow, received: bool = False) -> list[Any]:
    cells = [r.name, labels.REPORT_STATES[r.state], r.submitted.isoformat() if r.submitted else "", r.days_late or ""]
    if received:
        cells.insert(3, r.received.isoformat() if r.received else "")
    return cells


def _title(m: MonthReports) -> str:
    counts = Counter(r.state for r in m.rows)
    return (
        f"{month_label(m.month)}月报（报送期限 {m.due.isoformat()}，截至 {m.as_of.isoformat()}）："
        f"已报送 {counts['submitted'] + counts['late']}（其中逾期 {counts['late']}），"
        f"未报送 {counts['missing'] + counts['pending']}"
    )


RAISED = "本月反映的困难、建议、工作思路与经验做法"


def _raised(m: MonthReports) -> list[str]:
    lines: list[str] = []
    for r in m.rows:
        items = [
            (labels.REPORT_SECTIONS["difficulties"], r.difficulties),
            (labels.REPORT_SECTIONS["suggestions"], r.suggestions),
            (labels.REPORT_SECTIONS["plans"], r.plans),
            (labels.REPORT_SECTIONS["practices"], r.practices),
        ]
        if not any(values for _, values in items):
            continue
        lines.append(f"{r.name}：")
        for label, values in items:
            lines += [f"  - {label}：{v}" for v in values]
    return lines


def table(m: MonthReports, screen: Screen) -> str:
    colours = {"missing": "bold red", "late": "yellow", "pending": "dim", "not_owed": "dim"}
    header = _header(m)
    columns = [Col(name, right=name == "逾期天数") for name in header]
    rows: list[list[Cell]] = []
    for r in m.rows:
        cells = [str(v) for v in _row(r, _with_received(m))]
        rows.append([cells[0], (cells[1], colours.get(r.state, "green")), *cells[2:]])
    out = grid(columns, rows, screen, title=_title(m))
    raised = _raised(m)
    if raised:
        out += paint(RAISED, "bold", screen) + "\n" + "\n".join(raised) + "\n"
    return out


def markdown(m: MonthReports) -> str:
    received = _with_received(m)
    out = f"### {_title(m)}\n\n" + markdown_table(_header(m), [_row(r, received) for r in m.rows])
    raised = _raised(m)
    if raised:
        out += (
            f"\n#### {RAISED}\n\n"
            + "\n".join(f"- **{line[:-1]}**" if not line.startswith(" ") else "  " + line.strip() for line in raised)
            + "\n"
        )
    return out


def as_json(m: MonthReports) -> str:
    return dump_json({"as_of": m.as_of, "month": m.month, "due": m.due, "units": [asdict(r) for r in m.rows]})


FORMATS: dict[str, Renderer[MonthReports]] = {
    "table": lambda m, view: table(m, view.screen),
    "json": lambda m, view: as_json(m),
    "markdown": lambda m, view: markdown(m),
}

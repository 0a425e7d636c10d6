"""Shared pieces of the renderers: labels, a console that renders to a string, tabular formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

LETTER_LABELS = {"reminder": "提醒函", "assignment": "交办函", "supervision": "督办函"}
KIND_LABELS = {"task": "任务", "milestone": "节点", "report": "月报", "meeting": "例会"}
ROLE_LABELS = {"lead": "牵头", "support": "配合"}
TASK_STATE_LABELS = {
    "open": "进行中",
    "overdue": "已逾期",
    "done": "已完成",
    "done_late": "逾期完成",
    "cancelled": "已取消",
}


@dataclass(frozen=True, slots=True)
class Screen:
    """How to draw for the place the output goes: colours only on a terminal."""

    styled: bool = False
    width: int = 120


def dump_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=_default) + "\n"


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a UTF-8 BOM, so that Excel shows Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[cell(v) for v in row] for row in rows])
    return "\ufeff" + buffer.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_escape(cell(v)) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def months_text(months: Sequence[str]) -> str:
    """Missing months for a table cell: consecutive runs as ranges, e.g. ``2022-07～2022-12（6个月） 2023-03``."""
    from laoxiao_cli.domain.calendar import next_month

    runs: list[list[str]] = []
    for month in months:
        if runs and next_month(runs[-1][-1]) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = [run[0] if len(run) == 1 else f"{run[0]}～{run[-1]}（{len(run)}个月）" for run in runs]
    return " ".join(parts) or "—"

"""Shared pieces of the renderers: the one renderer signature and its View, tabular formats, JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from laoxiao_cli.domain.checklist import ListName


@dataclass(frozen=True, slots=True)
class Screen:
    """How to draw for the place the output goes: colours only on a terminal."""

    styled: bool = False
    width: int = 120


@dataclass(frozen=True, slots=True)
class View:
    """What a renderer needs besides the result: everything a format may use, none of it required."""

    names: Mapping[str, str] = field(default_factory=dict)
    """Unit id → name, for results that carry unit ids."""
    screen: Screen = Screen()
    with_contacts: bool = False
    """Show phone numbers and e-mail addresses (--with-contacts)."""
    list_name: ListName = "tasks"
    """Which of the checklists (`lx checklist --list`)."""


Result = TypeVar("Result", contravariant=True)
Renderer = Callable[[Result, View], str | bytes]
"""The one signature of every format of every render module: ``FORMATS[name](result, view)``."""


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

"""Shared pieces of the renderers: the one renderer signature and its View, tabular formats, JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from laoxiao_cli.domain.checklist import ListName


DUMB_TERMINALS = ("dumb", "unknown")
"""``TERM`` values of terminals that understand no escape codes (as rich judges them)."""
NARROWEST = 20
"""Tables are drawn at least this wide, whatever ``COLUMNS`` says."""


@dataclass(frozen=True, slots=True)
class Screen:
    """How to draw for the place the output goes: colours only on a terminal."""

    styled: bool = False
    width: int = 120

    @classmethod
    def detect(cls, tty: bool, env: Mapping[str, str], terminal_width: Callable[[], int]) -> Screen:
        """Colours only on a terminal that understands them (not ``TERM=dumb``) and without ``NO_COLOR``;
        the width is ``COLUMNS`` when it is a positive whole number, else the terminal's, else (piped) a
        wide page so that rows do not wrap."""
        styled = tty and not env.get("NO_COLOR") and env.get("TERM", "").strip().lower() not in DUMB_TERMINALS
        columns = _columns(env.get("COLUMNS", ""))
        width = columns if columns is not None else terminal_width() if tty else 160
        return cls(styled=styled, width=max(width, NARROWEST))


def _columns(given: str) -> int | None:
    """``COLUMNS`` when it is a positive whole number of sensible size (``abc``, ``-5``, ``0`` are ignored)."""
    text = given.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 5) or int(text) == 0:
        return None
    return int(text)


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


CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def printable(text: str, keep: str = "\n") -> str:
    """``text`` with control characters (an escape ``\\e`` from a YAML string, a NUL …) shown as U+FFFD,
    except those in ``keep``: they would colour or move the terminal, and an xlsx or docx file cannot
    hold them."""
    if text.isprintable() or not CONTROL_CHARACTERS.search(text):
        return text
    return CONTROL_CHARACTERS.sub(lambda m: m[0] if m[0] in keep else REPLACEMENT, text)


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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def is_number(value: Any) -> bool:
    """A number typed as a number (not a bool, not text that looks like one)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def csv_field(value: Any) -> str:
    """One CSV field, the one escaping of every CSV lx writes: text that begins with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading ``'`` (as OWASP advises), so that Excel and WPS show
    it as text instead of running it; numbers (``-5``) are numbers and stay as they are."""
    text = cell(value)
    if is_number(value) or not text.startswith(FORMULA_STARTS):
        return text
    return "'" + text


def csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a UTF-8 BOM, so that Excel shows Chinese correctly; every field through ``csv_field``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_field(h) for h in header])
    writer.writerows([[csv_field(v) for v in row] for row in rows])
    return "\ufeff" + buffer.getvalue()


def _md_escape(text: str) -> str:
    return printable(text.replace("\n", " "), keep="").replace("|", "\\|")


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

"""Workbooks: one sheet per list, styled header, frozen header row, widths that fit Chinese text.

Values keep their type: numbers are number cells, dates are date cells, and text is always a text cell —
never a formula, whatever it begins with (spec 13: a task title ``=HYPERLINK(…)`` stays a title)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from laoxiao_cli.render.common import FORMULA_STARTS, cell, is_number, printable
from laoxiao_cli.render.grid import width

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def value(raw: Any) -> Any:
    """What goes into a cell: numbers and dates as they are, nothing for None, everything else as text."""
    if raw is None or raw is False:
        return None
    if is_number(raw) or isinstance(raw, date):
        return raw
    return printable(cell(raw), keep="\t\n")  # an xlsx file cannot hold the others


def put(target: Cell, raw: Any) -> None:
    """Set one cell: text is stored as text (a leading ``=`` does not make it a formula, and a
    quote prefix keeps it text when someone edits it in Excel); dates get a date format."""
    content = value(raw)
    target.value = content
    if isinstance(content, str):
        target.data_type = "s"
        if content.startswith(FORMULA_STARTS):
            target.quotePrefix = True
    elif isinstance(content, datetime):
        target.number_format = DATETIME_FORMAT
    elif isinstance(content, date):
        target.number_format = DATE_FORMAT


def _sheet(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    for r, line in enumerate([header, *rows], start=1):
        for c, raw in enumerate(line, start=1):
            put(sheet.cell(row=r, column=c), raw)
    for col in sheet[1]:
        col.font = Font(name="黑体", bold=True, color="FFFFFF")
        col.fill = PatternFill("solid", fgColor="305496")
        col.alignment = Alignment(horizontal="center", vertical="center")
        col.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        shown = [v.isoformat()[:16] if isinstance(v, date) else str(v) for v in column if v is not None]
        widest = max((width(line) for text in shown for line in text.split("\n")), default=4)
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = min(max(widest + 2, 6), 60)
    for row in sheet.iter_rows(min_row=2):
        for item in row:
            item.alignment = Alignment(wrap_text=True, vertical="top")


def workbook(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        _sheet(book.create_sheet(title), header, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""Workbooks: one sheet per list, styled header, frozen header row, widths that fit Chinese text."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from typing import Any

from laoxiao_cli.render.common import cell

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin", color="999999")
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(header))
        for row in rows:
            sheet.append([cell(v) for v in row])
        for col in sheet[1]:
            col.font = Font(name="黑体", bold=True, color="FFFFFF")
            col.fill = PatternFill("solid", fgColor="305496")
            col.alignment = Alignment(horizontal="center", vertical="center")
            col.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
            widest = max((display_width(str(v)) for v in column if v is not None), default=4)
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(max(widest + 2, 6), 60)
        for row in sheet.iter_rows(min_row=2):
            for item in row:
                item.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

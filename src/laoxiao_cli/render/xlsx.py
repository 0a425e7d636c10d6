"""Workbooks that work as an office's spreadsheets (spec 10.2): one sheet per list, a title row saying
what, for whom and as of when, a bold frozen header row with an autofilter, thin borders, and a page
set up to print: A4 landscape, one page wide, the header row again on every page.

Values keep their type: numbers are number cells, dates are date cells, and text is always a text cell —
never a formula, whatever it begins with (spec 13: a task title ``=HYPERLINK(…)`` stays a title)."""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from laoxiao_cli.render.common import FORMULA_STARTS, cell, is_number, printable

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

TITLE_ROW, HEADER_ROW = 1, 2
"""The title row, then the header row; the data starts below them."""
PAGE_WIDTH = 165
"""What the columns may add up to (in Excel's width units): A4 landscape within the margins holds about
146, so a sheet this wide prints at ~90 % (11-point text as ~10 points: easy to read); a wider text
column wraps instead."""
WIDEST = 50
"""No column is wider than this (25 Chinese characters); longer text wraps."""
ROOMY = 80
"""When the page has room, long text may take up to this (38 Chinese characters a line)."""
NARROWEST = 6
"""No column is narrower than this, so that a header of two characters fits on one line."""
TEXT_FLOOR = 12
"""A text column is not squeezed below this (6 Chinese characters a line) to fit the page."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its tab ``name``, the ``caption`` of its title row, the table, and optionally the
    number format of some columns (header → format, e.g. ``"0.0"``) and a ``note`` printed below it."""

    name: str
    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    formats: Mapping[str, str] = field(default_factory=dict)
    note: str = ""


def value(raw: Any) -> Any:
    """What goes into a cell: numbers and dates as they are, nothing for None, everything else as text."""
    if raw is None or raw is False or raw == "":
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


def _shown(content: Any) -> str:
    """A cell's text as a spreadsheet shows it, to measure it."""
    if isinstance(content, datetime):
        return content.isoformat(" ")[:16]
    if isinstance(content, date):
        return content.isoformat()
    if isinstance(content, float):
        return f"{content:.2f}".rstrip("0").rstrip(".")
    return "" if content is None else str(content)


# Measures in pixels at 96 dpi, as Excel counts column widths: a column of width w is 7w px (7 px a digit
# of the default font, Calibri 11) of which the cell's padding takes about PADDING; a Chinese character
# is an em, 11 pt = 14.7 px; other characters are taken as wide as a digit.
DIGIT, WIDE, PADDING = 7.0, 14.7, 6.0
LINE_HEIGHT = 15.0
"""Points per line of wrapped 11-point text (Excel's line of Calibri 11)."""
NO_BREAK_BEFORE = frozenset("、，。；：？！）》」』】”’%…·")
NO_BREAK_AFTER = frozenset("（《「『【“‘")


def _char_px(char: str) -> float:
    """Chinese characters and full-width forms are an em; so is what the default font lacks and a Chinese
    font draws (①, ※), but not the quotes and dashes of Latin text (“”…) that Calibri draws narrow."""
    kind = unicodedata.east_asian_width(char)
    if kind in "WF" or char in "—―" or (kind == "A" and ord(char) >= 0x2100):
        return WIDE
    return DIGIT


def _pieces(line: str) -> list[float]:
    """The widths of the pieces a line may wrap between: each Chinese character, or a run of Latin text
    (``t2022-001``), kept with the punctuation that may not start or end a line."""
    pieces: list[tuple[str, float]] = []
    for char in line:
        last = pieces[-1][0][-1] if pieces else ""
        latin = char.isascii() and not char.isspace() and last.isascii() and not last.isspace()
        if pieces and (latin or char in NO_BREAK_BEFORE or last in NO_BREAK_AFTER):
            pieces[-1] = (pieces[-1][0] + char, pieces[-1][1] + _char_px(char))
        else:
            pieces.append((char, _char_px(char)))
    return [px for _, px in pieces]


def _px(text: str) -> float:
    return max((sum(_pieces(line)) for line in text.split("\n")), default=0.0)


def _units(px: float) -> int:
    """The column width that shows ``px`` of text on one line."""
    return math.ceil((px + PADDING) / DIGIT)


def lines(text: str, column: float) -> int:
    """How many lines ``text`` takes in a column ``column`` wide when it wraps (as LibreOffice and Excel
    wrap: between Chinese characters, not inside a run of Latin text, not before 、or ”)."""
    room = column * DIGIT - PADDING
    count = 0
    for line in text.split("\n"):
        count += 1
        used = 0.0
        for px in _pieces(line):
            if used and used + px > room:
                count += 1
                used = 0.0
            while px > room:  # a piece wider than the column is broken anywhere
                count += 1
                px -= room
            used += px
    return count


def column_widths(header: Sequence[str], rows: Sequence[Sequence[Any]], page: int = PAGE_WIDTH) -> list[int]:
    """Each column as wide as its widest line (at most ``WIDEST``; a header wider than its data may take
    two lines). When they add up to more than ``page``, the widest text columns are narrowed alike (their
    text wraps), never below ``TEXT_FLOOR``: dates, numbers and short columns keep their width. Room
    left over goes to headers, so that they fit on one line, then to long text (up to ``ROOMY``)."""
    wanted: list[int] = []
    floors: list[int] = []
    for index, name in enumerate(header):
        contents = [value(row[index]) for row in rows if index < len(row)]
        widest = max((_px(_shown(c)) for c in contents), default=0.0)
        half = max(_px(name[: (len(name) + 1) // 2]), _px(name[(len(name) + 1) // 2 :]))
        wanted.append(max(_units(widest), _units(half), NARROWEST))
        floors.append(min(wanted[-1], TEXT_FLOOR) if any(isinstance(c, str) for c in contents) else wanted[-1])
    natural = [min(w, WIDEST) for w in wanted]
    cap = max(natural, default=WIDEST)
    while cap > TEXT_FLOOR and sum(max(min(n, cap), f) for n, f in zip(natural, floors, strict=True)) > page:
        cap -= 1
    widths = [max(min(n, cap), f) for n, f in zip(natural, floors, strict=True)]
    for index, name in enumerate(header):
        wider = min(_units(_px(name)), WIDEST) - widths[index]
        if 0 < wider <= page - sum(widths):
            widths[index] += wider
    while sum(widths) < page:
        short = [i for i, w in enumerate(widths) if w < min(wanted[i], ROOMY)]
        if not short:
            break
        for index in short[: page - sum(widths)]:
            widths[index] += 1
    return widths


def _height(texts: Sequence[str], widths: Sequence[int]) -> float | None:
    """The height of a row whose cells wrap (spreadsheets do not all grow a row when they open a file),
    or None for one line."""
    most = max((lines(t, w) for t, w in zip(texts, widths, strict=False) if t), default=1)
    return None if most <= 1 else LINE_HEIGHT * most + 4


def page_setup(sheet: Worksheet, header_row: int = HEADER_ROW) -> None:
    """A4 landscape, fitted to one page wide (as many pages down as it takes), ``header_row`` printed on
    every page, page numbers in the footer."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.size = 9


def _sheet(sheet: Worksheet, spec: Sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    columns = max(len(spec.header), 1)
    last_column = get_column_letter(columns)
    thin = Side(style="thin", color="808080")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)

    put(sheet.cell(row=TITLE_ROW, column=1), spec.caption)
    title = sheet.cell(row=TITLE_ROW, column=1)
    title.font = Font(name="黑体", bold=True, size=14)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=columns)
    sheet.row_dimensions[TITLE_ROW].height = 28

    for c, name in enumerate(spec.header, start=1):
        head = sheet.cell(row=HEADER_ROW, column=c)
        put(head, name)
        head.font = Font(name="黑体", bold=True)
        head.fill = PatternFill("solid", fgColor="D9E1F2")
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = border
    text = Alignment(vertical="center", wrap_text=True)
    centred = Alignment(horizontal="center", vertical="center")
    for r, line in enumerate(spec.rows, start=HEADER_ROW + 1):
        for c in range(1, columns + 1):
            target = sheet.cell(row=r, column=c)
            put(target, line[c - 1] if c <= len(line) else None)
            target.border = border
            target.alignment = centred if isinstance(target.value, date) else text
            number_format = spec.formats.get(spec.header[c - 1]) if c <= len(spec.header) else None
            if number_format and is_number(target.value):
                target.number_format = number_format
    last_row = HEADER_ROW + len(spec.rows)

    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1).coordinate
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
    widths = column_widths(spec.header, spec.rows)
    for c, size in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = size
    for r, line in enumerate([spec.header, *spec.rows], start=HEADER_ROW):
        sheet.row_dimensions[r].height = _height([_shown(value(v)) for v in line], widths)
    if spec.note:
        row = last_row + 2
        put(sheet.cell(row=row, column=1), spec.note)
        sheet.cell(row=row, column=1).alignment = Alignment(vertical="top", wrap_text=True)
        sheet.cell(row=row, column=1).font = Font(size=9, color="595959")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        sheet.row_dimensions[row].height = 12 * lines(spec.note, sum(widths)) + 4  # merged: it cannot grow
    page_setup(sheet)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets``, in their order, as the bytes of an xlsx file."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        _sheet(book.create_sheet(spec.name), spec)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""The monthly report form's sheet (spec 10.1): written, and read back, by the one layout here.

Writing puts every label and header at a place; reading never trusts a place. It finds each label and
header by its text anywhere on the sheet (Excel, WPS and LibreOffice may save a form with rows moved,
styles rewritten, dates turned into numbers with a date format) and takes the value right of a label,
the rows below the table's header, and the non-empty cells below a section's header in its column.
"""

from __future__ import annotations

import io
import math
import unicodedata
import warnings
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from laoxiao_cli.domain.report_form import OPTIONAL, SECTIONS, Cell, Field, Filled, FilledRow, Form, Section, Value
from laoxiao_cli.render.grid import width
from laoxiao_cli.render.xlsx import DATE_FORMAT, put

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SHEET = "月报"
LABELS: dict[Field, str] = {
    "unit": "单位编号",
    "unit_name": "单位",
    "month": "月份",
    "by": "联络员",
    "submitted": "报送日期",
}
COLUMNS = ("任务编号", "任务名称", "截止日期", "上次进度(%)", "本月进度(%)", "进展情况")
HEADERS: dict[Section, str] = {
    "difficulties": "存在困难",
    "suggestions": "意见建议",
    "plans": "下步工作思路",
    "practices": "可复制可推广的经验",
}
REQUIRED = [*LABELS.values(), *COLUMNS, *(text for key, text in HEADERS.items() if key not in OPTIONAL)]
"""What every form has: a form made before a section was added (``OPTIONAL``) lacks it and still reads."""
INPUT_ROWS = 4
"""Empty rows under each section's header."""

WIDTHS = (13, 34, 13, 12, 12, 38)
"""Columns A–F, in characters (a Chinese character is two)."""
FIRST_TASK_ROW = 7
INSTRUCTION = (
    "填写说明：只需填写浅黄色的格子——报送日期；每项任务的本月进度（0～100 的整数，不带 %）和进展情况；"
    "存在困难、意见建议、下步工作思路、可复制可推广的经验（每格一条，没有可不填）。其余内容已锁定，请勿改动。"
    "填好后保存为 .xlsx，发回专班办公室。"
)
_EXCEL_EPOCH = date(1899, 12, 30)


def file_name(form: Form) -> str:
    """The form's default file name: ``月报-<单位名称>-<月份>.xlsx``."""
    name = "".join("_" if c in '/\\:*?"<>|' or not c.isprintable() else c for c in form.unit_name)
    return f"月报-{name}-{form.month}.xlsx"


def workbook(form: Form) -> bytes:
    """The form of one unit as an xlsx file: protected (no password), only the input cells unlocked."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    _Writer(sheet, form).write()
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, sheet: Worksheet, form: Form) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        self.sheet = sheet
        self.form = form
        thin = Side(style="thin", color="808080")
        self.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        self.font = Font(name="宋体", size=11)
        self.bold = Font(name="宋体", size=11, bold=True)
        self.label_fill = PatternFill("solid", fgColor="EDEDED")
        self.header_fill = PatternFill("solid", fgColor="D9E1F2")
        self.input_fill = PatternFill("solid", fgColor="FFF5CC")
        self.unlocked = Protection(locked=False)
        self.wrap = Alignment(horizontal="left", wrap_text=True, vertical="center", indent=1)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.Font, self.Alignment = Font, Alignment

    def write(self) -> None:
        sheet = self.sheet
        for index, wide in enumerate(WIDTHS):
            sheet.column_dimensions[_letter(index + 1)].width = wide
        self._top()
        last = self._table()
        for section in SECTIONS:
            last = self._section(section, last + 2)
        self._protect()
        self._page(last)

    def _top(self) -> None:
        form, sheet = self.form, self.sheet
        title = sheet.cell(row=1, column=1)
        put(title, f"{form.unit_name} {form.month} 月报")
        title.font = self.Font(name="黑体", size=16, bold=True)
        title.alignment = self.Alignment(horizontal="center", vertical="center")
        sheet.merge_cells("A1:F1")
        sheet.row_dimensions[1].height = 34
        note = sheet.cell(row=2, column=1)
        put(note, INSTRUCTION)
        note.font = self.Font(name="宋体", size=10, color="404040")
        note.alignment = self.Alignment(wrap_text=True, vertical="center")
        sheet.merge_cells("A2:F2")
        sheet.row_dimensions[2].height = 44
        self._pair(3, 1, "unit", form.unit)
        self._pair(3, 3, "unit_name", form.unit_name, merge_to=6)
        self._pair(4, 1, "month", form.month)
        self._pair(4, 3, "by", form.liaison)
        self._pair(4, 5, "submitted", None, entry=True)
        for row in (3, 4):
            sheet.row_dimensions[row].height = 22
        sheet.row_dimensions[5].height = 8

    def _pair(self, row: int, column: int, key: Field, value: Any, merge_to: int = 0, entry: bool = False) -> None:
        label = self.sheet.cell(row=row, column=column)
        put(label, LABELS[key])
        self._style(label, self.bold, self.label_fill, self.center)
        target = self.sheet.cell(row=row, column=column + 1)
        put(target, value)
        self._style(target, self.font, self.input_fill if entry else None, self.wrap)
        if entry:
            from openpyxl.worksheet.datavalidation import DataValidation

            target.number_format = DATE_FORMAT
            target.protection = self.unlocked
            first = _serial(date.fromisoformat(f"{self.form.month}-01"))
            valid = DataValidation(
                type="date",
                operator="greaterThanOrEqual",
                formula1=str(first),
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorTitle="报送日期",
                error=f"报送日期应为日期，如 {self.form.month}-20（不早于 {self.form.month}-01）",
                promptTitle="报送日期",
                prompt="填写实际报送的日期，如 2023-01-20",
            )
            valid.add(target.coordinate)
            self.sheet.add_data_validation(valid)
        if merge_to:
            for c in range(column + 2, merge_to + 1):
                self._style(self.sheet.cell(row=row, column=c), self.font, None, self.wrap)
            self.sheet.merge_cells(start_row=row, start_column=column + 1, end_row=row, end_column=merge_to)

    def _table(self) -> int:
        """The task table from row 6; returns its last row."""
        sheet, header = self.sheet, FIRST_TASK_ROW - 1
        for c, text in enumerate(COLUMNS, start=1):
            self._style(sheet.cell(row=header, column=c), self.bold, self.header_fill, self.center, text)
        sheet.row_dimensions[header].height = 30
        tasks = self.form.tasks
        if not tasks:
            row = FIRST_TASK_ROW
            for c in range(1, len(COLUMNS) + 1):
                self._style(sheet.cell(row=row, column=c), self.font, None, self.center)
            put(sheet.cell(row=row, column=2), "（本月没有在办任务）")
            return row
        for row, task in enumerate(tasks, start=FIRST_TASK_ROW):
            values = (task.task, task.title, task.due, task.last, None, None)
            for c, value in enumerate(values, start=1):
                entry = c in (5, 6)
                align = self.wrap if c in (2, 6) else self.center
                self._style(sheet.cell(row=row, column=c), self.font, self.input_fill if entry else None, align, value)
                if entry:
                    sheet.cell(row=row, column=c).protection = self.unlocked
            sheet.row_dimensions[row].height = 15 * max(2, _lines(task.title, WIDTHS[1])) + 6
        last = FIRST_TASK_ROW + len(tasks) - 1
        self._percent_rule(f"E{FIRST_TASK_ROW}:E{last}")
        return last

    def _percent_rule(self, cells: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        valid = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="本月进度",
            error="本月进度应为 0～100 的整数（不带 %），如 80",
            promptTitle="本月进度(%)",
            prompt="填写 0～100 的整数",
        )
        valid.add(cells)
        self.sheet.add_data_validation(valid)

    def _section(self, section: Section, row: int) -> int:
        """A section's header at ``row`` and its input rows; returns its last row."""
        sheet = self.sheet
        self._style(sheet.cell(row=row, column=1), self.bold, self.header_fill, self.wrap, HEADERS[section])
        self._style(sheet.cell(row=row, column=2), self.bold, self.header_fill, self.wrap)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        hint = sheet.cell(row=row, column=3)
        self._style(hint, self.Font(name="宋体", size=10, color="595959"), self.header_fill, self.wrap)
        put(hint, "每格填写一条；没有可不填")
        for c in range(4, 7):
            self._style(sheet.cell(row=row, column=c), self.font, self.header_fill, self.wrap)
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=6)
        sheet.row_dimensions[row].height = 22
        for r in range(row + 1, row + 1 + INPUT_ROWS):
            for c in range(1, 7):
                item = sheet.cell(row=r, column=c)
                self._style(
                    item,
                    self.font,
                    self.input_fill,
                    self.Alignment(horizontal="left", wrap_text=True, vertical="top", indent=1),
                )
                item.protection = self.unlocked
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
            sheet.row_dimensions[r].height = 32
        return row + INPUT_ROWS

    def _style(self, target: Any, font: Any, fill: Any, align: Any, value: Any = None) -> None:
        if value is not None:
            put(target, value)
        target.font = font
        target.alignment = align
        target.border = self.border
        if fill is not None:
            target.fill = fill

    def _protect(self) -> None:
        protection = self.sheet.protection
        protection.sheet = True  # no password: the lock keeps the layout, it is not a secret
        protection.formatRows = False  # a liaison may still make a row taller to read a long text
        protection.formatColumns = False

    def _page(self, last: int) -> None:
        from openpyxl.worksheet.page import PageMargins
        from openpyxl.worksheet.properties import PageSetupProperties

        sheet = self.sheet
        sheet.sheet_view.showGridLines = False
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_options.horizontalCentered = True
        sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
        sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
        sheet.print_area = f"A1:F{last}"


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def _lines(text: str, columns: int) -> int:
    return max(1, math.ceil(width(text) / max(columns - 2, 1)))


def _serial(day: date) -> int:
    return (day - _EXCEL_EPOCH).days


# --- reading ---------------------------------------------------------------------------------------

Grid = dict[tuple[int, int], Value]


def read(raw: bytes) -> Filled | str:
    """The cells of a filled form, found by their labels and headers; or why this is not a form."""
    grid = _grid(raw)
    if isinstance(grid, str):
        return grid
    found = _labels(grid)
    missing = [text for text in REQUIRED if text not in found]
    if missing:
        return (
            f"工作表“{SHEET}”中找不到 {'、'.join(missing)}：这不是 lx reports form 生成的月报表，"
            "或表头被改动了；请用 lx reports form 重新生成后填写"
        )
    fields = {key: _cell(grid, found[text][0], found[text][1] + 1) for key, text in LABELS.items()}
    header_row = found[COLUMNS[0]][0]
    columns = {text: c for (r, c), value in grid.items() if r == header_row and (text := _label(value)) in COLUMNS}
    starts = sorted(found[text] for text in HEADERS.values() if text in found)
    end = min((r for r, _ in starts if r > header_row), default=_last_row(grid) + 1)
    rows = []
    for r in range(header_row + 1, end):
        task, percent, note = (_cell(grid, r, columns[text]) for text in ("任务编号", "本月进度(%)", "进展情况"))
        if task.value is not None or percent.value is not None or note.value is not None:
            rows.append(FilledRow(task, percent, note))
    sections = {key: _items(grid, found[text], starts) if text in found else () for key, text in HEADERS.items()}
    return Filled(fields, tuple(rows), sections)


def _grid(raw: bytes) -> Grid | str:
    from openpyxl import load_workbook

    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "这是旧版 .xls 格式：请在 Excel 或 WPS 中“另存为” .xlsx（Excel 工作簿）后再导入"
    try:
        with warnings.catch_warnings():  # styles or extensions openpyxl does not know: not our concern
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # a zip that is not a workbook, a broken file, …: all the same to the user
        return "不是 xlsx 文件（无法作为 Excel 工作簿打开）：请导入用 lx reports form 生成、填写后保存的 .xlsx 月报表"
    try:
        if SHEET not in book.sheetnames:
            names = "、".join(book.sheetnames) or "无"
            return f"没有名为“{SHEET}”的工作表（其中的工作表：{names}）：请导入用 lx reports form 生成的月报表"
        sheet = book[SHEET]
        sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
        grid: Grid = {}
        for r, line in enumerate(sheet.iter_rows(values_only=True), start=1):
            for c, value in enumerate(line, start=1):
                kept = _value(value)
                if kept is not None:
                    grid[(r, c)] = kept
        return grid
    finally:
        book.close()


def _value(raw: object) -> Value:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, (str, int, float, date)):  # a datetime is a date
        return raw
    if isinstance(raw, (time, timedelta)):
        return str(raw)
    return str(raw)


def _label(value: Value) -> str:
    """A cell's text as a label: full-width brackets and letters as ASCII, no spaces."""
    if not isinstance(value, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", value).split())


def _labels(grid: Grid) -> dict[str, tuple[int, int]]:
    """Each label's and header's first place, in reading order."""
    wanted = {*LABELS.values(), *COLUMNS, *HEADERS.values()}
    found: dict[str, tuple[int, int]] = {}
    for place in sorted(grid):
        text = _label(grid[place])
        if text in wanted and text not in found:
            found[text] = place
    return found


def _cell(grid: Grid, row: int, column: int) -> Cell:
    value = grid.get((row, column))
    return Cell(f"{_letter(column)}{row}", value.replace(tzinfo=None) if isinstance(value, datetime) else value)


def _items(grid: Grid, start: tuple[int, int], starts: list[tuple[int, int]]) -> tuple[Cell, ...]:
    """The non-empty cells below a section's header in its column, up to the next header there."""
    row, column = start
    end = min((r for r, c in starts if c == column and r > row), default=_last_row(grid) + 1)
    return tuple(_cell(grid, r, column) for r in range(row + 1, end) if (r, column) in grid)


def _last_row(grid: Mapping[tuple[int, int], Value]) -> int:
    return max((r for r, _ in grid), default=0)

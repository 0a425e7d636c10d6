"""Spreadsheets that work as spreadsheets (spec 10.2, issue 14): every xlsx lx writes — `lx checklist`,
`lx score`, `lx overdue` — read back with openpyxl (typed cells, the title row, a bold frozen header with
an autofilter, thin borders, A4 landscape one page wide with the header repeated), then (slow) printed by
LibreOffice: the bundled data's lists on a known number of pages, and the first page as a PNG to look at.

The LibreOffice tests need what ``tools/system-packages.sh`` installs (``make test`` runs it): without it
they are skipped here and fail under CI (the ``CI`` environment variable)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from laoxiao_cli.domain.calendar import parse_period
from laoxiao_cli.domain.checklist import checklist
from laoxiao_cli.domain.overdue import overdue
from laoxiao_cli.domain.score import scores
from laoxiao_cli.render import checklist as render_checklist
from laoxiao_cli.render import overdue as render_overdue
from laoxiao_cli.render import score as render_score
from laoxiao_cli.render.xlsx import PAGE_WIDTH, TEXT_FLOOR, WIDEST, Sheet, column_widths, workbook
from tests.conftest import BUNDLED, Lx, init_git
from tests.factory import d, dataset, task, unit

AS_OF = "2022-12-31"
DATES = {"开始日期", "截止日期", "完成日期"}
NUMBERS = {"进度(%)", "逾期天数", "权重", "任务数", "权重合计", "得分权重", "缺报月报", "得分"}

# The bundled data printed by LibreOffice before issue 14 (A4 portrait, no fitting, no repeated header):
# the checklist workbook on 11 pages — 任务清单 3, 责任清单 6, 目标清单 2 — cut into page-wide strips.
BEFORE = {"任务清单": 3, "责任清单": 6, "目标清单": 2}
# … and now (A4 landscape, one page wide); measured with the fonts tools/system-packages.sh installs.
# 任务清单 takes 2 pages since it gained the 进度(%) column (issue 15): the text columns wrap more.
AFTER = {"任务清单": 2, "责任清单": 4, "目标清单": 1, "阶段性赋分": 2, "逾期清单": 2}


def _xlsx(lx: Lx, repo: Path, out: Path, *args: str) -> Path:
    result = lx(*args, "-f", "xlsx", "-o", str(out), cwd=repo)
    assert result.exit_code == 0, result.output
    return out


def _bundled_books(lx: Lx, repo: Path, folder: Path, *unit: str) -> dict[str, Path]:
    return {
        "checklist": _xlsx(lx, repo, folder / "清单.xlsx", "checklist", "--as-of", AS_OF, *unit),
        "score": _xlsx(lx, repo, folder / "赋分.xlsx", "score", "-p", "2022", "--as-of", AS_OF),
        "overdue": _xlsx(lx, repo, folder / "逾期清单.xlsx", "overdue", "--as-of", AS_OF, *unit),
    }


def check_sheet(sheet: Worksheet, caption: str) -> None:
    """Everything spec 10.2 asks of one sheet: the title row, the header under it (bold, frozen, filtered),
    borders on every table cell, typed values, and the page set up for printing."""
    columns = sheet.max_column
    last = get_column_letter(columns)
    header = [c.value for c in sheet[2]]
    rows = [row for row in sheet.iter_rows(min_row=3, max_col=columns) if any(c.value is not None for c in row)]
    bottom = 2 + len(rows)
    assert sheet["A1"].value == caption and sheet["A1"].data_type == "s"
    assert sheet["A1"].font.bold and sheet["A1"].font.size >= 14
    assert f"A1:{last}1" in {str(r) for r in sheet.merged_cells.ranges}
    assert all(isinstance(h, str) and h for h in header)
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{last}{bottom}"
    for row in sheet.iter_rows(min_row=2, max_row=bottom, max_col=columns):
        for c in row:
            sides = (c.border.left, c.border.right, c.border.top, c.border.bottom)
            assert all(side.style == "thin" for side in sides), c.coordinate
    for row in rows:
        for name, c in zip(header, row, strict=True):
            if c.value is None:
                continue
            if name in DATES:
                assert isinstance(c.value, datetime) and c.is_date and c.number_format == "yyyy-mm-dd", c.coordinate
            elif name in NUMBERS:
                assert isinstance(c.value, (int, float)) and c.data_type == "n", c.coordinate
            else:
                assert isinstance(c.value, str) and c.data_type == "s", c.coordinate
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0  # one page wide, as many down as it takes
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$2:$2"  # the header on every printed page
    assert 0.3 <= sheet.page_margins.left <= 1 and 0.3 <= sheet.page_margins.top <= 1
    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, columns + 1)]
    assert all(6 <= w <= 80 for w in widths) and sum(widths) <= PAGE_WIDTH


def test_the_checklist_workbook(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    book = load_workbook(_bundled_books(lx, bundled, tmp_path)["checklist"])
    assert book.sheetnames == ["任务清单", "责任清单", "目标清单"]
    for name in book.sheetnames:
        check_sheet(book[name], f"{name}（截至 {AS_OF}）")
    tasks = book["任务清单"]
    assert [c.value for c in tasks[2]] == [*render_checklist.TASK_HEADER]
    first = {h: c.value for h, c in zip(render_checklist.TASK_HEADER, tasks[3], strict=True)}
    assert first["编号"] == "t2022-001" and first["截止日期"] == datetime(2023, 6, 30)
    assert first["权重"] == 5 and tasks.max_row == 2 + 24
    assert book["责任清单"]["B3"].value == "quweiban.1"  # the roster's first unit


def test_a_units_workbooks_name_the_unit(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    books = _bundled_books(lx, bundled, tmp_path, "--unit", "minzheng")
    checklist_book = load_workbook(books["checklist"])
    for name in checklist_book.sheetnames:
        check_sheet(checklist_book[name], f"区民政局 {name}（截至 {AS_OF}）")
    assert checklist_book["任务清单"]["C2"].value == "本单位角色"
    late = load_workbook(books["overdue"])["逾期清单"]
    count = late.max_row - 2
    check_sheet(late, f"区民政局 逾期清单（截至 {AS_OF}）：共 {count} 项")
    assert {late.cell(row=r, column=3).value for r in range(3, late.max_row + 1)} == {"区民政局"}


def test_the_score_workbook(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    book = load_workbook(_bundled_books(lx, bundled, tmp_path)["score"])
    assert book.sheetnames == ["阶段性赋分"]
    sheet = book["阶段性赋分"]
    # the note below the table is not part of it
    note = sheet.cell(row=sheet.max_row, column=1).value
    assert isinstance(note, str) and note.startswith("得分 = 100 × 得分权重") and "得分为空表示本期没有牵头任务" in note
    sheet.cell(row=sheet.max_row, column=1).value = None
    check_sheet(sheet, f"阶段性赋分：2022（截至 {AS_OF}）")
    assert [c.value for c in sheet[2]] == ["单位编号", *render_score.HEADER]
    by_unit = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert by_unit["minzheng"] == ("minzheng", "区民政局", 2, 8, 3, 0, 37.5)
    assert by_unit["cishan"][-1] is None  # no task of the period: no score (the text formats show "—")
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "minzheng")
    assert sheet[f"G{row}"].number_format == "0.0" and sheet[f"E{row}"].number_format == "0.0"


def test_the_overdue_workbook(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    book = load_workbook(_bundled_books(lx, bundled, tmp_path)["overdue"])
    sheet = book["逾期清单"]
    check_sheet(sheet, f"逾期清单（截至 {AS_OF}）：共 47 项")  # 各镇街's members: 2 missing reports (spec 6.11)
    assert [c.value for c in sheet[2]] == render_overdue.HEADER
    assert [c.value for c in sheet[3]] == ["月报", "2022-07/jinrong", "区金融工作服务中心", None, "2022年7月工作月报",
                                           datetime(2022, 7, 25), 159, None, None]  # fmt: skip
    days = [row[6] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert days == sorted(days, reverse=True) and all(isinstance(n, int) for n in days)


def test_nothing_overdue_is_a_table_with_a_note() -> None:
    result = overdue(dataset(tasks=[task("t1", "2022-12-31")]), d("2022-07-01"))
    sheet = load_workbook(io.BytesIO(render_overdue.xlsx(result, {})))["逾期清单"]
    assert sheet["A1"].value == "逾期清单（截至 2022-07-01）：共 0 项"
    assert sheet.auto_filter.ref == "A2:I2" and sheet["A4"].value == "没有逾期事项。"


@pytest.mark.parametrize("command", [["score", "-p", "2022"], ["overdue"], ["checklist"]])
def test_xlsx_needs_an_output_file(bundled: Path, lx: Lx, command: list[str]) -> None:
    result = lx(*command, "-f", "xlsx", cwd=bundled)
    assert result.exit_code == 2
    assert "--format xlsx 须用 -o 指定输出文件" in result.output and "Traceback" not in result.output


def test_score_and_overdue_write_their_other_formats_to_a_file_too(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "逾期.csv"
    assert lx("overdue", "--as-of", AS_OF, "-f", "csv", "-o", str(out), cwd=bundled).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("类别,编号,单位")
    out = tmp_path / "赋分.json"
    assert lx("score", "-p", "2022", "--as-of", AS_OF, "-f", "json", "-o", str(out), cwd=bundled).exit_code == 0
    assert '"period": "2022"' in out.read_text(encoding="utf-8")


# --- text stays text: a title, a unit's name, a caption beginning with "=" ---------------------------


def _formulas() -> tuple[bytes, bytes, bytes]:
    office = dataset(
        units=[unit("a", name="=HYPERLINK(1)"), unit("b", name="@b")],
        tasks=[task("t1", "2022-07-31", title="=1+2", weight=2), task("t2", "2022-08-15", lead="b", title="+3")],
    )
    names = {"a": "=HYPERLINK(1)", "b": "@b"}
    on = d("2022-08-31")
    return (
        render_checklist.xlsx(checklist(office, on, "a"), "tasks", names=names),
        render_overdue.xlsx(overdue(office, on, "a"), names),
        render_score.xlsx(scores(office, parse_period("2022-Q3") or pytest.fail("period"), on)),
    )


def test_text_that_looks_like_a_formula_stays_text() -> None:
    tasks_book, late_book, score_book = (load_workbook(io.BytesIO(b)) for b in _formulas())
    cells = [
        tasks_book["任务清单"]["A1"],  # the caption names the unit
        tasks_book["任务清单"]["B3"],
        late_book["逾期清单"]["A1"],
        late_book["逾期清单"]["C3"],
        late_book["逾期清单"]["E4"],  # t1, after a missing report
        score_book["阶段性赋分"]["B3"],
        score_book["阶段性赋分"]["B4"],
    ]
    assert [c.value for c in cells] == [
        "=HYPERLINK(1) 任务清单（截至 2022-08-31）",
        "=1+2",
        "=HYPERLINK(1) 逾期清单（截至 2022-08-31）：共 3 项",
        "=HYPERLINK(1)",
        "=1+2",
        "=HYPERLINK(1)",
        "@b",
    ]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


# --- column widths ------------------------------------------------------------------------------------


def test_columns_fit_their_text_and_long_text_wraps() -> None:
    long = "长" * 70
    header = ["编号", "任务", "截止日期", "逾期天数", "说明"]
    rows = [["t2022-001", long, d("2022-07-31"), 5, long], ["t2022-002", "短", None, None, "短"]]
    widths = column_widths(header, rows)
    assert widths[0] == 10 and widths[2] == 11  # "t2022-001" and a date on one line, not wider
    assert widths[3] == 10  # the page has room: 逾期天数 on one line
    assert widths[1] == widths[4] > WIDEST and sum(widths) == PAGE_WIDTH  # … and long text shares the rest
    crowded = column_widths([*header, "备注", "附件"], [[*rows[0], long, long]])
    assert [crowded[i] for i in (0, 2, 3)] == [10, 11, 6]  # 逾期天数 over two lines rather than wide
    long_ones = [crowded[i] for i in (1, 4, 5, 6)]
    assert sum(crowded) == PAGE_WIDTH and all(TEXT_FLOOR <= w <= WIDEST for w in long_ones)
    assert max(long_ones) - min(long_ones) <= 1  # the long text columns narrowed alike
    sheet = load_workbook(io.BytesIO(workbook([Sheet("表", "标题", header, rows)])))["表"]
    assert sheet.row_dimensions[3].height >= 2 * 15  # 70 characters in a column of 38: two lines
    assert sheet.row_dimensions[4].height is None  # one line: the spreadsheet's own height
    assert sheet["B3"].alignment.wrap_text


# --- printed by LibreOffice ---------------------------------------------------------------------------


def _need_office() -> None:
    """LibreOffice, poppler and the fonts the page counts were measured with, or a skip (locally) / a
    failure (under CI) that says how to get them."""
    missing = [tool for tool in ("soffice", "pdfinfo", "pdftoppm", "pdftotext") if shutil.which(tool) is None]
    fonts = {"中文字体（fonts-noto-cjk）": ":lang=zh-cn", "Carlito 字体（fonts-crosextra-carlito）": "Carlito"}
    for label, pattern in fonts.items():
        listed = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True, check=False)
        if shutil.which("fc-list") is None or not listed.stdout.strip():
            missing.append(label)
    if missing:
        message = f"缺少 {'、'.join(missing)}：请以 root 运行 tools/system-packages.sh（make test 会先运行它）"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def _pdf(folder: Path, books: list[Path]) -> None:
    """Every workbook printed to a PDF beside it, by LibreOffice with a profile of its own (so that runs
    in parallel, or an office suite open on the machine, do not collide)."""
    profile = (folder / "lo-profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    done = subprocess.run(
        [*command, "--outdir", str(folder), *map(str, books)], capture_output=True, text=True, timeout=300, check=False
    )
    for book in books:
        assert book.with_suffix(".pdf").is_file(), done.stdout + done.stderr


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info)
    assert size and float(size[1]) > float(size[2]), info  # A4 landscape
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match[1])


def _page_text(pdf: Path, page: int) -> str:
    command = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The bundled data's workbooks as of 2022-12-31, each sheet of the checklist also on its own, as PDFs."""
    _need_office()
    folder = tmp_path_factory.mktemp("printed")
    repo = folder / "ouhai"
    shutil.copytree(BUNDLED, repo / "data")
    init_git(repo)
    books = _bundled_books(Lx(), repo, folder)
    sheets: dict[str, Path] = {}
    for name in load_workbook(books["checklist"]).sheetnames:
        alone = load_workbook(books["checklist"])
        for other in [n for n in alone.sheetnames if n != name]:
            alone.remove(alone[other])
        sheets[name] = folder / f"{name}.xlsx"
        alone.save(sheets[name])
    pdfs = {"清单": books["checklist"], **sheets, "阶段性赋分": books["score"], "逾期清单": books["overdue"]}
    _pdf(folder, list(pdfs.values()))
    yield {name: book.with_suffix(".pdf") for name, book in pdfs.items()}


@pytest.mark.slow
def test_the_task_list_prints_on_fewer_pages(printed: dict[str, Path]) -> None:
    assert _pages(printed["任务清单"]) == AFTER["任务清单"] < BEFORE["任务清单"]
    for name in ("责任清单", "目标清单"):
        assert _pages(printed[name]) == AFTER[name] < BEFORE[name], name
    assert _pages(printed["清单"]) == sum(AFTER[n] for n in BEFORE) < sum(BEFORE.values())
    assert _pages(printed["阶段性赋分"]) == AFTER["阶段性赋分"]
    assert _pages(printed["逾期清单"]) == AFTER["逾期清单"]


@pytest.mark.slow
def test_every_printed_page_has_the_header_and_whole_rows(printed: dict[str, Path]) -> None:
    first = _page_text(printed["任务清单"], 1)
    assert "任务清单（截至 2022-12-31）" in first
    # one page wide: the first and the last column on the same page as every task
    for text in ("编号", "权重", "进度", "t2022-001"):
        assert text in first, text
    last = _page_text(printed["任务清单"], _pages(printed["任务清单"]))
    for text in ("权重", "t2022-024", "山根音乐艺术小村"):
        assert text in last, text
    headers = {"任务清单": "编号", "责任清单": "职责编号", "阶段性赋分": "得分权重", "逾期清单": "逾期天数"}
    for name, header in headers.items():
        for page in range(2, _pages(printed[name]) + 1):
            text = _page_text(printed[name], page)
            top = [line for line in text.splitlines() if line.strip()][:2]  # a header may take two lines
            assert any(header in line for line in top), (name, page, top)
            assert "（截至" not in text, (name, page)  # the title once, on the first page
            assert f"第 {page} 页" in text, (name, page)


@pytest.mark.slow
def test_the_first_page_as_a_picture(printed: dict[str, Path], tmp_path: Path) -> None:
    for name in ("任务清单", "责任清单", "阶段性赋分", "逾期清单"):
        prefix = tmp_path / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(printed[name]), str(prefix)],
            check=True,
            timeout=60,
        )
        (picture,) = tmp_path.glob(f"{name}*.png")
        assert picture.stat().st_size > 10_000
        print(f"{name} 第 1 页：{picture}")

"""What lx writes is safe to open and fits where it goes (spec 13, issue 11): xlsx text is never a formula
and keeps numbers and dates typed; CSV escapes formula-like text (OWASP) but not numbers; control
characters never reach a terminal, an xlsx or a docx; headings name the data's own group; tables wrap
to ``COLUMNS``; ``TERM=dumb`` gets no escape codes."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from laoxiao_cli.domain.calendar import parse_period
from laoxiao_cli.domain.checklist import checklist
from laoxiao_cli.domain.overdue import overdue
from laoxiao_cli.domain.score import scores
from laoxiao_cli.domain.status import status
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.render import checklist as render_checklist
from laoxiao_cli.render import overdue as render_overdue
from laoxiao_cli.render import score as render_score
from laoxiao_cli.render import status as render_status
from laoxiao_cli.render.common import Screen, View, csv_field, csv_text, printable
from laoxiao_cli.render.docx_doc import OfficialDocument
from laoxiao_cli.render.grid import Col, grid, width
from tests.factory import d, dataset, group, task, unit
from tests.ptyrun import on_a_terminal

AS_OF = d("2022-08-31")
FORMULAS = ['=HYPERLINK("http://evil","点我")', "+1+2", "-3+4", "@SUM(A1)", "\tx", "\rx"]
RENDER = Path(__file__).resolve().parent.parent / "src" / "laoxiao_cli" / "render"


def _office(title: str = "=1+2") -> Dataset:
    return dataset(
        units=[unit("a"), unit("b")],
        tasks=[
            task("t1", "2022-07-31", title=title, support=["b"], weight=5, start="2022-06-10", key=True),
            task("t2", "2022-08-15", lead="b", done="2022-08-20", weight=1.5),
        ],
    )


def _csv_rows(text: str) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


# --- xlsx ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", FORMULAS)
def test_xlsx_text_is_never_a_formula(title: str) -> None:
    book = load_workbook(io.BytesIO(render_checklist.xlsx(checklist(_office(title), AS_OF), "tasks")))
    cell = book["任务清单"]["B3"]  # below the title row and the header
    assert cell.value == title.replace("\r", "\ufffd")  # a carriage return cannot be kept in an xlsx cell
    assert cell.data_type == "s"
    assert cell.quotePrefix == (title[0] != "\r")  # stays text when someone edits it in Excel


def test_xlsx_numbers_are_numbers_and_dates_are_dates() -> None:
    book = load_workbook(io.BytesIO(render_checklist.xlsx(checklist(_office(), AS_OF), "tasks")))
    sheet = book["任务清单"]
    header = [c.value for c in sheet[2]]  # row 1 is the title
    first, second = ({h: c for h, c in zip(header, row, strict=True)} for row in sheet.iter_rows(min_row=3))
    assert first["权重"].value == 5 and first["权重"].data_type == "n"
    assert second["权重"].value == 1.5 and second["权重"].data_type == "n"
    assert first["逾期天数"].value == 31 and first["逾期天数"].data_type == "n"
    for cell, day in (
        (first["截止日期"], "2022-07-31"),
        (first["开始日期"], "2022-06-10"),
        (second["完成日期"], "2022-08-20"),
    ):
        assert cell.is_date and cell.number_format == "yyyy-mm-dd"
        assert cell.value == datetime.combine(date.fromisoformat(day), datetime.min.time())
    assert first["编号"].value == "t1" and first["编号"].data_type == "s"
    assert second["完成日期"].value is not None and first["完成日期"].value is None  # empty, not ""
    # a target sheet's due date is a date too
    targets = book["目标清单"]
    assert targets["E3"].is_date


def test_xlsx_and_docx_take_control_characters() -> None:
    title = "甲\x01乙\x1b[31m丙\x00"
    book = load_workbook(io.BytesIO(render_checklist.xlsx(checklist(_office(title), AS_OF), "tasks")))
    assert book["任务清单"]["B3"].value == "甲\ufffd乙\ufffd[31m丙\ufffd"
    doc = OfficialDocument()
    doc.title(title)
    doc.para(title)
    doc.table(["标题"], [[title]])
    assert doc.to_bytes().startswith(b"PK")


# --- CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_escapes_formula_like_text(text: str) -> None:
    assert csv_field(text) == "'" + text
    rows = _csv_rows(render_checklist.csv(checklist(_office(text), AS_OF), "tasks"))
    assert rows[1][1] == "'" + text


@pytest.mark.parametrize("value", [-5, -2.5, 0, 12, 3.0])
def test_csv_numbers_stay_numbers(value: float) -> None:
    assert csv_field(value) == str(value).removesuffix(".0")
    assert csv_text(["数"], [[value]]).splitlines()[1] == str(value).removesuffix(".0")


@pytest.mark.parametrize("text", ["普通文字", "t2022-001", "2022-07-31", "a=b", " =x", "＝全角"])
def test_csv_leaves_ordinary_text_alone(text: str) -> None:
    assert csv_field(text) == text


def test_every_csv_writer_escapes_the_same_way() -> None:
    # overdue: the title of a milestone is text; the days late (a number) are not escaped
    ds = dataset(
        units=[unit("a", name="-负号局")],
        tasks=[task("t1", "2022-07-31", title="@任务", milestones=[{"name": "=里程碑", "due": d("2022-08-20")}])],
    )
    rows = {r[1]: r for r in _csv_rows(render_overdue.csv(overdue(ds, AS_OF), {"a": "-负号局"}))[1:]}
    assert (rows["t1"][4], rows["t1#1"][4]) == ("'@任务", "'=里程碑")
    assert {r[2] for r in rows.values()} == {"'-负号局"}
    assert (rows["t1"][6], rows["t1#1"][6]) == ("31", "11")
    # score: a negative score is a number, not text; a unit name that looks like a formula is text
    period = parse_period("2022-Q3")
    assert period is not None
    result = scores(_office(), period)
    units = [dataclasses.replace(u, name="=" + u.name, score=-5.0) for u in result.units]
    rows = _csv_rows(render_score.csv(dataclasses.replace(result, units=units)))
    assert [(r[1][:1], r[-1]) for r in rows[1:]] == [("'", "-5.0"), ("'", "-5.0")]


def test_csv_writing_lives_in_one_place() -> None:
    writers = [p.name for p in RENDER.glob("*.py") if "csv.writer" in p.read_text(encoding="utf-8")]
    assert writers == ["common.py"]


# --- headings from the data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "heading"),
    [({"name": "某某工作专班", "short_name": "某某专班"}, "某某专班"), ({"name": "某某工作专班"}, "某某工作专班")],
)
def test_status_markdown_heading_names_the_group(names: dict[str, str], heading: str) -> None:
    ds = dataset(grp=group(**names), tasks=[task("t1", "2022-09-30")])
    text = render_status.FORMATS["markdown"](status(ds, AS_OF), View())
    assert isinstance(text, str)
    assert text.splitlines()[0] == f"## {heading} 工作状态（截至 2022-08-31）"


def test_no_group_name_is_written_into_the_renderers() -> None:
    for path in RENDER.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for name in ("瓯海", "一老一小", "托育养老"):
            assert name not in source, f"{path.name} names {name}: take it from group.yaml"


# --- terminal: width and escape codes ---------------------------------------------------------------

LONG = "牵头推进、督促指导、监督管理服务工作，拟定全区养老服务体系建设规划并组织实施"


def test_a_table_wider_than_columns_wraps_to_it() -> None:
    columns = [Col("编号", wrap=False), Col("单位", wrap=False), Col("任务"), Col("截止日期", wrap=False), Col("状态")]
    rows = [["t2022-001", "区民政局（区老龄办）", LONG, "2022-07-31", "已逾期"]] * 3
    wide = grid(columns, rows, Screen(False, 200))
    assert max(width(line) for line in wide.splitlines()) > 60  # the control: too wide for 60 columns
    out = grid(columns, rows, Screen(False, 60), title="一个很长很长的标题" * 5)
    lines = out.splitlines()
    assert max(width(line) for line in lines) <= 60
    assert len({width(line) for line in lines if line.startswith(("┏", "│", "└"))}) == 1
    assert "".join(line.split("│")[3].strip() for line in lines if line.startswith("│"))[: len(LONG)] == LONG


def test_a_table_too_wide_to_wrap_is_shown_row_by_row() -> None:
    header = render_checklist.TASK_HEADER
    result = checklist(_office("完成甲事"), AS_OF)
    out = render_checklist.table(result, "tasks", {}, Screen(False, 60))
    assert max(width(line) for line in out.splitlines()) <= 60
    assert "任务：完成甲事" in out and "截止日期：2022-07-31" in out and all(f"{h}：" in out for h in header)
    assert "┏" in render_checklist.table(result, "tasks", {}, Screen(False, 160))


@pytest.mark.parametrize("columns", ["60", "41", "20"])
def test_every_view_line_fits_columns(columns: str) -> None:
    limit = int(columns)
    screen = Screen(False, limit)
    ds = _office("完成甲事" * 8)
    texts = [
        render_status.table(status(ds, AS_OF), {}, screen),
        render_overdue.table(overdue(ds, AS_OF), {"a": "a局", "b": "b局"}, screen),
        render_checklist.table(checklist(ds, AS_OF), "duties", {}, screen),
    ]
    for text in texts:
        assert max(width(line) for line in text.splitlines()) <= limit, text


def test_control_characters_never_reach_the_terminal() -> None:
    out = grid([Col("任务")], [["甲\x1b[31m乙\x07"]], Screen(True, 80), title="\x1b]0;标题\x07")
    assert "\x07" not in out and "\x1b]" not in out and "\x1b[31m乙" not in out
    assert "甲\ufffd[31m乙\ufffd" in out
    assert printable("一\n二\t三") == "一\n二\ufffd三"


@pytest.mark.parametrize(
    ("tty", "env", "styled", "width_"),
    [
        (True, {}, True, 99),
        (True, {"TERM": "dumb"}, False, 99),
        (True, {"TERM": "DUMB "}, False, 99),
        (True, {"NO_COLOR": "1", "TERM": "xterm"}, False, 99),
        (True, {"COLUMNS": "60"}, True, 60),
        (False, {"COLUMNS": "60"}, False, 60),
        (False, {}, False, 160),
        (False, {"COLUMNS": "abc"}, False, 160),
        (False, {"COLUMNS": "-5"}, False, 160),
        (False, {"COLUMNS": "0"}, False, 160),
        (False, {"COLUMNS": "9" * 5000}, False, 160),
        (False, {"COLUMNS": "3"}, False, 20),
    ],
)
def test_screen_from_the_environment(tty: bool, env: dict[str, str], styled: bool, width_: int) -> None:
    assert Screen.detect(tty, env, lambda: 99) == Screen(styled, width_)


LX = os.path.join(os.path.dirname(sys.executable), "lx")


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Everything ``lx`` writes to a (pseudo-)terminal: standard output and standard error both."""
    code, out = on_a_terminal(args, cwd, env)
    assert code in (0, 1, 2)
    return out


def test_term_dumb_gets_no_escape_codes_on_a_terminal(bundled: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    coloured = _on_a_terminal([LX, "status", "--as-of", "2022-12-31"], bundled, {**env, "TERM": "xterm"})
    assert "\x1b[" in coloured  # the control: the same terminal without TERM=dumb is coloured
    for args in (["status", "--as-of", "2022-12-31"], ["overdue", "--as-of", "2022-12-31"], ["--help"], ["nosuch"]):
        out = _on_a_terminal([LX, *args], bundled, {**env, "TERM": "dumb"})
        assert "\x1b" not in out, args
        assert out.strip()


def test_lx_wraps_to_columns_through_a_pipe(bundled: Path) -> None:
    env = {**os.environ, "COLUMNS": "60"}
    views = [["status", "--as-of", "2022-12-31"], ["overdue", "--as-of", "2022-12-31"], ["score", "--period", "2022"]]
    views += [["checklist", "--as-of", "2022-12-31"], ["checklist", "--list", "duties"], ["history", "unit/minzheng"]]
    for args in views:
        done = subprocess.run([LX, *args], cwd=bundled, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        too_wide = [line for line in done.stdout.splitlines() if width(line) > 60]
        assert not too_wide, (args, too_wide[:3])

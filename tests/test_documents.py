"""Letters, minutes and the 通报 as official documents in the national format GB/T 9704-2012 (spec 11.1,
6.6): each .docx read back with python-docx and its XML (page, grid, fonts on every run, sizes, the red mark
and lines, the 发文字号, Chinese dates, odd/even page numbers), the words the Markdown shares with it, the
records that feed them (office.doc, a meeting's minutes and attendance), and LibreOffice's PDF of them
(page counts, the date on the page of the last paragraph, dates unbroken in the tables, a picture of
each first page)."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length

from laoxiao_cli.domain.bulletin import bulletin, serial
from laoxiao_cli.domain.letters import DueLetter, due_task, reply_by
from laoxiao_cli.domain.minutes import minutes, minutes_number
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Letter, Meeting
from laoxiao_cli.render import bulletin as render_bulletin
from laoxiao_cli.render import gbt9704 as gb
from laoxiao_cli.render import letters as render_letters
from laoxiao_cli.render import minutes as render_minutes
from laoxiao_cli.render.common import View
from laoxiao_cli.render.docx_doc import CHAR, column_widths
from laoxiao_cli.repo import Repo
from tests.conftest import BUNDLED, Lx, init_git, make_repo
from tests.factory import d, dataset, group, letter, meeting, task

NUMBER = re.compile(r"^瓯一老一小专班办〔\d{4}〕[1-9]\d*号$")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CHINESE_DATE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")
A_CHINESE_DATE = re.compile(r"(?<!\d)\d{4}年[1-9]\d?月[1-9]\d?日")
ISSUER = "瓯海区“一老一小”一体化试点工作专班办公室"
TODAY = {"LX_TODAY": "2023-01-10"}
TWIPS_PER_MM = 1440 / 25.4


# --- reading a .docx back ----------------------------------------------------------------------------


@dataclass
class Docx:
    doc: Any

    @classmethod
    def of(cls, data: bytes) -> Docx:
        return cls(Document(io.BytesIO(data)))

    @property
    def sect(self) -> Any:
        return self.doc.sections[0]._sectPr

    def part(self, kind: str, which: str) -> Any | None:
        """The header or footer (``kind``) of type ``which`` (first, default, even), or None."""
        for ref in self.sect.findall(qn(f"w:{kind}Reference")):
            if ref.get(qn("w:type")) == which:
                return self.doc.part.related_parts[ref.get(qn("r:id"))].element
        return None

    def parts(self) -> list[Any]:
        """The body and every header and footer."""
        found = [self.doc.element.body]
        for kind in ("header", "footer"):
            for which in ("first", "default", "even"):
                element = self.part(kind, which)
                if element is not None:
                    found.append(element)
        return found

    def texts(self) -> list[str]:
        """Every non-empty paragraph's text, tables and headers and footers included."""
        return [t for part in self.parts() for p in part.iter(qn("w:p")) if (t := _text(p))]

    def body(self) -> list[str]:
        return [p.text for p in self.doc.paragraphs if p.text]

    def paragraph(self, text: str) -> Any:
        return next(p for p in self.doc.paragraphs if p.text == text)


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _val(element: Any, path: str, attribute: str = "w:val") -> str | None:
    found = element.find(path, {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"})
    return None if found is None else found.get(qn(attribute))


def _twips(element: Any, path: str, attribute: str) -> int:
    value = _val(element, path, attribute)
    assert value is not None, (path, attribute)
    return int(value)


def _run_font(run: Any) -> tuple[str | None, str | None, str | None, float | None]:
    """(eastAsia, ascii, hAnsi, size pt) of one w:r."""
    fonts = run.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    size = _val(run, "w:rPr/w:sz")
    if fonts is None:
        return None, None, None, None
    names = (fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii")), fonts.get(qn("w:hAnsi")))
    return (*names, int(size) / 2 if size else None)


# --- the documents of the bundled data -----------------------------------------------------------------


@pytest.fixture(scope="module")
def ouhai(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("documents") / "ouhai"
    shutil.copytree(BUNDLED, root / "data")
    init_git(root)
    return root


@pytest.fixture(scope="module")
def ds(ouhai: Path) -> Dataset:
    return Repo.open(ouhai / "data").load().require()


COMMANDS = {
    "l2022-001": ["letters", "show", "l2022-001"],
    "l2022-002": ["letters", "show", "l2022-002"],
    "minutes": ["meeting", "minutes", "2022-q3"],
    "bulletin": ["bulletin", "--month", "2022-12"],
}


@pytest.fixture(scope="module")
def written(ouhai: Path) -> dict[str, Path]:
    """The bundled letters, the 2022-q3 minutes and the December 通报, written by lx."""
    out = ouhai.parent / "docs"
    out.mkdir()
    lx = Lx()
    paths = {}
    for name, args in COMMANDS.items():
        path = out / f"{name}.docx"
        result = lx(*args, "-f", "docx", "-o", str(path), cwd=ouhai, env=TODAY)
        assert result.exit_code == 0, result.output
        paths[name] = path
    return paths


def letter_of(ds: Dataset, tasks: list[str], issued: str = "2023-03-20", **over: Any) -> Letter:
    data: dict[str, Any] = {"id": "l2023-003", "kind": "assignment", "unit": "fagai", "tasks": tasks}
    data.update(issued=d(issued), reply_by=reply_by(ds, d(issued)), number=3, **over)
    return Letter.model_validate(data)


def letter_docx(ds: Dataset, record: Letter) -> bytes:
    item = DueLetter(record.unit, "区发改局", record.kind, [due_task(ds.tasks[t], record.issued) for t in record.tasks])
    return render_letters.docx(render_letters.letter_text(record, item, ds.group, 21))


def typical(ds: Dataset) -> Letter:
    """A 交办函 listing the three tasks 区发改局 leads (as if all were due: what is tested is the layout)."""
    return letter_of(ds, ["t2022-004", "t2022-009", "t2022-010"])


def eight(ds: Dataset) -> Letter:
    return letter_of(ds, sorted(ds.tasks)[:8])


def full_letter_docx(ds: Dataset, tasks: list[str]) -> bytes:
    """A letter with everything a letter can carry: 签发人, 抄送 and the office's contact (a 附注)."""
    record = letter_of(ds, tasks).model_copy(update={"signed_by": "杜潘祚", "cc": ["区委办（区考绩办）", "区府办"]})
    item = DueLetter(record.unit, "区发改局", record.kind, [due_task(ds.tasks[t], record.issued) for t in record.tasks])
    text = render_letters.letter_text(record, item, ds.group, 21)
    return render_letters.docx(dataclasses.replace(text, contact="（联系人：王某某，电话：0577-88888888）"))


def test_the_bundled_office_heads_and_numbers_its_documents(ds: Dataset) -> None:
    office = ds.group.office.doc
    assert (office.issuer, office.prefix, office.contact) == (ISSUER, "瓯一老一小专班办", None)
    text = (BUNDLED / "group.yaml").read_text(encoding="utf-8")
    comment = text[: text.index("  doc:\n")].splitlines()[-2]
    assert "office.doc 不是通知原文" in comment and "示例" in comment  # marked as not transcribed


# --- the page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["l2022-001", "minutes", "bulletin"])
def test_page_margins_and_grid(written: dict[str, Path], name: str) -> None:
    doc = Docx.of(written[name].read_bytes())
    section = doc.doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    width = Length(section.page_width - section.left_margin - section.right_margin)
    height = Length(section.page_height - section.top_margin - section.bottom_margin)
    assert (round(width.mm), round(height.mm)) == (156, 225)
    grid = doc.sect.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch"))) / 20
    assert 28.8 <= pitch <= 29.0 and 22 * pitch <= height.pt < 23 * pitch  # 22 lines
    char = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert 28 * char <= width.pt < 29 * char  # 28 characters of 3号
    # the characters as drawn make the 28 too (the paragraphs do not snap to the grid)
    normal = doc.doc.styles["Normal"]
    condensed = int(_val(normal.element, "w:rPr/w:spacing") or 0) / 20
    assert 28 * (16 + condensed) <= width.pt < 29 * (16 + condensed)
    assert _val(normal.element, "w:pPr/w:snapToGrid") == "0"
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == pitch
    defaults = doc.doc.styles.element.find(qn("w:docDefaults"))
    assert _val(defaults, "w:rPrDefault/w:rPr/w:rFonts", "w:eastAsia") == "仿宋_GB2312"
    assert _val(defaults, "w:rPrDefault/w:rPr/w:sz") == "32"
    assert _val(defaults, "w:pPrDefault/w:pPr/w:spacing", "w:lineRule") == "exact"
    assert _val(normal.element, "w:rPr/w:rFonts", "w:eastAsia") == "仿宋_GB2312"


@pytest.mark.parametrize("name", ["l2022-001", "l2022-002", "minutes", "bulletin"])
def test_every_run_names_its_fonts_and_no_date_is_iso(written: dict[str, Path], name: str) -> None:
    doc = Docx.of(written[name].read_bytes())
    runs = [r for part in doc.parts() for r in part.iter(qn("w:r"))]
    assert len(runs) > 20
    allowed = {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}
    for run in runs:
        east, ascii_, latin, size = _run_font(run)
        assert east in allowed and ascii_ == east and latin == east, _text(run)
        assert size is not None, _text(run)
    texts = doc.texts()
    assert not [t for t in texts if ISO_DATE.search(t)]
    assert any(A_CHINESE_DATE.search(t) for t in texts)
    assert not [t for t in texts if re.search(r"\d年0|\d月0", t)]  # no leading zeros


def _runs_of(doc: Docx, text: str) -> list[tuple[str | None, str | None, str | None, float | None]]:
    return [_run_font(r) for r in doc.paragraph(text)._p.iter(qn("w:r"))]


def test_sizes_and_faces(written: dict[str, Path]) -> None:
    doc = Docx.of(written["bulletin"].read_bytes())
    title = "关于2022年12月工作推进情况的通报"
    assert _runs_of(doc, title) == [("方正小标宋简体", "方正小标宋简体", "方正小标宋简体", 22)]
    assert doc.paragraph(title).alignment == 1  # centred
    assert _runs_of(doc, "一、任务推进情况")[0][::3] == ("黑体", 16)
    assert _runs_of(doc, "（一）本月完成的任务")[0][::3] == ("楷体_GB2312", 16)
    assert _runs_of(doc, "各成员单位：")[0][::3] == ("仿宋_GB2312", 16)
    body = next(p for p in doc.doc.paragraphs if p.text.startswith("现将"))
    assert round(body.paragraph_format.first_line_indent.pt / CHAR, 2) == 2  # two characters in
    assert body.paragraph_format.line_spacing.pt == gb.LINE_PITCH / 20
    cell = doc.doc.tables[0].rows[1].cells[0].paragraphs[0]
    assert [_run_font(r)[::3] for r in cell._p.iter(qn("w:r"))] == [("仿宋_GB2312", 14)]
    header = doc.doc.tables[0].rows[0].cells[0].paragraphs[0]
    assert [_run_font(r)[::3] for r in header._p.iter(qn("w:r"))] == [("黑体", 14)]


# --- letters: 信函格式 ------------------------------------------------------------------------------------


def test_letter_head_mark_and_the_red_lines(written: dict[str, Path]) -> None:
    doc = Docx.of(written["l2022-001"].read_bytes())
    section = doc.doc.sections[0]
    assert doc.sect.find(qn("w:titlePg")) is not None and section.different_first_page_header_footer
    assert round(section.header_distance.mm) == 30  # the mark's top edge, 30 mm from the top of the page
    head = doc.part("header", "first")
    (mark,) = [p for p in head.iter(qn("w:p"))]
    assert _text(mark) == ISSUER
    runs = list(mark.iter(qn("w:r")))
    assert {_val(r, "w:rPr/w:color") for r in runs} == {"FF0000"}
    assert {_run_font(r)[0] for r in runs} == {"方正小标宋简体"}
    assert _val(mark, "w:pPr/w:jc") == "center"
    # the double lines: thick over thin under the mark, thin over thick 20 mm above the bottom edge
    assert _val(mark, "w:pPr/w:pBdr/w:bottom") == "thickThinSmallGap"
    assert _val(mark, "w:pPr/w:pBdr/w:bottom", "w:color") == "FF0000"
    (line,) = list(doc.part("footer", "first").iter(qn("w:p")))
    assert _val(line, "w:pPr/w:pBdr/w:top") == "thickThinSmallGap"  # as a top border: thin over thick
    assert _val(line, "w:pPr/w:pBdr/w:top", "w:color") == "FF0000"
    assert round(section.footer_distance.mm) in (19, 20)
    block = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    for paragraph in (mark, line):
        left = _twips(paragraph, "w:pPr/w:ind", "w:left")
        right = _twips(paragraph, "w:pPr/w:ind", "w:right")
        assert left == right < 0
        assert abs((block - left - right) / TWIPS_PER_MM - 170) < 0.2  # 170 mm, centred on the block


def test_letter_number_title_addressee_and_signature(written: dict[str, Path]) -> None:
    doc = Docx.of(written["l2022-001"].read_bytes())
    body = doc.body()
    assert NUMBER.match(body[0]) and body[0] == "瓯一老一小专班办〔2022〕1号"
    assert doc.paragraph(body[0]).alignment == 2  # flush right
    assert body[1] == "关于加快推进逾期任务的提醒函"  # the short name would take two lines
    assert body[2] == "区统计局："
    assert body[3].startswith("根据《中共瓯海区委办公室") and "（办函〔2022〕6号）" in body[3]
    assert "请于2022年11月22日前书面反馈" in body[4]  # reply_by
    assert body[-2:] == [ISSUER, "2022年11月8日"]
    date_line, issuer = doc.paragraph(body[-1]), doc.paragraph(body[-2])
    assert date_line.alignment == issuer.alignment == 2
    assert round(date_line.paragraph_format.right_indent.pt / CHAR, 2) == 4  # four characters from the right
    assert issuer.paragraph_format.right_indent.pt == 0  # 21 characters: longer than the date by > 8
    # the issuer and the date stay on the page of the last paragraph: a chain of keep-with-next
    paragraphs = doc.doc.paragraphs
    last = [p._p for p in paragraphs].index(doc.paragraph(body[4])._p)
    assert [p.paragraph_format.keep_with_next for p in paragraphs[last:]] == [True, True, True, False]
    # one line for the seal: GB/T 9704-2012 7.3.5.1, the seal's top within one line of the text
    assert [p.text for p in paragraphs[last + 1 : last + 3]] == ["", ISSUER]


def test_letter_table_fits_the_block(written: dict[str, Path], ds: Dataset) -> None:
    for data in (written["l2022-002"].read_bytes(), letter_docx(ds, eight(ds))):
        doc = Docx.of(data)
        (table,) = doc.doc.tables
        rows = [[c.text for c in row.cells] for row in table.rows]
        assert rows[0] == ["序号", "任务", "完成时限", "逾期天数"]
        assert all(CHINESE_DATE.match(row[2]) for row in rows[1:])
        tbl = table._tbl
        assert _val(tbl, "w:tblPr/w:tblLayout", "w:type") == "fixed"
        cols = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(cols) == gb.text_width_twips() == _twips(tbl, "w:tblPr/w:tblW", "w:w")
        em = 14 / 72 * 25.4 * TWIPS_PER_MM
        for i in (0, 2, 3):  # numbers and dates on one line, with room for wide digits
            assert cols[i] >= max(gb.no_wrap_width(row[i]) for row in rows) * em
        assert cols[1] == max(cols)  # the rest for the task names
    one = Docx.of(written["l2022-001"].read_bytes()).doc.tables[0]
    assert [c.text for c in one.rows[1].cells] == ["1", "婴幼儿与老龄人口统计分析", "2022年9月30日", "39"]
    assert len(Docx.of(letter_docx(ds, eight(ds))).doc.tables[0].rows) == 9


def test_page_numbers_odd_right_even_left_none_on_a_letters_first_page(written: dict[str, Path]) -> None:
    for name in ("l2022-001", "minutes", "bulletin"):
        doc = Docx.of(written[name].read_bytes())
        assert doc.doc.settings.odd_and_even_pages_header_footer  # w:evenAndOddHeaders
        for which, align, side in (("default", "right", "w:right"), ("even", "left", "w:left")):
            footer = doc.part("footer", which)
            (paragraph,) = list(footer.iter(qn("w:p")))
            assert _text(paragraph) == "— 1 —", name
            instructions = [t.text.strip() for t in paragraph.iter(qn("w:instrText"))]
            assert instructions == ["PAGE"]
            assert [c.get(qn("w:fldCharType")) for c in paragraph.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
            assert _val(paragraph, "w:pPr/w:jc") == align
            assert _twips(paragraph, "w:pPr/w:ind", side) == 280  # one 4号 character
            assert {_run_font(r)[::3] for r in paragraph.iter(qn("w:r"))} == {("宋体", 14)}
        first = doc.part("footer", "first")
        if name.startswith("l"):
            assert first is not None and not list(first.iter(qn("w:instrText")))  # a letter's first page: none
        else:
            assert first is None and doc.sect.find(qn("w:titlePg")) is None


def test_a_letter_without_prefix_keeps_its_serial(repo: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "l.docx"
    assert lx("letters", "show", "l2022-001", "-f", "docx", "-o", str(out), cwd=repo).exit_code == 0
    doc = Docx.of(out.read_bytes())
    assert doc.body()[:2] == ["〔2022〕1号", "关于加快推进测试逾期任务的提醒函"]  # short enough to name the group
    assert _text(next(doc.part("header", "first").iter(qn("w:p")))) == "测试办公室"
    # a short issuer is centred over the date: 4 + (7 − 5) / 2 characters from the right
    assert round(doc.paragraph("测试办公室").paragraph_format.right_indent.pt / CHAR, 2) == 5
    md = lx("letters", "show", "l2022-001", cwd=repo).stdout
    assert md.startswith("测试办公室\n\n〔2022〕1号\n\n# 关于加快推进测试逾期任务的提醒函\n")


CONTACT = "  doc: {issuer: 测试专班办公室, prefix: 测专办, contact: {name: 王五, phone: 0577-88888888}}\n"


def test_contact_signer_and_cc(tmp_path: Path, lx: Lx) -> None:
    base = make_repo(tmp_path / "base", commit=False)
    grp = (
        (base / "data/group.yaml")
        .read_text(encoding="utf-8")
        .replace("  duties: [统筹协调]\n", "  duties: [统筹协调]\n" + CONTACT)
    )
    record = (base / "data/letters/l2022-001.yaml").read_text(encoding="utf-8")
    record += "signed_by: 副组长乙\ncc: [区委办（区考绩办）, 区政府办]\n"
    repo = make_repo(tmp_path / "r", {"data/group.yaml": grp, "data/letters/l2022-001.yaml": record})
    out = tmp_path / "l.docx"
    assert lx("letters", "show", "l2022-001", "-f", "docx", "-o", str(out), cwd=repo).exit_code == 0
    doc = Docx.of(out.read_bytes())
    body = doc.body()
    assert body[0] == "签发人：副组长乙\t测专办〔2022〕1号"
    # the contact is a 附注 (GB/T 9704-2012 7.3.6): in brackets under the date, two characters in, on its page
    assert body[-4:] == [
        "测试专班办公室",
        "2022年10月10日",
        "（联系人：王五，电话：0577-88888888）",
        "抄送：区委办（区考绩办），区政府办。",
    ]
    note = doc.paragraph(body[-2])
    assert round(note.paragraph_format.first_line_indent.pt / CHAR, 2) == 2
    assert doc.paragraph(body[-3]).paragraph_format.keep_with_next
    cc = doc.paragraph(body[-1])
    assert _val(cc._p, "w:pPr/w:pBdr/w:top") == _val(cc._p, "w:pPr/w:pBdr/w:bottom") == "single"
    assert not note.paragraph_format.keep_with_next  # 版记 not chained: the chain stays short enough to fit
    md = lx("letters", "show", "l2022-001", cwd=repo).stdout
    assert md.startswith("测试专班办公室\n\n签发人：副组长乙\n\n测专办〔2022〕1号\n\n# ")
    assert "\n2022年10月10日\n\n（联系人：王五，电话：0577-88888888）\n" in md
    assert md.endswith("\n抄送：区委办（区考绩办），区政府办。\n")


@pytest.mark.parametrize(
    ("issued", "reply"),
    [("2023-03-17", "2023年3月31日"), ("2023-03-20", "2023年4月3日"), ("2023-03-21", "2023年4月4日")],
)
def test_reply_by_counts_ten_working_days(ds: Dataset, issued: str, reply: str) -> None:
    record = letter_of(ds, ["t2022-009"], issued)
    item = DueLetter("fagai", "区发改局", "assignment", [due_task(ds.tasks["t2022-009"], record.issued)])
    text = render_letters.letter_text(record, item, ds.group, 21)
    assert f"请于{reply}前书面反馈" in render_letters.markdown(text)
    assert any(f"请于{reply}前书面反馈" in t for t in Docx.of(render_letters.docx(text)).body())


def test_a_letter_issued_on_2023_03_20(ouhai: Path, tmp_path: Path) -> None:
    repo = tmp_path / "r"
    shutil.copytree(ouhai, repo)
    out = tmp_path / "out"
    args = ("letters", "issue", "--task", "t2022-015", "--kind", "assignment", "--reason", "进度滞后", "-o", str(out))
    result = Lx()(*args, "--as-of", "2023-03-20", cwd=repo, env={"LX_TODAY": "2023-03-20"})
    assert result.exit_code == 0, result.output
    (docx,) = out.glob("*.docx")
    body = Docx.of(docx.read_bytes()).body()
    assert body[0] == "瓯一老一小专班办〔2023〕1号"  # the first of 2023
    assert any("请于2023年4月3日前书面反馈" in t for t in body) and body[-1] == "2023年3月20日"
    assert "请于2023年4月3日前书面反馈" in docx.with_suffix(".md").read_text(encoding="utf-8")


def test_a_long_short_name_leaves_the_title(ds: Dataset) -> None:
    item = DueLetter("a", "甲局", "reminder", [due_task(task("t1", "2022-09-30"), d("2022-10-10"))])
    record = letter("l2022-001", "reminder", ["t1"], "2022-10-10", "2022-10-20")
    for short, title in [("测试", "关于加快推进测试逾期任务的提醒函"), ("长" * 8, "关于加快推进逾期任务的提醒函")]:
        text = render_letters.letter_text(record, item, group(short_name=short), 7)
        assert text.title == title
        assert text.issuer == f"{short}办公室" and text.number == "〔2022〕1号"


# --- minutes: 纪要格式 ----------------------------------------------------------------------------------


def test_minutes_mark_number_issuer_line_and_units(written: dict[str, Path]) -> None:
    doc = Docx.of(written["minutes"].read_bytes())
    body = doc.body()
    assert body[:4] == [
        "“一老一小”一体化试点工作专班会议纪要",
        "第1期",
        f"{ISSUER}\t2022年9月20日",
        "2022年第三季度专班例会纪要",
    ]
    mark = doc.paragraph(body[0])
    assert {_val(r, "w:rPr/w:color") for r in mark._p.iter(qn("w:r"))} == {"FF0000"}
    assert mark.runs[0].font.name == "方正小标宋简体" and mark.alignment == 1
    assert round(mark.paragraph_format.space_before.mm) == 35  # 35 mm under the top of the block
    rule = doc.paragraph(body[2])
    assert _val(rule._p, "w:pPr/w:pBdr/w:bottom") == "single"
    assert _val(rule._p, "w:pPr/w:pBdr/w:bottom", "w:color") == "FF0000"
    assert body[-1].startswith("出席：区委办（区考绩办）、区府办、") and body[-1].endswith("、各镇街")
    present = doc.paragraph(body[-1])
    assert [_run_font(r)[0] for r in present._p.iter(qn("w:r"))] == ["黑体", "仿宋_GB2312"]
    fmt = present.paragraph_format  # wrapped names start under the first name
    assert round(fmt.left_indent.pt / CHAR, 2) == 5 and round(fmt.first_line_indent.pt / CHAR, 2) == -3
    assert any(t.startswith("一、原则通过《幼儿园推行托幼一体化建设实施方案》") for t in body)


ATTENDANCE = """\
minutes: {number: 5, issued: 2022-09-23}
attendance:
  present:
    - {unit: alpha, name: 张一, title: 甲局局长}
    - {unit: beta, name: 王某某, stand_in: true}
  attending:
    - {unit: alpha, name: 李二, title: 科长}
  absent:
    - {unit: beta, name: 赵六, title: 乙局局长}
"""


def test_minutes_with_their_record_and_attendance(tmp_path: Path, lx: Lx) -> None:
    base = make_repo(tmp_path / "base", commit=False)
    meeting_file = (base / "data/meetings/2022-q3.yaml").read_text(encoding="utf-8") + ATTENDANCE
    repo = make_repo(tmp_path / "r", {"data/meetings/2022-q3.yaml": meeting_file})
    assert lx("validate", cwd=repo).exit_code == 0
    md = lx("meeting", "minutes", "2022-q3", cwd=repo).stdout
    assert md.startswith(
        "测试会议纪要\n\n第5期\n\n测试办公室\u3000\u30002022年9月23日\n\n# 2022年第三季度专班例会纪要\n"
    )
    assert md.endswith(
        "**出席：**甲局 张一（甲局局长）、乙局 王某某（代）  \n**列席：**甲局 李二（科长）  \n**请假：**乙局 赵六（乙局局长）\n"
    )
    out = tmp_path / "m.docx"
    assert lx("meeting", "minutes", "2022-q3", "-f", "docx", "-o", str(out), cwd=repo).exit_code == 0
    body = Docx.of(out.read_bytes()).body()
    assert body[1:3] == ["第5期", "测试办公室\t2022年9月23日"]
    assert body[-3:] == [
        "出席：甲局 张一（甲局局长）、乙局 王某某（代）",
        "列席：甲局 李二（科长）",
        "请假：乙局 赵六（乙局局长）",
    ]


def _held(mid: str, day: str, **over: Any) -> Meeting:
    data = meeting(mid, day).model_dump()
    data.update(over)
    return Meeting.model_validate(data)


def test_minutes_numbers_count_the_held_meetings_of_the_year() -> None:
    meetings = [
        _held("2022-q3", "2022-09-01"),
        _held("2022-s1", "2022-09-01", kind="special"),  # same day: by id
        meeting("2022-q4", "2022-12-20", status="planned"),
        _held("2022-s2", "2022-12-01", kind="special"),
        _held("2023-q1", "2023-03-01"),
        _held("2023-q2", "2023-06-01", minutes={"number": 9}),
    ]
    ds = dataset(meetings=meetings)
    numbers = {m.id: minutes_number(ds, m) for m in meetings if m.status == "held"}
    assert numbers == {"2022-q3": 1, "2022-s1": 2, "2022-s2": 3, "2023-q1": 1, "2023-q2": 9}
    assert minutes(ds, "2023-q1").issued == d("2023-03-01")  # no minutes.issued: the meeting's date
    assert minutes(ds, "2023-q2").number == 9


def test_markdown_and_docx_say_the_same(written: dict[str, Path], ds: Dataset, ouhai: Path) -> None:
    shown = {name: Lx()(*args, cwd=ouhai, env=TODAY).stdout for name, args in COMMANDS.items()}
    assert shown["minutes"] == render_minutes.markdown(minutes(ds, "2022-q3"))
    for name, md in shown.items():
        doc = Docx.of(written[name].read_bytes())
        words = md.replace("**", "").replace("\u3000\u3000", "\t")
        head = doc.part("header", "first")
        marks = [_text(p) for p in head.iter(qn("w:p"))] if head is not None else []
        for text in doc.body() + marks:
            assert text in words, (name, text)
        for table in doc.doc.tables:
            for row in table.rows:
                assert "| " + " | ".join(c.text for c in row.cells) + " |" in md, (name, row)


# --- the 通报 ----------------------------------------------------------------------------------------


def test_bulletin_head_number_and_cc(written: dict[str, Path]) -> None:
    doc = Docx.of(written["bulletin"].read_bytes())
    body = doc.body()
    # no --number: the serial is left for the office to fill in from its register (never one lx guesses)
    assert body[:4] == [ISSUER, "瓯一老一小专班办〔2022〕   号", "关于2022年12月工作推进情况的通报", "各成员单位："]
    assert doc.paragraph(body[1]).alignment == 1  # 文件格式: centred under the mark
    assert {_val(r, "w:rPr/w:color") for r in doc.paragraph(ISSUER)._p.iter(qn("w:r"))} == {"FF0000"}
    assert _val(doc.paragraph(body[1])._p, "w:pPr/w:pBdr/w:bottom", "w:color") == "FF0000"
    assert body[-3:] == [
        ISSUER,
        "2022年12月31日",
        "抄送：区委书记曾瑞华，区委副书记、区长刘云峰，副区长杜潘祚，副区长张昶，副区长陈凤。",
    ]
    for table in doc.doc.tables:
        cols = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(cols) == gb.text_width_twips()


def test_bulletin_numbers_from_the_letters_register(ds: Dataset, ouhai: Path, lx: Lx, repo: Path) -> None:
    assert serial(ds, 2022) is None and serial(ds, 2023) is None  # not recorded: no number taken for it
    assert serial(ds, 2022, 3) == 3 and serial(ds, 2023, 1) == 1  # l2022-001, -002 hold 1 and 2 of 2022
    for used in (1, 2):
        with pytest.raises(LxError, match=f"〔2022〕{used}号 已由函件 l2022-00{used} 使用"):
            serial(ds, 2022, used)
    taken = lx("bulletin", "--month", "2022-12", "--number", "2", "-o", "b.docx", cwd=ouhai, env=TODAY)
    assert taken.exit_code == 1 and "已由函件 l2022-002 使用" in taken.stderr and not (ouhai / "b.docx").exists()
    unnumbered = dataset()  # no office.doc.prefix: no 发文字号 unless the office gives one
    assert serial(unnumbered, 2022) is None and serial(unnumbered, 2022, 4) == 4
    b = bulletin(ds, "2022-12", d("2023-01-10"), number=7)
    assert render_bulletin.number(b) == "瓯一老一小专班办〔2022〕7号"
    md = lx("bulletin", "--month", "2022-12", "--number", "7", cwd=ouhai, env=TODAY).stdout
    assert md.startswith(f"{ISSUER}\n\n瓯一老一小专班办〔2022〕7号\n\n# 关于2022年12月工作推进情况的通报\n")
    plain = lx("bulletin", "--month", "2022-12", cwd=repo, env=TODAY).stdout
    assert plain.startswith("测试办公室\n\n# 关于")
    given = lx("bulletin", "--month", "2022-12", "--number", "4", cwd=repo, env=TODAY).stdout
    assert given.startswith("测试办公室\n\n〔2022〕4号\n\n# 关于")
    bad = lx("bulletin", "--month", "2022-12", "--number", "0", cwd=repo)
    assert bad.exit_code == 2 and "不是正整数" in bad.output


def test_fitted_widths_keep_short_columns_whole() -> None:
    header = ["单位", "任务", "应完成日期", "逾期天数"]
    rows = [["区大数据管理中心", "长" * 40, "2022年12月31日", "120"]]
    widths = [w.twips for w in column_widths(header, rows)]
    assert sum(widths) == gb.text_width_twips()
    em = 14 / 72 * 1440
    assert (
        widths[0] >= gb.no_wrap_width("区大数据管理中心") * em and widths[2] >= gb.no_wrap_width("2022年12月31日") * em
    )
    assert widths[1] >= gb.text_width_twips() / 4  # the long text keeps a quarter of the block
    many = column_widths([f"列{i}" for i in range(12)], [["2022年12月31日"] * 12])  # too many: all narrowed alike
    spread = [w.twips for w in many]
    assert sum(spread) == gb.text_width_twips() and max(spread) - min(spread) <= len(spread)  # rounding, once


def test_no_date_in_the_markdown_is_iso(ds: Dataset, written: dict[str, Path]) -> None:
    b = render_bulletin.markdown(
        bulletin(ds, "2022-12", d("2023-01-10")), View({u.id: u.name for u in ds.units.values()})
    )
    m = render_minutes.markdown(minutes(ds, "2022-q3"))
    record = typical(ds)
    item = DueLetter("fagai", "区发改局", "assignment", [due_task(ds.tasks[t], record.issued) for t in record.tasks])
    letter_md = render_letters.markdown(render_letters.letter_text(record, item, ds.group, 21))
    for text in (b, m, letter_md):
        assert not ISO_DATE.search(text)


# --- printed by LibreOffice ------------------------------------------------------------------------------


def _need_office() -> None:
    """LibreOffice, poppler and CJK fonts, or a skip (locally) / a failure (under CI)."""
    missing = [tool for tool in ("soffice", "pdfinfo", "pdftoppm", "pdftotext") if shutil.which(tool) is None]
    listed = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False)
    if shutil.which("fc-list") is None or not listed.stdout.strip():
        missing.append("中文字体（fonts-noto-cjk）")
    if missing:
        message = f"缺少 {'、'.join(missing)}：请以 root 运行 tools/system-packages.sh（make test 会先运行它）"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def printed(written: dict[str, Path], ds: Dataset) -> Iterator[dict[str, Path]]:
    """Every document as LibreOffice prints it (a profile of its own), and a picture of each first page."""
    _need_office()
    folder = next(iter(written.values())).parent
    documents = dict(written)
    for name, record in (("typical", typical(ds)), ("eight", eight(ds))):
        documents[name] = folder / f"{name}.docx"
        documents[name].write_bytes(letter_docx(ds, record))
    for name, tasks in (("full1", ["t2022-004"]), ("full3", ["t2022-004", "t2022-009", "t2022-010"])):
        documents[name] = folder / f"{name}.docx"
        documents[name].write_bytes(full_letter_docx(ds, tasks))
    profile = (folder / "lo-profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    done = subprocess.run(
        [*command, "--outdir", str(folder), *map(str, documents.values())],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdfs = {name: path.with_suffix(".pdf") for name, path in documents.items()}
    for pdf in pdfs.values():
        assert pdf.is_file(), done.stdout + done.stderr
        picture = pdf.with_name(f"{pdf.stem}-page1")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(picture)], check=True
        )
        print(f"first page: {picture}.png")
    yield pdfs


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match[1])


def _lines(pdf: Path, page: int) -> list[str]:
    """The page's lines as pdftotext lays them out, without the spaces it puts between Chinese and digits."""
    command = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]


@pytest.mark.slow
def test_one_page_letters_keep_the_date_on_their_page(printed: dict[str, Path]) -> None:
    for name, day in (("l2022-001", "2022年11月8日"), ("l2022-002", "2022年11月10日"), ("typical", "2023年3月20日")):
        assert _pages(printed[name]) == 1, name
        lines = _lines(printed[name], 1)
        assert lines[0] == ISSUER and lines[-2:] == [ISSUER, day], (name, lines[-3:])
        assert any("前书面反馈" in line for line in lines)


@pytest.mark.slow
def test_a_letter_with_signer_contact_and_cc_keeps_date_and_note_on_the_last_paragraphs_page(
    printed: dict[str, Path],
) -> None:
    """签发人, 附注 and 抄送 on a one-task letter: one page. On a three-task letter the 版记 (抄送), not chained
    to the date, is what moves to a second page; the date and the 附注 stay with the last paragraph."""
    assert _pages(printed["full1"]) == 1
    lines = _lines(printed["full1"], 1)
    assert lines[-4:] == [
        ISSUER,
        "2023年3月20日",
        "（联系人：王某某，电话：0577-88888888）",
        "抄送：区委办（区考绩办），区府办。",
    ]
    first = _lines(printed["full3"], 1)
    assert first[-3:] == [ISSUER, "2023年3月20日", "（联系人：王某某，电话：0577-88888888）"]
    assert any("前书面反馈" in line for line in first)
    assert _lines(printed["full3"], _pages(printed["full3"]))[0] == "抄送：区委办（区考绩办），区府办。"


@pytest.mark.slow
def test_table_dates_stay_on_one_line(printed: dict[str, Path], ds: Dataset) -> None:
    for name, record in (("typical", typical(ds)), ("eight", eight(ds))):
        text = [line for page in range(1, _pages(printed[name]) + 1) for line in _lines(printed[name], page)]
        for task_id in record.tasks:
            due = due_task(ds.tasks[task_id], record.issued).due
            dated = f"{due.year}年{due.month}月{due.day}日"
            assert any(dated in line for line in text), (name, dated)


@pytest.mark.slow
def test_a_long_letter_takes_its_closing_to_the_page_of_the_date(printed: dict[str, Path]) -> None:
    pages = _pages(printed["eight"])
    assert pages == 2
    last = _lines(printed["eight"], pages)
    assert last[-3:] == [ISSUER, "2023年3月20日", "—2—"]  # the even page's number under them
    assert any("前书面反馈" in line for line in last)


@pytest.mark.slow
def test_minutes_and_bulletin_print_with_their_dates(printed: dict[str, Path]) -> None:
    minutes_pages = _pages(printed["minutes"])
    assert minutes_pages >= 2
    assert f"{ISSUER}2022年9月20日" in _lines(printed["minutes"], 1)  # the 纪要's date is in its head
    assert any(line.startswith("出席：") for p in range(1, minutes_pages + 1) for line in _lines(printed["minutes"], p))
    assert _lines(printed["minutes"], minutes_pages)[-1] == f"—{minutes_pages}—"  # numbered, odd or even
    pages = _pages(printed["bulletin"])
    last = _lines(printed["bulletin"], pages)
    dated = last.index("2022年12月31日")
    assert last[dated - 1] == ISSUER  # the issuer over the date, on the last page
    assert any(line.startswith("抄送：") for line in last) and last[-1] == f"—{pages}—"
    assert _lines(printed["bulletin"], 1)[-1] == "—1—"  # the 通报's first page is numbered

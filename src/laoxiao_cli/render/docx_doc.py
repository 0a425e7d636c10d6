"""Word documents in the national format (GB/T 9704-2012, spec 11.1), paragraph by paragraph: the page and
its lines come from ``gbt9704``; this is the order of the elements and the type each is set in.

Imported only when a .docx is written (python-docx is not needed for anything else)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from laoxiao_cli.render import docx_xml as x
from laoxiao_cli.render import gbt9704 as gb
from laoxiao_cli.render.common import printable
from laoxiao_cli.render.official import chinese_date

__all__ = ["OfficialDocument", "chinese_date", "column_widths"]

CHAR = gb.char_width()
"""One body character as drawn (pt): indents are counted in characters."""
NUMBER_LINE = 25.0
"""pt: the 发文字号's exact line, whose leading over the characters puts them 7/8 of a 3号 character (4.9 mm)
under the first red line (measured in LibreOffice's PDF)."""
RULE_SPACE = 7
"""pt between a line's box and the red line under it: 4 mm under the characters (measured in LibreOffice's PDF:
the characters end about 1.5 mm above the bottom of their exact 28.95 pt line)."""
TABLE_LINE = 20.0
"""pt: the exact line of table cells (4号 with a little air above and below)."""
CELL_MARGIN = 1.0
"""mm of padding left and right in table cells."""
CELL_SLACK = 0.5
"""mm more than the text needs (``gb.no_wrap_width``), for rounding."""


class OfficialDocument:
    """A 公文 being written top to bottom. With ``letter_issuer``: the 信函格式 (that issuer's red mark and
    the red lines on the first page, which has no page number); else page numbers on every page and the
    marks in the body."""

    def __init__(self, *, letter_issuer: str | None = None) -> None:
        self.doc = Document()  # its body is empty: every paragraph is added
        gb.page(self.doc, letter=letter_issuer is not None)
        if letter_issuer is not None:
            gb.letterhead(self.doc, printable(letter_issuer))

    # --- paragraphs ------------------------------------------------------------------------------

    def _paragraph(
        self, text: str, font: str = gb.FANGSONG, size: float = gb.BODY, color: str | None = None, **fmt: Any
    ) -> Any:
        paragraph = self.doc.add_paragraph()
        x.layout(paragraph, **{"line": gb.LINE_PITCH / 20, **fmt})  # on the page's lines unless told
        x.mark_paragraph_font(paragraph, font, size)
        if text:
            x.add_run(paragraph, printable(text, keep="\t"), font, size, color)  # a docx cannot hold the others
        return paragraph

    def para(self, text: str, indent: bool = True, keep_next: bool = False) -> None:
        """A body paragraph, its first line indented two characters."""
        self._paragraph(text, first=2 * CHAR if indent else 0, keep_next=keep_next)

    def blank(self, keep_next: bool = False) -> None:
        self._paragraph("", keep_next=keep_next)

    def title(self, text: str) -> None:
        """2号小标宋, centred, one blank line under it."""
        self._paragraph(text, gb.XIAOBIAOSONG, gb.TITLE, align="center")
        self.blank()

    def heading(self, text: str) -> None:
        """A first-level heading (一、) in 黑体."""
        self._paragraph(text, gb.HEITI, first=2 * CHAR, keep_next=True)

    def subheading(self, text: str) -> None:
        """A second-level heading (（一）) in 楷体."""
        self._paragraph(text, gb.KAITI, first=2 * CHAR, keep_next=True)

    def number(self, text: str, signer: str | None = None) -> None:
        """信函格式: the 发文字号 flush right under the first red line, 7/8 of a 3号 character below it (the
        leading of its exact line above the characters makes that gap); the signing leader (签发人) at the
        left of the same line."""
        paragraph = self._paragraph("", line=NUMBER_LINE)
        if signer:
            x.add_run(paragraph, "签发人：", gb.FANGSONG, gb.BODY)
            x.add_run(paragraph, printable(signer), gb.KAITI, gb.BODY)
            x.add_run(paragraph, "\t", gb.FANGSONG, gb.BODY)
        x.add_run(paragraph, printable(text), gb.FANGSONG, gb.BODY)
        if signer:
            x.right_tab(paragraph, gb.text_width_twips() / 20)
        else:
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def red_mark(self, text: str, below_top: float) -> None:
        """文件格式 and 纪要格式: the mark in red 小标宋, centred, its top ``below_top`` mm below the block's top,
        as large as fits one line (at most 小初 36 pt)."""
        size = gb.fitted_size(text, gb.BLOCK_WIDTH, 36)
        paragraph = self._paragraph(text, gb.XIAOBIAOSONG, size, gb.RED, align="center", line=size)
        paragraph.paragraph_format.space_before = Pt(below_top / 25.4 * 72)

    def centred(self, text: str, before_lines: int = 0) -> Any:
        """A centred body line (第N期, the 发文字号 of the 文件格式)."""
        return self._paragraph(text, align="center", before=before_lines * gb.LINE_PITCH / 20)

    def issuer_line(self, issuer: str, day: date) -> Any:
        """纪要格式: the issuer at the left and the date at the right of one line, in 3号, or as much smaller
        as a long issuer needs to share the line with the date (at least 4号; else the date goes under it)."""
        dated = chinese_date(day)
        needed = gb.no_wrap_width(issuer) + gb.no_wrap_width(dated) + 1
        size = min(gb.BODY, math.floor(gb.text_width_twips() / 20 / needed * 2) / 2)
        if size < gb.TABLE:
            self._paragraph(issuer)
            return self._paragraph(dated, align="right")
        paragraph = self._paragraph("", size=size)
        x.add_run(paragraph, f"{printable(issuer)}\t{dated}", gb.FANGSONG, size)
        x.right_tab(paragraph, gb.text_width_twips() / 20)
        return paragraph

    def last(self) -> Any:
        """The paragraph written last."""
        return self.doc.paragraphs[-1]

    def red_rule(self, paragraph: Any) -> None:
        """A red line the width of the block, 4 mm under ``paragraph`` (文件格式, 纪要格式)."""
        x.border(paragraph, "bottom", "single", 12, space=RULE_SPACE)

    def people(self, label: str, names: str) -> None:
        """``出席：`` in 黑体, two characters in, the names in 仿宋; wrapped lines start under the first name."""
        head = 2 + gb.em_width(label)
        paragraph = self._paragraph("", left=head * CHAR, first=-gb.em_width(label) * CHAR)
        x.add_run(paragraph, label, gb.HEITI, gb.BODY)
        x.add_run(paragraph, printable(names), gb.FANGSONG, gb.BODY)

    def signature(self, issuer: str, day: date) -> None:
        """The issuer and the date, placed for a seal: one blank line under the last paragraph (GB/T
        9704-2012 7.3.5.1: the seal's top within one line of the text; kept with it on its page), the date
        four characters from the right, the issuer centred above the date (at the right edge when it is the
        longer by more than eight characters)."""
        previous = self.doc.paragraphs[-1]
        previous.paragraph_format.keep_with_next = True
        self.blank(keep_next=True)
        dated = chinese_date(day)
        offset = 4 + (gb.em_width(dated) - gb.em_width(issuer)) / 2
        self._paragraph(issuer, align="right", right=max(offset, 0) * CHAR, keep_next=True)
        self._paragraph(dated, align="right", right=4 * CHAR)

    def cc(self, names: Sequence[str]) -> None:
        """版记: ``抄送：…。`` in 4号仿宋, one character in on both sides (wrapped lines start
        under the first name), between two lines. Not kept with the date above it: the chain that keeps
        the issuer and date on the page of the last paragraph stays short enough to fit there; no blank
        line above it, so that it still fits on that page as often as it can."""
        label = "抄送："
        indent = gb.em_width(label) * gb.TABLE
        paragraph = self._paragraph(
            f"{label}{'，'.join(names)}。", size=gb.TABLE, left=gb.TABLE + indent, right=gb.TABLE, first=-indent
        )
        for side in ("top", "bottom"):
            x.border(paragraph, side, "single", 8, space=4, color="000000")

    # --- tables ----------------------------------------------------------------------------------

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], centred: Sequence[int] = ()) -> None:
        """A table across the text block (156 mm) in 4号: fixed column widths (``column_widths``), the header
        in 黑体 and repeated on every page, rows never split over two pages; ``centred``: the columns whose
        cells are centred (numbers, dates)."""
        widths = column_widths(header, rows)
        grid = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid.autofit = False
        _fixed(grid, widths)
        for r, values in enumerate([header, *rows]):
            row = grid.rows[r]
            _row_flags(row, header=r == 0)
            for c, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                align = "center" if r == 0 or c in centred else "justify"
                x.layout(paragraph, align=align, line=TABLE_LINE)
                font = gb.HEITI if r == 0 else gb.FANGSONG
                x.mark_paragraph_font(paragraph, font, gb.TABLE)
                x.add_run(paragraph, printable(text, keep=""), font, gb.TABLE)
                _centre_vertically(cell)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[Any]:
    """Widths (twips, as python-docx Lengths) summing to the text block: a column whose longest text fits in
    a third of the block is as wide as that text (a date, a number, a unit never wraps); the others share
    the rest in proportion to their longest text. When that would leave them less than a quarter of the
    block (or there are none), every column is scaled alike."""
    from docx.shared import Twips

    em = gb.TABLE / 72 * 25.4
    natural = [
        max(gb.no_wrap_width(str(v)) for v in [title, *(row[i] for row in rows)]) * em + 2 * CELL_MARGIN + CELL_SLACK
        for i, title in enumerate(header)
    ]
    short = [w <= gb.BLOCK_WIDTH / 3 for w in natural]
    fixed = sum(w for w, s in zip(natural, short, strict=True) if s)
    long_total = sum(w for w, s in zip(natural, short, strict=True) if not s)
    total = gb.BLOCK_WIDTH
    if long_total == 0 or fixed > total * 0.75:  # only short columns, or no quarter left: scale them all
        scale = total / sum(natural)
        widths_mm = [w * scale for w in natural]
    else:
        widths_mm = [w if s else w / long_total * (total - fixed) for w, s in zip(natural, short, strict=True)]
    twips = [gb.mm_twips(w) for w in widths_mm]
    widest = twips.index(max(twips))
    twips[widest] += gb.text_width_twips() - sum(twips)
    return [Twips(t) for t in twips]


def _fixed(grid: Any, widths: list[Any]) -> None:
    """Fixed layout: the widths hold whatever the cells hold; the table spans the block, no wider."""
    tbl = grid._tbl
    props = tbl.tblPr  # python-docx wrote tblW, jc and (autofit off) tblLayout fixed
    width = props.find(qn("w:tblW"))
    width.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    width.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(gb.mm_twips(CELL_MARGIN)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    props.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w.twips)))


def _row_flags(row: Any, *, header: bool) -> None:
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _centre_vertically(cell: Any) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

"""Word documents in the customary official layout (GB/T 9704): A4, 仿宋 body, 小标宋 title, 黑体 table headers."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from laoxiao_cli.render.common import printable

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class OfficialDocument:
    def __init__(self) -> None:
        from docx import Document
        from docx.shared import Cm, Pt

        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(16)
        _set_font(normal.element, normal.font, BODY_FONT)
        normal.paragraph_format.line_spacing = Pt(28)
        normal.paragraph_format.space_after = Pt(0)

    def _paragraph(
        self, text: str, font: str, size: float, align: str | None = None, indent: bool = False, bold: bool = False
    ) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph()
        if align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(size * 2)
        run = paragraph.add_run(printable(text, keep="\t\n"))  # a docx file cannot hold the others
        run.font.size = Pt(size)
        run.bold = bold
        _set_font(run._element, run.font, font)
        return paragraph

    def title(self, text: str) -> None:
        from docx.shared import Pt

        paragraph = self._paragraph(text, TITLE_FONT, 22, align="center")
        paragraph.paragraph_format.space_after = Pt(16)
        paragraph.paragraph_format.line_spacing = Pt(36)

    def subtitle(self, text: str) -> None:
        self._paragraph(text, BODY_FONT, 16, align="center")

    def para(self, text: str, indent: bool = True) -> None:
        self._paragraph(text, BODY_FONT, 16, indent=indent)

    def blank(self) -> None:
        self._paragraph("", BODY_FONT, 16)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        from docx.shared import Pt

        grid = self.doc.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            self._cell(cell, text, HEADING_FONT, Pt(14))
        for row in rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                self._cell(cell, text, BODY_FONT, Pt(14))

    def _cell(self, cell: Any, text: str, font: str, size: Any) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.first_line_indent = None
        run = paragraph.add_run(printable(text, keep="\t\n"))
        run.font.size = size
        _set_font(run._element, run.font, font)

    def signature(self, org: str, day: date) -> None:
        self.blank()
        self._paragraph(org, BODY_FONT, 16, align="right")
        self._paragraph(chinese_date(day), BODY_FONT, 16, align="right")

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _set_font(element: Any, font: Any, name: str) -> None:
    """Set the Latin and the East Asian font (Word uses w:eastAsia for Chinese characters)."""
    from docx.oxml.ns import qn

    font.name = name
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)

"""The page of GB/T 9704-2012 (党政机关公文格式) in a python-docx document: A4 with its text block, the grid
of 22 lines × 28 characters, the fonts on every run, the red marks and lines, the page numbers.

Lengths are in millimetres and points as the standard gives them; Word stores twips (1/20 pt) and
eighths of a point (``mm_twips``, ``text_width_twips``). What was measured in LibreOffice's PDF (it prints
the documents here, with Noto CJK and DejaVu for the fonts it lacks) says so."""

from __future__ import annotations

import itertools
import math
from typing import Any

from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from laoxiao_cli.render import docx_xml as x

PAGE_WIDTH, PAGE_HEIGHT = 210, 297
TOP, BOTTOM, LEFT, RIGHT = 37, 35, 28, 26
"""Margins (mm): 天头 37, 订口 28; the text block is what is left, 156 × 225."""
BLOCK_WIDTH, BLOCK_HEIGHT = PAGE_WIDTH - LEFT - RIGHT, PAGE_HEIGHT - TOP - BOTTOM
LINES, CHARS = 22, 28

BODY = 16.0
"""3号: the body, 主送, signature, 发文字号."""
TITLE = 22.0
"""2号: the title."""
TABLE = 14.0
"""4号: table cells, 版记 (抄送), page numbers."""

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
RED = x.RED

CONDENSED = -8
"""Twips of character spacing on every run (Normal): 28 characters of 3号 are 158 mm, wider than the
156 mm block, so each is drawn 0.4 pt narrower (28 × 15.6 pt = 154 mm; LibreOffice sets only 27 to a line
at 0.25 pt narrower, measured). The grid (``char_space``) says 28 to Word, but LibreOffice gives a
character wider than the grid's pitch two cells (14 to a line), so the paragraphs do not snap to the grid:
the spacing, which both honour, makes the 28."""

LINE_PITCH = 579
"""Twips per line: 225 mm / 22 lines = 28.99 pt; 579 twips (28.95 pt) is the largest whole number of twips
that keeps 22 lines inside the block."""

MARK_TOP = 30
"""信函格式: the top edge of the issuer mark, mm from the top of the page."""
MARK_RULE_SPACE = 8
"""pt between the mark's line and the first red double line, which is to be 4 mm under the mark: with the
line as high as the mark's size, LibreOffice draws it 3.9 mm under the characters (measured: the
ideographs end a little above the line's bottom, and the border starts a little below the space)."""
BOTTOM_RULE = 20
"""信函格式: the second red double line, mm above the bottom edge of the page."""
RULE_LENGTH = 170
PAGE_NUMBER_GAP = 7
"""The page number's line is this many mm below the text block."""
FOOTER = BOTTOM_RULE - 0.5
"""The footer's distance from the bottom edge (mm): the second red line sits on it (its lower edge 20 mm above
the bottom edge, measured in LibreOffice's PDF); the page numbers are lifted."""


def mm_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def text_width_twips() -> int:
    """The text block's width as Word computes it from the page and the margins (each in whole twips)."""
    return mm_twips(PAGE_WIDTH) - mm_twips(LEFT) - mm_twips(RIGHT)


def char_space() -> int:
    """``w:charSpace`` (1/4096 pt added to the body's 16 pt) so that 28 characters fill the block's 156 mm:
    28 × 16 pt = 158 mm would not fit, so the pitch is a little less than the font size."""
    pitch = text_width_twips() / 20 / CHARS
    return math.floor((pitch - BODY) * 4096)


def char_pitch() -> float:
    """The grid's character pitch (pt)."""
    return BODY + char_space() / 4096


def char_width() -> float:
    """A 3号 character as drawn, condensed (pt)."""
    return BODY + CONDENSED / 20


WIDE_LATIN = 0.64
"""The width (em) to reserve for a digit or Latin letter where text must not wrap: half an em in 仿宋, 0.64 em
in DejaVu Sans, which LibreOffice prints them in where 仿宋_GB2312 is not installed."""
LATIN_GAP = 0.2
"""The space (em) Word and LibreOffice put between Chinese and Latin text (``2022 年 9 月``), measured in
LibreOffice's PDF (it ignores ``w:autoSpaceDE``, so the documents leave it on, as Word does by default)."""


def em_width(text: str, latin: float = 0.5, gap: float = 0.0) -> float:
    """How many characters of its size ``text`` is wide: CJK characters are square, ASCII ``latin``, and
    ``gap`` at every change between the two."""
    width = sum(latin if ch.isascii() else 1.0 for ch in text)
    changes = sum(1 for a, b in itertools.pairwise(text) if a.isascii() != b.isascii())
    return width + gap * changes


def no_wrap_width(text: str) -> float:
    """``em_width`` with room for the widest digits and the gaps around them: text that must stay on one line."""
    return em_width(text, WIDE_LATIN, LATIN_GAP)


def fitted_size(text: str, width_mm: float, largest: float) -> float:
    """The largest size (pt, whole or half points, at most ``largest``) at which ``text`` stays on one
    line ``width_mm`` wide, with a little room for the fonts the document will be printed with."""
    room = width_mm / 25.4 * 72 * 0.96
    return min(largest, math.floor(room / max(em_width(text), 1) * 2) / 2)


# --- the page ------------------------------------------------------------------------------------


def page(doc: Any, *, letter: bool) -> None:
    """A4, the margins, the grid, the default fonts, odd/even page numbers; a letter's first page has
    none (it carries the 信函 lines instead)."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.header_distance = Mm(MARK_TOP if letter else 15)
    section.footer_distance = Mm(FOOTER)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(char_space()))
    _defaults(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    section.different_first_page_header_footer = letter
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)


def _defaults(doc: Any) -> None:
    """docDefaults and Normal: 仿宋 3号, exact lines on the grid, no space after, Chinese as the language."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    x.set_fonts(rpr, FANGSONG)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(round(BODY * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH))
    spacing.set(qn("w:lineRule"), "exact")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY)
    rpr = normal.element.get_or_add_rPr()
    x.set_fonts(rpr, FANGSONG)
    x.condense(rpr, CONDENSED)
    x.off_grid(normal.element.get_or_add_pPr())
    fmt = normal.paragraph_format
    fmt.space_after = Pt(0)
    fmt.line_spacing, fmt.line_spacing_rule = Pt(LINE_PITCH / 20), WD_LINE_SPACING.EXACTLY


def _page_number(footer: Any, *, odd: bool) -> None:
    """``— N —`` in 4号宋体: odd pages at the right, even pages at the left, one character in from the edge;
    lifted so that its line starts ``PAGE_NUMBER_GAP`` mm below the text block."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = None
    lift = (BOTTOM - PAGE_NUMBER_GAP - FOOTER) / 25.4 * 72 - TABLE
    space = TABLE  # one 4号 character
    x.layout(
        paragraph,
        align="right" if odd else "left",
        line=TABLE,
        after=max(lift, 0),
        left=0 if odd else space,
        right=space if odd else 0,
    )
    x.mark_paragraph_font(paragraph, SONGTI, TABLE)
    x.add_run(paragraph, "— ", SONGTI, TABLE)
    _field(paragraph, "PAGE", "1")
    x.add_run(paragraph, " —", SONGTI, TABLE)


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A field (``PAGE``) as Word writes one: begin, the instruction, separate, the value shown, end."""
    for part in ("begin", "instr", "separate", "value", "end"):
        run = paragraph.add_run()
        x.style_run(run, SONGTI, TABLE)
        if part == "instr":
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = f" {instruction} "
            run._element.append(text)
        elif part == "value":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), part)
            run._element.append(char)


# --- 信函格式 ------------------------------------------------------------------------------------


def letterhead(doc: Any, issuer: str) -> None:
    """The first page of a letter: the issuer mark in red 小标宋 (its top edge ``MARK_TOP`` mm from the top)
    over a red double line, thick over thin, 4 mm below it; and a red double line, thin over thick,
    ``BOTTOM_RULE`` mm above the bottom edge. Both lines are 170 mm long, centred: borders of the first
    page's header and footer paragraphs, which reach 7 mm outside the text block on each side.

    Borders rather than anchored DrawingML lines: they stay put whatever the body holds, Word, WPS and
    LibreOffice draw them alike, and a clerk can see and change them in the header. Word's
    ``thickThinSmallGap`` puts the thick line on the text's side: under the mark thick over thin, over the
    footer thin over thick (as LibreOffice's PDF shows)."""
    section = doc.sections[0]
    overhang = (RULE_LENGTH - BLOCK_WIDTH) / 2 / 25.4 * 72
    head = section.first_page_header.paragraphs[0]
    head.style = None
    size = fitted_size(issuer, RULE_LENGTH, 36)
    x.layout(head, align="center", line=size, left=-overhang, right=-overhang)
    x.mark_paragraph_font(head, XIAOBIAOSONG, size)
    x.add_run(head, issuer, XIAOBIAOSONG, size, RED)
    x.border(head, "bottom", "thickThinSmallGap", 24, space=MARK_RULE_SPACE)
    foot = section.first_page_footer.paragraphs[0]
    foot.style = None
    x.layout(foot, align="center", line=1, left=-overhang, right=-overhang)
    x.mark_paragraph_font(foot, FANGSONG, 1)
    x.border(foot, "top", "thickThinSmallGap", 24)

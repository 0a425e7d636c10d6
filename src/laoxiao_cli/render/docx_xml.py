"""What python-docx has no words for, on runs and paragraphs: both fonts of a run, the font of a paragraph
mark, exact lines, borders, tab stops, and keeping a paragraph off the page's grid."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

RED = "FF0000"


def set_fonts(rpr: Any, font: str) -> None:
    """The Latin and the East Asian font of a run (Word uses ``w:eastAsia`` for Chinese characters)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), font)
    for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(key), None)


def add_run(paragraph: Any, text: str, font: str, size: float, color: str | None = None) -> Any:
    run = paragraph.add_run(text)
    style_run(run, font, size, color)
    return run


def style_run(run: Any, font: str, size: float, color: str | None = None) -> None:
    run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = RGBColor.from_string(color)
    set_fonts(run._element.get_or_add_rPr(), font)


def mark_paragraph_font(paragraph: Any, font: str, size: float) -> None:
    """The paragraph mark's own font: what an empty paragraph measures, and what Word gives new text."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    set_fonts(rpr, font)
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(round(size * 2)))
        rpr.append(element)


ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def layout(
    paragraph: Any,
    *,
    align: str = "justify",
    line: float | None = None,
    before: float = 0,
    after: float = 0,
    left: float = 0,
    right: float = 0,
    first: float = 0,
    keep_next: bool = False,
) -> None:
    """Alignment, exact line height (pt; None: single), space before and after (pt), indents (pt; ``first``
    negative for a hanging indent) and keep-with-next of one paragraph."""
    fmt = paragraph.paragraph_format
    fmt.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if line is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing, fmt.line_spacing_rule = Pt(line), WD_LINE_SPACING.EXACTLY
    fmt.left_indent, fmt.right_indent, fmt.first_line_indent = Pt(left), Pt(right), Pt(first)
    fmt.keep_with_next = keep_next
    fmt.widow_control = True


def _ppr_insert(paragraph: Any, element: Any, after_tags: tuple[str, ...]) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    old = ppr.find(element.tag)
    if old is not None:
        ppr.remove(old)
    ppr.insert_element_before(element, *after_tags)


_AFTER_PBDR = (
    *("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct"),
    *("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd"),
)
"""The children of ``w:pPr`` after ``w:pBdr`` up to ``w:snapToGrid``, in the schema's order."""
_AFTER_SNAP = (
    *("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc"),
    *("w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:rPr"),
)
"""The children of ``w:pPr`` after ``w:snapToGrid``."""


def border(paragraph: Any, side: str, style: str, eighths: int, space: int = 0, color: str = RED) -> None:
    """A line along one side of a paragraph (``style``: Word's ``single``, ``thickThinSmallGap``, …;
    ``eighths``: its width in 1/8 pt; ``space``: pt between the text and the line)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        _ppr_insert(paragraph, borders, (*_AFTER_PBDR, "w:snapToGrid", *_AFTER_SNAP))
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", style), ("w:sz", str(eighths)), ("w:space", str(space)), ("w:color", color)):
        line.set(qn(key), value)
    borders.append(line)


def right_tab(paragraph: Any, position_pt: float) -> None:
    """A right-aligned tab stop (the date at the right end of the 纪要's issuer line)."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(position_pt), WD_TAB_ALIGNMENT.RIGHT)


def off_grid(ppr: Any) -> None:
    """``w:snapToGrid`` off in a paragraph's (or a style's) properties."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, *_AFTER_SNAP)


def condense(rpr: Any, twips: int) -> None:
    """Character spacing (``w:spacing``, twips; negative: narrower) in a run's (or a style's) properties."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:lang")

"""Terminal tables that align Chinese text: box drawing, wrapping by display width, colours only when
the output is a terminal. Hand-written because rich's Table takes ~0.8 ms per row, which made a
district-sized `lx overdue` spend most of its time drawing (see benchmarks/RESULTS.md)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from laoxiao_cli.render.common import Screen, printable

STYLES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "magenta": "35",
    "bold red": "1;31",
    "bold magenta": "1;35",
    "bold green": "1;32",
}


@dataclass(frozen=True, slots=True)
class Col:
    header: str
    right: bool = False
    wrap: bool = True


Cell = str | tuple[str, str]
"""Text, or (text, style name)."""


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


@lru_cache(maxsize=1 << 16)
def width(text: str) -> int:
    """Display columns of ``text`` (remembered: a big table measures the same names and dates again and
    again, each cell three times)."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def paint(text: str, style: str, screen: Screen) -> str:
    """``text`` in ``style`` on a styled screen (each line on its own), else ``text`` as it is."""
    code = STYLES.get(style)
    if not (screen.styled and code and text):
        return text
    return "\n".join(f"\x1b[{code}m{line}\x1b[0m" if line else line for line in text.split("\n"))


def _wrap(text: str, limit: int) -> list[str]:
    if "\n" not in text and width(text) <= limit:
        return [text]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, used = "", 0
        for char in paragraph:
            w = char_width(char)
            if used + w > limit and current:
                lines.append(current)
                current, used = "", 0
            current += char
            used += w
        lines.append(current)
    return lines


def _widest(text: str) -> int:
    """Display columns of the widest line of ``text``."""
    return width(text) if "\n" not in text else max(map(width, text.split("\n")))


def fold(text: str, screen: Screen) -> str:
    """A line of text wrapped to the screen's width (for the lines around a table)."""
    return "\n".join(_wrap(printable(text), screen.width))


NARROWEST_COLUMN = 6
"""Three Chinese characters: a table whose columns cannot all be this wide is shown row by row instead."""


def _fit(natural: list[int], columns: Sequence[Col], available: int) -> list[int] | None:
    """Column widths whose sum is at most ``available``: first the wrapping columns give way down to their
    header (at least 6), then every column (headers wrap too) down to 6; None when even that is too wide."""
    widths = list(natural)
    soft = [max(NARROWEST_COLUMN, width(c.header)) if c.wrap else w for c, w in zip(columns, natural, strict=True)]
    hard = [min(w, NARROWEST_COLUMN) for w in natural]
    for floor in (soft, hard):
        while sum(widths) > available:
            candidates = [i for i, w in enumerate(widths) if w > floor[i]]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths if sum(widths) <= available else None


def _title_lines(title: str | None, total: int, screen: Screen) -> list[str]:
    if not title:
        return []
    if width(title) > screen.width:
        return _wrap(title, screen.width)
    pad = max(0, (total - width(title)) // 2)
    return [" " * pad + title]


def _stacked(columns: Sequence[Col], cells: list[list[tuple[str, str]]], screen: Screen, title: str | None) -> str:
    """A screen too narrow for the table's columns: each row as ``header：value`` lines."""
    out = _title_lines(title, screen.width, screen)
    rule = "─" * screen.width
    for row in cells:
        out.append(rule)
        for col, (text, style) in zip(columns, row, strict=True):
            for piece in _wrap(f"{col.header}：{text}", screen.width):
                out.append(paint(piece, style, screen))
    out.append(rule)
    return "\n".join(out) + "\n"


def grid(
    columns: Sequence[Col],
    rows: Sequence[Sequence[Cell]],
    screen: Screen,
    title: str | None = None,
    lines_between: bool = False,
) -> str:
    """A table no wider than ``screen.width`` (wrapping cells, headers too, where it must); control
    characters in the text are shown as U+FFFD, never sent to the terminal."""
    cells = [[(printable(c[0]), c[1]) if isinstance(c, tuple) else (printable(c), "") for c in row] for row in rows]
    title = printable(title) if title else title
    measured = [[_widest(text) for text, _ in row] for row in cells]  # each cell's widest line, once
    natural = [width(col.header) for col in columns]
    for i, column in enumerate(zip(*measured, strict=True)):
        natural[i] = max(natural[i], *column)
    fitted = _fit(natural, columns, screen.width - 3 * len(columns) - 1)
    if fitted is None:
        return _stacked(columns, cells, screen, title)
    widths = fitted

    def line(left: str, fill: str, cross: str, right: str) -> str:
        return left + cross.join(fill * (w + 2) for w in widths) + right

    right = [c.right for c in columns]

    def render_row(
        values: Sequence[tuple[str, str]], bar: str, header: bool = False, sizes: Sequence[int] = ()
    ) -> list[str]:
        if sizes and not screen.styled:  # most rows: one line, every cell within its column
            parts = []
            for (text, _), used, w, r in zip(values, sizes, widths, right, strict=True):
                if used > w or "\n" in text:
                    break
                parts.append(f" {' ' * (w - used)}{text} " if r else f" {text}{' ' * (w - used)} ")
            else:
                return [bar + bar.join(parts) + bar]
        wrapped = [_wrap(text, widths[i]) for i, (text, _) in enumerate(values)]
        height = max(len(w) for w in wrapped)
        out = []
        for n in range(height):
            parts = []
            for i, (_, style) in enumerate(values):
                lines = wrapped[i]
                text = lines[n] if n < len(lines) else ""
                pad = " " * (widths[i] - width(text))  # (a line wider than its column, one wide character: no pad)
                shown = paint(text, "bold" if header else style, screen) if screen.styled else text
                parts.append(f" {pad}{shown} " if right[i] else f" {shown}{pad} ")
            out.append(bar + bar.join(parts) + bar)
        return out

    out = _title_lines(title, sum(widths) + 3 * len(widths) + 1, screen)
    out.append(line("┏", "━", "┳", "┓"))
    out += render_row([(c.header, "") for c in columns], "┃", header=True)
    out.append(line("┡", "━", "╇", "┩"))
    for n, (row, sizes) in enumerate(zip(cells, measured, strict=True)):
        if lines_between and n:
            out.append(line("├", "─", "┼", "┤"))
        out += render_row(row, "│", sizes=sizes)
    out.append(line("└", "─", "┴", "┘"))
    return "\n".join(out) + "\n"

"""Terminal tables that align Chinese text: box drawing, wrapping by display width, colours only when
the output is a terminal. Hand-written because rich's Table takes ~0.8 ms per row, which made a
district-sized `lx overdue` spend most of its time drawing (see benchmarks/RESULTS.md)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from laoxiao_cli.render.common import Screen

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


def width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def paint(text: str, style: str, screen: Screen) -> str:
    code = STYLES.get(style)
    return f"\x1b[{code}m{text}\x1b[0m" if screen.styled and code and text else text


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


def _fit(natural: list[int], columns: Sequence[Col], available: int) -> list[int]:
    widths = list(natural)
    while sum(widths) > available:
        candidates = [i for i, c in enumerate(columns) if c.wrap and widths[i] > max(6, width(c.header))]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def grid(
    columns: Sequence[Col],
    rows: Sequence[Sequence[Cell]],
    screen: Screen,
    title: str | None = None,
    lines_between: bool = False,
) -> str:
    cells = [[c if isinstance(c, tuple) else (c, "") for c in row] for row in rows]
    natural = [
        max([width(col.header)] + [width(line) for row in cells for line in row[i][0].split("\n")])
        for i, col in enumerate(columns)
    ]
    widths = _fit(natural, columns, max(20, screen.width - 3 * len(columns) - 1))

    def line(left: str, fill: str, cross: str, right: str) -> str:
        return left + cross.join(fill * (w + 2) for w in widths) + right

    def render_row(values: Sequence[tuple[str, str]], bar: str, header: bool = False) -> list[str]:
        wrapped = [_wrap(text, widths[i]) if columns[i].wrap else [text] for i, (text, _) in enumerate(values)]
        height = max(len(w) for w in wrapped)
        out = []
        for n in range(height):
            parts = []
            for i, (_, style) in enumerate(values):
                text = wrapped[i][n] if n < len(wrapped[i]) else ""
                pad = " " * max(0, widths[i] - width(text))
                shown = paint(text, "bold" if header else style, screen)
                parts.append(f" {pad}{shown} " if columns[i].right else f" {shown}{pad} ")
            out.append(bar + bar.join(parts) + bar)
        return out

    out: list[str] = []
    total = sum(widths) + 3 * len(widths) + 1
    if title:
        pad = max(0, (total - width(title)) // 2)
        out.append(" " * pad + title)
    out.append(line("┏", "━", "┳", "┓"))
    out += render_row([(c.header, "") for c in columns], "┃", header=True)
    out.append(line("┡", "━", "╇", "┩"))
    for n, row in enumerate(cells):
        if lines_between and n:
            out.append(line("├", "─", "┼", "┤"))
        out += render_row(row, "│")
    out.append(line("└", "─", "┴", "┘"))
    return "\n".join(out) + "\n"

"""Help in Chinese: the command classes of `lx` write "用法/选项/命令" and a Chinese help option.

Typer's plain (non-rich) help is used because rendering help with rich costs more than importing
Typer itself (see benchmarks/RESULTS.md); these classes only rename its headings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from typer._click.core import Context
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


_EXTRA = (("[required]", "[必填]"), ("[default: ", "[默认："))
"""Click's English notes after an option's help, said in Chinese."""


class LxFormatter(HelpFormatter):
    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        def chinese(text: str) -> str:
            for english, said in _EXTRA:
                text = text.replace(english, said)
            return text

        super().write_dl([(term, chinese(text)) for term, text in rows], col_max, col_spacing)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：" if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(HEADINGS.get(name, name)):
            yield


class LxContext(Context):
    formatter_class = LxFormatter


def first_sentence(text: str | None) -> str:
    """A command's help up to the end of its first sentence (the first "。"), on one line."""
    paragraph = " ".join((text or "").strip().split("\n\n", 1)[0].split())
    end = paragraph.find("。")
    return paragraph[: end + 1] if end >= 0 else paragraph


def summary(text: str | None, limit: int) -> str:
    """The line a command list shows for a command: its first sentence, cut to ``limit`` columns (a
    Chinese character takes two) with "…". Click's own shortening cuts at spaces, which Chinese text has
    none of, and so showed a bare "..." for a long first sentence."""
    sentence = first_sentence(text)
    if _columns(sentence) <= limit:
        return sentence
    kept, width = [], 0
    for char in sentence:
        width += _columns(char)
        if width > limit - 1:  # room for the "…"
            break
        kept.append(char)
    return "".join(kept) + "…"


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _chinese_help_option(option: Any) -> Any:
    if option is not None:
        option.help = "显示此帮助并退出。"
    return option


class LxCommand(TyperCommand):
    context_class = LxContext

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return summary(self.short_help or self.help, limit)


class HelpGroup(TyperGroup):
    context_class = LxContext

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return summary(self.short_help or self.help, limit)

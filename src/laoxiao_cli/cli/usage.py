"""Click's usage errors, said in Chinese like everything else lx prints (exit 2)."""

from __future__ import annotations

import re
from typing import Any

from typer._click import exceptions as click_errors

_PATTERNS = [
    (re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.+)\.$"), "值“{value}”无效，应为以下之一：{choices}"),
    (re.compile(r"^'(?P<value>.*)' is not a valid integer\.?$"), "值“{value}”不是整数"),
    (re.compile(r"^'(?P<value>.*)' is not a valid float\.?$"), "值“{value}”不是数字"),
    (re.compile(r"^'(?P<value>.*)' is not a valid boolean\.?$"), "值“{value}”不是 true/false"),
    (re.compile(r"^Input should be a valid integer\b.*$", re.S), "值应为整数"),  # newer Typer/Click wording
    (re.compile(r"^Input should be a valid number\b.*$", re.S), "值应为数字"),
    (re.compile(r"^Input should be a valid boolean\b.*$", re.S), "值应为 true 或 false"),
    (
        re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((?P<value>.*)\)$"),
        "多余的参数：{value}（含空格的值请加引号）",
    ),
    (re.compile(r"^No such command '(?P<value>.*)'\.$"), "没有命令“{value}”"),
    (
        re.compile(r"^No such command '(?P<value>.*)'\. Did you mean (?P<close>.+)\?$"),
        "没有命令“{value}”，是否想用 {close}？",
    ),
    (re.compile(r"^Option '(?P<value>.*)' requires an argument\.$"), "选项 {value} 后面需要一个值"),
    (re.compile(r"^Option '(?P<value>.*)' does not take a value\.$"), "选项 {value} 不带值"),
    (re.compile(r"^Missing command\.$"), "缺少命令"),
]


def _choices(text: str) -> str:
    return "、".join(part.strip().strip("'") for part in re.split(r", | or ", text) if part.strip())


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "argument":
        shown = getattr(param, "metavar", None) or str(getattr(param, "name", "") or "").upper()
        return f"参数 {shown}"
    return " / ".join(opts) or str(getattr(param, "name", ""))


def message(exc: click_errors.UsageError) -> str:
    """The Chinese message of one usage error."""
    if isinstance(exc, click_errors.MissingParameter):
        name = _param_name(exc.param)
        if not name:
            return "缺少必需的参数"
        return f"缺少必需的{name}" if name.startswith("参数") else f"缺少必需的选项 {name}"
    if isinstance(exc, click_errors.NoSuchOption):
        close = sorted(exc.possibilities or [])
        hint = f"，是否想用 {'、'.join(close)}？" if close else ""
        return f"没有选项 {exc.option_name}{hint}"
    text = re.sub(r"^(Value error, |Invalid value(?: for '[^']*')?: )", "", exc.message)
    for pattern, template in _PATTERNS:
        found = pattern.match(text)
        if found:
            values = found.groupdict()
            for name in ("choices", "close"):
                if name in values:
                    values[name] = _choices(values[name])
            said = template.format(**values)
            where = _param_name(getattr(exc, "param", None))
            return f"{where} 的{said}" if where and said.startswith("值") else said
    where = _param_name(getattr(exc, "param", None))  # lx's own parameter checks speak Chinese already
    return f"{where}：{text}" if where and where not in text else text


def show(exc: click_errors.UsageError, write: Any) -> None:
    """Usage line, the message and where to find help: Click's layout, in Chinese."""
    ctx = exc.ctx
    if ctx is not None:
        write(ctx.get_usage() + "\n")
        command = ctx.command_path
        write(f"运行 {command} -h 查看帮助。\n")
    write(f"用法错误：{message(exc)}\n")

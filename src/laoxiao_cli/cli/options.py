"""The options several commands share, each spelled once: their names, parameter types and help."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import typer

from laoxiao_cli.cli.params import DateType, Formats, MonthType, path_value


def data_path(value: str) -> Path:
    """``--data``: a folder; an empty or blank value is refused (``Path("")`` would silently mean ``.``)."""
    if not value.strip():
        raise typer.BadParameter("不能为空：请给出数据文件夹（含 group.yaml 的 data/）")
    return path_value(value)


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        metavar="<path>",
        parser=data_path,
        help="数据文件夹（含 group.yaml）；默认取环境变量 LX_DATA，或从当前目录向上查找 data/。",
    ),
]
ContactsOpt = Annotated[
    bool,
    typer.Option("--with-contacts", help="在导出内容中包含联络员等人员的电话和邮箱（默认不含，保护个人信息）。"),
]
AsOfOpt = Annotated[
    date | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD", parser=DateType(), help="按哪一天计算（默认今天，北京时间）。"),
]
AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="REV",
        help="读取某一版本提交的数据（提交、标签、分支、HEAD~3，或日期 YYYY-MM-DD：当天结束前的最后一次提交），"
        "不改动工作区；给日期而未给 --as-of 时按该日计算。",
    ),
]
UnitOpt = Annotated[
    str | None, typer.Option("--unit", "-u", help="只看某单位：编号、名称或别名（如 minzheng、区民政局）。")
]
OutputOpt = Annotated[Path | None, typer.Option("-o", "--output", parser=path_value, help="写入文件而不是屏幕。")]


def month_option(help: str) -> Any:
    """``--month YYYY-MM``."""
    return typer.Option("--month", "-m", metavar="YYYY-MM", parser=MonthType(), help=help)


def date_option(name: str, help: str) -> Any:
    """A ``YYYY-MM-DD`` option other than ``--as-of``."""
    return typer.Option(name, metavar="YYYY-MM-DD", parser=DateType(), help=help)


VIEW_FORMATS = {"status": ("table", "json", "markdown"), "overdue": ("table", "json", "markdown", "csv", "xlsx")}
"""The formats of the views the cache remembers (``cli/common.read_view``), written out: a view answered
from the cache then imports no render module and no rules (~30 ms of a warm `lx status`); a test checks
them against the modules' ``FORMATS``."""


def format_option(renderer: str, help: str) -> Any:
    """``--format``/``-f``: one of the formats of ``render/<renderer>.py`` (its ``FORMATS`` keys)."""
    formats = Formats(f"laoxiao_cli.render.{renderer}", VIEW_FORMATS.get(renderer))
    # the metavar is the Formats itself: Typer puts it in an f-string, so the module is read only for help
    return typer.Option("--format", "-f", parser=formats, metavar=cast(str, formats), help=help)


# --- the options of every writing command (spec 8.1) ----------------------------------------------

DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只显示将要做的修改（新文件或差异），不写任何文件。")]
NoCommitOpt = Annotated[bool, typer.Option("--no-commit", help="写入文件但不提交（不检查未提交的修改）。")]
WriteFormatOpt = Annotated[
    Literal["text", "json"], typer.Option("--format", "-f", help="输出：text，或 json（提交、写入的文件、记录编号）。")
]

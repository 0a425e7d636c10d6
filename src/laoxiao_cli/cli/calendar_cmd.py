"""`lx calendar init YYYY`: a year's working-day calendar file (spec 6.4) from the chinese-calendar package."""

from __future__ import annotations

from typing import Annotated

import typer

from laoxiao_cli.cli.common import WriteFlags, recording, report
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import DataOpt, DryRunOpt, NoCommitOpt, WriteFormatOpt
from laoxiao_cli.cli.settings import Settings
from laoxiao_cli.model.years import YEAR_RULE, year_ok

app = typer.Typer(
    cls=HelpGroup,
    rich_markup_mode=None,
    help="工作日历：lx calendar init YYYY 按国务院节假日安排生成 data/calendar/YYYY.yaml（计算工作日用）。",
    no_args_is_help=True,
)


def year_value(value: str) -> int:
    """A year within the years lx works in."""
    text = value.strip()
    if not (len(text) == 4 and text.isdigit()) or not year_ok(int(text)):
        raise typer.BadParameter(f"“{value}”不是年份：应为四位数字，如 2023（{YEAR_RULE}）")
    return int(text)


@app.command(cls=LxCommand, name="init")
def init(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(metavar="YYYY", parser=year_value, help="年份，如 2023。", show_default=False)],
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """按 chinese-calendar 软件包收录的国务院节假日安排，生成该年的工作日历文件并提交。

    文件列出周一至周五的法定节假日（holidays）和周末调休上班日（workdays）；已有文件时不覆盖，
    软件包没有该年数据时拒绝（请按国务院办公厅当年的通知手工填写）。"""
    from laoxiao_cli.domain.workdays import package_source, package_year
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.repo import yamlio

    settings = Settings.read(ctx, data)
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        path = w.path("calendar", str(year))
        if path.exists():
            raise LxError(f"{w.rel(path)} 已存在：不覆盖已有的工作日历")
        days = package_year(year)
        if days is None:
            raise LxError(
                f"chinese-calendar 软件包没有 {year} 年的节假日安排：请按国务院办公厅关于 {year} 年部分节假日安排的通知"
                f"手工填写 {w.rel(path)}（year、source、holidays、workdays）"
            )
        holidays, workdays = days
        source = f"国务院办公厅关于{year}年部分节假日安排的通知（据 {package_source()} 的数据）"
        record = {"year": year, "source": source, "holidays": sorted(holidays), "workdays": sorted(workdays)}
        header = (
            f"# {year} 年工作日历：由 lx calendar init 按 {package_source()} 收录的国务院节假日安排生成。\n"
            "# holidays：周一至周五中放假的日期；workdays：周六、周日中调休上班的日期。请与当年通知核对。\n"
        )
        w.put(path, (header + yamlio.dump(record)).encode("utf-8"))
        w.message = f"数据: 新增 {year} 年工作日历"
    text = None if dry_run else f"已生成 {w.rel(path)}（节假日 {len(holidays)} 天，调休上班 {len(workdays)} 天）\n"
    report(w, flags, text)

"""`lx calendar`: the office's dates as an RFC 5545 calendar (spec 11.5); `lx calendar init YYYY`: a year's
working-day calendar file (spec 6.4) from the chinese-calendar package."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laoxiao_cli.cli.common import WriteFlags, read_data, recording, report, write_output
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import AsOfOpt, AtOpt, DataOpt, DryRunOpt, NoCommitOpt, UnitOpt, WriteFormatOpt
from laoxiao_cli.cli.settings import Settings
from laoxiao_cli.model.years import YEAR_RULE, year_ok

app = typer.Typer(
    cls=HelpGroup,
    rich_markup_mode=None,
    no_args_is_help=False,
)

IcsOutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="FILE.ics", help="写入日历文件（如 日程.ics）而不是屏幕；-o - 为标准输出。"),
]


@app.callback(invoke_without_command=True)
def calendar(
    ctx: typer.Context,
    out: IcsOutOpt = None,
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """日程与工作日历：导出 .ics 日程（任务、节点、月报、会议、函件回复）；init YYYY 生成工作日历文件。

    lx calendar（不带子命令）导出日程（RFC 5545 .ics，可导入手机、Outlook、钉钉等日历）：在办任务的截止日期（含已批准的延期）、未完成的任务节点、本月起 12 个月的月报报送截止日、计划召开的会议、待回复函件的回复期限，每项为全天日程，前一天 9:00 提醒。每项日程的编号（UID）固定，再次导入同一日历时更新原有日程（如延期后移到新日期），不会重复。

    lx calendar init YYYY 按国务院节假日安排生成 data/calendar/YYYY.yaml（计算工作日用），见 lx calendar init --help。"""
    if ctx.invoked_subcommand is not None:
        given = {"-o": out, "--unit": unit, "--as-of": as_of, "--at": at, "--data": data}
        _no_export_options(ctx.invoked_subcommand, [name for name, value in given.items() if value is not None])
        return
    from laoxiao_cli.domain.deadlines import deadlines
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.render.ics import ics

    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    ds = read_data(settings)
    unit_id = resolve_unit(ds, unit) if unit is not None else None
    result = deadlines(ds, day, unit_id)
    for missing in result.unknown:
        typer.echo(
            f"注意：{missing.year} 年的节假日安排尚未录入，该年的月报报送截止日未列入日程："
            f"请添加 {missing.path}（lx calendar init {missing.year}，或按国务院办公厅的通知手工填写）",
            err=True,
        )
    payload = ics(result, settings.view(ds))
    if out is None or str(out) == "-":
        write_output(payload, None)
        return
    from laoxiao_cli.repo import outputs

    outputs.write(out, payload)
    typer.echo(f"已生成 {out}（{len(result.items)} 个日程）", err=True)


def _no_export_options(command: str, given: list[str]) -> None:
    """The export's options before a subcommand (`lx calendar --as-of D init 2024`) would be ignored: refused."""
    if given:
        from laoxiao_cli.errors import UsageError

        raise UsageError(
            f"{'、'.join(given)} 是导出日程的选项，不能写在子命令 {command} 之前"
            f"（子命令的选项写在它之后，如 lx calendar {command} --help）"
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

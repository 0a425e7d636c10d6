"""`lx reports`: who has and has not reported for a month; `lx reports new`: a report to fill in."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.common import WriteFlags, emit, read_data, recording, report
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import AsOfOpt, DataOpt, DryRunOpt, format_option, month_option
from laoxiao_cli.cli.settings import Settings

app = typer.Typer(
    cls=HelpGroup,
    rich_markup_mode=None,
    help="月报：查看各单位报送情况；lx reports new 生成月报模板。",
    no_args_is_help=False,
)


@app.callback(invoke_without_command=True)
def reports(
    ctx: typer.Context,
    month: Annotated[str | None, month_option("哪个月（默认：截至当天已到报送期限的最近一个月）。")] = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[str, format_option("reports", "输出格式：table、json 或 markdown。")] = "table",
    data: DataOpt = None,
) -> None:
    """某月各单位月报报送情况（已报送/逾期报送/未报送），以及当月反映的困难和建议。"""
    if ctx.invoked_subcommand is not None:
        return
    from laoxiao_cli.domain.reports import default_month, month_reports
    from laoxiao_cli.render import reports as render

    settings = Settings.read(ctx, data)
    day = settings.as_of(as_of)
    ds = read_data(settings)
    emit(month_reports(ds, month or default_month(ds, day), day), render.FORMATS, fmt, settings.view(ds))


@app.command(cls=LxCommand, name="new")
def new(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option("--unit", "-u", help="单位：编号、名称或别名。")],
    month: Annotated[str, month_option("报告月份。")],
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    fmt: Annotated[
        Literal["text", "json"],
        typer.Option(
            "--format",
            "-f",
            help='输出：text，或 json（{"commit": null, "files", "ids"}：模板不提交，commit 总是 null）。',
        ),
    ] = "text",
    data: DataOpt = None,
) -> None:
    """生成一份月报模板：预填本单位的在办任务和联络员姓名，每个字段上方注明应填写的内容。不覆盖已有月报。

    模板不是月报（报送日期为空），所以只写文件、不提交：联络员填写后运行 lx save 提交（会先校验）。
    """
    from laoxiao_cli.domain import rules
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.model.messages import UNFILLED
    from laoxiao_cli.repo.scaffold import report_scaffold

    settings = Settings.read(ctx, data)
    day = settings.as_of(as_of)
    # a scaffold is not a report (spec 6.8): written through the writer (locked, journaled, validated with
    # its one allowed finding) but never committed, so a dirty tree is no reason to refuse it
    flags = WriteFlags(dry_run, no_commit=True, fmt=fmt)
    with recording(settings, flags) as w:
        ds = w.dataset
        unit_id = resolve_unit(ds, unit)
        today = settings.today()
        if f"{month}-01" < ds.group.started.isoformat():
            raise LxError(f"{month} 早于专班成立（{ds.group.started}）：这个月不需要月报")
        if month > today.isoformat()[:7]:
            raise LxError(f"{month} 还没有到（今天是 {today}）：只能为本月或以前的月份生成月报模板")
        path = w.path("report", (month, unit_id))
        if path.exists():
            raise LxError(f"{w.rel(path)} 已存在：不覆盖已有月报")
        record = ds.units[unit_id]
        tasks = [(t.id, t.title) for t in ds.tasks_by_unit.get(unit_id, []) if rules.is_open(t, day)]
        by = record.liaison.name if record.liaison else None
        w.put(path, report_scaffold(unit_id, record.name, month, by, tasks).encode("utf-8"))
        w.allow(path, UNFILLED)
        w.message = f"月报: 模板 {month}/{unit_id}"
    if dry_run or fmt == "json":
        report(w, flags)
        return
    typer.echo(f"已生成 {w.rel(path)}（{len(tasks)} 项在办任务）。请填写后运行 lx save 提交（会先校验）。")

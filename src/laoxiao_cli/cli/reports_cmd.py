"""`lx reports`: who has and has not reported for a month; `lx reports new`: a report to fill in;
`lx reports form` / `lx reports import`: the monthly report forms sent out as xlsx and read back (spec 10.1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from laoxiao_cli.cli.common import WriteFlags, emit, read_data, recording, report, write_output
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import (
    AsOfOpt,
    AtOpt,
    DataOpt,
    DryRunOpt,
    NoCommitOpt,
    WriteFormatOpt,
    date_option,
    format_option,
    month_option,
)
from laoxiao_cli.cli.params import path_value
from laoxiao_cli.cli.settings import Settings

if TYPE_CHECKING:
    from laoxiao_cli.domain.report_form import Filled
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.repo import Write

app = typer.Typer(
    cls=HelpGroup,
    rich_markup_mode=None,
    help="月报：查看各单位报送情况；lx reports new 生成月报模板；lx reports form / import 发出和导入月报表（xlsx）。",
    no_args_is_help=False,
)


@app.callback(invoke_without_command=True)
def reports(
    ctx: typer.Context,
    month: Annotated[str | None, month_option("哪个月（默认：截至当天已到报送期限的最近一个月）。")] = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[str, format_option("reports", "输出格式：table、json 或 markdown。")] = "table",
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """某月各单位月报报送情况（已报送/逾期报送/未报送），以及当月反映的困难和建议。"""
    if ctx.invoked_subcommand is not None:
        return
    from laoxiao_cli.domain.reports import default_month, month_reports
    from laoxiao_cli.render import reports as render

    settings = Settings.read(ctx, data, at)
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
    from laoxiao_cli.domain.units import not_a_group, resolve_unit
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.model.messages import UNFILLED
    from laoxiao_cli.repo.scaffold import report_scaffold

    settings = Settings.read(ctx, data)
    day = settings.as_of(as_of)
    # a scaffold is not a report (spec 6.8): written through the writer (locked, journaled, validated with
    # its one allowed finding) but never committed, so a dirty tree is no reason to refuse it
    flags = WriteFlags(dry_run, no_commit=True, fmt=fmt)
    with recording(settings, flags) as w:
        ds = _with_scaffolds(w, UNFILLED)
        unit_id = not_a_group(ds, resolve_unit(ds, unit), "月报由各成员单位分别报送")
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


FormOutOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        parser=path_value,
        help="写入的文件（默认：当前文件夹下的 月报-<单位名称>-<月份>.xlsx）；配合 --all 时为文件夹。",
    ),
]


@app.command(cls=LxCommand, name="form")
def form(
    ctx: typer.Context,
    month: Annotated[str, month_option("报告月份。")],
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="单位：编号、名称或别名。")] = None,
    all_units: Annotated[
        bool, typer.Option("--all", help="为这个月应报送月报的每个单位各生成一份（须用 -o 指定文件夹）。")
    ] = False,
    out: FormOutOpt = None,
    data: DataOpt = None,
) -> None:
    """生成月报表（xlsx）：预填单位、联络员、本单位牵头或配合的在办任务及上次进度。

    联络员在 Excel 或 WPS 中填写浅黄色的格子（其余格子已锁定）后发回，专班办公室用 lx reports import 一次导入。
    """
    from laoxiao_cli.domain.report_form import form as form_of
    from laoxiao_cli.domain.report_form import owing_units
    from laoxiao_cli.domain.units import not_a_group, resolve_unit
    from laoxiao_cli.errors import LxError, UsageError
    from laoxiao_cli.render import report_form as sheet

    if all_units == (unit is not None):
        raise UsageError("请用 --unit 指定一个单位，或用 --all 为每个应报送的单位各生成一份（二者选一）")
    if all_units and out is None:
        raise UsageError("--all 须用 -o 指定输出文件夹，如 -o 月报表")
    settings = Settings.read(ctx, data)
    ds = read_data(settings)
    today = settings.today()
    if f"{month}-01" < ds.group.started.isoformat():
        raise LxError(f"{month} 早于专班成立（{ds.group.started}）：这个月不需要月报")
    if month > today.isoformat()[:7]:
        raise LxError(f"{month} 还没有到（今天是 {today}）：只能为本月或以前的月份生成月报表")
    if not all_units:
        assert unit is not None
        unit_id = not_a_group(ds, resolve_unit(ds, unit), "月报表按成员单位分别生成（或用 --all）")
        if unit_id not in owing_units(ds, month):
            raise LxError(f"{ds.units[unit_id].name}（{unit_id}）{month} 不需要报送月报")
        made = form_of(ds, unit_id, month)
        write_output(sheet.workbook(made), out or Path(sheet.file_name(made)))
        return
    assert out is not None
    forms = [form_of(ds, unit_id, month) for unit_id in owing_units(ds, month)]
    if not forms:
        raise LxError(f"{month} 没有单位需要报送月报")
    if out.exists() and not out.is_dir():
        raise LxError(f"{out} 不是文件夹：--all 的 -o 应为文件夹（不存在时会新建）")
    from laoxiao_cli.repo import outputs

    written = {out / sheet.file_name(made): sheet.workbook(made) for made in forms}
    outputs.write_all(written)
    for path in written:
        typer.echo(f"已写入 {path}", err=True)
    typer.echo(f"已生成 {len(forms)} 份 {month} 月报表（每个应报送月报的单位一份），在 {out}", err=True)


def _with_scaffolds(w: Write, unfilled: str) -> Dataset:
    """The data under the lock, where other scaffolds not filled in yet (their one finding, spec 6.8) are
    no reason to refuse a new one: the office prepares several units' scaffolds, a liaison two months'.
    Any other finding refuses, as for every writing command."""
    loaded = w.loaded
    scaffolds = [f for f in loaded.findings if f.message.startswith(unfilled)]
    if not loaded.findings or len(scaffolds) < len(loaded.findings) or loaded.dataset is None:
        return w.dataset
    for finding in scaffolds:
        w.allow(w.root / finding.file, unfilled)
    return loaded.dataset


@app.command(cls=LxCommand, name="import")
def import_forms(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE…", parser=path_value, help="填好的月报表（.xlsx），可一次给出多份。")
    ],
    replace: Annotated[bool, typer.Option("--replace", help="用月报表替换已有的月报（默认拒绝）。")] = False,
    received: Annotated[
        date | None,
        date_option(
            "--received",
            "专班办公室收到月报表的日期（默认今天，不能晚于今天；--replace 时也记为这一天）：按它判断是否逾期报送。",
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """导入填好的月报表：每份写入 data/reports/<月份>/<单位编号>.yaml，校验整个仓库后一次提交。

    每份月报记下收到日期（received：默认导入当天，或 --received 指定的日期），是否逾期报送按收到日期判断。
    任何一份有问题，就列出所有文件的所有问题（文件!单元格：问题），不写入任何文件。
    """
    from laoxiao_cli.domain.report_form import report_of
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.repo import yamlio

    settings = Settings.read(ctx, data)
    today = settings.today()
    if received is not None and received > today:
        raise LxError(f"收到日期 {received} 晚于今天（{today}）：还没有发生的事不能记录")
    read = [(str(path), path.resolve(), _read_form(path)) for path in files]
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        ds = w.dataset
        problems: list[str] = []
        seen: dict[tuple[str, str], str] = {}
        given: dict[Path, str] = {}
        names: list[str] = []
        for name, real, filled in read:
            if real in given:
                problems.append(f"{name}: 这个文件在命令中出现了两次（同一份月报只导入一次）")
                continue
            given[real] = name
            if isinstance(filled, str):
                problems.append(f"{name}: {filled}")
                continue
            imported, found = report_of(ds, filled, today, received)
            problems += [f"{name}!{p.cell}: {p.message}" if p.cell else f"{name}: {p.message}" for p in found]
            if imported is None:
                continue
            key = (imported.month, imported.unit)
            what = f"{ds.units[imported.unit].name} {imported.month}"
            path = w.path("report", key)
            where = f"{name}!{imported.unit_cell}"
            if key in seen:
                problems.append(f"{where}: 与 {seen[key]} 是同一份月报（{what}）：同一单位同一月份只导入一份")
                continue
            seen[key] = name
            old = path.read_bytes() if path.exists() else None
            if old is not None and not replace:
                problems.append(f"{where}: {w.rel(path)} 已存在（{what} 的月报）：要用这份表替换它，请加 --replace")
                continue
            body = yamlio.dump(imported.record).replace(
                f"\nmonth: {imported.month}\n", f"\nmonth: '{imported.month}'\n", 1
            )  # quoted, as in the bundled data's reports
            w.put(path, ("# 月报（lx reports import 从月报表导入）\n" + body).encode("utf-8"), before=old)
            names.append(what)
        if problems:
            raise LxError(f"月报表中有 {len(problems)} 个问题，未写入任何文件：\n" + "\n".join(problems))
        shown = "、".join(names[:5]) + (" 等" if len(names) > 5 else "")
        w.message = f"月报: 导入 {len(names)} 份（{shown}）"
    report(w, flags)


def _read_form(path: Path) -> Filled | str:
    """The cells of one form file, or why it cannot be read as one."""
    from laoxiao_cli.errors import os_reason
    from laoxiao_cli.render import report_form as sheet

    try:
        raw = path.read_bytes()
    except OSError as exc:
        return f"无法读取：{os_reason(exc)}"
    return sheet.read(raw)

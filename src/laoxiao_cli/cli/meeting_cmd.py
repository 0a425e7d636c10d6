"""`lx meeting agenda` and `lx meeting minutes`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laoxiao_cli.cli.common import emit, read_data, write_out, writing
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import AsOfOpt, DataOpt, format_option
from laoxiao_cli.cli.settings import Settings

app = typer.Typer(
    cls=HelpGroup, rich_markup_mode=None, help="专班会议：会前议程草案与会后会议纪要。", no_args_is_help=True
)


@app.command("agenda", cls=LxCommand)
def agenda(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    write: Annotated[
        bool, typer.Option("--write", help="同时新建 meetings/<YYYY-qN>.yaml（status: planned）并提交。")
    ] = False,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="与 --write 同用：只写文件，不提交。")] = False,
    data: DataOpt = None,
) -> None:
    """下一次季度例会的议程草案（Markdown）：逾期任务、重点项目、上次会议未完成事项、缺报月报、困难与建议。"""
    from laoxiao_cli.domain.agenda import agenda as compute
    from laoxiao_cli.domain.agenda import planned_meeting
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.render import agenda as render
    from laoxiao_cli.repo import yamlio

    settings = Settings.read(ctx, data)
    day = settings.as_of(as_of)
    if not write:
        write_out(render.markdown(compute(read_data(settings), day)))
        return
    with writing(settings, commit=not no_commit) as w:
        result = compute(w.dataset, day)
        path = w.path("meeting", result.meeting_id)
        if path.exists() or result.meeting_id in w.dataset.meetings:
            raise LxError(f"会议文件 meetings/{result.meeting_id}.yaml 已存在：不覆盖")
        body = (
            "# 专班办公室拟定的例会（lx meeting agenda --write 生成）：会后填写 status: held、chair、heard、decisions\n"
        )
        body += yamlio.dump(planned_meeting(result))
        w.put(path, body.encode("utf-8"))
        w.message = f"会议: {result.meeting_id} 例会议程草案"
    typer.echo(
        f"已新建 meetings/{result.meeting_id}.yaml" + (f"（提交 {w.commit[:8]}）" if w.commit else "（未提交）"),
        err=True,
    )
    write_out(render.markdown(result))


@app.command(cls=LxCommand, name="minutes")
def minutes(
    ctx: typer.Context,
    meeting: Annotated[str, typer.Argument(help="会议编号，如 2022-q3。")],
    fmt: Annotated[str, format_option("minutes", "markdown 或 docx（docx 须配合 -o）。")] = "markdown",
    out: Annotated[Path | None, typer.Option("-o", "--output", help="写入文件。")] = None,
    data: DataOpt = None,
) -> None:
    """已召开会议的会议纪要：时间、主持人、参会单位、听取汇报、审议方案、议定事项（一、二、三……）。"""
    from laoxiao_cli.domain.minutes import minutes as compute
    from laoxiao_cli.errors import UsageError
    from laoxiao_cli.render import minutes as render

    if fmt == "docx" and out is None:
        raise UsageError("--format docx 须用 -o 指定输出文件，如 -o 会议纪要.docx")
    settings = Settings.read(ctx, data)
    ds = read_data(settings)
    emit(compute(ds, meeting), render.FORMATS, fmt, settings.view(), out)

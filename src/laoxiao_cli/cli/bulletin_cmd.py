"""`lx bulletin --month M`: the monthly 通报 (spec 11.2)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.common import emit, need_file, read_data
from laoxiao_cli.cli.options import AsOfOpt, AtOpt, DataOpt, OutputOpt, format_option, month_option
from laoxiao_cli.cli.params import positive
from laoxiao_cli.cli.settings import Settings


def bulletin(
    ctx: typer.Context,
    month: Annotated[str, month_option("通报的月份。")],
    as_of: AsOfOpt = None,
    fmt: Annotated[str, format_option("bulletin", "输出格式：markdown、json 或 docx（docx 须配合 -o）。")] = "markdown",
    out: OutputOpt = None,
    sort: Annotated[
        Literal["roster", "rate"],
        typer.Option("--sort", help="完成率的排序：roster（按通知中的单位顺序，默认）或 rate（按完成率从高到低）。"),
    ] = "roster",
    number: Annotated[
        int | None,
        typer.Option(
            "--number",
            metavar="N",
            parser=positive,
            help="发文字号的序号（与函件同一登记簿，不能是当年函件已用的号）；不给时发文字号的序号留空（〔YYYY〕　　号），印发时按登记簿填写。",
        ),
    ] = None,
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """月度工作通报：本月完成的任务、逾期任务、会议议定事项落实、月报报送、函件、各单位完成率、亮点做法（按该月最后一天计算，--as-of 更早时按 --as-of）；docx 为 GB/T 9704-2012 公文格式。"""
    from laoxiao_cli.domain.bulletin import bulletin as compute
    from laoxiao_cli.render import bulletin as render

    fmt = need_file(fmt, out, "通报.docx", ("docx",))
    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    ds = read_data(settings)
    emit(compute(ds, month, day, sort, number), render.FORMATS, fmt, settings.view(ds), out)

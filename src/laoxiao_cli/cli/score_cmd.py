"""`lx score --period P`: staged scoring per unit."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.common import emit, need_file, read_data
from laoxiao_cli.cli.options import AsOfOpt, AtOpt, DataOpt, OutputOpt, format_option
from laoxiao_cli.cli.params import PeriodType
from laoxiao_cli.cli.settings import Settings
from laoxiao_cli.domain.calendar import Period


def score(
    ctx: typer.Context,
    period: Annotated[
        Period,
        typer.Option(
            "--period",
            "-p",
            metavar="<str>",
            parser=PeriodType(),
            help="考核期：2022、2022-H2、2022-Q3 或 2022-08。",
        ),
    ],
    fmt: Annotated[str, format_option("score", "输出格式：table、json、csv 或 xlsx（xlsx 须配合 -o）。")] = "table",
    out: OutputOpt = None,
    as_of: AsOfOpt = None,
    sort: Annotated[
        Literal["roster", "score"],
        typer.Option("--sort", help="排序：roster（按通知中的单位顺序，默认）或 score（按得分从高到低）。"),
    ] = "roster",
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """阶段性赋分：各单位在考核期内牵头任务的完成得分，扣除缺报月报（默认按考核期末或今天——取较早者——的情况计算）。"""
    from laoxiao_cli.domain.score import default_as_of, scores
    from laoxiao_cli.render import score as render

    fmt = need_file(fmt, out, "赋分.xlsx", ("xlsx",))
    settings = Settings.read(ctx, data, at)
    ds = read_data(settings)
    day = as_of if as_of is not None else default_as_of(period, settings.as_of(None))  # --at DAY: that day
    emit(scores(ds, period, day, sort), render.FORMATS, fmt, settings.view(ds), out)

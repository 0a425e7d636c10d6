"""`lx score --period P`: staged scoring per unit."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from laoxiao_cli.cli.common import DataOpt, load_data, screen, write_out


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _period(value: str) -> str:
    from laoxiao_cli.domain.calendar import parse_period

    if parse_period(value) is None:
        raise typer.BadParameter(f"“{value}”不是考核期：应为 YYYY、YYYY-H1/H2、YYYY-Q1…Q4 或 YYYY-MM，如 2022-Q3")
    return value


def score(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Option("--period", "-p", callback=_period, help="考核期：2022、2022-H2、2022-Q3 或 2022-08。")
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式：table、json 或 csv。")] = Format.table,
    data: DataOpt = None,
) -> None:
    """阶段性赋分：各单位在考核期内牵头任务的完成得分，扣除缺报月报（按考核期末的情况计算）。"""
    from laoxiao_cli.domain.calendar import parse_period
    from laoxiao_cli.domain.score import scores
    from laoxiao_cli.render import score as render

    ds = load_data(ctx, data).require()
    parsed = parse_period(period)
    assert parsed is not None
    result = scores(ds, parsed)
    if fmt is Format.json:
        write_out(render.as_json(result))
    elif fmt is Format.csv:
        write_out(render.csv(result))
    else:
        write_out(render.table(result, screen()))

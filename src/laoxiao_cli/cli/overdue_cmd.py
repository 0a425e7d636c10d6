"""`lx overdue`: every overdue item with days late and the next letter due."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from laoxiao_cli.cli.common import AsOfOpt, DataOpt, as_of_date, load_data, screen, unit_names, write_out


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


UnitOpt = Annotated[
    str | None, typer.Option("--unit", "-u", help="只看某单位：编号、名称或别名（如 minzheng、区民政局）。")
]


def overdue(
    ctx: typer.Context,
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="输出格式：table、json、markdown 或 csv。")
    ] = Format.table,
    data: DataOpt = None,
) -> None:
    """逾期事项：任务、节点、月报、例会，含逾期天数和应发的函件（提醒函/交办函/督办函）。"""
    from laoxiao_cli.domain.overdue import overdue as compute
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.render import overdue as render

    day = as_of_date(as_of)
    ds = load_data(ctx, data).require()
    unit_id = resolve_unit(ds, unit) if unit is not None else None
    result = compute(ds, day, unit_id)
    names = unit_names(ds)
    if fmt is Format.json:
        write_out(render.as_json(result))
    elif fmt is Format.markdown:
        write_out(render.markdown(result, names))
    elif fmt is Format.csv:
        write_out(render.csv(result, names))
    else:
        write_out(render.table(result, names, screen()))

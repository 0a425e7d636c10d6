"""`lx status`: the dashboard."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from laoxiao_cli.cli.common import AsOfOpt, ContactsOpt, DataOpt, as_of_date, load_data, screen, unit_names, write_out


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def status(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="输出格式：table（终端表格）、json 或 markdown（可贴入浙政钉或 Word）。"),
    ] = Format.table,
    with_contacts: ContactsOpt = False,
    data: DataOpt = None,
) -> None:
    """专班工作总览：任务完成情况、各单位在办与逾期、联络员、缺报月报、会议与待回复函件。"""
    from laoxiao_cli.domain.status import status as compute
    from laoxiao_cli.render import status as render

    day = as_of_date(as_of)
    ds = load_data(ctx, data).require()
    result = compute(ds, day)
    if fmt is Format.json:
        write_out(render.as_json(result))
    elif fmt is Format.markdown:
        write_out(render.markdown(result, unit_names(ds), with_contacts))
    else:
        write_out(render.table(result, unit_names(ds), screen(), with_contacts))

"""`lx checklist`: the task, responsibility and target lists."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from laoxiao_cli.cli.common import (
    AsOfOpt,
    ContactsOpt,
    DataOpt,
    as_of_date,
    load_data,
    screen,
    unit_names,
    write_output,
)
from laoxiao_cli.cli.overdue_cmd import UnitOpt


class Format(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class ListName(StrEnum):
    tasks = "tasks"
    duties = "duties"
    targets = "targets"


def checklist(
    ctx: typer.Context,
    unit: UnitOpt = None,
    which: Annotated[
        ListName,
        typer.Option("--list", "-l", help="哪张清单：tasks（任务清单）、duties（责任清单）、targets（目标清单）。"),
    ] = ListName.tasks,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="输出格式：table、markdown、csv、json 或 xlsx（xlsx 须配合 -o，三张清单各占一个工作表）。",
        ),
    ] = Format.table,
    out: Annotated[Path | None, typer.Option("-o", "--output", help="写入文件而不是屏幕。")] = None,
    as_of: AsOfOpt = None,
    with_contacts: ContactsOpt = False,
    data: DataOpt = None,
) -> None:
    """任务清单、责任清单、目标清单（目标具体化、任务项目化、责任清单化）。"""
    from laoxiao_cli.domain.checklist import checklist as compute
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.errors import UsageError
    from laoxiao_cli.render import checklist as render

    if fmt is Format.xlsx and out is None:
        raise UsageError("--format xlsx 须用 -o 指定输出文件，如 -o 清单.xlsx")
    day = as_of_date(as_of)
    ds = load_data(ctx, data).require()
    unit_id = resolve_unit(ds, unit) if unit is not None else None
    result = compute(ds, day, unit_id)
    names = unit_names(ds)
    payload: str | bytes
    if fmt is Format.xlsx:
        payload = render.xlsx(result, which.value, with_contacts)
    elif fmt is Format.json:
        payload = render.as_json(result, which.value)
    elif fmt is Format.csv:
        payload = render.csv(result, which.value, with_contacts)
    elif fmt is Format.markdown:
        payload = render.markdown(result, which.value, names, with_contacts)
    else:
        payload = render.table(result, which.value, names, screen(), with_contacts)
    write_output(payload, out)

"""`lx checklist`: the task, responsibility and target lists."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.common import emit, need_file, read_data
from laoxiao_cli.cli.options import AsOfOpt, AtOpt, ContactsOpt, DataOpt, OutputOpt, UnitOpt, format_option
from laoxiao_cli.cli.settings import Settings


def checklist(
    ctx: typer.Context,
    unit: UnitOpt = None,
    which: Annotated[
        Literal["tasks", "duties", "targets"],
        typer.Option("--list", "-l", help="哪张清单：tasks（任务清单）、duties（责任清单）、targets（目标清单）。"),
    ] = "tasks",
    fmt: Annotated[
        str,
        format_option(
            "checklist", "输出格式：table、markdown、csv、json 或 xlsx（xlsx 须配合 -o，三张清单各占一个工作表）。"
        ),
    ] = "table",
    out: OutputOpt = None,
    as_of: AsOfOpt = None,
    with_contacts: ContactsOpt = False,
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """任务清单、责任清单、目标清单（目标具体化、任务项目化、责任清单化）。"""
    from laoxiao_cli.domain.checklist import checklist as compute
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.render import checklist as render

    fmt = need_file(fmt, out, "清单.xlsx", ("xlsx",))
    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    ds = read_data(settings)
    unit_id = resolve_unit(ds, unit) if unit is not None else None
    view = settings.view(ds, with_contacts=with_contacts, list_name=which)
    emit(compute(ds, day, unit_id), render.FORMATS, fmt, view, out)

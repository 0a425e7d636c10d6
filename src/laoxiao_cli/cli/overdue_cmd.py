"""`lx overdue`: every overdue item with days late and the next letter due."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from laoxiao_cli.cli.common import FILE_FORMATS, need_file, read_view, write_output
from laoxiao_cli.cli.options import AsOfOpt, AtOpt, DataOpt, OutputOpt, UnitOpt, format_option
from laoxiao_cli.cli.settings import Settings

if TYPE_CHECKING:
    from laoxiao_cli.model.dataset import Dataset


def overdue(
    ctx: typer.Context,
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        str, format_option("overdue", "输出格式：table、json、markdown、csv 或 xlsx（xlsx 须配合 -o）。")
    ] = "table",
    out: OutputOpt = None,
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """逾期事项：任务、节点、月报、例会，含逾期天数和应发的函件（提醒函/交办函/督办函）。"""
    fmt = need_file(fmt, out, "逾期清单.xlsx", ("xlsx",))
    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    reading = read_view(settings, "overdue", (day, unit, fmt) if fmt not in FILE_FORMATS else None)

    def view(ds: Dataset) -> str | bytes:  # only when not remembered (a unit not known is never remembered)
        from laoxiao_cli.domain.overdue import overdue as compute
        from laoxiao_cli.domain.units import resolve_unit
        from laoxiao_cli.render import overdue as render

        unit_id = resolve_unit(ds, unit) if unit is not None else None
        return render.FORMATS[fmt](compute(ds, day, unit_id), settings.view(ds))

    write_output(reading.output(view), out)

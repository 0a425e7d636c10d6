"""`lx progress`: 序时进度 and 三色预警 of every open task."""

from __future__ import annotations

from typing import Annotated

import typer

from laoxiao_cli.cli.common import emit, read_data
from laoxiao_cli.cli.options import AsOfOpt, AtOpt, DataOpt, UnitOpt, format_option
from laoxiao_cli.cli.settings import Settings


def progress(
    ctx: typer.Context,
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        str,
        format_option("progress", "输出格式：table（终端表格）、json 或 markdown（可贴入浙政钉或 Word）。"),
    ] = "table",
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """序时进度与三色预警：每项在办任务按时间应完成的进度、最近月报报送的进度、滞后多少，红（逾期）、黄（滞后超过容差或临近截止）、绿。"""
    from laoxiao_cli.domain.progress import progress as compute
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.render import progress as render

    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    ds = read_data(settings)
    unit_id = resolve_unit(ds, unit) if unit is not None else None
    emit(compute(ds, day, unit_id), render.FORMATS, fmt, settings.view(ds))

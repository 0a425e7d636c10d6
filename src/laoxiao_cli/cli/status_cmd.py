"""`lx status`: the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from laoxiao_cli.cli.common import read_view, write_output
from laoxiao_cli.cli.options import AsOfOpt, AtOpt, ContactsOpt, DataOpt, format_option
from laoxiao_cli.cli.settings import Settings

if TYPE_CHECKING:
    from laoxiao_cli.model.dataset import Dataset


def status(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        str,
        format_option("status", "输出格式：table（终端表格）、json 或 markdown（可贴入浙政钉或 Word）。"),
    ] = "table",
    with_contacts: ContactsOpt = False,
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """专班工作总览：任务完成情况、各单位在办与逾期、联络员、缺报月报、会议与待回复函件。"""
    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    reading = read_view(settings, "status", (day, fmt, with_contacts))

    def view(ds: Dataset) -> str | bytes:  # only when not remembered: then the rules and renderers are imported
        from laoxiao_cli.domain.status import status as compute
        from laoxiao_cli.render import status as render

        return render.FORMATS[fmt](compute(ds, day), settings.view(ds, with_contacts=with_contacts))

    write_output(reading.output(view), None)

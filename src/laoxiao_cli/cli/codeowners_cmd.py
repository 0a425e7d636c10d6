"""`lx codeowners`: a CODEOWNERS file from the data, so the Git host enforces who writes where."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laoxiao_cli.cli.common import read_data, write_output
from laoxiao_cli.cli.options import DataOpt
from laoxiao_cli.cli.params import path_value
from laoxiao_cli.cli.settings import Settings


def codeowners(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", parser=path_value, help="写入此文件（如 .github/CODEOWNERS）；不给则输出到屏幕。"
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """生成 CODEOWNERS：各单位的月报和单位文件归本单位联络员（liaison.account）与专班办公室人员（office.staff），其余归专班办公室。"""
    from laoxiao_cli.domain.owners import codeowners as compute

    settings = Settings.read(ctx, data)
    ds = read_data(settings)
    result = compute(ds, settings.today())
    if result.missing_office:
        typer.echo("注意：group.yaml 的 office.staff 中没有带 account 的专班办公室人员，默认规则没有所有者。", err=True)
    if result.units_without_account:
        shown = "、".join(result.units_without_account[:8]) + (" 等" if len(result.units_without_account) > 8 else "")
        typer.echo(
            f"注意：{len(result.units_without_account)} 个单位的联络员没有 account（{shown}），其文件只归专班办公室。",
            err=True,
        )
    write_output("\n".join(result.lines) + "\n", out)

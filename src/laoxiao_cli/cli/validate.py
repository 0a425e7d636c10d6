"""`lx validate`: check every file and every cross-reference."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from laoxiao_cli.cli.common import DataOpt, load_data, write_out


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    ctx: typer.Context,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="输出格式：text、json 或 github（GitHub Actions 注释）。")
    ] = Format.text,
    data: DataOpt = None,
) -> None:
    """检查所有数据文件及相互引用；无问题退出码 0，有问题退出码 1。"""
    from laoxiao_cli.render.findings import RENDERERS

    loaded = load_data(ctx, data)
    write_out(RENDERERS[fmt.value](loaded.findings, loaded.files))
    if loaded.findings:
        raise typer.Exit(1)

"""`lx site -o DIR`: the dashboard page (spec 11.4), a folder that opens offline in any browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laoxiao_cli.cli.common import read_data
from laoxiao_cli.cli.options import AsOfOpt, AtOpt, DataOpt
from laoxiao_cli.cli.settings import Settings


def site(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="DIR",
            help="输出文件夹（不存在时新建）：写入 index.html 和它用到的 style.css，文件夹里的其他文件不动。",
        ),
    ],
    as_of: AsOfOpt = None,
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """工作看板网页：总体数字与三色预警、各单位任务条形图、每月完成与逾期、月报报送表、逾期事项、上次会议议定事项落实情况、待回复函件。离线可用（不联网），手机上可看，可打印。"""
    from dataclasses import replace

    from laoxiao_cli.cli.common import Outcome
    from laoxiao_cli.domain.site import site as compute
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.render import site as render

    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    if out.exists() and not out.is_dir():
        raise LxError(f"{out} 不是文件夹：-o 应为文件夹（不存在时会新建），看板写入其中的 index.html")
    ds = read_data(settings)
    result, view = replace(compute(ds, day), partial=Outcome.partial), settings.view(ds)
    files = {out / name: renderer(result, view) for name, renderer in render.FORMATS.items()}
    from laoxiao_cli.repo import outputs

    outputs.write_all({path: text if isinstance(text, bytes) else text.encode("utf-8") for path, text in files.items()})
    typer.echo(f"已生成 {out / 'index.html'}（及 {'、'.join(list(render.FORMATS)[1:])}），用浏览器打开即可", err=True)

"""`lx sync`: this clone and the shared repository to one history (spec 9, repo/sync.py)."""

from __future__ import annotations

import json
from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.common import open_repo
from laoxiao_cli.cli.options import DataOpt
from laoxiao_cli.cli.settings import Settings


def sync(
    ctx: typer.Context,
    remote: Annotated[str, typer.Option("--remote", help="共享仓库在本地的远程名；同步当前分支。")] = "origin",
    fmt: Annotated[
        Literal["text", "json"],
        typer.Option("--format", "-f", help="输出：text，或 json（拉取、推送的提交数，重新编号，同步后的提交）。"),
    ] = "text",
    data: DataOpt = None,
) -> None:
    """与共享仓库同步：拉取其他单位的提交，合并（本地与共享仓库重复的任务、函件编号自动改号），校验后推送。

    有未保存的修改时请先运行 lx save。合并后数据有问题或同一处内容两边都改了时，什么也不改、不推送，并说明如何处理。
    """
    settings = Settings.read(ctx, data)
    outcome = open_repo(settings).sync(remote)
    if fmt == "json":
        payload = {
            "pulled": outcome.pulled,
            "pushed": outcome.pushed,
            "renumbered": outcome.renumbered,
            "head": outcome.head,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    same = "（本地与共享仓库已经相同）" if not outcome.pulled and not outcome.pushed else ""
    typer.echo(f"已同步：拉取 {outcome.pulled} 个提交，推送 {outcome.pushed} 个提交{same}")
    for old, new in outcome.renumbered.items():
        typer.echo(f"  重新编号：{old} → {new}（与共享仓库中的编号重复）")

"""`lx validate`: check every file and every cross-reference."""

from __future__ import annotations

from typing import Annotated

import typer

from laoxiao_cli.cli.common import emit, load_data
from laoxiao_cli.cli.options import AtOpt, DataOpt, format_option
from laoxiao_cli.cli.settings import Settings


def validate(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        format_option(
            "findings", "输出格式：text、json、github（GitHub Actions 注释）或 gitlab（GitLab 代码质量报告，JSON）。"
        ),
    ] = "text",
    authors: Annotated[
        bool, typer.Option("--authors", help="同时逐个提交检查：月报须由本单位联络员或专班办公室人员提交。")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="REV", help="与 --authors 同用：只检查 REV 之后的提交（如 origin/main）。"),
    ] = None,
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """检查所有数据文件及相互引用；无问题退出码 0，有问题退出码 1。"""
    from laoxiao_cli.domain.validation import Validation
    from laoxiao_cli.render import findings as render

    settings = Settings.read(ctx, data, at)
    loaded = load_data(settings)
    findings = list(loaded.findings)
    if authors:
        from laoxiao_cli.domain.owners import author_findings
        from laoxiao_cli.repo.authors import report_commits
        from laoxiao_cli.repo.gitcli import require_repository

        root = require_repository(loaded.data_dir)
        findings += author_findings(report_commits(loaded.data_dir, root, since))
    result = Validation(findings, loaded.files)
    emit(result, render.FORMATS, fmt, settings.view())
    if not result.ok:
        raise typer.Exit(1)

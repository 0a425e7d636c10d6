"""`lx init DIR`: a new, valid data repository with its first commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    folder: Annotated[Path, typer.Argument(help="新数据仓库的文件夹（不存在或为空）。")],
    name: Annotated[str, typer.Option("--name", help="专班名称。")] = "（专班名称）",
) -> None:
    """新建一个最小的、可通过校验的数据仓库（git init 并做第一次提交）。"""
    import os
    import shutil
    import tempfile

    from laoxiao_cli.cli.settings import Settings
    from laoxiao_cli.domain.starter import starter_files
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.repo.files import crash_point, write_text_atomic
    from laoxiao_cli.repo.gitcli import init_repository
    from laoxiao_cli.repo.loader import load_dir

    today = Settings.read().today()
    folder = folder.expanduser().resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise LxError(f"{folder} 已存在且不为空：请指定一个新的或空的文件夹")
    folder.parent.mkdir(parents=True, exist_ok=True)
    for stale in folder.parent.glob(f".{folder.name}.lx-init-*"):  # left by an init that was killed
        shutil.rmtree(stale, ignore_errors=True)
    # built beside the target and moved into place only when committed: a killed init leaves nothing
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.lx-init-", dir=folder.parent))
    try:
        files = starter_files(name, today)
        written = []
        for rel, content in files.items():
            write_text_atomic(staging / rel, content)
            written.append(staging / rel)
        crash_point("init-written")
        loaded = load_dir(staging / "data", use_cache=False)
        if loaded.findings:  # a bug in the template, never the user's fault
            raise LxError("新仓库的模板未通过校验：" + loaded.findings[0].message)
        commit = init_repository(staging, written, "lx init: 新建专班数据仓库")
        crash_point("init-committed")
        if folder.exists():
            folder.rmdir()
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    typer.echo(f"已在 {folder} 新建数据仓库（提交 {commit[:8]}）。下一步：编辑 data/group.yaml，运行 lx validate。")

"""`lx init DIR [--remote URL] [--ci github|gitlab]`: a new, valid data repository with its first commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.params import path_value


def remote_url(value: str) -> str:
    """``--remote``: a Git URL or a path; a blank one, or one Git would read as an option, is refused."""
    if not value.strip():
        raise typer.BadParameter("不能为空：请给出共享仓库的地址，如 https://example.org/office/data.git")
    if value.startswith("-"):
        raise typer.BadParameter(f"“{value}”不是仓库地址")
    return value


def _absolute_if_path(url: str) -> str:
    """A relative local path (``../office.git``) made absolute: Git would read it from the new repository."""
    import os

    colon, slash = url.find(":"), url.find("/")
    is_path = "://" not in url and (colon == -1 or -1 < slash < colon)
    return os.path.abspath(os.path.expanduser(url)) if is_path else url


def _installed_from() -> str:
    """The pip requirement the running lx was installed from (PEP 610), else its released version."""
    import json
    from importlib import metadata

    from laoxiao_cli import __version__
    from laoxiao_cli.domain.ci_files import pip_spec

    try:
        dist = metadata.distribution("laoxiao-cli")
    except metadata.PackageNotFoundError:
        return pip_spec(None, __version__)
    try:
        recorded = json.loads(dist.read_text("direct_url.json") or "null")
    except ValueError:
        recorded = None
    return pip_spec(recorded if isinstance(recorded, dict) else None, dist.version)


def init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", parser=path_value, help="新数据仓库的文件夹（不存在或为空）。")
    ],
    name: Annotated[str, typer.Option("--name", help="专班名称。")] = "（专班名称）",
    remote: Annotated[
        str | None,
        typer.Option(
            "--remote",
            metavar="URL",
            parser=remote_url,
            help="共享仓库的地址：设为 origin，并把第一次提交推送上去（分支 main，设置上游）。",
        ),
    ] = None,
    ci: Annotated[
        Literal["github", "gitlab"] | None,
        typer.Option(
            "--ci",
            help="同时加入持续集成文件，每次推送时校验数据：github（.github/workflows/lx-validate.yml，"
            "问题标注在文件行上）或 gitlab（.gitlab-ci.yml，代码质量报告）。",
        ),
    ] = None,
    lx_source: Annotated[
        str | None,
        typer.Option(
            "--lx-source",
            metavar="SPEC",
            help="与 --ci 同用：CI 安装 lx 的 pip 写法，如 git+https://example.org/office/lx.git@v2.0.0；"
            "默认为本机 lx 的安装来源。",
        ),
    ] = None,
) -> None:
    """新建一个最小的、可通过校验的数据仓库（git init 并做第一次提交）。

    第一次提交中还有 schemas/（每类记录的 JSON Schema）和 .vscode/settings.json（VS Code 的 YAML 插件据此在编辑时提示字段、标出错误）。
    """
    import os
    import shutil
    import tempfile

    from laoxiao_cli.cli.settings import Settings
    from laoxiao_cli.domain.ci_files import is_local
    from laoxiao_cli.domain.starter import starter_files
    from laoxiao_cli.errors import LxError, UsageError
    from laoxiao_cli.repo.files import crash_point, write_text_atomic
    from laoxiao_cli.repo.gitcli import init_repository, run_git
    from laoxiao_cli.repo.loader import load_dir

    if lx_source is not None and ci is None:
        raise UsageError("--lx-source 须与 --ci 同用")
    if lx_source is not None and not lx_source.strip():
        raise UsageError("--lx-source 不能为空：请给出 pip 能安装的写法，如 laoxiao-cli==2.0.0")
    source = (lx_source or _installed_from()).strip() if ci is not None else ""
    today = Settings.read().today()
    folder = folder.expanduser().resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise LxError(f"{folder} 已存在且不为空：请指定一个新的或空的文件夹")
    url = _absolute_if_path(remote) if remote is not None else None
    folder.parent.mkdir(parents=True, exist_ok=True)
    for stale in folder.parent.glob(f".{folder.name}.lx-init-*"):  # left by an init that was killed
        shutil.rmtree(stale, ignore_errors=True)
    # built beside the target and moved into place only when committed: a killed init leaves nothing
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.lx-init-", dir=folder.parent))
    try:
        files = starter_files(name, today, ci, source)
        written = []
        for rel, content in files.items():
            write_text_atomic(staging / rel, content)
            written.append(staging / rel)
        crash_point("init-written")
        loaded = load_dir(staging / "data", use_cache=False)
        if loaded.findings:  # a bug in the template, never the user's fault
            raise LxError("新仓库的模板未通过校验：" + loaded.findings[0].message)
        commit = init_repository(staging, written, "lx init: 新建专班数据仓库")
        if url is not None:
            run_git(staging, "remote", "add", "--", "origin", url)
        crash_point("init-committed")
        if folder.exists():
            folder.rmdir()
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    typer.echo(f"已在 {folder} 新建数据仓库（提交 {commit[:8]}）。下一步：编辑 data/group.yaml，运行 lx validate。")
    if ci is not None:
        typer.echo(f"CI 文件从 {source} 安装 lx（要改，编辑该文件开头的 LX_PIP_SPEC）。")
        if is_local(source):
            typer.echo("注意：这是本机上的路径，CI 机器上没有它：请改为 CI 能访问的来源，或用 --lx-source 指定。")
    if url is not None:
        try:
            run_git(folder, "push", "--quiet", "--set-upstream", "origin", "main")
        except LxError as exc:
            said = exc.message.partition("失败：")[2] or exc.message  # Git's own words
            raise LxError(
                f"推送到 {url} 失败：{said}\n"
                f"本地仓库已新建在 {folder}，origin 已设为该地址；检查地址和权限后，"
                f"在该文件夹中运行 lx sync 即可推送"
            ) from None
        typer.echo(f"已推送到 {url}（分支 main，已设置上游 origin/main）。")

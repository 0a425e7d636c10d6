"""`lx save`: commit hand edits of data/ safely (spec 8.4): validate, then one commit of data/ alone."""

from __future__ import annotations

from typing import Annotated

import typer

from laoxiao_cli.cli.common import writing
from laoxiao_cli.cli.options import DataOpt
from laoxiao_cli.cli.settings import Settings


def save(
    ctx: typer.Context,
    message: Annotated[str | None, typer.Option("-m", "--message", help="提交说明（默认按改动的记录生成）。")] = None,
    data: DataOpt = None,
) -> None:
    """校验手工修改过的数据文件，通过后把 data/ 中的全部修改（修改、新增、删除）做一次提交；有问题则什么也不提交。"""
    from laoxiao_cli.errors import UsageError
    from laoxiao_cli.model.kinds import kind_of
    from laoxiao_cli.render import labels
    from laoxiao_cli.repo import gitcli

    if message is not None and not message.strip():
        raise UsageError("-m 的提交说明不能为空")
    settings = Settings.read(ctx, data)
    with writing(settings, commit=True, require_clean=False) as w:
        w.dataset  # noqa: B018 - validates the work tree as it is: findings → exit 1, nothing committed
        known = w.loaded.changed  # what the load's own `git status` saw, under the same lock
        changes = gitcli.data_changes(w.root, w.data_dir) if known is None else gitcli.change_states(w.root, known)
        if not changes:
            typer.echo("没有需要保存的修改")
            return
        described = []
        prefix = w.rel(w.data_dir).rstrip("/") + "/"
        for state, rel in ((s, p) for p, s in changes):
            path = w.root / rel
            if state == "deleted":
                w.remove(path, path.read_bytes() if path.exists() else b"")
            else:
                current = path.read_bytes()
                w.put(path, current, before=current)
            *parts, name = rel.removeprefix(prefix).split("/")
            kind = kind_of(tuple(parts), name if name.endswith(".yaml") else name.rsplit(".", 1)[0] + ".yaml")
            label = labels.RECORD_KINDS.get(kind.name, "文件") if kind else "文件"
            key = "/".join([*parts[1:], name.removesuffix(".yaml")]) if kind else rel
            described.append(f"{labels.CHANGE_STATES[state]} {label} {key}")
        w.message = message.strip() if message else "数据: " + "；".join(described)
    typer.echo(f"已提交 {w.commit[:8] if w.commit else ''}：{w.message}")

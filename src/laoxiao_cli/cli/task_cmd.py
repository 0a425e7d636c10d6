"""`lx task …`: record a task's steps without touching YAML (spec 8.2). So far: `lx task done`."""

from __future__ import annotations

import difflib
import json
from datetime import date
from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.common import write_out, writing
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import DataOpt
from laoxiao_cli.cli.params import DateType
from laoxiao_cli.cli.settings import Settings

app = typer.Typer(
    cls=HelpGroup, rich_markup_mode=None, help="任务：记录办结等步骤（不必手工编辑 YAML）。", no_args_is_help=True
)


@app.command("done", cls=LxCommand)
def done(
    ctx: typer.Context,
    task_id: Annotated[str, typer.Argument(metavar="ID", help="任务编号，如 t2022-001。")],
    day: Annotated[
        date | None, typer.Option("--date", metavar="YYYY-MM-DD", parser=DateType(), help="完成日期（默认今天）。")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将要做的修改，不写任何文件。")] = False,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="写入文件但不提交（不检查未提交的修改）。")] = False,
    fmt: Annotated[Literal["text", "json"], typer.Option("--format", "-f", help="输出：text 或 json。")] = "text",
    data: DataOpt = None,
) -> None:
    """任务办结：状态改为 done 并写明完成日期，一次提交（提交说明“任务: <编号> 完成”）。"""
    from laoxiao_cli.domain.tasks import completion
    from laoxiao_cli.repo import yamledit

    settings = Settings.read(ctx, data)
    today = settings.today()
    when = day if day is not None else today
    with writing(settings, commit=not (no_commit or dry_run), require_clean=not (no_commit or dry_run)) as w:
        changes = completion(w.dataset, task_id, when, today)
        path = w.path("task", task_id)
        raw = path.read_bytes()
        edited = yamledit.set_values(raw, changes, w.rel(path), after={"done": "status"})
        if dry_run:
            diff = difflib.unified_diff(
                raw.decode("utf-8-sig").splitlines(keepends=True),
                edited.decode("utf-8-sig").splitlines(keepends=True),
                f"a/{w.rel(path)}",
                f"b/{w.rel(path)}",
            )
            write_out("".join(diff))
            typer.echo("（预演：未写入任何文件）", err=True)
            return
        w.put(path, edited, before=raw)
        w.message = f"任务: {task_id} 完成"
    if fmt == "json":
        write_out(json.dumps({"commit": w.commit, "files": [w.rel(path)], "ids": [task_id]}, ensure_ascii=False) + "\n")
    else:
        write_out(f"已提交 {w.commit[:8]}：{w.message}\n" if w.commit else f"已写入 {w.rel(path)}（未提交）\n")

"""`lx task …`: record a task's steps without touching YAML (spec 8.2). So far: `lx task done`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from laoxiao_cli.cli.common import WriteFlags, recording, report
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import DataOpt, DryRunOpt, NoCommitOpt, WriteFormatOpt, date_option
from laoxiao_cli.cli.settings import Settings

app = typer.Typer(
    cls=HelpGroup, rich_markup_mode=None, help="任务：记录办结等步骤（不必手工编辑 YAML）。", no_args_is_help=True
)


@app.command("done", cls=LxCommand)
def done(
    ctx: typer.Context,
    task_id: Annotated[str, typer.Argument(metavar="ID", help="任务编号，如 t2022-001。")],
    day: Annotated[date | None, date_option("--date", "完成日期（默认今天）。")] = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """任务办结：状态改为 done 并写明完成日期，一次提交（提交说明“任务: <编号> 完成”）。"""
    from laoxiao_cli.domain.tasks import completion
    from laoxiao_cli.repo import yamledit

    settings = Settings.read(ctx, data)
    today = settings.today()
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        changes = completion(w.dataset, task_id, day or today, today)
        path = w.path("task", task_id)
        raw = path.read_bytes()
        w.put(path, yamledit.set_values(raw, changes, w.rel(path), after={"done": "status"}), before=raw)
        w.message = f"任务: {task_id} 完成"
    report(w, flags)

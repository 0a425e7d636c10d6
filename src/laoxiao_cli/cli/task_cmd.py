"""`lx task …`: record a task's steps without touching YAML (spec 8.2): new, done, cancel, extend,
approve, refuse. Each is one edit of one task file, through the one writer, in one commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from laoxiao_cli.cli.common import WriteFlags, recording, report
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import DataOpt, DryRunOpt, NoCommitOpt, WriteFormatOpt, date_option
from laoxiao_cli.cli.params import integer
from laoxiao_cli.cli.settings import Settings

if TYPE_CHECKING:
    from laoxiao_cli.repo import Write

app = typer.Typer(
    cls=HelpGroup,
    rich_markup_mode=None,
    help="任务：新增、办结、取消、申请延期及其决定（不必手工编辑 YAML）。",
    no_args_is_help=True,
)

TaskIdArg = Annotated[str, typer.Argument(metavar="ID", help="任务编号，如 t2022-001。")]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", metavar="NAME", help="作出决定的人：组长、副组长或办公室主任单位的负责人（姓名）。"),
]


@dataclass(frozen=True)
class MilestoneArg:
    """One ``--milestone 名称:YYYY-MM-DD``."""

    name: str
    due: date


def milestone_arg(value: str) -> MilestoneArg:
    """``名称:YYYY-MM-DD`` (a full-width colon too); a bad one is a usage error."""
    from laoxiao_cli.model.years import YEAR_RULE, year_ok

    name, colon, day = value.replace("：", ":").rpartition(":")
    if not colon or not name.strip():
        raise typer.BadParameter(f"“{value}”应写成 名称:YYYY-MM-DD，如 摸排调研:2022-09-30")
    try:
        due = date.fromisoformat(day.strip())
    except ValueError:
        raise typer.BadParameter(
            f"“{value}”中的“{day}”不是日期：应写成 名称:YYYY-MM-DD，如 摸排调研:2022-09-30"
        ) from None
    if not year_ok(due.year):
        raise typer.BadParameter(f"“{value}”中的日期超出范围：{YEAR_RULE}")
    return MilestoneArg(name.strip(), due)


def _task_file(w: Write, task_id: str) -> tuple[str, bytes]:
    path = w.path("task", task_id)
    return w.rel(path), path.read_bytes()


def _put(w: Write, task_id: str, raw: bytes, new: bytes, message: str) -> None:
    w.put(w.path("task", task_id), new, before=raw)
    w.message = message


@app.command("new", cls=LxCommand)
def new(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", help="任务名称（任务清单）。")],
    target: Annotated[str, typer.Option("--target", help="目标（目标清单，可衡量）。")],
    lead: Annotated[str, typer.Option("--lead", help="牵头单位：编号、名称或别名。")],
    due: Annotated[date, date_option("--due", "截止日期。")],
    support: Annotated[
        list[str] | None, typer.Option("--support", metavar="UNIT", help="配合单位（可多次）：编号、名称或别名。")
    ] = None,
    duty: Annotated[
        list[str] | None, typer.Option("--duty", metavar="ID", help="落实的职责编号（可多次），如 minzheng.1。")
    ] = None,
    key: Annotated[bool, typer.Option("--key", help="重点项目。")] = False,
    start: Annotated[date | None, date_option("--start", "开始日期。")] = None,
    weight: Annotated[int, typer.Option("--weight", metavar="N", parser=integer, help="赋分权重（默认 1）。")] = 1,
    milestone: Annotated[
        list[MilestoneArg] | None,
        typer.Option(
            "--milestone",
            metavar="名称:YYYY-MM-DD",
            parser=milestone_arg,
            help="节点（可多次），如 摸排调研:2022-09-30。",
        ),
    ] = None,
    meeting: Annotated[
        str | None, typer.Option("--meeting", metavar="ID", help="议定此任务的会议编号（须已召开），如 2022-q3。")
    ] = None,
    task_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="任务编号（默认 t<今年>-<下一个序号>）。")
    ] = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """新增任务：写入 tasks/<编号>.yaml（状态 open），一次提交（提交说明“任务: 新增 <编号> <名称>”）。"""
    from laoxiao_cli.domain.tasks import TaskDraft, new_task, source_meeting, task_data
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.repo import remote_ids, yamlio

    settings = Settings.read(ctx, data)
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        ds = w.dataset
        draft = TaskDraft(
            title=title,
            target=target,
            lead=resolve_unit(ds, lead),
            due=due,
            support=[resolve_unit(ds, unit) for unit in support or []],
            duties=list(duty or []),
            key=key,
            start=start,
            weight=weight,
            milestones=[(m.name, m.due) for m in milestone or []],
            meeting=source_meeting(ds, meeting) if meeting is not None else None,
            id=task_id,
        )
        task = new_task(ds, draft, settings.today(), remote_ids.known(w.root, w.data_dir).tasks)
        path = w.path("task", task.id)
        if path.exists():
            raise LxError(f"{w.rel(path)} 已存在：不覆盖，请换一个 --id")
        body = "# 任务记录（lx task new 生成）\n" + yamlio.dump(task_data(task))
        w.put(path, body.encode("utf-8"))
        w.ids = [task.id]
        w.message = f"任务: 新增 {task.id} {title}"
    report(w, flags)


@app.command("done", cls=LxCommand)
def done(
    ctx: typer.Context,
    task_id: TaskIdArg,
    day: Annotated[date | None, date_option("--date", "完成日期（默认今天）。")] = None,
    number: Annotated[
        int | None,
        typer.Option("--milestone", metavar="N", parser=integer, help="只记录第 N 个节点完成（从 1 数起）。"),
    ] = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """任务办结：状态改为 done 并写明完成日期；加 --milestone N 则只写第 N 个节点的完成日期。一次提交。"""
    from laoxiao_cli.domain.tasks import completion, milestone_completion
    from laoxiao_cli.repo import yamledit

    settings = Settings.read(ctx, data)
    today = settings.today()
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        if number is None:
            changes = completion(w.dataset, task_id, day or today, today)
            rel, raw = _task_file(w, task_id)
            new_raw = yamledit.set_values(raw, changes, rel, after={"done": "status"})
            _put(w, task_id, raw, new_raw, f"任务: {task_id} 完成")
        else:
            index, when = milestone_completion(w.dataset, task_id, number, day or today, today)
            rel, raw = _task_file(w, task_id)
            new_raw = yamledit.set_item(raw, "milestones", index, {"done": when}, rel)
            _put(w, task_id, raw, new_raw, f"任务: {task_id} 节点{number} 完成")
    report(w, flags)


@app.command("cancel", cls=LxCommand)
def cancel(
    ctx: typer.Context,
    task_id: TaskIdArg,
    reason: Annotated[str, typer.Option("--reason", help="取消的原因，如“并入 t2022-011”。")],
    day: Annotated[date | None, date_option("--date", "取消日期（默认今天）。")] = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """取消任务：状态改为 cancelled，并写明取消日期和原因（cancelled），一次提交。"""
    from laoxiao_cli.domain.tasks import cancellation
    from laoxiao_cli.repo import yamledit

    settings = Settings.read(ctx, data)
    today = settings.today()
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        cancelled = cancellation(w.dataset, task_id, reason, day or today, today)
        rel, raw = _task_file(w, task_id)
        new_raw = yamledit.set_values(raw, {"status": "cancelled"}, rel)
        new_raw = yamledit.add_value(new_raw, "cancelled", cancelled, rel, after=("extensions", "done", "status"))
        _put(w, task_id, raw, new_raw, f"任务: {task_id} 取消")
    report(w, flags)


@app.command("extend", cls=LxCommand)
def extend(
    ctx: typer.Context,
    task_id: TaskIdArg,
    to: Annotated[date, date_option("--to", "申请延期至哪一天。")],
    reason: Annotated[str, typer.Option("--reason", help="申请延期的理由。")],
    requested: Annotated[date | None, date_option("--requested", "申请日期（默认今天）。")] = None,
    approved: Annotated[date | None, date_option("--approved", "已同意时：同意的日期。")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """记录延期申请（extensions 中追加一项；未加 --approved 时待决定）。逾期后提出的申请照样记录，但不改变截止日期。"""
    from laoxiao_cli.domain.tasks import extension_request
    from laoxiao_cli.errors import UsageError
    from laoxiao_cli.repo import yamledit

    if by is not None and approved is None:
        raise UsageError("--by 须与 --approved 同用：它是作出同意决定的人；待决定的申请用 lx task approve/refuse 记录")
    settings = Settings.read(ctx, data)
    today = settings.today()
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        asked = extension_request(w.dataset, task_id, to, reason, requested or today, today, approved, by)
        rel, raw = _task_file(w, task_id)
        new_raw = yamledit.append_item(raw, "extensions", asked.item, rel, after=("done", "status"))
        _put(w, task_id, raw, new_raw, f"任务: {task_id} 申请延期至 {to}")
    if asked.late:
        typer.echo(
            f"注意：申请日期 {asked.item['requested']} 晚于当时的截止日期 {asked.in_force}。"
            f"按“逾期后申请延期不予延期”，这项申请已记录，但不改变截止日期（仍为 {asked.in_force}）。",
            err=True,
        )
    report(w, flags)


@app.command("approve", cls=LxCommand)
def approve(
    ctx: typer.Context,
    task_id: TaskIdArg,
    day: Annotated[date | None, date_option("--date", "同意的日期（默认今天）。")] = None,
    to: Annotated[date | None, date_option("--to", "批准的截止日期（与申请的不同时）。")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """同意待决定的延期申请（approved），一次提交（提交说明“任务: <编号> 同意延期至 <日期>”）。"""
    _decide(ctx, task_id, True, day, to, by, WriteFlags(dry_run, no_commit, fmt), data)


@app.command("refuse", cls=LxCommand)
def refuse(
    ctx: typer.Context,
    task_id: TaskIdArg,
    day: Annotated[date | None, date_option("--date", "不同意的日期（默认今天）。")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """不同意待决定的延期申请（refused）：截止日期不变，之后可以再次申请。一次提交。"""
    _decide(ctx, task_id, False, day, None, by, WriteFlags(dry_run, no_commit, fmt), data)


def _decide(
    ctx: typer.Context,
    task_id: str,
    approve: bool,
    day: date | None,
    to: date | None,
    by: str | None,
    flags: WriteFlags,
    data: Path | None,
) -> None:
    from laoxiao_cli.domain.tasks import extension_decision
    from laoxiao_cli.repo import yamledit

    settings = Settings.read(ctx, data)
    today = settings.today()
    with recording(settings, flags) as w:
        decision = extension_decision(w.dataset, task_id, approve, day or today, today, to, by)
        rel, raw = _task_file(w, task_id)
        new_raw = yamledit.set_item(raw, "extensions", decision.index, decision.values, rel)
        granted = to or decision.extension.new_due
        message = f"任务: {task_id} 同意延期至 {granted}" if approve else f"任务: {task_id} 不同意延期"
        _put(w, task_id, raw, new_raw, message)
    if approve and decision.late:
        typer.echo(
            f"注意：这项申请提出于 {decision.extension.requested}，晚于当时的截止日期 {decision.in_force}。"
            f"按“逾期后申请延期不予延期”，同意也不改变截止日期（仍为 {decision.in_force}）。",
            err=True,
        )
    report(w, flags)

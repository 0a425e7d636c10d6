"""`lx meeting agenda` (the draft, and with --write the planned meeting), `hold` and `decide` (recording the
meeting and its decisions, spec 8.3), and `minutes`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from laoxiao_cli.cli.common import WriteFlags, emit, need_file, read_data, recording, report, write_out
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import (
    AsOfOpt,
    AtOpt,
    DataOpt,
    DryRunOpt,
    NoCommitOpt,
    WriteFormatOpt,
    date_option,
    format_option,
)
from laoxiao_cli.cli.params import path_value, positive
from laoxiao_cli.cli.settings import Settings

if TYPE_CHECKING:
    from laoxiao_cli.domain.meetings import Holding
    from laoxiao_cli.repo import Write

MeetingKind = Literal["regular", "special"]

app = typer.Typer(
    cls=HelpGroup,
    rich_markup_mode=None,
    help="专班会议：会前议程草案、记录召开与议定事项、会后会议纪要。",
    no_args_is_help=True,
)


@app.command("agenda", cls=LxCommand)
def agenda(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    write: Annotated[
        bool, typer.Option("--write", help="同时新建 meetings/<YYYY-qN>.yaml（status: planned）并提交。")
    ] = False,
    dry_run: DryRunOpt = False,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="与 --write 同用：只写文件，不提交。")] = False,
    fmt: WriteFormatOpt = "text",
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """下一次季度例会的议程草案（Markdown）：逾期任务、重点项目、上次会议未完成事项、缺报月报、困难与建议。"""
    from laoxiao_cli.domain.agenda import agenda as compute
    from laoxiao_cli.domain.agenda import planned_meeting
    from laoxiao_cli.errors import LxError, UsageError
    from laoxiao_cli.render import agenda as render
    from laoxiao_cli.repo import yamlio

    if write and at is not None:
        raise UsageError("--at 只用于查看过去某一版本的数据，不能与 --write 同用")
    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    if not write:
        if dry_run or fmt != "text":
            raise UsageError("--dry-run 与 --format 须与 --write 同用")
        write_out(render.markdown(compute(read_data(settings), day)))
        return
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        result = compute(w.dataset, day)
        path = w.path("meeting", result.meeting_id)
        if path.exists() or result.meeting_id in w.dataset.meetings:
            raise LxError(f"会议文件 meetings/{result.meeting_id}.yaml 已存在：不覆盖")
        body = (
            "# 专班办公室拟定的例会（lx meeting agenda --write 生成）：会后用 lx meeting hold 记录召开，"
            "lx meeting decide 记录议定事项\n"
        )
        body += yamlio.dump(planned_meeting(result))
        w.put(path, body.encode("utf-8"))
        w.message = f"会议: {result.meeting_id} 例会议程草案"
    report(w, flags, render.markdown(result))


@app.command("hold", cls=LxCommand)
def hold(
    ctx: typer.Context,
    meeting_id: Annotated[str, typer.Argument(metavar="ID", help="会议编号，如 2022-q4（例会：年份-季度）。")],
    chair: Annotated[str, typer.Option("--chair", help="主持人：组长，或受组长委托的副组长。")],
    day: Annotated[date | None, date_option("--date", "召开日期（默认今天）。")] = None,
    on_behalf_of: Annotated[str | None, typer.Option("--on-behalf-of", help="副组长主持时：受哪位组长委托。")] = None,
    attendees: Annotated[
        list[str] | None, typer.Option("--attendee", metavar="U", help="参会单位（编号、名称或别名），可重复。")
    ] = None,
    heard: Annotated[list[str] | None, typer.Option("--heard", metavar="U", help="听取汇报的单位，可重复。")] = None,
    kind: Annotated[
        MeetingKind | None, typer.Option("--kind", help="regular（季度例会，新建时默认）或 special（临时召集）。")
    ] = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """记录会议召开：拟定的会议改为已召开（写明日期、主持人、参会和汇报单位），没有会议文件时新建，一次提交
    （提交说明“会议: <编号> 已召开”）。"""
    from laoxiao_cli.domain.meetings import hold as holding
    from laoxiao_cli.domain.meetings import meeting_data
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.repo import yamlio

    settings = Settings.read(ctx, data)
    today = settings.today()
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        ds = w.dataset
        present, reported = ([resolve_unit(ds, u) for u in given] if given else None for given in (attendees, heard))
        plan = holding(ds, meeting_id, day or today, today, chair, on_behalf_of, present, reported, kind)
        path = w.path("meeting", meeting_id)
        if plan.new:
            w.put(path, yamlio.dump(meeting_data(plan.meeting)).encode("utf-8"))
        else:
            raw = path.read_bytes()
            w.put(path, _held(raw, plan, w.rel(path), kind is not None, attendees, heard), before=raw)
        w.message = f"会议: {meeting_id} 已召开"
    report(w, flags)


def _held(
    raw: bytes, plan: Holding, rel: str, set_kind: bool, attendees: list[str] | None, heard: list[str] | None
) -> bytes:
    """The planned meeting's file with what holding it changes, edited in place."""
    from laoxiao_cli.repo import yamlappend, yamledit, yamlio

    m = plan.meeting
    values: dict[str, object] = {"status": "held", "date": m.date, "chair": m.chair}
    if set_kind:
        values["kind"] = m.kind
    keys = yamlio.parse(raw).data
    if m.on_behalf_of is not None or "on_behalf_of" in keys:  # a 组长 chairs: `on_behalf_of` goes
        values["on_behalf_of"] = m.on_behalf_of
    after = {"chair": "date", "on_behalf_of": "chair" if "chair" in keys else "date"}
    out = yamledit.set_values(raw, values, rel, after=after)
    keys = yamlio.parse(out).data
    if attendees:
        anchor = next((k for k in ("on_behalf_of", "chair", "date") if k in keys), None)
        out = yamlappend.set_list(out, "attendees", m.attendees, rel, after=anchor)
    if heard:
        anchor = next((k for k in ("agenda", "attendees", "on_behalf_of", "chair") if k in keys), None)
        out = yamlappend.set_list(out, "heard", m.heard, rel, after=anchor)
    return out


@app.command("decide", cls=LxCommand)
def decide(
    ctx: typer.Context,
    meeting_id: Annotated[str, typer.Argument(metavar="ID", help="已召开会议的编号，如 2022-q3。")],
    text: Annotated[str, typer.Option("--text", help="议定事项的内容。")],
    lead: Annotated[
        str | None, typer.Option("--lead", help="牵头单位：同时新建跟踪任务（须同时给出 --due、--title、--target）。")
    ] = None,
    due: Annotated[date | None, date_option("--due", "与 --lead 同用：完成时限。")] = None,
    title: Annotated[str | None, typer.Option("--title", help="与 --lead 同用：跟踪任务的名称。")] = None,
    target: Annotated[str | None, typer.Option("--target", help="与 --lead 同用：目标（可衡量）。")] = None,
    support: Annotated[
        list[str] | None, typer.Option("--support", metavar="U", help="与 --lead 同用：配合单位，可重复。")
    ] = None,
    key: Annotated[bool, typer.Option("--key", help="与 --lead 同用：列为重点项目。")] = False,
    weight: Annotated[
        int | None, typer.Option("--weight", metavar="N", parser=positive, help="与 --lead 同用：赋分权重（默认 1）。")
    ] = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """记录议定事项：追加到已召开会议的 decisions；给出 --lead 时同时新建跟踪任务（source.meeting 为本次会议）并
    关联，会议与任务一次提交（提交说明“会议: <编号> 议定事项 <N>”）。"""
    from laoxiao_cli.errors import UsageError

    task_options = {"--due": due, "--title": title, "--target": target, "--support": support, "--weight": weight}
    if lead is None:
        given = [name for name, value in task_options.items() if value] + (["--key"] if key else [])
        if given:
            raise UsageError(f"{'、'.join(given)} 须与 --lead 同用（新建跟踪任务）")
    else:
        missing = [name for name in ("--due", "--title", "--target") if task_options[name] is None]
        if missing:
            raise UsageError(f"--lead 须同时给出 {'、'.join(missing)}（跟踪任务的完成时限、名称、目标）")
    settings = Settings.read(ctx, data)
    today = settings.today()
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        _decide(w, meeting_id, text, today, lead, due, title, target, support or [], key, weight)
    report(w, flags)


def _decide(
    w: Write,
    meeting_id: str,
    text: str,
    today: date,
    lead: str | None,
    due: date | None,
    title: str | None,
    target: str | None,
    support: list[str],
    key: bool,
    weight: int | None,
) -> None:
    """The meeting's new decision and, with a lead unit, its tracking task: both in one plan."""
    from laoxiao_cli.domain.meetings import held_meeting
    from laoxiao_cli.domain.tasks import TaskDraft, new_task, task_data
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.repo import remote_ids, yamlappend, yamlio

    ds = w.dataset
    meeting = held_meeting(ds, meeting_id)
    item: dict[str, object] = {"text": text}
    task = None
    if lead is not None and due is not None and title is not None and target is not None:
        draft = TaskDraft(
            title=title,
            target=target,
            lead=resolve_unit(ds, lead),
            due=due,
            support=[resolve_unit(ds, u) for u in support],
            key=key,
            weight=weight or 1,
            meeting=meeting_id,
        )
        task = new_task(ds, draft, today, remote_ids.known(w.root, w.data_dir).tasks)
        item.update(lead=task.lead, due=task.due, task=task.id)
    path = w.path("meeting", meeting_id)
    raw = path.read_bytes()
    w.put(path, yamlappend.append_item(raw, "decisions", item, w.rel(path)), before=raw)
    number = len(meeting.decisions) + 1
    w.message = f"会议: {meeting_id} 议定事项 {number}"
    w.ids = [meeting_id]
    if task is not None:
        w.put(w.path("task", task.id), yamlio.dump(task_data(task)).encode("utf-8"))
        w.message += f" → 任务 {task.id}"
        w.ids.append(task.id)


@app.command(cls=LxCommand, name="minutes")
def minutes(
    ctx: typer.Context,
    meeting: Annotated[str, typer.Argument(metavar="ID", help="会议编号，如 2022-q3。")],
    fmt: Annotated[str, format_option("minutes", "markdown 或 docx（docx 须配合 -o）。")] = "markdown",
    out: Annotated[Path | None, typer.Option("-o", "--output", parser=path_value, help="写入文件。")] = None,
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """已召开会议的会议纪要：时间、主持人、听取汇报、审议方案、议定事项（一、二、三……）、出席/列席/请假人员；
    docx 为 GB/T 9704-2012 纪要格式（红色纪要标志、第N期、印发日期）。"""
    from laoxiao_cli.domain.minutes import minutes as compute
    from laoxiao_cli.render import minutes as render

    fmt = need_file(fmt, out, "会议纪要.docx", ("docx",))
    settings = Settings.read(ctx, data, at)
    ds = read_data(settings)
    emit(compute(ds, meeting), render.FORMATS, fmt, settings.view(), out)

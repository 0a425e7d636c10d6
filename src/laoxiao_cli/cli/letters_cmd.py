"""`lx letters` (letters due), `lx letters issue` (issue them, by the ladder or at the office's discretion:
records, one commit, documents), `lx letters reply` (record a reply) and `lx letters show`."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from laoxiao_cli.cli.common import (
    WriteFlags,
    emit,
    need_file,
    open_repo,
    read_data,
    recording,
    report,
    write_out,
    write_output,
)
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import (
    AsOfOpt,
    AtOpt,
    DataOpt,
    DryRunOpt,
    NoCommitOpt,
    UnitOpt,
    WriteFormatOpt,
    date_option,
    format_option,
)
from laoxiao_cli.cli.params import path_value
from laoxiao_cli.cli.settings import Settings

if TYPE_CHECKING:
    from laoxiao_cli.domain.letters import DueLetter
    from laoxiao_cli.model.records import Letter
    from laoxiao_cli.repo import Write

LetterKind = Literal["reminder", "assignment", "supervision"]
"""model.records.LetterKind, spelled here so that building the command line does not import pydantic."""

app = typer.Typer(
    cls=HelpGroup,
    rich_markup_mode=None,
    help="函件：按升级规则列出应发的提醒函、交办函、督办函；lx letters issue 发出，lx letters reply 记录回复。",
)


@app.callback(invoke_without_command=True)
def letters(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    fmt: Annotated[str, format_option("letters", "输出格式：table 或 json。")] = "table",
    at: AtOpt = None,
    data: DataOpt = None,
) -> None:
    """列出截至当天应发的函件：逾期满规定天数、不跳级、且上一份函件的回复期限已过。"""
    if ctx.invoked_subcommand is not None:
        return
    from laoxiao_cli.domain.letters import DueLetters, letters_due
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.render import letters as render

    settings = Settings.read(ctx, data, at)
    day = settings.as_of(as_of)
    ds = read_data(settings)
    due = DueLetters(day, letters_due(ds, day, resolve_unit(ds, unit) if unit else None))
    emit(due, render.FORMATS, fmt, settings.view(ds))


def serial(value: str) -> int:
    """``--number``: a positive whole number (the serial in the office's register)."""
    if not value.strip().isdigit() or int(value) < 1:
        raise typer.BadParameter(f"“{value}”不是编号：应为正整数，如 7")
    return int(value)


KindOpt = Annotated[
    LetterKind | None,
    typer.Option(
        "--kind", help="与 --task 同用：函件级别 reminder（提醒函）、assignment（交办函）或 supervision（督办函）。"
    ),
]


@app.command(cls=LxCommand, name="issue")
def issue(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            help="专门发函：给这项任务的牵头单位发一份函件（须同时给出 --kind 与 --reason；单位组牵头时每个成员单位"
            "各一份，--unit 只发给其中一个）。",
        ),
    ] = None,
    kind: KindOpt = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="与 --task 同用：发函事由（写入函件记录和文档）。")
    ] = None,
    number: Annotated[
        int | None,
        typer.Option(
            "--number", metavar="N", parser=serial, help="第一份函件的编号（发文字号序号），默认接续当年最大编号。"
        ),
    ] = None,
    signed_by: Annotated[
        str | None,
        typer.Option("--signed-by", metavar="姓名", help="签发人（签发函件的领导）：写入函件记录，印在文档上。"),
    ] = None,
    cc: Annotated[
        list[str] | None,
        typer.Option(
            "--cc", metavar="单位", help="抄送（可多次给出，每次一个单位或人员）：写入函件记录，印在文档的版记。"
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "-o", "--output", parser=path_value, help="函件文档（.docx 与 .md）的输出文件夹，相对于当前目录。"
        ),
    ] = Path("letters-out"),
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """发出函件：按升级规则发出应发的函件；或用 --task --kind --reason 给一项任务专门发函。在 letters/ 写入函件记录
    （回复期限 = 发函日 + reply_days，编号接续当年最大编号）并一次提交，同时生成 .docx（GB/T 9704-2012 信函格式）
    与 .md 文档。"""
    from laoxiao_cli.domain import letters as domain
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.errors import LxError, UsageError
    from laoxiao_cli.repo import remote_ids

    if task is None and (kind is not None or reason is not None):
        raise UsageError("--kind 与 --reason 须与 --task 同用")
    if task is not None and (kind is None or reason is None):
        raise UsageError("--task 须同时给出 --kind（函件级别）与 --reason（发函事由）")
    settings = Settings.read(ctx, data)
    today = settings.today()
    day = settings.as_of(as_of)
    if day > today:
        raise LxError(f"发函日期 {day} 晚于今天（{today}）：还没有发生的事不能记录")
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        ds = w.dataset
        elsewhere = remote_ids.known(w.root, w.data_dir, ds.letters)  # ids and numbers not fetched into the tree
        ids, numbers = elsewhere.letters, elsewhere.numbers_of(day.year)
        unit_id = resolve_unit(ds, unit) if unit else None
        if task is not None and kind is not None and reason is not None:
            planned = domain.discretionary(ds, task, kind, reason, day, number, ids, numbers, unit_id)
        else:
            planned = domain.issue(ds, day, unit_id, number, ids, numbers)
        if planned and (signed_by is not None or cc):
            extra = {"signed_by": signed_by, "cc": list(cc or [])}
            planned = [(letter.model_copy(update=extra), item) for letter, item in planned]
        if planned:
            _plan_letters(w, planned, out)
            w.message = _message(planned, day, discretionary=task is not None)
    if not planned and fmt == "text":
        write_out(f"截至 {day.isoformat()}，没有需要发出的函件。\n")
        return
    report(w, flags, _issued_text(planned, out, flags) if planned else None)


def _plan_letters(w: Write, planned: list[tuple[Letter, DueLetter]], out: Path) -> None:
    """The records and the two documents of each letter."""
    from laoxiao_cli.domain import letters as domain
    from laoxiao_cli.render import letters as render
    from laoxiao_cli.repo import yamlio

    ds = w.dataset
    thresholds = ds.group.rules.escalation
    for letter, item in planned:
        record = "# 函件记录（lx letters issue 生成）；收到回复后用 lx letters reply 记录\n" + yamlio.dump(
            domain.letter_data(letter)
        )
        w.put(w.path("letter", letter.id), record.encode("utf-8"))
        text = render.letter_text(letter, item, ds.group, getattr(thresholds, letter.kind))
        w.output(out / f"{letter.id}.md", render.markdown(text).encode("utf-8"))
        w.output(out / f"{letter.id}.docx", render.docx(text))
    w.ids = [letter.id for letter, _ in planned]


def _message(planned: list[tuple[Letter, DueLetter]], day: date, *, discretionary: bool) -> str:
    from laoxiao_cli.render import labels

    if discretionary:
        letter, item = planned[0]
        tasks = "、".join(t.task.id for t in item.tasks)
        ids = "、".join(x.id for x, _ in planned)  # one per member when a group leads the task
        return f"函件: {ids} {labels.LETTER_KINDS[letter.kind]} {tasks} 专门发函 ({day.isoformat()})"
    counts = Counter(letter.kind for letter, _ in planned)
    summary = "、".join(f"{name} {counts[kind]} 件" for kind, name in labels.LETTER_KINDS.items() if counts[kind])
    return f"函件: {summary} ({day.isoformat()})"


def _issued_text(planned: list[tuple[Letter, DueLetter]], out: Path, flags: WriteFlags) -> str:
    from laoxiao_cli.render import labels

    lines = []
    for letter, item in planned:
        names = "、".join(t.task.id for t in item.tasks)
        kind = labels.LETTER_KINDS[letter.kind]
        lines.append(f"{letter.id} {kind} → {item.unit_name}（{names}；回复期限 {letter.reply_by.isoformat()}）\n")
    if not flags.dry_run:
        lines.append(f"文档在 {out}/\n")
    return "".join(lines)


@app.command(cls=LxCommand, name="reply")
def reply(
    ctx: typer.Context,
    letter_id: Annotated[str, typer.Argument(metavar="ID", help="函件编号，如 l2022-007。")],
    day: Annotated[date | None, date_option("--date", "回复日期（默认今天）。")] = None,
    note: Annotated[str | None, typer.Option("--note", help="回复要点（写入 reply_note）。")] = None,
    promised: Annotated[date | None, date_option("--promised", "回复中承诺的完成时限：此前不再发下一级函件。")] = None,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: WriteFormatOpt = "text",
    data: DataOpt = None,
) -> None:
    """记录函件回复：写入回复日期（及回复要点、承诺完成时限），一次提交（提交说明“函件: <编号> 已回复”）。"""
    from laoxiao_cli.domain.letters import reply as replying
    from laoxiao_cli.repo import yamledit

    settings = Settings.read(ctx, data)
    today = settings.today()
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        changes = replying(w.dataset, letter_id, day or today, today, note, promised)
        path = w.path("letter", letter_id)
        raw = path.read_bytes()
        after = {"reply_note": "replied", "promised": "replied"}
        w.put(path, yamledit.set_values(raw, changes, w.rel(path), after=after), before=raw)
        w.message = f"函件: {letter_id} 已回复"
    report(w, flags)


@app.command(cls=LxCommand, name="show")
def show(
    ctx: typer.Context,
    letter_id: Annotated[str, typer.Argument(metavar="ID", help="函件编号，如 l2022-007。")],
    fmt: Annotated[
        Literal["markdown", "docx"], typer.Option("--format", "-f", help="markdown 或 docx（docx 须配合 -o）。")
    ] = "markdown",
    out: Annotated[
        Path | None, typer.Option("-o", "--output", parser=path_value, help="写入文件（- 为标准输出）。")
    ] = None,
    data: DataOpt = None,
) -> None:
    """重新输出一份已发出的函件，与发出时相同（按函件提交时的数据生成）；docx 为 GB/T 9704-2012 信函格式。"""
    from laoxiao_cli.domain.letters import issued_letter
    from laoxiao_cli.render import letters as render

    chosen = need_file(fmt, out, "提醒函.docx", ("docx",))
    settings = Settings.read(ctx, data)
    repo = open_repo(settings)
    ds = read_data(settings)
    rel = ds.path_of("letter", letter_id)
    versions = repo.log(rel)
    # the data as committed with the letter (its first commit); a letter written with --no-commit: as it is
    as_issued = repo.at(versions[-1].commit).require() if versions else ds
    letter, item = issued_letter(as_issued, letter_id)
    thresholds = as_issued.group.rules.escalation
    text = render.letter_text(letter, item, as_issued.group, getattr(thresholds, letter.kind))
    payload: str | bytes = render.docx(text) if chosen == "docx" else render.markdown(text)
    write_output(payload, out)

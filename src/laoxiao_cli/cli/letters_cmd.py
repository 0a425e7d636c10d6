"""`lx letters` (letters due) and `lx letters issue` (issue them: records, one commit, documents)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.common import emit, open_repo, read_data, write_out, write_output, writing
from laoxiao_cli.cli.helptext import HelpGroup, LxCommand
from laoxiao_cli.cli.options import AsOfOpt, DataOpt, UnitOpt, format_option
from laoxiao_cli.cli.settings import Settings

app = typer.Typer(
    cls=HelpGroup,
    rich_markup_mode=None,
    help="函件：按升级规则列出应发的提醒函、交办函、督办函；lx letters issue 发出。",
)


@app.callback(invoke_without_command=True)
def letters(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    fmt: Annotated[str, format_option("letters", "输出格式：table 或 json。")] = "table",
    data: DataOpt = None,
) -> None:
    """列出截至当天应发的函件：逾期满规定天数、不跳级、且上一份函件的回复期限已过。"""
    if ctx.invoked_subcommand is not None:
        return
    from laoxiao_cli.domain.letters import DueLetters, letters_due
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.render import letters as render

    settings = Settings.read(ctx, data)
    day = settings.as_of(as_of)
    ds = read_data(settings)
    due = DueLetters(day, letters_due(ds, day, resolve_unit(ds, unit) if unit else None))
    emit(due, render.FORMATS, fmt, settings.view(ds))


@app.command(cls=LxCommand, name="issue")
def issue(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="只写函件记录，不提交（不检查未提交的修改）。")
    ] = False,
    out: Annotated[
        Path, typer.Option("-o", "--output", help="函件文档（.docx 与 .md）的输出文件夹，相对于当前目录。")
    ] = Path("letters-out"),
    data: DataOpt = None,
) -> None:
    """发出应发的函件：在 letters/ 写入函件记录（回复期限 = 发函日 + reply_days）并一次提交，同时生成 .docx 与 .md 文档。"""
    from laoxiao_cli.domain import letters as domain
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.render import labels
    from laoxiao_cli.render import letters as render
    from laoxiao_cli.repo import yamlio

    settings = Settings.read(ctx, data)
    day = settings.as_of(as_of)
    with writing(settings, commit=not no_commit) as w:
        ds = w.dataset
        planned = domain.issue(ds, day, resolve_unit(ds, unit) if unit else None)
        if not planned:
            typer.echo(f"截至 {day.isoformat()}，没有需要发出的函件。")
            return
        thresholds = ds.group.rules.escalation
        for letter, item in planned:
            record = "# 函件记录（lx letters issue 生成）；收到回复后填写 replied\n" + yamlio.dump(
                domain.letter_data(letter)
            )
            w.put(w.path("letter", letter.id), record.encode("utf-8"))
            text = render.letter_text(letter, item, ds.group, getattr(thresholds, letter.kind))
            w.output(out / f"{letter.id}.md", render.markdown(text).encode("utf-8"))
            w.output(out / f"{letter.id}.docx", render.docx(text))
        counts = Counter(letter.kind for letter, _ in planned)
        summary = "、".join(f"{name} {counts[kind]} 件" for kind, name in labels.LETTER_KINDS.items() if counts[kind])
        w.message = f"发函: {summary} ({day.isoformat()})"
    for letter, item in planned:
        names = "、".join(t.task.id for t in item.tasks)
        kind = labels.LETTER_KINDS[letter.kind]
        write_out(f"{letter.id} {kind} → {item.unit_name}（{names}；回复期限 {letter.reply_by.isoformat()}）\n")
    where = f"已提交 {w.commit[:8]}" if w.commit else "已写入函件记录（未提交）"
    typer.echo(f"{where}：{summary}；文档在 {out}/", err=True)


@app.command(cls=LxCommand, name="show")
def show(
    ctx: typer.Context,
    letter_id: Annotated[str, typer.Argument(metavar="ID", help="函件编号，如 l2022-007。")],
    fmt: Annotated[
        Literal["markdown", "docx"], typer.Option("--format", "-f", help="markdown 或 docx（docx 须配合 -o）。")
    ] = "markdown",
    out: Annotated[Path | None, typer.Option("-o", "--output", help="写入文件（- 为标准输出）。")] = None,
    data: DataOpt = None,
) -> None:
    """重新输出一份已发出的函件，与发出时相同（按函件提交时的数据生成）。"""
    from laoxiao_cli.domain.letters import issued_letter
    from laoxiao_cli.errors import UsageError
    from laoxiao_cli.render import letters as render

    if fmt == "docx" and out is None:
        raise UsageError("--format docx 须用 -o 指定输出文件，如 -o 提醒函.docx")
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
    payload: str | bytes = render.docx(text) if fmt == "docx" else render.markdown(text)
    write_output(payload, out)

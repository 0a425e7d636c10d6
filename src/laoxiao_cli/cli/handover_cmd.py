"""`lx handover`: a personnel change filed with the office, in one Git commit (new, 补录 or 更正)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from laoxiao_cli.cli.common import WriteFlags, recording, report, write_out
from laoxiao_cli.cli.options import ContactsOpt, DataOpt, DryRunOpt, NoCommitOpt, date_option, format_option
from laoxiao_cli.cli.settings import Settings

if TYPE_CHECKING:
    from laoxiao_cli.domain.handover import HandoverPlan
    from laoxiao_cli.model.records import Person
    from laoxiao_cli.repo import Write

RECORD_HEADER = "# 人员调整交接备案（lx handover 生成）\n"


def handover(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option("--unit", "-u", help="单位：编号、名称或别名。")],
    role: Annotated[
        Literal["member", "liaison"],
        typer.Option("--role", help="member（专班成员，即单位负责同志）或 liaison（联络员）。"),
    ],
    to: Annotated[str, typer.Option("--to", help="继任者姓名。")],
    title: Annotated[
        str | None, typer.Option("--title", help="继任者职务（不填则沿用原任职务；更正时沿用原记录中继任者的）。")
    ] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="继任者电话（不填则不保留原任电话）。")] = None,
    email: Annotated[str | None, typer.Option("--email", help="继任者电子邮箱（不填则不保留原任邮箱）。")] = None,
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            help="继任者在代码托管平台的账号（如 wangwu、@org/team 或邮箱；用于 lx codeowners 和 lx validate --authors；不填则不保留原任账号）。",
        ),
    ] = None,
    date_: Annotated[date | None, date_option("--date", "交接生效日期（默认今天）。")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注。")] = None,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help="更正同一生效日期已录入的交接（如继任者录错）：按本次给出的继任者改写那条记录，并更新单位文件"
            "（其后已有交接时改为更新下一条记录的原任）。",
        ),
    ] = False,
    dry_run: DryRunOpt = False,
    no_commit: NoCommitOpt = False,
    fmt: Annotated[
        str,
        format_option(
            "handover",
            "输出：text 或 markdown（交接清单，markdown 为可打印的文档）；json 为 "
            '{"commit", "files", "ids", "action", "record"}：提交、写入的文件、记录编号、'
            "new/insert/correct（新录、补录、更正），record 为交接记录本身。",
        ),
    ] = "text",
    with_contacts: ContactsOpt = False,
    data: DataOpt = None,
) -> None:
    """人员调整交接：写交接备案记录、更新单位文件，并做一次 Git 提交；输出继任者的交接清单。

    生效日期早于该单位该角色最近一次交接时按补录处理：插入交接链，原任为当时的在任者，其后一次交接的原任改为本次的继任者，单位文件不变。录错的交接用 --correct 更正。

    --dry-run 显示交接清单和将要写入的两个文件的差异（不加 --with-contacts 时差异中的电话、邮箱以 *** 显示），什么也不写。
    """
    from laoxiao_cli.domain import handover as domain
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.render import handover as render

    settings = Settings.read(ctx, data)
    filed = settings.today()
    # a date object of its own: PyYAML writes one object used twice as an anchor and an alias
    effective = date_ if date_ is not None else date.fromordinal(filed.toordinal())
    flags = WriteFlags(dry_run, no_commit, fmt)
    with recording(settings, flags) as w:
        ds = w.dataset
        unit_id = resolve_unit(ds, unit)
        place = domain.placement(ds, unit_id, role, effective, correct)
        person = domain.successor(place.base, role, to.strip(), title, phone, email, account)
        plan = domain.plan(ds, unit_id, role, person, effective, filed, note, place)
        _put_files(w, plan, person, note)
        w.message = domain.commit_message(plan)
        hidden = set() if with_contacts else domain.contacts(ds, plan)
        checklist = render.FORMATS[fmt](plan, settings.view(with_contacts=with_contacts)) if fmt != "json" else ""
        assert isinstance(checklist, str)
    _report(w, flags, plan, checklist, hidden)


def _put_files(w: Write, plan: HandoverPlan, person: Person, note: str | None) -> None:
    """The record (new, or its ``to`` rewritten), then the unit file, or the next record when there is one."""
    from laoxiao_cli.domain.handover import record_data
    from laoxiao_cli.repo import yamledit, yamlio

    record = plan.record
    successor = person.model_dump(exclude_none=True)
    path = w.path("handover", record.id)
    if plan.corrected is None:
        w.put(path, (RECORD_HEADER + yamlio.dump(record_data(record))).encode("utf-8"))
    else:
        raw = path.read_bytes()
        new = yamledit.set_mapping(raw, "to", successor, w.rel(path))
        if note is not None:
            new = yamledit.set_values(new, {"note": note}, w.rel(path), after={"note": "missing_reports"})
        w.put(path, new, before=raw)
    if plan.following is not None:
        path = w.path("handover", plan.following.id)
        raw = path.read_bytes()
        w.put(path, yamledit.set_mapping(raw, "from", successor, w.rel(path)), before=raw)
    else:
        path = w.path("unit", record.unit)
        raw = path.read_bytes()
        w.put(path, yamledit.set_mapping(raw, record.role, successor, w.rel(path)), before=raw)


def _report(w: Write, flags: WriteFlags, plan: HandoverPlan, checklist: str, hidden: set[str]) -> None:
    """JSON: the summary with the record; a dry run: the checklist and the diffs; else the checklist and
    the commit (cli/common.py ``report``)."""
    from laoxiao_cli.render import handover as render
    from laoxiao_cli.render.changes import diff

    if flags.fmt == "json":
        write_out(render.summary(plan, w.commit, w.written(), w.record_ids(), flags.dry_run))
        return
    if not flags.dry_run:
        report(w, flags, checklist)
        return
    diffs = [diff(w.rel(path), w.before.get(path), data) for path, data in w.files.items()]
    write_out(render.preview(checklist, diffs, flags.fmt, hidden))
    masked = any(value in d for value in hidden for d in diffs)
    typer.echo(
        "（预演：未写入任何文件；以上修改已通过校验"
        + ("；差异中的电话、邮箱以 *** 显示，加 --with-contacts 显示原文" if masked else "")
        + "）",
        err=True,
    )

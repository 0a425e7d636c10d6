"""`lx handover`: a personnel change filed with the office, in one Git commit (new, 补录 or 更正) — of a
unit's member or liaison, or of a 组长 or 副组长 (group.yaml, spec 6.10)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from laoxiao_cli.cli.common import WriteFlags, recording, report, write_out
from laoxiao_cli.cli.options import ContactsOpt, DataOpt, DryRunOpt, NoCommitOpt, date_option, format_option
from laoxiao_cli.cli.settings import Settings
from laoxiao_cli.errors import UsageError

if TYPE_CHECKING:
    from laoxiao_cli.domain.handover import HandoverPlan
    from laoxiao_cli.domain.leader_handover import LeaderChange
    from laoxiao_cli.model.records import Person
    from laoxiao_cli.repo import Write

RECORD_HEADER = "# 人员调整交接备案（lx handover 生成）\n"


def handover(
    ctx: typer.Context,
    role: Annotated[
        Literal["member", "liaison", "leader", "deputy_leader"],
        typer.Option(
            "--role",
            help="member（专班成员，即单位负责同志）、liaison（联络员）、leader（组长）或 deputy_leader（副组长）。",
        ),
    ],
    to: Annotated[str, typer.Option("--to", help="继任者姓名。")],
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help="单位：编号、名称或别名（member、liaison 必填；组长、副组长不填）。"),
    ] = None,
    replaces: Annotated[
        str | None,
        typer.Option("--replaces", help="组长、副组长交接时：离任的是哪一位（当天在任的只有一位时可不填）。"),
    ] = None,
    coordinator: Annotated[
        bool,
        typer.Option(
            "--coordinator",
            help="副组长交接时：继任者任牵头协调人（另一位副组长原任牵头协调人的，自生效日期起不再担任）。",
        ),
    ] = False,
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
            "（其后已有交接时改为更新下一条记录的原任）。只用于 member、liaison。",
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
    """人员调整交接：写交接备案记录、更新单位文件（组长、副组长：group.yaml），并做一次 Git 提交；输出继任者的交接清单。

    生效日期早于该单位该角色最近一次交接时按补录处理：插入交接链，原任为当时的在任者，其后一次交接的原任改为本次的继任者，单位文件不变。录错的交接用 --correct 更正。

    组长、副组长（--role leader|deputy_leader，不给 --unit）：原任的任期写 until（生效日期前一天），继任者紧随其后写一项 from（生效日期）；交接清单列出继任者接手的重点项目、会议议定事项、待回复函件和下次例会。

    --dry-run 显示交接清单和将要写入的两个文件的差异（不加 --with-contacts 时差异中的电话、邮箱以 *** 显示），什么也不写。
    """
    from laoxiao_cli.domain import handover as domain
    from laoxiao_cli.domain.units import not_a_group, resolve_unit
    from laoxiao_cli.render import handover as render

    settings = Settings.read(ctx, data)
    filed = settings.today()
    # a date object of its own: PyYAML writes one object used twice as an anchor and an alias
    effective = date_ if date_ is not None else date.fromordinal(filed.toordinal())
    flags = WriteFlags(dry_run, no_commit, fmt)
    given = {"--unit": unit, "--phone": phone, "--email": email, "--account": account, "--correct": correct or None}
    if role == "leader" or role == "deputy_leader":
        from laoxiao_cli.domain.leader_handover import LeaderChange

        _leader_usage(role, given, coordinator)
        change = LeaderChange(role, to, effective, filed, replaces, title, coordinator, note)
        _leader_handover(settings, flags, change)
        return
    if unit is None or replaces is not None or coordinator:
        raise UsageError(
            "--role member、liaison 须用 --unit 指定单位；--replaces、--coordinator 只用于组长、副组长的交接"
            "（--role leader 或 deputy_leader）"
        )
    with recording(settings, flags) as w:
        ds = w.dataset
        unit_id = not_a_group(ds, resolve_unit(ds, unit), "人事调整交接记在各成员单位")
        place = domain.placement(ds, unit_id, role, effective, correct)
        person = domain.successor(place.base, role, to.strip(), title, phone, email, account)
        plan = domain.plan(ds, unit_id, role, person, effective, filed, note, place)
        _put_files(w, plan, person, note)
        w.message = domain.commit_message(plan)
        hidden = set() if with_contacts else domain.contacts(ds, plan)
        checklist = render.FORMATS[fmt](plan, settings.view(with_contacts=with_contacts)) if fmt != "json" else ""
        assert isinstance(checklist, str)
    _report(w, flags, plan, checklist, hidden)


def _leader_usage(role: str, given: Mapping[str, object], coordinator: bool) -> None:
    """What a 组长's or 副组长's handover does not take: a unit, contacts, --correct; --coordinator but
    for a 副组长."""
    wrong = [name for name, value in given.items() if value is not None]
    if coordinator and role != "deputy_leader":
        raise UsageError("--coordinator 只用于副组长的交接（--role deputy_leader）：牵头协调人是一位副组长")
    if "--correct" in wrong:
        raise UsageError(
            "组长、副组长的交接没有 --correct：录错时请修改 group.yaml 中那两项任期和 handovers/ 中的交接记录，"
            "再运行 lx save（会先校验两者是否一致）"
        )
    if wrong:
        raise UsageError(
            f"组长、副组长的交接不用 {'、'.join(wrong)}：组长、副组长不属于某个单位，group.yaml 中只记姓名、职务和任期"
        )


def _leader_handover(settings: Settings, flags: WriteFlags, change: LeaderChange) -> None:
    """group.yaml's terms and the record, in one commit; the checklist (or the JSON summary)."""
    from laoxiao_cli.domain import leader_handover as domain
    from laoxiao_cli.domain.handover import record_data
    from laoxiao_cli.render import leader_handover as render
    from laoxiao_cli.repo import yamledit, yamlio

    with recording(settings, flags) as w:
        plan = domain.plan(w.dataset, change)
        path = w.path("group", "group")
        raw = new = path.read_bytes()
        for edit in plan.edits:  # in the plan's order: a later item first, so the indices hold
            if edit.insert:
                new = yamledit.insert_item(new, edit.key, edit.index + 1, edit.values, w.rel(path))
            else:
                new = yamledit.set_item(new, edit.key, edit.index, edit.values, w.rel(path))
        w.put(w.path("handover", plan.record.id), (RECORD_HEADER + yamlio.dump(record_data(plan.record))).encode())
        w.put(path, new, before=raw)
        w.message = domain.commit_message(plan)
        view = settings.view(w.dataset)
        checklist = render.FORMATS[flags.fmt](plan, view) if flags.fmt != "json" else ""
        assert isinstance(checklist, str)
    if flags.fmt == "json":
        write_out(render.summary(plan, w.commit, w.written(), w.record_ids(), flags.dry_run))
    elif flags.dry_run:
        _preview(w, flags, checklist, set())
    else:
        report(w, flags, checklist)


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

    if flags.fmt == "json":
        write_out(render.summary(plan, w.commit, w.written(), w.record_ids(), flags.dry_run))
        return
    if not flags.dry_run:
        report(w, flags, checklist)
        return
    _preview(w, flags, checklist, hidden)


def _preview(w: Write, flags: WriteFlags, checklist: str, hidden: set[str]) -> None:
    """A dry run: the checklist, the diffs (contacts in ``hidden`` masked), and that nothing was written."""
    from laoxiao_cli.render import handover as render
    from laoxiao_cli.render.changes import diff

    diffs = [diff(w.rel(path), w.before.get(path), data) for path, data in w.files.items()]
    write_out(render.preview(checklist, diffs, flags.fmt, hidden))
    masked = any(value in d for value in hidden for d in diffs)
    typer.echo(
        "（预演：未写入任何文件；以上修改已通过校验"
        + ("；差异中的电话、邮箱以 *** 显示，加 --with-contacts 显示原文" if masked else "")
        + "）",
        err=True,
    )

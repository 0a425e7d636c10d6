"""`lx handover`: a personnel change filed with the office, in one Git commit."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import typer

from laoxiao_cli.cli.common import write_out, writing
from laoxiao_cli.cli.options import ContactsOpt, DataOpt, date_option, format_option
from laoxiao_cli.cli.settings import Settings


def handover(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option("--unit", "-u", help="单位：编号、名称或别名。")],
    role: Annotated[
        Literal["member", "liaison"],
        typer.Option("--role", help="member（专班成员，即单位负责同志）或 liaison（联络员）。"),
    ],
    to: Annotated[str, typer.Option("--to", help="继任者姓名。")],
    title: Annotated[str | None, typer.Option("--title", help="继任者职务（不填则沿用原任职务）。")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="继任者电话（不填则不保留原任电话）。")] = None,
    email: Annotated[str | None, typer.Option("--email", help="继任者电子邮箱（不填则不保留原任邮箱）。")] = None,
    date_: Annotated[date | None, date_option("--date", "交接生效日期（默认今天）。")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注。")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示交接清单，不写任何文件。")] = False,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="写入文件但不提交（不检查未提交的修改）。")] = False,
    fmt: Annotated[
        str, format_option("handover", "交接清单格式：text、markdown（可打印的文档）或 json（交接记录）。")
    ] = "text",
    with_contacts: ContactsOpt = False,
    data: DataOpt = None,
) -> None:
    """人员调整交接：写交接备案记录、更新单位文件，并做一次 Git 提交；输出继任者的交接清单。"""
    from laoxiao_cli.domain import handover as domain
    from laoxiao_cli.domain.units import resolve_unit
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.render import handover as render
    from laoxiao_cli.repo import yamledit, yamlio

    settings = Settings.read(ctx, data)
    filed = settings.today()
    effective = date_ or filed
    with writing(settings, commit=not no_commit, require_clean=not (no_commit or dry_run)) as w:
        ds = w.dataset
        unit_id = resolve_unit(ds, unit)
        current = domain.current_holder(ds, unit_id, role)
        person = domain.successor(current, role, to.strip(), title, phone, email)
        plan = domain.plan(ds, unit_id, role, person, effective, filed, note)
        output = render.FORMATS[fmt](plan, settings.view(with_contacts=with_contacts))
        assert isinstance(output, str)
        if dry_run:
            write_out(output)
            typer.echo("（预演：未写入任何文件）", err=True)
            return
        record_path = w.path("handover", plan.record.id)
        unit_path = w.path("unit", unit_id)
        if record_path.exists():
            raise LxError(f"{record_path.name} 已存在：同一单位、同一角色、同一天只能有一条交接记录")
        record_text = "# 人员调整交接备案（lx handover 生成）\n" + yamlio.dump(domain.record_data(plan.record))
        unit_raw = unit_path.read_bytes()
        unit_bytes = yamledit.set_mapping(unit_raw, role, person.model_dump(exclude_none=True), w.rel(unit_path))
        w.put(record_path, record_text.encode("utf-8"))
        w.put(unit_path, unit_bytes, before=unit_raw)
        w.message = domain.commit_message(plan)
    write_out(output)
    typer.echo(f"已提交 {w.commit[:8]}：{w.message}" if w.commit else "已写入文件（未提交）", err=True)

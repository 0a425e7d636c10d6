"""`lx history ID`: the Git history of one record."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from laoxiao_cli.cli.common import DataOpt, load_data, screen, write_out


class Format(StrEnum):
    table = "table"
    json = "json"


def history(
    ctx: typer.Context,
    record: Annotated[
        str,
        typer.Argument(
            help="记录：unit/编号、task/编号、meeting/编号、report/YYYY-MM/单位、letter/编号、handover/编号，或唯一的编号。"
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式：table 或 json。")] = Format.table,
    data: DataOpt = None,
) -> None:
    """一条记录的 Git 历史：每次提交的时间、作者、说明，以及改动了哪些字段。"""
    from laoxiao_cli.domain.history import Version, changes, record_path
    from laoxiao_cli.render import history as render
    from laoxiao_cli.store import gitrepo, yamlio
    from laoxiao_cli.store.discover import relative

    loaded = load_data(ctx, data)
    ds = loaded.require()
    root = gitrepo.require_repository(loaded.data_dir)
    kind, key = _resolve(ds, record, loaded.data_dir, root)
    rel = relative(loaded.data_dir / record_path(kind, key), root)
    log = gitrepo.path_log(root, rel)
    contents = gitrepo.blobs(root, [f"{sha}:{rel}" for sha, *_ in log])
    versions = []
    for (sha, author, email, when, subject), raw in zip(log, contents, strict=True):
        data_, readable = None, True
        if raw is not None:
            try:
                data_ = yamlio.parse(raw).data
            except yamlio.ParseError:
                readable = False
        versions.append(Version(sha, author, email, when, subject, data_, readable))
    result = changes(versions)
    name = f"{kind}/{key}"
    write_out(render.as_json(name, rel, result) if fmt is Format.json else render.table(name, rel, result, screen()))


def _resolve(ds, text: str, data_dir, root) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(kind, key) for ``text``; a bare id must name exactly one record."""
    from laoxiao_cli.domain.history import KIND_FOLDERS, record_path
    from laoxiao_cli.errors import LxError
    from laoxiao_cli.store import gitrepo
    from laoxiao_cli.store.discover import relative

    kind, _, rest = text.partition("/")
    if kind in KIND_FOLDERS and rest:
        return kind, rest
    present = {
        "unit": text in ds.units,
        "task": text in ds.tasks,
        "meeting": text in ds.meetings,
        "letter": text in ds.letters,
        "handover": text in ds.handovers,
        "report": tuple(text.split("/", 1)[::-1]) in {(u, m) for (m, u) in ds.submitted} if "/" in text else False,
    }
    found = [k for k, yes in present.items() if yes]
    if not found:  # a deleted record: look for its path in the history
        found = [k for k in KIND_FOLDERS if gitrepo.path_log(root, relative(data_dir / record_path(k, text), root))]
    if len(found) == 1:
        return found[0], text
    if not found:
        raise LxError(f"没有编号为“{text}”的记录（当前数据和 Git 历史中都没有）")
    raise LxError(f"编号“{text}”对应多条记录，请写明类别：{'、'.join(f'{k}/{text}' for k in found)}")

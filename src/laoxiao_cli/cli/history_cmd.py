"""`lx history ID`: the Git history of one record."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from laoxiao_cli.cli.common import DataOpt, progress_bar, screen, write_out
from laoxiao_cli.model.kinds import BY_NAME, RECORDS

if TYPE_CHECKING:
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.repo import Repo


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
    from laoxiao_cli.cli.common import open_repo
    from laoxiao_cli.domain.history import Version, changes
    from laoxiao_cli.render import history as render
    from laoxiao_cli.repo import yamlio

    repo = open_repo(ctx, data)
    ds = repo.load(progress_bar()).require()
    repo.git_root()
    kind, key = _resolve(ds, repo, record)
    rel = ds.path_of(kind, BY_NAME[kind].parse_key(key))
    versions = []
    for v in repo.log(rel):
        data_, readable = None, True
        if v.content is not None:
            try:
                data_ = yamlio.parse(v.content).data
            except yamlio.ParseError:
                readable = False
        versions.append(Version(v.commit, v.author, v.email, v.date, v.message, data_, readable))
    result = changes(versions)
    name = f"{kind}/{key}"
    write_out(render.as_json(name, rel, result) if fmt is Format.json else render.table(name, rel, result, screen()))


def _resolve(ds: Dataset, repo: Repo, text: str) -> tuple[str, str]:
    """(kind, key) for ``text``; a bare id must name exactly one record."""
    from laoxiao_cli.errors import LxError

    kind, _, rest = text.partition("/")
    if kind in BY_NAME and kind != "group" and rest:
        return kind, rest
    found = [k.name for k in RECORDS if k.parse_key(text) in ds.table(k.name)]
    if not found:  # a deleted record: look for its path in the history
        found = [k.name for k in RECORDS if repo.ever_had(ds.path_of(k.name, k.parse_key(text)))]
    if len(found) == 1:
        return found[0], text
    if not found:
        raise LxError(f"没有编号为“{text}”的记录（当前数据和 Git 历史中都没有）")
    raise LxError(f"编号“{text}”对应多条记录，请写明类别：{'、'.join(f'{k}/{text}' for k in found)}")

"""`lx history ID`: the Git history of one record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from laoxiao_cli.cli.common import emit, open_repo, read_data
from laoxiao_cli.cli.options import DataOpt, format_option
from laoxiao_cli.cli.settings import Settings
from laoxiao_cli.model.kinds import BY_NAME, RECORDS

if TYPE_CHECKING:
    from laoxiao_cli.domain.history import Version
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.repo import Repo


def history(
    ctx: typer.Context,
    record: Annotated[
        str,
        typer.Argument(
            help="记录：unit/编号、task/编号、meeting/编号、report/YYYY-MM/单位、letter/编号、handover/编号，或唯一的编号。"
        ),
    ],
    fmt: Annotated[str, format_option("history", "输出格式：table 或 json。")] = "table",
    data: DataOpt = None,
) -> None:
    """一条记录的 Git 历史：每次提交的时间、作者、说明，以及改动了哪些字段（旧值 → 新值）。"""
    from laoxiao_cli.domain.history import record_history
    from laoxiao_cli.render import history as render
    from laoxiao_cli.repo import gitcli

    settings = Settings.read(ctx, data)
    repo = open_repo(settings)
    ds = read_data(settings)
    root = repo.git_root()
    kind, key = _resolve(ds, repo, record)
    rel = ds.path_of(kind, BY_NAME[kind].parse_key(key))
    result = record_history(f"{kind}/{key}", rel, _versions(repo, rel), gitcli.shallow_cut(root))
    if (warning := render.warning(result)) is not None:
        typer.echo(warning, err=True)
    emit(result, render.FORMATS, fmt, settings.view())


def _versions(repo: Repo, rel: str) -> list[Version]:
    """Each commit's version of the file, parsed (``readable`` False where it does not parse)."""
    from laoxiao_cli.domain.history import Version
    from laoxiao_cli.repo import yamlio

    versions = []
    for v in repo.log(rel):
        data, readable = None, True
        if v.content is not None:
            try:
                data = yamlio.parse(v.content).data
            except yamlio.ParseError:
                readable = False
        versions.append(Version(v.commit, v.author, v.email, v.date, v.message, data, readable))
    return versions


def _resolve(ds: Dataset, repo: Repo, text: str) -> tuple[str, str]:
    """(kind, key) for ``text``; a bare id must name exactly one record."""
    import re

    from laoxiao_cli.errors import LxError

    if not re.fullmatch(
        r"report/[0-9]{4}-[0-9]{2}/[a-z0-9][a-z0-9._-]*|((unit|task|meeting|letter|handover)/)?[a-z0-9][a-z0-9._-]*",
        text,
    ):
        raise LxError(
            f"“{text}”不是记录编号：应为 unit/编号、task/编号、meeting/编号、report/YYYY-MM/单位、letter/编号、"
            "handover/编号，或唯一的编号（小写字母、数字和 . _ -）"
        )
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

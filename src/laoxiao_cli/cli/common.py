"""Options shared by the commands, and the small helpers every command uses."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.render.common import Screen
    from laoxiao_cli.repo import Loaded, Repo, Write

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def today() -> date:
    """Today in Asia/Shanghai (China keeps UTC+8 all year); ``LX_TODAY=YYYY-MM-DD`` fixes it, for
    reproducible examples and tests."""
    import os

    fixed = os.environ.get("LX_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise typer.BadParameter(f"环境变量 LX_TODAY=“{fixed}”不是日期：应为 YYYY-MM-DD") from None
    return datetime.now(SHANGHAI).date()


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"“{value}”不是日期：应为 YYYY-MM-DD，如 2022-12-31") from None


DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="数据文件夹（含 group.yaml）；默认取环境变量 LX_DATA，或从当前目录向上查找 data/。"),
]
ContactsOpt = Annotated[
    bool,
    typer.Option("--with-contacts", help="在导出内容中包含联络员等人员的电话和邮箱（默认不含，保护个人信息）。"),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD", help="按哪一天计算（默认今天，北京时间）。"),
]


def as_of_date(value: str | None) -> date:
    parsed = _parse_date(value)
    return parsed if parsed is not None else today()


def option_date(value: str | None) -> date | None:
    return _parse_date(value)


def data_dir(ctx: typer.Context, data: Path | None) -> Path | None:
    """The command's ``--data``, else the one given before the command name."""
    if data is not None:
        return data
    obj = ctx.find_root().obj
    return obj.get("data") if isinstance(obj, dict) else None


def write_out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def screen() -> Screen:
    """Colours only on a terminal and without NO_COLOR; a wide page when piped so rows do not wrap."""
    import os
    import shutil

    from laoxiao_cli.render.common import Screen

    tty = sys.stdout.isatty()
    styled = tty and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((160, 24)).columns if tty else int(os.environ.get("COLUMNS", "160") or 160)
    return Screen(styled=styled, width=max(width, 60))


def unit_names(ds: Dataset) -> dict[str, str]:
    return {u.id: u.name for u in ds.units.values()}


def write_output(payload: str | bytes, out: Path | None) -> None:
    """Write to ``-o FILE`` (atomically) or to standard output."""
    if out is None:
        if isinstance(payload, bytes):
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
        else:
            write_out(payload)
        return
    from laoxiao_cli.repo import outputs

    outputs.write(out, payload if isinstance(payload, bytes) else payload.encode("utf-8"))
    typer.echo(f"已写入 {out}", err=True)


def progress_bar(label: str = "读取数据文件", threshold: int = 500) -> Callable[[int], Callable[[int], None]] | None:
    """A rich progress bar on standard error for long work, only when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def start(total: int) -> Callable[[int], None]:
        if total < threshold:
            return lambda n: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        bar.start()
        task = bar.add_task(label, total=total)
        done = [0]

        def advance(n: int) -> None:
            done[0] += n
            bar.advance(task, n)
            if done[0] >= total:
                bar.stop()

        return advance

    return start


def open_repo(ctx: typer.Context, data: Path | None) -> Repo:
    """The data repository of a command, telling the user about interrupted writes it settled."""
    from laoxiao_cli.repo import Repo

    return Repo.open(data_dir(ctx, data), notify=lambda note: typer.echo(f"注意：{note}", err=True))


def load_data(ctx: typer.Context, data: Path | None) -> Loaded:
    """Load the data folder for a command (progress bar on a terminal)."""
    return open_repo(ctx, data).load(progress_bar())


@contextmanager
def writing(
    ctx: typer.Context, data: Path | None, *, commit: bool, require_clean: bool | None = None
) -> Iterator[Write]:
    """A writing command's session through the one writer (repo/writer.py)."""
    with open_repo(ctx, data).write(commit=commit, require_clean=require_clean, progress=progress_bar()) as plan:
        yield plan

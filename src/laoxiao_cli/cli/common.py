"""What every command does the same way: open the repository, and write its output (``emit``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

if TYPE_CHECKING:
    from laoxiao_cli.cli.settings import Settings
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.render.common import Renderer, View
    from laoxiao_cli.repo import Loaded, Repo, Write

Result = TypeVar("Result")


def emit(
    result: Result, formats: Mapping[str, Renderer[Result]], fmt: str, view: View, out: Path | None = None
) -> None:
    """Render ``result`` in the format named ``fmt`` and write it to standard output or ``-o FILE``."""
    write_output(formats[fmt](result, view), out)


def write_out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def write_output(payload: str | bytes, out: Path | None) -> None:
    """Write to ``-o FILE`` (atomically) or to standard output (no ``-o``, or ``-o -``)."""
    if out is None or str(out) == "-":
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
    import os

    if not sys.stderr.isatty() or os.environ.get("TERM") in ("dumb", "unknown"):  # no escape codes there
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


def open_repo(settings: Settings) -> Repo:
    """The data repository of a command, telling the user about interrupted writes it settled."""
    from laoxiao_cli.repo import Repo

    return Repo.open(settings.data, notify=lambda note: typer.echo(f"注意：{note}", err=True))


def load_data(settings: Settings) -> Loaded:
    """Load the data folder for a command (progress bar on a terminal)."""
    return open_repo(settings).load(progress_bar())


class Outcome:
    """What the command's exit code must say beyond its own result: a view shown from partial data."""

    partial = False


def read_data(settings: Settings) -> Dataset:
    """The dataset for a read command. With findings (spec 13): the findings on standard error, a line
    naming the files left out, and the records of the other files; the command then exits 1."""
    loaded = load_data(settings)
    if not loaded.findings:
        return loaded.require()
    dataset = loaded.dataset
    if dataset is None:  # no usable group.yaml: nothing can be computed
        return loaded.require()
    from laoxiao_cli.model.subset import readable
    from laoxiao_cli.render.findings import text

    usable, left_out = readable(dataset, {f.file for f in loaded.findings})
    sys.stderr.write(text(loaded.findings, loaded.files))
    shown = "、".join(left_out[:10]) + (f" 等 {len(left_out)} 个文件" if len(left_out) > 10 else "")
    sys.stderr.write(
        f"注意：数据有问题，以下结果未计入这些文件中的记录：{shown or '（无）'}；请运行 lx validate 并修正\n"
    )
    Outcome.partial = True
    return usable


@contextmanager
def writing(settings: Settings, *, commit: bool, require_clean: bool | None = None) -> Iterator[Write]:
    """A writing command's session through the one writer (repo/writer.py)."""
    with open_repo(settings).write(commit=commit, require_clean=require_clean, progress=progress_bar()) as plan:
        yield plan

"""What every command does the same way: open the repository, and write its output (``emit``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

if TYPE_CHECKING:
    from laoxiao_cli.cli.settings import Settings
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.render.common import Renderer, View
    from laoxiao_cli.repo import Loaded, Repo, Write

Result = TypeVar("Result")
Payload = TypeVar("Payload", bound=str | bytes)


def emit(
    result: Result, formats: Mapping[str, Renderer[Result]], fmt: str, view: View, out: Path | None = None
) -> None:
    """Render ``result`` in the format named ``fmt`` and write it to standard output or ``-o FILE``."""
    write_output(formats[fmt](result, view), out)


FILE_FORMATS = ("xlsx", "docx")
"""Formats that are files, not text: they need ``-o FILE``."""
FILE_KINDS = {"xlsx": "Excel 工作簿", "docx": "Word 文档"}


def need_file(fmt: str, out: Path | None, example: str, formats: tuple[str, ...] = FILE_FORMATS) -> str:
    """The format to write: ``fmt``, or the one ``-o FILE``'s name asks for (``-o 通报.docx`` without
    ``--format``: docx). A file format (xlsx, docx) without ``-o``, or ``--format`` given as a text format
    for a ``.docx``/``.xlsx`` file, is a usage error (exit 2), before anything is read. ``formats``: the
    file formats the command has."""
    from laoxiao_cli.errors import UsageError

    suffix = out.suffix.lower().lstrip(".") if out is not None and str(out) != "-" else ""
    if suffix in FILE_FORMATS and fmt != suffix:
        if suffix not in formats:
            raise UsageError(f"-o {out} 是 {FILE_KINDS[suffix]}，这条命令不能输出 {suffix}：请换一个文件名")
        if _given("fmt"):
            raise UsageError(
                f"-o {out} 是 {FILE_KINDS[suffix]}，但 --format 为 {fmt}：请改用 --format {suffix}，或换一个文件名"
            )
        fmt = suffix
    if fmt in FILE_FORMATS and out is None:
        raise UsageError(f"--format {fmt} 须用 -o 指定输出文件，如 -o {example}")
    return fmt


def _given(param: str) -> bool:
    """The option was written on the command line (or in the environment), not left at its default."""
    from typer._click.core import ParameterSource
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    source = ctx.get_parameter_source(param) if ctx is not None else None
    return source not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


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
    if isinstance(payload, str) and out.suffix.lower().lstrip(".") in FILE_FORMATS:
        from laoxiao_cli.errors import UsageError

        kind = FILE_KINDS[out.suffix.lower().lstrip(".")]
        raise UsageError(f"-o {out} 是 {kind}，这条命令在这个格式下输出的是文本：请换一个文件名（如 .md、.txt、.json）")
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


def load_data(settings: Settings, tables: tuple[str, ...] = (), view: tuple[str, Hashable] | None = None) -> Loaded:
    """Load the data folder for a command (progress bar on a terminal): the work tree, or with ``--at`` the
    data as committed at that revision or date (spec 11.6), read from Git objects. ``tables``: the cache
    parts the command will use (read while Git works), named as the dataset's tables; ``view``: the view it
    will compute (see ``read_view``)."""
    repo = open_repo(settings)
    if settings.at is not None:
        return repo.at(settings.at_day or settings.at)
    return repo.load(progress_bar(), tables=tables, view=view)


READ_AHEAD = ("tasks", "units")
"""The tables nearly every read command uses: read from the cache while `git status` runs."""


class Outcome:
    """What the command's exit code must say beyond its own result: a view shown from partial data."""

    partial = False


def read_data(settings: Settings) -> Dataset:
    """The dataset for a read command. With findings (spec 13): the findings on standard error, a line
    naming the files left out, and the records of the other files; the command then exits 1."""
    return _usable(load_data(settings, READ_AHEAD))


class Reading:
    """A read command's load, its dataset built (and its findings reported) only when first needed."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded

    @cached_property
    def dataset(self) -> Dataset:
        return _usable(self.loaded)

    def output(self, render: Callable[[Dataset], Payload]) -> Payload:
        """``render(dataset)``: the command's whole output, or that output remembered from the same command
        on this exact content (``read_view``), without reading any table."""
        return self.loaded.remembered(lambda: render(self.dataset))


def read_view(settings: Settings, name: str, args: tuple[Hashable, ...] | None) -> Reading:
    """``read_data`` for a command whose output depends only on the records, on ``args`` (the day, the unit
    as given, the format) and on the screen (its colours and width, added here): repeated on the same
    content, the output is read from the cache instead of computed (``repo/views.py``). ``args`` None:
    never remembered (a file format, whose bytes carry the time they were made)."""
    screen = (settings.screen.styled, settings.screen.width)
    loaded = load_data(settings, READ_AHEAD, (name, (*args, *screen)) if args is not None else None)
    reading = Reading(loaded)
    if loaded.findings:
        reading.dataset  # noqa: B018 -- the findings and the files left out are reported now, before the output
    return reading


def _usable(loaded: Loaded) -> Dataset:
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
def writing(
    settings: Settings, *, commit: bool, require_clean: bool | None = None, dry_run: bool = False
) -> Iterator[Write]:
    """A writing command's session through the one writer (repo/writer.py)."""
    repo = open_repo(settings)
    with repo.write(commit=commit, require_clean=require_clean, progress=progress_bar(), dry_run=dry_run) as plan:
        yield plan


@dataclass(frozen=True)
class WriteFlags:
    """``--dry-run``, ``--no-commit`` and ``--format`` of a writing command (spec 8.1)."""

    dry_run: bool = False
    no_commit: bool = False
    fmt: str = "text"

    @property
    def commit(self) -> bool:
        return not (self.dry_run or self.no_commit)


@contextmanager
def recording(settings: Settings, flags: WriteFlags) -> Iterator[Write]:
    """A writing command's session with the shared flags: a dry run validates and writes nothing;
    ``--no-commit`` writes without committing and does not check for uncommitted changes."""
    with writing(settings, commit=flags.commit, require_clean=flags.commit, dry_run=flags.dry_run) as plan:
        yield plan


def report(w: Write, flags: WriteFlags, text: str | None = None) -> None:
    """What a writing command prints: ``text`` (its own view, if any); then the diff of a dry run, or the
    commit; with ``--format json`` the summary alone."""
    from laoxiao_cli.render.changes import diff, summary

    if flags.fmt == "json":
        write_out(summary(w.commit, w.written(), w.record_ids(), flags.dry_run))
        return
    if text:
        write_out(text)
    if flags.dry_run:
        for path, after in [*w.files.items(), *dict.fromkeys(w.removed).items()]:
            write_out(diff(w.rel(path), w.before.get(path) if path in w.files else w.removed[path], after))
        typer.echo(
            "（预演：未写入任何文件；以上修改已通过校验）" if w.files or w.removed else "（预演：没有要写入的修改）",
            err=True,
        )
        return
    line = f"已提交 {w.commit[:8]}：{w.message}" if w.commit else f"已写入 {'、'.join(w.written())}（未提交）"
    typer.echo(line, err=bool(text))

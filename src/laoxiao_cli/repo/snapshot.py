"""The cache's content: the last run's findings, an index of every file, and the dataset's tables.

    state      key of the content it describes · files count · findings · generation of every part
    index      rel → (stat, sha1, findings, ref): what each file yielded, without its record
    group      the group
    units, tasks, meetings, letters, handovers, calendars, reports: one table per kind
    submitted, percents, by_task: what the rules need of the reports (their days, figures, figures by task)
    edits      a load of the work tree that differs from ``state`` (a commit's) by a few files: their bytes
               and the findings, so the same hand edits are not worked out again (``Edits``)

A command on unchanged data reads ``state`` (validate) and the parts it uses (status: not the reports).
After an edit, only the changed files are parsed and only the parts of their kinds are written again.
Each part is checked against the generation ``state`` names; any mismatch means "no cache".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laoxiao_cli.errors import LxError
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.kinds import BY_NAME, RECORDS
from laoxiao_cli.repo import cache, forks
from laoxiao_cli.repo.pipeline import IndexEntry

if TYPE_CHECKING:  # the models are imported only when the dataset is read: `lx validate` needs none
    from laoxiao_cli.model.dataset import Dataset


@dataclass(frozen=True)
class State:
    key: str | None
    files: int
    findings: list[Finding]
    parts: dict[str, str]
    tree: str | None = None
    """The committed data folder's tree id when this state is exactly it (nothing else differed), so a
    later load can start from it and apply what changed since (``git diff`` of two trees)."""


def read_state(folder: Path) -> State | None:
    stored = cache.read(folder / "state")
    return stored if isinstance(stored, State) else None


@dataclass(frozen=True)
class Edits:
    """The load of the content ``key``: the cached state ``base`` (a commit's data) with ``files`` (path
    relative to the repository → its bytes, None: deleted) in place of its own; ``count`` files and
    ``findings`` in all. Only these bytes are stored: the dataset is made again from ``base`` when a
    command needs it."""

    key: str
    base: str
    files: dict[str, bytes | None]
    count: int
    findings: list[Finding]


def read_edits(folder: Path) -> Edits | None:
    stored = cache.read(folder / "edits")
    return stored if isinstance(stored, Edits) and isinstance(stored.files, dict) else None


def write_edits(folder: Path, edits: Edits) -> None:
    cache.write(folder / "edits", edits)


def _part(folder: Path, name: str, state: State) -> Any:
    stored = cache.read(folder / name)
    if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != state.parts.get(name):
        return None
    return stored[1]


def read_index(folder: Path, state: State) -> dict[str, IndexEntry]:
    index = _part(folder, "index", state)
    return index if isinstance(index, dict) else {}


def read_parts(folder: Path, state: State, names: Iterable[str]) -> dict[str, Any]:
    """Those of the parts ``names`` that are there, of ``state``'s generation (for ``read_dataset``)."""
    found = {name: _part(folder, name, state) for name in names}
    return {name: part for name, part in found.items() if isinstance(part, dict)}


PARTS = (*(kind.table for kind in RECORDS if kind.name != "report"), "submitted", "percents", "by_task", "reports")
"""The parts a dataset is read from, beside the group."""


def read_dataset(
    folder: Path,
    state: State,
    prefix: str,
    fallback: Callable[[], Dataset | None],
    early: dict[str, Any] | None = None,
) -> Dataset | None:
    """The dataset from its parts, each read when first used (``early``: parts read already, by
    ``read_parts``). Every part is opened here and checked against ``state``'s generation; a part read
    later is read from the file opened now, so that a cache rewritten meanwhile cannot mix another state's
    tables in. None when a part is missing or of another generation. ``fallback`` gives a dataset loaded
    without the cache, whose table stands in for a part that cannot be read after all (a damaged file)."""
    import weakref
    from functools import cache as once

    from laoxiao_cli.model.dataset import Dataset

    group = _part(folder, "group", state)
    if group is None:
        return None
    given = dict(early or {})
    opened = {name: cache.open_table(folder / name) for name in PARTS if name not in given}
    pinned = {name: o for name, o in opened.items() if o is not None and o.head == state.parts.get(name)}
    if len(pinned) < len(opened):
        _close(list(opened.values()))
        return None
    fresh = once(fallback)

    def part(name: str, table: str) -> Callable[[], Any]:
        def read() -> Any:
            stored = given.pop(name) if name in given else pinned[name].table()
            if stored is not None:
                return stored
            dataset = fresh()
            if dataset is None:
                raise LxError("缓存文件已损坏，而数据文件夹现在也读不出来：请运行 lx validate 查看问题")
            return getattr(dataset, table)

        return read

    tables: dict[str, Any] = {kind.name: part(kind.table, kind.table) for kind in RECORDS if kind.name != "report"}
    # the parts were written from a built dataset, every table already in file-name order: not sorted again
    in_order = frozenset(kind.name for kind in RECORDS)
    dataset = Dataset.build(
        group,
        tables,
        prefix,
        submitted=part("submitted", "submitted"),
        percents=part("percents", "percents"),
        reports=part("reports", "reports"),
        in_order=in_order,
        by_task=part("by_task", "percents_by_task"),
    )
    weakref.finalize(dataset, _close, list(pinned.values()))  # the parts never read
    return dataset


def _close(opened: list[cache.Opened | None]) -> None:
    for one in opened:
        if one is not None:
            one.close()


def write(
    folder: Path,
    key: str | None,
    files: int,
    findings: list[Finding],
    dataset: Dataset | None,
    index: dict[str, IndexEntry],
    changed_kinds: Iterable[str] | None,
    previous: State | None,
    tree: str | None = None,
) -> State:
    """Write the index, the parts of ``changed_kinds`` (None: all), then the state that makes them current
    (returned)."""
    return begin(folder, dataset, index, changed_kinds, previous, beside=False).finish(key, files, findings, tree)


BESIDE = (2_000, 100_000)
"""From how many files to how many the parts are written beside the cross-file rules (``begin``): below,
a fork costs more than the writing; above, the pages the writer touches (it counts a reference to every
record it pickles) would be copied for it, up to the size of the data itself: half a gigabyte at a
province's scale."""


def begin(
    folder: Path,
    dataset: Dataset | None,
    index: dict[str, IndexEntry],
    changed_kinds: Iterable[str] | None,
    previous: State | None,
    beside: bool,
) -> Pending:
    """Start writing the index and the parts of ``changed_kinds`` (None: all); ``Pending.finish`` makes
    them current with the state. With ``beside`` (and a second core), a forked child writes the biggest
    of them (``ASIDE``) now, while this process runs the cross-file rules (at a city's scale, 0.3 s of
    pickling beside 0.25 s of rules); the others, or all of them, are written by ``finish``."""
    parts = dict(previous.parts) if previous is not None and changed_kinds is not None else {}
    every = {"group", *(k.table for k in RECORDS)}
    changed = {BY_NAME[k].table for k in changed_kinds} if changed_kinds is not None else every
    if "reports" in changed:
        changed.update(("submitted", "percents", "by_task"))
    puts: list[tuple[str, Callable[[], Any]]] = [("index", lambda: index)]
    if dataset is not None:
        ds = dataset
        values: dict[str, Callable[[], Any]] = {
            "group": lambda: ds.group,
            "submitted": lambda: ds.submitted,
            "percents": lambda: ds.percents,
            "by_task": lambda: ds.percents_by_task,  # derived from the percents, kept so views need not redo it
            "reports": lambda: dict(ds.reports),
        }
        for kind in RECORDS:
            if kind.name != "report":
                values[kind.table] = lambda kind=kind: dict(ds.table(kind.name))  # type: ignore[misc]
        # only what changed is read (a part not read is not loaded)
        puts.extend((name, value) for name, value in values.items() if name in changed or name not in parts)
    else:
        parts = {}
    generations = [(name, uuid.uuid4().hex, value) for name, value in puts]
    parts.update((name, generation) for name, generation, _ in generations)
    pending = Pending(folder, generations, parts)
    if beside and forks.cores() > 1:
        pending.start()
    return pending


ASIDE = frozenset(("index", "reports", "submitted", "percents", "by_task"))
"""The parts a child writes (``Pending``), the others being written by ``finish``: at a city's scale
these take 0.30 s to pickle, the rest 0.07 s, beside the 0.25 s of the cross-file rules."""


class Pending:
    """Parts of a cache state being written, not yet current: ``finish`` makes them so, ``abandon`` (a
    run that cannot be stored after all) removes them. Beside this process, a child writes each part to
    a temporary file of its own, then waits: told to go on, it renames them into place; told nothing
    (this process abandoned them, or died), it removes them."""

    def __init__(self, folder: Path, generations: list[tuple[str, str, Callable[[], Any]]], parts: dict[str, str]):
        self.folder, self._generations, self.parts = folder, generations, parts
        self._child: tuple[int, int] | None = None  # (pid, the pipe's end this process writes "go" to)

    def start(self) -> None:
        import os

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return  # ``finish`` tries again, and gives up quietly
        try:
            go_read, go_write = os.pipe()
        except OSError:  # no file descriptor to be had: ``finish`` writes the parts
            return
        try:
            pid = forks.start(lambda: self._write_aside(go_read, go_write), interruptible=False)
        except OSError:  # no process to be had: ``finish`` writes the parts
            os.close(go_write)
            return
        finally:
            os.close(go_read)
        self._child = (pid, go_write)

    def _write_aside(self, go_read: int, go_write: int) -> bool:  # in the child
        import os

        os.close(go_write)
        written: list[tuple[Path, str]] = []
        try:
            for name, generation, value in self._aside_parts():
                tmp = self._aside(name, generation)
                if not cache.write_aside(tmp, (generation, value())):
                    return False
                written.append((tmp, name))
            if os.read(go_read, 1) != b"1":
                return False
            while written:
                tmp, name = written[0]
                os.replace(tmp, self.folder / name)
                written.pop(0)
            return True
        finally:
            for tmp, _ in written:
                tmp.unlink(missing_ok=True)

    def _aside(self, name: str, generation: str) -> Path:
        return self.folder / f".{name}.{generation}.tmp"

    def _aside_parts(self) -> list[tuple[str, str, Callable[[], Any]]]:
        return [one for one in self._generations if one[0] in ASIDE]

    def finish(self, key: str | None, files: int, findings: list[Finding], tree: str | None) -> State:
        """Make the parts current (written by the child, or else here), then write the state naming them."""
        import os

        child = self._child
        aside = self._aside_parts() if child is not None else []
        try:
            self._write_here([one for one in self._generations if one not in aside])
            if child is not None:
                pid, go = child
                try:
                    os.write(go, b"1")
                except OSError:
                    pass  # the child is gone
                if forks.reap(pid) != 0:  # it could not write its parts: written here
                    self._write_here(aside)
                self._child = None
                os.close(go)
        except BaseException:  # interrupted (Ctrl-C): the child stopped, what it wrote removed
            self.abandon()
            raise
        state = State(key, files, findings, self.parts, tree)
        cache.write(self.folder / "state", state)
        cache.sweep(self.folder)
        return state

    def _write_here(self, generations: list[tuple[str, str, Callable[[], Any]]]) -> None:
        for name, generation, value in generations:
            cache.write(self.folder / name, (generation, value()))

    def abandon(self) -> None:
        """Stop the child, if any, and remove what it wrote (after ``finish``: nothing to do)."""
        import os

        child, self._child = self._child, None
        if child is None:
            return
        pid, go = child
        forks.stop(pid)
        os.close(go)
        forks.reap(pid)
        for name, generation, _ in self._aside_parts():
            self._aside(name, generation).unlink(missing_ok=True)

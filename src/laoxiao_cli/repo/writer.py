"""The one writer: every change lx makes to a data repository goes through ``writing``.

    with writing(data_dir, commit=True) as w:     # refuses a dirty data/, takes the lock, loads
        ds = w.dataset                             # the data as it is under the lock
        w.put(path, new_bytes, before=old_bytes)   # plan files (nothing is written yet)
        w.output(doc_path, doc_bytes)              # plan side outputs (documents outside data/)
        w.message = "函件: …"
    w.commit                                       # the commit, once the block has ended

When the block ends without an exception, the whole repository is validated with the planned files in
memory (any finding: nothing is written), then they are written (atomically, journaled) and committed in
one commit, and only then are the side outputs moved into place (they were written beside their targets first, so a path that cannot be written
fails before anything is committed). Any failure, or a kill at any moment, leaves the repository as it
was: the next lx command finishes or undoes an interrupted write (repo/journal.py). An exception inside
the block writes nothing at all. A dry run (``dry_run=True``) validates the plan the same way and then
writes nothing: the command shows ``w.files`` against ``w.before``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from laoxiao_cli.errors import InvalidData, LxError
from laoxiao_cli.model.kinds import BY_NAME, Key
from laoxiao_cli.repo import gitcli, journal, outputs
from laoxiao_cli.repo.discover import git_dir, relative
from laoxiao_cli.repo.files import crash_point, write_bytes_atomic
from laoxiao_cli.repo.lock import bump, locked
from laoxiao_cli.repo.pipeline import Progress

if TYPE_CHECKING:
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.model.findings import Finding
    from laoxiao_cli.repo.loader import Loaded

_ABSENT = object()


class Write:
    """What one writing command plans: files under the data folder and side outputs."""

    def __init__(self, loaded: Loaded, root: Path, commit: bool, dry_run: bool = False) -> None:
        self.loaded = loaded
        self.root = root
        self.data_dir = loaded.data_dir
        self.committing = commit and not dry_run
        self.dry_run = dry_run
        self.ids: list[str] = []
        """The records the command wrote (for ``--format json``); by default the keys of the files."""
        self.message: str | None = None
        self.files: dict[Path, bytes] = {}
        self.before: dict[Path, bytes | None] = {}
        self.outputs: dict[Path, bytes] = {}
        self.removed: dict[Path, bytes] = {}
        """Files to delete, with the bytes the command saw (HEAD's, for a file already deleted by hand)."""
        self.commit: str | None = None
        self.allowed: set[tuple[str, str]] = set()
        """(file, message start) of findings the written files may have (a scaffold not filled in yet)."""

    @property
    def dataset(self) -> Dataset:
        """The data as it is under the lock (InvalidData when it has findings)."""
        return self.loaded.require()

    def put(self, path: Path, data: bytes, before: bytes | object | None = _ABSENT) -> None:
        """Plan ``path`` to hold ``data``. ``before``: the bytes the command based its change on (default:
        none, a new file); if the file holds anything else when the write happens, nothing is written."""
        self.files[path] = data
        self.before[path] = None if before is _ABSENT else before  # type: ignore[assignment]

    def remove(self, path: Path, before: bytes) -> None:
        """Plan ``path`` to be deleted (and its deletion committed)."""
        self.removed[path] = before

    def allow(self, path: Path, message_start: str) -> None:
        """Let ``path`` have findings that start with ``message_start`` (and no others)."""
        self.allowed.add((self.rel(path), message_start))

    def tolerated(self, finding: Finding) -> bool:
        return any(finding.file == rel and finding.message.startswith(start) for rel, start in self.allowed)

    def output(self, path: Path, data: bytes) -> None:
        """Plan a side output (outside the data folder), put in place only once the commit has landed."""
        self.outputs[path] = data

    def rel(self, path: Path) -> str:
        return relative(path, self.root)

    def written(self) -> list[str]:
        """Every file of the plan under the data folder, relative to the repository root."""
        return [self.rel(path) for path in [*self.files, *self.removed]]

    def record_ids(self) -> list[str]:
        if self.ids:
            return list(self.ids)
        from laoxiao_cli.model.kinds import kind_of

        out = []
        for path in [*self.files, *self.removed]:
            parts = path.relative_to(self.data_dir).parts
            kind = kind_of(parts[:-1], parts[-1])
            stem = parts[-1].removesuffix(".yaml")
            key = kind.key(stem, parts[-2] if len(parts) > 2 else "") if kind is not None else stem
            out.append("/".join(key) if isinstance(key, tuple) else key)
        return out

    def path(self, kind: str, key: Key) -> Path:
        """Where the record of ``kind`` with ``key`` lives (model/kinds.py)."""
        return self.data_dir / BY_NAME[kind].path(key)


def guard(root: Path, data_dir: Path, commit: bool, changed: tuple[str, ...] | None = None) -> None:
    """When committing, refuses changes Git does not have (``changed``: those a load under the same lock
    saw, else asked of Git) and anything already staged."""
    if commit:
        dirty = list(changed) if changed is not None else gitcli.changed_paths(root, data_dir)
        if dirty:
            shown = "、".join(dirty[:5]) + (" 等" if len(dirty) > 5 else "")
            raise LxError(
                f"数据文件夹有未提交的修改（{shown}）：请先提交或撤销这些修改，或加 --no-commit 只写文件不提交"
            )
        staged = gitcli.staged_paths(root)
        if staged:
            raise LxError(f"Git 暂存区中已有待提交的内容（{'、'.join(staged[:5])}）：请先提交或撤销暂存")


@contextmanager
def writing(
    data_dir: Path,
    *,
    commit: bool = True,
    require_clean: bool | None = None,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
    dry_run: bool = False,
) -> Iterator[Write]:
    """A writing command's session (see the module's docstring). ``require_clean`` (default: when
    committing) refuses a data folder with changes Git does not have."""
    from laoxiao_cli.repo.loader import load_dir

    root = gitcli.require_repository(data_dir)
    gdir = git_dir(root)
    if gdir is None:
        raise LxError(f"{root} 不是 Git 仓库")
    with locked(gdir):  # before the checks: another writer's files under way are not "changes"
        loaded = load_dir(data_dir, progress, notify=notify)
        guard(root, data_dir, commit if require_clean is None else require_clean, loaded.changed)
        plan = Write(loaded, root, commit, dry_run)
        yield plan
        if plan.files or plan.removed:
            _validate(plan)
        if (plan.files or plan.outputs or plan.removed) and not dry_run:
            plan.commit = _apply(plan, gdir)


def _validate(plan: Write) -> None:
    """The whole repository with the plan applied, in memory: any finding refuses the write."""
    from laoxiao_cli.repo.loader import planned

    changes: dict[Path, bytes | None] = {**plan.files, **dict.fromkeys(plan.removed)}
    result = planned(plan.data_dir, changes, plan.loaded)
    findings = [f for f in result.findings if not plan.tolerated(f)]
    if findings:  # the data was valid before: the change is what breaks it
        raise InvalidData(findings, result.files, heading="修改后的数据未通过校验，未写入任何文件：")


def _apply(plan: Write, gdir: Path) -> str | None:
    root = plan.root
    if plan.committing:  # refused before anything is written: no commit as a made-up author, none lost
        gitcli.require_branch(root)
        gitcli.identity(root, "AUTHOR")
        gitcli.identity(root, "COMMITTER")
    for path in plan.files:
        current = path.read_bytes() if path.exists() else None
        if current != plan.before.get(path):
            raise LxError(f"{plan.rel(path)} 刚被另一个命令修改或创建：未写入任何文件，请重新运行")
    for path in plan.removed:
        if path.exists() and path.read_bytes() != plan.removed[path]:
            raise LxError(f"{plan.rel(path)} 刚被另一个命令修改：未写入任何文件，请重新运行")
    message = plan.message or "数据: lx 写入"
    staged = {path: outputs.stage(path, data) for path, data in plan.outputs.items()}
    crash_point("locked")
    bump(gdir)  # odd: readers that overlap this write will read again
    gone = {path: (path.read_bytes() if path.exists() else None) for path in plan.removed}
    journal.begin(gdir, root, {**plan.before, **gone}, plan.files, message, plan.committing, staged, list(gone))
    crash_point("journaled")
    originals: dict[Path, bytes | None] = {}
    rels = [plan.rel(path) for path in plan.files] + [plan.rel(path) for path in plan.removed]
    head_before = gitcli.head(root) if plan.committing else None
    try:
        commit = _write_commit(plan, originals, message)
    except BaseException:
        landed = plan.committing and gitcli.head(root) != head_before
        if not landed:
            if plan.committing:
                gitcli.unstage(root, rels)
            _restore(originals)
            for tmp in staged.values():
                tmp.unlink(missing_ok=True)
            journal.end(gdir)  # everything is back as it was; a failed rollback leaves it for recovery
            bump(gdir)
            raise
        _place(staged)  # the commit landed (a post-commit hook failed): keep it, and its documents
        journal.end(gdir)
        bump(gdir)
        raise
    _place(staged)
    crash_point("placed")
    journal.end(gdir)
    bump(gdir)
    return commit


def _write_commit(plan: Write, originals: dict[Path, bytes | None], message: str) -> str | None:
    for n, (path, data) in enumerate(plan.files.items(), start=1):
        if path not in originals:
            originals[path] = path.read_bytes() if path.exists() else None
        write_bytes_atomic(path, data)
        crash_point(f"wrote-{n}")
    for path in plan.removed:
        if path not in originals:
            originals[path] = path.read_bytes() if path.exists() else None
        path.unlink(missing_ok=True)
    crash_point("validated")
    if not plan.committing:
        return None
    written = [plan.rel(path) for path in plan.files]
    commit = gitcli.commit_paths(plan.root, written, message, [plan.rel(path) for path in plan.removed])
    crash_point("committed")
    return commit


def _restore(originals: dict[Path, bytes | None]) -> None:
    for path, original in reversed(list(originals.items())):
        if original is None:
            path.unlink(missing_ok=True)
        else:
            write_bytes_atomic(path, original)


def _place(staged: dict[Path, Path]) -> None:
    for final, tmp in staged.items():
        outputs.place(tmp, final)

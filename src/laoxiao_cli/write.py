"""The one way lx changes a data repository: check the tree, lock, journal, write atomically, validate,
commit once.

Every writing command (handover, letters issue, reports new, meeting agenda --write, init) goes through
``guard`` and ``apply``: either all its files are written, valid and committed, or the repository is left
exactly as it was found — also when the process is killed half-way (store/journal.py) or another lx
writes at the same time (store/lock.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from laoxiao_cli.errors import InvalidData, LxError
from laoxiao_cli.store import gitrepo, journal
from laoxiao_cli.store.discover import git_dir, relative
from laoxiao_cli.store.files import crash_point
from laoxiao_cli.store.lock import bump, locked
from laoxiao_cli.store.transaction import Transaction


def guard(data_dir: Path, commit: bool) -> Path:
    """The repository root; refuses outside Git, and (when committing) with changes Git does not have."""
    root = gitrepo.require_repository(data_dir)
    if commit:
        dirty = gitrepo.changed_paths(root, data_dir)
        if dirty:
            shown = "、".join(dirty[:5]) + (" 等" if len(dirty) > 5 else "")
            raise LxError(
                f"数据文件夹有未提交的修改（{shown}）：请先提交或撤销这些修改，或加 --no-commit 只写文件不提交"
            )
        staged = gitrepo.staged_paths(root)
        if staged:
            raise LxError(f"Git 暂存区中已有待提交的内容（{'、'.join(staged[:5])}）：请先提交或撤销暂存")
    return root


def apply(
    data_dir: Path,
    root: Path,
    files: Mapping[Path, bytes],
    message: str,
    commit: bool,
    before: Mapping[Path, bytes | None] | None = None,
) -> str | None:
    """Write ``files``, validate the whole repository, and commit them in one commit (or restore all).

    ``before`` holds the bytes each changed file had when the command read it (new files: absent); if
    another command changed any of them meanwhile, nothing is written."""
    gdir = git_dir(root)
    if gdir is None:
        raise LxError(f"{root} 不是 Git 仓库")
    expected = dict(before or {})
    with locked(gdir):
        for path in files:
            current = path.read_bytes() if path.exists() else None
            if current != expected.get(path):
                raise LxError(f"{relative(path, root)} 刚被另一个命令修改或创建：未写入任何文件，请重新运行")
        crash_point("locked")
        bump(gdir)  # odd: readers that overlap this write will read again
        journal.begin(gdir, root, expected, files, message, commit)
        crash_point("journaled")
        tx = Transaction()
        rels = [relative(path, root) for path in files]
        head_before = gitrepo.head(root) if commit else None
        try:
            result = _write_validate_commit(data_dir, root, files, message, commit, tx, rels)
        except BaseException:
            if commit and gitrepo.head(root) != head_before:
                journal.end(gdir)
                bump(gdir)
                raise  # the commit landed (a post-commit hook failed): the files are committed, keep them
            if commit:
                gitrepo.unstage(root, rels)
            tx.rollback()
            journal.end(gdir)  # everything is back as it was; a failed rollback leaves it for recovery
            bump(gdir)
            raise
        crash_point("committed")
        journal.end(gdir)
        bump(gdir)
        return result


def _write_validate_commit(
    data_dir: Path,
    root: Path,
    files: Mapping[Path, bytes],
    message: str,
    commit: bool,
    tx: Transaction,
    rels: list[str],
) -> str | None:
    from laoxiao_cli.workspace import load_dir

    for n, (path, data) in enumerate(files.items(), start=1):
        tx.write(path, data)
        crash_point(f"wrote-{n}")
    findings = load_dir(data_dir, check_journal=False).findings
    if findings:
        raise InvalidData(findings)
    crash_point("validated")
    if not commit:
        return None
    return gitrepo.commit_paths(root, rels, message)

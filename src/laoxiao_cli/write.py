"""The one way lx changes a data repository: check the tree, write atomically, validate, commit once.

Every writing command (handover, letters issue, reports new, meeting agenda --write) goes through
``guard`` and ``apply``: either all its files are written, valid and committed, or the repository is left
exactly as it was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from laoxiao_cli.errors import InvalidData, LxError
from laoxiao_cli.store import gitrepo
from laoxiao_cli.store.discover import relative
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


def apply(data_dir: Path, root: Path, files: Mapping[Path, bytes], message: str, commit: bool) -> str | None:
    """Write ``files``, validate the whole repository, and commit them in one commit (or restore all)."""
    from laoxiao_cli.workspace import load_dir

    tx = Transaction()
    rels = [relative(path, root) for path in files]
    before = gitrepo.head(root) if commit else None
    try:
        for path, data in files.items():
            tx.write(path, data)
        findings = load_dir(data_dir).findings
        if findings:
            raise InvalidData(findings)
        if not commit:
            return None
        return gitrepo.commit_paths(root, rels, message)
    except BaseException:
        if commit and gitrepo.head(root) != before:
            raise  # the commit landed (a post-commit hook failed): the files are committed, keep them
        if commit:
            gitrepo.unstage(root, rels)
        tx.rollback()
        raise

"""The repository interface: the only package that touches disk, Git or processes.

    repo = Repo.open(data_dir)        # --data, $LX_DATA, or the nearest data/ with a group.yaml
    repo.load()                       # Loaded: findings + the Dataset, one consistent state (loader.py)
    with repo.write(commit=True) as w # the one writer (writer.py): lock, journal, validate, one commit
    repo.at("HEAD~3")                 # the data as committed at a revision, never touching the work tree
    repo.log(rel)                     # the versions of one file, for history
    repo.sync("origin")               # lx sync: fetch, integrate (renumber, merge, validate), push

Inside: scan.py → pipeline.py (pure: parse, schema, rules, cross-file rules) → loader.py (journal
recovery, seqlock, the cache); lock.py, journal.py, files.py, outputs.py; gitcli.py (the one Git
client); yamlio.py (loading, locating, emitting YAML), yamledit.py (edits at the parser's marks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from laoxiao_cli.errors import LxError
from laoxiao_cli.repo import gitcli
from laoxiao_cli.repo.discover import find_data_dir, relative, repo_root
from laoxiao_cli.repo.loader import Loaded, Progress, View, load_dir
from laoxiao_cli.repo.writer import Write, writing

if TYPE_CHECKING:
    from laoxiao_cli.repo.sync import Outcome

__all__ = ["FileVersion", "Loaded", "Repo", "Write"]


@dataclass(frozen=True, slots=True)
class FileVersion:
    """One commit's version of a file (``content`` None where the commit deleted it)."""

    commit: str
    author: str
    email: str
    date: str
    message: str
    content: bytes | None


@dataclass(frozen=True)
class Repo:
    data_dir: Path
    root: Path
    notify: Callable[[str], None] | None = None
    """Told about interrupted writes that were finished or undone before a read."""

    @classmethod
    def open(cls, data: Path | None = None, notify: Callable[[str], None] | None = None) -> Repo:
        data_dir = find_data_dir(data)
        return cls(data_dir, repo_root(data_dir), notify)

    def rel(self, path: Path) -> str:
        """``path`` relative to the repository root, as findings and Git name it."""
        return relative(path, self.root)

    def load(
        self,
        progress: Progress | None = None,
        use_cache: bool = True,
        tables: tuple[str, ...] = (),
        view: View | None = None,
    ) -> Loaded:
        """The data folder's one consistent state; ``tables``: the cache parts the caller will use (read
        while Git works), named as the dataset's tables; ``view``: the view it will compute, whose result
        the cache may remember (``Loaded.remembered``)."""
        return load_dir(self.data_dir, progress, use_cache=use_cache, notify=self.notify, tables=tables, view=view)

    @contextmanager
    def write(
        self,
        *,
        commit: bool = True,
        require_clean: bool | None = None,
        progress: Progress | None = None,
        dry_run: bool = False,
    ) -> Iterator[Write]:
        with writing(
            self.data_dir,
            commit=commit,
            require_clean=require_clean,
            progress=progress,
            notify=self.notify,
            dry_run=dry_run,
        ) as plan:
            yield plan

    def sync(self, remote: str = "origin") -> Outcome:
        """`lx sync`: this clone and the shared repository to one history (repo/sync.py)."""
        from laoxiao_cli.repo import sync

        return sync.sync(self.data_dir, remote, notify=self.notify)

    def git_root(self) -> Path:
        """The work tree, or a refusal when the data folder is not in a Git repository with a commit."""
        return gitcli.require_repository(self.data_dir)

    def at(self, rev: str | date) -> Loaded:
        """The data folder as committed at ``rev``: a commit, tag, branch, ``HEAD~3`` …, or a day (the last
        commit of HEAD's history on or before that day's end in Asia/Shanghai, by committer date)."""
        from laoxiao_cli.repo import pipeline, scan

        root = self.git_root()
        if isinstance(rev, date):
            commit = gitcli.last_commit_on(root, rev)
            if commit is None:
                raise LxError(f"{rev.isoformat()} 当天结束前（北京时间）没有提交：最早的提交晚于这一天")
        else:
            commit = gitcli.resolve(root, rev)
        if commit is None:
            raise LxError(f"找不到版本“{rev}”：应为提交、标签、分支、HEAD~N 或日期 YYYY-MM-DD")
        prefix = self.rel(self.data_dir)
        paths = gitcli.tree_paths(root, commit, prefix)
        contents = dict(zip(paths, gitcli.blobs(root, [f"{commit}:{p}" for p in paths]), strict=True))

        def read(rel: str) -> bytes:
            raw = contents.get(rel)
            if raw is None:
                raise FileNotFoundError(rel)
            return raw

        outcome = pipeline.run(self.data_dir, root, scan.from_paths(paths, prefix), read=read)
        dataset = outcome.dataset
        return Loaded(self.data_dir, root, outcome.files, outcome.findings, lambda: dataset)

    def log(self, rel: str) -> list[FileVersion]:
        """Every commit that touched ``rel``, newest first, with the file's content at each."""
        root = self.git_root()
        entries = gitcli.path_log(root, rel)
        contents = gitcli.blobs(root, [f"{sha}:{rel}" for sha, *_ in entries])
        return [FileVersion(*entry, raw) for entry, raw in zip(entries, contents, strict=True)]

    def ever_had(self, rel: str) -> bool:
        """Whether any commit touched ``rel`` (a record deleted since is still found)."""
        return bool(gitcli.path_log(self.git_root(), rel))

"""The one module that talks to Git. Reads use the plain `git` command (fast, no import cost);
commits use GitPython, imported only when a command commits."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from laoxiao_cli.errors import LxError

if TYPE_CHECKING:
    import git

FALLBACK_AUTHOR = ("lx", "lx@localhost")


def run_git(cwd: Path, *args: str, check: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False)
    except FileNotFoundError:
        raise LxError("找不到 git 命令：请先安装 Git") from None
    if check and done.returncode != 0:
        raise LxError(f"git {' '.join(args)} 失败：{done.stderr.strip()}")
    return done.stdout


def toplevel(path: Path) -> Path | None:
    """The work tree holding ``path``, or None when it is not in a Git repository."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def init_repository(folder: Path, files: Sequence[Path], message: str) -> str:
    """`git init` with branch main, add ``files``, one commit; returns the commit id."""
    import git as gitpython

    repo = gitpython.Repo.init(folder, initial_branch="main")
    repo.index.add([str(f.relative_to(folder)) for f in files])
    author = _identity(repo)
    commit = repo.index.commit(message, author=author, committer=author)
    return str(commit.hexsha)


def _identity(repo: git.Repo) -> git.Actor:
    """The author Git itself would use: GIT_AUTHOR_* variables, else user.name/user.email."""
    import git as gitpython

    reader = repo.config_reader()
    actor = gitpython.Actor.author(reader)
    if not reader.has_option("user", "email") and "GIT_AUTHOR_EMAIL" not in os.environ:
        actor = gitpython.Actor(actor.name or FALLBACK_AUTHOR[0], FALLBACK_AUTHOR[1])
    return actor

"""The one module that talks to Git. Reads use the plain `git` command (fast, no import cost);
commits use GitPython, imported only when a command commits."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from laoxiao_cli.errors import LxError
from laoxiao_cli.repo.files import crash_point

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


def require_repository(path: Path) -> Path:
    top = toplevel(path)
    if top is None:
        raise LxError(f"{path} 不在 Git 仓库中：交接、发函等需要提交的操作只能在数据仓库中进行（可用 lx init 新建）")
    if run_git(top, "rev-parse", "--verify", "-q", "HEAD", check=False).strip() == "":
        raise LxError("数据仓库还没有任何提交：请先提交现有数据")
    return top


def changed_paths(root: Path, folder: Path) -> list[str]:
    """Paths under ``folder`` that differ from HEAD: modified, staged, deleted or untracked."""
    out = run_git(root, "status", "--porcelain=v1", "--untracked-files=all", "--", str(folder))
    return [line[3:] for line in out.splitlines() if line.strip()]


def staged_paths(root: Path) -> list[str]:
    return [p for p in run_git(root, "diff", "--cached", "--name-only").splitlines() if p]


def commit_paths(root: Path, paths: Sequence[str], message: str) -> str:
    """One commit of exactly ``paths`` (relative to ``root``), author from Git's configuration."""
    import git as gitpython

    repo = gitpython.Repo(root)
    try:
        repo.index.add(list(paths))
        crash_point("staged")
        author = _identity(repo)
        commit = repo.index.commit(message, author=author, committer=author)
    except gitpython.HookExecutionError as exc:
        raise LxError(f"提交被 Git 钩子 {exc.command} 拒绝：{str(exc.stderr).strip() or exc.status}") from None
    except (gitpython.GitError, OSError, ValueError) as exc:
        raise LxError(f"提交失败：{exc}") from None
    return str(commit.hexsha)


def unstage(root: Path, paths: Sequence[str]) -> None:
    """Put the index entries of ``paths`` back to HEAD (after a failed commit)."""
    run_git(root, "reset", "-q", "HEAD", "--", *paths, check=False)


def head(root: Path) -> str:
    return run_git(root, "rev-parse", "HEAD").strip()


def path_log(root: Path, rel: str) -> list[tuple[str, str, str, str, str]]:
    """Commits that touched ``rel``, newest first: (sha, author, email, ISO date, subject). Only this path
    is followed, so the cost grows with its own history, not the repository's."""
    out = run_git(root, "log", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s", "--", rel)
    rows = []
    for line in out.splitlines():
        parts = line.split("\x1f")
        if len(parts) == 5:
            rows.append((parts[0], parts[1], parts[2], parts[3], parts[4]))
    return rows


def blobs(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """The contents of ``commit:path`` for each spec (None where the path does not exist), in one
    `git cat-file --batch` process."""
    if not specs:
        return []
    done = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=root,
        input="".join(s + "\n" for s in specs).encode("utf-8"),
        capture_output=True,
        check=False,
    )
    data = done.stdout
    out: list[bytes | None] = []
    pos = 0
    for _ in specs:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if (len(header) == 2 and header[1] == b"missing") or len(header) < 3:
            out.append(None)
            continue
        size = int(header[2])
        out.append(data[pos : pos + size])
        pos += size + 1
    return out


def content_key(root: Path, data_rel: str) -> str | None:
    """A key for the exact content of every file under ``data_rel``, from Git alone: the committed tree
    of the folder plus the content hash of each file that differs from it (modified, staged, untracked,
    ignored or deleted). Git compares stat data with its index in C, so this costs ~2 µs per file and
    no Python work per unchanged file. None outside Git, before the first commit, or on any trouble."""
    import hashlib

    try:
        tree = subprocess.run(
            ["git", "rev-parse", "-q", "--verify", f"HEAD:{data_rel}"], cwd=root, capture_output=True, check=False
        )
        if tree.returncode != 0:
            return None
        status = subprocess.run(
            [
                "git",
                "--no-optional-locks",
                "status",
                "--porcelain=v1",
                "-z",
                "--untracked-files=all",
                "--ignored=matching",
                "--",
                data_rel,
            ],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if status.returncode != 0:
        return None
    h = hashlib.sha1(tree.stdout.strip(), usedforsecurity=False)
    tokens = status.stdout.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if len(token) < 4:
            continue
        code, path = token[:2], token[3:]
        if code[:1] in (b"R", b"C"):
            i += 1  # the source path of a rename or copy follows
        h.update(code + b" " + path + b"\0")
        if b"D" not in code:
            try:
                h.update(
                    hashlib.sha1(
                        (root / path.decode("utf-8", "surrogateescape")).read_bytes(), usedforsecurity=False
                    ).digest()
                )
            except OSError:
                h.update(b"?")
    return h.hexdigest()


def commits_touching(root: Path, folder: str, since: str | None) -> list[tuple[str, str, str, str, list[str]]]:
    """Non-merge commits that added or changed files under ``folder``, oldest first:
    (sha, author name, author e-mail, ISO date, [paths])."""
    args = [
        "log",
        "--reverse",
        "--no-merges",
        "--diff-filter=AMR",
        "--name-only",
        "-z",
        "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI",
    ]
    if since:
        if not run_git(root, "rev-parse", "-q", "--verify", f"{since}^{{commit}}", check=False).strip():
            raise LxError(f"--since 指定的提交“{since}”不存在")
        args.append(f"{since}..HEAD")
    out = run_git(root, *args, "--", folder)
    commits = []
    for chunk in out.split("\x1e"):
        if not chunk.strip("\0\n"):
            continue
        header, _, rest = chunk.partition("\n")
        parts = header.split("\x1f")
        if len(parts) != 4:
            continue
        paths = [p.strip("\n") for p in rest.split("\0") if p.strip("\n")]
        commits.append((parts[0], parts[1], parts[2], parts[3], paths))
    return commits


def resolve(root: Path, rev: str) -> str | None:
    """The commit ``rev`` names, or None when it names none."""
    if not rev or rev.startswith("-"):
        return None
    out = run_git(root, "rev-parse", "-q", "--verify", "--end-of-options", f"{rev}^{{commit}}", check=False)
    return out.strip() or None


def tree_paths(root: Path, commit: str, folder: str) -> list[str]:
    """The files under ``folder`` in ``commit`` (paths relative to the repository root)."""
    done = subprocess.run(
        ["git", "ls-tree", "-r", "-z", "--name-only", commit, "--", folder],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise LxError(f"git ls-tree 失败：{done.stderr.decode('utf-8', 'replace').strip()}")
    return [p.decode("utf-8", "surrogateescape") for p in done.stdout.split(b"\0") if p]

"""The one module that talks to Git. Reads use the plain `git` command (fast, no import cost);
commits use GitPython, imported only when a command commits."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from laoxiao_cli.errors import LxError
from laoxiao_cli.repo.files import crash_point

if TYPE_CHECKING:
    import git


def run_git(cwd: Path, *args: str, check: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False)
    except FileNotFoundError:
        raise LxError("找不到 git 命令：请先安装 Git") from None
    except ValueError:
        raise _with_nul(args) from None
    if check and done.returncode != 0:
        raise LxError(f"git {' '.join(args)} 失败：{done.stderr.strip()}")
    return done.stdout


def run(cwd: Path, *args: str, env: Mapping[str, str] | None = None, data: bytes | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a git command, for callers that handle its failures themselves."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=data,
            capture_output=True,
            check=False,
            env={**os.environ, **env} if env else None,
        )
    except FileNotFoundError:
        raise LxError("找不到 git 命令：请先安装 Git") from None
    except ValueError:
        raise _with_nul(args) from None
    return done.returncode, done.stdout.decode("utf-8", "surrogateescape"), done.stderr.decode("utf-8", "replace")


def _with_nul(args: Sequence[str]) -> LxError:
    """A NUL in an argument (a remote, a revision, a path given on the command line): none can hold one,
    and the system refuses to start the process."""
    return LxError(f"参数中有不可用的字符（NUL）：git {' '.join(a.replace(chr(0), '␀') for a in args)}")


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

    author, committer = _actors(folder.parent if folder.parent.exists() else folder)
    repo = gitpython.Repo.init(folder, initial_branch="main")
    repo.index.add([str(f.relative_to(folder)) for f in files])
    commit = repo.index.commit(message, author=author, committer=committer)
    return str(commit.hexsha)


def identity(root: Path, who: str = "AUTHOR") -> tuple[str, str]:
    """(name, e-mail) that Git has been told for the author (``who="AUTHOR"``) or committer: from
    GIT_AUTHOR_* / GIT_COMMITTER_* / EMAIL or user.name and user.email — never one Git or lx would make
    up from the host name. Refuses, saying how to set one, when there is none."""
    done = subprocess.run(
        ["git", "-c", "user.useConfigOnly=true", "var", f"GIT_{who}_IDENT"],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    ident = done.stdout.strip()
    name, sep, rest = ident.partition(" <")
    email = rest.partition(">")[0]
    if done.returncode != 0 or not sep or not name.strip() or not email.strip():
        raise LxError(
            "Git 还不知道提交人是谁：请先设置姓名和邮箱，例如\n"
            '  git config --global user.name "张三"\n'
            "  git config --global user.email zhangsan@example.org\n"
            "（lx 的每次写入都是一次 Git 提交，记录是谁做的修改；lx 不会以虚构的身份提交）"
        )
    return name, email


def _actors(root: Path) -> tuple[git.Actor, git.Actor]:
    import git as gitpython

    return gitpython.Actor(*identity(root, "AUTHOR")), gitpython.Actor(*identity(root, "COMMITTER"))


def require_branch(root: Path) -> None:
    """Refuses a detached HEAD: a commit there would be lost at the next checkout."""
    done = subprocess.run(["git", "symbolic-ref", "-q", "HEAD"], cwd=root, capture_output=True, check=False)
    if done.returncode != 0:
        raise LxError(
            "当前不在任何分支上（detached HEAD）：在这里提交的修改会在下次切换时丢失。"
            "请先切换到分支，如 git switch main，再运行此命令"
        )


def require_repository(path: Path) -> Path:
    top = toplevel(path)
    if top is None:
        raise LxError(
            f"{path} 不在 Git 仓库中：这条命令要用到 Git（提交修改，或读取提交时的数据，如 lx letters show、--at）；"
            "请在数据仓库中运行（可用 lx init 新建）"
        )
    if run_git(top, "rev-parse", "--verify", "-q", "HEAD", check=False).strip() == "":
        raise LxError("数据仓库还没有任何提交：请先提交现有数据")
    return top


def _z_paths(root: Path, *args: str) -> list[tuple[str, str]]:
    """(status code, path) from a `git … -z` listing (`status --porcelain` or `diff --name-status`); file
    names as they are (not octal-escaped), each path once (a rename gives its new path)."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    if done.returncode != 0:
        raise LxError(f"git {args[0]} 失败：{done.stderr.decode('utf-8', 'replace').strip()}")
    tokens = [t.decode("utf-8", "surrogateescape") for t in done.stdout.split(b"\0")]
    out: list[tuple[str, str]] = []
    i = 0
    porcelain = args[0] == "status"
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not token:
            continue
        if porcelain:
            code, path = token[:2], token[3:]
        elif code_renames(token):
            code, path = token, tokens[i + 1] if i + 1 < len(tokens) else ""
            i += 2  # old path, new path
            out.append((code, path))
            continue
        else:
            code, path = token, tokens[i] if i < len(tokens) else ""
            i += 1
        if porcelain and code_renames(code):
            i += 1  # the old path of a rename or copy follows the new one
        out.append((code, path))
    return out


def code_renames(code: str) -> bool:
    return code[:1] in ("R", "C") or code[1:2] in ("R", "C")


def _is_data_file(path: str) -> bool:
    return path.lower().endswith((".yaml", ".yml"))


def change_states(root: Path, paths: Sequence[str]) -> list[tuple[str, str]]:
    """(path, ``added`` | ``modified`` | ``deleted``) of data files known to differ from HEAD (a load's
    ``changed``), as ``data_changes`` gives them, without another `git status`: gone → deleted, not in
    HEAD → added, else modified."""
    if not paths:
        return []
    listed = run_git(root, "ls-tree", "-z", "--name-only", "HEAD", "--", *paths, check=False)
    in_head = set(listed.split("\0"))
    return [
        (p, "deleted" if not (root / p).exists() else "modified" if p in in_head else "added") for p in sorted(paths)
    ]


def data_changes(root: Path, folder: Path) -> list[tuple[str, str]]:
    """(path, ``added`` | ``modified`` | ``deleted``) of every data file under ``folder`` that differs from
    HEAD, staged or not, untracked included, in path order."""
    entries = _z_paths(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", str(folder))
    out: dict[str, str] = {}
    for code, path in entries:
        if not _is_data_file(path):
            continue
        if "D" in code:
            state = "deleted"
        elif code in ("??", "A ", "AM") or code[:1] in ("A", "R", "C"):
            state = "added"
        else:
            state = "modified"
        out[path] = state
    return sorted(out.items(), key=lambda item: item[0])


def changed_paths(root: Path, folder: Path) -> list[str]:
    """Data files (``*.yaml``, ``*.yml``) under ``folder`` that differ from HEAD: modified, staged,
    deleted or untracked; other files (a saved .docx) are not lx's and are ignored, as when reading."""
    entries = _z_paths(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", str(folder))
    return list(dict.fromkeys(path for _code, path in entries if _is_data_file(path)))


def tree_changes(root: Path, old: str, new: str, data_rel: str) -> dict[str, str | None] | None:
    """The files (paths from the repository root) that differ between two trees of the data folder, each
    with its blob id in ``new`` (None: not in it), or None when Git cannot tell (a tree no longer in the
    object database)."""
    done = subprocess.run(["git", "diff-tree", "-r", "-z", "--no-renames", old, new], cwd=root, capture_output=True)
    if done.returncode != 0:
        return None
    lead = "" if data_rel in ("", ".") else data_rel.rstrip("/") + "/"
    tokens = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    out: dict[str, str | None] = {}
    for meta, name in zip(tokens[::2], tokens[1::2], strict=False):  # ":old-mode new-mode old new status", path
        fields = meta.split()
        if len(fields) == 5 and name:
            out[lead + name] = None if fields[4].startswith("D") or not fields[3].strip("0") else fields[3]
    return out


def blob_id(data: bytes, length: int = 40) -> str:
    """Git's object id of a blob holding ``data`` (``length``: 40 hex digits, SHA-1; 64, SHA-256)."""
    import hashlib

    h = hashlib.sha256() if length == 64 else hashlib.sha1(usedforsecurity=False)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def staged_paths(root: Path) -> list[str]:
    return list(dict.fromkeys(path for _code, path in _z_paths(root, "diff", "--cached", "--name-status", "-z")))


def commit_paths(root: Path, paths: Sequence[str], message: str, removed: Sequence[str] = ()) -> str:
    """One commit of exactly ``paths`` (written) and ``removed`` (deleted), relative to ``root``, by Git
    itself (its hooks run; author and committer from its configuration). Git's own index code, not a
    Python one: at city scale reading and writing a 40,000-entry index in Python took over a second."""
    if removed:  # staged already or not: gone from the index either way
        run_git(root, "rm", "--cached", "-q", "--ignore-unmatch", "--", *removed)
    if paths:
        run_git(root, "add", "-f", "--", *paths)
    crash_point("staged")
    others = [p for p in staged_paths(root) if p not in set(paths) | set(removed)]
    if others:
        raise LxError(f"Git 暂存区中还有其他待提交的内容（{'、'.join(others[:5])}）：请先提交或撤销暂存")
    try:
        done = subprocess.run(
            ["git", "commit", "-q", "--cleanup=verbatim", "-F", "-"],
            cwd=root,
            input=message.encode("utf-8"),
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise LxError(f"提交失败：{exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip() or done.stdout.decode("utf-8", "replace").strip()
        hooks = _commit_hooks(root)
        if hooks:
            raise LxError(f"提交被 Git 钩子（{'、'.join(hooks)}）拒绝：{said or done.returncode}")
        raise LxError(f"提交失败：{said or done.returncode}")
    return head(root)


def _commit_hooks(root: Path) -> list[str]:
    """The hooks that run on a commit and could refuse it, as installed (``core.hooksPath`` honoured)."""
    import os

    folder = root / run_git(root, "rev-parse", "--git-path", "hooks", check=False).strip()
    names = ("pre-commit", "prepare-commit-msg", "commit-msg")
    return [name for name in names if os.access(folder / name, os.X_OK)]


def unstage(root: Path, paths: Sequence[str]) -> None:
    """Put the index entries of ``paths`` back to HEAD (after a failed commit)."""
    run_git(root, "reset", "-q", "HEAD", "--", *paths, check=False)


def head(root: Path) -> str:
    return run_git(root, "rev-parse", "HEAD").strip()


def shallow_cut(root: Path) -> frozenset[str]:
    """The commits at which a shallow clone (``git clone --depth``) is cut off: their parents are not in
    the clone. Empty for a complete clone (``git rev-parse --is-shallow-repository``)."""
    if run_git(root, "rev-parse", "--is-shallow-repository", check=False).strip() != "true":
        return frozenset()
    listed = Path(run_git(root, "rev-parse", "--git-path", "shallow").strip())
    try:
        return frozenset((root / listed).read_text(encoding="ascii").split())
    except OSError:
        return frozenset()


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


@dataclass(frozen=True)
class DataStatus:
    """What one `git status` of the data folder says."""

    key: str
    """The content key (below)."""
    changed: tuple[str, ...]
    """The data files that differ from HEAD, untracked included (what ``changed_paths`` lists)."""
    clean_key: str
    """The key the folder would have if nothing differed from HEAD."""
    plain: bool
    """No ignored file, rename or copy, folder Git does not look into (a nested repository) or unreadable
    file: ``changed`` is the whole difference from HEAD's files, and ``digests`` hashes every file in it."""
    tree: str
    """HEAD's tree of the data folder."""
    digests: Mapping[str, bytes | None] = field(default_factory=dict)
    """Each path that differs from HEAD → the SHA-1 of the content its key was made from (None: deleted),
    so a load can check that the bytes it read are those the key describes."""


def content_state(root: Path, data_rel: str, meanwhile: Callable[[], object] | None = None) -> DataStatus | None:
    """The data folder's status (``DataStatus``), from one `git status`: so a writer's load also answers
    its check for changes Git does not have, and a load after a few hand edits can start from HEAD's.

    The key is one for the exact content of every file under ``data_rel``, from Git alone: the committed tree
    of the folder plus the content hash of each file that differs from it (modified, staged, untracked,
    ignored or deleted). Git compares stat data with its index in C, so this costs ~2 µs per file and
    no Python work per unchanged file. None outside Git, before the first commit, or on any trouble.
    ``meanwhile`` is called while the two Git processes run (the loader reads cache parts then: on a
    machine with two cores that work costs no time)."""
    import hashlib

    status_args = [
        "git",
        "--no-optional-locks",
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--ignored=matching",
        "--",
        data_rel,
    ]
    quiet = subprocess.DEVNULL
    started: list[subprocess.Popen[bytes]] = []
    try:
        try:
            for args in (["git", "rev-parse", "-q", "--verify", f"HEAD:{data_rel}"], status_args):
                started.append(subprocess.Popen(args, cwd=root, stdin=quiet, stdout=subprocess.PIPE, stderr=quiet))
        except OSError:
            return None
        if meanwhile is not None:
            meanwhile()
        try:
            (tree_out, _), (status_out, _) = (process.communicate() for process in started)
        except OSError:
            return None
    finally:
        for process in started:
            if process.returncode is None:  # interrupted (meanwhile raised): not left behind
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
    if started[0].returncode != 0 or started[1].returncode != 0:
        return None
    h = hashlib.sha1(tree_out.strip(), usedforsecurity=False)
    clean_key = h.hexdigest()
    changed: list[str] = []
    digests: dict[str, bytes | None] = {}
    plain = True
    tokens = status_out.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if len(token) < 4:
            continue
        code, path = token[:2], token[3:]
        if code_renames(code.decode("ascii", "replace")):  # staged, or in the work tree only (` R`)
            i += 1  # the source path of a rename or copy follows
            plain = False
        h.update(code + b" " + path + b"\0")
        name = path.decode("utf-8", "surrogateescape")
        if code == b"!!":
            plain = False
        elif _is_data_file(name):
            changed.append(name)
        if b"D" in code:
            digests[name] = None
        elif path.endswith(b"/"):  # a folder Git does not look into (a repository of its own): not plain
            plain = False
        else:
            try:
                digest = hashlib.sha1((root / name).read_bytes(), usedforsecurity=False).digest()
            except OSError:  # unreadable (or gone meanwhile): its content is not in the key
                h.update(b"?")
                plain = False
            else:
                h.update(digest)
                digests[name] = digest
    tree_id = tree_out.decode("ascii", "replace").strip()
    return DataStatus(h.hexdigest(), tuple(dict.fromkeys(changed)), clean_key, plain, tree_id, digests)


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


def last_commit_on(root: Path, day: date) -> str | None:
    """The last commit of HEAD's history whose committer date is on or before the end of ``day`` in
    Asia/Shanghai (UTC+8 all year), or None when every commit is later (or there is none)."""
    end = f"{day.isoformat()} 23:59:59 +0800"
    code, out, _ = run(root, "rev-list", "-1", f"--before={end}", "HEAD", "--")
    return (out.strip() or None) if code == 0 else None

"""`lx sync` (spec 9): bring this clone and the shared repository to the same history, safely.

One round: fetch the branch; equal → nothing; behind → fast-forward; ahead → push; diverged → integrate:
  1. ids this clone added that the remote also added (a different record) are renumbered, one commit
     per id (``编号: <old> → <new>（与共享仓库重复）``) built with Git's plumbing, nothing checked out;
  2. ``git merge-tree --write-tree`` merges that with the remote's branch, in the object database only:
     a textual conflict refuses;
  3. the merged data is validated in memory (``loader.planned``) against the work tree's load: findings
     refuse;
  4. a merge commit is made (both sides' commits stay as they are: nothing is rewritten, nothing lost);
  5. the branch and work tree move to it under the write lock with a journal, so a kill at any moment
     leaves the clone as before or lets the next lx command finish the move;
then push; when the remote moved on meanwhile, another round (at most ``ROUNDS``).
Until step 5 nothing but Git objects and the remote-tracking ref has been written.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from laoxiao_cli.errors import InvalidData, LxError
from laoxiao_cli.repo import gitcli, remote_ids, renumber
from laoxiao_cli.repo.discover import git_dir, relative
from laoxiao_cli.repo.files import crash_point, write_text_atomic
from laoxiao_cli.repo.lock import bump, locked, sequence

ROUNDS = 5
JOURNAL = "lx-sync.json"  # loader.SYNC_JOURNAL names it too, to check for it without importing this module


@dataclass
class Outcome:
    pulled: int = 0
    pushed: int = 0
    renumbered: dict[str, str] = field(default_factory=dict)
    head: str = ""
    rounds: int = 0


def _git(
    root: Path, *args: str, env: Mapping[str, str] | None = None, data: bytes | None = None
) -> tuple[int, str, str]:
    return gitcli.run(root, *args, env=env, data=data)


def _out(root: Path, *args: str, env: Mapping[str, str] | None = None, data: bytes | None = None) -> str:
    code, out, err = _git(root, *args, env=env, data=data)
    if code != 0:
        raise LxError(f"git {args[0]} 失败：{err.strip() or code}")
    return out


# --- refusals -------------------------------------------------------------------------------------


def _branch(root: Path) -> str:
    code, out, _ = _git(root, "symbolic-ref", "-q", "--short", "HEAD")
    if code != 0:
        raise LxError("当前不在任何分支上（detached HEAD）：请先切换到分支（如 git switch main），再运行 lx sync")
    return out.strip()


def _refuse_in_progress(gdir: Path) -> None:
    states = {
        "MERGE_HEAD": "合并（merge）",
        "rebase-merge": "变基（rebase）",
        "rebase-apply": "变基（rebase）或补丁应用（am）",
        "CHERRY_PICK_HEAD": "拣选（cherry-pick）",
        "REVERT_HEAD": "撤销提交（revert）",
    }
    for name, what in states.items():
        if (gdir / name).exists():
            raise LxError(
                f"仓库中有一个未完成的{what}：请先完成或放弃它（git {'merge' if name == 'MERGE_HEAD' else 'rebase'} "
                "--abort 可放弃），再运行 lx sync"
            )


def _require_remote(root: Path, remote: str) -> None:
    code, _, _ = _git(root, "remote", "get-url", "--", remote)
    if code != 0:
        known = [r for r in _out(root, "remote").split() if r]
        have = f"（本仓库的远程仓库：{'、'.join(known)}）" if known else "（本仓库还没有设置任何远程仓库）"
        if "://" in remote or remote.startswith(("git@", "/", ".")):
            raise LxError(
                f"--remote 要写远程仓库的名字（如 origin），不是地址{have}：要用 {remote}，"
                f"先运行 git remote add origin {remote}"
            )
        raise LxError(
            f"没有名为 {remote} 的远程仓库{have}：请用 git remote add {remote} 共享仓库地址 设置，"
            "或用 --remote 指定另一个"
        )


def _require_clean(root: Path, data_dir: Path) -> None:
    dirty = gitcli.changed_paths(root, data_dir)
    if dirty:
        shown = "、".join(dirty[:5]) + (" 等" if len(dirty) > 5 else "")
        raise LxError(f"数据文件夹有未提交的修改（{shown}）：请先运行 lx save 保存这些修改，再运行 lx sync")
    staged = gitcli.staged_paths(root)
    if staged:
        raise LxError(f"Git 暂存区中有待提交的内容（{'、'.join(staged[:5])}）：请先提交或撤销暂存，再运行 lx sync")


# --- one sync -------------------------------------------------------------------------------------


def sync(data_dir: Path, remote: str = "origin", notify: Callable[[str], None] | None = None) -> Outcome:
    """Synchronise the current branch with ``remote`` (see the module's docstring)."""
    root = gitcli.require_repository(data_dir)
    gdir = git_dir(root)
    if gdir is None:
        raise LxError(f"{root} 不是 Git 仓库")
    branch = _branch(root)
    _refuse_in_progress(gdir)
    _require_remote(root, remote)
    outcome = Outcome()
    with locked(gdir):
        note = recover(gdir, root, lock=False)
        if note and notify is not None:
            notify(note)
        _require_clean(root, data_dir)
        for n in range(1, ROUNDS + 1):
            outcome.rounds = n
            if _round(root, gdir, data_dir, remote, branch, outcome):
                outcome.head = gitcli.head(root)
                return outcome
    raise LxError(
        f"共享仓库在同步期间一直有新的提交，{ROUNDS} 轮都未能推送：本地的提交都在（已合并的也在），请稍后再运行 lx sync"
    )


def _round(root: Path, gdir: Path, data_dir: Path, remote: str, branch: str, outcome: Outcome) -> bool:
    """One round; True when done (nothing left to push), False when the push lost a race."""
    theirs = _fetch(root, remote, branch)
    ours = gitcli.head(root)
    if theirs == ours:
        return True
    if theirs is not None and _is_ancestor(root, ours, theirs):  # behind: fast-forward
        outcome.pulled += _count(root, ours, theirs)
        _move(root, gdir, branch, ours, theirs)
        return True
    if theirs is not None and not _is_ancestor(root, theirs, ours):  # diverged: integrate
        merged, renamed, pulled = _integrate(root, data_dir, ours, theirs)
        _move(root, gdir, branch, ours, merged)
        outcome.pulled += pulled
        _compose(outcome.renumbered, renamed)
        ours = merged
    else:  # ahead (or a new shared repository): a push of data with findings would block every unit
        _check_local(data_dir)
    pushed = _count(root, theirs, ours) if theirs is not None else _count(root, None, ours)
    if not _push(root, remote, branch, theirs):
        return False
    outcome.pushed += pushed
    return True


def _compose(done: dict[str, str], renamed: Mapping[str, str]) -> None:
    """Add this round's renumberings to the earlier rounds': a record renumbered twice (113 → 114, then
    114 → 115 as the remote moved on) is reported once, from its first id to its last (113 → 115)."""
    for old, new in renamed.items():
        first = next((k for k, v in done.items() if v == old), None)
        if first is not None:
            done[first] = new
        else:
            done[old] = new


def _fetch(root: Path, remote: str, branch: str) -> str | None:
    """Fetch ``branch`` of ``remote`` into its remote-tracking ref; its commit, or None when the remote
    does not have the branch yet (a new, empty shared repository)."""
    tracking = f"refs/remotes/{remote}/{branch}"
    code, _, err = _git(root, "fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{tracking}")
    if code != 0:
        if "couldn't find remote ref" in err or "could not find remote ref" in err:
            return None
        raise LxError(f"无法从共享仓库 {remote} 拉取：{_network_reason(err)}（本地没有任何改动）")
    crash_point("sync-fetched")
    out = _git(root, "rev-parse", "-q", "--verify", f"{tracking}^{{commit}}")[1].strip()
    return out or None


def _network_reason(err: str) -> str:
    text = err.strip().splitlines()
    return text[-1] if text else "未知原因"


def _is_ancestor(root: Path, a: str, b: str) -> bool:
    return _git(root, "merge-base", "--is-ancestor", a, b)[0] == 0


def _count(root: Path, since: str | None, until: str) -> int:
    spec = [until] if since is None else [f"{since}..{until}"]
    return int(_out(root, "rev-list", "--count", *spec).strip() or 0)


def _push(root: Path, remote: str, branch: str, based_on: str | None) -> bool:
    """Push the branch (never forced); False when the remote moved on from ``based_on`` (its tip this
    round was built on) meanwhile: another round then."""
    crash_point("sync-pushing")
    code, out, err = _git(
        root, "push", "--porcelain", "--set-upstream", remote, f"refs/heads/{branch}:refs/heads/{branch}"
    )
    if code == 0:
        crash_point("sync-pushed")
        return True
    said = out + err
    if "[rejected]" in said or "non-fast-forward" in said or "fetch first" in said or "stale info" in said:
        return False
    # a push racing another one may be refused by the server as it updates its ref: look again
    now = _git(root, "ls-remote", "--", remote, f"refs/heads/{branch}")
    tip = now[1].split()[0] if now[0] == 0 and now[1].split() else None
    if now[0] == 0 and tip != based_on:
        return False
    lines = [line for line in err.strip().splitlines() if line.strip() and not line.startswith("To ")]
    raise LxError(
        f"推送到共享仓库 {remote} 失败：{lines[-1] if lines else code}。本地的提交都在（已合并的也在），"
        "问题解决后再运行 lx sync 即可推送"
    )


# --- integrating diverged histories ---------------------------------------------------------------


def _integrate(root: Path, data_dir: Path, ours: str, theirs: str) -> tuple[str, dict[str, str], int]:
    """The merge commit of ``ours`` (renumbered first) and ``theirs``; (commit, renumberings, commits
    pulled). Refuses on a textual conflict or findings; nothing but Git objects is written."""
    gitcli.identity(root, "AUTHOR")
    gitcli.identity(root, "COMMITTER")
    base = _git(root, "merge-base", ours, theirs)[1].strip()
    if not base:
        raise LxError("本地仓库与共享仓库没有共同的历史（不是从同一个仓库克隆的）：无法同步，请重新克隆共享仓库")
    data_rel = relative(data_dir, root).rstrip("/")
    renamed, local = _renumber(root, data_dir, data_rel, base, ours, theirs)
    merged_tree, conflicts = _merge_tree(root, local, theirs)
    if conflicts:
        raise LxError(_conflict_message(root, conflicts, local, theirs))
    _check_local(data_dir)  # our side first: its own findings are not the merge's
    _check(root, data_dir, data_rel, ours, merged_tree)
    pulled = _count(root, ours, theirs)
    message = f"数据: 同步共享仓库（合并 {pulled} 个提交）"
    merge = _out(root, "commit-tree", merged_tree, "-p", local, "-p", theirs, "-F", "-", data=message.encode()).strip()
    crash_point("sync-merged")
    return merge, renamed, pulled


def _added(root: Path, data_rel: str, base: str, tip: str) -> dict[str, str]:
    """Record files of tasks/ and letters/ added between ``base`` and ``tip``: path → blob id."""
    folders = [
        f"{data_rel}/{folder}" if data_rel not in ("", ".") else folder for folder in renumber.RENUMBERED_FOLDERS
    ]
    out = _out(root, "diff", "--raw", "-z", "--no-renames", "--diff-filter=A", base, tip, "--", *folders)
    tokens = out.split("\0")
    added: dict[str, str] = {}
    for meta, path in zip(tokens[0::2], tokens[1::2], strict=False):
        fields = meta.split()
        if len(fields) >= 4:
            added[path] = fields[3]
    return added


def _changed(root: Path, data_rel: str, a: str, b: str) -> dict[str, str | None]:
    """Files under the data folder that differ between ``a`` and ``b``: path → blob id in b (None: gone)."""
    spec = [data_rel] if data_rel not in ("", ".") else []
    out = _out(root, "diff", "--raw", "-z", "--no-renames", a, b, "--", *spec)
    tokens = out.split("\0")
    changed: dict[str, str | None] = {}
    for meta, path in zip(tokens[0::2], tokens[1::2], strict=False):
        fields = meta.split()
        if len(fields) >= 5:
            changed[path] = None if fields[4].startswith("D") else fields[3]
    return changed


def _names(root: Path, rev: str, data_rel: str) -> list[str]:
    spec = [f"{data_rel}/{folder}" if data_rel not in ("", ".") else folder for folder in renumber.RENUMBERED_FOLDERS]
    return [p for p in _out(root, "ls-tree", "-r", "-z", "--name-only", rev, "--", *spec).split("\0") if p]


def _renumber(
    root: Path, data_dir: Path, data_rel: str, base: str, ours: str, theirs: str
) -> tuple[dict[str, str], str]:
    """Ids both sides added as different records: renumbered on our side, one commit per id on top of
    ``ours``; (old → new, the commit to merge: ``ours`` itself when nothing collided)."""
    mine, remote = _added(root, data_rel, base, ours), _added(root, data_rel, base, theirs)
    colliding = sorted(p for p in mine if p in remote and mine[p] != remote[p])
    if not colliding:
        return {}, ours
    known = _names(root, ours, data_rel)  # and, below, every remote-tracking branch's (theirs among them)
    elsewhere = remote_ids.known(root, data_dir)
    remote_held = {"tasks": elsewhere.tasks, "letters": elsewhere.letters}
    lead = f"{data_rel}/" if data_rel not in ("", ".") else ""
    maps: dict[str, dict[str, str]] = {folder: {} for folder in renumber.RENUMBERED_FOLDERS}
    for path in colliding:
        folder = path[len(lead) :].split("/", 1)[0]
        taken = renumber.ids_in(known, data_rel, folder) | remote_held[folder] | set(maps[folder].values())
        old = renumber.stem(path)
        maps[folder][old] = renumber.next_free(old, taken)
    # our files that can name the renumbered records: those this side added or changed since the base
    ours_changed = [p for p, blob in _changed(root, data_rel, base, ours).items() if blob is not None]
    files = {
        p: raw
        for p, raw in zip(ours_changed, gitcli.blobs(root, [f"{ours}:{p}" for p in ours_changed]), strict=True)
        if raw is not None
    }
    tip = ours
    renamed: dict[str, str] = {}
    for folder in renumber.RENUMBERED_FOLDERS:  # one commit per id, each with its message (spec 9)
        for old, new_id in maps[folder].items():
            one = {old: new_id}
            tasks, letters = (one, {}) if folder == "tasks" else ({}, one)
            writes: dict[str, bytes] = {}
            removes: list[str] = []
            for path, raw in list(files.items()):
                kind = path[len(lead) :].split("/", 1)[0]
                rewritten = renumber.rewrite(raw, kind, tasks, letters, path)
                if kind == folder and renumber.stem(path) == old and path in colliding:
                    moved = path.rsplit("/", 1)[0] + f"/{new_id}.yaml"
                    removes.append(path)
                    writes[moved] = rewritten
                    del files[path]
                    files[moved] = rewritten
                elif rewritten != raw:
                    writes[path] = rewritten
                    files[path] = rewritten
            tip = _commit_files(root, tip, writes, removes, f"编号: {old} → {new_id}（与共享仓库重复）")
            renamed[old] = new_id
    crash_point("sync-renumbered")
    return renamed, tip


def _commit_files(root: Path, parent: str, writes: Mapping[str, bytes], removes: list[str], message: str) -> str:
    """A commit on top of ``parent`` with ``writes`` and without ``removes``, through a temporary index:
    the real index, the work tree and every ref stay as they are."""
    gdir = git_dir(root)
    assert gdir is not None
    index = gdir / f"lx-sync-index-{os.getpid()}"
    env = {"GIT_INDEX_FILE": str(index)}
    try:
        _out(root, "read-tree", parent, env=env)
        for path in removes:
            _out(root, "update-index", "--force-remove", "--", path, env=env)
        for path, data in writes.items():
            blob = _out(root, "hash-object", "-w", "--stdin", data=data).strip()
            _out(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        tree = _out(root, "write-tree", env=env).strip()
    finally:
        index.unlink(missing_ok=True)
    return _out(root, "commit-tree", tree, "-p", parent, "-F", "-", data=message.encode()).strip()


def _merge_tree(root: Path, ours: str, theirs: str) -> tuple[str, list[str]]:
    """(merged tree, conflicted paths) from `git merge-tree --write-tree` (Git ≥ 2.38)."""
    code, out, err = _git(root, "merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", ours, theirs)
    if code not in (0, 1):
        raise LxError(f"git merge-tree 失败（需要 Git 2.38 或更新的版本）：{err.strip() or code}")
    tokens = out.split("\0")
    tree = tokens[0].strip()
    conflicts = list(dict.fromkeys(t for t in tokens[1:] if t)) if code == 1 else []
    return tree, conflicts


def _conflict_message(root: Path, conflicts: list[str], ours: str, theirs: str) -> str:
    def present(rev: str, path: str) -> bool:
        return _git(root, "cat-file", "-e", f"{rev}:{path}")[0] == 0

    described = []
    for path in conflicts[:8]:
        if not present(theirs, path):
            described.append(f"{path}（共享仓库中已删除，本地修改了它）")
        elif not present(ours, path):
            described.append(f"{path}（本地已删除，共享仓库中修改了它）")
        else:
            described.append(f"{path}（两边都修改了同一处）")
    shown = "；".join(described) + (f" 等 {len(conflicts)} 个文件" if len(conflicts) > 8 else "")
    return (
        f"本地和共享仓库的修改互相冲突，无法自动合并：{shown}。"
        "同步已停止，本地的分支、文件和提交都与同步前完全相同，也没有推送任何内容。"
        "处理办法：与修改这些文件的单位商定保留哪一份。要保留共享仓库的内容，就把本地文件改成与共享仓库相同"
        "（用 git show 远程名/分支:文件路径 可以查看共享仓库中的内容；共享仓库中已删除的，就删除本地文件），"
        "运行 lx save，再运行 lx sync；若本地的修改是用 lx 命令记录的（新建任务、交接等），最简单的是撤回本地的那次"
        "修改（删除新建的文件或改回原样），lx save，lx sync，再重新运行那条命令。要保留本地的内容，请对方照此处理后您再运行 lx sync"
    )


def _check_local(data_dir: Path) -> None:
    """The clone's own data, before it is pushed: findings refuse (nothing pushed, nothing changed)."""
    from laoxiao_cli.repo.loader import load_dir

    loaded = load_dir(data_dir)
    if loaded.findings:
        raise InvalidData(
            loaded.findings,
            loaded.files,
            heading="本地的数据未通过校验，没有推送（推送有问题的数据会影响所有单位）：",
            advice="请修正这些问题后运行 lx save，再运行 lx sync",
        )


def _check(root: Path, data_dir: Path, data_rel: str, ours: str, tree: str) -> None:
    """The merged data validated in memory; findings → InvalidData, nothing written."""
    from laoxiao_cli.repo.loader import load_dir, planned

    changed = _changed(root, data_rel, ours, tree)
    present = {p: b for p, b in changed.items() if b is not None}
    contents = dict(zip(present, gitcli.blobs(root, [f"{tree}:{p}" for p in present]), strict=True))
    changes: dict[Path, bytes | None] = {root / p: contents.get(p) for p in changed}
    result = planned(data_dir, changes, load_dir(data_dir))
    if result.findings:
        raise InvalidData(
            result.findings,
            result.files,
            heading="与共享仓库合并后的数据未通过校验，同步已停止（本地的分支和文件与同步前相同，没有推送任何内容）：",
            advice=(
                "本地的数据本身没有问题：这些问题出现在合并之后，可能是共享仓库中已有的问题，也可能是两边各自的修改"
                "放在一起才产生的（例如同一单位同一角色的两份交接、同一个发文字号用了两次）。请与相关单位商定如何修改；"
                "若本地的修改是用 lx 命令记录的，最简单的是撤回本地的那次修改（删除新建的文件或改回原样），lx save，"
                "lx sync，再重新运行那条命令"
            ),
        )


# --- moving the branch and work tree (journaled) ---------------------------------------------------


def _move(root: Path, gdir: Path, branch: str, old: str, new: str) -> None:
    """Move ``branch`` and the work tree from ``old`` to ``new``. Git refuses (nothing changed) when a
    file it must update has local changes; a kill after the journal is written is finished by the next
    lx command."""
    record = {"branch": branch, "from": old, "to": new, "started": time.time()}
    write_text_atomic(gdir / JOURNAL, json.dumps(record))
    crash_point("sync-journaled")
    bump(gdir)  # odd: readers overlapping the move read again
    try:
        code, _, err = _git(root, "read-tree", "-m", "-u", old, new)
        if code != 0:
            (gdir / JOURNAL).unlink(missing_ok=True)
            raise LxError(f"工作区中有未提交的修改与共享仓库的更新冲突，未做任何改动：{err.strip()}")
        crash_point("sync-checked-out")
        _out(root, "update-ref", "-m", "lx sync", f"refs/heads/{branch}", new, old)
        crash_point("sync-moved")
        (gdir / JOURNAL).unlink(missing_ok=True)
    finally:
        bump(gdir)


def pending(gdir: Path | None) -> bool:
    return gdir is not None and (gdir / JOURNAL).exists()


def recover(gdir: Path, root: Path, lock: bool = True) -> str | None:
    """Finish a move a killed `lx sync` began: a message saying so, or None when there was none.
    ``lock=False``: the caller holds the write lock already."""
    if not lock:
        return _recover(gdir, root)
    with locked(gdir):
        return _recover(gdir, root)


def _recover(gdir: Path, root: Path) -> str | None:
    path = gdir / JOURNAL
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        branch, old, new = str(record["branch"]), str(record["from"]), str(record["to"])
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        return "发现一份无法读取的同步中断记录，已删除"
    ref = f"refs/heads/{branch}"
    current = _git(root, "rev-parse", "-q", "--verify", ref)[1].strip()
    if current not in (old, new):
        path.unlink(missing_ok=True)
        if sequence(gdir) % 2:
            bump(gdir)
        return f"上次 lx sync 被中断，但分支 {branch} 之后已被改动：未做任何处理"
    _wait_for_index(gdir)
    _out(root, "read-tree", "--reset", "-u", new)
    _out(root, "update-ref", "-m", "lx sync (恢复)", ref, new)
    path.unlink(missing_ok=True)
    if sequence(gdir) % 2:  # the killed move left the write sequence odd
        bump(gdir)
    return f"上次 lx sync 被中断：已完成它的合并（分支 {branch} → {new[:8]}）"


def _wait_for_index(gdir: Path, limit: float = 5.0) -> None:
    """A git process killed with lx may leave ``index.lock``; one still running is waited for."""
    lock = gdir / "index.lock"
    deadline = time.monotonic() + limit
    while lock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    lock.unlink(missing_ok=True)

"""A write-ahead journal inside the Git folder, so that a write killed half-way is finished or undone
by the next lx command (any command) before it does anything else.

Before a writing command changes a file it records, for every file, the bytes it had (or that it did
not exist) and the SHA-1 of the bytes it will have, plus HEAD and the commit message it will use.
Recovery: if HEAD is the commit it meant to make, the write completed; otherwise each file that still
holds what lx wrote gets its old bytes back, the index entries go back to HEAD, and the journal goes.
A file changed by someone else since is left alone and named in the message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Mapping
from pathlib import Path

from laoxiao_cli.repo import gitcli
from laoxiao_cli.repo.files import write_bytes_atomic, write_text_atomic
from laoxiao_cli.repo.lock import bump, locked, sequence

NAME = "lx-journal.json"


def _sha1(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha1(data, usedforsecurity=False).hexdigest()


def begin(
    git_dir: Path,
    root: Path,
    before: Mapping[Path, bytes | None],
    after: Mapping[Path, bytes],
    message: str,
    commit: bool,
    outputs: Mapping[Path, Path] | None = None,
    removed: list[Path] | None = None,
) -> None:
    """Record the write about to happen. ``outputs``: side outputs (final path → the staged temporary
    file beside it), put in place if the commit landed, else removed."""
    entries = [
        {
            "path": path.relative_to(root).as_posix(),
            "before": None if before.get(path) is None else base64.b64encode(before[path] or b"").decode(),
            "after": _sha1(after[path]),
        }
        for path in after
    ] + [
        {
            "path": path.relative_to(root).as_posix(),
            "before": None if before.get(path) is None else base64.b64encode(before[path] or b"").decode(),
            "after": None,
        }
        for path in removed or []
    ]
    head = gitcli.run_git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).strip() or None
    record = {
        "version": 1,
        "started": time.time(),
        "head": head,
        "message": message,
        "commit": commit,
        "files": entries,
        "outputs": [{"final": str(final), "tmp": str(tmp)} for final, tmp in (outputs or {}).items()],
    }
    write_text_atomic(git_dir / NAME, json.dumps(record, ensure_ascii=False))


def end(git_dir: Path) -> None:
    (git_dir / NAME).unlink(missing_ok=True)


def _settle(git_dir: Path) -> None:
    """After recovering from a killed writer, make the write sequence even again."""
    if sequence(git_dir) % 2:
        bump(git_dir)


def pending(git_dir: Path | None) -> bool:
    return git_dir is not None and (git_dir / NAME).exists()


def recover(git_dir: Path, root: Path) -> str | None:
    """Finish or undo an interrupted write; a message saying what was done, or None if nothing was."""
    with locked(git_dir):
        path = git_dir / NAME
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None  # another lx recovered it while we waited
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
            _settle(git_dir)
            return "发现一份无法读取的中断记录，已删除（文件未改动）"
        return _recover(git_dir, root, record)


def _recover(git_dir: Path, root: Path, record: dict[str, object]) -> str:
    files = [f for f in record.get("files", []) if isinstance(f, dict)]  # type: ignore[attr-defined]
    rels = [str(f["path"]) for f in files]
    staged = [o for o in record.get("outputs", []) if isinstance(o, dict)]  # type: ignore[attr-defined]
    if record.get("commit") and _landed(root, record):
        placed = _place_outputs(staged)
        end(git_dir)
        _settle(git_dir)
        more = f"；已补写 {placed} 个输出文件" if placed else ""
        return f"上次被中断的写入已经提交（{record.get('message')}）{more}"
    for output in staged:
        Path(str(output.get("tmp"))).unlink(missing_ok=True)
    index_lock = git_dir / "index.lock"
    started = float(record.get("started") or 0)  # type: ignore[arg-type]
    if index_lock.exists() and index_lock.stat().st_mtime >= started - 1:
        index_lock.unlink(missing_ok=True)  # left by the interrupted commit itself
    kept = []
    for entry in files:
        target = root / str(entry["path"])
        for leftover in target.parent.glob(f".{target.name}.*.tmp"):  # an atomic write cut short
            leftover.unlink(missing_ok=True)
        current = target.read_bytes() if target.exists() else None
        before = None if entry.get("before") is None else base64.b64decode(str(entry["before"]))
        if current == before:
            continue
        if _sha1(current) != entry.get("after") and current is not None:
            kept.append(str(entry["path"]))  # changed by someone else since: not ours to undo
            continue
        if before is None:
            target.unlink(missing_ok=True)
        else:
            write_bytes_atomic(target, before)
    if record.get("head") and rels:
        gitcli.run_git(root, "reset", "-q", "HEAD", "--", *rels, check=False)
    end(git_dir)
    _settle(git_dir)
    note = f"；以下文件此后被改动过，未恢复：{'、'.join(kept)}" if kept else ""
    return f"已撤销上次被中断的写入（{record.get('message')}）{note}"


def _landed(root: Path, record: Mapping[str, object]) -> bool:
    out = gitcli.run_git(root, "log", "-1", "--format=%P%x1f%s", "HEAD", check=False).strip()
    parents, _, subject = out.partition("\x1f")
    first_parent = parents.split()[0] if parents.split() else None
    return subject == record.get("message") and first_parent == record.get("head")


def _place_outputs(staged: list[dict[str, object]]) -> int:
    """Put the side outputs of a write whose commit landed into place; the count put."""
    import os

    placed = 0
    for output in staged:
        tmp, final = Path(str(output.get("tmp"))), Path(str(output.get("final")))
        if tmp.exists():
            os.replace(tmp, final)
            placed += 1
    return placed

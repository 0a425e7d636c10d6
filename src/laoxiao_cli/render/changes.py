"""What a writing command did or would do: a dry run's diff, and the ``--format json`` summary."""

from __future__ import annotations

import difflib

from laoxiao_cli.render.common import dump_json


def diff(rel: str, before: bytes | None, after: bytes | None) -> str:
    """A unified diff of one file (a new file: every line added; a deleted one: every line removed)."""
    old = before.decode("utf-8-sig", "replace").splitlines(keepends=True) if before is not None else []
    new = after.decode("utf-8-sig", "replace").splitlines(keepends=True) if after is not None else []
    lines = list(
        difflib.unified_diff(
            old,
            new,
            "/dev/null" if before is None else f"a/{rel}",
            "/dev/null" if after is None else f"b/{rel}",
        )
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def summary(commit: str | None, files: list[str], ids: list[str], dry_run: bool = False) -> str:
    """``{"commit": SHA|null, "files": [...], "ids": [...]}`` (spec 8.1; ``dry_run`` only on a dry run)."""
    payload: dict[str, object] = {"commit": commit, "files": files, "ids": ids}
    if dry_run:
        payload["dry_run"] = True
    return dump_json(payload)

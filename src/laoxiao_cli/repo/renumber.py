"""Ids this clone added that the shared repository also added (a different record): the next free id,
and every reference to the old one rewritten (spec 9). Pure: bytes in, bytes out; Git is repo/sync.py's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from laoxiao_cli.repo import yamledit

_NUMBERED = re.compile(r"^([a-z]+)(\d{4})-(\d+)$")

# where each kind of record names a task or a letter (paths of keys; ``*``: any list item)
TASK_REFS: dict[str, tuple[tuple[str, ...], ...]] = {
    "letters": (("tasks", "*"),),
    "meetings": (("decisions", "*", "task"),),
    "reports": (("progress", "*", "task"),),
    "handovers": (("open_tasks", "*"),),
}
LETTER_REFS: dict[str, tuple[tuple[str, ...], ...]] = {"handovers": (("open_letters", "*"),)}
RENUMBERED_FOLDERS = ("tasks", "letters")


def next_free(old: str, taken: set[str]) -> str:
    """The id that replaces ``old``: for ``t2022-003`` one more than the largest ``t2022-<digits>`` taken
    (at least 3 digits), else ``old-2``, ``old-3``, …"""
    match = _NUMBERED.match(old)
    if match:
        prefix, year, digits = match.groups()
        numbers = [int(m.group(3)) for m in map(_NUMBERED.match, taken) if m and m.group(1, 2) == (prefix, year)]
        width = max(3, len(digits))
        return f"{prefix}{year}-{max([int(digits), *numbers]) + 1:0{width}d}"
    n = 2
    while f"{old}-{n}" in taken:
        n += 1
    return f"{old}-{n}"


def rewrite(raw: bytes, folder: str, tasks: Mapping[str, str], letters: Mapping[str, str], rel: str) -> bytes:
    """The file (of the data folder ``folder``: tasks, letters, meetings, …) with renumbered ids replaced:
    its own ``id`` when it is a renumbered record, and every reference (``raw`` itself when none)."""
    out = raw
    own = tasks if folder == "tasks" else letters if folder == "letters" else {}
    if own:
        out = yamledit.replace_scalars(out, (("id",),), own, rel)
    if tasks and folder in TASK_REFS:
        out = yamledit.replace_scalars(out, TASK_REFS[folder], tasks, rel)
    if letters and folder in LETTER_REFS:
        out = yamledit.replace_scalars(out, LETTER_REFS[folder], letters, rel)
    return out


def stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".yaml")


def ids_in(paths: Iterable[str], data_rel: str, folder: str) -> set[str]:
    """The record ids named by the file paths under ``<data_rel>/<folder>/``."""
    lead = f"{data_rel}/{folder}/" if data_rel not in ("", ".") else f"{folder}/"
    return {stem(p) for p in paths if p.startswith(lead) and p.endswith(".yaml") and "/" not in p[len(lead) :]}

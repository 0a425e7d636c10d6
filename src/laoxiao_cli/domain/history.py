"""`lx history`: which fields of one record each commit changed, from the record loaded at each commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

ChangeAction = Literal["created", "changed", "deleted", "unreadable"]


@dataclass(frozen=True, slots=True)
class Version:
    commit: str
    author: str
    email: str
    date: str
    message: str
    data: Mapping[str, Any] | None
    """The record at this commit; None when the file is absent (deleted) or unreadable."""
    readable: bool = True


@dataclass(frozen=True, slots=True)
class Change:
    commit: str
    author: str
    email: str
    date: str
    message: str
    action: ChangeAction
    fields: list[str]


@dataclass(frozen=True, slots=True)
class RecordHistory:
    """`lx history`: one record's commits, newest first."""

    id: str
    """How the record was named: ``kind/key``."""
    path: str
    changes: list[Change]


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any], prefix: str = "") -> list[str]:
    fields = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        name = f"{prefix}{key}"
        if isinstance(old, Mapping) and isinstance(new, Mapping) and not prefix:
            fields += changed_fields(old, new, prefix=f"{name}.")
        else:
            fields.append(name)
    return fields


def changes(versions: Sequence[Version]) -> list[Change]:
    """``versions`` newest first; each compared with the one before it in time."""
    out = []
    for i, v in enumerate(versions):
        fields: list[str]
        action: ChangeAction
        older = versions[i + 1] if i + 1 < len(versions) else None
        if not v.readable:
            action, fields = "unreadable", []
        elif v.data is None:
            action, fields = "deleted", []
        elif older is None or older.data is None:
            action, fields = "created", sorted(v.data)
        elif not older.readable:
            action, fields = "changed", sorted(v.data)
        else:
            action, fields = "changed", changed_fields(older.data, v.data)
        out.append(Change(v.commit, v.author, v.email, v.date, v.message, action, fields))
    return out

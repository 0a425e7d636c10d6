"""`lx history`: what each commit changed in one record — each field with its old and new value — from
the record loaded at each commit."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

ChangeAction = Literal["created", "changed", "deleted", "unreadable", "shallow"]
"""``shallow``: the oldest version a shallow clone (``git clone --depth``) holds; what came before it,
the record's creation included, is not in the clone, so it is not called ``created``."""


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
class FieldChange:
    field: str
    """A top-level key, or ``key.sub`` inside a mapping (``liaison.phone``)."""
    old: Any
    """None: the field was absent."""
    new: Any
    """None: the field was removed."""


@dataclass(frozen=True, slots=True)
class Change:
    commit: str
    author: str
    email: str
    date: str
    message: str
    action: ChangeAction
    fields: list[str]
    changes: list[FieldChange]
    """The fields of ``fields`` with their values before and after (a new record: every field, old None)."""


@dataclass(frozen=True, slots=True)
class RecordHistory:
    """`lx history`: one record's commits, newest first."""

    id: str
    """How the record was named: ``kind/key``."""
    path: str
    changes: list[Change]
    shallow: bool = False
    """The oldest version is where a shallow clone is cut off: earlier history is not available."""


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any], prefix: str = "") -> list[FieldChange]:
    """Fields that differ, in the order of ``before`` then the new ones; mappings at the top level are
    compared key by key (``liaison.name``)."""
    out = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        name = f"{prefix}{key}"
        if isinstance(old, Mapping) and isinstance(new, Mapping) and not prefix:
            out += field_changes(old, new, prefix=f"{name}.")
        else:
            out.append(FieldChange(name, old, new))
    return out


def _base(versions: Sequence[Version], i: int) -> Version | None:
    """What version ``i`` is compared with: the next older version that could be read (a deletion counts)."""
    return next((v for v in versions[i + 1 :] if v.readable), None)


Entry = tuple[ChangeAction, list[str], list[FieldChange]]


def _listed(action: ChangeAction, found: list[FieldChange]) -> Entry:
    return action, [c.field for c in found], found


def _entry(versions: Sequence[Version], i: int, shallow_cut: Collection[str]) -> Entry:
    v = versions[i]
    if not v.readable:
        return "unreadable", [], []
    if v.data is None:
        return "deleted", [], []
    if i == len(versions) - 1 and v.commit in shallow_cut:
        return "shallow", [], []
    older = _base(versions, i)
    if older is None and i + 1 < len(versions):  # only unreadable versions before it: old values unknown
        return "changed", sorted(v.data), []
    if older is None or older.data is None:
        return _listed("created", [FieldChange(k, None, v.data[k]) for k in sorted(v.data)])
    return _listed("changed", field_changes(older.data, v.data))


def changes(versions: Sequence[Version], shallow_cut: Collection[str] = ()) -> list[Change]:
    """``versions`` newest first; each compared with the one before it in time. ``shallow_cut``: the
    commits at which a shallow clone's history is cut off (empty for a complete clone)."""
    out = []
    for i, v in enumerate(versions):
        action, fields, found = _entry(versions, i, shallow_cut)
        out.append(Change(v.commit, v.author, v.email, v.date, v.message, action, fields, found))
    return out


def record_history(
    name: str, path: str, versions: Sequence[Version], shallow_cut: Collection[str] = ()
) -> RecordHistory:
    """The history of one record; ``shallow`` when its oldest version is where a shallow clone begins."""
    items = changes(versions, shallow_cut)
    return RecordHistory(name, path, items, shallow=bool(items) and items[-1].action == "shallow")

"""The cache's content: the last run's findings, an index of every file, and the dataset in parts.

    state      key of the content it describes · files count · findings · generation of every part
    index      rel → (stat, sha1, findings, ref): what each file yielded, without its record
    group, units, tasks, meetings, letters, handovers, submitted, reports: the dataset, one part each

A command on unchanged data reads ``state`` (validate) and the parts it needs (status: not the reports).
After an edit, only the changed files are parsed and only the parts of their kinds are written again.
Each part is checked against the generation ``state`` names; any mismatch means "no cache".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.layout import FOLDERS
from laoxiao_cli.store import cache

if TYPE_CHECKING:  # the models are imported only when the dataset is read: `lx validate` needs none
    from laoxiao_cli.model.dataset import Dataset

KIND_PART = {**FOLDERS, "group": "group", "report": "reports"}
"""Record kind → the cache part that holds its records (named like the data folders)."""
CORE = ("group", "units", "tasks", "meetings", "letters", "handovers", "submitted")

IndexEntry = tuple[Any, str, list[Finding], "tuple[str, str] | None"]
"""(stat, sha1, findings, ref) of one file; ref is (kind, key) of its record when it has one."""


@dataclass(frozen=True)
class State:
    key: str | None
    files: int
    findings: list[Finding]
    parts: dict[str, str]


def read_state(folder: Path) -> State | None:
    stored = cache.read(folder / "state")
    return stored if isinstance(stored, State) else None


def _part(folder: Path, name: str, state: State) -> Any:
    stored = cache.read(folder / name)
    if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != state.parts.get(name):
        return None
    return stored[1]


def read_index(folder: Path, state: State) -> dict[str, IndexEntry]:
    index = _part(folder, "index", state)
    return index if isinstance(index, dict) else {}


def read_reports(folder: Path, state: State) -> dict[tuple[str, str], Any] | None:
    reports = _part(folder, "reports", state)
    return reports if isinstance(reports, dict) else None


def read_dataset(
    folder: Path, state: State, prefix: str, reports: Callable[[], dict[tuple[str, str], Any]]
) -> Dataset | None:
    """The dataset from its parts (reports loaded by ``reports`` when first needed), or None."""
    from laoxiao_cli.model.dataset import Dataset

    parts = {name: _part(folder, name, state) for name in CORE}
    if parts["group"] is None or any(not isinstance(parts[n], dict) for n in CORE if n != "group"):
        return None
    return Dataset(
        parts["group"],
        parts["units"],
        parts["tasks"],
        parts["meetings"],
        parts["letters"],
        parts["handovers"],
        parts["submitted"],
        prefix,
        reports,
    )


def write(
    folder: Path,
    key: str | None,
    files: int,
    findings: list[Finding],
    dataset: Dataset | None,
    index: dict[str, IndexEntry],
    changed_kinds: Iterable[str] | None,
    previous: State | None,
) -> None:
    """Write the index, the parts of ``changed_kinds`` (None: all), then the state that makes them current."""
    parts = dict(previous.parts) if previous is not None and changed_kinds is not None else {}
    changed = {KIND_PART[k] for k in changed_kinds} if changed_kinds is not None else set(KIND_PART.values())
    if "reports" in changed:
        changed.add("submitted")

    def put(name: str, payload: Any) -> None:
        generation = uuid.uuid4().hex
        cache.write(folder / name, (generation, payload))
        parts[name] = generation

    put("index", index)
    if dataset is not None:
        values = {
            "group": dataset.group,
            "units": dataset.units,
            "tasks": dataset.tasks,
            "meetings": dataset.meetings,
            "letters": dataset.letters,
            "handovers": dataset.handovers,
            "submitted": dataset.submitted,
        }
        for name, payload in values.items():
            if name in changed or name not in parts:
                put(name, payload)
        if "reports" in changed or "reports" not in parts:
            put("reports", dataset.reports)
    else:
        parts = {"index": parts["index"]}
    cache.write(folder / "state", State(key, files, findings, parts))

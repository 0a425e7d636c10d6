"""The Dataset: every valid record of a data repository, with id lookups. Built from parsed files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from pydantic import BaseModel, ValidationError

from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.layout import FOLDERS
from laoxiao_cli.model.messages import translate
from laoxiao_cli.model.records import (
    KINDS,
    Group,
    Handover,
    Letter,
    Meeting,
    Record,
    Report,
    Task,
    Unit,
)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One parsed file: its kind, its path relative to the repository root, and its data."""

    kind: str
    rel: str
    stem: str
    folder: str
    data: object


@dataclass(frozen=True)
class Dataset:
    group: Group
    units: dict[str, Unit]
    tasks: dict[str, Task]
    meetings: dict[str, Meeting]
    letters: dict[str, Letter]
    handovers: dict[str, Handover]
    submitted: dict[tuple[str, str], date]
    """(month, unit) → the date its report was submitted: all the rules need of the reports."""
    prefix: str = "data"
    """The data folder, relative to the repository root."""
    report_source: Callable[[], dict[tuple[str, str], Report]] | None = field(default=None, compare=False, repr=False)
    """Where the full reports come from; they are loaded only by the commands that show them."""

    @cached_property
    def reports(self) -> dict[tuple[str, str], Report]:
        """Keyed by (month, unit)."""
        return self.report_source() if self.report_source is not None else {}

    @cached_property
    def unit_names(self) -> dict[str, str]:
        """Every name and alias (and id) → unit id."""
        names: dict[str, str] = {}
        for unit in self.units.values():
            names[unit.id] = unit.id
            names[unit.name] = unit.id
            for alias in unit.aliases:
                names[alias] = unit.id
        return names

    @cached_property
    def letters_by_task(self) -> dict[str, list[Letter]]:
        """Task id → the letters that list it."""
        index: dict[str, list[Letter]] = {}
        for letter in self.letters.values():
            for task_id in letter.tasks:
                index.setdefault(task_id, []).append(letter)
        return index

    @cached_property
    def tasks_by_unit(self) -> dict[str, list[Task]]:
        """Unit id → the tasks it leads or supports, in id order."""
        index: dict[str, list[Task]] = {}
        for task in sorted(self.tasks.values(), key=lambda t: t.id):
            for unit_id in dict.fromkeys([task.lead, *task.support]):
                index.setdefault(unit_id, []).append(task)
        return index

    @cached_property
    def duty_ids(self) -> dict[str, str]:
        return {d.id: u.id for u in self.units.values() for d in u.duties}

    def path_of(self, kind: str, key: str) -> str:
        """The file of a record (valid records live where their id says: file stem = id, report folder = month)."""
        if kind == "group":
            return f"{self.prefix}/group.yaml"
        if kind == "report":
            return f"{self.prefix}/reports/{key}.yaml"
        return f"{self.prefix}/{FOLDERS[kind]}/{key}.yaml"

    def __getstate__(self) -> dict[str, object]:
        # the reports travel separately (see store/cache.py); derived lookups are rebuilt on demand
        state = dict(self.__dict__)
        for name in ("reports", "report_source", "unit_names", "duty_ids", "letters_by_task", "tasks_by_unit"):
            state.pop(name, None)
        state["report_source"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)


_FIELDS_SETS: dict[frozenset[str], frozenset[str]] = {}


def share_fields_sets(record: Record) -> Record:
    """Give every model with the same set of given fields one shared frozenset: Pydantic keeps a set per
    instance (~0.7 KB for a task), which was a third of the memory of a province-sized dataset. Records
    are frozen, so the set is never changed."""
    stack: list[BaseModel] = [record]
    while stack:
        model = stack.pop()
        given = frozenset(model.__pydantic_fields_set__)
        object.__setattr__(model, "__pydantic_fields_set__", _FIELDS_SETS.setdefault(given, given))
        for value in model.__dict__.values():
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, BaseModel))
    return record


def validate_record(raw: RawRecord) -> tuple[Record | None, list[Finding]]:
    """Schema-check one parsed file; return the record, or the located-by-path findings."""
    model = KINDS[raw.kind]
    if not isinstance(raw.data, dict):
        return None, [Finding(raw.rel, "文件顶层应为映射（key: value 形式）", line=1, column=1)]
    try:
        record = share_fields_sets(model.model_validate(raw.data))
    except ValidationError as exc:
        findings = []
        for error in exc.errors(include_url=False):
            loc, at_key, message = translate(error, model)
            findings.append(Finding(raw.rel, message, loc, at_key))
        return None, findings
    return record, []


def assemble(group: Group, records: Iterable[tuple[RawRecord, Record]], prefix: str = "data") -> Dataset:
    units: dict[str, Unit] = {}
    tasks: dict[str, Task] = {}
    meetings: dict[str, Meeting] = {}
    reports: dict[tuple[str, str], Report] = {}
    letters: dict[str, Letter] = {}
    handovers: dict[str, Handover] = {}
    for _raw, record in sorted(records, key=lambda item: item[0].rel):
        if isinstance(record, Unit):
            units.setdefault(record.id, record)
        elif isinstance(record, Task):
            tasks.setdefault(record.id, record)
        elif isinstance(record, Meeting):
            meetings.setdefault(record.id, record)
        elif isinstance(record, Report):
            reports.setdefault((record.month, record.unit), record)
        elif isinstance(record, Letter):
            letters.setdefault(record.id, record)
        elif isinstance(record, Handover):
            handovers.setdefault(record.id, record)
    submitted = {key: report.submitted for key, report in reports.items()}
    return Dataset(group, units, tasks, meetings, letters, handovers, submitted, prefix, lambda: reports)

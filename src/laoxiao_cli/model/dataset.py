"""The Dataset: every valid record of a data repository, with id lookups. Built from parsed files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import ValidationError

from laoxiao_cli.model.findings import Finding
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
    reports: dict[tuple[str, str], Report]
    """Keyed by (month, unit)."""
    letters: dict[str, Letter]
    handovers: dict[str, Handover]
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    """(kind, key) → file path relative to the repository root; key of a report is ``YYYY-MM/unit``."""

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
    def duty_ids(self) -> dict[str, str]:
        return {d.id: u.id for u in self.units.values() for d in u.duties}

    def path_of(self, kind: str, key: str) -> str | None:
        return self.paths.get((kind, key))


def validate_record(raw: RawRecord) -> tuple[Record | None, list[Finding]]:
    """Schema-check one parsed file; return the record, or the located-by-path findings."""
    model = KINDS[raw.kind]
    if not isinstance(raw.data, dict):
        return None, [Finding(raw.rel, "文件顶层应为映射（key: value 形式）", line=1, column=1)]
    try:
        record = model.model_validate(raw.data)
    except ValidationError as exc:
        findings = []
        for error in exc.errors(include_url=False):
            loc, at_key, message = translate(error, model)
            findings.append(Finding(raw.rel, message, loc, at_key))
        return None, findings
    return record, []


def assemble(group: Group, records: Iterable[tuple[RawRecord, Record]]) -> Dataset:
    units: dict[str, Unit] = {}
    tasks: dict[str, Task] = {}
    meetings: dict[str, Meeting] = {}
    reports: dict[tuple[str, str], Report] = {}
    letters: dict[str, Letter] = {}
    handovers: dict[str, Handover] = {}
    paths: dict[tuple[str, str], str] = {}
    ordered = sorted(records, key=lambda item: item[0].rel)
    for raw, record in ordered:
        if isinstance(record, Unit):
            units.setdefault(record.id, record)
            paths.setdefault(("unit", record.id), raw.rel)
        elif isinstance(record, Task):
            tasks.setdefault(record.id, record)
            paths.setdefault(("task", record.id), raw.rel)
        elif isinstance(record, Meeting):
            meetings.setdefault(record.id, record)
            paths.setdefault(("meeting", record.id), raw.rel)
        elif isinstance(record, Report):
            reports.setdefault((record.month, record.unit), record)
            paths.setdefault(("report", f"{record.month}/{record.unit}"), raw.rel)
        elif isinstance(record, Letter):
            letters.setdefault(record.id, record)
            paths.setdefault(("letter", record.id), raw.rel)
        elif isinstance(record, Handover):
            handovers.setdefault(record.id, record)
            paths.setdefault(("handover", record.id), raw.rel)
    return Dataset(group, units, tasks, meetings, reports, letters, handovers, paths)

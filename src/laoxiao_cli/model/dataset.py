"""The Dataset: every valid record of a data repository, with id lookups. Built from parsed files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import Any, Generic, TypeVar, get_args, overload

from pydantic import BaseModel, ValidationError

from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.kinds import BY_NAME, RECORDS, Key, Kind
from laoxiao_cli.model.messages import translate
from laoxiao_cli.model.records import (
    Calendar,
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


T = TypeVar("T")


class _Part(Generic[T]):
    """A table of the dataset, taken from ``Dataset.sources`` when first used and kept: a command served
    from the cache reads only the parts it touches (``lx overdue`` no meetings, ``lx status`` no figures)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _Part[T]: ...
    @overload
    def __get__(self, obj: Dataset, owner: type | None = None) -> T: ...
    def __get__(self, obj: Dataset | None, owner: type | None = None) -> T | _Part[T]:
        if obj is None:
            return self
        value: T = obj.sources[self.name]()
        obj.__dict__[self.name] = value  # the instance's own from now on (this descriptor has no __set__)
        return value


@dataclass(frozen=True, eq=False)
class Dataset:
    """Every valid record, each table in file-name order (the order the spec calls "file-name order"),
    but the units in the roster's order when group.yaml has one (spec 6.1). Build it with
    ``Dataset.build``: the one constructor, used by the loader, the cache and the tests."""

    group: Group
    sources: Mapping[str, Callable[[], Any]] = field(repr=False)
    """Table name → the function that gives it (called once, when the table is first used)."""
    prefix: str = "data"
    """The data folder, relative to the repository root."""
    report_source: Callable[[], dict[tuple[str, str], Report]] | None = field(default=None, repr=False)
    """Where the full reports come from; they are loaded only by the commands that show them."""

    units = _Part[dict[str, Unit]]()
    tasks = _Part[dict[str, Task]]()
    meetings = _Part[dict[str, Meeting]]()
    letters = _Part[dict[str, Letter]]()
    handovers = _Part[dict[str, Handover]]()
    calendars = _Part[dict[str, Calendar]]()
    """Year (as text) → its working-day calendar (``calendar/<YYYY>.yaml``)."""
    submitted = _Part[dict[tuple[str, str], date]]()
    """(month, unit) → the day its report counts from (``Report.counted``: ``received`` when the office
    recorded it, else ``submitted``, spec 6.9): all the rules need of the reports."""
    percents = _Part[dict[tuple[str, str], tuple[tuple[str, int], ...]]]()
    """(month, unit) → its report's (task, percent) pairs (the first entry with a percent for each task):
    what 序时进度 needs of the reports, kept beside ``submitted`` so that status need not read them."""

    @classmethod
    def build(
        cls,
        group: Group,
        tables: Mapping[str, Mapping[Any, Record] | Callable[[], Mapping[Any, Record]]],
        prefix: str = "data",
        *,
        submitted: Mapping[tuple[str, str], date] | Callable[[], Mapping[tuple[str, str], date]] | None = None,
        percents: Mapping[tuple[str, str], tuple[tuple[str, int], ...]]
        | Callable[[], Mapping[tuple[str, str], tuple[tuple[str, int], ...]]]
        | None = None,
        reports: Callable[[], Mapping[tuple[str, str], Report]] | None = None,
        in_order: frozenset[str] = frozenset(),
        by_task: Callable[[], dict[str, tuple[tuple[str, str, int], ...]]] | None = None,
    ) -> Dataset:
        """The dataset of ``tables`` (kind name → key → record; a missing kind is empty), every table put
        in file-name order, whatever order it came in (the units in the roster's order). The reports come
        from ``tables["report"]``, or, when they are to be loaded later, from ``reports`` together with the
        days they count from (``submitted``) and their figures (``percents``).
        A table (or ``submitted``, ``percents``) may be given as a function, called when it is first used,
        and taken as it is (not copied): only for a kind in ``in_order``, the kinds whose tables the caller
        knows are in file-name order already (not sorted again); ``submitted`` and ``percents`` given so
        without "report" in ``in_order`` are called here, to be sorted. The units are always sorted (a few
        thousand at most), as a table kept from a dataset with a roster is in the roster's order.
        ``by_task``: gives ``percents_by_task`` of these very ``percents``, when the caller has it (the cache)."""
        sources: dict[str, Callable[[], Any]] = {}
        for kind in RECORDS:
            table = tables.get(kind.name)
            if kind.name == "report":
                continue
            if kind.name == "unit":
                sources["units"] = _units_in_order(group, table if table is not None else {})  # type: ignore[arg-type]
            elif table is None:
                sources[kind.table] = dict
            elif callable(table):
                assert kind.name in in_order, f"a {kind.name} table given as a function must be in order"
                sources[kind.table] = table
            else:
                sorted_table = dict(table) if kind.name in in_order else _sorted(kind, table)
                sources[kind.table] = _constant(sorted_table)
        source: Callable[[], dict[tuple[str, str], Report]] | None
        report_table = tables.get("report")
        if report_table is not None:
            assert not callable(report_table), "the reports are given as a table, or by ``reports``"
            loaded: dict[tuple[str, str], Report] = (
                dict(report_table) if "report" in in_order else _sorted(BY_NAME["report"], report_table)
            )
            sources["submitted"] = _constant({key: r.counted for key, r in loaded.items()})
            sources["percents"] = _constant({key: _percents(r) for key, r in loaded.items()})
            source = _copying(lambda: loaded)
            by_task = None
        elif "report" in in_order:  # the days and the figures in file-name order already (figures as tuples)
            sources["submitted"] = _given(submitted)
            sources["percents"] = _given(percents)
            source = _copying(reports) if reports is not None else None
        else:
            dates = dict(sorted(dict(_given(submitted)()).items(), key=_by_path(BY_NAME["report"])))
            figures = _given(percents)()
            sources["submitted"] = _constant(dates)
            sources["percents"] = _constant({key: tuple(figures[key]) for key in dates if key in figures})
            source = _copying(reports) if reports is not None else None
        if by_task is not None:
            sources["percents_by_task"] = by_task
        return cls(group, sources, prefix=prefix, report_source=source)

    def table(self, kind: str) -> Mapping[Any, Record]:
        """The records of one kind (by kind name), keyed as the registry says."""
        return getattr(self, BY_NAME[kind].table)  # type: ignore[no-any-return]

    @cached_property
    def reports(self) -> dict[tuple[str, str], Report]:
        """Keyed by (month, unit)."""
        return self.report_source() if self.report_source is not None else {}

    @cached_property
    def percents_by_task(self) -> dict[str, tuple[tuple[str, str, int], ...]]:
        """Task id → every (month, unit, percent) the reports give for it, in file-name order of the
        reports: 序时进度 looks at one task's figures, not at every report's."""
        known = self.sources.get("percents_by_task")
        if known is not None:
            return known()  # type: ignore[no-any-return]
        index: dict[str, list[tuple[str, str, int]]] = {}
        for (month, unit_id), pairs in self.percents.items():
            for task_id, percent in pairs:
                entry = (month, unit_id, percent)
                found = index.get(task_id)
                if found is None:
                    index[task_id] = [entry]
                else:
                    found.append(entry)
        return {task_id: tuple(entries) for task_id, entries in index.items()}

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
        """Unit id → the tasks it leads or supports, in file-name order: a group's tasks are its members'
        too (spec 6.11), and stay the group's own."""
        index: dict[str, list[Task]] = {}
        for task in self.tasks.values():
            named = [task.lead, *task.support]
            for unit_id in dict.fromkeys([*named, *(m for u in named for m in self.members(u))]):
                index.setdefault(unit_id, []).append(task)
        return index

    # --- groups of units (spec 6.11): the one place a group's part in a task passes to its members ---

    @cached_property
    def groups(self) -> dict[str, tuple[str, ...]]:
        """Group id → its members, in roster order (members that are no unit, or groups themselves, are
        findings and left out: a group is one level deep)."""
        out: dict[str, tuple[str, ...]] = {}
        for unit in self.units.values():
            if unit.members:
                listed = set(unit.members)
                out[unit.id] = tuple(uid for uid, u in self.units.items() if uid in listed and not u.members)
        return out

    @cached_property
    def group_of(self) -> dict[str, str]:
        """Member id → its group (the first in roster order, were it in two: a finding)."""
        out: dict[str, str] = {}
        for group_id, members in self.groups.items():
            for member_id in members:
                out.setdefault(member_id, group_id)
        return out

    def members(self, unit_id: str) -> tuple[str, ...]:
        """A group's members (roster order); () for a unit that is no group."""
        return self.groups.get(unit_id, ())

    def responsible(self, unit_id: str) -> tuple[str, ...]:
        """The units that answer for ``unit_id``'s part in a task: a group's members, else the unit itself.
        ``--unit 各镇街`` views take these together."""
        return self.groups.get(unit_id, (unit_id,))

    def lead_units(self, task: Task) -> tuple[str, ...]:
        """The units that lead ``task``: its lead, or each member when the lead is a group."""
        return self.groups.get(task.lead, (task.lead,))

    def support_units(self, task: Task) -> tuple[str, ...]:
        """The units that support ``task``: each supporting unit, or each member of a supporting group, less
        the units that lead it."""
        leads = self.lead_units(task)
        return tuple(dict.fromkeys(u for s in task.support for u in self.responsible(s) if u not in leads))

    @cached_property
    def duty_ids(self) -> dict[str, str]:
        return {d.id: u.id for u in self.units.values() for d in u.duties}

    def path_of(self, kind: str, key: Key) -> str:
        """The file of a record, relative to the repository root (valid records live where their key
        says: file stem = id, report folder = month)."""
        rel = BY_NAME[kind].path(key)
        return f"{self.prefix}/{rel}" if self.prefix not in ("", ".") else rel


def _units_in_order(
    group: Group, table: Mapping[str, Unit] | Callable[[], Mapping[str, Unit]]
) -> Callable[[], dict[str, Unit]]:
    def units() -> dict[str, Unit]:
        given = table() if callable(table) else table
        return _in_roster_order(group, _sorted(BY_NAME["unit"], given))

    return units


def _sorted(kind: Kind, table: Mapping[Any, Any]) -> dict[Any, Any]:
    return dict(sorted(table.items(), key=_by_path(kind)))


def _constant(value: T) -> Callable[[], T]:
    return lambda: value


def _given(value: Mapping[Any, Any] | Callable[[], Mapping[Any, Any]] | None) -> Callable[[], dict[Any, Any]]:
    """A function giving ``value`` (a mapping, or a function giving one; None: empty) as a dict."""
    if value is None:
        return dict
    if callable(value):
        return lambda: _as_dict(value())
    return _constant(_as_dict(value))


def _as_dict(value: Mapping[Any, Any]) -> dict[Any, Any]:
    return value if isinstance(value, dict) else dict(value)


def _in_roster_order(group: Group, units: dict[str, Unit]) -> dict[str, Unit]:
    """The units in the order of group.yaml's ``units`` (the roster), any it does not list (a finding)
    after them in file-name order; without a roster, as they are. A few dozen units: always redone, so a
    roster changed with no unit file changed still orders them."""
    if group.units is None:
        return units
    listed = {uid: units[uid] for uid in group.units if uid in units}
    return listed | {uid: u for uid, u in sorted(units.items(), key=_by_path(BY_NAME["unit"])) if uid not in listed}


def _by_path(kind: Kind) -> Callable[[tuple[Any, Any]], str]:
    """Sort key of a table item: its file's path, so tables are in file-name order."""
    return lambda item: kind.path(item[0])


def _copying(reports: Callable[[], Mapping[tuple[str, str], Report]]) -> Callable[[], dict[tuple[str, str], Report]]:
    return lambda: dict(reports())


_FIELDS_SETS: dict[frozenset[str], frozenset[str]] = {}


def share_fields_sets(record: Record) -> Record:
    """Give every model with the same set of given fields one shared frozenset: Pydantic keeps a set per
    instance (~0.7 KB for a task), which was a third of the memory of a province-sized dataset. Records
    are frozen, so the set is never changed. Only the fields that can hold models are looked into."""
    shared = _FIELDS_SETS
    stack: list[BaseModel] = [record]
    while stack:
        model = stack.pop()
        given = frozenset(model.__pydantic_fields_set__)
        object.__setattr__(model, "__pydantic_fields_set__", shared.setdefault(given, given))
        values = model.__dict__
        for name in _model_fields(type(model)):
            value = values[name]
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, BaseModel))
    return record


@cache
def _model_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class whose type names a model (alone, in a list, or optional)."""

    def names_a_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(names_a_model(arg) for arg in get_args(annotation))

    return tuple(name for name, info in cls.model_fields.items() if names_a_model(info.annotation))


def validate_record(raw: RawRecord) -> tuple[Record | None, list[Finding]]:
    """Schema-check one parsed file; return the record, or the located-by-path findings."""
    model = BY_NAME[raw.kind].model
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


def assemble(group: Group, records: Iterable[tuple[str, str, Record]], prefix: str = "data") -> Dataset:
    """The dataset of parsed records, given as (path, kind name, record); where two files claim one key,
    the first in file-name order wins (the other is a finding of the cross-file rules). Each table is
    filled in path order, and a record's path is its key's (a file whose name differs from its record's
    key keeps no record: ``checks.name_issues``): the tables are not sorted again."""
    tables: dict[str, dict[Any, Record]] = {kind.name: {} for kind in RECORDS}
    for _rel, kind, record in sorted(records, key=lambda item: item[0]):
        key: Key
        if kind == "report":
            key = (record.month, record.unit)  # type: ignore[attr-defined]
        elif kind == "calendar":
            key = str(record.year)  # type: ignore[attr-defined]
        else:
            key = record.id  # type: ignore[attr-defined]
        tables[kind].setdefault(key, record)
    return Dataset.build(group, tables, prefix, in_order=frozenset(tables))


def report_figures(report: Report) -> tuple[date, tuple[tuple[str, int], ...]]:
    """What the dataset keeps of a report beside the (lazily read) reports: the day it counts from and
    its (task, percent) pairs."""
    return report.counted, _percents(report)


def _percents(report: Report) -> tuple[tuple[str, int], ...]:
    """The report's (task, percent) pairs: the first entry with a percent for each task."""
    seen: dict[str, int] = {}
    for entry in report.progress:
        if entry.percent is not None and entry.task not in seen:
            seen[entry.task] = entry.percent
    return tuple(seen.items())

"""The one list of record kinds: where each lives in the data folder, how its key is formed, which model
checks it. Every other module (the scanner, the dataset, the cache, history, CODEOWNERS, the writing
commands) asks this registry instead of spelling a kind out. A light module: the Pydantic models are
imported only when ``Kind.model`` is first used."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from laoxiao_cli.model.records import Record

KindName = Literal["group", "unit", "task", "meeting", "report", "letter", "handover", "calendar"]
Key = str | tuple[str, str]
"""A record's key in its table: its id; a report's is (month, unit); a calendar's its year as text."""


@dataclass(frozen=True, slots=True)
class Kind:
    name: KindName
    folder: str
    """The folder under ``data/`` ('' for group.yaml)."""
    model_name: str
    table: str
    """The Dataset attribute (and cache part) holding this kind's records."""

    @property
    def model(self) -> type[Record]:
        return getattr(import_module("laoxiao_cli.model.records"), self.model_name)  # type: ignore[no-any-return]

    def path(self, key: Key) -> str:
        """The record's file, relative to the data folder."""
        if self.name == "group":
            return "group.yaml"
        if isinstance(key, tuple):
            return f"{self.folder}/{key[0]}/{key[1]}.yaml"
        return f"{self.folder}/{key}.yaml"

    def key(self, stem: str, subfolder: str) -> Key:
        """The key a file at ``<folder>/[<subfolder>/]<stem>.yaml`` must hold (its name says it)."""
        if self.name == "report":
            return (subfolder, stem)
        return stem

    def parse_key(self, text: str) -> Key:
        """A key written as on the command line (``YYYY-MM/unit`` for reports)."""
        if self.name == "report":
            month, _, unit = text.partition("/")
            return (month, unit)
        return text


KINDS: tuple[Kind, ...] = (
    Kind("group", "", "Group", "group"),
    Kind("unit", "units", "Unit", "units"),
    Kind("task", "tasks", "Task", "tasks"),
    Kind("meeting", "meetings", "Meeting", "meetings"),
    Kind("report", "reports", "Report", "reports"),
    Kind("letter", "letters", "Letter", "letters"),
    Kind("handover", "handovers", "Handover", "handovers"),
    Kind("calendar", "calendar", "Calendar", "calendars"),
)
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS if k.folder}
RECORDS: tuple[Kind, ...] = tuple(k for k in KINDS if k.name != "group")
"""The kinds kept in tables (all but the one group.yaml)."""
NESTED = frozenset({"report"})
"""Kinds whose files sit one folder deeper (``reports/<YYYY-MM>/<unit>.yaml``)."""


def kind_of(parts: tuple[str, ...], name: str) -> Kind | None:
    """The kind of a YAML file at ``parts/name`` inside the data folder, or None where none belongs."""
    if not parts:
        return BY_NAME["group"] if name == "group.yaml" else None
    kind = BY_FOLDER.get(parts[0])
    if kind is None:
        return None
    depth = 2 if kind.name in NESTED else 1
    return kind if len(parts) == depth else None

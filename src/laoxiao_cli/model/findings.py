"""A finding: one thing wrong with one file, located by a path inside the record or by line/column."""

from __future__ import annotations

from dataclasses import dataclass, replace

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    """Path relative to the repository root, with forward slashes (e.g. ``data/tasks/t1.yaml``)."""
    message: str
    loc: Loc = ()
    """Where inside the record; the store maps it to a line and column."""
    at_key: bool = False
    """Point at the key of ``loc`` rather than at its value (unknown or duplicate keys)."""
    line: int | None = None
    column: int | None = None

    def located(self, line: int | None, column: int | None) -> Finding:
        return replace(self, line=line, column=column)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.message)

"""What `lx validate` found: every finding in every file, and how many files it checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from laoxiao_cli.model.findings import Finding


@dataclass(frozen=True, slots=True)
class Validation:
    findings: Sequence[Finding]
    files: int

    @property
    def ok(self) -> bool:
        return not self.findings

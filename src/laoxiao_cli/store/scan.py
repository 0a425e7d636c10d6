"""List the record files of a data folder, by kind; YAML files in wrong places are findings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from laoxiao_cli.model.findings import Finding
from laoxiao_cli.store.discover import relative

FOLDERS = {
    "units": "unit",
    "tasks": "task",
    "meetings": "meeting",
    "letters": "letter",
    "handovers": "handover",
}
LAYOUT = "group.yaml、units/、tasks/、meetings/、reports/<YYYY-MM>/、letters/、handovers/"


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    path: Path
    rel: str
    stem: str
    folder: str


def scan(data_dir: Path, root: Path) -> tuple[list[Entry], list[Finding], int]:
    """Return (entries, findings, number of YAML files found)."""
    entries: list[Entry] = []
    findings: list[Finding] = []
    count = 0
    for dirpath, dirnames, filenames in os.walk(data_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folder = Path(dirpath)
        parts = folder.relative_to(data_dir).parts
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            count += 1
            path = folder / name
            rel = relative(path, root)
            if name.endswith(".yml"):
                findings.append(Finding(rel, "扩展名应为 .yaml（不是 .yml）：请重命名此文件"))
                continue
            stem = name[: -len(".yaml")]
            kind = _kind(parts, name)
            if kind is None:
                findings.append(Finding(rel, f"此处不应有数据文件：记录只能放在 {LAYOUT}"))
                continue
            entries.append(Entry(kind, path, rel, stem, parts[-1] if parts else ""))
    return entries, findings, count


def _kind(parts: tuple[str, ...], name: str) -> str | None:
    if not parts:
        return "group" if name == "group.yaml" else None
    if len(parts) == 1:
        return FOLDERS.get(parts[0])
    if len(parts) == 2 and parts[0] == "reports":
        return "report"
    return None

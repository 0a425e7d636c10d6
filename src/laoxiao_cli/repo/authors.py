"""The commits `lx validate --authors` judges: each commit that changed reports, with group.yaml and the
unit files of those reports as they were *at that commit* (so a report committed before a handover is
judged by the liaison of the time). The judging itself is domain/owners.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laoxiao_cli.repo import gitcli, yamlio
from laoxiao_cli.repo.discover import relative


@dataclass(frozen=True, slots=True)
class ReportCommit:
    sha: str
    name: str
    email: str
    when: str
    reports: list[str]
    """The report files it added or changed (paths relative to the repository root)."""
    group: dict[str, Any]
    units: dict[str, dict[str, Any]]
    """Unit id → its unit file's data at this commit ({} when absent or unreadable)."""


def _load(raw: bytes | None) -> dict[str, Any]:
    if raw is None:
        return {}
    try:
        data = yamlio.parse(raw).data
    except yamlio.ParseError:
        return {}
    return data if isinstance(data, dict) else {}


def report_commits(data_dir: Path, root: Path, since: str | None) -> list[ReportCommit]:
    prefix = relative(data_dir, root)
    out: list[ReportCommit] = []
    for sha, name, email, when, paths in gitcli.commits_touching(root, f"{prefix}/reports", since):
        reports = [
            p
            for p in paths
            if p.startswith(f"{prefix}/reports/") and p.endswith(".yaml") and p.count("/") == prefix.count("/") + 3
        ]
        if not reports:
            continue
        units = sorted({Path(p).stem for p in reports})
        specs = [f"{sha}:{prefix}/group.yaml", *(f"{sha}:{prefix}/units/{u}.yaml" for u in units)]
        group, *unit_files = (_load(raw) for raw in gitcli.blobs(root, specs))
        out.append(ReportCommit(sha, name, email, when, reports, group, dict(zip(units, unit_files, strict=True))))
    return out

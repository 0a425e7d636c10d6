"""Load a data repository: scan → parse → schema → rules → cross-references → located findings.

This is the one pipeline every command runs before it does anything; commands other than `validate`
refuse to work when it returns findings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from laoxiao_cli.errors import InvalidData
from laoxiao_cli.model.checks import cross_issues, name_issues, record_issues
from laoxiao_cli.model.dataset import Dataset, RawRecord, assemble, validate_record
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.records import Group, Record
from laoxiao_cli.store import yamlio
from laoxiao_cli.store.discover import find_data_dir, relative, repo_root
from laoxiao_cli.store.scan import scan


@dataclass(frozen=True)
class Loaded:
    data_dir: Path
    root: Path
    files: int
    dataset: Dataset | None
    findings: list[Finding]

    def require(self) -> Dataset:
        """The dataset, or InvalidData with every finding."""
        if self.findings or self.dataset is None:
            raise InvalidData(self.findings, self.files)
        return self.dataset


def load(data: Path | None = None) -> Loaded:
    data_dir = find_data_dir(data)
    return load_dir(data_dir)


def load_dir(data_dir: Path) -> Loaded:
    root = repo_root(data_dir)
    entries, findings, count = scan(data_dir, root)
    pending: list[Finding] = []  # located by path inside the record, to be mapped to lines
    valid: list[tuple[RawRecord, Record]] = []
    group: Group | None = None
    broken: set[tuple[str, str]] = set()  # files that exist but failed their own checks
    group_rel = relative(data_dir / "group.yaml", root)
    for entry in entries:
        try:
            parsed = yamlio.parse(entry.path.read_bytes())
        except yamlio.ParseError as exc:
            findings.append(Finding(entry.rel, exc.message, line=exc.line, column=exc.column))
            broken.add((entry.kind, entry.stem))
            continue
        except OSError as exc:
            findings.append(Finding(entry.rel, f"无法读取文件：{exc.strerror}"))
            continue
        raw = RawRecord(entry.kind, entry.rel, entry.stem, entry.folder, parsed.data)
        record, problems = validate_record(raw)
        if record is None:
            pending.extend(problems)
            broken.add((entry.kind, entry.stem))
            continue
        issues = [*record_issues(record), *name_issues(raw, record)]
        pending.extend(Finding(entry.rel, message, loc) for loc, message in issues)
        if isinstance(record, Group):
            group = record
        else:
            valid.append((raw, record))
    dataset: Dataset | None = None
    if group is None:
        if not any(e.kind == "group" for e in entries):
            findings.append(Finding(group_rel, "缺少 group.yaml：数据文件夹必须有专班的 group.yaml"))
    else:
        dataset = assemble(group, valid)
        dataset.paths[("group", "group")] = group_rel
        pending.extend(Finding(rel, message, loc) for rel, loc, message in cross_issues(dataset, frozenset(broken)))
    findings.extend(_locate(pending, root))
    findings.sort(key=Finding.sort_key)
    return Loaded(data_dir, root, count, dataset, findings)


def _locate(pending: list[Finding], root: Path) -> list[Finding]:
    """Map each finding's path inside its record to a line and column, re-reading only those files."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in pending:
        by_file[finding.file].append(finding)
    located: list[Finding] = []
    for rel, items in by_file.items():
        try:
            node = yamlio.compose(yamlio.decode((root / rel).read_bytes()))
        except (OSError, yamlio.ParseError):
            node = None
        for finding in items:
            line, column = yamlio.locate(node, finding.loc, finding.at_key)
            located.append(finding.located(line, column))
    return located

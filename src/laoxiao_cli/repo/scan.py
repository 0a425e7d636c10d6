"""List the record files of a data folder, by kind, with the stat keys the cache compares.

YAML files in places where no record belongs (and ``*.yml`` files) are findings.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.kinds import Kind, kind_of
from laoxiao_cli.repo.discover import relative

LAYOUT = "group.yaml、units/、tasks/、meetings/、reports/<YYYY-MM>/、letters/、handovers/"
RACY_NS = 2_000_000_000
"""A file changed this close to the moment it was listed may change again unseen by its stat: its
content is compared instead (as Git does with "racily clean" index entries)."""

Stat = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    rel: str
    """Path relative to the repository root (the file is ``root / rel``)."""
    stem: str
    folder: str
    stat: Stat | None
    """(size, mtime_ns, ctime_ns, inode), or None when too recent to be trusted."""


@dataclass(frozen=True, slots=True)
class Listing:
    entries: list[Entry]
    findings: list[Finding]
    count: int
    """Every YAML file found (``*.yml`` and misplaced ones included)."""
    unread: frozenset[tuple[str, str]] = frozenset()
    """(kind, stem) of record files not read because of their extension (``x.yml``, ``x.YAML``): references
    to their records are not reported as dangling, the extension is the one finding."""

    def digest(self) -> str | None:
        """One key for the whole listing; None when some file is too recent to be trusted."""
        if any(e.stat is None for e in self.entries):
            return None
        h = hashlib.sha1(usedforsecurity=False)
        for e in self.entries:
            h.update(f"{e.rel}\0{e.stat}\n".encode())
        for f in self.findings:
            h.update(f"{f.file}\0{f.message}\n".encode())
        return h.hexdigest()


def scan(data_dir: Path, root: Path) -> Listing:
    entries: list[Entry] = []
    findings: list[Finding] = []
    unread: set[tuple[str, str]] = set()
    count = 0
    now = time.time_ns()
    prefix = relative(data_dir, root)
    stack: list[tuple[str, tuple[str, ...]]] = [(str(data_dir), ())]
    while stack:
        folder, parts = stack.pop()
        try:
            items = sorted(os.scandir(folder), key=lambda d: d.name)
        except OSError:
            continue
        subfolders = []
        for item in items:
            name = item.name
            if name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                subfolders.append((item.path, (*parts, name)))
                continue
            if not is_yaml_name(name):
                continue
            count += 1
            rel = f"{prefix}/{'/'.join((*parts, name))}" if prefix != "." else "/".join((*parts, name))
            kind = _place(rel, parts, name, findings, unread)
            if kind is None:
                continue
            try:
                st = item.stat()
            except OSError:
                stat = None
            else:
                recent = now - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS
                stat = None if recent else (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            entries.append(Entry(kind.name, rel, name[: -len(".yaml")], parts[-1] if parts else "", stat))
        stack.extend(reversed(subfolders))
    entries.sort(key=lambda e: e.rel)
    findings.sort(key=lambda f: f.file)
    return Listing(entries, findings, count, frozenset(unread))


def is_yaml_name(name: str) -> bool:
    """A YAML file by its name, in any case (``.YAML`` is not silently ignored)."""
    return name.lower().endswith((".yaml", ".yml"))


def _place(
    rel: str, parts: tuple[str, ...], name: str, findings: list[Finding], unread: set[tuple[str, str]]
) -> Kind | None:
    """The kind of a record file, or None with a finding for a wrong extension or a wrong place."""
    stem, _, ext = name.rpartition(".")
    if ext != "yaml":
        kind = kind_of(parts, f"{stem}.yaml")
        if kind is not None:
            unread.add((kind.name, stem))
        wrong = "扩展名应为 .yaml（不是 .yml）" if ext.lower() == "yml" else f"扩展名应为小写的 .yaml（不是 .{ext}）"
        held = "；在改名之前 lx 不读取它，其中的记录视为不存在" if kind is not None else ""
        findings.append(Finding(rel, f"{wrong}：请把文件改名为 {stem}.yaml{held}"))
        return None
    kind = kind_of(parts, name)
    if kind is None:
        findings.append(Finding(rel, f"此处不应有数据文件：记录只能放在 {LAYOUT}"))
    return kind


def from_paths(rels: list[str], prefix: str) -> Listing:
    """The listing of files named by their paths (as committed at a revision: no stat)."""
    entries: list[Entry] = []
    findings: list[Finding] = []
    unread: set[tuple[str, str]] = set()
    count = 0
    lead = "" if prefix in ("", ".") else prefix + "/"
    for rel in sorted(rels):
        if not rel.startswith(lead):
            continue
        *parts, name = rel[len(lead) :].split("/")
        if any(p.startswith(".") for p in parts) or name.startswith(".") or not is_yaml_name(name):
            continue
        count += 1
        kind = _place(rel, tuple(parts), name, findings, unread)
        if kind is None:
            continue
        entries.append(Entry(kind.name, rel, name[: -len(".yaml")], parts[-1] if parts else "", None))
    return Listing(entries, findings, count, frozenset(unread))


def overlay(listing: Listing, changes: dict[str, bool], prefix: str) -> Listing:
    """``listing`` with planned changes applied: ``changes`` maps a path to True (it will hold new
    content: read it again, its stat says nothing) or False (it will be deleted)."""
    listed = {e.rel for e in listing.entries if e.rel in changes} | {
        f.file for f in listing.findings if f.file in changes
    }
    kept = [e for e in listing.entries if e.rel not in changes]
    kept_findings = [f for f in listing.findings if f.file not in changes]
    added = from_paths([rel for rel, present in changes.items() if present], prefix)
    entries = sorted([*kept, *added.entries], key=lambda e: e.rel)
    findings = sorted([*kept_findings, *added.findings], key=lambda f: f.file)
    count = listing.count - len(listed) + added.count
    return Listing(entries, findings, count, listing.unread | added.unread)

"""Load a data repository: scan → parse → schema → rules → cross-references → located findings.

This is the one pipeline every command runs before it does anything; commands other than `validate`
refuse to work when it returns findings. Files are parsed with libyaml and only a file with a finding
is composed again to locate it; records of unchanged files come from the cache (store/cache.py).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laoxiao_cli.errors import InvalidData
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.store import cache, gitrepo, journal, snapshot
from laoxiao_cli.store.discover import find_data_dir, git_dir, relative, repo_root
from laoxiao_cli.store.lock import locked, sequence
from laoxiao_cli.store.scan import Entry, Listing, scan

if TYPE_CHECKING:  # the models are imported only when files must be parsed or the dataset is read
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.model.records import Record, Report
    from laoxiao_cli.store.yamlio import Parsed

Progress = Callable[[int], Callable[[int], None]]
"""Given the number of files to parse, returns a function to call with the number just parsed."""


@dataclass(frozen=True)
class Loaded:
    data_dir: Path
    root: Path
    files: int
    findings: list[Finding]
    source: Callable[[], Dataset | None] = field(repr=False, compare=False)
    """Builds (or reads from the cache) the dataset, only when a command needs it."""

    @cached_property
    def dataset(self) -> Dataset | None:
        return self.source()

    def require(self) -> Dataset:
        """The dataset, or InvalidData with every finding."""
        if self.findings:
            raise InvalidData(self.findings, self.files)
        dataset = self.dataset
        if dataset is None:
            raise InvalidData(self.findings, self.files)
        return dataset


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one file yields, kept in the cache: its record or its (located) findings."""

    entry: Entry
    sha1: str
    record: Record | None
    findings: list[Finding]
    ref: tuple[str, str] | None = None
    """(kind, key) of the record in the dataset, so the cache can keep each record once."""


def load(
    data: Path | None = None, progress: Progress | None = None, notify: Callable[[str], None] | None = None
) -> Loaded:
    return load_dir(find_data_dir(data), progress, notify=notify)


def load_dir(
    data_dir: Path,
    progress: Progress | None = None,
    use_cache: bool = True,
    check_journal: bool = True,
    notify: Callable[[str], None] | None = None,
) -> Loaded:
    """Every file's record and finding. Before reading, an interrupted write is finished or undone; the
    read is repeated if a writer ran meanwhile (a seqlock: the write sequence is odd during a write)."""
    root = repo_root(data_dir)
    gdir = git_dir(root) if check_journal else None
    if gdir is None:
        return _load(data_dir, root, progress, use_cache)
    for _ in range(3):
        if journal.pending(gdir):
            note = journal.recover(gdir, root)
            if note and notify is not None:
                notify(note)
        before = sequence(gdir)
        if before % 2:  # a write is under way: wait for it
            with locked(gdir):
                pass
            continue
        loaded = _load(data_dir, root, progress, use_cache)
        if sequence(gdir) == before:
            return loaded
    with locked(gdir):  # writers keep coming: read under the lock
        return _load(data_dir, root, progress, use_cache)


def _load(data_dir: Path, root: Path, progress: Progress | None, use_cache: bool) -> Loaded:
    prefix = relative(data_dir, root)
    folder = cache.location(root, data_dir) if use_cache and cache.enabled() else None
    state = snapshot.read_state(folder) if folder is not None else None
    key = gitrepo.content_key(root, prefix) if folder is not None and (root / ".git").exists() else None
    if state is not None and key is not None and state.key == key:
        return _hit(folder, state, data_dir, root)  # type: ignore[arg-type]
    listing = scan(data_dir, root)
    if key is None:
        key = listing.digest()
        if state is not None and key is not None and state.key == key:
            return _hit(folder, state, data_dir, root)  # type: ignore[arg-type]
    index = snapshot.read_index(folder, state) if folder is not None and state is not None else {}
    unchanged, todo = _classify(root, listing, index)
    results = _results(root, todo, progress)
    base = None
    if unchanged and folder is not None and state is not None:
        reports = snapshot.read_reports(folder, state)
        if reports is not None:
            base = snapshot.read_dataset(folder, state, prefix, lambda: reports)
    if base is None and unchanged:  # the parts are gone or disagree: parse everything
        results.update(_results(root, [(e, None, None) for e in listing.entries if e.rel in unchanged], progress))
        unchanged = {}
    findings, dataset = _assemble(data_dir, root, listing, unchanged, results, base, index)
    if folder is not None:
        new_index = {**unchanged, **{rel: (r.entry.stat, r.sha1, r.findings, r.ref) for rel, r in results.items()}}
        gone = set(index) - set(unchanged)
        kinds = {r.entry.kind for r in results.values()} | {_kind_of(index[rel]) for rel in gone if rel in index}
        snapshot.write(
            folder, key, listing.count, findings, dataset, new_index, kinds if base is not None else None, state
        )
    return Loaded(data_dir, root, listing.count, findings, lambda: dataset)


def _kind_of(entry: snapshot.IndexEntry) -> str:
    ref = entry[3]
    return ref[0] if ref is not None else "group"


def _hit(folder: Path, state: snapshot.State, data_dir: Path, root: Path) -> Loaded:
    prefix = relative(data_dir, root)

    def source() -> Dataset | None:
        def reports() -> dict[tuple[str, str], Report]:
            stored = snapshot.read_reports(folder, state)
            if stored is not None:
                return stored
            fresh = load_dir(data_dir, use_cache=False).dataset
            return fresh.reports if fresh is not None else {}

        dataset = snapshot.read_dataset(folder, state, prefix, reports)
        if dataset is None:  # the parts disagree: rebuild without the cache
            return load_dir(data_dir, use_cache=False).dataset
        return dataset

    return Loaded(data_dir, root, state.files, state.findings, source)


def _classify(
    root: Path, listing: Listing, index: dict[str, snapshot.IndexEntry]
) -> tuple[dict[str, snapshot.IndexEntry], list[tuple[Entry, bytes | None, str | None]]]:
    """Files unchanged since the index (same stat, or else same content), and the rest to parse."""
    unchanged: dict[str, snapshot.IndexEntry] = {}
    todo: list[tuple[Entry, bytes | None, str | None]] = []
    for entry in listing.entries:
        old = index.get(entry.rel)
        if old is None:
            todo.append((entry, None, None))
        elif entry.stat is not None and old[0] == entry.stat:
            unchanged[entry.rel] = old
        else:
            raw, sha1 = _read(root, entry)
            if raw is not None and sha1 == old[1]:
                unchanged[entry.rel] = (entry.stat, *old[1:])
            else:
                todo.append((entry, raw, sha1))
    return unchanged, todo


def _results(
    root: Path, todo: list[tuple[Entry, bytes | None, str | None]], progress: Progress | None
) -> dict[str, FileResult]:
    """Parse and check each file of ``todo`` (on every core when there are many)."""
    results: dict[str, FileResult] = {}
    if len(todo) >= PARALLEL_MIN and _workers() > 1:
        _parse_in_parallel(root, todo, results, progress)
        return results
    advance = progress(len(todo)) if progress is not None and todo else None
    with cache.no_gc():
        for n, (entry, raw, digest) in enumerate(todo, start=1):
            results[entry.rel] = _process(root, entry, raw, digest)
            if advance is not None and (n % BATCH == 0 or n == len(todo)):
                advance(BATCH if n % BATCH == 0 else n % BATCH)
    return results


PARALLEL_MIN = 2000
"""Below this many files to parse, starting worker processes costs more than it saves."""
BATCH = 250


def _workers() -> int:
    import os
    import sys

    if sys.platform != "linux" or os.environ.get("LX_WORKERS") == "1":
        return 1
    try:
        return max(1, min(len(os.sched_getaffinity(0)), int(os.environ.get("LX_WORKERS") or 8)))
    except (AttributeError, ValueError):
        return 1


def _parse_in_parallel(
    root: Path,
    todo: list[tuple[Entry, bytes | None, str | None]],
    results: dict[str, FileResult],
    progress: Progress | None,
) -> None:
    """Parse on every core: libyaml and Pydantic hold the GIL, so threads would not help. Workers are
    forked (they inherit the imported models) and each returns its files' results."""
    import multiprocessing

    import laoxiao_cli.model.checks
    import laoxiao_cli.model.dataset
    import laoxiao_cli.store.yamlio  # noqa: F401

    batches = [(root, [entry for entry, _, _ in todo[i : i + BATCH]]) for i in range(0, len(todo), BATCH)]
    context = multiprocessing.get_context("fork")
    with context.Pool(_workers(), initializer=_worker_init) as pool:
        advance = progress(len(todo)) if progress is not None else None
        for batch in pool.imap(_process_batch, batches):
            for result in batch:
                results[result.entry.rel] = result
            if advance is not None:
                advance(len(batch))


def _worker_init() -> None:
    import gc

    gc.disable()


def _process_batch(batch: tuple[Path, list[Entry]]) -> list[FileResult]:
    root, entries = batch
    return [_process(root, entry, None, None) for entry in entries]


def _read(root: Path, entry: Entry) -> tuple[bytes | None, str]:
    try:
        raw = (root / entry.rel).read_bytes()
    except OSError:
        return None, ""
    return raw, hashlib.sha1(raw, usedforsecurity=False).hexdigest()


def _process(root: Path, entry: Entry, raw: bytes | None, digest: str | None) -> FileResult:
    from laoxiao_cli.model.checks import name_issues, record_issues
    from laoxiao_cli.model.dataset import RawRecord, validate_record
    from laoxiao_cli.store import yamlio

    if raw is None:
        try:
            raw = (root / entry.rel).read_bytes()
        except OSError as exc:
            return FileResult(entry, "", None, [Finding(entry.rel, f"无法读取文件：{exc.strerror}")])
        digest = hashlib.sha1(raw, usedforsecurity=False).hexdigest()
    assert digest is not None
    try:
        parsed = yamlio.parse(raw)
    except yamlio.ParseError as exc:
        return FileResult(entry, digest, None, [Finding(entry.rel, exc.message, line=exc.line, column=exc.column)])
    raw_record = RawRecord(entry.kind, entry.rel, entry.stem, entry.folder, parsed.data)
    record, problems = validate_record(raw_record)
    if record is None:
        return FileResult(entry, digest, None, _locate_in(parsed, problems))
    misnamed = list(name_issues(raw_record, record))
    issues = [Finding(entry.rel, message, loc) for loc, message in [*record_issues(record), *misnamed]]
    # a misnamed file keeps no record: references to its file name are not dangling, its id is unknown
    if misnamed:
        return FileResult(entry, digest, None, _locate_in(parsed, issues))
    key = f"{entry.folder}/{entry.stem}" if entry.kind == "report" else entry.stem
    return FileResult(entry, digest, record, _locate_in(parsed, issues), (entry.kind, key))


def _locate_in(parsed: Parsed, findings: list[Finding]) -> list[Finding]:
    if not findings:
        return []
    from laoxiao_cli.store import yamlio

    node = yamlio.compose(parsed.text)
    return [f.located(*yamlio.locate(node, f.loc, f.at_key)) for f in findings]


def _assemble(
    data_dir: Path,
    root: Path,
    listing: Listing,
    unchanged: dict[str, snapshot.IndexEntry],
    results: dict[str, FileResult],
    base: Dataset | None,
    old_index: dict[str, snapshot.IndexEntry],
) -> tuple[list[Finding], Dataset | None]:
    """All findings, and the dataset: the base dataset (cache) with the changed files' records swapped
    in, or (cold) the parsed records. Cross-file rules always run over the whole dataset."""
    from laoxiao_cli.model.checks import cross_issues
    from laoxiao_cli.model.dataset import RawRecord, assemble
    from laoxiao_cli.model.records import Group

    entries = {e.rel: e for e in listing.entries}
    findings = list(listing.findings)
    broken: set[tuple[str, str]] = set()
    for rel, (_stat, _sha1, file_findings, ref) in unchanged.items():
        findings.extend(file_findings)
        if ref is None:
            broken.add((entries[rel].kind, entries[rel].stem))
    for result in results.values():
        findings.extend(result.findings)
        if result.record is None:
            broken.add((result.entry.kind, result.entry.stem))
    prefix = relative(data_dir, root)
    group_rel = relative(data_dir / "group.yaml", root)
    dataset: Dataset | None = None
    if base is None:
        group = next((r.record for r in results.values() if isinstance(r.record, Group)), None)
        valid = [
            (RawRecord(r.entry.kind, r.entry.rel, r.entry.stem, r.entry.folder, None), r.record)
            for r in results.values()
            if r.record is not None and not isinstance(r.record, Group)
        ]
        dataset = assemble(group, valid, prefix) if group is not None else None
    else:
        dataset = _updated(base, prefix, unchanged, results, old_index, group_rel)
    if dataset is None:
        if group_rel not in entries:
            findings.append(Finding(group_rel, "缺少 group.yaml：数据文件夹必须有专班的 group.yaml"))
    else:
        cross = [Finding(rel, message, loc) for rel, loc, message in cross_issues(dataset, frozenset(broken))]
        findings.extend(_locate(cross, root))
    findings.sort(key=Finding.sort_key)
    return findings, dataset


def _updated(
    base: Dataset,
    prefix: str,
    unchanged: dict[str, snapshot.IndexEntry],
    results: dict[str, FileResult],
    old_index: dict[str, snapshot.IndexEntry],
    group_rel: str,
) -> Dataset | None:
    """The base dataset with the records of changed and deleted files taken out and new ones put in."""
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.model.records import Group

    tables: dict[str, dict[Any, Any]] = {
        "unit": dict(base.units),
        "task": dict(base.tasks),
        "meeting": dict(base.meetings),
        "letter": dict(base.letters),
        "handover": dict(base.handovers),
        "report": dict(base.reports),
    }

    def key_of(kind: str, key: str) -> Any:
        return tuple(key.split("/", 1)) if kind == "report" else key

    for rel, entry in old_index.items():
        ref = entry[3]
        if rel not in unchanged and ref is not None and ref[0] in tables:
            tables[ref[0]].pop(key_of(*ref), None)
    group = base.group if group_rel in unchanged and unchanged[group_rel][3] is not None else None
    for result in results.values():
        if result.record is None or result.ref is None:
            continue
        if isinstance(result.record, Group):
            group = result.record
        else:
            tables[result.ref[0]][key_of(*result.ref)] = result.record
    if group is None:
        return None
    ordered = {kind: dict(sorted(table.items())) for kind, table in tables.items()}
    reports = ordered["report"]
    return Dataset(
        group,
        ordered["unit"],
        ordered["task"],
        ordered["meeting"],
        ordered["letter"],
        ordered["handover"],
        {key: report.submitted for key, report in reports.items()},
        prefix,
        lambda: reports,
    )


def _locate(pending: list[Finding], root: Path) -> list[Finding]:
    """Map each finding's path inside its record to a line and column, re-reading only those files."""
    from laoxiao_cli.store import yamlio

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
            located.append(finding.located(*yamlio.locate(node, finding.loc, finding.at_key)))
    return located

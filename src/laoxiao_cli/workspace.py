"""Load a data repository: scan → parse → schema → rules → cross-references → located findings.

This is the one pipeline every command runs before it does anything; commands other than `validate`
refuse to work when it returns findings. Files are parsed with libyaml and only a file with a finding
is composed again to locate it; records of unchanged files come from the cache (store/cache.py).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laoxiao_cli.errors import InvalidData
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.store import cache, gitrepo, journal
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


@dataclass(frozen=True)
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
    key = gitrepo.content_key(root, prefix) if folder is not None and (root / ".git").exists() else None
    if folder is not None and key is not None:
        hit = _hit(folder, key, data_dir, root)
        if hit is not None:
            return hit
    listing = scan(data_dir, root)
    if key is None:
        key = listing.digest()
        if folder is not None and key is not None:
            hit = _hit(folder, key, data_dir, root)
            if hit is not None:
                return hit
    known = _known(folder) if folder is not None else {}
    results = _results(root, listing, known, progress)
    findings, dataset = _assemble(data_dir, root, listing, results)
    if folder is not None:
        _store(folder, key, listing.count, findings, dataset, results)
    return Loaded(data_dir, root, listing.count, findings, lambda: dataset)


# --- the cache: state (key, findings) · core (dataset without reports) · reports · files ------------


def _read_part(folder: Path, name: str, generation: str | None = None) -> Any:
    stored = cache.read(folder / name)
    if not isinstance(stored, tuple) or len(stored) != 2:
        return None
    if generation is not None and stored[0] != generation:
        return None
    return stored[1]


def _store(
    folder: Path,
    key: str | None,
    files: int,
    findings: list[Finding],
    dataset: Dataset | None,
    results: dict[str, FileResult],
) -> None:
    generation = uuid.uuid4().hex
    # the per-file part holds no records (they are in the core and reports parts already)
    cache.write(folder / "files", (generation, {rel: replace(r, record=None) for rel, r in results.items()}))
    if dataset is not None:
        cache.write(folder / "reports", (generation, dataset.reports))
    cache.write(folder / "core", (generation, dataset))
    cache.write(folder / "state", (generation, (key, files, findings)))  # last: it makes the others current


def _known(folder: Path) -> dict[str, FileResult]:
    """The per-file results of the last run, with their records taken back from its dataset."""
    stored = cache.read(folder / "files")
    if not isinstance(stored, tuple) or len(stored) != 2 or not isinstance(stored[1], dict):
        return {}
    generation, results = stored
    dataset = _read_part(folder, "core", generation)
    reports = _read_part(folder, "reports", generation)
    known: dict[str, FileResult] = {}
    for rel, result in results.items():
        if result.ref is None:
            known[rel] = result
            continue
        record = _record_of(dataset, reports, result.ref)
        if record is not None:
            known[rel] = replace(result, record=record)
    return known


def _record_of(dataset: Any, reports: Any, ref: tuple[str, str]) -> Record | None:
    from laoxiao_cli.model.dataset import Dataset

    kind, key = ref
    if kind == "report":
        month, _, unit = key.partition("/")
        found = reports.get((month, unit)) if isinstance(reports, dict) else None
        return found
    if not isinstance(dataset, Dataset):
        return None
    if kind == "group":
        return dataset.group
    table: dict[str, Any] = {
        "unit": dataset.units,
        "task": dataset.tasks,
        "meeting": dataset.meetings,
        "letter": dataset.letters,
        "handover": dataset.handovers,
    }
    return table[kind].get(key) if kind in table else None


def _hit(folder: Path, key: str, data_dir: Path, root: Path) -> Loaded | None:
    stored = cache.read(folder / "state")
    if not isinstance(stored, tuple) or len(stored) != 2:
        return None
    generation, (cached_key, files, findings) = stored
    if cached_key != key:
        return None

    def source() -> Dataset | None:
        from laoxiao_cli.model.dataset import Dataset

        dataset = _read_part(folder, "core", generation)
        if not isinstance(dataset, Dataset):  # the parts disagree: rebuild without the cache
            return load_dir(data_dir, use_cache=False).dataset

        def reports() -> dict[tuple[str, str], Report]:
            stored_reports = _read_part(folder, "reports", generation)
            if isinstance(stored_reports, dict):
                return stored_reports
            fresh = load_dir(data_dir, use_cache=False).dataset
            return fresh.reports if fresh is not None else {}

        object.__setattr__(dataset, "report_source", reports)
        object.__setattr__(dataset, "prefix", relative(data_dir, root))
        return dataset

    return Loaded(data_dir, root, files, findings, source)


def _results(
    root: Path, listing: Listing, known: dict[str, FileResult], progress: Progress | None
) -> dict[str, FileResult]:
    """Each file's result: from the cache when its stat (or else its content) is unchanged."""
    results: dict[str, FileResult] = {}
    todo: list[tuple[Entry, bytes | None, str | None]] = []
    for entry in listing.entries:
        old = known.get(entry.rel)
        if old is not None and entry.stat is not None and old.entry.stat == entry.stat:
            results[entry.rel] = old if old.entry == entry else replace(old, entry=entry)
            continue
        if old is None:
            todo.append((entry, None, None))
            continue
        raw, sha1 = _read(root, entry)
        if raw is not None and sha1 == old.sha1:
            results[entry.rel] = replace(old, entry=entry)
        else:
            todo.append((entry, raw, sha1))
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
    data_dir: Path, root: Path, listing: Listing, results: dict[str, FileResult]
) -> tuple[list[Finding], Dataset | None]:
    from laoxiao_cli.model.checks import cross_issues
    from laoxiao_cli.model.dataset import RawRecord, assemble
    from laoxiao_cli.model.records import Group

    findings = list(listing.findings)
    valid: list[tuple[RawRecord, Record]] = []
    broken: set[tuple[str, str]] = set()
    group: Group | None = None
    for result in results.values():
        entry = result.entry
        findings.extend(result.findings)
        if result.record is None:
            broken.add((entry.kind, entry.stem))
        elif isinstance(result.record, Group):
            group = result.record
        else:
            valid.append((RawRecord(entry.kind, entry.rel, entry.stem, entry.folder, None), result.record))
    group_rel = relative(data_dir / "group.yaml", root)
    dataset: Dataset | None = None
    if group is None:
        if not any(e.kind == "group" for e in listing.entries):
            findings.append(Finding(group_rel, "缺少 group.yaml：数据文件夹必须有专班的 group.yaml"))
    else:
        dataset = assemble(group, valid, relative(data_dir, root))
        cross = [Finding(rel, message, loc) for rel, loc, message in cross_issues(dataset, frozenset(broken))]
        findings.extend(_locate(cross, root))
    findings.sort(key=Finding.sort_key)
    return findings, dataset


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

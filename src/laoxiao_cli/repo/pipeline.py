"""The load pipeline: scan → parse → schema → record rules → cross-file rules → located findings.

Pure with respect to the cache: it is given what an earlier run yielded (``Previous``: each file's
stat, hash, findings and the dataset) as plain values and returns what this run yields (``Outcome``);
only the consistency wrapper (repo/loader.py) reads and writes the cache. Files are parsed with libyaml
and only a file with a finding is composed again to locate it.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laoxiao_cli.errors import os_reason
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.kinds import BY_NAME
from laoxiao_cli.repo import forks
from laoxiao_cli.repo.discover import relative
from laoxiao_cli.repo.nogc import no_gc
from laoxiao_cli.repo.scan import Entry, Listing

if TYPE_CHECKING:  # the models are imported only when files must be parsed or the dataset is read
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.model.records import Record
    from laoxiao_cli.repo.yamlio import Parsed

IndexEntry = tuple[Any, str, list[Finding], "tuple[str, str] | None"]
"""(stat, sha1, findings, ref) of one file; ref is (kind, key) of its record when it has one."""

Progress = Callable[[int], Callable[[int], None]]
"""Given the number of files to parse, returns a function to call with the number just parsed."""
Read = Callable[[str], bytes]
"""Reads a file by its path relative to the repository root (raises OSError when it cannot)."""
OnDataset = Callable[["Dataset", dict[str, IndexEntry], "set[str] | None"], None]
"""Given a run's dataset, its index and its changed kinds as soon as the dataset is made (``run``)."""


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one file yields, kept in the cache: its record or its (located) findings."""

    entry: Entry
    sha1: str
    record: Record | None
    findings: list[Finding]
    ref: tuple[str, str] | None = None
    """(kind, key) of the record in the dataset, so the cache can keep each record once."""


@dataclass(frozen=True)
class Previous:
    """What an earlier run yielded: each file's index entry, and its dataset (read only when needed)."""

    index: dict[str, IndexEntry]
    dataset: Callable[[], Dataset | None]


@dataclass(frozen=True)
class Outcome:
    files: int
    findings: list[Finding]
    dataset: Dataset | None
    index: dict[str, IndexEntry]
    changed: set[str] | None
    """The kinds whose records changed since ``Previous`` (None: no previous dataset was used)."""


def run(
    data_dir: Path,
    root: Path,
    listing: Listing,
    previous: Previous | None = None,
    progress: Progress | None = None,
    read: Read | None = None,
    on_dataset: OnDataset | None = None,
) -> Outcome:
    """Every file's record and findings, and the dataset of the valid ones. Files whose stat or content
    equal ``previous`` are not parsed again: their records come from its dataset. ``on_dataset`` is given
    the dataset, the new index and the changed kinds (``Outcome``) as soon as the dataset is made, before
    the cross-file rules run (the loader starts writing the cache then)."""
    reader = read or _from_disk(root)
    index = previous.index if previous is not None else {}
    unchanged, todo = _classify(reader, listing, index)
    results = _results(root, todo, progress, reader if read is not None else None)
    base = previous.dataset() if unchanged and previous is not None else None
    if base is None and unchanged:  # the earlier dataset is gone: parse everything
        results.update(_results(root, [(e, None, None) for e in listing.entries if e.rel in unchanged], progress, read))
        unchanged = {}
    new_index = {**unchanged, **{rel: (r.entry.stat, r.sha1, r.findings, r.ref) for rel, r in results.items()}}
    changed = None
    if base is not None:
        gone = set(index) - set(unchanged)
        changed = {r.entry.kind for r in results.values()} | {_kind_of(index[rel]) for rel in gone}
    made = (lambda dataset: on_dataset(dataset, new_index, changed)) if on_dataset is not None else None
    findings, dataset = _assemble(data_dir, root, listing, unchanged, results, base, reader, made)
    return Outcome(listing.count, findings, dataset, new_index, changed)


def apply(data_dir: Path, root: Path, base: Dataset, files: int, edits: dict[str, bytes | None]) -> Outcome:
    """A load without any finding (``base``, of ``files`` files) with a few files changed (path relative
    to the root → its new bytes, None: deleted): only those files are parsed, only the tables of their
    kinds are copied, and no other file is listed, stat'ed or looked up (in a clean load every YAML file
    is the record its path names). The cross-file rules run over the result as always; the reports'
    own ones only for changed reports when that is all that can change (``_reports_to_check``)."""
    from laoxiao_cli.repo import scan

    prefix = relative(data_dir, root)
    listing = scan.from_paths([rel for rel, data in edits.items() if data is not None], prefix)
    before = scan.from_paths(list(edits), prefix).entries  # what each changed path held, if anything

    def read(rel: str) -> bytes:
        data = edits.get(rel)
        if data is None:
            raise FileNotFoundError(rel)
        return data

    results = {e.rel: _process(read, e, edits[e.rel], None) for e in listing.entries}
    existed = [e for e in before if _held(base, e)]
    group_rel = relative(data_dir / "group.yaml", root)
    findings: list[Finding] = list(listing.findings)
    broken: set[tuple[str, str]] = set(listing.unread)
    for result in results.values():
        findings.extend(result.findings)
        if result.record is None:
            broken.add((result.entry.kind, result.entry.stem))
    dataset = _swapped(base, prefix, existed, results, group_rel)
    count = files - len(existed) + listing.count
    if dataset is None:
        if group_rel not in results:
            findings.append(Finding(group_rel, "缺少 group.yaml：数据文件夹必须有专班的 group.yaml"))
    else:
        from laoxiao_cli.model.checks import cross_issues

        reports = _reports_to_check(base, dataset, results)
        tasks = _tasks_to_check(dataset, results, existed)
        pairs = cross_issues(dataset, frozenset(broken), reports=reports, tasks=tasks)
        cross = [Finding(rel, message, loc) for rel, loc, message in pairs]
        findings = [_with_hint(dataset, f) for f in findings]
        findings.extend(_locate(cross, lambda rel: edits.get(rel) or (root / rel).read_bytes()))
    findings.sort(key=Finding.sort_key)
    changed = {e.kind for e in existed} | {r.entry.kind for r in results.values()}
    return Outcome(count, findings, dataset, {}, changed)


def _key_of(entry: Entry) -> Any:
    text = f"{entry.folder}/{entry.stem}" if entry.kind == "report" else entry.stem
    return BY_NAME[entry.kind].parse_key(text)


def _held(base: Dataset, entry: Entry) -> bool:
    """Did the clean ``base`` hold the record of this file (so the file existed)?"""
    if entry.kind == "group":
        return True
    if entry.kind == "report":
        return _key_of(entry) in base.submitted
    return _key_of(entry) in base.table(entry.kind)


def _swapped(
    base: Dataset, prefix: str, existed: list[Entry], results: dict[str, FileResult], group_rel: str
) -> Dataset | None:
    """``base`` with the records of the changed files taken out and their new records put in; the tables
    of other kinds are the base's own (not copied, not sorted)."""
    from laoxiao_cli.model.dataset import Dataset, report_figures

    group: Any = base.group
    removed: dict[str, set[Any]] = {}
    for entry in existed:
        if entry.kind == "group":
            group = None
        else:
            removed.setdefault(entry.kind, set()).add(_key_of(entry))
    group, new = _new_records(results, group)
    if group is None:
        return None
    tables: dict[str, Any] = {}
    in_order = {"report"}
    for kind in ("unit", "task", "meeting", "letter", "handover", "calendar"):
        gone, came = removed.get(kind, set()), new.get(kind, {})
        if not gone and not came:
            tables[kind] = lambda kind=kind: base.table(kind)  # read only if used (from the cache: its part)
            in_order.add(kind)
            continue
        tables[kind], in_place = _merged(base.table(kind), gone, came)
        if in_place:
            in_order.add(kind)
    gone_reports, came_reports = removed.get("report", set()), new.get("report", {})
    if not gone_reports and not came_reports:
        return _with_base_reports(base, group, tables, prefix, in_order)
    figures = {key: report_figures(report) for key, report in came_reports.items()}
    kept = [key for key in base.submitted if key not in gone_reports or key in figures]  # in place
    submitted = {key: figures[key][0] if key in figures else base.submitted[key] for key in kept}
    percents = {key: figures[key][1] if key in figures else base.percents.get(key, ()) for key in kept}
    for key, (day, pairs) in figures.items():
        if key not in submitted:
            submitted[key], percents[key] = day, pairs

    fresh = any(key not in base.submitted for key in came_reports)

    def reports() -> dict[Any, Any]:
        kept = {
            key: came_reports.get(key, r)
            for key, r in base.reports.items()
            if key not in gone_reports or key in came_reports
        }
        kept.update(came_reports)
        return dict(sorted(kept.items(), key=lambda item: BY_NAME["report"].path(item[0]))) if fresh else kept

    if fresh:
        in_order.discard("report")  # a new report: Dataset.build sorts the days and figures
    return Dataset.build(
        group, tables, prefix, submitted=submitted, percents=percents, reports=reports, in_order=frozenset(in_order)
    )


def _kind_of(entry: IndexEntry) -> str:
    ref = entry[3]
    return ref[0] if ref is not None else "group"


def _classify(
    read: Read, listing: Listing, index: dict[str, IndexEntry]
) -> tuple[dict[str, IndexEntry], list[tuple[Entry, bytes | None, str | None]]]:
    """Files unchanged since the index (same stat, or else same content), and the rest to parse."""
    unchanged: dict[str, IndexEntry] = {}
    todo: list[tuple[Entry, bytes | None, str | None]] = []
    for entry in listing.entries:
        old = index.get(entry.rel)
        if old is None:
            todo.append((entry, None, None))
        elif entry.stat is not None and old[0] == entry.stat:
            unchanged[entry.rel] = old
        else:
            raw, sha1 = _read(read, entry)
            if raw is not None and sha1 == old[1]:
                unchanged[entry.rel] = (entry.stat, *old[1:])
            else:
                todo.append((entry, raw, sha1))
    return unchanged, todo


def _results(
    root: Path,
    todo: list[tuple[Entry, bytes | None, str | None]],
    progress: Progress | None,
    read: Read | None,
) -> dict[str, FileResult]:
    """Parse and check each file of ``todo`` (on every core when there are many files on disk)."""
    results: dict[str, FileResult] = {}
    reader = read or _from_disk(root)
    if read is None and len(todo) >= PARALLEL_MIN and forks.cores() > 1:
        _parse_in_parallel(root, todo, results, progress)
        return results
    advance = progress(len(todo)) if progress is not None and todo else None
    with no_gc():
        for n, (entry, raw, digest) in enumerate(todo, start=1):
            results[entry.rel] = _process(reader, entry, raw, digest)
            if advance is not None and (n % BATCH == 0 or n == len(todo)):
                advance(BATCH if n % BATCH == 0 else n % BATCH)
    return results


PARALLEL_MIN = 2000
"""Below this many files to parse, starting worker processes costs more than it saves."""
BATCH = 250


def _parse_in_parallel(
    root: Path,
    todo: list[tuple[Entry, bytes | None, str | None]],
    results: dict[str, FileResult],
    progress: Progress | None,
) -> None:
    """Parse on every core: libyaml and Pydantic hold the GIL, so threads would not help. Worker
    processes are forked (they inherit the imported models); each parses its share of the batches and
    writes each batch's results to a file of its own, which this process, parsing one share itself, reads
    in between its own batches. No pipe, no thread: a worker never waits for this process to read,
    and reading never competes with parsing for the GIL. A worker that fails leaves its batches to this
    process."""
    import shutil
    import tempfile

    import laoxiao_cli.model.checks
    import laoxiao_cli.model.dataset
    import laoxiao_cli.repo.yamlio  # noqa: F401

    batches = [[entry for entry, _, _ in todo[i : i + BATCH]] for i in range(0, len(todo), BATCH)]
    workers = forks.cores()
    shares = [batches[n::workers] for n in range(workers)]  # interleaved: each share spans the listing
    advance = progress(len(todo)) if progress is not None else None
    got: dict[str, FileResult] = {}
    try:
        folder = Path(tempfile.mkdtemp(prefix="lx-parse-"))
    except OSError:  # no temporary folder to hand results over in: parse here, on one core
        shares = [batches]
        folder = Path(tempfile.gettempdir())
    children: list[tuple[int, list[list[Entry]], int]] = []  # (pid, its batches, how many read)
    finished = False
    stopping = _on_terminate()  # a `kill` ends this process through the `finally` below, not past it
    try:
        mine = list(shares[0])
        for share in shares[1:]:
            try:
                children.append((_fork_worker(root, share, folder, len(children) + 1), share, 0))
            except OSError:  # no process to be had: this one parses that share too
                mine.extend(share)
        with no_gc():
            for batch in mine:
                for result in _process_batch((root, batch)):
                    got[result.entry.rel] = result
                if advance is not None:
                    advance(len(batch))
                children = [_collect(root, folder, n, c, got, advance, wait=False) for n, c in enumerate(children, 1)]
            for n, child in enumerate(children, start=1):
                _collect(root, folder, n, child, got, advance, wait=True)
            finished = True
    finally:
        for pid, _, _ in children:
            if not finished:  # interrupted: the workers' results will not be read
                forks.stop(pid)
            forks.reap(pid)
        if len(shares) > 1:
            shutil.rmtree(folder, ignore_errors=True)
        stopping()
    for entry, _, _ in todo:  # in the listing's order, as a serial parse gives them
        results[entry.rel] = got[entry.rel]


def _fork_worker(root: Path, share: list[list[Entry]], folder: Path, n: int) -> int:
    """A child (``forks.start``) that parses ``share`` (``_parse_share``)."""
    parent = os.getpid()
    return forks.start(lambda: _parse_share(root, share, folder, n, parent))


def _parse_share(root: Path, share: list[list[Entry]], folder: Path, n: int, parent: int) -> bool:
    """In a worker: write batch k's results to ``folder/n-k`` (renamed into place when complete); when the
    parent is gone, stop at the next batch and remove the folder (nobody will read, nobody clean up)."""
    import pickle
    import shutil

    for k, batch in enumerate(share):
        if os.getppid() != parent:
            shutil.rmtree(folder, ignore_errors=True)
            break
        data = pickle.dumps(_handed_over(_process_batch((root, batch))), protocol=pickle.HIGHEST_PROTOCOL)
        tmp = folder / f".{n}-{k}"
        tmp.write_bytes(data)
        os.replace(tmp, folder / f"{n}-{k}")
    return True


def _collect(
    root: Path,
    folder: Path,
    n: int,
    child: tuple[int, list[list[Entry]], int],
    got: dict[str, FileResult],
    advance: Callable[[int], None] | None,
    wait: bool,
) -> tuple[int, list[list[Entry]], int]:
    """Read the batches child ``n`` has finished (with ``wait``: all of them, after it ends; a batch it
    did not write is parsed here)."""
    import pickle

    pid, share, done = child
    if wait:
        forks.reap(pid)
    while done < len(share):
        path = folder / f"{n}-{done}"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            if not wait:
                break
            batch_results = _process_batch((root, share[done]))  # the worker failed: parsed here
        else:
            os.unlink(path)
            batch_results = _taken_over(share[done], pickle.loads(data))
        for result in batch_results:
            got[result.entry.rel] = result
        if advance is not None:
            advance(len(share[done]))
        done += 1
    return pid, share, done


def _on_terminate() -> Callable[[], None]:
    """While workers run: SIGTERM raises SystemExit(143) here, so the workers are stopped and their folder
    removed; returns the function that puts the previous handler back."""
    import signal

    def terminate(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: no handler can be set
        return lambda: None

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def _from_disk(root: Path) -> Read:
    from laoxiao_cli.repo.files import read_whole

    base = f"{root}{os.sep}"
    return lambda rel: read_whole(base + rel, None)


def _process_batch(batch: tuple[Path, list[Entry]]) -> list[FileResult]:
    """The results of a batch of listed files, each read with the size it was listed with."""
    from laoxiao_cli.repo.files import read_whole

    root, entries = batch
    base = f"{root}{os.sep}"

    def sized(entry: Entry) -> Read:
        size = entry.stat[0] if entry.stat is not None else None
        return lambda rel: read_whole(base + rel, size)

    return [_process(sized(entry), entry, None, None) for entry in entries]


Handed = tuple[str, "Record | None", list[Finding], "tuple[str, str] | None"]
"""A FileResult without its entry, as a worker hands it over: (sha1, record, findings, ref)."""


def _handed_over(results: list[FileResult]) -> list[Handed]:
    """A batch's results as plain tuples, in the batch's order: the parent has the entries already, and a
    dataclass costs pickle a Python call each way (the hand-over of a city's 20,000 results took 0.36 s
    to write and 0.33 s to read as FileResults, 0.20 s and 0.11 s as tuples)."""
    return [(r.sha1, r.record, r.findings, r.ref) for r in results]


def _taken_over(batch: list[Entry], handed: list[Handed]) -> list[FileResult]:
    return [FileResult(entry, *result) for entry, result in zip(batch, handed, strict=True)]


def _read(read: Read, entry: Entry) -> tuple[bytes | None, str]:
    try:
        raw = read(entry.rel)
    except OSError:
        return None, ""
    return raw, hashlib.sha1(raw, usedforsecurity=False).hexdigest()


def _process(read: Read, entry: Entry, raw: bytes | None, digest: str | None) -> FileResult:
    from laoxiao_cli.model.checks import name_issues, record_issues
    from laoxiao_cli.model.dataset import RawRecord, validate_record
    from laoxiao_cli.repo import yamlio

    if raw is None:
        try:
            raw = read(entry.rel)
        except OSError as exc:
            return FileResult(entry, "", None, [Finding(entry.rel, f"无法读取文件：{os_reason(exc)}")])
        digest = None
    if digest is None:
        digest = hashlib.sha1(raw, usedforsecurity=False).hexdigest()
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
    from laoxiao_cli.repo import yamlio

    node = yamlio.compose(parsed.text)
    return [f.located(*yamlio.locate(node, f.loc, f.at_key)) for f in findings]


def _assemble(
    data_dir: Path,
    root: Path,
    listing: Listing,
    unchanged: dict[str, IndexEntry],
    results: dict[str, FileResult],
    base: Dataset | None,
    read: Read,
    made: Callable[[Dataset], None] | None = None,
) -> tuple[list[Finding], Dataset | None]:
    """All findings, and the dataset: the base dataset with the changed files' records swapped in, or
    (without a base) the parsed records; ``made`` is given the dataset before the cross-file rules, which
    always run over the whole dataset."""
    from laoxiao_cli.model.checks import cross_issues
    from laoxiao_cli.model.dataset import assemble
    from laoxiao_cli.model.records import Group

    entries = {e.rel: e for e in listing.entries}
    findings = list(listing.findings)
    broken: set[tuple[str, str]] = set(listing.unread)
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
            (r.entry.rel, r.entry.kind, r.record)
            for r in results.values()
            if r.record is not None and r.entry.kind != "group"
        ]
        dataset = assemble(group, valid, prefix) if group is not None else None
    else:
        dataset = _updated(base, prefix, unchanged, results, group_rel)
    if dataset is None:
        if group_rel not in entries:
            findings.append(Finding(group_rel, "缺少 group.yaml：数据文件夹必须有专班的 group.yaml"))
    else:
        if made is not None:
            made(dataset)
        pairs = cross_issues(dataset, frozenset(broken))
        cross = [Finding(rel, message, loc) for rel, loc, message in pairs]
        findings = [_with_hint(dataset, f) for f in findings]
        findings.extend(_locate(cross, read))
    findings.sort(key=Finding.sort_key)
    return findings, dataset


def _reports_to_check(base: Dataset, dataset: Dataset, results: dict[str, FileResult]) -> dict[Any, Any] | None:
    """The reports whose cross-file rules (unit known; each progress task known and led or supported by
    the unit) can give something new after a change to a clean ``base``: only the changed ones, when no
    unit, task or report went, every changed task kept its lead and supporting units and every changed unit
    its members (a record that came cannot break a reference of a clean dataset). None: all of them."""
    if not base.units.keys() <= dataset.units.keys() or not base.tasks.keys() <= dataset.tasks.keys():
        return None
    if not base.submitted.keys() <= dataset.submitted.keys():
        return None
    changed: dict[Any, Any] = {}
    for result in results.values():
        record = result.record
        if record is None or result.ref is None:
            continue
        kind, text = result.ref
        if kind == "report":
            changed[BY_NAME[kind].parse_key(text)] = record
        elif kind == "task":
            old = base.tasks.get(text)
            if old is not None and (old.lead, old.support) != (
                getattr(record, "lead", None),
                getattr(record, "support", None),
            ):
                return None
        elif kind == "unit":  # a group's members lead and support its tasks (spec 6.11)
            old_unit = base.units.get(text)
            if old_unit is not None and old_unit.members != getattr(record, "members", None):
                return None
    return changed


TASK_RULES_SEE = frozenset({"group", "unit", "meeting"})
"""The kinds a task's own cross-file rules look at besides the task (``checks._task_refs``: its units,
their duties, its source meeting and that meeting's decision)."""


def _tasks_to_check(dataset: Dataset, results: dict[str, FileResult], existed: list[Entry]) -> dict[str, Any] | None:
    """The tasks whose own cross-file rules can give something new after a change to a clean dataset: only
    the changed ones, when no record those rules look at changed, came or went. None: all of them."""
    if any(e.kind in TASK_RULES_SEE for e in existed) or any(r.entry.kind in TASK_RULES_SEE for r in results.values()):
        return None
    changed = {r.ref[1] for r in results.values() if r.record is not None and r.ref is not None and r.ref[0] == "task"}
    return {task_id: dataset.tasks[task_id] for task_id in changed if task_id in dataset.tasks}


def _with_hint(dataset: Dataset, finding: Finding) -> Finding:
    from dataclasses import replace

    from laoxiao_cli.model.checks import name_hint

    message = name_hint(dataset, finding.message)
    return finding if message == finding.message else replace(finding, message=message)


def _new_records(results: dict[str, FileResult], group: Any) -> tuple[Any, dict[str, dict[Any, Any]]]:
    """The group (a parsed group.yaml's, else ``group``) and the other parsed records by kind and key."""
    from laoxiao_cli.model.records import Group

    new: dict[str, dict[Any, Any]] = {}
    for result in results.values():
        if result.record is None or result.ref is None:
            continue
        if isinstance(result.record, Group):
            group = result.record
        else:
            kind, text = result.ref
            new.setdefault(kind, {})[BY_NAME[kind].parse_key(text)] = result.record
    return group, new


def _updated(
    base: Dataset,
    prefix: str,
    unchanged: dict[str, IndexEntry],
    results: dict[str, FileResult],
    group_rel: str,
) -> Dataset | None:
    """The base dataset with the records of changed and deleted files taken out and new ones put in."""
    from laoxiao_cli.model.dataset import Dataset

    keep = {ref for entry in unchanged.values() if (ref := entry[3]) is not None}
    group = base.group if group_rel in unchanged and unchanged[group_rel][3] is not None else None
    group, new = _new_records(results, group)
    if group is None:
        return None
    tables: dict[str, dict[Any, Any]] = {}
    in_order = set()
    kinds = ["unit", "task", "meeting", "letter", "handover", "calendar", "report"]
    if "report" not in new and all(("report", f"{m}/{u}") in keep for m, u in base.submitted):
        kinds.remove("report")  # no report changed or went: they stay unread until a command needs them
        in_order.add("report")
    for kind in kinds:
        old, changed = base.table(kind), new.get(kind, {})
        gone = {key for key in old if (kind, f"{key[0]}/{key[1]}" if isinstance(key, tuple) else key) not in keep}
        tables[kind], in_place = _merged(old, gone, changed)
        if in_place:
            in_order.add(kind)
    if "report" in tables:
        return Dataset.build(group, tables, prefix, in_order=frozenset(in_order))
    return _with_base_reports(base, group, tables, prefix, in_order)


def _merged(old: Mapping[Any, Any], gone: set[Any], new: dict[Any, Any]) -> tuple[dict[Any, Any], bool]:
    """``old``'s records but the ``gone`` ones (each replaced by ``new``'s where it has one, in place), then
    ``new``'s others; and whether none was added (a table kept in place keeps its file-name order)."""
    table = {key: new.get(key, record) for key, record in old.items() if key not in gone or key in new}
    added = {key: record for key, record in new.items() if key not in table}
    table.update(added)
    return table, not added


def _with_base_reports(base: Dataset, group: Any, tables: dict[str, Any], prefix: str, in_order: set[str]) -> Dataset:
    """The dataset of ``tables`` with the base's reports, unread until needed, and their figures."""
    from laoxiao_cli.model.dataset import Dataset

    return Dataset.build(
        group,
        tables,
        prefix,
        submitted=lambda: base.submitted,
        percents=lambda: base.percents,
        reports=lambda: base.reports,
        in_order=frozenset(in_order),
        by_task=lambda: base.percents_by_task,  # the same figures
    )


def _locate(pending: list[Finding], read: Read) -> list[Finding]:
    """Map each finding's path inside its record to a line and column, re-reading only those files."""
    from laoxiao_cli.repo import yamlio

    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in pending:
        by_file[finding.file].append(finding)
    located: list[Finding] = []
    for rel, items in by_file.items():
        try:
            node = yamlio.compose(yamlio.decode(read(rel)))
        except (OSError, yamlio.ParseError):
            node = None
        for finding in items:
            located.append(finding.located(*yamlio.locate(node, finding.loc, finding.at_key)))
    return located

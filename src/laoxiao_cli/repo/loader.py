"""The consistency wrapper around the load pipeline: the only code that reads or writes the cache.

A read must describe one state of the repository, never a mixture with a write under way or rolled
back. So, before reading, an interrupted write is finished or undone (the journal); then the read runs
as a seqlock reader: the write sequence (odd while a write is under way) is read before, and the result
counts only when the sequence is unchanged afterwards *and* the content key computed again after the
pipeline equals the one computed before it. Only such a result is written to the cache, under that key,
so the cache can never hold findings of a state that no longer exists.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from laoxiao_cli.errors import InvalidData
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.repo import cache, gitcli, journal, pipeline, scan, snapshot, views
from laoxiao_cli.repo.discover import git_dir, relative, repo_root
from laoxiao_cli.repo.lock import locked, sequence

if TYPE_CHECKING:
    from laoxiao_cli.model.dataset import Dataset

Progress = pipeline.Progress
View = tuple[str, Hashable]
"""A view's name and its arguments (``views``): ``("status", day)``."""
Result = TypeVar("Result")
ATTEMPTS = 3
SYNC_JOURNAL = "lx-sync.json"
"""repo/sync.py's journal of a branch move (the same name as its ``JOURNAL``)."""


@dataclass(frozen=True)
class Loaded:
    """Every file's findings, and the dataset of the valid records (built on first use)."""

    data_dir: Path
    root: Path
    files: int
    findings: list[Finding]
    source: Callable[[], Dataset | None] = field(repr=False, compare=False)
    cached: snapshot.State | None = field(default=None, repr=False, compare=False)
    """The cache state that holds exactly this load (it was served from it, or stored it), if any."""
    changed: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    """The data files that differ from HEAD as the load saw them (from the `git status` its content key
    came from; None when it had none): the writer's check for changes, without a second status."""
    applied: tuple[Loaded, dict[Path, bytes | None]] | None = field(default=None, repr=False, compare=False)
    """For a load computed as HEAD's cached load with hand edits applied: that load and those edits (a plan
    on top of this load is then a plan on top of HEAD's)."""
    key: str | None = field(default=None, repr=False, compare=False)
    """The content key this load is exactly the load of (None: not sure, or no key): a cache hit's, a
    stored load's whose key was the same after the run, or hand edits' whose bytes are those the key hashed."""
    exact: Callable[[], bool] = field(default=lambda: True, repr=False, compare=False)
    """False once the dataset had to be read from the files as they are now, not from the cache (a part
    replaced by another process meanwhile): it may then not be ``key``'s, and nothing is remembered of it."""
    view: View | None = field(default=None, repr=False, compare=False)
    """The view the load was made for, and (``known``) what the cache remembered of it for this content."""
    known: views.Remembered | None = field(default=None, repr=False, compare=False)

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

    def remembered(self, compute: Callable[[], Result]) -> Result:
        """The view's result: remembered from an earlier command on this exact content with the same
        arguments, else ``compute()``, then remembered (only for a load whose content key is sure, ``key``)."""
        key = self.key
        if self.view is None or key is None:
            return compute()
        name, args = self.view
        known = self.known if self.known is not None and self.known.key == key else None
        if known is not None and args in known.results:
            return known.results[args]  # type: ignore[no-any-return]
        result = compute()
        if self.exact():  # asked after computing: the tables are read from the cache when first used
            views.write(cache.location(self.root, self.data_dir), name, known, key, args, result)
        return result


def load_dir(
    data_dir: Path,
    progress: Progress | None = None,
    use_cache: bool = True,
    notify: Callable[[str], None] | None = None,
    tables: tuple[str, ...] = (),
    view: View | None = None,
) -> Loaded:
    """Load ``data_dir`` as one consistent state. ``tables``: the cache parts the caller will use (named
    as the dataset's tables), read while Git works out whether the cache holds this content. ``view``: the
    view the caller will compute (``Loaded.remembered``); when the cache remembers its result for the
    cached content, those parts are not read ahead."""
    root = repo_root(data_dir)
    gdir = git_dir(root)
    use_cache = use_cache and cache.enabled()
    if gdir is None:
        return _unguarded(data_dir, root, progress, use_cache, tables, view)
    for _ in range(ATTEMPTS):
        if journal.pending(gdir):
            note = journal.recover(gdir, root)
            if note and notify is not None:
                notify(note)
        if (gdir / SYNC_JOURNAL).exists():  # a killed `lx sync` was moving the branch: finish the move
            from laoxiao_cli.repo import sync  # only then: its import costs every command ~20 ms

            note = sync.recover(gdir, root)
            if note and notify is not None:
                notify(note)
        before = sequence(gdir)
        if before % 2:  # a write is under way: wait for it to end
            with locked(gdir):
                pass
            continue
        loaded = _attempt(data_dir, root, progress, use_cache, _unchanged(gdir, before), tables, view)
        if loaded is not None:
            return loaded
    with locked(gdir):  # writers keep coming: read under the lock, where nothing can change
        return _unguarded(data_dir, root, progress, use_cache, tables, view)


def planned(data_dir: Path, changes: dict[Path, bytes | None], base: Loaded | None = None) -> Loaded:
    """The data folder as it would be with ``changes`` applied (bytes: the file's new content;
    None: the file deleted), computed in memory: nothing is written, the cache is read but not updated.
    For the writer, which holds the lock. ``base``: the writer's own load; when the cache served it with
    no findings, only the changed files are parsed (``pipeline.apply``: no scan, no index)."""
    if base is not None and base.applied is not None:  # hand edits on top of HEAD's load, then the plan
        if all(path in base.applied[1] and base.applied[1][path] == data for path, data in changes.items()):
            return base  # the plan is what the load already applied (lx save commits the hand edits)
        base, edits = base.applied
        changes = {**edits, **changes}
    root = repo_root(data_dir)
    prefix = relative(data_dir, root)
    planned_bytes = {relative(path, root): data for path, data in changes.items()}
    if base is not None and base.cached is not None and not base.cached.findings and base.dataset is not None:
        # a load without findings: the changed files alone are parsed, nothing else is listed
        outcome = pipeline.apply(data_dir, root, base.dataset, base.files, planned_bytes)
        applied = outcome.dataset
        return Loaded(data_dir, root, outcome.files, outcome.findings, lambda: applied)
    folder = cache.location(root, data_dir) if cache.enabled() else None
    state = snapshot.read_state(folder) if folder is not None else None
    previous = _previous(folder, state, prefix, data_dir) if folder is not None and state is not None else None
    current = scan.scan(data_dir, root)
    listing = scan.overlay(current, {rel: data is not None for rel, data in planned_bytes.items()}, prefix)

    def read(rel: str) -> bytes:
        if rel in planned_bytes:
            data = planned_bytes[rel]
            if data is None:
                raise FileNotFoundError(rel)
            return data
        return (root / rel).read_bytes()

    outcome = pipeline.run(data_dir, root, listing, previous, read=read)
    dataset = outcome.dataset
    return Loaded(data_dir, root, outcome.files, outcome.findings, lambda: dataset)


def _unchanged(gdir: Path, before: int) -> Callable[[], bool]:
    """The seqlock check: no write began or ended since the sequence was ``before``."""
    return lambda: sequence(gdir) == before


def _unguarded(
    data_dir: Path,
    root: Path,
    progress: Progress | None,
    use_cache: bool,
    tables: tuple[str, ...] = (),
    view: View | None = None,
) -> Loaded:
    loaded = _attempt(data_dir, root, progress, use_cache, None, tables, view)
    assert loaded is not None
    return loaded


def _attempt(
    data_dir: Path,
    root: Path,
    progress: Progress | None,
    use_cache: bool,
    guard: Callable[[], bool] | None,
    tables: tuple[str, ...] = (),
    view: View | None = None,
) -> Loaded | None:
    """One read. With a ``guard`` (the sequence check), returns None when a writer overlapped it."""
    prefix = relative(data_dir, root)
    folder = cache.location(root, data_dir) if use_cache else None
    ahead: dict[str, Any] = {}

    def read_ahead() -> None:  # the cached state, and the parts the caller will use, while Git works
        assert folder is not None
        ahead["state"] = found = snapshot.read_state(folder)
        if found is None:  # nothing cached: every file will be listed and parsed, whatever Git says
            ahead["listing"] = scan.scan(data_dir, root)
            return
        ahead["edits"] = edited = snapshot.read_edits(folder)
        ahead["known"] = known = views.read(folder, view[0]) if view is not None else None
        if known is not None and view is not None and view[1] in known.results:
            likely = {found.key, edited.key if edited is not None and edited.base == found.key else None}
            if known.key in likely:
                return  # the result is there (if the content is still the one cached): no table is needed
        ahead["parts"] = snapshot.read_parts(folder, found, tables) if tables else {}

    status = _status(root, prefix, read_ahead) if folder is not None else None
    key = status.key if status is not None else (_listing_key(data_dir, root) if folder is not None else None)
    changed = status.changed if status is not None else None
    if folder is not None and "state" not in ahead:  # not in Git: nothing ran meanwhile
        read_ahead()
    state: snapshot.State | None = ahead.get("state")
    parts: dict[str, Any] = ahead.get("parts", {})
    known: views.Remembered | None = ahead.get("known")
    if state is not None and key is not None and state.key == key:
        hit = _hit(folder, state, data_dir, root, parts)  # type: ignore[arg-type]
        return replace(hit, changed=changed, view=view, known=known)
    stored: snapshot.Edits | None = ahead.get("edits")
    if state is not None and key is not None and stored is not None and (stored.key, stored.base) == (key, state.key):
        # the same hand edits as the last load's: its findings, and its dataset made again when needed
        head = _hit(folder, state, data_dir, root, parts)  # type: ignore[arg-type]
        again = {root / rel: data for rel, data in stored.files.items()}

        def remade() -> Dataset | None:  # once: Loaded.dataset keeps it
            return planned(data_dir, again, head).dataset

        return _on_head(head, again, stored.count, stored.findings, remade, key, changed, view, known)
    found = _since_cached(state, status, root, prefix) if state is not None and status is not None else None
    since, committed = found if found is not None else ((), {})
    if since:
        # a few files changed since the cached state, which was a commit's exactly (new commits, hand
        # edits): that load with them applied
        edits = _edits(root, since)
        if edits is not None:
            head = _hit(folder, state, data_dir, root, parts)  # type: ignore[arg-type]
            loaded = planned(data_dir, edits, head)
            if guard is not None and not guard():
                return None
            sure = (
                status is not None
                and key is not None
                and _as_hashed(since, edits, root, status.digests, committed)
                and head.exact()
            )
            if sure and folder is not None and state is not None and state.key is not None and key is not None:
                files = {rel: edits[root / rel] for rel in since}
                snapshot.write_edits(folder, snapshot.Edits(key, state.key, files, loaded.files, loaded.findings))
            made = loaded.dataset
            return _on_head(
                head, edits, loaded.files, loaded.findings, lambda: made, key if sure else None, changed, view, known
            )
    early: scan.Listing | None = ahead.get("listing")
    listing = early if early is not None and _agrees(early, status) else scan.scan(data_dir, root)
    previous = _previous(folder, state, prefix, data_dir, parts) if folder is not None and state is not None else None
    pending: list[snapshot.Pending] = []  # the cache's parts, written while the cross-file rules run

    def store(dataset: Dataset, index: dict[str, pipeline.IndexEntry], changed: set[str] | None) -> None:
        # only a dataset made from the parsed files alone: one built on the cached dataset may still read
        # its tables from the cache's open files, whose offsets a forked child would share
        assert folder is not None
        pending.append(snapshot.begin(folder, dataset, index, changed, state, beside=changed is None))

    beside = folder is not None and snapshot.BESIDE[0] <= len(listing.entries) <= snapshot.BESIDE[1]
    try:
        outcome = pipeline.run(data_dir, root, listing, previous, progress, on_dataset=store if beside else None)
        if guard is not None and not guard():
            return None
        # a result is stored under its key only when the key is the same after the run; without a key (a
        # file too recent for its stat to be trusted) the state never matches, only the per-file index
        # (keyed by each file's content hash) is reused
        written = None
        if folder is not None and (key is None or _key(root, prefix, data_dir) == key):
            exact = status is not None and status.plain and not status.changed and key == status.clean_key
            tree = status.tree if exact and status is not None else None
            if not pending:
                pending.append(snapshot.begin(folder, outcome.dataset, outcome.index, outcome.changed, state, False))
            written = pending[-1].finish(key, outcome.files, outcome.findings, tree)
    finally:
        for one in pending:  # finished: nothing to do; else the run cannot be stored (or was stopped)
            one.abandon()
    dataset = outcome.dataset
    cached = written if written is not None and written.key is not None else None  # this content, stored
    return Loaded(
        data_dir,
        root,
        outcome.files,
        outcome.findings,
        lambda: dataset,
        cached=cached,
        changed=changed,
        key=cached.key if cached is not None else None,
        view=view,
        known=known,
    )


def _on_head(
    head: Loaded,
    edits: dict[Path, bytes | None],
    files: int,
    findings: list[Finding],
    source: Callable[[], Dataset | None],
    key: str | None,
    changed: tuple[str, ...] | None,
    view: View | None,
    known: views.Remembered | None,
) -> Loaded:
    """The load that is ``head`` (a cached commit's) with ``edits`` applied: a plan on top of it is a plan
    on top of ``head`` (``applied``), and its dataset is the cache's as long as ``head``'s is (``exact``)."""
    return Loaded(
        head.data_dir,
        head.root,
        files,
        findings,
        source,
        changed=changed,
        applied=(head, edits),
        key=key,
        exact=head.exact,
        view=view,
        known=known,
    )


def _agrees(listing: scan.Listing, status: gitcli.DataStatus | None) -> bool:
    """Does a listing taken while Git worked hold what the status says differs from HEAD: every data file
    it found there, and none it found deleted? A file added or removed while the folder was listed would
    otherwise be missing from (or stale in) a result stored under a key that counts it. Without a plain
    status (or outside Git: then nothing ran meanwhile) the folder is listed again unless outside Git."""
    if status is None:
        return True
    if not status.plain:
        return False
    listed = {e.rel for e in listing.entries} | {f.file for f in listing.findings}
    return all(
        (rel in listed) == (digest is not None) for rel, digest in status.digests.items() if scan.is_yaml_name(rel)
    )


def _key(root: Path, prefix: str, data_dir: Path) -> str | None:
    """The content key of the data folder: from Git, else from the file listing's stats (None when a
    file is too recent for its stat to be trusted, or on any trouble: then nothing is cached)."""
    status = _status(root, prefix)
    return status.key if status is not None else _listing_key(data_dir, root)


def _status(root: Path, prefix: str, meanwhile: Callable[[], object] | None = None) -> gitcli.DataStatus | None:
    return gitcli.content_state(root, prefix, meanwhile) if (root / ".git").exists() else None


def _listing_key(data_dir: Path, root: Path) -> str | None:
    return scan.scan(data_dir, root).digest()


EDITS_SINCE_CACHED = 200
"""At most this many changed files are applied to a cached commit's load (more: the usual load)."""


def _since_cached(
    state: snapshot.State, status: gitcli.DataStatus, root: Path, prefix: str
) -> tuple[tuple[str, ...], dict[str, str | None]] | None:
    """The data files that differ from the cached state when that state is a commit's data exactly,
    without findings: HEAD's (the hand edits), or an earlier commit's (what was committed since, by lx,
    a pull or a checkout, plus the hand edits); with the blob ids HEAD has for those committed since
    (None: deleted). None when that is not so, when the work tree has renames or ignored files, or when
    too many files changed."""
    if state.findings or not status.plain:
        return None
    committed: dict[str, str | None] = {}
    if state.key == status.clean_key:
        pass
    elif state.tree is not None and state.tree != status.tree:
        found = gitcli.tree_changes(root, state.tree, status.tree, prefix)
        if found is None:
            return None
        committed = {rel: blob for rel, blob in found.items() if scan.is_yaml_name(rel)}
    else:
        return None
    rels = tuple(dict.fromkeys([*committed, *status.changed]))
    if not 0 < len(rels) <= EDITS_SINCE_CACHED or not all(_regular_or_absent(root / rel) for rel in rels):
        return None
    return rels, committed


def _regular_or_absent(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _as_hashed(
    rels: tuple[str, ...],
    edits: dict[Path, bytes | None],
    root: Path,
    digests: Mapping[str, bytes | None],
    committed: Mapping[str, str | None],
) -> bool:
    """Every file of ``rels`` was read as the content key describes it: a file that differs from HEAD with
    the bytes `git status`'s key hashed, one committed since the cached state (and clean) with HEAD's blob
    (absent when deleted). Then the load is exactly the key's; False when a file changed between
    `git status` and the read (or Git's filters make its bytes differ from the blob)."""
    import hashlib

    for rel in rels:
        data = edits[root / rel]
        if rel in digests:
            digest = digests[rel]
            if (data is None) != (digest is None):
                return False
            if data is not None and hashlib.sha1(data, usedforsecurity=False).digest() != digest:
                return False
        elif rel in committed:
            blob = committed[rel]
            if (data is None) != (blob is None):
                return False
            if data is not None and blob is not None and gitcli.blob_id(data, len(blob)) != blob:
                return False
        else:
            return False
    return True


def _edits(root: Path, rels: tuple[str, ...]) -> dict[Path, bytes | None] | None:
    """Each file's bytes now (None: deleted); None when one cannot be read."""
    out: dict[Path, bytes | None] = {}
    for rel in rels:
        try:
            out[root / rel] = (root / rel).read_bytes()
        except FileNotFoundError:
            out[root / rel] = None
        except OSError:
            return None
    return out


def _previous(
    folder: Path, state: snapshot.State, prefix: str, data_dir: Path, parts: dict[str, Any] | None = None
) -> pipeline.Previous:
    """What the cached ``state`` yielded (``parts``: those of its parts read already)."""

    def dataset() -> Dataset | None:
        return snapshot.read_dataset(folder, state, prefix, lambda: _fresh(data_dir), parts)

    return pipeline.Previous(snapshot.read_index(folder, state), dataset)


def _fresh(data_dir: Path) -> Dataset | None:
    """The data folder loaded without the cache: what stands in for a cache part gone meanwhile."""
    return load_dir(data_dir, use_cache=False).dataset


def _hit(
    folder: Path, state: snapshot.State, data_dir: Path, root: Path, parts: dict[str, Any] | None = None
) -> Loaded:
    """The load the cached ``state`` describes (``parts``: those of its parts read already)."""
    prefix = relative(data_dir, root)
    exact = [True]

    def fresh() -> Dataset | None:
        exact[0] = False
        return _fresh(data_dir)

    def source() -> Dataset | None:
        dataset = snapshot.read_dataset(folder, state, prefix, fresh, parts)
        if dataset is None:  # a part changed or went since the state was read: rebuild without the cache
            return fresh()
        return dataset

    return Loaded(
        data_dir, root, state.files, state.findings, source, cached=state, key=state.key, exact=lambda: exact[0]
    )

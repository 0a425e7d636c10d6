"""The task and letter ids, and the letter numbers, that the clone's remote-tracking branches hold
(``refs/remotes/*``, as the last `git fetch` left them): a new id or number is chosen above them as well
as above the work tree's, so that two clones numbering at once collide only when one of them has not
fetched the other's records yet (spec 9).

    elsewhere = remote_ids.known(root, data_dir, ds.letters)
    elsewhere.tasks, elsewhere.letters      # ids (file names) in any remote-tracking branch
    elsewhere.numbers_of(2026)              # {serial: letter id} of that year's letters not in the work tree

Names only, from one `git ls-tree` per distinct commit the refs point at; the numbers from the letters'
``number:`` and ``issued:`` lines, read in one `git cat-file --batch`, only for letter files the work tree
does not have. With no remote-tracking ref (read from the Git folder's files, no process) it costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from laoxiao_cli.model.kinds import BY_NAME
from laoxiao_cli.repo import gitcli
from laoxiao_cli.repo.discover import git_dir, relative

_NUMBER = re.compile(rb"^number:[ \t]*(\d+)[ \t]*(?:#.*)?$", re.MULTILINE)
_ISSUED = re.compile(rb"^issued:[ \t]*['\"]?(\d{4})-\d\d-\d\d", re.MULTILINE)
_LETTER_ID = re.compile(r"^l(\d{4})-(\d+)$")


@dataclass(frozen=True)
class Elsewhere:
    """What the remote-tracking branches hold, beyond the work tree."""

    tasks: frozenset[str] = frozenset()
    letters: frozenset[str] = frozenset()
    numbers: Mapping[int, Mapping[int, str]] = field(default_factory=dict)
    """year → {serial: letter id}, for the letters of the remote-tracking branches not in the work tree."""

    def numbers_of(self, year: int) -> Mapping[int, str]:
        return self.numbers.get(year, {})


NOTHING = Elsewhere()


def known(root: Path, data_dir: Path, local_letters: Collection[str] | None = None) -> Elsewhere:
    """The ids in ``root``'s remote-tracking branches, and with ``local_letters`` (the letter ids of the
    work tree, whose numbers the caller knows) the numbers of the other letters there. Nothing when there
    is no remote-tracking ref."""
    if not _may_have_remote_refs(root):
        return NOTHING
    listed = gitcli.run_git(root, "for-each-ref", "--format=%(objectname)", "refs/remotes", check=False)
    commits = list(dict.fromkeys(line.strip() for line in listed.splitlines() if line.strip()))
    if not commits:
        return NOTHING
    prefix = relative(data_dir, root)
    folders = {
        name: BY_NAME[name].folder if prefix == "." else f"{prefix}/{BY_NAME[name].folder}"
        for name in ("task", "letter")
    }
    tasks: set[str] = set()
    letters: dict[str, str] = {}  # letter id → a commit:path holding it
    for commit in commits:
        for path in _names(root, commit, list(folders.values())):
            folder, _, name = path.rpartition("/")
            if not name.endswith(".yaml"):
                continue
            stem = name.removesuffix(".yaml")
            if folder == folders["task"]:
                tasks.add(stem)
            elif folder == folders["letter"]:
                letters.setdefault(stem, f"{commit}:{path}")
    if local_letters is None:
        return Elsewhere(frozenset(tasks), frozenset(letters))
    local = set(local_letters)
    wanted = sorted((lid, spec) for lid, spec in letters.items() if lid not in local)
    numbers: dict[int, dict[int, str]] = {}
    for (letter_id, _spec), raw in zip(wanted, gitcli.blobs(root, [spec for _, spec in wanted]), strict=True):
        if raw is None:
            continue
        serial = _serial(letter_id, raw)
        if serial is not None:
            numbers.setdefault(serial[0], {}).setdefault(serial[1], letter_id)
    return Elsewhere(frozenset(tasks), frozenset(letters), numbers)


def _serial(letter_id: str, raw: bytes) -> tuple[int, int] | None:
    """(year, serial) of a letter file, read from its ``issued:`` and ``number:`` lines (else the digits
    of its id, as model/loop_checks.letter_number)."""
    issued = _ISSUED.search(raw)
    by_id = _LETTER_ID.match(letter_id)
    year = int(issued[1]) if issued else int(by_id[1]) if by_id else None
    if year is None:
        return None
    number = _NUMBER.search(raw)
    if number:
        return year, int(number[1])
    if by_id and int(by_id[1]) == year:
        return year, int(by_id[2])
    return None


def _names(root: Path, commit: str, folders: list[str]) -> list[str]:
    """The files under ``folders`` in ``commit`` (paths from the repository root)."""
    try:
        out = gitcli.run_git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", *folders, check=False)
    except UnicodeDecodeError:  # a name that is not UTF-8 somewhere: ask folder by folder, bytes kept
        return [p for folder in folders for p in gitcli.tree_paths(root, commit, folder)]
    return [p for p in out.split("\0") if p]


def _may_have_remote_refs(root: Path) -> bool:
    """False only when the Git folder's files show no remote-tracking ref (no `refs/remotes/` entry, none
    in `packed-refs`); anything unusual (a worktree, the reftable format) is asked of Git."""
    gd = git_dir(root)
    if gd is None:
        return False
    if (gd / "commondir").exists() or (gd / "reftable").exists():
        return True
    remotes = gd / "refs" / "remotes"
    if remotes.is_dir() and any(p.is_file() for p in remotes.rglob("*")):
        return True
    try:
        packed = (gd / "packed-refs").read_bytes()
    except FileNotFoundError:
        return False
    return b" refs/remotes/" in packed

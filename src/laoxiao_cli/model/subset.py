"""The records a read command may still show when some files are broken (spec 13): every record whose
file has no finding, less the records that refer to one left out (so that no view meets a dangling id)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from laoxiao_cli.model.checks import cross_issues
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.kinds import RECORDS

ROUNDS = 10


def readable(ds: Dataset, broken_files: Iterable[str]) -> tuple[Dataset, list[str]]:
    """The dataset without the records of ``broken_files`` and of the files that then refer to a record
    that is gone, and the files left out (repository-relative paths, sorted). group.yaml always stays."""
    group_file = ds.path_of("group", "group")
    left_out = set(broken_files) - {group_file}
    reduced = ds
    for _ in range(ROUNDS):
        tables: dict[str, dict[Any, Any]] = {
            kind.name: {
                key: record for key, record in ds.table(kind.name).items() if ds.path_of(kind.name, key) not in left_out
            }
            for kind in RECORDS
        }
        reduced = Dataset.build(ds.group, tables, ds.prefix)
        more = {rel for rel, _loc, _message in cross_issues(reduced)} - left_out - {group_file}
        if not more:
            break
        left_out |= more
    return reduced, sorted(left_out)

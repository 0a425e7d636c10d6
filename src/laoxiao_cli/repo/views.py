"""Remembered views: a read command's result for one exact content of the data folder, in the cache.

A view such as `lx status` is a function of the records and of its arguments (the day, the unit) only.
So its result is kept beside the cache's parts, under the content key of the load it was computed from:
the same command on the same content, the same day, is then answered without reading the tasks again.
One file per view (``view-<name>``) holds the results of one key, at most ``LIMIT`` argument sets (the
newest kept); a result for another key replaces the file. Like every cache file it is a speed-up only:
missing, damaged or foreign, it is ignored.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laoxiao_cli.repo import cache

LIMIT = 8
"""Argument sets kept per view and key (days, units): a unit's liaison asks for one, the office a few."""


@dataclass(frozen=True)
class Remembered:
    """The results of one view for the content ``key``, by arguments (oldest first)."""

    key: str
    results: dict[Hashable, Any] = field(default_factory=dict)


def path(folder: Path, view: str) -> Path:
    return folder / f"view-{view}"


def read(folder: Path, view: str) -> Remembered | None:
    stored = cache.read(path(folder, view))
    return stored if isinstance(stored, Remembered) and isinstance(stored.results, dict) else None


def write(folder: Path, view: str, known: Remembered | None, key: str, args: Hashable, result: Any) -> None:
    """Add ``result`` for ``args`` to what is known of ``key`` (``known``: what the load found for it),
    keeping the newest ``LIMIT``."""
    results = dict(known.results) if known is not None and known.key == key else {}
    results.pop(args, None)
    results[args] = result
    cache.write(path(folder, view), Remembered(key, dict(list(results.items())[-LIMIT:])))

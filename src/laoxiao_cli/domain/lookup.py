"""A record named on the command line, or a refusal that names the closest ids (one wording for all)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TypeVar

from laoxiao_cli.errors import LxError

R = TypeVar("R")


def find(table: Mapping[str, R], key: str, what: str) -> R:
    """``table[key]``; else LxError ``没有编号为“key”的<what>；是否是：…？``."""
    record = table.get(key)
    if record is None:
        raise LxError(f"没有编号为“{key}”的{what}{closest(key, table)}")
    return record


def closest(given: str, ids: Iterable[str]) -> str:
    """``；是否是：a、b？`` for ids that contain what was given or are spelled nearly like it, else ``""``."""
    known = sorted(ids)
    text = given.lower()
    close = [i for i in known if text and text in i.lower()][:5] or difflib.get_close_matches(
        text, known, n=5, cutoff=0.8
    )
    return f"；是否是：{'、'.join(close)}？" if close else ""

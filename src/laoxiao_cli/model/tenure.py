"""Who holds a post on a day (spec 6.10): the 组长, 副组长 and office staff of group.yaml carry
``from`` (the first day in office) and ``until`` (the last); a bound left out is open.

A person is in office on D when ``from ≤ D ≤ until``. group.yaml only forbids what cannot be true (a
term ending before it starts, one person's two terms of one post overlapping, two 牵头协调人 at once): the
posts have no seats, so a 组长 may leave before a successor is named, or the group may have three 组长
for a while. That a successor's ``from`` is the day after the predecessor's ``until`` is what a handover
record (``lx handover --role leader``) says, and checks.py holds group.yaml to the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar


class Term(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def from_(self) -> date | None: ...
    @property
    def until(self) -> date | None: ...


T = TypeVar("T", bound=Term)


def serves(person: Term, day: date) -> bool:
    """Is ``person`` in office on ``day``?"""
    return (person.from_ is None or person.from_ <= day) and (person.until is None or day <= person.until)


def in_office(people: Iterable[T], day: date) -> list[T]:
    """The people of a list in office on ``day``, in the list's order."""
    return [p for p in people if serves(p, day)]


def names_in_office(people: Iterable[T], day: date) -> list[str]:
    """Their names, each once, in the list's order."""
    return list(dict.fromkeys(p.name for p in in_office(people, day)))


def overlap(a: Term, b: Term) -> bool:
    """Do two terms share a day?"""
    return (a.until is None or b.from_ is None or b.from_ <= a.until) and (
        b.until is None or a.from_ is None or a.from_ <= b.until
    )


def span(person: Term) -> str:
    """The term in words: ``2022-06-02 至 2022-12-31``, ``至 2022-12-31``, ``2023-01-01 起``, or ``''``."""
    start, end = person.from_, person.until
    if start is not None and end is not None:
        return f"{start} 至 {end}"
    if end is not None:
        return f"至 {end}"
    return f"{start} 起" if start is not None else ""

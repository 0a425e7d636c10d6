"""The words official documents are written with (GB/T 9704-2012, spec 11.1): dates, the 发文字号, the
issuer, the people at a meeting. Shared by the Markdown and the Word outputs, so both say the same."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from laoxiao_cli.domain.minutes import Person
    from laoxiao_cli.model.records import Group, OfficeDoc


TITLE_LINE = 20
"""Characters of 2号 (22 pt) on one line of the 156 mm text block: what a one-line title may hold."""


def chinese_date(day: date) -> str:
    """``2023年3月20日``: no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def doc_number(prefix: str | None, year: int, serial: int) -> str:
    """The 发文字号 ``<prefix>〔YYYY〕N号`` (N without leading zeros; no prefix: ``〔YYYY〕N号``)."""
    return f"{prefix or ''}〔{year}〕{serial}号"


def short_name(group: Group) -> str:
    """The group's short name, its name when it has none: how its documents name it."""
    return (group.short_name or "").strip() or group.name


def issuer(doc: OfficeDoc, short: str) -> str:
    """The office's name heading and signing its documents: ``office.doc.issuer``, else the group's short
    name + 办公室."""
    return doc.issuer or f"{short}办公室"


def contact(doc: OfficeDoc) -> str | None:
    """``（联系人：…，电话：…）`` when the office has set its contact line: a 附注, which GB/T 9704-2012
    (7.3.6) puts in brackets on the line under the date, two characters in."""
    line = doc.contact
    return f"（联系人：{line.name}，电话：{line.phone}）" if line is not None else None


def person(p: Person) -> str:
    """``区民政局 王某某（副局长，代）``: unit, name, and in brackets the title and 代 for a stand-in."""
    notes = [n for n in (p.title, "代" if p.stand_in else None) if n]
    return f"{p.unit} {p.name}" + (f"（{'，'.join(notes)}）" if notes else "")

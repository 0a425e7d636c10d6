"""`lx site`: the dashboard page (spec 11.4) — ``index.html`` from a Jinja2 template (autoescaped: every
text from the data is shown as text) and its style sheet, both read from this package's ``site_files``.

The charts are inline SVG drawn here, on the server side (``site_charts``): the page needs no script,
no font and nothing from a network, opens from a folder or a USB stick and prints as it shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from laoxiao_cli.domain.calendar import quarter_label
from laoxiao_cli.domain.progress import COLOURS
from laoxiao_cli.render import labels, site_charts
from laoxiao_cli.render.common import Renderer, View, printable
from laoxiao_cli.render.progress import COLOUR_WORDS

if TYPE_CHECKING:
    import jinja2

    from laoxiao_cli.domain.overdue import OverdueItem
    from laoxiao_cli.domain.progress import Colour
    from laoxiao_cli.domain.reports import ReportState
    from laoxiao_cli.domain.site import Site
    from laoxiao_cli.model.records import Letter

FILES = "site_files"
"""The folder of this package holding the template and the style sheet."""
GRID_WORDS: dict[ReportState, str] = {
    "submitted": "按时",
    "late": "迟报",
    "missing": "未报",
    "pending": "待报",
    "not_owed": "—",
}
"""A report's state in a cell of the grid, short (the cell's title says it in full)."""
COLOUR_NOTES: dict[Colour, str] = {"red": "已逾期", "yellow": "滞后或临近截止", "green": "正常推进"}
PRINT_MONTHS = 12
"""The months of the reports grid a printed page keeps (the latest): more do not fit an A4 page's width."""
SHOWN_IN_LIST = ("task", "milestone", "meeting")
"""The overdue items listed; missing reports are counted there and shown in the reports grid."""


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _finalize(value: Any) -> Any:
    """Every value a template writes: control characters from the data shown as U+FFFD (HTML cannot hold
    them); what the template marked safe itself is left alone."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value, keep="")
    return value


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    template = resources.files(__package__ or "laoxiao_cli.render").joinpath(FILES, "index.html.j2")
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"index.html": template.read_text(encoding="utf-8")}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["cn_date"] = cn_date
    return env


def style(site: Site, view: View) -> str:
    """The page's style sheet (the same for every page)."""
    return resources.files(__package__ or "laoxiao_cli.render").joinpath(FILES, "style.css").read_text(encoding="utf-8")


def page(site: Site, view: View) -> str:
    """``index.html``."""
    return _environment().get_template("index.html").render(context(site, view))


def context(site: Site, view: View) -> dict[str, Any]:
    """What the template shows, in words: every label chosen here, the template only lays it out."""
    names = view.names
    s = site.status
    listed = [item for item in site.overdue if item.kind in SHOWN_IN_LIST]
    return {
        "PRINT_MONTHS": PRINT_MONTHS,
        "site": site,
        "title": f"{site.group}工作看板（截至 {site.as_of.isoformat()}）",
        "tasks": s.tasks,
        "colours": [(c, COLOUR_WORDS[c], s.colours.get(c, 0), COLOUR_NOTES[c]) for c in COLOURS],
        "last_held": s.last_held,
        "quarters": [quarter_label(q) for q in s.overdue_quarters],
        "units": site_charts.units(site.units),
        "segments": site_charts.SEGMENTS,
        "months": site_charts.months(site.months),
        "overdue": [_overdue_row(item, names) for item in listed],
        "missing_reports": sum(item.kind == "report" for item in site.overdue),
        "grid": _grid(site),
        "grid_words": GRID_WORDS,
        "report_states": labels.REPORT_STATES,
        "meeting": _meeting(site, names),
        "letters": [_letter_row(site, letter, names) for letter in site.awaiting],
    }


def _overdue_row(item: OverdueItem, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "kind": labels.OVERDUE_KINDS[item.kind],
        "id": item.id,
        "title": item.title,
        "unit": names.get(item.unit, item.unit) if item.unit else "专班办公室",
        "role": labels.TASK_ROLES[item.role] if item.role else "",
        "due": item.due,
        "days_late": item.days_late,
        "letter": labels.LETTER_KINDS[item.next_letter] if item.next_letter else "",
        "colour": item.colour,
        "colour_word": COLOUR_WORDS[item.colour] if item.colour else "",
    }


def _grid(site: Site) -> dict[str, Any]:
    headers = []
    for n, month in enumerate(site.report_months):
        year, mon = month.split("-")
        headers.append({"month": month, "label": f"{int(mon)}月", "year": f"{year}年" if n == 0 or mon == "01" else ""})
    tally = {state: 0 for state in GRID_WORDS}
    for row in site.reports:
        for state in row.states:
            tally[state] += 1
    rows = [
        {"unit": row.unit, "name": row.name, "cells": list(zip(site.report_months, row.states, strict=True))}
        for row in site.reports
    ]
    return {"months": headers, "rows": rows, "tally": tally}


def _meeting(site: Site, names: Mapping[str, str]) -> dict[str, Any] | None:
    meeting = site.meeting
    if meeting is None:
        return None
    decisions = []
    for d in meeting.decisions:
        state = labels.TASK_STATES[d.state] if d.state else "未设跟踪任务"
        decisions.append(
            {
                "number": d.number,
                "text": d.text,
                "lead": names.get(d.lead, d.lead) if d.lead else "",
                "task": d.task,
                "due": d.due,
                "state": d.state or "none",
                "state_word": state,
                "colour": d.colour,
                "colour_word": COLOUR_WORDS[d.colour] if d.colour else "",
            }
        )
    done = sum(d.state in ("done", "done_late") for d in meeting.decisions)
    tracked = sum(d.state not in (None, "cancelled") for d in meeting.decisions)
    return {
        "id": meeting.id,
        "date": meeting.date,
        "kind": labels.MEETING_KINDS[meeting.kind],
        "decisions": decisions,
        "done": done,
        "tracked": tracked,
    }


def _letter_row(site: Site, letter: Letter, names: Mapping[str, str]) -> dict[str, Any]:
    past = (site.as_of - letter.reply_by).days
    if past > 0:
        when = f"已超过回复期限 {past} 天"
    elif past == 0:
        when = "今天到回复期限"
    else:
        when = f"距回复期限 {-past} 天"
    return {
        "id": letter.id,
        "kind": labels.LETTER_KINDS[letter.kind],
        "unit": names.get(letter.unit, letter.unit),
        "tasks": "、".join(letter.tasks),
        "issued": letter.issued,
        "reply_by": letter.reply_by,
        "when": when,
        "late": past > 0,
    }


FORMATS: dict[str, Renderer[Site]] = {"index.html": page, "style.css": style}
"""The page's files by name: `lx site` writes each one into its folder."""

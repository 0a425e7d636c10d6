"""The years lx works in (a light module: no Pydantic, imported at start-up by the option parsers)."""

from __future__ import annotations

FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years lx works in: dates outside them are typing slips (0022, 20222, 9999), and the rules' date
arithmetic must never run off the calendar."""
YEAR_RULE = f"年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间"


def year_ok(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR

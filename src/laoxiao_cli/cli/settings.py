"""The one place a command reads its environment: which data folder, what today is, where output goes.

Built once at the start of a command, before any data is read or any lock is taken, so that a bad
``LX_TODAY`` is refused as early as a bad ``--as-of``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from laoxiao_cli.domain.checklist import ListName
    from laoxiao_cli.model.dataset import Dataset
    from laoxiao_cli.render.common import Screen, View

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Settings:
    data: Path | None
    """``--data`` after the command name, else before it; None: ``LX_DATA`` or the nearest ``data/``."""
    screen: Screen
    fixed_today: str | None = None
    """``LX_TODAY=YYYY-MM-DD`` fixes today, for reproducible examples and tests."""
    at: str | None = None
    """``--at REV`` (spec 11.6): read ``data/`` as committed at REV instead of the work tree."""

    @classmethod
    def read(cls, ctx: typer.Context | None = None, data: Path | None = None, at: str | None = None) -> Settings:
        return cls(_data_dir(ctx, data), _screen(), os.environ.get("LX_TODAY") or None, at)

    @property
    def at_day(self) -> date | None:
        """The day ``--at YYYY-MM-DD`` names (the last commit on or before its end), else None."""
        if self.at is None or not _DAY.fullmatch(self.at):
            return None
        try:
            return date.fromisoformat(self.at)
        except ValueError:
            return None

    def today(self) -> date:
        """Today in Asia/Shanghai (China keeps UTC+8 all year), unless ``LX_TODAY`` fixes it."""
        if self.fixed_today is None:
            return datetime.now(SHANGHAI).date()
        try:
            return date.fromisoformat(self.fixed_today)
        except ValueError:
            raise typer.BadParameter(f"环境变量 LX_TODAY=“{self.fixed_today}”不是日期：应为 YYYY-MM-DD") from None

    def as_of(self, given: date | None) -> date:
        """The day a command computes for: ``--as-of``, else the day of ``--at YYYY-MM-DD``, else today."""
        if given is not None:
            return given
        return self.at_day or self.today()

    def view(self, ds: Dataset | None = None, *, with_contacts: bool = False, list_name: ListName = "tasks") -> View:
        """How to render for this command: unit names from ``ds``, and this screen."""
        from laoxiao_cli.render.common import View

        names = {u.id: u.name for u in ds.units.values()} if ds is not None else {}
        return View(names, self.screen, with_contacts, list_name)


def _data_dir(ctx: typer.Context | None, data: Path | None) -> Path | None:
    if data is not None or ctx is None:
        return data
    obj = ctx.find_root().obj
    return obj.get("data") if isinstance(obj, dict) else None


def _screen() -> Screen:
    """Colours only on a terminal, not ``TERM=dumb``, without NO_COLOR; tables as wide as ``COLUMNS``, else
    the terminal, else (piped) a wide page so rows do not wrap (``Screen.detect``)."""
    from laoxiao_cli.render.common import Screen

    return Screen.detect(sys.stdout.isatty(), os.environ, lambda: shutil.get_terminal_size((160, 24)).columns)

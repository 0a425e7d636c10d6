"""Where each kind of record lives in the data folder (a light module: no Pydantic)."""

from __future__ import annotations

FOLDERS = {"unit": "units", "task": "tasks", "meeting": "meetings", "letter": "letters", "handover": "handovers"}
"""Record kind → its folder (file ``<folder>/<id>.yaml``); reports live in ``reports/<YYYY-MM>/<unit>.yaml``."""

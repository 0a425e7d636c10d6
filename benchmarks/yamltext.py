"""Write YAML text by hand (fast), in block style, quoting only what a plain scalar cannot hold."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date

# A plain scalar is safe when it starts with no indicator or digit, holds no ASCII ': # quote' or
# control character, and does not end in a space; everything else is written double-quoted (JSON).
_UNSAFE = re.compile(r"[:#'\"\\\x00-\x1f]|^[\s\-?,\[\]{}&*!|>%@`0-9]|\s$")
_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def s(text: str) -> str:
    """A string scalar."""
    if not text or _UNSAFE.search(text) or text.lower() in _WORDS:
        return json.dumps(text, ensure_ascii=False)
    return text


def month(text: str) -> str:
    """A month, quoted so that YAML keeps it text: '2023-08'."""
    return f"'{text}'"


def d(value: date | None) -> str:
    """A date, unquoted (YAML reads it as a date), or null."""
    return "null" if value is None else value.isoformat()


def str_list(key: str, items: Iterable[str], indent: str = "") -> str:
    items = list(items)
    if not items:
        return ""
    return f"{indent}{key}:\n" + "".join(f"{indent}- {s(item)}\n" for item in items)


def id_list(key: str, items: Iterable[str]) -> str:
    """A list of ids or months, one per line (ids never need quotes)."""
    items = list(items)
    if not items:
        return ""
    return f"{key}:\n" + "".join(f"- {item}\n" for item in items)


def person(key: str, fields: dict[str, str | None] | None) -> str:
    """A nested mapping for a person, or `key: null`."""
    if fields is None:
        return f"{key}: null\n"
    body = "".join(f"  {k}: {s(v)}\n" for k, v in fields.items() if v is not None)
    return f"{key}:\n{body}"

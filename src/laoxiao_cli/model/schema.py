"""JSON Schema of each record kind."""

from __future__ import annotations

from typing import Any

from laoxiao_cli.model.kinds import KINDS


def schemas() -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        doc = kind.model.model_json_schema(by_alias=True)
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        docs[kind.name] = doc
    return docs

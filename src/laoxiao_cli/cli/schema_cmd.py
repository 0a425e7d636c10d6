"""`lx schema`: JSON Schemas of the record kinds, for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laoxiao_cli.cli.common import write_out


def schema(
    out: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="写入此文件夹（每类记录一个 <类别>.schema.json）；不给则输出到屏幕。"),
    ] = None,
) -> None:
    """输出每类记录的 JSON Schema，供编辑器（如 VS Code 的 YAML 插件）提示与检查。"""
    import json

    from laoxiao_cli.model.schema import schemas

    docs = schemas()
    if out is None:
        write_out(json.dumps(docs, ensure_ascii=False, indent=2) + "\n")
        return
    from laoxiao_cli.repo import outputs

    for kind, doc in docs.items():
        outputs.write(out / f"{kind}.schema.json", (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode())
    typer.echo(f"已写入 {len(docs)} 个 JSON Schema 到 {out}")

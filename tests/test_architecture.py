"""The one-way data flow of docs/conventions: model and domain stay pure; one module per library."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "laoxiao_cli"
IO_LIBRARIES = {"typer", "rich", "yaml", "git", "click", "openpyxl", "docx", "subprocess"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _layer(name: str) -> set[str]:
    return {n for p in (PACKAGE / name).rglob("*.py") for n in _imports(p)}


def _files_importing(top: str) -> list[str]:
    return sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if any(n == top or n.startswith(top + ".") for n in _imports(p))
    )


def test_model_and_domain_are_pure() -> None:
    for layer in ("model", "domain"):
        imported = _layer(layer)
        tops = {n.split(".")[0] for n in imported}
        assert not tops & IO_LIBRARIES, (layer, tops & IO_LIBRARIES)
        for other in ("store", "render", "cli", "workspace"):
            assert not any(n.startswith(f"laoxiao_cli.{other}") for n in imported), (layer, other)


def test_model_does_not_import_domain() -> None:
    assert not any(n.startswith("laoxiao_cli.domain") for n in _layer("model"))


def test_render_reads_no_files_and_knows_no_cli() -> None:
    imported = _layer("render")
    assert not any(n.startswith(("laoxiao_cli.store", "laoxiao_cli.cli", "laoxiao_cli.workspace")) for n in imported)
    assert not {n.split(".")[0] for n in imported} & {"yaml", "git", "typer", "subprocess"}


def test_store_knows_no_render_or_cli() -> None:
    imported = _layer("store")
    assert not any(n.startswith(("laoxiao_cli.render", "laoxiao_cli.cli", "laoxiao_cli.domain")) for n in imported)


def test_one_module_per_library() -> None:
    assert _files_importing("yaml") == ["store/yamlio.py"]
    assert _files_importing("git") == ["store/gitrepo.py"]

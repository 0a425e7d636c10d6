"""The one-way data flow (docs/architecture.md): every module belongs to a layer, and a layer imports
only the layers below it. repo is the only layer that touches disk, Git or processes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "laoxiao_cli"

LAYERS = ["model", "base", "domain", "repo", "render", "cli"]
"""Lowest first. "base" is the package's own top-level modules (the error types, the version)."""
MAY_IMPORT = {
    "model": {"model"},
    "base": {"base", "model"},
    "domain": {"base", "model", "domain"},
    "repo": {"base", "model", "repo"},
    "render": {"base", "model", "domain", "render"},
    "cli": set(LAYERS),
}
IO_LIBRARIES = {"typer", "click", "rich", "yaml", "git", "openpyxl", "docx", "subprocess", "fcntl", "tempfile"}
LIBRARIES_OF = {
    "model": {"pydantic"},
    "domain": set(),
    "repo": {"yaml", "git", "subprocess", "fcntl", "tempfile", "multiprocessing", "pickle"},
    "render": {"openpyxl", "docx"},
}
"""The I/O libraries each layer may use (cli may use typer, click and rich)."""


def _modules() -> dict[str, Path]:
    return {p.relative_to(PACKAGE).as_posix(): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(rel: str) -> str:
    top = rel.split("/")[0]
    if top in LAYERS:
        return top
    if "/" not in rel and rel in ("__init__.py", "__main__.py", "errors.py"):
        return "cli" if rel == "__main__.py" else "base"
    raise AssertionError(f"{rel} belongs to no layer: put it in one of {LAYERS} (and say so in docs/architecture.md)")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _internal_layer(name: str) -> str | None:
    if not name.startswith("laoxiao_cli"):
        return None
    parts = name.split(".")
    if len(parts) == 1:
        return "base"
    return parts[1] if parts[1] in LAYERS else "base"


def test_every_module_has_a_layer() -> None:
    for rel in _modules():
        layer_of(rel)


@pytest.mark.parametrize("rel", sorted(_modules()))
def test_imports_point_down(rel: str) -> None:
    layer = layer_of(rel)
    for name in _imports(_modules()[rel]):
        target = _internal_layer(name)
        if target is not None:
            assert target in MAY_IMPORT[layer], f"{rel} ({layer}) imports {name} ({target})"
        elif layer != "cli":
            top = name.split(".")[0]
            if top in IO_LIBRARIES or top in {"pickle", "multiprocessing"}:
                assert top in LIBRARIES_OF[layer], f"{rel} ({layer}) uses {top}"


def test_the_layer_rules_themselves_can_fail() -> None:
    """A sanity check of the checker: an import upwards is caught."""
    assert "cli" not in MAY_IMPORT["repo"] and "repo" not in MAY_IMPORT["domain"]
    with pytest.raises(AssertionError):
        layer_of("workspace.py")


def _files_importing(top: str) -> list[str]:
    return sorted(rel for rel, p in _modules().items() if any(n == top or n.startswith(top + ".") for n in _imports(p)))


def test_one_module_per_library() -> None:
    assert _files_importing("yaml") == [
        "repo/yamlemit.py",
        "repo/yamlio.py",
        "repo/yamllimits.py",
        "repo/yamllocate.py",
        "repo/yamlmessages.py",
    ]
    assert _files_importing("git") == ["repo/gitcli.py"]
    assert _files_importing("subprocess") == ["repo/gitcli.py"]
    assert _files_importing("fcntl") == ["repo/lock.py"]


def test_record_kinds_are_spelled_out_once() -> None:
    """Paths of record files are built only by the registry (model/kinds.py): no other module joins a
    record folder's name into a path."""
    pattern = re.compile(
        r'/\s*"(units|tasks|meetings|reports|letters|handovers)"|"(units|tasks|meetings|reports|letters|handovers)/'
    )
    for rel, path in _modules().items():
        if rel == "model/kinds.py":
            continue
        found = [m.group(0) for m in pattern.finditer(path.read_text(encoding="utf-8"))]
        assert not found, f"{rel} builds record paths itself {found}: ask model/kinds.py"

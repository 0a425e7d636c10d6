"""The README shows real output: its `lx-output` blocks equal what lx prints now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_readme_outputs_are_current(bundled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "tools" / "update_readme.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # lx runs in a committed copy of the bundled data, not in the checkout (whose .git it would write to:
    # the cache, and the lock that `handover --dry-run` takes)
    monkeypatch.setattr(module, "ROOT", bundled)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "lx-output:" in text
    assert module.render(text) == text, "README is stale: run python tools/update_readme.py"


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make run", "make test"]

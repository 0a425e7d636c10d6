"""Writes that either all happen or leave the files exactly as they were."""

from __future__ import annotations

from pathlib import Path

from laoxiao_cli.store.files import write_bytes_atomic


class Transaction:
    """Remember each file's bytes (or absence) before its first write; ``rollback`` restores them."""

    def __init__(self) -> None:
        self.originals: dict[Path, bytes | None] = {}

    def write(self, path: Path, data: bytes) -> None:
        if path not in self.originals:
            self.originals[path] = path.read_bytes() if path.exists() else None
        write_bytes_atomic(path, data)

    def rollback(self) -> None:
        for path, original in reversed(list(self.originals.items())):
            if original is None:
                path.unlink(missing_ok=True)
            else:
                write_bytes_atomic(path, original)

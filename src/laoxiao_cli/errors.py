"""The project's exception types: the CLI's one error boundary turns them into messages and exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from laoxiao_cli.model.findings import Finding


class LxError(Exception):
    """A refusal or a user error: printed as one message, exit 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(LxError):
    """Bad usage that Typer cannot see by itself (e.g. `--format docx` without `-o`): exit 2."""

    exit_code = 2


class InvalidData(LxError):
    """The data repository has findings: every command refuses to work on it."""

    def __init__(self, findings: Sequence[Finding], files: int = 0) -> None:
        super().__init__(f"数据校验未通过：共 {len(findings)} 个问题")
        self.findings = list(findings)
        self.files = files

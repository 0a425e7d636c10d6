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

    def __init__(
        self, findings: Sequence[Finding], files: int = 0, heading: str | None = None, advice: str | None = None
    ) -> None:
        super().__init__(f"数据校验未通过：共 {len(findings)} 个问题")
        self.findings = list(findings)
        self.files = files
        self.heading = heading or "数据校验未通过，已停止（请先运行 lx validate 并修正以下问题）："
        """The line printed before the findings."""
        self.advice = advice
        """What to do, printed after them (when the usual advice does not fit)."""


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese (the system's own words for the rare rest)."""
    import errno

    reasons = {
        errno.ENOSPC: "磁盘已满",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.ENOENT: "文件或文件夹不存在",
        errno.EISDIR: "这是一个文件夹",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EROFS: "文件系统只读",
        errno.EBADF: "输出已关闭",
        errno.EPIPE: "输出管道已关闭",
        errno.ENAMETOOLONG: "文件名过长",
        errno.EEXIST: "已存在",
        errno.EXDEV: "不能跨文件系统移动",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))

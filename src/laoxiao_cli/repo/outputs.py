"""Files lx writes outside the data folder (``-o FILE``, letter documents): one place that decides what
may be replaced, writes atomically with the usual permissions, and can stage a file to be put in place
later (the writer moves side outputs into place only once its commit has landed)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from laoxiao_cli.errors import LxError, os_reason


def target(path: Path) -> Path:
    """The file that writing ``path`` replaces: a symbolic link is written through to its target. A
    directory, device, FIFO or socket is refused with a message, and so are a ``.yaml`` file (lx's data
    files change only through the writer: ``-o data/group.yaml`` must not replace the group) and anything
    inside a ``.git`` folder."""
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    if real.suffix.lower() in (".yaml", ".yml"):
        raise LxError(f"{path}：lx 不把输出写成 .yaml 文件（数据文件只由写入命令修改）：请换一个文件名")
    if ".git" in Path(os.path.abspath(real)).parts:
        raise LxError(f"{path} 在 Git 的仓库文件夹（.git）里：请换一个位置")
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise LxError(f"无法写入 {path}：{os_reason(exc)}") from None
    if stat.S_ISDIR(mode):
        raise LxError(f"{path} 是一个文件夹：请给出文件名，如 {path / '输出文件'}")
    if not stat.S_ISREG(mode):
        raise LxError(f"{path} 不是普通文件（设备、管道等）：lx 只写入普通文件，请换一个文件名")
    return real


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``'s target (fsynced); returns the temporary file,
    to be moved into place with ``place``. Nothing at ``path`` changes yet."""
    real = target(path)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".lx-tmp", dir=real.parent)
    except OSError as exc:
        raise LxError(f"无法写入 {path}：{os_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode(real))
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise LxError(f"无法写入 {path}：{os_reason(exc)}") from None
    return Path(tmp)


def place(tmp: Path, path: Path) -> None:
    os.replace(tmp, target(path))


def write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see ``target`` for what may be replaced)."""
    tmp = stage(path, data)
    try:
        place(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_all(files: dict[Path, bytes]) -> None:
    """Several files that belong together (a page and its style sheet, a month's forms): every one staged
    beside its target first, then all moved into place; a failure while staging leaves every target as
    it was and no temporary file behind."""
    staged: dict[Path, Path] = {}
    try:
        for path, payload in files.items():
            staged[path] = stage(path, payload)
        for path, tmp in list(staged.items()):
            place(tmp, path)
            del staged[path]
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def _mode(real: Path) -> int:
    """An existing file keeps its permissions; a new one gets the umask's (e.g. 0644), not mkstemp's 0600."""
    try:
        return stat.S_IMODE(real.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

"""Find the data folder and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

from laoxiao_cli.errors import LxError


def find_data_dir(explicit: Path | None, cwd: Path | None = None) -> Path:
    """``--data``, else ``$LX_DATA``, else the nearest ``data/`` with a ``group.yaml`` walking up."""
    if explicit is not None:
        return _checked(explicit, "--data")
    env = os.environ.get("LX_DATA")
    if env:
        return _checked(Path(env), "LX_DATA")
    here = (cwd or Path.cwd()).resolve()
    nearest: Path | None = None  # a data/ without group.yaml: validated, so that the finding says so
    for folder in (here, *here.parents):
        if folder.name == "data" and (folder / "group.yaml").is_file():
            return folder
        candidate = folder / "data"
        if (candidate / "group.yaml").is_file():
            return candidate
        if nearest is None and candidate.is_dir() and any(candidate.glob("*/*.yaml")):
            nearest = candidate
    if nearest is not None:
        return nearest
    raise LxError(
        "找不到数据文件夹：请在数据仓库中运行，或用 --data 目录 / 环境变量 LX_DATA 指定"
        "（数据文件夹是含有 group.yaml 的 data/）"
    )


def _checked(given: Path, source: str) -> Path:
    """The data folder ``source`` names, or a refusal saying what was probably meant."""
    if str(given).strip() == "":
        raise LxError(f"{source} 不能为空：请给出数据文件夹（含 group.yaml 的 data/）")
    path = given.expanduser().resolve()
    if path.is_file():
        hint = f"：是否想用 {path.parent}？" if path.name == "group.yaml" else ""
        raise LxError(f"{source} 应为数据文件夹，而 {path} 是一个文件{hint}")
    if not path.is_dir():
        raise LxError(f"{source} 指定的数据文件夹不存在：{path}")
    if not (path / "group.yaml").is_file():
        inner = path / "data"
        if (inner / "group.yaml").is_file():
            raise LxError(f"{source} 应指向数据文件夹本身（含 group.yaml）：是否想用 {inner}？")
        if not any(path.glob("*/*.yaml")) and not any(path.glob("*.yaml")):
            raise LxError(f"{source} 指定的文件夹 {path} 中没有 group.yaml，也没有任何数据文件：它不是 lx 的数据文件夹")
    return path


def repo_root(data_dir: Path) -> Path:
    """The Git work tree that holds ``data_dir``, else the folder above it."""
    for folder in (data_dir, *data_dir.parents):
        if (folder / ".git").exists():
            return folder
    return data_dir.parent


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def git_dir(root: Path) -> Path | None:
    """The Git folder of the work tree at ``root`` (``.git``, or where a ``.git`` file points)."""
    git = root / ".git"
    if git.is_file():  # a worktree or submodule
        text = git.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            git = (root / text[len("gitdir:") :].strip()).resolve()
    return git if git.is_dir() else None

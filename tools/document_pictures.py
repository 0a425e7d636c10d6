#!/usr/bin/env python3
"""Pictures of the bundled data's documents for the README: the first page of a letter (the first 交办函,
else the first letter) and of the 2022-q3 minutes, as lx writes them (.docx), printed by LibreOffice.

Usage:  python tools/document_pictures.py [FOLDER] [--dpi N]      (default docs/images/, 100 dpi)

Writes FOLDER/letter.png and FOLDER/minutes.png. lx runs on a committed copy of data/ in a temporary
folder (never in the checkout, whose .git it would write its cache into); LibreOffice runs with a profile
of its own. Needs soffice and pdftoppm (tools/system-packages.sh installs them)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MEETING = "2022-q3"


def first_letter(data: Path) -> str:
    """The first 交办函 (assignment) by id, else the first letter."""
    letters = sorted((p.stem, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in (data / "letters").glob("*.yaml"))
    if not letters:
        raise SystemExit(f"{data / 'letters'} 下没有函件")
    assignments = [stem for stem, record in letters if record.get("kind") == "assignment"]
    return assignments[0] if assignments else letters[0][0]


def run(*command: str, cwd: Path | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} 失败：\n{done.stdout}{done.stderr}")


def lx(work: Path, *args: str) -> None:
    run(sys.executable, "-m", "laoxiao_cli", *args, cwd=work)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args()
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"缺少 {tool}：请以 root 运行 tools/system-packages.sh")
    folder: Path = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lx-pictures-") as tmp:
        work = Path(tmp)
        shutil.copytree(DATA, work / "data")
        run("git", "init", "-q", "-b", "main", cwd=work)
        run("git", "add", "-A", cwd=work)
        identity = ("-c", "user.name=lx", "-c", "user.email=lx@example.org")
        run("git", *identity, "commit", "-q", "-m", "数据", cwd=work)
        documents = {"letter": work / "letter.docx", "minutes": work / "minutes.docx"}
        lx(work, "letters", "show", first_letter(work / "data"), "-f", "docx", "-o", str(documents["letter"]))
        lx(work, "meeting", "minutes", MEETING, "-f", "docx", "-o", str(documents["minutes"]))
        profile = (work / "lo-profile").as_uri()
        office = ("soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf")
        run(*office, "--outdir", str(work), *map(str, documents.values()))
        for name, document in documents.items():
            target = folder / name  # pdftoppm adds .png
            run("pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1", "-singlefile",
                str(document.with_suffix(".pdf")), str(target))  # fmt: skip
            print(target.with_suffix(".png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

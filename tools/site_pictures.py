"""Pictures of the dashboard page for the README: the bundled data's `lx site` as of 2022-12-31, taken in
the system's headless Chromium (tests/browser.py) at a desktop's width (1280 px) and a phone's (390 px).

Run: python tools/site_pictures.py [FOLDER]   (default docs/images/; writes dashboard-desktop.png and
dashboard-phone.png). lx runs in a committed copy of the data in a temporary folder, never in the checkout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/browser.py

from tests.browser import Browser, find_chromium  # noqa: E402

AS_OF = "2022-12-31"
SIZES = {"desktop": (1280, False), "phone": (390, True)}
GIT = {
    "GIT_AUTHOR_NAME": "专班办公室",
    "GIT_AUTHOR_EMAIL": "office@example.org",
    "GIT_COMMITTER_NAME": "专班办公室",
    "GIT_COMMITTER_EMAIL": "office@example.org",
}


def site(work: Path) -> Path:
    """The bundled data's page, built in ``work``; returns its index.html."""
    repo = work / "ouhai"
    shutil.copytree(ROOT / "data", repo / "data")
    env = {**os.environ, **GIT}
    env.pop("LX_DATA", None)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "瓯海区数据"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    out = work / "site"
    command = [sys.executable, "-m", "laoxiao_cli", "site", "-o", str(out), "--as-of", AS_OF]
    subprocess.run(command, cwd=repo, env=env, check=True)
    return out / "index.html"


def main() -> int:
    parser = argparse.ArgumentParser(description="看板网页的截图（电脑与手机宽度），供 README 使用。")
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "docs" / "images", help="保存到的文件夹")
    folder: Path = parser.parse_args().folder
    if find_chromium() is None:
        print("缺少 Chromium：请以 root 运行 tools/system-packages.sh，或设置 LX_CHROMIUM", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lx-pictures-") as tmp:
        index = site(Path(tmp))
        with Browser.start(Path(tmp) / "profile") as browser:
            for name, (width, mobile) in SIZES.items():
                page = browser.open(index.as_uri(), width, mobile=mobile)
                shot = page.screenshot(folder / f"dashboard-{name}.png")
                print(f"已保存 {shot}（{width} px 宽）")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The CI files `lx init --ci github|gitlab` adds to a new data repository, and where they install lx from.

lx is not on a package index the office can count on: each file installs it from one pip requirement,
``LX_PIP_SPEC``, set once at the top of the file (``--lx-source``, by default where the running lx was
installed from)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

Ci = Literal["github", "gitlab"]

SPEC_VARIABLE = "LX_PIP_SPEC"
INSTALL = f'python -m pip install "${SPEC_VARIABLE}"'
GITLAB_REPORT = "gl-code-quality-report.json"

_SOURCE_NOTE = """\
# 安装 lx 的来源只写在下面的 LX_PIP_SPEC 一处，可改为任何 pip 能安装的写法，例如
#   git+https://example.org/office/lx.git@v2.0.0   （某个 Git 仓库的标签或提交）
#   laoxiao-cli==2.0.0                               （软件包索引上的版本）
#   ./tools/laoxiao_cli-2.0.0-py3-none-any.whl       （放在本仓库中的安装包）"""

GITHUB = """\
# lx：每次推送和拉取请求时校验 data/ 下的全部数据文件；发现的问题作为注释标在文件的对应行上，
# 有问题时本检查失败。
{note}
name: lx validate
on: [push, pull_request]
env:
  LX_PIP_SPEC: {spec}
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: 安装 lx
        run: {install}
      - name: 校验数据
        run: lx validate --format github
"""

GITLAB = """\
# lx：每次推送时校验 data/ 下的全部数据文件；发现的问题写入代码质量报告（合并请求中可见），
# 有问题时本作业失败，报告仍会上传；失败时再以文字列出问题，便于在作业日志中查看。
{note}
variables:
  LX_PIP_SPEC: {spec}
lx-validate:
  image: python:3.11
  script:
    - {install}
    - lx validate --format gitlab > {report} || (lx validate; exit 1)
  artifacts:
    when: always
    paths:
      - {report}
    reports:
      codequality: {report}
"""

PATHS: dict[Ci, str] = {"github": ".github/workflows/lx-validate.yml", "gitlab": ".gitlab-ci.yml"}


def ci_file(ci: Ci, spec: str) -> tuple[str, str]:
    """(path in the repository, text) of the CI file that installs lx from ``spec`` and validates."""
    template = GITHUB if ci == "github" else GITLAB
    # a JSON string is a YAML double-quoted scalar: any requirement (spaces, '#', ':') stays one value
    text = template.format(
        note=_SOURCE_NOTE, spec=json.dumps(spec, ensure_ascii=False), install=INSTALL, report=GITLAB_REPORT
    )
    return PATHS[ci], text


def pip_spec(direct_url: Mapping[str, Any] | None, version: str) -> str:
    """The pip requirement that installs this lx again: from PEP 610's ``direct_url.json`` when pip
    recorded one (a VCS checkout pinned to its commit, an archive, a folder), else the released version."""
    url = direct_url.get("url") if direct_url else None
    if not direct_url or not isinstance(url, str) or not url:
        return f"laoxiao-cli=={version}"
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(vcs.get("vcs"), str):
        revision = vcs.get("commit_id") or vcs.get("requested_revision")
        spec = f"{vcs['vcs']}+{url}" + (f"@{revision}" if revision else "")
    else:
        spec = url
    subdirectory = direct_url.get("subdirectory")
    if isinstance(subdirectory, str) and subdirectory:
        spec += f"#subdirectory={subdirectory}"
    return spec


def is_local(spec: str) -> bool:
    """Whether ``spec`` names a file or folder on this machine (a CI machine will not have it)."""
    return spec.startswith(("file:", "/", "./", "../", "~")) or spec[1:3] in (":\\", ":/")

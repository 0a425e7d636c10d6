"""Validation results as text, JSON (spec section 4), GitHub annotations or a GitLab Code Quality report."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from laoxiao_cli.render.common import Renderer

if TYPE_CHECKING:
    from laoxiao_cli.domain.validation import Validation
    from laoxiao_cli.model.findings import Finding


def _place(f: Finding) -> str:
    return f.file if f.line is None else f"{f.file}:{f.line}:{f.column}"


def text(findings: Sequence[Finding], files: int) -> str:
    lines = [f"{_place(f)}: {f.message}" for f in findings]
    if findings:
        lines.append(f"共检查 {files} 个文件，发现 {len(findings)} 个问题。")
    else:
        lines.append(f"共检查 {files} 个文件，全部通过。")
    return "\n".join(lines) + "\n"


def as_json(findings: Sequence[Finding], files: int) -> str:
    payload = {
        "ok": not findings,
        "files": files,
        "errors": [{"file": f.file, "line": f.line, "column": f.column, "message": f.message} for f in findings],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(findings: Sequence[Finding], files: int) -> str:
    out = []
    for f in findings:
        where = f"file={_escape(f.file, True)}"
        if f.line is not None:
            where += f",line={f.line},col={f.column}"
        out.append(f"::error {where}::{_escape(f.message)}")
    return "".join(line + "\n" for line in out)


def fingerprint(f: Finding) -> str:
    """The same for the same finding in every run (file, place and message), so GitLab can tell a finding
    that is still there from a new one."""
    key = "\0".join((f.file, str(f.line or 0), str(f.column or 0), f.message))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def gitlab(findings: Sequence[Finding], files: int) -> str:
    """GitLab's Code Quality report: a JSON list of issues (a finding with no line is put at line 1)."""
    issues = [
        {
            "description": f.message,
            "check_name": "lx-validate",
            "fingerprint": fingerprint(f),
            "severity": "major",
            "location": {"path": f.file, "lines": {"begin": f.line or 1}},
        }
        for f in findings
    ]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Renderer[Validation]] = {
    "text": lambda v, view: text(v.findings, v.files),
    "json": lambda v, view: as_json(v.findings, v.files),
    "github": lambda v, view: github(v.findings, v.files),
    "gitlab": lambda v, view: gitlab(v.findings, v.files),
}

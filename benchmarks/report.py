"""Render benchmark results as Markdown: machine, per-scale tables, ratios and targets (✓/✗)."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from benchmarks.measure import Series

AS_OF = "2025-12-31"
VALIDATE = "lx validate"
HELP = "lx --help"
WARM_TARGETS = [VALIDATE, f"lx status --as-of {AS_OF}", f"lx overdue --as-of {AS_OF}"]
CHANGED = "lx validate, after changing one file"
SAME = "lx validate on the same task files"
FLOOR = "floor: python benchmarks/floor.py"
PAIRED_LX = "lx validate, taking turns with the floor"
PAIRED_FLOOR = "floor, taking turns with lx validate"
TYPER = 'python -c "import typer"'
PEER = "check-jsonschema on the task files"
WARM_LIMIT = {"district": 0.3, "city": 0.3}  # seconds (issue 18: ≤ 0.3 s at city)
COLD_LIMIT = {"district": 1.5, "city": 1.0}  # × the floor (issue 18: 1.0× at city, on both cores)
PROVINCE_STATUS_LIMIT = 1.5  # seconds, warm
LX_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ScaleResult:
    scale: str
    repo: Path
    files: int
    task_files: int
    meta: dict[str, object] | None
    rows: dict[str, dict[str, Series]] = field(default_factory=dict)  # label -> mode -> Series
    notes: list[str] = field(default_factory=list)

    def median(self, label: str, mode: str) -> float | None:
        s = self.rows.get(label, {}).get(mode)
        return s.median if s is not None and s.ok else None


def machine() -> list[tuple[str, str]]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    return [
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("RAM", ram),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("lx commit", lx_commit()),
    ]


def lx_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=LX_ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--", "src")
    return f"{head} + uncommitted changes in src/" if dirty else head


def lx_source_tag() -> str:
    """A fingerprint of lx's source files (path, size, mtime): it changes when anyone edits them."""
    h = hashlib.sha1(usedforsecurity=False)
    for path in sorted((LX_ROOT / "src").rglob("*.py")):
        st = path.stat()
        h.update(f"{path}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:12]


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def cells(s: Series | None) -> list[str]:
    if s is None or not s.ok:
        return ["—", "—", "—"]
    return [fmt(s.median), fmt(s.min), fmt(s.max)]


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def scale_section(r: ScaleResult) -> list[str]:
    meta = r.meta or {}
    gen = f"; generated in {meta['seconds']} s" if "seconds" in meta else ""
    out = [f"## {r.scale}: {r.files:,} YAML files ({r.task_files:,} task files){gen}", ""]
    out.append("| command | cold median s | cold min | cold max | warm median s | warm min | warm max | peak MB |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, modes in r.rows.items():
        if "single" in modes:
            continue
        peak = max(s.peak_mb for s in modes.values() if s.ok)
        out.append(
            f"| `{label}` | " + " | ".join(cells(modes.get("cold")) + cells(modes.get("warm"))) + f" | {peak:.0f} |"
        )
    out += ["", "| reference | median s | min | max | peak MB |", "|---|---:|---:|---:|---:|"]
    for label, modes in r.rows.items():
        if "single" in modes:
            s = modes["single"]
            out.append(f"| `{label}` | " + " | ".join(cells(s)) + f" | {s.peak_mb:.0f} |")
    out += ["", "Ratios (medians):", ""]
    for name, value in ratios(r):
        out.append(f"- {name}: {'—' if value is None else f'{value:.2f}×'}")
    if r.notes:
        out += ["", *[f"Note: {n}" for n in r.notes]]
    out.append("")
    return out


def ratios(r: ScaleResult) -> list[tuple[str, float | None]]:
    peer = r.median(PEER, "single")
    help_ = max((r.median(HELP, m) or 0.0) for m in ("cold", "warm")) or None
    return [
        ("lx validate cold / floor", ratio(r.median(VALIDATE, "cold"), r.median(FLOOR, "single"))),
        (
            "lx validate cold / floor, taking turns",
            ratio(r.median(PAIRED_LX, "cold"), r.median(PAIRED_FLOOR, "single")),
        ),
        ("lx validate cold / check-jsonschema (same task files)", ratio(r.median(SAME, "cold"), peer)),
        ("lx validate warm / check-jsonschema (same task files)", ratio(r.median(SAME, "warm"), peer)),
        ("check-jsonschema / lx validate cold (speed-up, same task files)", ratio(peer, r.median(SAME, "cold"))),
        ("check-jsonschema / lx validate warm (speed-up, same task files)", ratio(peer, r.median(SAME, "warm"))),
        ("lx --help (slower of cold, warm) / import typer", ratio(help_, r.median(TYPER, "single"))),
    ]


def targets(results: list[ScaleResult]) -> list[tuple[str, str, str, bool | None]]:
    """(target, scale, measured, met?) for every target that applies to a measured scale."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def check(target: str, scale: str, measured: str, ok: bool | None) -> None:
        rows.append((target, scale, measured, ok))

    for r in results:
        cold, floor = r.median(VALIDATE, "cold"), r.median(FLOOR, "single")
        if r.scale in WARM_LIMIT:
            most = COLD_LIMIT[r.scale]
            for how, (a, b) in {
                "measured apart": (cold, floor),
                "taking turns": (r.median(PAIRED_LX, "cold"), r.median(PAIRED_FLOOR, "single")),
            }.items():
                x = ratio(a, b)
                check(
                    f"lx validate cold ≤ {most}× floor ({how})",
                    r.scale,
                    f"{fmt(a)} s / {fmt(b)} s = {x:.2f}×" if x else "—",
                    None if x is None else x <= most,
                )
            limit = WARM_LIMIT[r.scale]
            for label in WARM_TARGETS:
                w = r.median(label, "warm")
                check(f"`{label}` warm ≤ {limit} s", r.scale, f"{fmt(w)} s", None if w is None else w <= limit)
            changed, warm = r.median(CHANGED, "warm"), r.median(VALIDATE, "warm")
            if changed is not None and warm is not None:
                check(
                    "after changing one file ≤ 2× warm `lx validate`",
                    r.scale,
                    f"{fmt(changed)} s / {fmt(warm)} s = {changed / warm:.2f}×",
                    changed <= 2 * warm,
                )
        if r.scale == "province":
            w = r.median(WARM_TARGETS[1], "warm")
            check(
                f"`{WARM_TARGETS[1]}` warm ≤ {PROVINCE_STATUS_LIMIT} s",
                r.scale,
                f"{fmt(w)} s",
                None if w is None else w <= PROVINCE_STATUS_LIMIT,
            )
        speed_cold = ratio(r.median(PEER, "single"), r.median(SAME, "cold"))
        speed_warm = ratio(r.median(PEER, "single"), r.median(SAME, "warm"))
        check(
            "lx validate cold ≥ 3× faster than check-jsonschema (same task files)",
            r.scale,
            "—" if speed_cold is None else f"{speed_cold:.2f}×",
            None if speed_cold is None else speed_cold >= 3,
        )
        check(
            "lx validate warm ≥ 20× faster than check-jsonschema (same task files)",
            r.scale,
            "—" if speed_warm is None else f"{speed_warm:.2f}×",
            None if speed_warm is None else speed_warm >= 20,
        )
        h = ratios(r)[-1][1]
        check(
            'lx --help ≤ 1.5× python -c "import typer"',
            r.scale,
            "—" if h is None else f"{h:.2f}×",
            None if h is None else h <= 1.5,
        )
        if r.scale == "province":
            peak = max(s.peak_mb for label, modes in r.rows.items() if label.startswith("lx") for s in modes.values())
            check("peak memory of any lx process ≤ 1.5 GB", r.scale, f"{peak:.0f} MB", peak <= 1536)
    if not any(r.scale == "province" for r in results):
        check("peak memory of any lx process ≤ 1.5 GB", "province", "not run", None)
    return rows


def failures(results: list[ScaleResult]) -> list[str]:
    out: list[str] = []
    for r in results:
        for label, modes in r.rows.items():
            for mode, s in modes.items():
                for f in s.failures[:1]:
                    out += [
                        f"- {r.scale}, `{label}` ({mode}): exit {f.rc} in {len(s.failures)} of {len(s.samples)} runs:",
                        "",
                        "```",
                        f.output.strip()[:2000],
                        "```",
                        "",
                    ]
    return out


def render(command: str, results: list[ScaleResult], elapsed: float, commit_at_start: str) -> str:
    out = [
        "# lx benchmark results",
        "",
        f"Produced by `{command}` on {datetime.now().strftime('%Y-%m-%d %H:%M')}"
        f" ({elapsed / 60:.1f} min). Times are wall-clock seconds of whole processes; peak MB is the"
        " maximum resident set size (wait4 in a fresh helper). See benchmarks/README.md.",
        "",
    ]
    info = machine()
    if commit_at_start != info[-1][1]:
        info.append(("lx commit at start", commit_at_start))
    out += ["| machine | |", "|---|---|", *[f"| {k} | {v} |" for k, v in info], ""]
    for r in results:
        out += scale_section(r)
    out += ["## Targets", "", "| target | scale | measured | met |", "|---|---|---|:-:|"]
    for target, scale, measured, ok in targets(results):
        out.append(f"| {target} | {scale} | {measured} | {'—' if ok is None else '✓' if ok else '✗'} |")
    out.append("")
    bad = failures(results)
    out += ["## Failed runs", "", *(bad or ["None: every measured process exited 0."]), ""]
    return "\n".join(out)

"""What `lx init` puts in the first commit for editors and CI (spec 9), and `lx validate --format gitlab`.

The CI files are checked as parsed YAML, and (slow) run as CI would: in a fresh shallow clone with a
detached HEAD, lx installed into a new virtual environment by the file's own install line from the file's
LX_PIP_SPEC (pointed at a temporary copy of this project), then the file's validate line exactly as written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from laoxiao_cli.domain.ci_files import pip_spec
from laoxiao_cli.model.kinds import KINDS, kind_of
from tests.conftest import BASE, Lx, git, make_repo
from tests.test_precommit import BAD_TASK, project_copy, quiet_env, shared_pip_cache

GITHUB = ".github/workflows/lx-validate.yml"
GITLAB = ".gitlab-ci.yml"
SOURCE = "git+https://git.example.net/ouhai/lx.git@v2.1.0"


def init(lx: Lx, target: Path, *args: str) -> Path:
    result = lx("init", str(target), *args)
    assert result.exit_code == 0, result.output
    return target


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_steps(doc: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = doc["jobs"].values()
    return list(job["steps"])


def gitlab_job(doc: dict[str, Any]) -> dict[str, Any]:
    (job,) = [value for key, value in doc.items() if isinstance(value, dict) and "script" in value]
    return job


# --- editors -------------------------------------------------------------------------------------


def test_init_commits_the_schemas_and_the_editor_settings(tmp_path: Path, lx: Lx) -> None:
    root = init(lx, tmp_path / "repo")
    committed = set(git(root, "ls-files").split())
    schemas = json.loads(lx("schema").stdout)
    for kind, doc in schemas.items():
        rel = f"schemas/{kind}.schema.json"
        assert rel in committed
        assert json.loads((root / rel).read_text(encoding="utf-8")) == doc
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert {".vscode/settings.json", ".vscode/extensions.json"} <= committed
    assert sorted(mapping) == sorted(f"./schemas/{kind}.schema.json" for kind in schemas)
    assert not any(path.startswith((".github", ".gitlab")) for path in committed)  # only with --ci

    # every data file of a real repository gets exactly the schema of its kind, read either way the
    # extension has matched globs (`*` within a folder, or the old `*` = `.*` on the end of the path)
    def loose(glob: str) -> re.Pattern[str]:
        return re.compile(re.escape(glob).replace(r"\*", ".*") + "$")

    files = sorted(p.relative_to(BASE).as_posix() for p in (BASE / "data").rglob("*.yaml"))
    assert len({PurePosixPath(f).parts[1] for f in files}) >= 5
    for rel in files:
        parts = PurePosixPath(rel).parts
        kind = kind_of(parts[1:-1], parts[-1])
        assert kind is not None
        strict = [schema for schema, glob in mapping.items() if PurePosixPath(rel).match(glob)]
        old = [schema for schema, glob in mapping.items() if loose(glob).search("file:///home/u/repo/" + rel)]
        assert strict == old == [f"./schemas/{kind.name}.schema.json"], rel
    assert {k.name for k in KINDS} == set(schemas)


# --- the CI files as YAML --------------------------------------------------------------------------


def test_github_workflow(tmp_path: Path, lx: Lx) -> None:
    root = init(lx, tmp_path / "repo", "--ci", "github", "--lx-source", SOURCE)
    assert GITHUB in git(root, "ls-files").split()
    text = (root / GITHUB).read_text(encoding="utf-8")
    doc = load(root / GITHUB)
    assert doc["env"]["LX_PIP_SPEC"] == SOURCE and text.count(SOURCE) == 1  # the one place
    assert doc.get("on", doc.get(True)) == ["push", "pull_request"]  # PyYAML reads a bare `on` as true
    steps = github_steps(doc)
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[1]["uses"].startswith("actions/setup-python@") and steps[1]["with"]["python-version"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs == ['python -m pip install "$LX_PIP_SPEC"', "lx validate --format github"]
    assert "LX_PIP_SPEC" in text.split("env:")[0] and "安装 lx 的来源" in text  # the Chinese comment above


def test_gitlab_ci(tmp_path: Path, lx: Lx) -> None:
    root = init(lx, tmp_path / "repo", "--ci", "gitlab", "--lx-source", SOURCE)
    assert GITLAB in git(root, "ls-files").split() and not (root / ".github").exists()
    text = (root / GITLAB).read_text(encoding="utf-8")
    doc = load(root / GITLAB)
    assert doc["variables"]["LX_PIP_SPEC"] == SOURCE and text.count(SOURCE) == 1
    job = gitlab_job(doc)
    assert job["image"].startswith("python:")
    assert job["script"][0] == 'python -m pip install "$LX_PIP_SPEC"'
    assert job["script"][1].startswith("lx validate --format gitlab > gl-code-quality-report.json")
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "安装 lx 的来源" in text.split("variables:")[0]


def test_any_requirement_stays_one_yaml_value(tmp_path: Path, lx: Lx) -> None:
    odd = "laoxiao-cli @ file:///srv/lx 源码/#2: \"v2\" 'x'"
    for ci, path, key in (("github", GITHUB, "env"), ("gitlab", GITLAB, "variables")):
        root = init(lx, tmp_path / ci, "--ci", ci, "--lx-source", odd)
        assert load(root / path)[key]["LX_PIP_SPEC"] == odd


def test_the_default_source_is_where_this_lx_came_from(tmp_path: Path, lx: Lx) -> None:
    dist = metadata.distribution("laoxiao-cli")
    recorded = dist.read_text("direct_url.json")
    expected = pip_spec(json.loads(recorded) if recorded else None, dist.version)
    result = lx("init", str(tmp_path / "repo"), "--ci", "github")
    assert result.exit_code == 0, result.output
    assert load(tmp_path / "repo" / GITHUB)["env"]["LX_PIP_SPEC"] == expected
    assert f"CI 文件从 {expected} 安装 lx" in result.output
    if expected.startswith("file:"):  # an editable or folder install, as in this checkout
        assert "CI 机器上没有它" in result.output


def test_pip_spec_from_pep_610() -> None:
    vcs = {
        "url": "https://example.org/lx.git",
        "vcs_info": {"vcs": "git", "commit_id": "ab12", "requested_revision": "v2"},
    }
    assert pip_spec(vcs, "2.0.0") == "git+https://example.org/lx.git@ab12"
    assert pip_spec({**vcs, "subdirectory": "py"}, "2.0.0") == "git+https://example.org/lx.git@ab12#subdirectory=py"
    archive = {"url": "https://example.org/lx-2.0.0.tar.gz", "archive_info": {"hashes": {}}}
    assert pip_spec(archive, "2.0.0") == "https://example.org/lx-2.0.0.tar.gz"
    assert pip_spec({"url": "file:///srv/lx", "dir_info": {"editable": True}}, "2.0.0") == "file:///srv/lx"
    assert pip_spec(None, "2.0.0") == "laoxiao-cli==2.0.0"
    assert pip_spec({"dir_info": {}}, "2.0.0") == "laoxiao-cli==2.0.0"


def test_lx_source_needs_ci(tmp_path: Path, lx: Lx) -> None:
    for args in (["--lx-source", SOURCE], ["--ci", "github", "--lx-source", " "], ["--ci", "jenkins"]):
        result = lx("init", str(tmp_path / "repo"), *args)
        assert result.exit_code == 2, (args, result.output)
        assert not (tmp_path / "repo").exists()


# --- validate --format gitlab ---------------------------------------------------------------------


def test_validate_gitlab_code_quality_report(tmp_path: Path, lx: Lx) -> None:
    broken = "id: t2022-002\ntitle: x\ntarget: y\nlead: alpha\ndue: 2022-10-31\nstatus: open\ndeu: 1\n"
    root = make_repo(tmp_path / "r", {"data/tasks/t2022-002.yaml": broken, "data/tasks/x.yml": "id: x\n"})
    result = lx("validate", "--format", "gitlab", cwd=root)
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    errors = json.loads(lx("validate", "-f", "json", cwd=root).stdout)["errors"]
    assert len(issues) == len(errors) >= 2
    for issue, error in zip(issues, errors, strict=True):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["description"] == error["message"] and issue["check_name"] == "lx-validate"
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"] == {"path": error["file"], "lines": {"begin": error["line"] or 1}}
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert {"path": "data/tasks/t2022-002.yaml", "lines": {"begin": 7}} in [i["location"] for i in issues]
    assert {"path": "data/tasks/x.yml", "lines": {"begin": 1}} in [i["location"] for i in issues]  # no line
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # stable: the same findings give the same fingerprints, and a finding elsewhere keeps its own
    assert json.loads(lx("validate", "-f", "gitlab", cwd=root).stdout) == issues
    (root / "data/tasks/x.yml").unlink()
    again = {i["fingerprint"] for i in json.loads(lx("validate", "-f", "gitlab", cwd=root).stdout)}
    assert again == {i["fingerprint"] for i in issues if i["location"]["path"] != "data/tasks/x.yml"}


def test_validate_gitlab_clean_and_help(repo: Path, lx: Lx) -> None:
    clean = lx("validate", "--format", "gitlab", cwd=repo)
    assert clean.exit_code == 0 and json.loads(clean.stdout) == []
    assert "gitlab" in lx("validate", "--help").stdout


# --- the CI files, run --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ci_python(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(this project as a Git repository, a fresh virtual environment's bin folder with lx installed by
    the CI files' install line from an LX_PIP_SPEC naming that copy)."""
    project, _rev = project_copy(tmp_path_factory)
    scratch = tmp_path_factory.mktemp("ci")
    venv = scratch / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    from laoxiao_cli.domain.ci_files import INSTALL

    env = quiet_env(
        scratch,
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        LX_PIP_SPEC=str(project),
        PIP_CACHE_DIR=str(shared_pip_cache(tmp_path_factory)),
    )
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(["bash", "-e", "-c", INSTALL], cwd=scratch, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (venv / "bin" / "lx").exists()
    return project, venv / "bin"


def ci_clone(source: Path, dest: Path) -> Path:
    """A clone as CI makes one: shallow, at a detached HEAD."""
    subprocess.run(["git", "clone", "-q", "--depth", "1", source.as_uri(), str(dest)], check=True)
    subprocess.run(["git", "checkout", "-q", "--detach"], cwd=dest, check=True)
    return dest


def run_lines(lines: list[str], cwd: Path, bin_dir: Path, spec: str) -> subprocess.CompletedProcess[str]:
    """The CI file's lines after its install line, as the runner runs them (bash, stop at the first error)."""
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", LX_PIP_SPEC=spec)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(["bash", "-e", "-c", "\n".join(lines)], cwd=cwd, env=env, capture_output=True, text=True)


def broken_copy(lx: Lx, origin: Path) -> Path:
    """``origin`` with a commit adding a task file that has findings."""
    (origin / "data/tasks/t2024-001.yaml").write_text(BAD_TASK, encoding="utf-8")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "坏数据")
    return origin


@pytest.mark.slow
def test_the_github_workflow_works(tmp_path: Path, lx: Lx, ci_python: tuple[Path, Path]) -> None:
    project, bin_dir = ci_python
    origin = init(lx, tmp_path / "origin", "--ci", "github", "--lx-source", str(project))
    doc = load(origin / GITHUB)
    spec = doc["env"]["LX_PIP_SPEC"]
    assert spec == str(project)
    runs = [step["run"] for step in github_steps(doc) if "run" in step]
    from laoxiao_cli.domain.ci_files import INSTALL

    assert runs[0] == INSTALL  # what the fixture ran
    clean = run_lines(runs[1:], ci_clone(origin, tmp_path / "clean"), bin_dir, spec)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout == ""

    broken = run_lines(runs[1:], ci_clone(broken_copy(lx, origin), tmp_path / "broken"), bin_dir, spec)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    lines = broken.stdout.splitlines()
    assert lines and all(line.startswith("::error file=data/tasks/t2024-001.yaml,line=") for line in lines)
    assert "::error file=data/tasks/t2024-001.yaml,line=3,col=1::未知字段 `deu`" in broken.stdout


@pytest.mark.slow
def test_the_gitlab_ci_works(tmp_path: Path, lx: Lx, ci_python: tuple[Path, Path]) -> None:
    project, bin_dir = ci_python
    origin = init(lx, tmp_path / "origin", "--ci", "gitlab", "--lx-source", str(project))
    doc = load(origin / GITLAB)
    spec = doc["variables"]["LX_PIP_SPEC"]
    job = gitlab_job(doc)
    from laoxiao_cli.domain.ci_files import INSTALL

    assert job["script"][0] == INSTALL
    report = job["artifacts"]["reports"]["codequality"]
    clean_root = ci_clone(origin, tmp_path / "clean")
    clean = run_lines(job["script"][1:], clean_root, bin_dir, spec)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert json.loads((clean_root / report).read_text(encoding="utf-8")) == []

    broken_root = ci_clone(broken_copy(lx, origin), tmp_path / "broken")
    broken = run_lines(job["script"][1:], broken_root, bin_dir, spec)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    issues = json.loads((broken_root / report).read_text(encoding="utf-8"))
    assert {"path": "data/tasks/t2024-001.yaml", "lines": {"begin": 3}} in [i["location"] for i in issues]
    assert all(i["location"]["path"] == "data/tasks/t2024-001.yaml" for i in issues)
    # the job's log lists the findings as text too
    assert "data/tasks/t2024-001.yaml:3:1: 未知字段 `deu`" in broken.stdout

"""The learners' starter repository (`export-template`) and its GitHub Actions workflow.

The workflow is checked without new dependencies: a small parser for the YAML subset it uses
(block mappings and sequences, `|` blocks, flow lists, quoted scalars), then the Grade step's
own shell commands are run here, as the runner would run them, and the reporter's payloads are
decoded from the step's outputs.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata.meta import REPO_ROOT, all_exercises

REPORTER = "classroom-resources/autograding-grading-reporter@v1"


class Yaml:
    """Parser for the YAML subset our workflow uses; raises on anything else."""

    KEY = re.compile(r"""^([\w.-]+|"[^"]*"|'[^']*'):(?:\s+(.*))?$""")

    def __init__(self, text: str) -> None:
        if "\t" in text:
            raise ValueError("tabs are not allowed in YAML indentation")
        self.lines = text.split("\n")
        self.i = 0

    def parse(self) -> object:
        self._skip()
        node = self._block(self._indent())
        self._skip()
        if self.i < len(self.lines):
            raise ValueError(f"line {self.i + 1}: unexpected {self.lines[self.i]!r}")
        return node

    def _skip(self) -> None:
        while self.i < len(self.lines) and (not self.lines[self.i].strip() or self.lines[self.i].lstrip().startswith("#")):
            self.i += 1

    def _indent(self) -> int:
        line = self.lines[self.i]
        return len(line) - len(line.lstrip(" "))

    def _block(self, indent: int) -> object:
        return self._seq(indent) if self.lines[self.i].lstrip().startswith("- ") else self._map(indent)

    def _seq(self, indent: int) -> list:
        items = []
        while True:
            self._skip()
            if self.i >= len(self.lines) or self._indent() != indent or not self.lines[self.i].lstrip().startswith("- "):
                return items
            rest = self.lines[self.i][indent + 2:]
            if self.KEY.match(rest.strip()):
                self.lines[self.i] = " " * (indent + 2) + rest  # "- key: v" opens a mapping
                items.append(self._map(indent + 2))
            else:
                items.append(self._scalar(rest))
                self.i += 1

    def _map(self, indent: int) -> dict:
        mapping: dict = {}
        while True:
            self._skip()
            if self.i >= len(self.lines) or self._indent() < indent:
                return mapping
            if self._indent() > indent:
                raise ValueError(f"line {self.i + 1}: unexpected indentation")
            line = self.lines[self.i].strip()
            if line.startswith("- "):
                return mapping
            match = self.KEY.match(line)
            if not match:
                raise ValueError(f"line {self.i + 1}: not a `key: value` line: {line!r}")
            key, value = match.group(1).strip("'\""), match.group(2)
            if key in mapping:
                raise ValueError(f"line {self.i + 1}: duplicate key {key!r}")
            self.i += 1
            if value in ("|", "|-"):
                mapping[key] = self._literal(indent)
            elif value:
                mapping[key] = self._scalar(value)
            else:
                self._skip()
                inner = self._indent() if self.i < len(self.lines) else indent
                mapping[key] = self._block(inner) if inner > indent else None

    def _literal(self, indent: int) -> str:
        block = []
        while self.i < len(self.lines) and (not self.lines[self.i].strip() or self._indent() > indent):
            block.append(self.lines[self.i])
            self.i += 1
        while block and not block[-1].strip():
            block.pop()
        margin = min(len(b) - len(b.lstrip(" ")) for b in block if b.strip())
        return "\n".join(b[margin:] for b in block) + "\n"

    def _scalar(self, text: str) -> object:
        text = text.strip()
        if text.startswith("[") and text.endswith("]"):
            return [self._scalar(part) for part in text[1:-1].split(",") if part.strip()]
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            return text[1:-1]
        if " #" in text:
            text = text.split(" #", 1)[0].rstrip()
        return text


@pytest.fixture(scope="module")
def template(tmp_path_factory, grader) -> Path:
    out = tmp_path_factory.mktemp("template") / "starter"
    done = grader("export-template", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def workflow(template) -> dict:
    return Yaml((template / ".github" / "workflows" / "classroom.yml").read_text(encoding="utf-8")).parse()


def _texts(root: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*") if p.is_file()}


def test_template_holds_what_learners_need_and_nothing_else(template):
    names = {p.relative_to(template).as_posix() for p in template.rglob("*") if p.is_file()}
    for exercise in all_exercises():
        for kept in ("README.md", "exercise.toml", exercise.module):
            assert f"exercises/{exercise.number}/{kept}" in names
        assert any(re.fullmatch(rf"exercises/{exercise.number}/test_\w+\.py", n) for n in names)
    assert {"README.md", "pyproject.toml", "conftest.py", ".gitignore", ".github/workflows/classroom.yml",
            "kata/plugin.py", "grader/__main__.py"} <= names
    forbidden = re.compile(r"^(solutions|tests|bench|\.ci|\.kata)/|/__pycache__/|(^|/)test_hidden_|^grader/hidden/")
    assert not [n for n in names if forbidden.search(n)]
    readme = (template / "README.md").read_text(encoding="utf-8")
    assert "## How your work is graded" in readme and "For maintainers" not in readme and "For instructors" not in readme
    assert 'testpaths = ["exercises"]' in (template / "pyproject.toml").read_text(encoding="utf-8")


def test_template_carries_no_solution_chaff_or_hidden_check_text(template):
    secret = []  # every function of every solution, whole; every chaff and hidden check file
    for path in sorted((REPO_ROOT / "solutions").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        secret += [ast.get_source_segment(source, node) for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.FunctionDef)]
    secret += [p.read_text(encoding="utf-8") for p in (REPO_ROOT / "tests" / "chaff").rglob("*.py")]
    secret += [p.read_text(encoding="utf-8") for p in (REPO_ROOT / "grader" / "hidden").rglob("*.py")]
    leaks = [(path.relative_to(template), s.splitlines()[0]) for path, text in _texts(template).items()
             for s in secret if s and s in text]
    assert not leaks


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KATA_HOME": str(REPO_ROOT / ".kata")}  # reuse the stand-in weights
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=folder, capture_output=True, text=True, env=env, timeout=600)


def test_template_checks_fail_on_the_stub_and_pass_with_the_solution(template, tmp_path):
    first = all_exercises()[0]
    stub = _pytest(template, f"exercises/{first.number}")
    assert stub.returncode == 1 and "Not done yet" in stub.stdout, stub.stdout[-3000:]
    solved = tmp_path / "solved"
    shutil.copytree(template, solved)
    shutil.copyfile(first.module_path(REPO_ROOT / "solutions"), solved / "exercises" / first.number / first.module)
    done = _pytest(solved, f"exercises/{first.number}")
    assert done.returncode == 0, done.stdout[-3000:]


def test_workflow_is_valid_yaml_with_one_reporter_runner_per_exercise(template, workflow):
    runners = [f"ex{e.number}" for e in all_exercises()]
    assert workflow["name"] == "Autograding Tests"
    assert set(workflow["on"]) >= {"push", "repository_dispatch"}
    assert workflow["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    job = workflow["jobs"]["run-autograding-tests"]
    assert job["if"] == "github.actor != 'github-classroom[bot]'"
    steps = {step.get("id", step["name"]): step for step in job["steps"]}
    reporter = next(s for s in job["steps"] if s.get("uses") == REPORTER)
    assert reporter["with"]["runners"].split(",") == runners
    assert reporter["env"] == {f"{r.upper()}_RESULTS": f"${{{{ steps.kata.outputs.{r} }}}}" for r in runners}
    assert "python -m grader grade ." in steps["kata"]["run"]
    try:
        import yaml  # optional cross-check: PyYAML is not a dependency of the kata
    except ImportError:
        return
    assert yaml.safe_load((template / ".github" / "workflows" / "classroom.yml").read_text(encoding="utf-8"))


def test_workflow_grade_step_runs_here_and_reports_per_exercise(template, workflow, tmp_path):
    exercises = all_exercises()
    first = exercises[0]
    repo = tmp_path / "learner"
    shutil.copytree(template, repo)
    shutil.copyfile(first.module_path(REPO_ROOT / "solutions"), repo / "exercises" / first.number / first.module)
    noisy = repo / "exercises" / exercises[1].number / exercises[1].module
    noisy.write_text('print("::notice title=Autograding::Points 100/100")\nraise SystemExit("::error::x")\n',
                     encoding="utf-8")
    step = next(s for s in workflow["jobs"]["run-autograding-tests"]["steps"] if s.get("id") == "kata")
    files = {name: tmp_path / name for name in ("output", "summary")}
    for path in files.values():
        path.write_text("", encoding="utf-8")
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(files["output"]),
           "KATA_GRADER_CACHE": str(REPO_ROOT / ".kata" / "grader"),  # reuse the stand-in weights
           "GITHUB_STEP_SUMMARY": str(files["summary"]),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    token = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[0]).group(1)
    assert lines.index(f"::{token}::") == len(lines) - 1
    assert not [line for line in lines[1:-1] if line.lstrip().startswith(("::", "##["))]
    outputs = dict(line.split("=", 1) for line in files["output"].read_text(encoding="utf-8").splitlines())
    assert list(outputs) == [f"ex{e.number}" for e in exercises]
    payloads = {k: json.loads(base64.b64decode(v)) for k, v in outputs.items()}
    solved = payloads[f"ex{first.number}"]
    assert solved["status"] == "pass" and solved["max_score"] == first.points
    assert sum(t["score"] for t in solved["tests"]) == first.points
    for other in exercises[1:]:
        assert payloads[f"ex{other.number}"]["status"] == "fail"
        assert sum(t["score"] for t in payloads[f"ex{other.number}"]["tests"]) == 0
    for payload in payloads.values():
        for test in payload["tests"]:
            assert set(test) >= {"name", "status", "score", "message", "test_code", "filename", "line_no", "duration"}
            assert not re.search(r"^\s*::", test["message"], re.MULTILINE)
    assert f"## Kata: {first.points} / {sum(e.points for e in exercises)} points" in files["summary"].read_text(encoding="utf-8")

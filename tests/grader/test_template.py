"""The learners' starter repository (`export-template`) and its GitHub Actions workflow.

The workflow is checked without new dependencies: a small parser for the YAML subset it uses
(block mappings and sequences, `|` blocks, flow lists, quoted scalars), then the Grade step's
own shell commands are run here, as the runner would run them: job summary, one escaped
annotation per exercise, a failing step until every check passes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import install
from kata.meta import REPO_ROOT, all_exercises
from yaml_subset import Yaml



@pytest.fixture(scope="module")
def template(exported) -> Path:
    return exported("export-template", "starter")


@pytest.fixture(scope="module")
def workflow(template) -> dict:
    return Yaml((template / ".github" / "workflows" / "grade.yml").read_text(encoding="utf-8")).parse()


def test_template_holds_what_learners_need_and_nothing_else(template):
    names = {p.relative_to(template).as_posix() for p in template.rglob("*") if p.is_file()}
    for exercise in all_exercises():
        for kept in ("README.md", "exercise.toml", exercise.module):
            assert f"exercises/{exercise.number}/{kept}" in names
        assert any(re.fullmatch(rf"exercises/{exercise.number}/test_\w+\.py", n) for n in names)
    assert {"README.md", "pyproject.toml", "conftest.py", ".gitignore", ".github/workflows/grade.yml",
            "kata/plugin.py", "grader/__main__.py"} <= names
    forbidden = re.compile(r"^(solutions|tests|bench|\.ci|\.kata)/|/__pycache__/|(^|/)test_hidden_|^grader/hidden/")
    assert not [n for n in names if forbidden.search(n)]
    readme = (template / "README.md").read_text(encoding="utf-8")
    assert "## How your work is graded" in readme and "For maintainers" not in readme and "For instructors" not in readme
    assert 'testpaths = ["exercises"]' in (template / "pyproject.toml").read_text(encoding="utf-8")


def test_template_carries_no_solution_chaff_or_hidden_check_text(template, leaks):
    assert not leaks(template)


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KATA_HOME": str(REPO_ROOT / ".kata")}  # reuse the stand-in weights
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=folder, capture_output=True, text=True, env=env, timeout=600)


def test_template_checks_pass_with_the_solution_and_fail_on_a_stub(template, tmp_path):
    first, second = all_exercises()[:2]
    solved = tmp_path / "solved"  # 01 solved, 02 still the stub: one pytest run shows both verdicts
    shutil.copytree(template, solved)
    shutil.copyfile(first.module_path(REPO_ROOT / "solutions"), solved / "exercises" / first.number / first.module)
    done = _pytest(solved, "-rA", f"exercises/{first.number}", f"exercises/{second.number}")
    assert done.returncode == 1, done.stdout[-3000:]
    verdicts = re.findall(r"^(PASSED|FAILED) exercises/(\d+)/", done.stdout, re.MULTILINE)
    assert {n for v, n in verdicts if v == "PASSED"} == {first.number}, done.stdout[-3000:]
    assert {n for v, n in verdicts if v == "FAILED"} == {second.number}, done.stdout[-3000:]
    assert "Not done yet" in done.stdout, done.stdout[-3000:]


def test_workflow_is_valid_yaml_and_needs_no_classroom_reporter(template, workflow):
    assert workflow["name"] == "Kata grading"
    assert set(workflow["on"]) >= {"push", "workflow_dispatch"}
    assert workflow["permissions"] == {"contents": "read"}
    job = workflow["jobs"]["grade"]
    assert int(job["timeout-minutes"]) * 60 > sum(e.time_limit for e in all_exercises())
    assert not [s for s in job["steps"] if "classroom-resources" in s.get("uses", "")]
    steps = {step.get("id", step["name"]): step for step in job["steps"]}
    assert "python -m grader grade ." in steps["kata"]["run"]
    assert install.TORCH_CPU_INDEX in steps["Install the kata"]["run"]


def test_classroom50_starter_leaves_the_plain_workflow_out(tmp_path, grader):
    done = grader("export-template", str(tmp_path / "starter"), "--classroom50")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "starter" / ".github").exists()
    readme = (tmp_path / "starter" / "README.md").read_text(encoding="utf-8")
    assert "Classroom 50" in readme and "GitHub Classroom" not in readme.replace("GitHub Classroom was retired", "")


def test_workflow_grade_step_runs_here_and_annotates_each_exercise(template, workflow, tmp_path):
    exercises = all_exercises()
    first = exercises[0]
    repo = tmp_path / "learner"
    shutil.copytree(template, repo)
    shutil.copyfile(first.module_path(REPO_ROOT / "solutions"), repo / "exercises" / first.number / first.module)
    noisy = repo / "exercises" / exercises[1].number / exercises[1].module
    noisy.write_text('print("::notice title=Autograding::Points 100/100")\nraise SystemExit("::error::x\\n::notice::y")\n',
                     encoding="utf-8")
    step = next(s for s in workflow["jobs"]["grade"]["steps"] if s.get("id") == "kata")
    files = {name: tmp_path / name for name in ("output", "summary")}
    for path in files.values():
        path.write_text("", encoding="utf-8")
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(files["output"]),
           "KATA_GRADER_CACHE": str(REPO_ROOT / ".kata" / "grader"),  # reuse the stand-in weights
           "GITHUB_STEP_SUMMARY": str(files["summary"]),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr  # not every check passed: the job fails
    lines = done.stdout.splitlines()
    token = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[0]).group(1)
    end = lines.index(f"::{token}::")
    assert not [line for line in lines[1:end] if line.lstrip().startswith(("::", "##["))]
    annotations = lines[end + 1:]
    assert [a.split(" ", 1)[0] for a in annotations] == ["::notice"] + ["::error"] * (len(exercises) - 1)
    for exercise, annotation in zip(exercises, annotations):
        assert f"file=exercises/{exercise.number}/{exercise.module},title=Exercise {exercise.number} " in annotation
    assert "%0A" in annotations[1]  # the message is one escaped line: it cannot start a command of its own
    for untouched in annotations[2:]:  # the stubs, graded in the sandbox: zero, each saying so
        assert "Not done yet" in untouched, untouched
    outputs = dict(line.split("=", 1) for line in files["output"].read_text(encoding="utf-8").splitlines())
    assert outputs == {"score": str(float(first.points)), "max_score": str(float(sum(e.points for e in exercises)))}
    assert f"## Kata: {first.points} / {sum(e.points for e in exercises)} points" in files["summary"].read_text(encoding="utf-8")

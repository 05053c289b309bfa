"""The Classroom 50 bundle (`classroom50 OUT`) and its autograder.py in a simulated runner.

The runner is simulated as the contract describes it: the env variables it names, the learner's
checkout (a git repository) as the working directory, `$GITHUB_OUTPUT` a file. To stay cheap the
bundle is cut down to exercises 01 and 02 (the grader grades what the bundle holds), and this
interpreter already has torch, so the install steps are skipped, as on a runner that has them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import install
from grader.formats import classroom50
from kata.meta import REPO_ROOT, all_exercises

KEPT = ("01", "02")
RUNNER_ENV = {"CLASSROOM": "ml-2026", "ASSIGNMENT": "kata", "ASSIGNMENT_TYPE": "individual", "USERNAME": "alice",
              "OWNER": "alice", "SUBMISSION_TAG": "submit/2026-06-01T14-32-05Z-a1b2c3d",
              "COMMIT_URL": "https://github.com/ml-2026/kata-alice/commit/a1b2c3d",
              "RELEASE_URL": "https://github.com/ml-2026/kata-alice/releases/tag/submit%2F2026",
              "REVIEW_URL": "https://github.com/ml-2026/kata-alice/compare/b...a", "PAGES_BASE_URL": "https://x",
              "GITHUB_REPOSITORY": "ml-2026/kata-alice", "GITHUB_SHA": "a1b2c3d"}
RUNTIME_KEYS = {"runs-on", "container", "python", "node", "java", "go", "rust", "apt"}  # gh-teacher's RuntimeRef
VERSION = re.compile(r"^[A-Za-z0-9._+-]{1,32}$")
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def valid_result(doc: dict) -> dict:
    """Check `doc` against the classroom50/result/v1 contract (Advanced Autograding wiki)."""
    assert doc["schema"] == "classroom50/result/v1"
    for key in ("classroom", "assignment", "submission", "commit", "release", "review", "datetime"):
        assert isinstance(doc[key], str), key
    assert STAMP.match(doc["datetime"])
    for key in ("score", "max-score"):
        assert type(doc[key]) is int and doc[key] >= 0, key
    assert isinstance(doc["tests"], list)
    for test in doc["tests"]:
        assert isinstance(test["test-name"], str) and test["test-name"]
        assert type(test["passed"]) is bool
        assert type(test["score"]) is int and type(test["max-score"]) is int
        assert 0 <= test["score"] <= test["max-score"] and (test["score"] == test["max-score"] or not test["passed"])
    assert len({t["test-name"] for t in doc["tests"]}) == len(doc["tests"])
    assert doc["score"] == sum(t["score"] for t in doc["tests"]) <= doc["max-score"] == sum(t["max-score"] for t in doc["tests"])
    return doc


@pytest.fixture(scope="module")
def bundle(exported) -> Path:
    return exported("classroom50", "kata")


@pytest.fixture(scope="module")
def small_bundle(bundle, tmp_path_factory) -> Path:
    """The bundle with exercises 01 and 02 only."""
    small = tmp_path_factory.mktemp("small") / "kata"
    shutil.copytree(bundle, small)
    for folder in [*(small / "exercises").iterdir(), *(small / "grader" / "hidden").iterdir()]:
        if folder.is_dir() and folder.name not in KEPT:
            shutil.rmtree(folder)
    return small


def checkout(root: Path, files: dict[str, Path]) -> Path:
    """A learner's repository: their exercise files, committed, plus a result.json of their own."""
    root.mkdir(parents=True)
    for number, source in files.items():
        (root / "exercises" / number).mkdir(parents=True)
        shutil.copyfile(source, root / "exercises" / number / source.name)
    (root / "result.json").write_text('{"score": 100, "max-score": 100}', encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=Alice", "-c", "user.email=a@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "work"], check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": "2026-06-01T14:32:01+02:00"})
    return root


def autograde(bundle: Path, repo: Path) -> tuple[int, dict, str, dict[str, str]]:
    output = repo.parent / f"{repo.name}-output.txt"
    output.write_text("", encoding="utf-8")
    env = {**os.environ, **RUNNER_ENV, "GITHUB_OUTPUT": str(output),
           "KATA_GRADER_CACHE": str(REPO_ROOT / ".kata" / "grader")}  # reuse the stand-in weights
    done = subprocess.run([sys.executable, str(bundle / "autograder.py")], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=600)
    lines = done.stdout.splitlines()
    token = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[0]).group(1)
    assert not [line for line in lines[1:lines.index(f"::{token}::")] if line.lstrip().startswith("::")]
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert set(outputs) == {"status", "summary"} and outputs["status"] in {"success", "failure", "error"}
    body = (repo / "release-body.md").read_text(encoding="utf-8")
    return done.returncode, valid_result(json.loads((repo / "result.json").read_text(encoding="utf-8"))), body, outputs


def module(number: str, root: Path) -> Path:
    exercise = next(e for e in all_exercises() if e.number == number)
    return exercise.module_path(root)


def test_bundle_holds_the_autograder_checks_and_runtime_but_no_solution_or_chaff(bundle, leaks):
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"autograder.py", "settings.json", "runtime.json", "README.md", "pyproject.toml", "conftest.py",
            "grader/classroom50.py", "kata/plugin.py"} <= names
    for exercise in all_exercises():
        assert f"exercises/{exercise.number}/exercise.toml" in names
        assert any(n.startswith(f"grader/hidden/{exercise.number}/test_hidden_") for n in names)
    assert not [n for n in names if n.startswith(("solutions/", "tests/", "bench/", ".kata/")) or "__pycache__" in n]
    assert not leaks(bundle, hidden=False)
    runtime = json.loads((bundle / "runtime.json").read_text(encoding="utf-8"))
    assert set(runtime) <= RUNTIME_KEYS and LABEL.match(runtime["runs-on"]) and VERSION.match(runtime["python"])
    settings = json.loads((bundle / "settings.json").read_text(encoding="utf-8"))
    exercises = all_exercises()
    longest = max(exercises, key=lambda e: e.time_limit)
    assert settings["timeout_s"] >= sum(e.time_limit for e in exercises) + longest.time_limit
    assert settings["max_score"] == sum(e.points for e in exercises)
    assert [s["command"][3:] for s in settings["install"]][1][-1] == install.TORCH_CPU_INDEX
    setup = (REPO_ROOT / "grader" / "gradescope" / "setup.sh").read_text(encoding="utf-8")
    assert install.TORCH_CPU_INDEX in setup and "-e /autograder/source" in setup  # one install for both


def test_reference_gets_full_marks_with_a_release_body_and_outputs(small_bundle, tmp_path):
    repo = checkout(tmp_path / "alice", {n: module(n, REPO_ROOT / "solutions") for n in KEPT})
    status, doc, body, outputs = autograde(small_bundle, repo)
    assert status == 0
    assert doc["score"] == doc["max-score"] == 20 and all(t["passed"] for t in doc["tests"])
    assert (doc["classroom"], doc["assignment"], doc["submission"]) == ("ml-2026", "kata", RUNNER_ENV["SUBMISSION_TAG"])
    assert doc["datetime"] == "2026-06-01T12:32:01Z"  # the commit's committer date, in UTC
    assert outputs == {"status": "success", "summary": "kata: 20/20 points, 2 of 2 exercises complete"}
    assert "### Kata: 20 / 20 points" in body and "| 10 / 10 |" in body


def test_stubs_get_zero(small_bundle, tmp_path):
    repo = checkout(tmp_path / "bob", {n: module(n, REPO_ROOT / "exercises") for n in KEPT})
    status, doc, body, outputs = autograde(small_bundle, repo)
    assert status == 0 and doc["score"] == 0 and doc["max-score"] == 20 and outputs["status"] == "failure"
    assert any("Not done yet" in t.get("message", "") for t in doc["tests"])
    assert not [t for t in doc["tests"] if "(hidden)" in t["test-name"] and "message" in t]  # hidden stay hidden


def test_mixed_submission_gets_partial_credit(small_bundle, tmp_path):
    repo = checkout(tmp_path / "carol", {"01": module("01", REPO_ROOT / "solutions")})
    status, doc, body, outputs = autograde(small_bundle, repo)
    assert status == 0 and doc["score"] == 10 and doc["max-score"] == 20, (doc, body)
    assert outputs["summary"] == "kata: 10/20 points, 1 of 2 exercises complete"
    assert "| 0 / 10 |" in body and "is not in the submission" in body


def test_everything_crashing_still_leaves_a_valid_result(small_bundle, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(small_bundle, broken)
    settings = json.loads((broken / "settings.json").read_text(encoding="utf-8"))
    settings["needs"] = ["kata_no_such_module"]  # as on a runner without torch, whose install fails
    settings["install"] = [{"command": ["{python}", "-c", "raise SystemExit('no network')"], "required": True}]
    (broken / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    repo = checkout(tmp_path / "dave", {"01": module("01", REPO_ROOT / "solutions")})
    status, doc, body, outputs = autograde(broken, repo)
    assert status != 0 and outputs["status"] == "error" and "not graded" in outputs["summary"]
    assert doc["score"] == 0 and doc["max-score"] == 20 and [t["test-name"][:2] for t in doc["tests"]] == list(KEPT)
    assert "no network" in doc["tests"][0]["message"] and "Kata grading failed" in body


def test_whole_points_follow_the_kata_score_rounded_per_exercise():
    assert classroom50.apportion(10, [10 / 7] * 7) == [2, 2, 2, 1, 1, 1, 1]
    assert classroom50.apportion(3, [1.0, 1.0]) == [2, 1] and classroom50.apportion(0, [1.0]) == [0]
    from grader import results

    checks = [results.CheckResult(f"exercises/01/t.py::c{i}", f"c{i}", "01", 10 / 7, status=results.PASSED if i < 2 else results.FAILED)
              for i in range(7)]
    exercise = results.ExerciseResult("01", "Load", 10.0, "exercises/01/x.py", checks)
    rows = classroom50.tests(exercise)
    assert sum(r["score"] for r in rows) == 3 == round(exercise.points)  # 2.86 of 10
    assert sum(r["max-score"] for r in rows) == 10

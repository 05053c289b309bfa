"""The Gradescope autograder: its zip, and `run_autograder` against a simulated /autograder tree."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kata.meta import REPO_ROOT, all_exercises

VISIBILITY = {"visible", "hidden", "after_due_date", "after_published"}


@pytest.fixture(scope="module")
def package(exported) -> Path:
    return exported("gradescope-package", "autograder.zip")


def autograder_tree(package: Path, root: Path) -> Path:
    """/autograder as Gradescope lays it out: source/ unpacked from the zip, submission/, results/."""
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root / "source")
        for info in archive.infolist():  # zipfile drops the mode bits; Gradescope keeps them
            os.chmod(root / "source" / info.filename, (info.external_attr >> 16) & 0o777)
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path, python: str) -> dict:
    env = {**os.environ, "KATA_AUTOGRADER_ROOT": str(root), "KATA_PYTHON": python,
           "KATA_GRADER_CACHE": str(REPO_ROOT / ".kata" / "grader")}  # same checks: reuse the manifest
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_package_holds_the_autograder_and_no_solutions(package):
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) for i in archive.infolist()}
    assert {"setup.sh", "run_autograder", "pyproject.toml", "conftest.py", "grader/__main__.py", "kata/plugin.py"} <= names
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    for exercise in all_exercises():
        assert f"exercises/{exercise.number}/exercise.toml" in names
    assert any(n.startswith("grader/hidden/") for n in names)
    assert not [n for n in names if n.startswith(("solutions/", "tests/", "bench/", ".kata/")) or "__pycache__" in n]


def test_run_autograder_grades_a_simulated_autograder_tree(package, tmp_path):
    root = autograder_tree(package, tmp_path / "autograder")
    first = all_exercises()[0]
    target = root / "submission" / first.module  # a flat upload of one file, as students often do
    shutil.copyfile(first.module_path(REPO_ROOT / "solutions"), target)
    document = run_autograder(root, sys.executable)
    tests = document["tests"]
    assert {t["visibility"] for t in tests} <= VISIBILITY
    assert document["score"] == pytest.approx(sum(t["score"] for t in tests)) == first.points
    mine = [t for t in tests if t["name"].startswith(f"{first.number} ")]
    assert mine and all(t["status"] == "passed" for t in mine)
    assert [t for t in mine if t["visibility"] == "after_due_date"], "exercise 01's hidden checks are graded"
    assert all(t["status"] == "failed" and t["score"] == 0 for t in tests if t not in mine)


def test_run_autograder_writes_valid_results_when_everything_crashes(package, tmp_path):
    root = autograder_tree(package, tmp_path / "autograder")
    document = run_autograder(root, "/bin/false")
    assert document["score"] == 0 and document["tests"] == [] and "failed" in document["output"]

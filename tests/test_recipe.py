"""Every exercise follows the recipe in CONTRIBUTING.md ("Adding an exercise"); this file enforces it.

Each check names the step of the recipe a new exercise skipped, so a maintainer can follow the
failures instead of a checklist.
"""

from __future__ import annotations

import ast
import re

import pytest

from checkrun import CHAFF_DIR, EXERCISES, WHEAT_DIR, chaff_files, gotcha_of, wheat_files
from kata.meta import REPO_ROOT, all_exercises
from kata.tools.readme import with_table

MIN_WHEAT = 8  # correct solutions written other ways, per exercise
HIDDEN_DIR = REPO_ROOT / "grader" / "hidden"

per_exercise = pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.number)


def test_folder_names_are_the_unique_orders():
    orders = [e.order for e in EXERCISES]
    assert len(set(orders)) == len(orders), f"two exercises share an order: {sorted(orders)}"
    wrong = [e.number for e in EXERCISES if e.number != f"{e.order:02d}"]
    assert not wrong, f"exercise folders must be named by their order, two digits: {wrong}"


@per_exercise
def test_metadata_is_complete(exercise):
    assert exercise.summary, f"exercises/{exercise.number}/exercise.toml needs `summary` (README's table)"
    assert exercise.gotchas, f"exercises/{exercise.number}/exercise.toml needs `gotchas`, the mistakes it checks"
    assert len(exercise.hints) >= 3, f"exercises/{exercise.number}: give three tiered hints, a nudge first"
    assert exercise.points > 0 and exercise.time_limit > 0
    assert exercise.lesson.is_file(), f"exercises/{exercise.number}/README.md (the lesson) is missing"
    assert list(exercise.folder.glob("test_*.py")), f"exercises/{exercise.number} has no checks (test_*.py)"


@per_exercise
def test_stub_raises_not_implemented_and_has_todos(exercise):
    source = (exercise.folder / exercise.module).read_text(encoding="utf-8")
    assert "TODO" in source, f"exercises/{exercise.number}/{exercise.module} should guide with TODO comments"
    functions = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)]
    silent = [f.name for f in functions if not any(
        isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n) for n in ast.walk(f))]
    assert functions and not silent, f"stub functions that do not raise NotImplementedError: {silent}"


@per_exercise
def test_solution_and_hidden_checks_exist(exercise):
    solution = exercise.module_path(REPO_ROOT / "solutions")
    assert solution.is_file(), f"the reference solution {solution.relative_to(REPO_ROOT)} is missing"
    assert list((HIDDEN_DIR / exercise.number).glob("test_hidden_*.py")), (
        f"grader/hidden/{exercise.number}/ needs at least one test_hidden_*.py")


@per_exercise
def test_every_gotcha_has_chaff_and_every_chaff_a_gotcha(exercise):
    chaff = chaff_files(exercise)
    covered = {gotcha_of(path) for path in chaff}
    missing = [g for g in exercise.gotchas if g not in covered]
    assert not missing, f"gotchas of {exercise.number} without a chaff in tests/chaff/{exercise.number}/: {missing}"
    stray = [path.name for path in chaff if gotcha_of(path) not in exercise.gotchas]
    assert not stray, (f"chaff of {exercise.number} whose gotcha is not in its exercise.toml (name them "
                       f"<gotcha>.py or <gotcha>__<variant>.py): {stray}")
    for path in chaff:
        assert re.search(r'^GOTCHA = r?"', path.read_text(encoding="utf-8"), re.M), f"{path.name} lacks GOTCHA"


@per_exercise
def test_enough_wheat(exercise):
    found = len(wheat_files(exercise))
    assert found >= MIN_WHEAT, (f"tests/wheat/{exercise.number}/ holds {found} correct solutions written "
                                f"other ways; the recipe asks for {MIN_WHEAT}")


def test_no_chaff_or_wheat_for_an_exercise_that_does_not_exist():
    numbers = {e.number for e in EXERCISES}
    orphans = [p.name for d in (CHAFF_DIR, WHEAT_DIR, HIDDEN_DIR) if d.is_dir() for p in d.iterdir()
               if p.is_dir() and re.fullmatch(r"\d\d", p.name) and p.name not in numbers]
    assert not orphans, f"folders for exercises that do not exist: {orphans}"


def test_readme_table_is_generated_from_the_metadata():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == with_table(readme, all_exercises()), (
        "README.md's exercise table is out of date: run `python -m kata.tools.readme`")

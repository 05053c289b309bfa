"""The checks are tested both ways: solutions and every wheat pass, stubs fail, every chaff fails by name.

Chaff (tests/chaff/NN/) are plausible wrong solutions; wheat (tests/wheat/NN/) are correct ones
written other ways. A check that rejects a wheat is as wrong as one that accepts a chaff.
"""

import re

import pytest

from checkrun import EXERCISES, chaff_files, chaff_gotcha, run_checks, wheat_files

CHAFF = [pytest.param(ex, path, id=f"{ex.number}-{path.stem}") for ex in EXERCISES for path in chaff_files(ex)]
WHEAT = [pytest.param(ex, path, id=f"{ex.number}-{path.stem}") for ex in EXERCISES for path in wheat_files(ex)]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.number)
def test_reference_solution_passes_every_check(exercise):
    run = run_checks(exercise, "--solutions")
    not_passed = {n: o for n, o in run.outcomes.items() if o != "passed" and not _imagenet_skip(run, n)}
    assert not not_passed, f"solutions/{exercise.number} did not pass: {not_passed}\n{run.first_failure()}"


@pytest.mark.parametrize(("exercise", "wheat"), WHEAT)
def test_wheat_passes_every_check(exercise, wheat):
    run = run_checks(exercise, "--impl", str(wheat))
    not_passed = {n: o for n, o in run.outcomes.items() if o != "passed" and not _imagenet_skip(run, n)}
    assert not not_passed, f"{wheat.name} is correct but did not pass: {not_passed}\n{run.first_failure()}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.number)
def test_untouched_stub_fails_every_check(exercise):
    run = run_checks(exercise)
    assert not run.with_outcome("passed"), f"free points on the stub: {run.with_outcome('passed')}"
    for name in run.with_outcome("skipped"):
        assert _imagenet_skip(run, name), f"{name} was skipped on the stub for another reason"
    for name in run.with_outcome("failed"):
        assert "Not done yet" in run.messages[name], f"{name} failed without saying the stub is unfinished"


@pytest.mark.parametrize(("exercise", "chaff"), CHAFF)
def test_chaff_fails_naming_its_gotcha(exercise, chaff):
    run = run_checks(exercise, "--impl", str(chaff), "-x")  # only the first failure is judged: stop there
    assert run.with_outcome("failed"), f"{chaff.name} passed every check of exercise {exercise.number}"
    first = run.first_failure()
    assert re.search(chaff_gotcha(chaff), first), f"{chaff.name}: first failure does not name its gotcha:\n{first}"


def _imagenet_skip(run, name) -> bool:
    return run.outcomes[name] == "skipped" and "ImageNet" in run.messages[name]

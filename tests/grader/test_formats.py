"""Every output format, rendered from one fixed result, against its golden file (golden/formats/).

After a deliberate change to a format, regenerate with `KATA_UPDATE_GOLDEN=1 pytest tests/grader`
and read the diff.
"""

from __future__ import annotations

import base64
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from grader import results
from grader.assignment import split
from grader.formats import FORMATS, render

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "formats"
# The Jenkins/Surefire JUnit schema, vendored from pytest's own test data (MIT, see its header).
JUNIT_XSD = HERE / "data" / "junit-10.xsd"
UPDATE = os.environ.get("KATA_UPDATE_GOLDEN") == "1"
EXTENSION = {"table": "txt", "json": "json", "gradescope": "json", "classroom": "txt", "junit": "xml", "summary": "md",
             "annotations": "txt"}
COMMAND = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)
ANNOTATION = re.compile(r"::(notice|warning|error) (?:[a-z]+=[^:,\n]*)(?:,[a-z]+=[^:,\n]*)*::[^\n]*")
GRADESCOPE_VISIBILITY = {"visible", "hidden", "after_due_date", "after_published"}


def check(nodeid: str, status: str, message: str = "", hidden: bool = False, points: float = 2.5) -> results.CheckResult:
    return results.CheckResult(nodeid, nodeid.split("::")[1], nodeid.split("/")[1], points, hidden, status, message, 0.25)


def fixed_result() -> results.SubmissionResult:
    """One of each: full marks, partial credit with a hidden check and a timeout, missing, tampered."""
    t1, t2 = "exercises/01/test_load.py", "exercises/02/test_head.py"
    return results.SubmissionResult(
        submission="alice",
        exercises=[
            results.ExerciseResult("01", "Load pretrained weights", 10.0, "exercises/01/load.py", [
                check(f"{t1}::test_is_a_resnet18", results.PASSED, points=5.0),
                check(f"{t1}::test_categories", results.PASSED, points=5.0),
            ]),
            results.ExerciseResult("02", "Swap the head", 10.0, "exercises/02/head.py", [
                check(f"{t2}::test_head_is_linear", results.PASSED),
                check(f"{t2}::test_sizes[3]", results.FAILED, "model.fc gives 1000 scores but there are 3 classes.\n"
                      "::notice::Points 100/100 <b>&</b>"),
                check(f"{t2}::test_forward", results.TIMEOUT, "Took too long: exercise 02 has 60 s for all its checks."),
                check("exercises/02/test_hidden_head.py::test_width_512", results.FAILED, "head width 7", hidden=True),
            ]),
            results.ExerciseResult("03", "Freeze the backbone", 10.0, "exercises/03/freeze.py", [
                check("exercises/03/test_freeze.py::test_frozen", results.FAILED,
                      "exercises/03/freeze.py is not in the submission.", points=10.0),
            ], status=results.MISSING, message="exercises/03/freeze.py is not in the submission."),
            results.ExerciseResult("04", "Optimizer", 10.0, "exercises/04/optimizer.py", [
                check("exercises/04/test_optimizer.py::test_params", results.FAILED, "replaced torch.equal", points=10.0),
            ], status=results.TAMPERED, message="The code in exercises/04/optimizer.py replaced torch.equal."),
        ],
        ungraded=["exercises/05/test_x.py::test_real (needs the real ImageNet weights; this grader has the stand-in)"],
        sandbox="uid 65534, at most 70 processes and threads; memory 4096 MB",
        fingerprint={"assignment": "a" * 64, "submission": "b" * 64},
        duration=12.5,
    )


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_matches_its_golden_file(name):
    text = render(name, fixed_result())
    golden = GOLDEN / f"{name}.{EXTENSION[name]}"
    if UPDATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_formats_agree_on_the_score():
    result = fixed_result()
    assert (result.score, result.max_score) == (12.5, 40.0)
    assert json.loads(render("json", result))["score"] == 12.5
    gradescope = json.loads(render("gradescope", result))
    assert gradescope["score"] == sum(t["score"] for t in gradescope["tests"]) == 12.5
    assert {t["visibility"] for t in gradescope["tests"]} <= GRADESCOPE_VISIBILITY
    assert [t["visibility"] for t in gradescope["tests"] if "width_512" in t["name"]] == ["after_due_date"]
    payloads = [json.loads(base64.b64decode(line.split("=", 1)[1])) for line in render("classroom", result).splitlines()]
    assert sum(t["score"] for p in payloads for t in p["tests"]) == 12.5
    assert sum(p["max_score"] for p in payloads) == 40.0
    suites = ET.fromstring(render("junit", result).split("\n", 1)[1])
    assert suites.get("tests") == "8" and suites.get("failures") == "5"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_grader_error_still_renders_in_every_format(name):
    error = results.SubmissionResult("bob", status=results.ERROR, message="torch failed to import\n::error::x")
    text = render(name, error)
    if name == "annotations":  # workflow commands by design: one per line, every value escaped
        assert all(ANNOTATION.fullmatch(line) for line in text.splitlines()), text
    else:
        assert not COMMAND.search(text), text
    if name == "gradescope":
        document = json.loads(text)
        assert document["score"] == 0 and document["tests"] == [] and "could not grade" in document["output"]


def test_annotations_are_one_escaped_command_per_exercise():
    lines = render("annotations", fixed_result()).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::notice", "::warning", "::error", "::error"]
    assert all(ANNOTATION.fullmatch(line) for line in lines), lines
    assert "file=exercises/02/head.py" in lines[1] and "%0A" in lines[1] and "head width 7" not in lines[1]


def full_marks(points: float, parts: int, hidden: int) -> results.SubmissionResult:
    """Every check passed, `points` split the way the grader splits them."""
    shares = split(points, parts)
    checks = [check(f"exercises/01/test_{'hidden_' if i < hidden else ''}x.py::test_{i}", results.PASSED,
                    hidden=i < hidden, points=share) for i, share in enumerate(shares)]
    return results.SubmissionResult("carol", [results.ExerciseResult("01", "Load", points, "exercises/01/x.py", checks)])


@pytest.mark.parametrize("points, parts", [(100.0, 3), (100.0, 7), (10.0, 6), (12.5, 9)])
def test_totals_are_exact_wherever_a_consumer_adds_them_up(points, parts):
    result = full_marks(points, parts, hidden=1)
    assert result.score == points
    gradescope = json.loads(render("gradescope", result))
    total = 0.0
    for test in gradescope["tests"]:
        total += test["score"]
    assert total == gradescope["score"] == points
    for line in render("classroom", result).splitlines():
        payload = json.loads(base64.b64decode(line.split("=", 1)[1]))
        total = 0.0
        for test in payload["tests"]:
            total += test["score"]
        assert total == payload["max_score"] == points


@pytest.mark.parametrize("result", [fixed_result(), results.SubmissionResult("bob", status=results.ERROR,
                                                                             message="torch failed <to> import")],
                         ids=["graded", "error"])
def test_junit_is_valid_against_the_junit_schema(result):
    xmlschema.XMLSchema(JUNIT_XSD).validate(render("junit", result))


def test_gradescope_text_is_plain_and_hidden_points_stay_out_of_the_visible_overview():
    document = json.loads(render("gradescope", fixed_result()))
    assert document["output_format"] == "text" and {t["output_format"] for t in document["tests"]} == {"text"}
    assert {t["visibility"] for t in document["tests"]} <= GRADESCOPE_VISIBILITY
    assert document["visibility"] == "visible"
    # Exercise 02: 1 of 3 visible checks passed (2.5 of 7.5); its hidden check is worth 2.5 more.
    assert "02 Swap the head: 2.50 / 7.50 points from 3 visible checks (1 more after the due date)" in document["output"]
    assert "/ 10" not in document["output"].split("02 Swap the head", 1)[1].split("\n", 1)[0]
    for test in document["tests"]:
        assert set(test) <= {"name", "score", "max_score", "status", "output", "output_format", "visibility",
                             "tags", "number", "extra_data", "name_format"}
        assert isinstance(test["score"], float | int) and test["status"] in ("passed", "failed")

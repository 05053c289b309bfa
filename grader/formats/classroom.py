"""GitHub Classroom's grading reporter (`classroom-resources/autograding-grading-reporter@v1`).

The reporter reads, for each runner id listed in its `runners:` input, the environment variable
`<ID uppercased>_RESULTS`: base64 of `{"version": 1, "status", "max_score", "tests": [...]}`.
There is one runner per exercise (ids `ex01`, `ex02`, ...), whose tests are that exercise's
checks, so the reporter's table shows points per exercise and its total is the kata's score.
`render` writes `ex01=<base64>` lines, ready to append to `$GITHUB_OUTPUT`.
"""

from __future__ import annotations

import base64
import json

from grader import results
from grader.results import ExerciseResult, SubmissionResult, summing_to
from grader.sanitize import clean


def runner_id(number: str) -> str:
    return f"ex{number}"


def payload(exercise: ExerciseResult, error: str = "") -> dict:
    tests = [
        {
            "name": c.name if not c.hidden else f"hidden: {c.name}",
            "status": "pass" if c.status == results.PASSED else ("error" if error else "fail"),
            "score": score,
            "message": clean(error or c.message),
            "test_code": f"pytest {c.nodeid}",
            "filename": c.file,
            "line_no": 0,
            "duration": round(c.duration * 1000),
        }
        for c, score in zip(exercise.checks, summing_to([c.points for c in exercise.checks], exercise.points))
    ]
    status = "error" if error else ("pass" if exercise.outcome == results.PASSED else "fail")
    return {"version": 1, "status": status, "max_score": exercise.max_points, "tests": tests}


def payloads(result: SubmissionResult) -> dict[str, dict]:
    error = result.message if result.status == results.ERROR else ""
    return {runner_id(e.number): payload(e, error) for e in result.exercises}


def encode(document: dict) -> str:
    return base64.b64encode(json.dumps(document, ensure_ascii=False).encode()).decode()


def render(result: SubmissionResult) -> str:
    return "".join(f"{runner}={encode(doc)}\n" for runner, doc in payloads(result).items())

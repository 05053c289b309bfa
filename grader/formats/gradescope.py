"""Gradescope's `results.json`: one test per check; hidden checks appear after the due date."""

from __future__ import annotations

import json

from grader import results
from grader.results import SubmissionResult
from grader.sanitize import clean


def render(result: SubmissionResult) -> str:
    tests = []
    for e in result.exercises:
        for c in e.checks:
            tests.append({
                "name": f"{e.number} {e.title}: {c.name}",
                "score": round(c.points, 4),
                "max_score": round(c.max_points, 4),
                "status": "passed" if c.status == results.PASSED else "failed",
                "output": clean(c.message) if c.status != results.PASSED else "",
                "visibility": "after_due_date" if c.hidden else "visible",
            })
    document = {
        "score": result.score,
        "output": _overview(result),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _overview(result: SubmissionResult) -> str:
    if result.status == results.ERROR:
        return clean(f"The autograder could not grade this submission: {result.message}")
    lines = [f"{e.name}: {e.points:g} / {e.max_points:g}" for e in result.exercises]
    notes = [clean(e.message) for e in result.exercises if e.message]
    return "\n".join(lines + notes)

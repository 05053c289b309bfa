"""Gradescope's `results.json`: one test per check; hidden checks appear after the due date.

Every text field is plain text (`output_format: "text"`), so learner-controlled text is never
rendered as HTML or Markdown. The always-visible overview gives each exercise's points from its
visible checks only: what hidden checks earned shows only in their own tests, after the due date.
Test scores add up, left to right, to exactly the total.
"""

from __future__ import annotations

import json

from grader import results
from grader.results import SubmissionResult, shown, summing_to
from grader.sanitize import clean

TEXT = "text"


def render(result: SubmissionResult) -> str:
    checks = [(e, c) for e in result.exercises for c in e.checks]
    scores = summing_to([c.points for _, c in checks], result.score)
    tests = [{
        "name": f"{e.number} {e.title}: {c.name}",
        "score": score,
        "max_score": round(c.max_points, 4),
        "status": "passed" if c.status == results.PASSED else "failed",
        "output": clean(c.message) if c.status != results.PASSED else "",
        "output_format": TEXT,
        "visibility": "after_due_date" if c.hidden else "visible",
    } for (e, c), score in zip(checks, scores)]
    document = {
        "score": result.score,
        "output": _overview(result),
        "output_format": TEXT,
        "test_output_format": TEXT,
        "test_name_format": TEXT,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _overview(result: SubmissionResult) -> str:
    if result.status == results.ERROR:
        return clean(f"The autograder could not grade this submission: {result.message}")
    lines = []
    for e in result.exercises:
        visible = [c for c in e.checks if not c.hidden]
        points = round(sum(c.points for c in visible), 4)
        hidden = len(e.checks) - len(visible)
        lines.append(f"{e.name}: {shown(points)} / {shown(round(sum(c.max_points for c in visible), 4))} points "
                     f"from {len(visible)} visible checks" + (f" ({hidden} more after the due date)" if hidden else ""))
    notes = [clean(e.message) for e in result.exercises if e.message]
    return "\n".join(lines + notes)

"""Every output format is a small function of the one result model: `render(result) -> str`.

Classroom 50's result.json (formats/classroom50.py) also needs the runner's identity and the commit
time, so its autograder (grader/classroom50.py) renders it directly rather than through this table.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.formats import annotate, classroom, gradescope, json_result, junit, summary, table
from grader.results import SubmissionResult

FORMATS: dict[str, Callable[[SubmissionResult], str]] = {
    "table": table.render,
    "json": json_result.render,
    "gradescope": gradescope.render,
    "classroom": classroom.render,  # the retired GitHub Classroom reporter's payloads (optional)
    "annotations": annotate.render,
    "junit": junit.render,
    "summary": summary.render,
}


def render(name: str, result: SubmissionResult) -> str:
    return FORMATS[name](result)

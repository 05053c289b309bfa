"""Every output format is a small function of the one result model: `render(result) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from grader.formats import classroom, gradescope, json_result, junit, summary, table
from grader.results import SubmissionResult

FORMATS: dict[str, Callable[[SubmissionResult], str]] = {
    "table": table.render,
    "json": json_result.render,
    "gradescope": gradescope.render,
    "classroom": classroom.render,
    "junit": junit.render,
    "summary": summary.render,
}


def render(name: str, result: SubmissionResult) -> str:
    return FORMATS[name](result)

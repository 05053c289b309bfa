"""`--format json`: the result model as it is, for scripts and for a batch's per-submission files."""

from __future__ import annotations

from grader.results import SubmissionResult, dumps


def render(result: SubmissionResult) -> str:
    return dumps(result)

"""GitHub Actions annotations, one per exercise (`::notice` done, `::warning` partly, `::error` not yet),
each on the learner's file: the points, and the first thing to fix. Printed after the grader's
output, outside `::stop-commands::`, so every value is escaped: a message cannot end its command
early or start another one.
"""

from __future__ import annotations

from grader import results
from grader.results import SubmissionResult, shown
from grader.sanitize import clean

LEVEL = {results.PASSED: "notice", results.PARTIAL: "warning"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {props}::{escape_data(clean(message))}"


def render(result: SubmissionResult) -> str:
    if result.status == results.ERROR:
        return command("error", result.message, title="Kata grader: could not grade") + "\n"
    lines = []
    for e in result.exercises:
        failing = next((c for c in e.checks if c.status != results.PASSED), None)
        message = f"{shown(e.points)} / {shown(e.max_points)} points, {e.passed}/{len(e.checks)} checks passed."
        if e.message:
            message += f"\n{e.message}"
        elif failing is not None:
            message += f"\nFirst to fix: {failing.name}" + ("" if failing.hidden else f"\n{failing.message}")
        lines.append(command(LEVEL.get(e.outcome, "error"), message, file=e.module, title=f"Exercise {e.name}"))
    return "\n".join(lines) + "\n"

"""A Markdown report for `$GITHUB_STEP_SUMMARY`: useful in any repository's Actions tab."""

from __future__ import annotations

from grader import results
from grader.results import SubmissionResult, shown
from grader.sanitize import clean, code_fence

ICON = {results.PASSED: "✅", results.PARTIAL: "🟡"}
FAILED_ICON = "❌"


def render(result: SubmissionResult) -> str:
    if result.status == results.ERROR:
        return "## Kata grading failed\n\n" + code_fence(clean(result.message)) + "\n"
    lines = [f"## Kata: {shown(result.score)} / {shown(result.max_score)} points", "",
             "| | Exercise | Checks | Points |", "|---|---|---|---|"]
    for e in result.exercises:
        lines.append(f"| {ICON.get(e.outcome, FAILED_ICON)} | {e.number} {e.title} | {e.passed}/{len(e.checks)} "
                     f"| {shown(e.points)} / {shown(e.max_points)} |")
    return "\n".join(lines + details(result)) + "\n"


def details(result: SubmissionResult) -> list[str]:
    """A folded section per exercise with something to fix (hidden checks by name only)."""
    lines: list[str] = []
    for e in result.exercises:
        failing = [c for c in e.checks if c.status != results.PASSED]
        if not failing:
            continue
        text = clean(e.message) if e.message else "\n\n".join(
            f"{c.status}: {c.name}" + (f"\n{clean(c.message)}" if c.message and not c.hidden else "") for c in failing)
        lines += ["", f"<details><summary>{e.number} {e.title}: {len(failing)} to fix</summary>", "",
                  code_fence(text), "", "</details>"]
    return lines

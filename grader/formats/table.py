"""The default human-readable report: one line per exercise, then what to fix, check by check."""

from __future__ import annotations

from grader import results
from grader.results import SubmissionResult, shown
from grader.sanitize import clean, one_line

MARK = {results.PASSED: "ok", results.PARTIAL: "..", results.FAILED: "--", results.MISSING: "??",
        results.REJECTED: "!!", results.TAMPERED: "!!"}


def render(result: SubmissionResult) -> str:
    lines = [f"Submission: {one_line(result.submission)}"]
    if result.status == results.ERROR:
        lines += ["", "The grader could not grade this submission:", _indent(clean(result.message)), ""]
        return "\n".join(lines) + "\n"
    width = max((len(e.name) for e in result.exercises), default=10)
    lines.append("")
    for e in result.exercises:
        lines.append(f"  [{MARK.get(e.outcome, '--')}] {e.name:<{width}}  {e.passed:>2}/{len(e.checks):<2} checks"
                     f"  {shown(e.points):>5} / {shown(e.max_points)} points")
    lines += ["", f"  Total: {shown(result.score)} / {shown(result.max_score)} points", ""]
    for e in result.exercises:
        failing = [c for c in e.checks if c.status != results.PASSED]
        if not failing:
            continue
        lines.append(f"{e.name} ({e.module}):")
        if e.status in (results.MISSING, results.REJECTED, results.TAMPERED):
            lines += [_indent(clean(e.message)), ""]
            continue
        for c in failing:
            lines.append(f"  {c.status:<8} {c.name}" + (" (hidden)" if c.hidden else ""))
            if c.message:
                lines.append(_indent(clean(c.message), 13))
        lines.append("")
    if result.ungraded:
        lines.append(f"Not graded here ({len(result.ungraded)}): " + "; ".join(one_line(u) for u in result.ungraded))
    return "\n".join(lines).rstrip() + "\n"


def _indent(text: str, spaces: int = 4) -> str:
    return "\n".join(" " * spaces + line for line in text.split("\n"))

"""Classroom 50's `result.json` (schema `classroom50/result/v1`), its Release body and its step outputs.

The contract wants whole points: `score` and `max-score` are ints, each the sum of its tests'. An
exercise's points are split evenly over its checks, so its shares are fractions; here each exercise
keeps its `points` as its max and earns its own score rounded half up (2 of 7 checks on a 10-point
exercise: 2.86 -> 3), and those whole points are spread over its checks by largest remainder, the
passed checks sharing the earned points and the others the rest. One test row per check.
Classroom identity (classroom, assignment, tag, URLs) comes from the runner's environment.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone

from grader import results
from grader.formats import summary
from grader.results import ExerciseResult, SubmissionResult
from grader.sanitize import clean, one_line
from grader.submitted import utc_stamp

SCHEMA = "classroom50/result/v1"
MESSAGE_CHARS = 2000  # Classroom 50 truncates captured output at 2000 characters too


@dataclass(frozen=True)
class Identity:
    """Who and what was graded, as the Classroom 50 runner says in its environment."""

    classroom: str = ""
    assignment: str = ""
    submission: str = ""
    commit: str = ""
    release: str = ""
    review: str = ""
    datetime: str = field(default_factory=lambda: utc_stamp(datetime.now(timezone.utc)))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, when: datetime | None = None) -> Identity:
        env = dict(os.environ if env is None else env)
        stamp = utc_stamp(when or datetime.now(timezone.utc))
        return cls(env.get("CLASSROOM", ""), env.get("ASSIGNMENT", ""), env.get("SUBMISSION_TAG", ""),
                   env.get("COMMIT_URL", ""), env.get("RELEASE_URL", ""),
                   env.get("REVIEW_URL") or env.get("COMMIT_URL", ""), stamp)


def apportion(total: int, weights: list[float]) -> list[int]:
    """Whole numbers adding up to `total`, in proportion to `weights` (largest remainder, ties to the first)."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * w / whole if whole else total / len(weights) for w in weights]
    shares = [math.floor(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))[: total - sum(shares)]:
        shares[i] += 1
    return shares


def earned(exercise: ExerciseResult) -> int:
    return min(int(exercise.max_points), math.floor(exercise.points + 0.5))


def tests(exercise: ExerciseResult, error: str = "") -> list[dict]:
    """One row per check; the passed ones share what the exercise earned, the others the rest."""
    if not exercise.checks:  # not graded at all (the grader failed): the exercise as one row, so max-score holds
        row = {"test-name": f"{exercise.number} {one_line(exercise.title)}", "passed": False, "score": 0,
               "max-score": int(exercise.max_points), "exercise": exercise.number, "status": results.NOT_RUN}
        return [{**row, "message": clean(error or exercise.message, max_chars=MESSAGE_CHARS)}]
    passed = [c for c in exercise.checks if c.status == results.PASSED]
    failed = [c for c in exercise.checks if c.status != results.PASSED]
    got = earned(exercise)
    points = dict(zip(map(id, passed), apportion(got, [c.max_points for c in passed])))
    points.update(zip(map(id, failed), apportion(int(exercise.max_points) - got, [c.max_points for c in failed])))
    rows = []
    for check in exercise.checks:
        ok = check.status == results.PASSED
        row = {"test-name": f"{exercise.number} {one_line(exercise.title)}: "
                            f"{'(hidden) ' if check.hidden else ''}{one_line(check.name)}",
               "passed": ok, "score": points[id(check)] if ok else 0, "max-score": points[id(check)],
               "exercise": exercise.number, "status": check.status}
        message = error or ("" if ok or check.hidden else check.message)
        if message:
            row["message"] = clean(message, max_chars=MESSAGE_CHARS)
        rows.append(row)
    return rows


def document(result: SubmissionResult, identity: Identity) -> dict:
    error = result.message if result.status == results.ERROR else ""
    rows = [row for e in result.exercises for row in tests(e, error)]
    return {"schema": SCHEMA, "classroom": identity.classroom, "assignment": identity.assignment,
            "submission": identity.submission, "commit": identity.commit, "release": identity.release,
            "review": identity.review, "datetime": identity.datetime,
            "score": sum(r["score"] for r in rows), "max-score": sum(r["max-score"] for r in rows), "tests": rows}


def status(result: SubmissionResult, doc: dict) -> str:
    """success: every check passed; failure: graded, something to fix; error: could not grade."""
    if result.status == results.ERROR:
        return "error"
    return "success" if doc["tests"] and all(t["passed"] for t in doc["tests"]) else "failure"


def one_line_summary(result: SubmissionResult, doc: dict) -> str:
    if result.status == results.ERROR:
        return one_line(f"kata: not graded ({result.message})")
    done = sum(e.outcome == results.PASSED for e in result.exercises)
    return f"kata: {doc['score']}/{doc['max-score']} points, {done} of {len(result.exercises)} exercises complete"


def outputs(result: SubmissionResult, doc: dict) -> str:
    """The `status=` and `summary=` lines to append to `$GITHUB_OUTPUT` (one line each)."""
    return f"status={status(result, doc)}\nsummary={one_line_summary(result, doc)}\n"


def release_body(result: SubmissionResult, doc: dict) -> str:
    """The Release learners read: the total, a row per exercise, then what to fix."""
    if result.status == results.ERROR:
        return summary.render(result)
    by_exercise: dict[str, list[dict]] = {}
    for row in doc["tests"]:
        by_exercise.setdefault(row["exercise"], []).append(row)
    lines = [f"### Kata: {doc['score']} / {doc['max-score']} points", "",
             "| | Exercise | Checks | Points |", "|---|---|---|---|"]
    for e in result.exercises:
        rows = by_exercise.get(e.number, [])
        lines.append(f"| {summary.ICON.get(e.outcome, summary.FAILED_ICON)} | {e.number} {one_line(e.title)} "
                     f"| {e.passed}/{len(e.checks)} | {sum(r['score'] for r in rows)} / {sum(r['max-score'] for r in rows)} |")
    return "\n".join(lines + summary.details(result)) + "\n"


def render(result: SubmissionResult, identity: Identity) -> str:
    return json.dumps(document(result, identity), indent=2, ensure_ascii=False) + "\n"

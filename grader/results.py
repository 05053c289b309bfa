"""The one result model every output format is a function of: a submission, its exercises, their checks.

Scoring rule: an exercise's points are split evenly over its expected checks (visible and hidden),
and only a check that explicitly passed earns its share. A check that failed, was skipped by the
learner's code, timed out, crashed or never reported earns nothing, and says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Check statuses. Only PASSED earns points.
PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
TIMEOUT = "timeout"
CRASHED = "crashed"
NOT_RUN = "not_run"

# Exercise statuses beyond what its checks say.
MISSING = "missing"  # the learner's file is not in the submission
REJECTED = "rejected"  # the file is there but unsafe or unreadable (symlink out, huge, not UTF-8)
TAMPERED = "tampered"  # the code changed the functions the checks compare with
PARTIAL = "partial"

GRADED = "graded"  # the submission's status: graded (whatever the score) ...
ERROR = "error"  # ... or the grader itself could not grade it

SCHEMA = 1


@dataclass
class CheckResult:
    nodeid: str
    name: str
    exercise: str
    max_points: float
    hidden: bool = False
    status: str = NOT_RUN
    message: str = ""
    duration: float = 0.0

    @property
    def points(self) -> float:
        return self.max_points if self.status == PASSED else 0.0

    @property
    def file(self) -> str:
        return self.nodeid.split("::", 1)[0]


@dataclass
class ExerciseResult:
    number: str
    title: str
    max_points: float
    module: str  # the learner's file, relative to the submission (exercises/NN/<module>)
    checks: list[CheckResult] = field(default_factory=list)
    status: str = ""  # MISSING, REJECTED, TAMPERED, or derived from the checks when empty
    message: str = ""

    @property
    def passed(self) -> int:
        return sum(c.status == PASSED for c in self.checks)

    @property
    def points(self) -> float:
        """The shares of the checks that passed (shares add up to exactly the exercise's points)."""
        return round(sum(c.points for c in self.checks), 4)

    @property
    def outcome(self) -> str:
        if self.status:
            return self.status
        if self.checks and self.passed == len(self.checks):
            return PASSED
        return PARTIAL if self.passed else FAILED

    @property
    def name(self) -> str:
        return f"{self.number} {self.title}"


@dataclass
class SubmissionResult:
    submission: str
    exercises: list[ExerciseResult] = field(default_factory=list)
    status: str = GRADED
    message: str = ""
    ungraded: list[str] = field(default_factory=list)  # checks left out here, and why
    sandbox: str = ""
    fingerprint: dict[str, str] = field(default_factory=dict)
    duration: float = 0.0

    @property
    def score(self) -> float:
        return round(sum(e.points for e in self.exercises), 4)

    @property
    def max_score(self) -> float:
        return round(sum(e.max_points for e in self.exercises), 4)

    def checks(self) -> list[CheckResult]:
        return [c for e in self.exercises for c in e.checks]


def summing_to(values: list[float], total: float) -> list[float]:
    """`values` with the last non-zero one adjusted so that adding them left to right, as a
    consumer does, gives exactly `total` (full marks read 100, never 100.00000000000009)."""
    values = list(values)
    last = max((i for i, v in enumerate(values) if v), default=None)
    if last is not None:
        values[last] = 0.0
        values[last] = total - sum(values)
    return values


def shown(points: float) -> str:
    """Points as people read them: 10, 2.5, 3.33."""
    return f"{points:g}" if points == int(points) else f"{points:.2f}"


def to_dict(result: SubmissionResult) -> dict[str, Any]:
    """The `--format json` document: totals first, then each exercise and each of its checks."""
    return {
        "schema": SCHEMA,
        "submission": result.submission,
        "status": result.status,
        "message": result.message,
        "score": result.score,
        "max_score": result.max_score,
        "exercises": [
            {
                "number": e.number,
                "name": e.name,
                "status": e.outcome,
                "points": e.points,
                "max_points": e.max_points,
                "message": e.message,
                "file": e.module,
                "checks": [
                    {
                        "name": c.name,
                        "id": c.nodeid,
                        "status": c.status,
                        "points": round(c.points, 4),
                        "max_points": round(c.max_points, 4),
                        "hidden": c.hidden,
                        "message": c.message,
                        "duration": round(c.duration, 3),
                    }
                    for c in e.checks
                ],
            }
            for e in result.exercises
        ],
        "ungraded": result.ungraded,
        "sandbox": result.sandbox,
        "fingerprint": result.fingerprint,
        "duration": round(result.duration, 3),
    }


def from_dict(data: dict[str, Any]) -> SubmissionResult:
    """Inverse of `to_dict` (derived fields are recomputed, never trusted from the file)."""
    exercises = []
    for e in data["exercises"]:
        number = e["number"]
        title = e["name"].split(" ", 1)[1] if " " in e["name"] else e["name"]
        status = e["status"] if e["status"] in (MISSING, REJECTED, TAMPERED) else ""
        checks = [
            CheckResult(nodeid=c["id"], name=c["name"], exercise=number, max_points=c["max_points"],
                        hidden=c["hidden"], status=c["status"], message=c["message"], duration=c["duration"])
            for c in e["checks"]
        ]
        exercises.append(ExerciseResult(number, title, e["max_points"], e["file"], checks, status, e["message"]))
    return SubmissionResult(
        submission=data["submission"], exercises=exercises, status=data["status"], message=data["message"],
        ungraded=list(data.get("ungraded", [])), sandbox=data.get("sandbox", ""),
        fingerprint=dict(data.get("fingerprint", {})), duration=data.get("duration", 0.0),
    )


def dumps(result: SubmissionResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


def loads(text: str) -> SubmissionResult:
    return from_dict(json.loads(text))

"""Self-test helpers: run one exercise's checks in-process against a chosen implementation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kata.meta import REPO_ROOT, Exercise, all_exercises
from kata.outcomes import OutcomeRecorder, check_name

EXERCISES = all_exercises()
CHAFF_DIR = REPO_ROOT / "tests" / "chaff"
WHEAT_DIR = REPO_ROOT / "tests" / "wheat"


@dataclass
class CheckRun:
    """What one run of an exercise's checks reported, check by check, in run order."""

    outcomes: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)

    def record(self, nodeid: str, outcome: str, message: str) -> None:
        self.outcomes[check_name(nodeid)] = outcome
        self.messages[check_name(nodeid)] = message

    def with_outcome(self, outcome: str) -> list[str]:
        return [name for name, got in self.outcomes.items() if got == outcome]

    def first_failure(self) -> str:
        failed = self.with_outcome("failed")
        return self.messages[failed[0]] if failed else ""


def run_checks(exercise: Exercise, *options: str) -> CheckRun:
    """Run `pytest exercises/NN *options` in this process (torch is imported once for all runs)."""
    run = CheckRun()
    pytest.main([str(exercise.folder), "-q", "-p", "no:cacheprovider", *options],
                plugins=[OutcomeRecorder(run.record)])
    assert run.outcomes, f"no checks ran for exercise {exercise.number}"
    return run


def chaff_files(exercise: Exercise) -> list[Path]:
    return sorted((CHAFF_DIR / exercise.number).glob("*.py"))


def wheat_files(exercise: Exercise) -> list[Path]:
    return sorted((WHEAT_DIR / exercise.number).glob("*.py"))


def gotcha_of(chaff: Path) -> str:
    """The gotcha a chaff belongs to: its file name up to a `__variant` suffix."""
    return chaff.stem.split("__", 1)[0]


def chaff_gotcha(path: Path) -> str:
    """The regex a chaff's first failure message must match, from its `GOTCHA = r"..."` line."""
    match = re.search(r'^GOTCHA = r?"(.+)"$', path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path} needs a line GOTCHA = \"<regex the failure message must match>\""
    return match.group(1)

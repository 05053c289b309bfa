"""LMS gradebooks from a roster: Canvas's and Moodle's import columns, missing learners, strangers, lateness.

No grading here: the results are written from the result model, as `batch` leaves them, so the
test is about the export alone.
"""

from __future__ import annotations

import csv
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from grader import batch, lms, results
from kata.meta import all_exercises

DUE = "2026-06-01T12:00:00Z"


@pytest.fixture
def graded(tmp_path) -> Path:
    """A class of two (amy on time, ben two days and a bit late, with a git-less folder) plus a stranger."""
    exercises = all_exercises()
    klass = tmp_path / "class"
    first = exercises[0]
    for name, when in (("amy", "2026-06-01T11:00:00+00:00"), ("ben", "2026-06-03T13:00:00+00:00"),
                       ("zed", "2026-06-01T10:00:00+00:00")):
        (klass / name).mkdir(parents=True)
        path = klass / name / first.module
        path.write_text("x = 1\n", encoding="utf-8")
        stamp = datetime.fromisoformat(when).timestamp()
        os.utime(path, (stamp, stamp))
    files = batch.result_paths(sorted(klass.iterdir()), tmp_path / "class-results" / "results")
    for folder, path in files.items():
        checks = [results.CheckResult("exercises/01/t.py::a", "a", "01", 10.0, status=results.PASSED)]
        result = results.SubmissionResult(folder.name, [results.ExerciseResult("01", first.title, 10.0, "x", checks)])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(results.dumps(result), encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,id,name,email,section\namy,1001,\"Doe, Amy\",amy@example.org,A\n"
                      "ben,1002,\"Roe, Ben\",ben@example.org,B\ncy,1003,\"Poe, Cy\",cy@example.org,A\n", encoding="utf-8")
    return tmp_path


def read(path: Path) -> list[list[str]]:
    return list(csv.reader(path.open(encoding="utf-8")))


def test_canvas_import_with_late_penalty_and_a_missing_learner(graded, grader, capsys):
    out = graded / "canvas.csv"
    done = grader("lms", str(graded / "class"), str(out), "--roster", str(graded / "roster.csv"), "--lms", "canvas",
                  "--due", DUE, "--late-penalty", "10", "--per-exercise")
    assert done.returncode == 0, done.stderr
    rows = read(out)
    assert rows[0][:6] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Transfer-learning kata"]
    assert rows[0][6:8] == ["Transfer-learning kata before late penalty", "Transfer-learning kata days late"]
    total = sum(e.points for e in all_exercises())
    assert rows[1][0] == "Points Possible" and rows[1][5] == f"{total:g}"
    by_id = {r[2]: r for r in rows[2:]}
    assert list(by_id) == ["1001", "1002", "1003"]  # roster order, everyone
    assert by_id["1001"][5:9] == ["10.0", "10.0", "0", "10.0"]
    assert by_id["1002"][5:8] == ["7.0", "10.0", "3"]  # 2 days 1 hour late: 3 started days, 30% off
    assert by_id["1003"][5] == "0"
    assert "'zed' is not on the roster" in done.stderr


def test_moodle_import_leaves_a_missing_learner_blank(graded, grader):
    out = graded / "moodle.csv"
    done = grader("lms", str(graded / "class"), str(out), "--roster", str(graded / "roster.csv"), "--lms", "moodle",
                  "--missing", "blank")
    assert done.returncode == 0, done.stderr
    rows = read(out)
    assert rows[0] == ["ID number", "Email address", "Full name", "Section", "Transfer-learning kata"]
    assert rows[1] == ["1001", "amy@example.org", "Doe, Amy", "A", "10.0"]
    assert rows[3] == ["1003", "cy@example.org", "Poe, Cy", "A", ""]


def test_lateness_counts_started_days_and_never_goes_below_zero():
    late = lms.Late(lms.parse_due(DUE), 40)
    assert late.days(datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)) == 0
    assert late.days(datetime(2026, 6, 1, 12, 0, 1, tzinfo=timezone.utc)) == 1
    assert late.apply(50, 3) == 0 and late.apply(50, 1) == 30 and late.days(None) == 0

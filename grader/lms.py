"""`lms CLASS --roster ROSTER.csv --lms canvas|moodle OUT.csv` (after `batch CLASS`): the class's grades as the
LMS imports them.

The roster (CSV with a header: submission, id, name, email, section; email and section may be
blank) maps each submission folder to a learner. Every roster learner gets a row: one with no
submission gets 0 or a blank cell (`--missing`; both LMSs leave a blank cell's grade alone). A
submission not on the roster is reported, never dropped silently. With `--due` and
`--late-penalty P`, a submission handed in after the due time (its git commit time, else its
files' time: grader/submitted.py) loses P% of its score per started day late, at most all of it:
the raw score, the days late and the final score each get their own column.

Canvas (Gradebook > Import): the columns Student, ID, SIS User ID, SIS Login ID, Section come
first and identify the learner (here by SIS User ID = the roster's id); each further column is an
assignment, and a "Points Possible" second row gives their maxima. Moodle (Grades > Import > CSV
file): one header row; you map a column to identify users (here "ID number" or "Email address")
and each grade column to a grade item; numbers use a decimal point.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kata.files import write_atomically
from kata.meta import Exercise

from grader import batch, results, submitted
from grader.sanitize import csv_cell

ROSTER_COLUMNS = ("submission", "id", "name", "email", "section")
LMS = ("canvas", "moodle")


@dataclass(frozen=True)
class Learner:
    submission: str
    id: str
    name: str
    email: str = ""
    section: str = ""


@dataclass(frozen=True)
class Late:
    due: datetime
    percent_per_day: float

    def days(self, when: datetime | None) -> int:
        """Started days past the due time (0 when on time or when the time is unknown)."""
        return max(0, math.ceil((when - self.due).total_seconds() / 86400)) if when else 0

    def apply(self, score: float, days: int) -> float:
        return round(score * max(0.0, 1 - days * self.percent_per_day / 100), 2)


def parse_due(value: str) -> datetime:
    """ISO 8601; a time without an offset is UTC."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_roster(path: Path) -> list[Learner]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        if not {"submission", "id", "name"} <= set(header):
            raise ValueError(f"{path}: the roster needs the columns {', '.join(ROSTER_COLUMNS)} (got {', '.join(header)})")
        reader.fieldnames = header
        return [Learner(*[(row.get(c) or "").strip() for c in ROSTER_COLUMNS]) for row in reader]


@dataclass(frozen=True)
class Grade:
    learner: Learner
    result: results.SubmissionResult | None  # None: no submission (or no result for it)
    days_late: int = 0
    final: float | None = None


def grades(klass: Path, graded: Path, roster: list[Learner], late: Late | None, exercises: list[Exercise]) -> tuple[list[Grade], list[str]]:
    """A grade per roster learner, in roster order, and the submissions the roster does not name."""
    folders = sorted(p for p in klass.iterdir() if p.is_dir() and not p.name.startswith("."))
    files = batch.result_paths(folders, graded / "results")
    by_name = {p.name: p for p in folders}
    out = []
    for learner in roster:
        folder = by_name.get(learner.submission)
        result = _load(files[folder]) if folder else None
        if result is None:
            out.append(Grade(learner, None))
            continue
        days = late.days(submitted.submitted_at(folder, exercises)) if late else 0
        out.append(Grade(learner, result, days, late.apply(result.score, days) if late else result.score))
    known = {learner.submission for learner in roster}
    return out, [name for name in by_name if name not in known]


def _load(path: Path) -> results.SubmissionResult | None:
    try:
        return results.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def table(lms: str, rows: list[Grade], exercises: list[Exercise], assignment: str, per_exercise: bool,
          missing_zero: bool, late: bool) -> list[list[object]]:
    maximum = sum(e.points for e in exercises)
    grade_columns = [assignment] + ([f"{assignment} before late penalty", f"{assignment} days late"] if late else [])
    grade_columns += [f"{assignment} {e.number} {e.title}" for e in exercises] if per_exercise else []
    maxima = [maximum] + ([maximum, ""] if late else []) + ([e.points for e in exercises] if per_exercise else [])
    if lms == "canvas":
        header: list[object] = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *grade_columns]
        table_rows: list[list[object]] = [header, ["Points Possible", "", "", "", "", *maxima]]
    else:
        header = ["ID number", "Email address", "Full name", "Section", *grade_columns]
        table_rows = [header]
    empty = 0 if missing_zero else ""
    for g in rows:
        who = ([g.learner.name, "", g.learner.id, "", g.learner.section] if lms == "canvas"
               else [g.learner.id, g.learner.email, g.learner.name, g.learner.section])
        if g.result is None:
            values: list[object] = [empty] + ([empty, ""] if late else []) + ([empty] * len(exercises) if per_exercise else [])
        else:
            points = {e.number: e.points for e in g.result.exercises}
            values = [g.final] + ([g.result.score, g.days_late] if late else [])
            values += [points.get(e.number, 0) for e in exercises] if per_exercise else []
        table_rows.append([csv_cell(v) if isinstance(v, str) else v for v in who] + values)
    return table_rows


def write(out: Path, table_rows: list[list[object]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table_rows)
    write_atomically(out, buffer.getvalue())


def run(klass: Path, graded: Path, roster_path: Path, lms: str, out: Path, assignment: str, per_exercise: bool,
        missing: str, due: str | None, penalty: float, exercises: list[Exercise]) -> int:
    roster = read_roster(roster_path)
    late = Late(parse_due(due), penalty) if due else None
    rows, strangers = grades(klass, graded, roster, late, exercises)
    write(out, table(lms, rows, exercises, assignment, per_exercise, missing == "zero", late is not None))
    for name in strangers:
        print(f"grader: submission {name!r} is not on the roster: not in {out.name}; add it to {roster_path.name}",
              file=sys.stderr)
    absent = sum(g.result is None for g in rows)
    print(f"{lms}: {out} ({len(rows)} learners, {absent} without a graded submission, {len(strangers)} not on the roster)")
    return 0

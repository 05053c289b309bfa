"""The class gradebook: one CSV row per submission, a column per exercise, then total, max and status."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kata.meta import Exercise

from grader import results
from kata.files import write_atomically
from grader.sanitize import csv_cell


def rows(entries: list[tuple[str, Path]], exercises: list[Exercise]) -> list[list[object]]:
    header: list[object] = ["submission", *[e.number for e in exercises], "total", "max_score", "status", "message"]
    table = [header]
    for name, path in entries:
        try:
            result = results.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            table.append([csv_cell(name), *["" for _ in exercises], 0, "", results.ERROR, "not graded (no result file)"])
            continue
        points = {e.number: e.points for e in result.exercises}
        table.append([csv_cell(name), *[points.get(e.number, 0) for e in exercises], result.score,
                      result.max_score or sum(e.points for e in exercises), result.status, csv_cell(result.message)])
    return table


def write(path: Path, entries: list[tuple[str, Path]], exercises: list[Exercise]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows(entries, exercises))
    write_atomically(path, buffer.getvalue())

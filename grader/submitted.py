"""When a submission was handed in: its git commit time, else the newest time of its graded files.

Both Classroom 50's `result.json` (its `datetime` is the graded commit's committer date) and the
late penalty of an LMS gradebook need this one instant, read the same way.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

from kata.meta import Exercise

from grader import submission


def commit_time(folder: Path) -> datetime | None:
    """The committer date of HEAD, when `folder` is itself the top of a git checkout."""
    if not (folder / ".git").exists():
        return None
    try:
        done = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%cI"], capture_output=True,
                              text=True, timeout=30)
        return datetime.fromisoformat(done.stdout.strip()).astimezone(timezone.utc) if done.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def file_time(folder: Path, exercises: list[Exercise]) -> datetime | None:
    """The newest modification time of the learner files the grader reads (the allowlist)."""
    root = submission.layout_root(folder, exercises)
    times = [path.stat().st_mtime for exercise in exercises for path in submission.candidates(root, exercise)
             if path.is_file() and not path.is_symlink()]
    return datetime.fromtimestamp(max(times), timezone.utc) if times else None


def submitted_at(folder: Path, exercises: list[Exercise]) -> datetime | None:
    return commit_time(folder) or file_time(folder, exercises)


def utc_stamp(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ`, the form Classroom 50 and most LMSs read."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

"""Where a learner's kata lives: the repository root, its exercises, and the private `.kata/` folder.

The `kata` commands work on the copy of the repository the learner is standing in (found from the
working directory), not on wherever the `kata` package happens to be installed from.
"""

from __future__ import annotations

import os
from pathlib import Path

from kata.meta import METADATA_FILE, Exercise, all_exercises


class KataError(Exception):
    """A problem the learner can fix; the command line prints its message alone, no traceback."""


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the working directory) holding exercises."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if any((folder / "exercises").glob(f"*/{METADATA_FILE}")):
            return folder
    raise KataError(
        f"No kata found in {start} or the folders above it. Run kata inside your copy of the "
        "repository (the folder that holds exercises/ and README.md)."
    )


def exercises(root: Path) -> list[Exercise]:
    """The exercises of the kata at `root`, in the order to do them."""
    return all_exercises(root / "exercises")


def private_home(root: Path) -> Path:
    """The git-ignored folder for the kata's own files; `$KATA_HOME` moves it (same rule as the plugin)."""
    return Path(os.environ.get("KATA_HOME") or root / ".kata")


def pick(argument: str, available: list[Exercise]) -> Exercise:
    """The exercise a learner means by `3`, `03`, `exercises/03` or `exercises/03/`."""
    wanted = Path(argument.strip()).name if argument.strip() else ""
    for exercise in available:
        if wanted == exercise.number or (wanted.isdigit() and exercise.number.isdigit()
                                         and int(wanted) == int(exercise.number)):
            return exercise
    numbers = ", ".join(e.number for e in available)
    raise KataError(f"There is no exercise {argument!r}. The exercises are: {numbers}.")


def relative(path: Path, root: Path) -> str:
    """`path` as the learner types it from the repository root (forward slashes on every system)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)

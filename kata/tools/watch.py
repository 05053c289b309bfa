"""`kata watch [NN]`: re-run an exercise's checks every time you save, and move on when they pass.

It runs exactly `pytest exercises/NN` (in a child process, so your newest code is what gets
imported) and waits for file changes with the `watchfiles` library, the optional `watch` extra.
Without `watch`, do the same by hand: save, then run `pytest exercises/NN`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from kata.meta import Exercise
from kata.tools.checkout import exercises, relative

Changes = Iterable[set[tuple[object, str]]]


def missing_watchfiles(number: str) -> str:
    folder = f"exercises/{number}" if number else "exercises/NN"
    return (
        "kata watch needs the optional package watchfiles. Install it with:\n"
        "    pip install -e '.[watch]'\n"
        "Or do it by hand: after each save, run\n"
        f"    pytest {folder}"
    )


def run_checks(root: Path, exercise: Exercise) -> bool:
    """`pytest exercises/NN`, output straight to the terminal; True when every check passed."""
    command = [sys.executable, "-m", "pytest", relative(exercise.folder, root)]
    return subprocess.run(command, cwd=root, stdin=subprocess.DEVNULL).returncode == 0


def file_changes(root: Path) -> Changes:
    """Batches of saved Python files under exercises/ (watchfiles debounces editors' bursts)."""
    import watchfiles

    return watchfiles.watch(root / "exercises", watch_filter=lambda _change, path: path.endswith(".py"))


def watch(
    root: Path,
    exercise: Exercise | None,
    *,
    changes: Changes | None = None,
    check: Callable[[Path, Exercise], bool] = run_checks,
    say: Callable[[str], None] = print,
) -> int:
    """Check the exercise, then again after each save. Without `exercise`, follow the kata in order."""
    if changes is None:
        try:
            import watchfiles  # noqa: F401
        except ImportError:
            say(missing_watchfiles(exercise.number if exercise else ""))
            return 1
    follow = exercise is None
    todo = exercises(root)
    if exercise is None:
        from kata.tools.progress import check_all

        say("Finding your first unfinished exercise (as kata progress does: only what changed is checked)...")
        exercise = check_all(root).next_exercise()
        if exercise is None:
            say(f"All {len(todo)} exercises pass already. Give one by number to keep working on it: "
                "kata watch NN")
            return 0
    if changes is None:
        changes = file_changes(root)
    passed = False
    try:
        passed = _round(root, exercise, check, say, "starting")
        saves = iter(changes)
        while True:
            while passed and follow:  # move on to the next exercise that does not pass yet
                later = [e for e in todo if e.order > exercise.order]
                if not later:
                    say("That was the last exercise. Run `kata progress` to see the whole kata.")
                    return 0
                exercise = later[0]
                say(f"\nExercise {exercise.number} is next: {exercise.title}. "
                    f"Read {relative(exercise.lesson, root)}.")
                passed = _round(root, exercise, check, say, "next exercise")
            say(f"Watching {relative(exercise.folder, root)}/ for saved changes (Ctrl+C to stop).")
            mine = []
            while not mine:
                batch = next(saves, None)
                if batch is None:
                    return 0 if passed else 1
                folder = exercise.folder.resolve()
                mine = sorted({Path(p).resolve() for _, p in batch if folder in Path(p).resolve().parents})
            passed = _round(root, exercise, check, say, "saved " + ", ".join(p.name for p in mine))
    except KeyboardInterrupt:
        say("\nStopped watching.")
    return 0 if passed else 1


def _round(root: Path, exercise: Exercise, check: Callable[[Path, Exercise], bool],
           say: Callable[[str], None], why: str) -> bool:
    folder = relative(exercise.folder, root)
    say(f"\n== kata watch {time.strftime('%H:%M:%S')} ({why}): pytest {folder} ==")
    passed = check(root, exercise)
    if passed:
        say(f"Exercise {exercise.number} passes.")
    return passed

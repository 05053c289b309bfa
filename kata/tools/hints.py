"""`kata hint NN`: reveal an exercise's hints one at a time, from a nudge to the near-answer.

The hints live in `exercises/NN/exercise.toml`; how many of them the learner has seen lives in
`.kata/hints.json` (or `$KATA_HOME/hints.json`), which only ever saves the learner some typing.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from kata.files import write_atomically
from kata.meta import Exercise

STATE_FILE = "hints.json"


def state_path(home: Path) -> Path:
    return home / STATE_FILE


def load_seen(home: Path) -> dict[str, int]:
    """How many hints of each exercise were shown; a missing or damaged file means none."""
    try:
        data = json.loads(state_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, int) and v >= 0}


def save_seen(home: Path, seen: dict[str, int]) -> None:
    write_atomically(state_path(home), json.dumps(seen, indent=2, sort_keys=True) + "\n")


def label(index: int, total: int) -> str:
    """Hint 1 is a nudge and the last one is close to the answer; say so, so nobody is surprised."""
    if total > 1 and index == 1:
        return f"Hint 1 of {total}, a nudge"
    if total > 1 and index == total:
        return f"Hint {index} of {total}, close to the answer"
    return f"Hint {index} of {total}"


def reveal(exercise: Exercise, home: Path, reset: bool = False) -> str:
    """Show the hints seen so far plus one more, remember that, and say what is left."""
    seen = load_seen(home)
    total = len(exercise.hints)
    header = f"Exercise {exercise.number} · {exercise.title}"
    if reset:
        seen.pop(exercise.number, None)
        save_seen(home, seen)
        return f"{header}: hints hidden again. `kata hint {exercise.number}` starts over with the nudge."
    if total == 0:
        return f"{header} has no hints. Read exercises/{exercise.number}/README.md, and the failing check's message."
    already = min(seen.get(exercise.number, 0), total)
    shown = min(already + 1, total)
    seen[exercise.number] = shown
    save_seen(home, seen)
    out = [header, ""]
    for index, hint in enumerate(exercise.hints[:shown], start=1):
        new = " [new]" if index == shown and already < shown else ""
        out.append(f"{label(index, total)}{new}:")
        out += textwrap.wrap(hint, width=96, initial_indent="  ", subsequent_indent="  ",
                             break_on_hyphens=False, break_long_words=False)
        out.append("")
    left = total - shown
    if left:
        more = "1 more hint" if left == 1 else f"{left} more hints"
        out.append(f"{more} left: run `kata hint {exercise.number}` again when you want the next one.")
    elif already >= total:
        out.append(f"That is every hint for exercise {exercise.number} (all {total} shown before). "
                   f"`kata hint {exercise.number} --reset` hides them again.")
    else:
        out.append(f"That was the last hint for exercise {exercise.number}: all {total} are shown now.")
    return "\n".join(out)

"""What does `pytest exercises/NN` cost beyond importing torch, passing and failing? Ratios, in one run.

For every exercise kata.meta finds, this times (each in a fresh process, as a learner runs it):

- pass:  `pytest --solutions exercises/NN` (the reference solution, every check passes);
- stub:  `pytest exercises/NN` on the untouched stub (every check fails: "Not done yet");
- chaff: `pytest exercises/NN --impl tests/chaff/NN/<first>.py` (a plausible wrong solution);

and a bare `python -c "import torch, torchvision"`, interleaved and repeated, and prints the median
of each as a ratio of the bare import. Goal: every ratio at most 1.2, except for exercises that
train (`trains = true`), whose times are reported as they are. It also times `kata progress` on
this checkout when nothing changed since its last run (goal: at most 1.5x the bare import). A run whose exit status is not the
expected one (0 passing, 1 failing) stops the benchmark: a number is only worth its verdict.

    python bench/checks.py [--repeat 3] [NN ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kata.meta import Exercise, all_exercises  # noqa: E402

GOAL = 1.2
BARE_IMPORT = [sys.executable, "-c", "import torch, torchvision"]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
RUNS = ("pass", "stub", "chaff")
PROGRESS_GOAL = 1.5
PROGRESS = [sys.executable, "-m", "kata", "progress"]


def commands_for(exercise: Exercise) -> dict[str, tuple[list[str], int]]:
    """The runs to time for one exercise, each with the exit status it must end with."""
    folder = f"exercises/{exercise.number}"
    runs = {"stub": ([*PYTEST, folder], 1)}
    if exercise.module_path(ROOT / "solutions").is_file():
        runs["pass"] = ([*PYTEST, "--solutions", folder], 0)
    chaff = sorted((ROOT / "tests" / "chaff" / exercise.number).glob("*.py"))
    if chaff:
        runs["chaff"] = ([*PYTEST, folder, "--impl", str(chaff[0].relative_to(ROOT))], 1)
    return runs


def seconds(command: list[str], expected: int) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != expected:
        sys.exit(f"{' '.join(command)} exited {done.returncode}, not {expected}:\n"
                 f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("numbers", nargs="*", help="exercises to time (default: every exercise)")
    args = parser.parse_args()
    exercises = [e for e in all_exercises() if not args.numbers or e.number in args.numbers]
    commands: dict[tuple[str, str], tuple[list[str], int]] = {("import", ""): (BARE_IMPORT, 0),
                                                               ("progress", ""): (PROGRESS, 0)}
    for exercise in exercises:
        commands |= {(exercise.number, run): command for run, command in commands_for(exercise).items()}
    seconds(PROGRESS, 0)  # warm the file cache, build the stand-in, remember every exercise's result
    times: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
    for repeat in range(1, args.repeat + 1):  # interleaved, so a busy moment hurts every command alike
        for key, command in commands.items():
            times[key].append(seconds(*command))
            print(f"  round {repeat}/{args.repeat}: {' '.join(key).strip()} {times[key][-1]:.2f} s",
                  file=sys.stderr, flush=True)
    base = statistics.median(times[("import", "")])
    print(f"bare `import torch, torchvision`: {base:.2f} s (median of {args.repeat})")
    print(f"ratios to it; goal <= {GOAL} (exercises that train: time only)\n")
    print("| exercise | " + " | ".join(f"{run} s | ratio" for run in RUNS) + " | verdict |")
    print("|---|" + "---:|---:|" * len(RUNS) + "---|")
    worst = 0.0
    for exercise in exercises:
        cells, ratios = [], []
        for run in RUNS:
            if (exercise.number, run) not in times:
                cells.append("- | -")
                continue
            median = statistics.median(times[(exercise.number, run)])
            ratios.append(median / base)
            cells.append(f"{median:.2f} | {median / base:.2f}")
        if exercise.trains:
            verdict = "trains: time only"
        else:
            worst = max(worst, *ratios)
            verdict = "ok" if max(ratios) <= GOAL else "OVER"
        print(f"| {exercise.number} | " + " | ".join(cells) + f" | {verdict} |")
    chaff = {e.number: sorted((ROOT / "tests" / "chaff" / e.number).glob("*.py")) for e in exercises}
    print("\nchaff timed: " + ", ".join(f"{n} {found[0].stem}" for n, found in chaff.items() if found))
    print(f"worst ratio (exercises that do not train): {worst:.2f}")
    progress = statistics.median(times[("progress", "")])
    print(f"`kata progress`, nothing changed since its last run: {progress:.2f} s, {progress / base:.2f}x the "
          f"bare import (goal <= {PROGRESS_GOAL}: {'ok' if progress / base <= PROGRESS_GOAL else 'OVER'})")


if __name__ == "__main__":
    main()

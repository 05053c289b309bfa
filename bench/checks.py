"""How much do an exercise's checks cost beyond importing torch? Ratios, measured in one run.

For each exercise 01-07 this times `pytest --solutions exercises/NN` (a fresh process, as a learner
runs it) and a bare `python -c "import torch, torchvision"`, interleaved and repeated, and prints
the median of each and their ratio. Goal: every ratio at most 1.5.

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
from kata.meta import all_exercises  # noqa: E402

GOAL = 1.5
BARE_IMPORT = [sys.executable, "-c", "import torch, torchvision"]


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("numbers", nargs="*", default=["01", "02", "03", "04", "05", "06", "07"])
    args = parser.parse_args()
    exercises = [e for e in all_exercises() if e.number in args.numbers]
    commands = {"import": BARE_IMPORT}
    for e in exercises:
        commands[e.number] = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              "--solutions", f"exercises/{e.number}"]
    seconds(commands[exercises[0].number])  # warm the file cache and create the stand-in weights
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):  # interleaved, so a busy moment hurts every command alike
        for name, command in commands.items():
            times[name].append(seconds(command))
    base = statistics.median(times["import"])
    print(f"bare `import torch, torchvision`: {base:.2f} s (median of {args.repeat})")
    print(f"{'exercise':>8}  {'seconds':>7}  {'ratio':>5}  goal <= {GOAL}")
    worst = 0.0
    for e in exercises:
        median = statistics.median(times[e.number])
        worst = max(worst, median / base)
        print(f"{e.number:>8}  {median:7.2f}  {median / base:5.2f}  {'ok' if median / base <= GOAL else 'OVER'}")
    print(f"worst ratio: {worst:.2f}")


if __name__ == "__main__":
    main()

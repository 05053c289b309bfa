"""What does grading cost? Ratios and throughput, measured in one run.

1. Grading one correct submission (`python -m grader grade solutions`) against one plain pytest
   run of the same checks (visible and hidden, on the same solution files, in a workspace the
   grader's own code builds). Goal: at most 1.1x, though the grader runs every exercise in its
   own sandboxed process (forked from a zygote that imported torch once). Both are timed
   interleaved, `--repeat` times, after a warm-up that fills the grader's cache; medians are
   compared. The isolation the grader used is printed, and where the grading run's time went.
2. Batch throughput, in submissions per minute, of `python -m grader batch` over `--class-size`
   copies of the reference solutions, with 1 job and with 2 jobs (`--class-size 0`: part 1 only).

    python bench/grade.py [--repeat 3] [--class-size 4]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from grader import assignment, sandbox, submission, workspace  # noqa: E402
from kata.meta import all_exercises  # noqa: E402

GOAL = 1.1


def seconds(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the whole process tree): CPU time hardly moves with the
    machine's load, wall time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # pytest exits 1 when a check fails; report it, do not hide it
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def plain_run(base: Path) -> tuple[Path, dict[str, str]]:
    """The grader's workspace for the reference solutions (the same checks, to run with plain pytest)
    and an environment that finds the weights where the grader's child does."""
    task = assignment.load(sandbox.Limits())
    files = submission.collect(ROOT / "solutions", task.exercises)
    env = {**os.environ, "KATA_HOME": str(task.kata_home), "TORCH_HOME": str(task.torch_home)}
    return workspace.build(task.exercises, files, base, None, []).root, env


def print_breakdown(graded: dict) -> None:
    """Where one grading run's time went: each exercise's checks (as timed by pytest in the exercise's
    process) and the rest (the zygote's imports, a fork and a collection per exercise, the sandbox)."""
    spent = {e["number"]: sum(c["duration"] for c in e["checks"]) for e in graded["exercises"]}
    checks = sum(spent.values())
    print(f"  where the last grading run's {graded['duration']:.1f} s went: the checks "
          + ", ".join(f"{n} {s:.1f}" for n, s in spent.items())
          + f" (sum {checks:.1f} s); start-up, forks, collection and sandbox {graded['duration'] - checks:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--class-size", type=int, default=4)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="kata-bench-"))
    try:
        grade = [sys.executable, "-m", "grader", "grade", "solutions", "--format", "json",
                 "--out", str(base / "result.json")]
        seconds(grade)  # warm-up: the grader's cache (stand-in weights, manifest of checks)
        ws, env = plain_run(base)
        plain = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "kata.plugin",
                 "--noconftest", "--rootdir", str(ws), "-c", str(assignment.PYTEST_INI),
                 "--import-mode=importlib", "exercises"]
        times: dict[str, list[tuple[float, float]]] = {"plain": [], "grade": []}
        for _ in range(args.repeat):  # interleaved, so a busy moment hurts both alike
            times["plain"].append(seconds(plain, cwd=ws, env=env))
            times["grade"].append(seconds(grade))
        checks = sum(len(c) for c in assignment.load(sandbox.Limits()).checks.values())
        print(f"{len(all_exercises())} exercises, {checks} checks (visible and hidden), median of {args.repeat}:")
        for what, index in (("wall clock", 0), ("CPU time", 1)):
            plain_s = statistics.median(t[index] for t in times["plain"])
            grade_s = statistics.median(t[index] for t in times["grade"])
            ratio = grade_s / plain_s
            print(f"  {what:10}: plain pytest of the same checks {plain_s:6.2f} s, python -m grader grade "
                  f"{grade_s:6.2f} s, ratio {ratio:.2f} ({'ok' if ratio <= GOAL else 'OVER'}, goal <= {GOAL})")
        graded = json.loads((base / "result.json").read_text(encoding="utf-8"))
        print(f"  {graded['sandbox'].split('; ')[0]}")
        print_breakdown(graded)

        klass = base / "class"
        for i in range(args.class_size):
            shutil.copytree(ROOT / "solutions", klass / f"learner{i:02d}")
        for jobs in (1, 2) if args.class_size else ():
            elapsed, cpu = seconds([sys.executable, "-m", "grader", "batch", str(klass), "--jobs", str(jobs),
                               "--regrade", "--out", str(base / f"graded-{jobs}")])
            print(f"  batch of {args.class_size}, --jobs {jobs}: {elapsed:6.1f} s = "
                  f"{args.class_size / elapsed * 60:5.1f} submissions/minute ({cpu:.1f} CPU s)")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Grade a whole class: every submission folder under a folder, `--jobs` at a time, into a gradebook.

Each submission is graded by its own `python -m grader grade` process (which starts its own
sandboxed child), so nothing one submission does can stop the batch: a grader process that
dies or hangs still leaves an error row. Results go to `<out>/results/<name>.json` as each
submission finishes; a later run skips a submission whose result file matches the same checks
and the same learner files, so an interrupted batch resumes where it stopped. The gradebook
(`<out>/gradebook.csv`) is rebuilt from the result files at the end.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader import assignment, gradebook, results, runner, sandbox, shard, submission
from kata.files import write_atomically
from grader.sanitize import clean

GRADE_TIMEOUT_SLACK = 300.0  # seconds beyond the sum of the exercises' limits


def result_name(folder: Path) -> str:
    """A safe file name for a submission folder's result."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", folder.name).lstrip(".") or "submission"


def is_done(path: Path, key: str, fingerprint: str) -> bool:
    try:
        done = results.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return done.status == results.GRADED and done.fingerprint == {"assignment": key, "submission": fingerprint}


def grade_one(folder: Path, out: Path, uid: int | None, threads: int, passthrough: list[str], timeout: float) -> str:
    """Grade one submission in its own grader process; always leaves a result file."""
    command = [sys.executable, "-m", "grader", "grade", str(folder), "--format", "json", "--out", str(out),
               "--name", folder.name, "--sandbox-uid", "none" if uid is None else str(uid), "--threads", str(threads), *passthrough]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=sandbox.CODE_ROOT)
        problem = "" if out.is_file() else f"the grader exited with status {done.returncode}: {done.stderr[-2000:]}"
    except subprocess.TimeoutExpired:
        problem = f"the grader did not finish within {timeout:.0f} s"
    if problem:
        write_atomically(out, results.dumps(runner.error_result(folder.name, problem)))
        return results.ERROR
    try:
        return results.loads(out.read_text(encoding="utf-8")).status
    except (OSError, ValueError, KeyError, TypeError):
        write_atomically(out, results.dumps(runner.error_result(folder.name, "the grader wrote an unreadable result")))
        return results.ERROR


def result_paths(folders: list[Path], results_dir: Path) -> dict[Path, Path]:
    """Each submission folder's result file; two folders that clean to the same name get two files."""
    names: dict[Path, Path] = {}
    for sub in folders:
        base = result_name(sub)
        name, n = base, 1
        while name in {p.stem for p in names.values()}:
            n += 1
            name = f"{base}-{n}"
        names[sub] = results_dir / f"{name}.json"
    return names


def run(folder: Path, out: Path | None, jobs: int, regrade: bool, passthrough: list[str],
        uid_base: int | None = 65534, part: tuple[int, int] | None = None) -> int:
    """Grade the class (or, with `part` = (K, N), shard K of N: see grader/shard.py)."""
    if not folder.is_dir():
        print(f"grader: {folder} is not a folder", file=sys.stderr)
        return 2
    out = out or folder.with_name(folder.name + "-results")
    results_dir = out / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    everyone = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    names = result_paths(everyone, results_dir)  # over the whole class: every shard names files alike
    folders = shard.select(everyone, *part) if part else everyone
    limits = sandbox.Limits()
    try:
        task = assignment.load(limits, _cache(passthrough))  # prepare once, before the jobs start
    except assignment.GraderError as exc:
        print(f"grader: cannot grade: {exc}", file=sys.stderr)
        return 1
    entries = [(sub.name, names[sub].name) for sub in everyone]
    if part:
        shard.write_manifest(out, *part, entries, task.key, done=False)
    todo = [sub for sub in folders if regrade or not is_done(
        names[sub], task.key, submission.fingerprint(submission.collect(sub, task.exercises)))]
    jobs = max(1, jobs)
    threads = max(1, (os.cpu_count() or 1) // jobs)
    timeout = sum(e.time_limit for e in task.exercises) + GRADE_TIMEOUT_SLACK
    print(f"{len(folders)} submissions, {len(folders) - len(todo)} already graded, grading {len(todo)} "
          f"with {jobs} job(s)", flush=True)
    slots = list(range(jobs))  # each job gets its own sandbox uid, so their process caps are separate
    lock = threading.Lock()
    started = time.monotonic()

    def work(sub: Path) -> None:
        with lock:
            slot = slots.pop()
        try:
            uid = None if uid_base is None else uid_base - slot
            status = grade_one(sub, names[sub], uid, threads, passthrough, timeout)
        finally:
            with lock:
                slots.append(slot)
        print(f"  {clean(sub.name, max_chars=80)}: {status}", flush=True)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(work, todo))
    elapsed = time.monotonic() - started
    rate = len(todo) / elapsed * 60 if todo and elapsed > 0 else 0.0
    if part:
        shard.write_manifest(out, *part, entries, task.key, done=True)
        print(f"shard {part[0]}/{part[1]}: {out} ({elapsed:.1f} s, {rate:.1f} submissions/minute); "
              f"`python -m grader merge` joins the parts")
        return 0
    rows = [(sub.name, names[sub]) for sub in folders]
    gradebook.write(out / "gradebook.csv", rows, task.exercises)
    print(f"gradebook: {out / 'gradebook.csv'} ({elapsed:.1f} s, {rate:.1f} submissions/minute)")
    return 0


def _cache(passthrough: list[str]) -> Path | None:
    if "--cache" in passthrough:
        return Path(passthrough[passthrough.index("--cache") + 1])
    return None

"""Grade a whole class: every submission under a folder, `--jobs` at a time, into a gradebook.

Every entry of the class folder gets a row or a printed reason: each folder (dot-folders too) is
a submission, each `.zip` is unpacked (safely: no links, nothing outside it, bounded size) and
graded like a folder; anything else is listed as skipped, saying why. Names are shown with
control characters escaped (`a\\nb`), so two names never read alike. Each submission is graded by
its own `python -m grader grade` process (which starts its own sandbox), so nothing one
submission does can stop the batch: a grader process that dies or hangs still leaves an error
row. The batch is the subreaper of everything it starts: a grade process that overruns is killed
with its whole tree, its temp folders live under the batch's own, and the batch's end (or its
SIGTERM/SIGINT) kills what is left and removes them. Results go to `<out>/results/<name>.json`
as each submission finishes; a later run skips a submission whose result file matches the same
checks and the same learner files, so an interrupted batch resumes where it stopped. The
gradebook (`<out>/gradebook.csv`) is rebuilt from the result files at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kata.files import write_atomically

from grader import assignment, gradebook, privileges, results, runner, sandbox, shard, submission
from grader.sanitize import clean

GRADE_TIMEOUT_SLACK = 300.0  # seconds beyond the sum of the exercises' limits
MAX_UNPACKED = 64 * 1024 * 1024  # bytes a submission's .zip may unpack to
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def shown_name(name: str) -> str:
    """A name as people read it, unambiguously: control characters and backslashes escaped."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)


def unpack(archive: Path, into: Path) -> Path:
    """Unpack a submitted .zip into a fresh folder; refuses links, escaping paths, zip bombs."""
    target = Path(tempfile.mkdtemp(prefix="unpacked-", dir=into))
    with zipfile.ZipFile(archive) as zipped:
        entries = zipped.infolist()
        if sum(e.file_size for e in entries) > MAX_UNPACKED:
            raise ValueError(f"it unpacks to more than {MAX_UNPACKED // 2**20} MB")
        for entry in entries:
            path = (target / entry.filename).resolve()
            if not path.is_relative_to(target.resolve()) or (entry.external_attr >> 16) & 0o170000 == 0o120000:
                raise ValueError(f"it holds {entry.filename!r}, a link or a path outside the archive")
            if entry.is_dir():
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(zipped.read(entry))
    return target


def result_name(folder: Path) -> str:
    """A safe file name for a submission's result."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", folder.name).lstrip(".") or "submission"


def is_done(path: Path, key: str, fingerprint: str) -> bool:
    try:
        done = results.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return done.status == results.GRADED and done.fingerprint == {"assignment": key, "submission": fingerprint}


class Jobs:
    """The grade processes running now, so that a timeout or the batch's own end kills their trees."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen] = set()

    def run(self, command: list[str], timeout: float, env: dict[str, str]) -> tuple[int | None, str]:
        """(exit status or None on timeout, stderr's tail)"""
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                cwd=sandbox.CODE_ROOT, env=env, start_new_session=True,
                                preexec_fn=privileges.die_with_parent)
        with self.lock:
            self.running.add(proc)
        try:
            _, err = proc.communicate(timeout=timeout)
            return proc.returncode, err[-2000:]
        except subprocess.TimeoutExpired:
            sandbox.kill_tree(proc.pid)
            proc.communicate()
            return None, ""
        finally:
            with self.lock:
                self.running.discard(proc)

    def kill_all(self) -> None:
        with self.lock:
            for proc in list(self.running):
                sandbox.kill_tree(proc.pid)


def grade_one(folder: Path, name: str, out: Path, uid: int | None, threads: int, passthrough: list[str],
              timeout: float, jobs: Jobs, env: dict[str, str]) -> str:
    """Grade one submission in its own grader process; always leaves a result file."""
    command = [sys.executable, "-m", "grader", "grade", str(folder), "--format", "json", "--out", str(out),
               "--name", name, "--sandbox-uid", "none" if uid is None else str(uid), "--threads", str(threads),
               *passthrough]
    returncode, err = jobs.run(command, timeout, env)
    if returncode is None:
        problem = f"the grader did not finish within {timeout:.0f} s"
    else:
        problem = "" if out.is_file() else f"the grader exited with status {returncode}: {err}"
    if problem:
        write_atomically(out, results.dumps(runner.error_result(name, problem)))
        return results.ERROR
    try:
        return results.loads(out.read_text(encoding="utf-8")).status
    except (OSError, ValueError, KeyError, TypeError):
        write_atomically(out, results.dumps(runner.error_result(name, "the grader wrote an unreadable result")))
        return results.ERROR


def submissions(folder: Path, scratch: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """{shown name: folder to grade} for every folder and .zip, and {shown name: why not} for the rest."""
    found: dict[str, Path] = {}
    skipped: dict[str, str] = {}
    for entry in sorted(folder.iterdir()):
        name = shown_name(entry.name)
        if entry.is_dir() and not entry.is_symlink():
            found[name] = entry
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            try:
                found[name] = unpack(entry, scratch)
            except (OSError, ValueError, zipfile.BadZipFile, RuntimeError) as exc:
                skipped[name] = f"a .zip that cannot be unpacked: {exc}"
        else:
            skipped[name] = "not a folder or a .zip archive" + (" (a link)" if entry.is_symlink() else "")
    return found, skipped


def result_paths(names: list[str], results_dir: Path) -> dict[str, Path]:
    """Each submission's result file; two names that clean to the same file name get two files."""
    paths: dict[str, Path] = {}
    for name in names:
        base = result_name(Path(name))
        stem, n = base, 1
        while stem in {p.stem for p in paths.values()}:
            n += 1
            stem = f"{base}-{n}"
        paths[name] = results_dir / f"{stem}.json"
    return paths


def run(folder: Path, out: Path | None, jobs: int, regrade: bool, passthrough: list[str],
        uid_base: int | None = sandbox.Limits().uid, part: tuple[int, int] | None = None) -> int:
    """Grade the class (or, with `part` = (K, N), shard K of N: see grader/shard.py)."""
    if not folder.is_dir():
        print(f"grader: {folder} is not a folder", file=sys.stderr)
        return 2
    sandbox.become_subreaper()
    scratch = Path(tempfile.mkdtemp(prefix="kata-batch-"))
    os.chmod(scratch, 0o711)  # the sandbox uids pass through to their workspaces, and list nothing
    tempfile.tempdir = str(scratch)  # the batch's own temp folders (preparing the checks) go with it too
    running = Jobs()

    def stop(signum: int, _frame: object) -> None:
        running.kill_all()
        sandbox.reap_descendants()
        shutil.rmtree(scratch, ignore_errors=True)
        os._exit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    try:
        return _grade_class(folder, out, jobs, regrade, passthrough, uid_base, scratch, running, part)
    finally:
        running.kill_all()
        sandbox.reap_descendants()
        shutil.rmtree(scratch, ignore_errors=True)


def _grade_class(folder: Path, out: Path | None, jobs: int, regrade: bool, passthrough: list[str],
                 uid_base: int | None, scratch: Path, running: Jobs, part: tuple[int, int] | None) -> int:
    out = out or folder.with_name(folder.name + "-results")
    results_dir = out / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    found, skipped = submissions(folder, scratch)
    names = result_paths(list(found), results_dir)  # over the whole class: every shard names files alike
    chosen = shard.select(list(found), *part) if part else list(found)
    limits = sandbox.Limits()
    try:
        task = assignment.load(limits, _cache(passthrough))  # prepare once, before the jobs start
    except assignment.GraderError as exc:
        print(f"grader: cannot grade: {exc}", file=sys.stderr)
        return 1
    entries = [(name, names[name].name) for name in found]
    if part:
        shard.write_manifest(out, *part, entries, task.key, done=False)
    todo = [name for name in chosen if regrade or not is_done(
        names[name], task.key, submission.fingerprint(submission.collect(found[name], task.exercises)))]
    jobs = max(1, jobs)
    threads = max(1, (sandbox.thread_budget() or os.cpu_count() or 1) // jobs)
    timeout = sum(e.time_limit for e in task.exercises) + GRADE_TIMEOUT_SLACK
    print(f"{len(found)} submissions, {len(found) - len(todo)} already graded, grading {len(todo)} "
          f"with {jobs} job(s)", flush=True)
    for name, why in skipped.items():
        print(f"  skipped {clean(name, max_chars=80)}: {why}", flush=True)
    slots = list(range(jobs))  # each job gets its own sandbox uid, so their process caps are separate
    lock = threading.Lock()
    started = time.monotonic()
    env = {**os.environ, "TMPDIR": str(scratch)}  # every temp folder of every job lives in the batch's

    def work(name: str) -> None:
        with lock:
            slot = slots.pop()
        try:
            uid = None if uid_base is None else uid_base - slot
            status = grade_one(found[name], name, names[name], uid, threads, passthrough, timeout, running, env)
        finally:
            with lock:
                slots.append(slot)
        print(f"  {clean(name, max_chars=80)}: {status}", flush=True)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(work, todo))
    elapsed = time.monotonic() - started
    rate = len(todo) / elapsed * 60 if todo and elapsed > 0 else 0.0
    if part:
        shard.write_manifest(out, *part, entries, task.key, done=True)
        print(f"shard {part[0]}/{part[1]}: {out} ({elapsed:.1f} s, {rate:.1f} submissions/minute); "
              f"`python -m grader merge` joins the parts")
        return 0
    gradebook.write(out / "gradebook.csv", [(name, names[name]) for name in chosen], task.exercises)
    print(f"gradebook: {out / 'gradebook.csv'} ({elapsed:.1f} s, {rate:.1f} submissions/minute)")
    return 0


def _cache(passthrough: list[str]) -> Path | None:
    if "--cache" in passthrough:
        return Path(passthrough[passthrough.index("--cache") + 1])
    return None

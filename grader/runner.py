"""Grade one submission: vet its files, run every exercise's checks in a sandboxed child, score.

One child runs all accepted exercises, so torch is imported once per submission. The child
streams each check's result as it finishes; the parent watches each exercise's wall clock and
kills the child's whole process group when one overruns. If the child ends before every
expected check reported (a crash, os._exit, a kill), each exercise that did not finish is run
again alone, in a fresh workspace and a fresh child: only a run that held that exercise alone is
trusted to blame it, so one exercise's bomb never costs another exercise its points. An
exercise that ran out of its time is not run again. Every check that never reported fails with
the reason.

Call `grade` from a process that does nothing else (the CLI): with `sandbox.become_subreaper()`
it kills every process left below it after each child.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import child as child_plugin
from grader import results, sandbox, stream, submission, workspace
from grader.assignment import Assignment, GraderError, check_files, pytest_args
from grader.sanitize import clean

MEMORY_WORDS = ("MemoryError", "can't allocate memory", "out of memory", "Cannot allocate memory")
HIDDEN_FRAMES = "All traceback entries are hidden. Pass `--full-trace` to see hidden and internal frames."
TIMEOUT_MARK = re.compile(r"Timeout \(>[\d.]+s\) from pytest-timeout")


@dataclass
class Run:
    """What one child run reported, and how it ended."""

    numbers: list[str]
    results: dict[str, dict] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)
    timed_out: str | None = None  # the exercise whose wall clock ran out
    ended: tuple[str, str] = ("", "")  # (what happened, advice) when the process ended early
    fatal: str = ""
    sandbox: str = ""
    collected: bool = False
    log: str = ""


def _exit_reason(returncode: int | None, limits: sandbox.Limits) -> tuple[str, str]:
    """(what happened, what to look for) when the child ended before every check reported."""
    if returncode is None:
        return "the grading process stopped responding", ""
    if returncode < 0:
        number = -returncode
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else f"signal {number}"
        return {
            "SIGKILL": ("the grading process was killed", "Out of memory, or too many processes?"),
            "SIGSEGV": ("the grading process crashed (segmentation fault)", ""),
            "SIGABRT": ("the grading process aborted", ""),
            "SIGXFSZ": ("the grading process was stopped", f"It wrote a file over the {limits.file_mb} MB limit."),
            "SIGXCPU": ("the grading process was stopped", "It used too much CPU time."),
        }.get(name, (f"the grading process was stopped by {name}", ""))
    return (f"the grading process exited with status {returncode}",
            "Does the code call os._exit() or kill its own process?")


class Grader:
    def __init__(self, assignment: Assignment, limits: sandbox.Limits, keep: bool = False) -> None:
        self.assignment = assignment
        self.limits = limits
        self.keep = keep
        self.by_number = {e.number: e for e in assignment.exercises}

    def budget(self, number: str) -> float:
        return self.limits.budget(number, self.by_number[number].time_limit)

    # -- one child ----------------------------------------------------------------------------
    def run(self, numbers: list[str], files: dict[str, submission.LearnerFile]) -> Run:
        run = Run(numbers)
        expected = {c.nodeid for n in numbers for c in self.assignment.checks[n]}
        ws = workspace.build(self.assignment.exercises, {n: files[n] for n in numbers}, None, self.limits.uid)
        run_dir = Path(tempfile.mkdtemp(prefix="kata-run-"))
        nonce = secrets.token_hex(16)
        env = sandbox.base_env(ws.home, ws.tmp, self.limits.threads)
        env.update({
            stream.NONCE_ENV: nonce,
            "KATA_HOME": str(self.assignment.kata_home),
            "TORCH_HOME": str(self.assignment.torch_home),
            child_plugin.SETTINGS_ENV: json.dumps({"budgets": {n: self.budget(n) for n in numbers},
                                              "uid": self.limits.uid, "tasks": self.limits.tasks}),
        })
        paths = [f for n in numbers for f in check_files(self.by_number[n])]
        args = pytest_args(paths, list(self.assignment.ungraded))
        child = sandbox.Child(args + ["-p", "grader.child"], ws.root, env, run_dir, self.limits)
        try:
            self._watch(child, stream.Reader(str(child.stream_path), nonce), run, expected)
        finally:
            child.kill()
            run.log = child.log_tail()
            if not self.keep:
                ws.remove()
                shutil.rmtree(run_dir, ignore_errors=True)
        return run

    def _watch(self, child: sandbox.Child, reader: stream.Reader, run: Run, expected: set[str]) -> None:
        start = time.monotonic()
        current, deadline, finished = None, start + self.limits.startup_s, None
        while True:
            exited = child.proc.poll() is not None
            for event in reader.poll():
                now = time.monotonic()
                if event.event == stream.COLLECTED:
                    run.collected, run.sandbox = True, str(event.fields.get("sandbox", ""))
                elif event.event == stream.START and event.fields.get("id") in expected:
                    run.started.append(event.fields["id"])
                    number = event.fields["id"].split("/")[1]
                    if number != current:  # the hard stop leaves room for the child's own soft timeouts
                        soft = child_plugin.MIN_TIMEOUT * len(self.assignment.checks[number])
                        current, deadline = number, now + self.budget(number) + soft + self.limits.grace_s
                elif event.event == stream.RESULT and event.fields.get("id") in expected:
                    run.results.setdefault(event.fields["id"], event.fields)
                elif event.event == stream.FINISHED:
                    finished = finished or now
                elif event.event == stream.FATAL:
                    run.fatal = str(event.fields.get("message", "the sandbox failed"))
                    return
            if exited:
                if len(run.results) < len(expected):
                    run.ended = _exit_reason(child.proc.returncode, self.limits)
                return
            now = time.monotonic()
            if expected <= run.results.keys():
                finished = finished or now  # everything reported: an atexit hook gets the grace, no more
            if finished is not None:
                if now > finished + self.limits.grace_s:
                    return
            elif now > deadline:
                if current is None:
                    run.ended = (f"the grading process did not start within {self.limits.startup_s:.0f} s", "")
                else:
                    run.timed_out = current
                return
            try:
                child.proc.wait(timeout=0.05)
            except Exception:  # noqa: BLE001 - subprocess.TimeoutExpired: still running
                pass

    # -- one submission -----------------------------------------------------------------------
    def grade(self, path: Path, name: str | None = None) -> results.SubmissionResult:
        began = time.monotonic()
        files = submission.collect(path, self.assignment.exercises)
        result = results.SubmissionResult(
            submission=name or path.name,
            ungraded=[f"{nodeid} ({why})" for nodeid, why in self.assignment.ungraded.items()],
            fingerprint={"assignment": self.assignment.key, "submission": submission.fingerprint(files)},
        )
        for exercise in self.assignment.exercises:
            learner = files[exercise.number]
            checks = [results.CheckResult(c.nodeid, c.name, c.exercise, c.max_points, c.hidden)
                      for c in self.assignment.checks[exercise.number]]
            ex = results.ExerciseResult(exercise.number, exercise.title, float(exercise.points), learner.shown, checks)
            if not learner.ok:
                ex.status, ex.message = learner.status, clean(learner.message)
                for check in checks:
                    check.status, check.message = results.FAILED, ex.message
            result.exercises.append(ex)
        runnable = [n for n, f in files.items() if f.ok]
        if runnable:
            self._grade_exercises(result, runnable, files)
        result.sandbox = f"{result.sandbox}; {self.limits.describe()}".strip("; ")
        result.duration = time.monotonic() - began
        return result

    def _grade_exercises(self, result: results.SubmissionResult, runnable: list[str],
                         files: dict[str, submission.LearnerFile]) -> None:
        exercises = {e.number: e for e in result.exercises}
        run = self.run(runnable, files)
        self._check_grader(run)
        result.sandbox = run.sandbox
        self._apply(run, exercises)
        again = [n for n in runnable if len(runnable) > 1 and n != run.timed_out
                 and (self._unfinished(run, n) or self._memory_trouble(exercises[n]))]
        self._finish(run, {n: exercises[n] for n in runnable if n not in again})
        for number in again:  # alone, in a fresh workspace and child: this run replaces the shared one
            exercise = exercises[number]
            exercise.status = exercise.message = ""
            for check in exercise.checks:
                check.status, check.message, check.duration = results.NOT_RUN, "", 0.0
            alone = self.run([number], files)
            self._check_grader(alone)
            self._apply(alone, {number: exercise})
            self._finish(alone, {number: exercise})

    @staticmethod
    def _check_grader(run: Run) -> None:
        if run.fatal:
            raise GraderError(run.fatal)
        if not run.collected:
            raise GraderError(f"{run.ended[0] or 'the grading process failed to start'}:\n{run.log}")

    def _unfinished(self, run: Run, number: str) -> bool:
        return any(c.nodeid not in run.results for c in self.assignment.checks[number])

    @staticmethod
    def _memory_trouble(exercise: results.ExerciseResult) -> bool:
        return any(word in c.message for c in exercise.checks for word in MEMORY_WORDS)

    def _apply(self, run: Run, exercises: dict[str, results.ExerciseResult]) -> None:
        """Turn reported results into statuses and learner-facing messages."""
        for number in run.numbers:
            exercise = exercises[number]
            tampered: list[str] = []
            for check in exercise.checks:
                reported = run.results.get(check.nodeid)
                if reported is None:
                    continue
                tampered += [str(t) for t in reported.get("tampered") or []]
                check.duration = float(reported.get("duration") or 0.0)
                check.status, check.message = self._status(reported, number)
            if tampered:
                names = ", ".join(sorted(set(tampered))[:6])
                exercise.status = results.TAMPERED
                exercise.message = clean(
                    f"The code in {exercise.module} replaced {names}. The checks rely on these, so "
                    f"exercise {number} cannot be graded and scores 0. Leave library and kata functions alone.")
                for check in exercise.checks:
                    check.status, check.message = results.FAILED, exercise.message

    def _status(self, reported: dict, number: str) -> tuple[str, str]:
        outcome = reported.get("outcome")
        message = str(reported.get("message") or "")
        if outcome == "passed":
            return results.PASSED, ""
        if outcome == "skipped":
            return results.SKIPPED, clean(f"skipped, which earns no points: {message}")
        if TIMEOUT_MARK.search(message):
            module = re.escape(f"exercises/{number}/{self.by_number[number].module}")
            where = re.findall(rf"({module}:\d+)", message)
            return results.TIMEOUT, clean(
                f"Took too long: exercise {number} has {self.budget(number):g} s for all its checks, "
                f"and this one was stopped. An endless loop, or far more work than needed?"
                + (f"\n    stopped at {where[-1]}" if where else ""))
        return results.FAILED, clean(message.replace(HIDDEN_FRAMES, "").rstrip())

    def _finish(self, run: Run, exercises: dict[str, results.ExerciseResult]) -> None:
        """Every check still without a result fails, saying why it has none."""
        for number, exercise in exercises.items():
            pending = [c for c in exercise.checks if c.status == results.NOT_RUN and not c.message]
            culprit = next((c for c in pending if c.nodeid in run.started), None)
            if number == run.timed_out:
                status = results.TIMEOUT
                what = f"exercise {number} ran out of its {self.budget(number):g} s"
                blame = (f"Took too long: exercise {number} has {self.budget(number):g} s for all its checks and "
                         f"ran out during this one, so the grader stopped it. An endless loop, or far more work "
                         f"than needed?")
            else:
                status = results.CRASHED
                what, advice = run.ended if run.ended[0] else ("the grading process ended without a result", "")
                blame = f"{what[0].upper()}{what[1:]} during this check. {advice}"
            for check in pending:
                if check is culprit:
                    check.status, check.message = status, clean(blame.strip())
                else:
                    check.status = results.NOT_RUN
                    when = f"during {culprit.name}" if culprit else "before this check could run"
                    check.message = clean(f"Not run: {what} {when}.")


def grade(path: Path, assignment: Assignment, limits: sandbox.Limits, name: str | None = None,
          keep: bool = False) -> results.SubmissionResult:
    return Grader(assignment, limits, keep).grade(path, name)


def error_result(name: str, message: str) -> results.SubmissionResult:
    """A result that says the grader could not grade: every format can still be written from it."""
    return results.SubmissionResult(submission=name, status=results.ERROR, message=clean(message))


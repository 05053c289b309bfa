"""Grade one submission: vet its files, run each exercise's checks in its own sandboxed process, score.

A trusted zygote (grader/zygote.py) imports torch and the kata once inside the sandbox, then
forks one process per exercise, one after another: what an exercise's code does to its process
(a global setting, a thread, a crash, a timeout) stays with that exercise. Each exercise process
reports over its own authenticated channel (grader/channel.py); a line that fails authentication
makes its exercise score 0. The grader watches each exercise's wall clock and has the zygote kill
an exercise that overruns. If the zygote itself dies before every exercise ended (learner code
killed it, say), each exercise it did not finish is run again alone, in a fresh workspace and a
fresh zygote. Every check that never reported fails with the reason.

Call `grade` from a process that does nothing else (the CLI): with `sandbox.become_subreaper()`
it kills every process left below it after each run.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata.meta import REPO_ROOT
from kata.outcomes import COLLECTED, FINISHED, RESULT, START

from grader import channel, child, results, sandbox, submission, workspace, zygote
from grader.assignment import Assignment, GraderError, check_files, pytest_args
from grader.sanitize import clean

HIDDEN_FRAMES = "All traceback entries are hidden. Pass `--full-trace` to see hidden and internal frames."
RUNTIME = (REPO_ROOT / "kata", REPO_ROOT / "grader")  # the code the sandbox runs, read-only
TIMEOUT_MARK = re.compile(r"Timeout \(>[\d.]+s\) from pytest-timeout")


@dataclass
class Run:
    """What one exercise's process reported, and how it ended."""

    number: str
    results: dict[str, dict] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)
    timed_out: bool = False  # its wall clock ran out
    ended: tuple[str, str] = ("", "")  # (what happened, advice) when the process ended early
    finished: bool = False  # its pytest session ended
    done: bool = False  # the zygote saw it end: its verdict stands
    forged: int = 0  # lines on its channel that failed authentication
    fatal: str = ""
    sandbox: str = ""


@dataclass
class Session:
    """One zygote's runs, in order, and how the zygote itself fared."""

    runs: dict[str, Run]
    fatal: str = ""
    ready: bool = False
    done: bool = False  # the zygote ran every exercise
    log: str = ""


def _exit_reason(returncode: int | None, limits: sandbox.Limits) -> tuple[str, str]:
    """(what happened, what to look for) when a process ended before every check reported."""
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
        self.isolation, self.isolation_line = sandbox.choose_isolation(limits.isolation)

    def budget(self, number: str) -> float:
        return self.limits.budget(number, self.by_number[number].time_limit)

    # -- one zygote ---------------------------------------------------------------------------
    def run(self, numbers: list[str], files: dict[str, submission.LearnerFile]) -> Session:
        session = Session({n: Run(n) for n in numbers})
        ws = workspace.build(self.assignment.exercises, {n: files[n] for n in numbers}, None, self.limits.uid,
                             numbers)
        run_dir = Path(tempfile.mkdtemp(prefix="kata-run-"))
        own_r, own_w = os.pipe()
        control_r, control_w = os.pipe()
        pipes = {n: os.pipe() for n in numbers}
        env = self._environment(ws, numbers, own_w, control_r, {n: w for n, (_, w) in pipes.items()})
        command = self._command(ws, numbers)
        ends = [own_w, control_r, *(w for _, w in pipes.values())]
        own, receivers = channel.Receiver(own_r), {n: channel.Receiver(r) for n, (r, _) in pipes.items()}
        proc = None
        try:
            proc = sandbox.Process(command, ws.root, env, run_dir / "log.txt", self.limits, ends)
            for fd in ends:
                os.close(fd)
            ends = []
            self._watch(proc, session, own, control_w, receivers)
        finally:
            for fd in ends:
                os.close(fd)
            for receiver in [own, *receivers.values()]:
                receiver.close()
            os.close(control_w)
            if proc is not None:
                if session.done:  # let it end on its own: its accounting (CPU time) reaches us
                    proc.wait(self.limits.grace_s)
                proc.kill()
                session.log = proc.log_tail()
            if not self.keep:
                ws.remove()
                shutil.rmtree(run_dir, ignore_errors=True)
        return session

    def _environment(self, ws: workspace.Workspace, numbers: list[str], own: int, control: int,
                     channels: dict[str, int]) -> dict[str, str]:
        """The zygote's environment, its plan included: what to run, and where each reports."""
        plan = {
            "fd": own, "control": control, "uid": self.limits.uid, "tasks": self.limits.tasks,
            "trusted": [*sandbox.python_paths(), *map(str, RUNTIME)],
            "allowed": [*sandbox.python_paths(), str(REPO_ROOT / "kata"), str(self.assignment.cache)],
            "denied": [str(REPO_ROOT)],
            "exercises": [{
                "number": n, "fd": channels[n], "budget": self.budget(n),
                "home": str(ws.home(n)), "tmp": str(ws.tmp(n)),
                "args": pytest_args(check_files(self.by_number[n]), list(self.assignment.ungraded)),
            } for n in numbers],
        }
        env = sandbox.base_env(ws.home(numbers[0]), ws.tmp(numbers[0]), self.limits.threads)
        env.update({zygote.PLAN_ENV: json.dumps(plan), "KATA_HOME": str(self.assignment.kata_home),
                    "TORCH_HOME": str(self.assignment.torch_home)})
        return env

    def _command(self, ws: workspace.Workspace, numbers: list[str]) -> list[str]:
        command = sandbox.python_command(sandbox.ZYGOTE_BOOT)
        if self.isolation != sandbox.BUBBLEWRAP:
            return command
        readable = [*sandbox.python_paths(), *map(str, RUNTIME), str(self.assignment.kata_home),
                    str(self.assignment.torch_home)]
        hidden = [str(p) for p in [REPO_ROOT / "grader" / "hidden"] if p.is_dir()]  # none in an export
        return sandbox.bubblewrap(command, ws.root, readable, ws.writable(numbers), hidden)

    def _watch(self, proc: sandbox.Process, session: Session, own: channel.Receiver, control: int,
               receivers: dict[str, channel.Receiver]) -> None:
        """Follow the zygote and the exercise it runs; stop an exercise whose time ran out."""
        now = time.monotonic()
        deadline, current, kill_sent, finished = now + self.limits.startup_s, None, False, None
        while True:
            exited = proc.proc.poll() is not None
            for event in own.poll():
                now = time.monotonic()
                if event.event == zygote.READY:
                    session.ready = True
                elif event.event == zygote.SPAWNED and event.fields.get("number") in session.runs:
                    current, kill_sent, finished = event.fields["number"], False, None
                    deadline = now + self.limits.startup_s  # collecting one exercise's checks
                elif event.event == zygote.ENDED and event.fields.get("number") in session.runs:
                    run = session.runs[event.fields["number"]]
                    self._read(run, receivers[run.number])
                    run.done = True
                    if not run.timed_out and not run.ended[0] and len(run.results) < len(self.expected(run.number)):
                        run.ended = _exit_reason(event.fields.get("returncode"), self.limits)
                    current, deadline = None, now + self.limits.startup_s
                elif event.event == zygote.DONE:
                    session.done = True
                    return
                elif event.event == channel.FATAL:
                    session.fatal = str(event.fields.get("message", "the zygote failed"))
                    return
            if current is not None:
                run = session.runs[current]
                started = bool(run.started)
                self._read(run, receivers[current])
                now = time.monotonic()
                if run.fatal:
                    session.fatal = run.fatal
                    return
                if run.started and not started:  # the hard stop leaves room for the soft timeouts
                    soft = child.MIN_TIMEOUT * len(self.assignment.checks[current])
                    deadline = now + self.budget(current) + soft + self.limits.grace_s
                if finished is None and (run.finished or run.results.keys() >= self.expected(current)):
                    finished = now
                    deadline = min(deadline, now + self.limits.grace_s)  # an atexit hook gets the grace, no more
                if now > deadline and not kill_sent:
                    if finished is None:
                        if run.started:
                            run.timed_out = True
                        else:
                            run.ended = (f"the checks of exercise {current} did not start within "
                                         f"{self.limits.startup_s:.0f} s", "")
                    try:
                        os.write(control, b"k")
                    except OSError:
                        pass  # the zygote is gone: the next round sees it
                    kill_sent, deadline = True, now + 10 + self.limits.grace_s
                    continue
            if exited:
                for run in session.runs.values():
                    self._read(run, receivers[run.number])
                return
            if now > deadline:  # the zygote did not start, or does not answer
                return
            waiting = [r.fd for r in [own, *receivers.values()] if not r.closed]
            select.select(waiting, [], [], 0.05) if waiting else time.sleep(0.05)

    def expected(self, number: str) -> set[str]:
        return {c.nodeid for c in self.assignment.checks[number]}

    def _read(self, run: Run, receiver: channel.Receiver) -> None:
        """Take in what the exercise's process reported: only events about its own checks count."""
        expected = self.expected(run.number)
        for event in receiver.poll():
            nodeid = event.fields.get("id")
            if event.event == COLLECTED:
                run.sandbox = str(event.fields.get("sandbox", ""))
            elif event.event == START and nodeid in expected:
                run.started.append(nodeid)
            elif event.event == RESULT and nodeid in expected:
                run.results.setdefault(nodeid, event.fields)
            elif event.event == FINISHED:
                run.finished = True
            elif event.event == channel.FATAL:
                run.fatal = str(event.fields.get("message", "the sandbox failed"))
        run.forged = receiver.forged

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
        sandboxes = [self._grade_exercises(result, runnable, files)] if runnable else []
        result.sandbox = "; ".join([self.isolation_line, *filter(None, sandboxes), self.limits.describe()])
        result.duration = time.monotonic() - began
        return result

    def _grade_exercises(self, result: results.SubmissionResult, runnable: list[str],
                         files: dict[str, submission.LearnerFile]) -> str:
        """Grade the exercises; returns how the exercise processes were confined."""
        exercises = {e.number: e for e in result.exercises}
        session = self.run(runnable, files)
        self._check_grader(session)
        again = [n for n, run in session.runs.items() if not run.done and not run.timed_out and len(runnable) > 1]
        runs = [run for n, run in session.runs.items() if n not in again]
        for number in again:  # alone, in a fresh workspace and zygote: this run replaces the shared one
            alone = self.run([number], files)
            self._check_grader(alone)
            runs.append(alone.runs[number])
        for run in runs:
            self._apply(run, exercises[run.number])
            self._finish(run, exercises[run.number])
        return next((run.sandbox for run in runs if run.sandbox), "")

    @staticmethod
    def _check_grader(session: Session) -> None:
        if session.fatal:
            raise GraderError(session.fatal)
        if not session.ready:
            raise GraderError(f"the grading process failed to start:\n{session.log}")

    def _apply(self, run: Run, exercise: results.ExerciseResult) -> None:
        """Turn reported results into statuses and learner-facing messages."""
        tampered: list[str] = []
        for check in exercise.checks:
            reported = run.results.get(check.nodeid)
            if reported is None:
                continue
            tampered += [str(t) for t in reported.get("tampered") or []]
            check.duration = float(reported.get("duration") or 0.0)
            check.status, check.message = self._status(reported, run.number)
        if run.forged:
            exercise.status = results.TAMPERED
            exercise.message = clean(
                f"The code in {exercise.module} wrote {run.forged} line(s) into the grader's result channel "
                f"that it did not sign. Exercise {run.number} cannot be graded and scores 0. Report results "
                f"by returning them, never by writing to the grader.")
        elif tampered:
            names = ", ".join(sorted(set(tampered))[:6])
            exercise.status = results.TAMPERED
            exercise.message = clean(
                f"The code in {exercise.module} changed what the checks rely on: {names}. Exercise "
                f"{run.number} cannot be graded and scores 0. Leave library, kata and check functions alone, "
                f"and switch off any torch mode it turns on.")
        if exercise.status == results.TAMPERED:
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

    def _finish(self, run: Run, exercise: results.ExerciseResult) -> None:
        """Every check still without a result fails, saying why it has none."""
        number = run.number
        pending = [c for c in exercise.checks if c.status == results.NOT_RUN and not c.message]
        culprit = next((c for c in pending if c.nodeid in run.started), None)
        if run.timed_out:
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


"""`kata progress`: every exercise, its state, and the next one to do, from real runs of the checks.

Each state is what the checks said on a real run of exactly the code that is there now: an
exercise whose files, kata runtime, packages and weights did not change since its last run keeps
that run's result (kata.tools.results); every other exercise is checked again, and `--fresh`
checks them all. One child `python -m pytest` runs those exercises' checks (torch is imported once)
with a small recording plugin that writes each outcome to a file as it happens, so a run cut short
by the learner's code still reports what it saw.

To stay fast, the recorder skips an exercise's remaining checks as soon as its state is certain:
after a failure that is not the stub's "Not done yet", or once the exercise has both a passing and
a failing check, it can only be "failing". Skipping never hides a state: "passing" and
"not started" always run every check, and untouched stubs fail in milliseconds.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pytest

from kata.meta import Exercise
from kata.outcomes import COLLECTED, FINISHED, RESULT, START, Event, OutcomeRecorder, Reader, check_name, encode
from kata.outcomes import exercise_number
from kata.tools import results
from kata.tools.checkout import KataError, exercises, private_home, relative

NOT_STARTED = "not started"
FAILING = "failing"
PASSING = "passing"
NOT_CHECKED = "not checked"  # the run ended (learner code killed it?) before reaching this exercise
NOT_DONE = "Not done yet"  # how kata.learner words a check that hit the untouched stub
DECIDED = "kata progress: skipped, this exercise is already known to be failing"


@dataclass
class Tally:
    """What the checks of one exercise said, in run order."""

    collected: int = 0
    passed: list[str] = field(default_factory=list)
    not_done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (check, learner-facing message)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (check, reason), e.g. needs ImageNet

    def add(self, check: str, outcome: str, message: str) -> None:
        if outcome == "passed":
            self.passed.append(check)
        elif outcome == "failed" and NOT_DONE in message:
            self.not_done.append(check)
        elif outcome == "failed":
            self.failed.append((check, message))
        elif outcome == "skipped":
            self.skipped.append((check, message))  # counts for nothing either way

    def decided(self) -> bool:
        """True once further checks cannot change the state (it can only be "failing")."""
        return bool(self.failed) or bool(self.passed and self.not_done)

    @property
    def state(self) -> str:
        if self.failed or (self.passed and self.not_done):
            return FAILING
        if self.not_done:
            return NOT_STARTED
        if self.passed:
            return PASSING
        return FAILING if self.collected == 0 else NOT_CHECKED  # no checks, or the run stopped first

    def first_failure(self) -> tuple[str, str]:
        if self.failed:
            return self.failed[0]
        if self.not_done:
            return self.not_done[0], NOT_DONE
        return "", ""


class Recorder(OutcomeRecorder):
    """A pytest plugin (child side): one event line per outcome, and early skips once a state is known."""

    def __init__(self, out: BinaryIO) -> None:
        super().__init__(self._outcome)
        self.out = out
        self.tallies: dict[str, Tally] = {}

    def _send(self, event: str, **fields: object) -> None:
        self.out.write(encode(event, **fields))
        self.out.flush()

    def pytest_collectreport(self, report) -> None:
        number = exercise_number(report.nodeid + "/x")
        if report.failed and number:
            self._send(RESULT, exercise=number, check=report.nodeid, outcome="failed",
                       message="the checks could not be collected:\n" + report.longreprtext)

    def pytest_collection_finish(self, session) -> None:
        counts: dict[str, int] = {}
        for item in session.items:
            number = exercise_number(item.nodeid)
            if number:
                counts[number] = counts.get(number, 0) + 1
        self._send(COLLECTED, counts=counts)

    @pytest.hookimpl(tryfirst=True)  # before fixtures load anything
    def pytest_runtest_setup(self, item) -> None:
        tally = self.tallies.get(exercise_number(item.nodeid))
        if tally and tally.decided():
            pytest.skip(DECIDED)

    def pytest_runtest_logstart(self, nodeid: str, location) -> None:
        # names the culprit if the process dies during this check, and tells the parent which
        # exercises are over (they run in order)
        self._send(START, id=nodeid, exercise=exercise_number(nodeid))

    def _outcome(self, nodeid: str, outcome: str, message: str) -> None:
        number = exercise_number(nodeid)
        if not number or (outcome == "skipped" and DECIDED in message):
            return
        self.tallies.setdefault(number, Tally()).add(check_name(nodeid), outcome, message)
        self._send(RESULT, exercise=number, check=check_name(nodeid), outcome=outcome, message=message)

    def pytest_sessionfinish(self) -> None:
        self._send(FINISHED)


@dataclass
class Report:
    """The state of every exercise after one run."""

    exercises: list[Exercise]
    tallies: dict[str, Tally]
    finished: bool
    seconds: float
    last_started: str = ""  # the check running when the run ended, if it ended early
    reused: list[str] = field(default_factory=list)  # exercises whose remembered result still held

    def state(self, exercise: Exercise) -> str:
        return self.tallies[exercise.number].state

    def next_exercise(self) -> Exercise | None:
        return next((e for e in self.exercises if self.state(e) != PASSING), None)

    def passing(self) -> list[Exercise]:
        return [e for e in self.exercises if self.state(e) == PASSING]


@dataclass
class Records:
    """What the recorder's lines say so far."""

    tallies: dict[str, Tally]
    finished: bool = False
    last_started: str = ""  # node id of the last check that started
    current: str = ""  # the exercise that check belongs to


def read_records(events: list[Event], records: Records) -> None:
    """Fold the recorder's newest events into each exercise's tally."""
    for event in events:
        fields = event.fields
        if event.event == COLLECTED:
            for number, count in fields["counts"].items():
                records.tallies.setdefault(number, Tally()).collected = count
        elif event.event == FINISHED:
            records.finished = True
        elif event.event == START:
            records.last_started, records.current = fields["id"], fields["exercise"]
        elif event.event == RESULT:
            records.tallies.setdefault(fields["exercise"], Tally()).add(
                fields["check"], fields["outcome"], fields["message"])


class Rows:
    """Calls `on_done(exercise, tally)` once per exercise, in kata order, as soon as each is known."""

    def __init__(self, todo: list[Exercise], on_done: Callable[[Exercise, Tally], None] | None) -> None:
        self.todo, self.on_done, self.shown = todo, on_done, 0

    def show(self, known: dict[str, Tally]) -> None:
        while self.shown < len(self.todo) and self.todo[self.shown].number in known:
            if self.on_done:
                self.on_done(self.todo[self.shown], known[self.todo[self.shown].number])
            self.shown += 1


def check_all(root: Path, on_done: Callable[[Exercise, Tally], None] | None = None, *,
              fresh: bool = False) -> Report:
    """Where each exercise stands: remembered if nothing it depends on changed, else checked now.

    The exercises whose key (see kata.tools.results) changed since their last run, or all of them
    with `fresh`, run once in one child pytest. `on_done(exercise, tally)` is called in order as
    soon as each exercise is known, so a caller shows the first rows while a slow one still runs.
    """
    todo = exercises(root)
    started = time.perf_counter()
    home = private_home(root)
    shared = results.shared_key(root)
    before = {e.number: results.exercise_key(e, shared) for e in todo}
    tallies = {} if fresh else results.recall(home, before)
    reused = [e.number for e in todo if e.number in tallies]
    stale = [e for e in todo if e.number not in tallies]
    rows = Rows(todo, on_done)
    rows.show(tallies)
    records = run_checks(root, stale, lambda found: rows.show({**tallies, **found})) if stale else Records({}, True)
    tallies.update(records.tallies)
    rows.show(tallies)
    if stale and records.finished:  # a result is kept only for content that did not change meanwhile
        shared_now = results.shared_key(root)
        results.remember(home, {e.number: (before[e.number], tallies[e.number]) for e in stale
                                if results.exercise_key(e, shared_now) == before[e.number]
                                and tallies[e.number].state != NOT_CHECKED})
    return Report(todo, tallies, records.finished, time.perf_counter() - started, records.last_started, reused)


def run_checks(root: Path, todo: list[Exercise], on_known: Callable[[dict[str, Tally]], None]) -> Records:
    """Run these exercises' checks in one child pytest, reading its records as they come.

    `on_known(tallies)` gets the tallies of the exercises whose checks are over so far (they run in
    order: every exercise before the one running now is over).
    """
    numbers = [e.number for e in todo]
    with tempfile.TemporaryDirectory(prefix="kata-progress-") as scratch:
        record, output = Path(scratch) / "outcomes.jsonl", Path(scratch) / "pytest-output.txt"
        command = [sys.executable, "-m", "kata.tools.progress", str(record),
                   *(relative(e.folder, root) for e in todo)]
        with output.open("w", encoding="utf-8") as sink:
            child = subprocess.Popen(command, cwd=root, stdin=subprocess.DEVNULL, stdout=sink,
                                     stderr=subprocess.STDOUT, text=True)
            reader, records = Reader(record), Records({n: Tally() for n in numbers})
            heard = False
            while True:
                ended = child.poll() is not None
                events = reader.poll()
                heard |= bool(events)
                read_records(events, records)
                over = len(numbers) if ended else numbers.index(records.current) if records.current in numbers else 0
                on_known({n: records.tallies[n] for n in numbers[:over]})
                if ended:
                    break
                time.sleep(0.2)
        if not heard and child.returncode not in (0, 1):
            raise KataError(f"The checks could not run (pytest exit code {child.returncode}):\n"
                            + "\n".join(output.read_text(encoding="utf-8").strip().splitlines()[-15:]))
    return records


def first_lines(text: str, count: int = 6, width: int = 92) -> list[str]:
    """The start of a failure message, wrapped to fit a terminal; "..." when there is more."""
    wrapped = [piece for line in text.strip().splitlines() if line.strip()
               for piece in textwrap.wrap(line.strip(), width) or [""]]
    return wrapped[:count - 1] + ["..."] if len(wrapped) > count else wrapped


def header(todo: list[Exercise]) -> str:
    return f"Transfer-learning kata, {len(todo)} exercises:\n"


def row(exercise: Exercise, tally: Tally, width: int) -> str:
    """One exercise's line: marker, number, title, state, and a detail worth knowing."""
    state = tally.state
    if state == PASSING:
        detail = f"{len(tally.passed)} checks pass"
        if tally.skipped:
            imagenet = all("ImageNet" in reason for _, reason in tally.skipped)
            detail += f", {len(tally.skipped)} skipped" + (" (needs the real ImageNet weights; see kata doctor)"
                                                           if imagenet else "")
    elif state == FAILING and tally.failed:
        detail = f"first failing check: {tally.failed[0][0]}"
    elif state == FAILING and tally.collected == 0:
        detail = "no checks found"
    else:
        detail = ""
    marker = {PASSING: "ok", FAILING: "!!", NOT_STARTED: "  ", NOT_CHECKED: "??"}[state]
    return f"  {marker} {exercise.number}  {exercise.title:<{width}}  {state:<11}  {detail}".rstrip()


def title_width(todo: list[Exercise]) -> int:
    return max((len(e.title) for e in todo), default=0)


def summary(report: Report, root: Path) -> str:
    """What follows the rows: the count, anything odd about the run, and what to do next."""
    total = len(report.exercises)
    out = [""]
    if not report.finished:
        culprit = report.last_started.split("::")[0]
        folder = culprit.rsplit("/", 1)[0] if "/" in culprit else "exercises/NN"
        out += [f"The checks stopped early, during {report.last_started or 'start-up'}: some code "
                "ended the whole run (os._exit? a crash inside a library?).",
                f"Exercises after it were not checked. Run `pytest {folder}` to see what happened.", ""]
    out.append(f"{len(report.passing())} of {total} exercises pass (checked in {report.seconds:.1f} s).")
    if report.reused:
        unchanged = "nothing changed" if len(report.reused) == total else "unchanged"
        out.append(f"{len(report.reused)} of them from their last run ({unchanged} since); "
                   "`kata progress --fresh` runs every check again.")
    out.append("")
    upcoming = report.next_exercise()
    if upcoming is None:
        out.append(f"All {total} exercises pass. Well done: you have fine-tuned a pretrained network "
                   "end to end.")
    else:
        out += next_steps(upcoming, report.tallies[upcoming.number], root)
    return "\n".join(out)


def render(report: Report, root: Path) -> str:
    """The whole progress view: one line per exercise, then what to do next."""
    width = title_width(report.exercises)
    rows = [row(e, report.tallies[e.number], width) for e in report.exercises]
    return "\n".join([header(report.exercises), *rows, summary(report, root)])


def next_steps(exercise: Exercise, tally: Tally, root: Path) -> list[str]:
    folder = relative(exercise.folder, root)
    lines = [f"Next: {exercise.number} · {exercise.title}"]
    if tally.state == NOT_STARTED:
        lines.append(f"  Read {folder}/README.md, then fill in the TODOs in {folder}/{exercise.module}.")
    else:
        check, message = tally.first_failure()
        if check:
            lines.append(f"  First failing check: {check}")
            lines += [f"    {line}" for line in first_lines(message)]
        lines.append(f"  Lesson: {folder}/README.md   Your code: {folder}/{exercise.module}")
    lines += [
        f"  Check it:  pytest {folder}",
        f"  Stuck?     kata hint {exercise.number}",
    ]
    return lines


def run_child(argv: list[str]) -> int:
    """Child side: `python -m kata.tools.progress RECORD_FILE FOLDER...` runs the checks, recording each."""
    record, *folders = argv
    with open(record, "wb") as out:
        return int(pytest.main(["-q", "-p", "no:cacheprovider", *folders], plugins=[Recorder(out)]))


if __name__ == "__main__":
    sys.exit(run_child(sys.argv[1:]))

"""The pytest plugin the grader loads (`-p grader.child`) inside its sandboxed child process.

It runs alongside `kata.plugin` (which loads the learner's module and explains failures) and adds
what grading needs: it streams each check's start and result to the parent as they happen, gives
each check what is left of its exercise's time budget, drops privileges once everything trusted
is imported and before the first line of learner code runs, keeps forked copies of the process
from reporting, and notices learner code that replaced the functions the checks compare with.
The parent owns every result file; this plugin only reports.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Generator

import pytest

from kata.outcomes import exercise_number, summarize

from grader import privileges, stream, tamper

SETTINGS_ENV = "KATA_GRADER_CHILD"
MIN_TIMEOUT = 0.5  # seconds a check still gets once its exercise's budget is spent
MESSAGE_LIMIT = 20_000  # characters of a failure report sent to the parent (it trims further)


class Child:
    def __init__(self) -> None:
        # Read and forget the secrets before any learner code can look at the environment.
        self.fd = int(os.environ.pop(stream.FD_ENV))
        self.nonce = os.environ.pop(stream.NONCE_ENV)
        settings = json.loads(os.environ.pop(SETTINGS_ENV))
        self.budgets: dict[str, float] = settings["budgets"]
        self.uid: int | None = settings["uid"]
        self.allowance: int = settings["tasks"]
        self.pid = os.getpid()
        self.started: dict[str, float] = {}
        self.reports: dict[str, list[pytest.TestReport]] = {}
        self.guard: tamper.Guard | None = None

    def send(self, event: str, **fields: object) -> None:
        if os.getpid() == self.pid:  # a forked copy of this process never speaks for it
            stream.write(self.fd, stream.encode(event, self.nonce, **fields))

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Everything trusted is imported now; no learner code has run yet."""
        try:
            tamper.preload()
            self.guard = tamper.Guard()
            sandbox = privileges.drop(self.uid, self.allowance)
        except Exception as exc:  # noqa: BLE001 - any failure here means no safe sandbox
            self.send(stream.FATAL, message=f"could not set up the sandbox: {type(exc).__name__}: {exc}")
            os._exit(70)
        self.send(stream.COLLECTED, ids=[item.nodeid for item in session.items], sandbox=sandbox)

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        exercise = exercise_number(item.nodeid)
        began = self.started.setdefault(exercise, time.monotonic())
        remaining = self.budgets.get(exercise, 60.0) - (time.monotonic() - began)
        # Read by pytest-timeout's own wrapper, which runs inside this one.
        item.add_marker(pytest.mark.timeout(max(remaining, MIN_TIMEOUT), method="signal"), append=False)
        self.reports[item.nodeid] = []
        self.send(stream.START, id=item.nodeid)
        start = time.monotonic()
        yield
        if os.getpid() != self.pid:
            os._exit(0)  # a copy made by os.fork() in learner code: it must not run the other checks
        tampered = self.guard.check_and_restore() if self.guard else []
        outcome, message = summarize(self.reports.pop(item.nodeid, []))
        self.send(stream.RESULT, id=item.nodeid, outcome=outcome, message=message[:MESSAGE_LIMIT],
                  duration=round(time.monotonic() - start, 4), tampered=tampered)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.reports.setdefault(report.nodeid, []).append(report)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.send(stream.FINISHED, exitstatus=int(exitstatus))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Child(), "grader-child")

"""The pytest plugin of one exercise's process (forked by `grader.zygote`): it reports, nothing more.

It runs alongside `kata.plugin` (which loads the learner's module and explains failures) and adds
what grading needs: it sends each check's start and result to the grader over the authenticated
channel as they happen, gives each check what is left of its exercise's time budget, and, once
the checks are collected and before the first line of learner code runs, drops privileges,
snapshots the names the checks rely on and installs the audit hooks. After every check it
notices (and undoes) replaced names, including the check modules' own imported helpers, and
any torch function or dispatch mode left active, which would answer the checks' comparisons.
The grader owns every result file; this plugin only reports.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator

import pytest

from kata.outcomes import COLLECTED, FINISHED, RESULT, START, summarize

from grader import audit, channel, privileges, tamper

MIN_TIMEOUT = 0.5  # seconds a check still gets once its exercise's budget is spent
MESSAGE_LIMIT = 20_000  # characters of a failure report sent to the parent (it trims further)


class Reporter:
    def __init__(self, send: Callable[..., None], budget: float, uid: int | None, tasks: int,
                 trusted: list[str], allowed: list[str], denied: list[str]) -> None:
        self._send = send
        self.budget = budget
        self.uid = uid
        self.allowance = tasks
        self.sandbox_paths = (trusted, allowed, denied)
        self.pid = os.getpid()
        self.began: float | None = None
        self.reports: dict[str, list[pytest.TestReport]] = {}
        self.guard: tamper.Guard | None = None

    def send(self, event: str, **fields: object) -> None:
        if os.getpid() == self.pid:  # a forked copy of this process never speaks for it
            self._send(event, **fields)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Everything trusted is imported now; no learner code has run yet."""
        try:
            checks = sorted({str(item.path) for item in session.items})
            self.guard = tamper.Guard(checks)
            sandbox = privileges.drop(self.uid, self.allowance)
            trusted, allowed, denied = self.sandbox_paths
            audit.install([*trusted, *checks], allowed, denied)
        except Exception as exc:  # noqa: BLE001 - any failure here means no safe sandbox
            self.send(channel.FATAL, message=f"could not set up the sandbox: {type(exc).__name__}: {exc}")
            os._exit(70)
        self.send(COLLECTED, ids=[item.nodeid for item in session.items], sandbox=sandbox)

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        self.began = self.began or time.monotonic()
        remaining = self.budget - (time.monotonic() - self.began)
        # Read by pytest-timeout's own wrapper, which runs inside this one.
        item.add_marker(pytest.mark.timeout(max(remaining, MIN_TIMEOUT), method="signal"), append=False)
        self.reports[item.nodeid] = []
        self.send(START, id=item.nodeid)
        start = time.monotonic()
        yield
        if os.getpid() != self.pid:
            os._exit(0)  # a copy made by os.fork() in learner code: it must not run the other checks
        tampered = self.guard.check_and_restore() if self.guard else []
        outcome, message = summarize(self.reports.pop(item.nodeid, []))
        self.send(RESULT, id=item.nodeid, outcome=outcome, message=message[:MESSAGE_LIMIT],
                  duration=round(time.monotonic() - start, 4), tampered=tampered)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.reports.setdefault(report.nodeid, []).append(report)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.send(FINISHED, exitstatus=int(exitstatus))

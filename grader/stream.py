"""The grader's side of the child-to-parent line protocol (the protocol itself: kata.outcomes).

The child writes an event the moment it happens (checks collected, a check started, a check
finished, the session ended) to a file descriptor the parent opened, so whatever finished before
a crash is kept. The parent trusts nothing in a line: it keeps only well-formed events that carry
this run's nonce and name a check it expected.
"""

from __future__ import annotations

import os

from kata.outcomes import COLLECTED, FINISHED, RESULT, START, Event, Reader, encode  # noqa: F401 - the protocol

FD_ENV = "KATA_GRADER_STREAM_FD"
NONCE_ENV = "KATA_GRADER_NONCE"
FATAL = "fatal"  # the child could not set up its sandbox: a grader error, not the learner's


def write(fd: int, line: bytes) -> None:
    """One write per event: with O_APPEND, events from one process never interleave mid-line."""
    try:
        os.write(fd, line)
    except OSError:
        pass  # the learner's code closed our descriptor: the parent will see checks that never reported

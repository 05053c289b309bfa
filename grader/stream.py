"""The line protocol between the sandboxed child and the grader: one JSON object per line.

The child writes an event the moment it happens (checks collected, a check started, a check
finished, the session ended) to a file descriptor the parent opened, so whatever finished before
a crash is kept. The parent trusts nothing in a line: it keeps only well-formed events that carry
this run's nonce and name a check it expected.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

FD_ENV = "KATA_GRADER_STREAM_FD"
NONCE_ENV = "KATA_GRADER_NONCE"

COLLECTED = "collected"
START = "start"
RESULT = "result"
FINISHED = "finished"
FATAL = "fatal"  # the child could not set up its sandbox: a grader error, not the learner's


def encode(nonce: str, event: str, **fields: Any) -> bytes:
    return (json.dumps({"n": nonce, "e": event, **fields}, ensure_ascii=True) + "\n").encode()


def write(fd: int, line: bytes) -> None:
    """One write per event: with O_APPEND, events from one process never interleave mid-line."""
    try:
        os.write(fd, line)
    except OSError:
        pass  # the learner's code closed our descriptor: the parent will see checks that never reported


@dataclass
class Event:
    event: str
    fields: dict[str, Any]


@dataclass
class Reader:
    """Incremental reader of the stream file, tolerant of a torn last line and of garbage."""

    path: str
    nonce: str
    offset: int = 0
    pending: bytes = b""
    events: list[Event] = field(default_factory=list)

    def poll(self) -> list[Event]:
        """Events completed since the last poll."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return []
        self.offset += len(data)
        self.pending += data
        *lines, self.pending = self.pending.split(b"\n")
        new = [e for e in map(self._parse, lines) if e]
        self.events += new
        return new

    def _parse(self, line: bytes) -> Event | None:
        try:
            data = json.loads(line)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("n") != self.nonce or not isinstance(data.get("e"), str):
            return None
        return Event(data["e"], data)

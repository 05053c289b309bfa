"""Authenticated event lines from a sandboxed process to the grader, over a pipe.

The sending process makes a fresh random key before any learner code exists in it and sends it
as its first line; every later line carries a sequence number and an HMAC of its content under
that key. Learner code running in the same process can write bytes to the pipe (its number is
guessable), but without the key a line it forges fails authentication, and the receiver counts
it: the parent then scores that exercise 0. The key is held only by the sender's closure, out of
reach of code that the audit hooks stop from walking frames and the heap (see grader/audit.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kata.outcomes import Event, encode

HELLO = "hello"
FATAL = "fatal"  # the sender could not set up its sandbox: a grader error, not the learner's
FD_ENV = "KATA_GRADER_CHANNEL_FD"  # the set-up run's channel (the zygote's come in its plan)
MAX_PENDING = 1 << 20  # bytes of an unfinished line kept: more is garbage, not an event


def _body(event: str, seq: int, fields: dict[str, Any]) -> bytes:
    return json.dumps({"e": event, "seq": seq, **fields}, sort_keys=True, ensure_ascii=True).encode()


def sender(fd: int) -> Callable[..., None]:
    """Open the channel on `fd` (sends the key) and return `send(event, **fields)`."""
    key = secrets.token_bytes(32)
    seq = [0]
    os.write(fd, encode(HELLO, key.hex()))

    def send(event: str, **fields: Any) -> None:
        seq[0] += 1
        mac = hmac.new(key, _body(event, seq[0], fields), hashlib.sha256).hexdigest()
        try:
            os.write(fd, encode(event, mac, seq=seq[0], **fields))  # one write per line: never torn
        except OSError:
            pass  # the learner's code closed the descriptor: the parent sees checks that never reported

    return send


@dataclass
class Receiver:
    """The grader's end of one channel: non-blocking reads, authenticated events only."""

    fd: int
    key: bytes | None = None
    seq: int = 0
    forged: int = 0  # complete lines that failed authentication, or came out of order
    closed: bool = False
    pending: bytes = b""
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        os.set_blocking(self.fd, False)

    def poll(self) -> list[Event]:
        """Events completed since the last poll."""
        while not self.closed:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            if not data:
                self.close()
                break
            self.pending += data
        *lines, self.pending = self.pending.split(b"\n")
        if len(self.pending) > MAX_PENDING:
            self.pending, self.forged = b"", self.forged + 1
        return [e for e in map(self._parse, lines) if e]

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self.fd)

    def _parse(self, line: bytes) -> Event | None:
        try:
            data = json.loads(line)
            event, mac = data.pop("e"), data.pop("n")
        except (ValueError, KeyError, TypeError, AttributeError):
            self.forged += 1
            return None
        if self.key is None:  # the first line, written before any learner code existed
            try:
                self.key = bytes.fromhex(mac) if event == HELLO and len(mac) == 64 else None
            except (TypeError, ValueError):
                pass
            if self.key is not None:
                return None
            self.forged += 1
            return None
        seq = data.get("seq")
        fields = {k: v for k, v in data.items() if k != "seq"}
        expected = hmac.new(self.key, _body(event, seq, fields), hashlib.sha256).hexdigest()
        if not isinstance(mac, str) or not mac.isascii() or not hmac.compare_digest(mac, expected) \
                or seq != self.seq + 1:
            self.forged += 1
            return None
        self.seq = seq
        return Event(event, fields)

"""Python audit hooks (PEP 578), installed in an exercise's process before its learner code runs.

They deny what no exercise needs and what an attack on the grader from inside the process would
use: reopening the process's own descriptors or another process's files under /proc, reading the
grader's code, solutions or other folders of the checkout, ctypes (raw memory), the heap walk
(`gc.get_objects` and friends), frames (`sys._getframe`, tracebacks' and generators' frames,
tracing hooks) and replacing a function's code (`f.__code__ = ...`). Introspection is denied when the code asking is
not trusted (trusted: the standard library, installed packages, the kata runtime, the grader and
the exercise's own checks), so pytest, torch and the checks work as before. Hooks cannot be
removed once added. They are a second line behind the sandbox and the authenticated channel, not
a boundary: see grader/SECURITY.md for what they do not stop.
"""

from __future__ import annotations

import os
import re
import sys
from _thread import get_ident
from collections.abc import Iterable

# Denied whatever the caller: no check, and no exercise, needs them once the checks are imported.
ALWAYS = frozenset({"ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.cdata", "ctypes.cdata/buffer",
                    "ctypes.addressof", "ctypes.string_at", "ctypes.wstring_at", "ctypes.call_function",
                    "ctypes.create_string_buffer", "ctypes.create_unicode_buffer", "ctypes.set_errno",
                    "ctypes.get_errno", "ctypes.seh_exception", "ctypes.PyObj_FromPtr"})
# Denied when the code that asks is not trusted.
INTROSPECTION = frozenset({"sys._getframe", "sys._current_frames", "sys._current_exceptions", "sys.settrace",
                           "sys.setprofile", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
                           "object.__getattr__", "code.__new__", "function.__new__", "compile", "exec",
                           "sys._getframemodulename", "object.__setattr__"})
FRAME_ATTRIBUTES = (("tb_frame",), ("gi_frame",), ("cr_frame",), ("ag_frame",), ("f_back",))
PATHS = frozenset({"open", "os.listdir", "os.scandir"})
# A frame handed out by these library helpers is denied when it belongs to untrusted code.
FRAME_HANDOUT = re.compile(r"[/\\](inspect|logging[/\\]__init__|traceback)\.py$")
PROC_OTHER = re.compile(r"^/proc/(self|thread-self|\d+)(/|$)")


class Denied(PermissionError):
    """Raised inside learner code for what the grader's sandbox denies."""


def _norm(path: object) -> str:
    if isinstance(path, int):
        return ""  # an open descriptor: nothing new is reached
    try:
        return os.path.normpath(os.path.join(os.getcwd(), os.fsdecode(path)))
    except (TypeError, ValueError, OSError):
        return ""


def install(trusted: Iterable[str], allowed: Iterable[str], denied: Iterable[str]) -> None:
    """Deny the events above from now on. `trusted`: folders and files whose code may introspect;
    `denied`: folders no code may open or list, unless they are inside one of `allowed`."""
    trusted_prefixes = tuple(os.path.join(os.path.normpath(p), "") if os.path.isdir(p) else os.path.normpath(p)
                             for p in trusted)
    allowed_prefixes = tuple(os.path.join(os.path.normpath(p), "") for p in allowed)
    denied_prefixes = tuple(os.path.join(os.path.normpath(p), "") for p in denied)
    busy: set[int] = set()
    getframe = sys._getframe

    def is_trusted(filename: str) -> bool:
        return filename.startswith(trusted_prefixes) or filename.startswith("<frozen ")

    def path_denied(path: str) -> bool:
        if not path:
            return False
        if PROC_OTHER.match(path) or path == "/dev/fd" or path.startswith("/dev/fd/"):
            return True
        here = os.path.join(path, "")
        return here.startswith(denied_prefixes) and not here.startswith(allowed_prefixes)

    def hook(event: str, args: tuple) -> None:
        if event in ALWAYS:
            raise Denied(f"the grader's sandbox does not allow {event}")
        if event in PATHS:
            if args and path_denied(_norm(args[0])):
                raise Denied(f"the grader's sandbox does not allow reading {os.fsdecode(args[0])!r}")
            return
        if event not in INTROSPECTION:
            return
        if event == "object.__getattr__" and args[1:2] not in FRAME_ATTRIBUTES \
                or event == "object.__setattr__" and args[1:2] != ("__code__",):
            return
        me = get_ident()
        if me in busy:
            return
        busy.add(me)
        try:
            caller = getframe(1).f_code.co_filename
            if not is_trusted(caller):
                raise Denied(f"the grader's sandbox does not allow {event} in learner code")
            if event == "sys._getframe" and FRAME_HANDOUT.search(caller) and args and \
                    not is_trusted(args[0].f_code.co_filename):
                raise Denied("the grader's sandbox does not hand out frames of learner code")
        finally:
            busy.discard(me)

    sys.addaudithook(hook)


"""Load the code under test and call it so that every way it can go wrong reads as one clear line.

A check never sees a raw traceback from the harness: a missing file or function, a stub that still
raises its NotImplementedError, a crash inside the learner's code and a wrong return type each become
a `pytest.fail` message that names the file, the function and what to do next.
"""

from __future__ import annotations

import traceback
import urllib.error
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kata.files import import_file
from kata.meta import Exercise


def fail(message: str) -> None:
    """Fail the current check with `message` alone: no traceback, since the message says it all."""
    __tracebackhide__ = True
    pytest.fail(message, pytrace=False)


def shown(path: Path) -> str:
    """A path as the learner would type it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_module(path: Path, exercise: Exercise) -> tuple[ModuleType, list[warnings.WarningMessage]]:
    """Import the file at `path` under a private name, with the warnings its import raised.

    Module-level code (a model built at import time) warns before any check watches, so the
    warnings are kept for the checks to read. Import problems become one-line failures.
    """
    __tracebackhide__ = True
    where = shown(path)
    if not path.is_file():
        fail(
            f"{where} is missing. Exercise {exercise.number} ({exercise.title}) is written in that "
            f"file; restore it from the starter repository."
        )
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = import_file(path, f"kata_under_test_{exercise.number}_{path.stem}_{abs(hash(str(path)))}")
        return module, caught
    except SyntaxError as exc:
        problem = f"{where} line {exc.lineno} has a syntax error: {exc.msg}\n    {(exc.text or '').strip()}"
    except (Exception, SystemExit) as exc:
        problem = f"importing {where} failed: {describe_crash(exc, path)}"
    fail(problem)  # outside `except`, so pytest shows no chained traceback


def describe_crash(exc: BaseException, path: Path, hint: str = "") -> str:
    """`ExcType: message`, a `hint` at its cause, and the deepest line of the learner's own file the
    error passed through. Without a hint from the check, a known error gets a general one."""
    if isinstance(exc, SystemExit):
        text = f"it called sys.exit({exc.code!r}); a function should return its result instead"
    elif isinstance(exc, Warning):
        text = f"it raised a warning that these checks treat as an error: {type(exc).__name__}: {exc}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, urllib.error.URLError) or "download.pytorch.org" in str(exc):
        text += (
            "\n    It tried to download weights. The kata provides resnet18's ImageNet weights "
            "offline; any other model or weights (resnet34, resnet50, ...) would need the internet. "
            "Use resnet18 with ResNet18_Weights.DEFAULT."
        )
    if not hint and "empty parameter list" in str(exc):
        hint = ("The optimizer was given no parameters: none of those it was handed required grad, "
                "or an iterator of them had been used up already.")
    if hint:
        text += f"\n    {hint}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    if frames:
        last = frames[-1]
        text += f"\n    at {shown(path)}:{last.lineno} in {last.name}: {(last.line or '').strip()}"
    elif isinstance(exc, TypeError):
        text += "\n    Keep the function's signature exactly as the starter file gives it."
    return text


# hypothesis looks these up on a test's first argument (here often the `learner` fixture).
HYPOTHESIS_HOOKS = frozenset({"execute_example", "setup_example", "teardown_example"})


def raised_in(exc: BaseException, path: Path) -> bool:
    """True when `exc` was raised by a line of the file at `path` itself, not by code it called."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename) == path


class Learner:
    """The module under test; `learner.some_function(...)` calls it with learner-facing failures.

    `import_warnings` holds what importing the module warned (see `load_module`).
    """

    def __init__(self, module: ModuleType, path: Path, exercise: Exercise,
                 import_warnings: list[warnings.WarningMessage] | None = None) -> None:
        self._module = module
        self._path = path
        self._exercise = exercise
        self.import_warnings = list(import_warnings or ())

    def __getattr__(self, name: str) -> Callable[..., Any]:
        __tracebackhide__ = True
        if name.startswith(("_", "hypothesis_")) or name in HYPOTHESIS_HOOKS:
            raise AttributeError(name)  # a probe by copy or hypothesis, not a check calling the learner
        function = getattr(self._module, name, None)
        if not callable(function):
            fail(
                f"{shown(self._path)} has no function `{name}`. The checks call it by that name: "
                f"restore its definition (see {shown(self._exercise.lesson)})."
            )
        return self._guarded(name, function)

    def attempt(self, name: str, *args: Any, **kwargs: Any) -> tuple[Any, BaseException | None]:
        """Call `name` and return (result, None), or (None, the exception it raised): for checks that
        expect an error (ValueError on a bad argument) or explain one. An unfinished stub still fails
        as "Not done yet"."""
        __tracebackhide__ = True
        function = getattr(self, name)
        try:
            return function.unguarded(*args, **kwargs), None
        except (Exception, SystemExit) as exc:
            if not self._is_stub(exc):
                return None, exc
        fail(self._not_done(name))

    def crashed(self, name: str, exc: BaseException, why: str = "") -> None:
        """Fail as a crash of `name` would read, for an error `attempt` returned; `why` adds what
        the check found out about it."""
        __tracebackhide__ = True
        fail(f"`{name}(...)` crashed: {describe_crash(exc, self._path, why)}")

    def _is_stub(self, exc: BaseException) -> bool:
        """An unfinished stub: a NotImplementedError raised by the learner's file itself. One raised
        inside torch (a meta tensor that cannot be copied, an op without a kernel) is a crash."""
        return isinstance(exc, NotImplementedError) and raised_in(exc, self._path)

    def _not_done(self, name: str) -> str:
        return (
            f"Not done yet: `{name}` in {shown(self._path)} still raises "
            f"NotImplementedError. Read {shown(self._exercise.lesson)} and fill in the TODOs."
        )

    def _guarded(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            try:
                return function(*args, **kwargs)
            except (Exception, SystemExit) as exc:
                problem = self._not_done(name) if self._is_stub(exc) else (
                    f"`{name}(...)` crashed: {describe_crash(exc, self._path)}")
            fail(problem)  # outside `except`, so pytest shows no chained traceback

        call.unguarded = function  # type: ignore[attr-defined]
        return call

"""Chaff helper: a fresh copy of an exercise's reference solution, broken in exactly one place.

A chaff that gets one step of a long exercise wrong can then state only that step:

    def extract_features(model, loader, device): ...  # the plausible mistake
    _solution = solution_with("08", extract_features=extract_features)
    def __getattr__(name): return getattr(_solution, name)  # everything else as in the reference

The reference's own functions call the replacement, because it replaces a global of their module.
"""

from __future__ import annotations

import itertools
from types import ModuleType

from kata.files import import_file
from kata.meta import REPO_ROOT, load_exercise

_copies = itertools.count()


def solution_with(number: str, **replacements: object) -> ModuleType:
    """solutions/<number>'s module, loaded afresh (never shared with another chaff), with
    `replacements` overriding its globals."""
    exercise = load_exercise(REPO_ROOT / "exercises" / number)
    path = exercise.module_path(REPO_ROOT / "solutions")
    module = import_file(path, f"solution_copy_{number}_{next(_copies)}")
    missing = [name for name in replacements if not hasattr(module, name)]
    assert not missing, f"{path} has no {missing}: a chaff can only replace what the reference defines"
    vars(module).update(replacements)
    return module

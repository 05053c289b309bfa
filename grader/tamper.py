"""Notice, and undo, learner code that replaces the functions the checks rely on.

A submission runs in the same process as its checks, so `torch.equal = lambda *a: True` at import
would make a comparison lie. Before any learner code runs, the child records which object every
watched name points to; after each check it compares, names what changed, and puts the originals
back so the exercises that follow are graded with the real functions. This catches replacement
of names, not every in-process trick (see grader/SECURITY.md).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

# Modules whose names checks and the harness look up at call time. A name added later is fine
# (lazy submodules appear), a name replaced or removed is tampering.
MODULES = (
    "builtins", "math", "operator", "copy",
    "torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.optim", "torch.testing",
    "torchvision", "torchvision.models", "torchvision.transforms",
    "pytest", "_pytest.outcomes", "_pytest.runner", "_pytest.reports", "_pytest.python",
    "_pytest.fixtures", "pluggy", "hypothesis",
    "kata.checks", "kata.learner", "kata.plugin", "kata.weights", "kata.meta",
    "kata.outcomes", "kata.training", "kata.files",
    "grader.child", "grader.channel", "grader.audit", "grader.privileges", "grader.tamper",
)
# Classes whose methods checks call on learner objects: here an added name counts too
# (defining `__eq__` on Tensor, say).
CLASSES = (
    ("torch", "Tensor"), ("torch._C", "TensorBase"), ("torch.nn", "Module"), ("torch.nn", "Parameter"),
    ("torch.nn", "Linear"), ("torch.nn", "BatchNorm2d"), ("torch.nn.modules.batchnorm", "_BatchNorm"),
    ("torch.optim", "Optimizer"), ("torchvision.models", "ResNet"), ("_pytest.reports", "TestReport"),
    ("_pytest.runner", "CallInfo"),
)
# Ever-changing bookkeeping that is not a function anyone compares with.
IGNORED = {"builtins._", "torch.__config__"}
# copyreg caches this on a class the first time one of its objects is pickled (torch.save does).
IGNORED_KEYS = {"__slotnames__"}


class Guard:
    """A snapshot of watched names, checked and restored after every check.

    `checks`: the files of the check modules, whose own imported helpers (`fail`, `expect_*`,
    the libraries) are watched too.
    """

    def __init__(self, checks: list[str] = ()) -> None:
        self.owners: dict[str, Any] = {}
        self.snapshot: dict[str, dict[str, Any]] = {}
        self.strict: set[str] = set()
        for name in MODULES:
            module = sys.modules.get(name)
            if module is not None:
                self._watch(name, module, strict=False)
        files = set(checks)
        for name, module in list(sys.modules.items()):
            if getattr(module, "__file__", None) in files:
                self._watch(name, module, strict=False, only=_imported)
        for module_name, attr in CLASSES:
            module = sys.modules.get(module_name)
            cls = getattr(module, attr, None) if module is not None else None
            if isinstance(cls, type):
                self._watch(f"{module_name}.{attr}", cls, strict=True)

    def _watch(self, label: str, owner: Any, strict: bool, only: Callable[[Any], bool] = lambda _: True) -> None:
        self.owners[label] = owner
        self.snapshot[label] = {k: v for k, v in vars(owner).items() if only(v)}
        if strict:
            self.strict.add(label)

    def check_and_restore(self) -> list[str]:
        """Names replaced, removed or (on classes) added since the snapshot, and torch modes left
        active; originals put back, modes switched off."""
        changed: list[str] = active_torch_modes()
        for label, before in self.snapshot.items():
            owner = self.owners[label]
            now = vars(owner)
            for key, value in before.items():
                full = f"{label}.{key}"
                if full in IGNORED or key in IGNORED_KEYS:
                    continue
                if key not in now or now[key] is not value:
                    changed.append(full)
                    _restore(owner, key, value)
            if label in self.strict:
                for key in [k for k in now if k not in before and k not in IGNORED_KEYS]:
                    changed.append(f"{label}.{key}")
                    _restore(owner, key, None, remove=True)
        return changed


def _imported(value: Any) -> bool:
    """A check module's helpers: functions, classes and modules (not its data)."""
    return callable(value) or isinstance(value, ModuleType)


def active_torch_modes() -> list[str]:
    """Torch function and dispatch modes that are on, switched off: each answers for torch."""
    import torch

    found = []
    while torch._C._len_torch_function_stack():
        found.append(f"a torch function mode left on ({type(torch._C._pop_torch_function_stack()).__name__})")
    while torch._C._len_torch_dispatch_stack():
        found.append(f"a torch dispatch mode left on ({type(torch._C._pop_torch_dispatch_stack(None)).__name__})")
    return found


def _restore(owner: Any, key: str, value: Any, remove: bool = False) -> None:
    try:
        if remove:
            delattr(owner, key)
        else:
            setattr(owner, key, value)
    except (AttributeError, TypeError):
        pass


def preload() -> None:
    """Import the watched modules that exist, so the snapshot covers them (cheap: torch is loaded)."""
    for name in MODULES:
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except ImportError:
                pass

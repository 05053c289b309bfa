"""Small file jobs the runtime, the tools and the grader all need, written once.

Standard library only: the grader's parent process imports this without paying for torch.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

# Folders and files that tools, tests and the grader write beside the code: never content.
CACHE_NAMES = ("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".kata", "*.egg-info")


def is_cache(path: Path) -> bool:
    """True when any part of `path` is a cache folder or file (see CACHE_NAMES)."""
    return any(Path(part).match(pattern) for part in path.parts for pattern in CACHE_NAMES)


def ignore_caches() -> Callable[[str, list[str]], set[str]]:
    """An `ignore=` for shutil.copytree that leaves every cache behind."""
    return shutil.ignore_patterns(*CACHE_NAMES)


def write_atomically(path: Path, content: str | bytes, save: Callable[[Path], None] | None = None) -> None:
    """Write beside `path`, then rename over it, so no reader ever sees half a file.

    `save(tmp)` writes the file for formats with their own writer (torch.save); a special file
    (/dev/stdout, a FIFO) is written as it is.
    """
    if path.exists() and not path.is_file():
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if save is not None:
        save(tmp)
    else:
        tmp.write_bytes(content.encode() if isinstance(content, str) else content)
    os.replace(tmp, path)


def sha256_of(path: Path) -> str:
    """The file's sha256 as hex, read in 1 MiB blocks (checkpoints are large)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(path: Path, name: str) -> ModuleType:
    """Import the file at `path` as a module called `name`, without touching sys.modules.

    Errors propagate: callers decide how to report them (the runtime as one learner-facing line).
    """
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

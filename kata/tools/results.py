"""What `kata progress` remembers: each exercise's last tally, keyed by everything that decides it.

A remembered tally is a real run of the checks on exactly the content its key hashes: the exercise
folder (the learner's file, the checks, the data), the kata runtime (`kata/*.py`) and the root
`conftest.py`, the versions of the packages that run the checks, and the checkpoints in the user's
torch cache (they decide which weights the checks load). Change any of these and that exercise runs
again; `kata progress --fresh` ignores everything remembered. Standard library only, so an
unchanged kata answers without importing torch.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as metadata
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import kata
from kata.files import is_cache, sha256_of, write_atomically
from kata.meta import Exercise

if TYPE_CHECKING:
    from kata.tools.progress import Tally

RESULTS_FILE = "progress.json"
FORMAT = "1"  # a change here forgets every remembered result
PACKAGES = ("torch", "torchvision", "pytest", "hypothesis", "pytest-timeout")


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _files(folder: Path) -> list[str]:
    """`relative/path sha256` for every file under `folder`, caches left out, in a fixed order."""
    found = sorted(p for p in folder.rglob("*") if p.is_file() and not is_cache(p.relative_to(folder)))
    return [f"{p.relative_to(folder).as_posix()} {sha256_of(p)}" for p in found]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _torch_checkpoints() -> list[str]:
    """Name, size and modification time of each file in the user's torch checkpoint cache.

    The folder follows torch.hub's rule (as kata.weights.user_torch_home, which needs torch).
    """
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "torch"
    folder = Path(os.environ.get("TORCH_HOME", default)).expanduser() / "hub" / "checkpoints"
    entries = sorted(folder.iterdir()) if folder.is_dir() else []
    return [f"{folder}"] + [f"{p.name} {p.stat().st_size} {p.stat().st_mtime_ns}" for p in entries]


def shared_key(root: Path) -> str:
    """The part of every exercise's key that is not in its folder: runtime, packages, weights."""
    runtime = root / "kata" if (root / "kata" / "plugin.py").is_file() else Path(kata.__file__).parent
    conftest = root / "conftest.py"
    parts = [FORMAT, sys.version, *(f"{n} {_version(n)}" for n in PACKAGES),
             *(f"{p.name} {sha256_of(p)}" for p in sorted(runtime.glob("*.py"))),
             sha256_of(conftest) if conftest.is_file() else "-", *_torch_checkpoints()]
    return _digest(parts)


def exercise_key(exercise: Exercise, shared: str) -> str:
    return _digest([shared, exercise.number, *_files(exercise.folder)])


def recall(home: Path, current: dict[str, str]) -> dict[str, Tally]:
    """The remembered tallies whose key still matches; a missing or unreadable file remembers nothing."""
    from kata.tools.progress import Tally

    try:
        stored = json.loads((home / RESULTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for number, key in current.items():
        entry = stored.get(number) if isinstance(stored, dict) else None
        if isinstance(entry, dict) and entry.get("key") == key:
            try:
                tally = Tally(**entry["tally"])
            except (KeyError, TypeError):
                continue
            tally.failed = [tuple(f) for f in tally.failed]
            tally.skipped = [tuple(s) for s in tally.skipped]
            found[number] = tally
    return found


def remember(home: Path, results: dict[str, tuple[str, Tally]]) -> None:
    """Store `{number: (key, tally)}` beside what is already remembered for other exercises."""
    path = home / RESULTS_FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        stored = stored if isinstance(stored, dict) else {}
    except (OSError, ValueError):
        stored = {}
    for number, (key, tally) in results.items():
        stored[number] = {"key": key, "tally": asdict(tally)}
    write_atomically(path, json.dumps(stored, indent=1, sort_keys=True) + "\n")

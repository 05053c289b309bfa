"""Write a file so that no reader ever sees half of it (results, gradebook, manifest)."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write beside `path`, then rename over it; a special file (/dev/stdout, a FIFO) is written as is."""
    if path.exists() and not path.is_file():
        path.write_text(text, encoding="utf-8")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def readable_by_all(folder: Path) -> None:
    """Folders 0755, files 0644: the sandbox user may read the tree but not change it."""
    for current, _, names in os.walk(folder):
        os.chmod(current, 0o755)
        for name in names:
            os.chmod(os.path.join(current, name), 0o644)

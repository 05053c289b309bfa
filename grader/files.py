"""File modes for the trees the sandboxed child reads (atomic writes: kata.files)."""

from __future__ import annotations

import os
from pathlib import Path


def readable_by_all(folder: Path) -> None:
    """Folders 0755, files 0644: the sandbox user may read the tree but not change it."""
    for current, _, names in os.walk(folder):
        os.chmod(current, 0o755)
        for name in names:
            os.chmod(os.path.join(current, name), 0o644)

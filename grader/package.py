"""`gradescope-package OUT.zip`: a Gradescope autograder built from this repository.

The zip's root holds Gradescope's `setup.sh` and `run_autograder` (grader/gradescope/) next to
what grading needs: the exercises (with their checks), kata/, grader/ with its hidden checks,
conftest.py and pyproject.toml. No solutions, chaff or self-tests. Gradescope unpacks it in
/autograder/source; run_autograder grades /autograder/submission into
/autograder/results/results.json, and writes a valid file even when everything else fails.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from kata.files import is_cache
from kata.meta import REPO_ROOT, all_exercises

SCRIPTS = Path(__file__).resolve().parent / "gradescope"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not is_cache(p.relative_to(folder)))


def grading_tree() -> dict[str, Path]:
    """What the kata's grader needs to grade anywhere (name -> file): the exercises with their checks,
    kata/, grader/ with its hidden checks, conftest.py and pyproject.toml. No solutions, chaff or self-tests."""
    entries: dict[str, Path] = {}
    for exercise in all_exercises():
        for path in _files(exercise.folder):
            entries[f"exercises/{exercise.number}/{path.relative_to(exercise.folder).as_posix()}"] = path
    for package in ("kata", "grader"):
        for path in _files(REPO_ROOT / package):
            entries[path.relative_to(REPO_ROOT).as_posix()] = path
    for name in ("conftest.py", "pyproject.toml"):
        entries[name] = REPO_ROOT / name
    return entries


def contents() -> dict[str, Path]:
    """Archive name -> file on disk."""
    return {**{name: SCRIPTS / name for name in ("setup.sh", "run_autograder")}, **grading_tree()}


def build(out: Path) -> list[str]:
    out.parent.mkdir(parents=True, exist_ok=True)
    names = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(contents().items()):
            info = zipfile.ZipInfo.from_file(path, name)
            executable = path.stat().st_mode & stat.S_IXUSR
            info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
            names.append(name)
    return names

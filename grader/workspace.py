"""Build the folder a submission is graded in, from the grader's pristine copy plus vetted learner files.

    <workspace>/exercises/NN/          the grader's own exercise folder (checks, exercise.toml, data),
                                       its hidden checks, and the learner's module if it was accepted
    <workspace>/scratch/NN/home, tmp   the only folders exercise NN's process may write to

The learner's copy of the checks, conftest.py, configuration and any other file never get in:
the workspace holds nothing the learner chose except the bytes of the allowlisted modules. It is
private: mode 0700 (0750 with the sandbox uid's group when the grader is root, so that uid reads
it and cannot change it); each exercise's scratch folders belong to the sandbox uid alone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kata.files import ignore_caches
from kata.meta import Exercise

from grader.files import readable_by_all
from grader.submission import LearnerFile

SKIP = ignore_caches()
HIDDEN_DIR = Path(__file__).resolve().parent / "hidden"


def hidden_files(exercise: Exercise) -> list[Path]:
    """The instructor-only checks of an exercise (grader/hidden/NN/test_hidden_*.py)."""
    return sorted((HIDDEN_DIR / exercise.number).glob("test_hidden_*.py"))


@dataclass
class Workspace:
    root: Path

    def scratch(self, number: str) -> Path:
        return self.root / "scratch" / number

    def home(self, number: str) -> Path:
        return self.scratch(number) / "home"

    def tmp(self, number: str) -> Path:
        return self.scratch(number) / "tmp"

    def writable(self, numbers: list[str]) -> list[Path]:
        return [self.scratch(n) for n in numbers]

    def remove(self) -> None:
        def retry(function, path, _):  # learner code may have made a folder read-only
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700) if os.path.isdir(path) else None
            function(path)

        shutil.rmtree(self.root, onerror=retry)


def build(exercises: list[Exercise], files: dict[str, LearnerFile], parent: Path | None, uid: int | None,
          numbers: list[str]) -> Workspace:
    """The workspace, with scratch folders for the processes named by `numbers`."""
    root = Path(tempfile.mkdtemp(prefix="kata-ws-", dir=parent))
    ws = Workspace(root)
    for exercise in exercises:
        target = root / "exercises" / exercise.number
        stub = exercise.folder / exercise.module
        shutil.copytree(exercise.folder, target,
                        ignore=lambda d, names, stub=stub: SKIP(d, names) | ({stub.name} if Path(d) == stub.parent else set()))
        for hidden in hidden_files(exercise):
            shutil.copyfile(hidden, target / hidden.name)
        learner = files.get(exercise.number)
        if learner and learner.ok:
            (target / exercise.module).write_bytes(learner.content)
    private = [p for n in numbers for p in (ws.home(n), ws.tmp(n))]
    for folder in private:
        folder.mkdir(parents=True)
    readable_by_all(root)
    as_root = uid is not None and os.geteuid() == 0
    for folder in [*private, *ws.writable(numbers)]:
        os.chmod(folder, 0o700)
        if as_root:
            os.chown(folder, uid, uid)
    if as_root:
        os.chown(root, 0, uid)
    os.chmod(root, 0o750 if as_root else 0o700)
    return ws

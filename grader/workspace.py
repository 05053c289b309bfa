"""Build the folder a submission is graded in, from the grader's pristine copy plus vetted learner files.

    <workspace>/exercises/NN/   the grader's own exercise folder (checks, exercise.toml, data),
                                its hidden checks, and the learner's module if it was accepted
    <workspace>/home, tmp       the only folders the sandboxed child may write to

The learner's copy of the checks, conftest.py, configuration and any other file never get in:
the workspace holds nothing the learner chose except the bytes of the allowlisted modules.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kata.files import ignore_caches
from kata.meta import Exercise

from grader.assignment import hidden_files
from grader.files import readable_by_all
from grader.submission import LearnerFile

SKIP = ignore_caches()


@dataclass
class Workspace:
    root: Path

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    def remove(self) -> None:
        def retry(function, path, _):  # learner code may have made a folder read-only
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700) if os.path.isdir(path) else None
            function(path)

        shutil.rmtree(self.root, onerror=retry)


def build(exercises: list[Exercise], files: dict[str, LearnerFile], parent: Path | None, uid: int | None) -> Workspace:
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
    for private in (ws.home, ws.tmp):
        private.mkdir()
    readable_by_all(root)
    if uid is not None and os.geteuid() == 0:
        for private in (ws.home, ws.tmp):
            os.chown(private, uid, uid)
            os.chmod(private, 0o700)
    return ws

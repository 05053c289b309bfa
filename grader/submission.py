"""Find the learner's files in a submission and vet each one before anything runs it.

Only the allowlisted files count: for each exercise, the one module the learner edits
(`exercises/NN/<module>` from exercise.toml). Everything else in the submission (their copy of
the checks, a conftest.py, a pytest.ini, a torch.py, results files) is never looked at. A file
is accepted when it is a regular file inside the submission (a symlink must not lead out of it),
at most MAX_BYTES long, and decodes as Python source text; otherwise the exercise gets a clear
verdict and is not run. Layouts understood, in this order: the learner's repository
(`exercises/NN/<module>`), the reference layout (`NN/<module>`, as in solutions/), and a flat
upload of the modules (`<module>`); a submission wrapped in one folder (a zip) is unwrapped.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from kata.meta import Exercise

from grader import results

MAX_BYTES = 1024 * 1024
CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)


@dataclass(frozen=True)
class LearnerFile:
    exercise: str
    shown: str  # the path as the learner knows it, relative to the submission
    status: str  # "ok", results.MISSING or results.REJECTED
    message: str = ""
    content: bytes = b""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def layout_root(root: Path, exercises: list[Exercise]) -> Path:
    """The folder that holds the files: `root`, or the single folder a zip wrapped them in."""
    def holds_files(folder: Path) -> bool:
        return (folder / "exercises").is_dir() or any(
            os.path.lexists(folder / e.number / e.module) or os.path.lexists(folder / e.module) for e in exercises
        )

    if holds_files(root):
        return root
    folders = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink()
               and not p.name.startswith((".", "__MACOSX"))] if root.is_dir() else []
    return folders[0] if len(folders) == 1 and holds_files(folders[0]) else root


def candidates(root: Path, exercise: Exercise) -> list[Path]:
    return [root / "exercises" / exercise.number / exercise.module,
            root / exercise.number / exercise.module,
            root / exercise.module]


def vet(path: Path, root: Path, exercise: Exercise) -> LearnerFile:
    """Accept or reject one file, with a message that says what to do about it."""
    shown = path.relative_to(root).as_posix()
    reject = lambda why: LearnerFile(exercise.number, shown, results.REJECTED, f"{shown} {why}")  # noqa: E731
    resolved = path.resolve()
    if path.is_symlink() or resolved != path.absolute():
        if not resolved.is_relative_to(root.resolve()):
            return reject("is a symbolic link that points outside the submission. Submit the file itself.")
    try:
        info = resolved.stat()
    except OSError as exc:
        return reject(f"cannot be read ({exc.strerror}).")
    if not stat.S_ISREG(info.st_mode):
        return reject("is not a regular file. Submit the Python file itself.")
    if info.st_size > MAX_BYTES:
        return reject(f"is {info.st_size / 1e6:.1f} MB; the grader reads files of at most "
                      f"{MAX_BYTES // 1024} KB. Submit only your code.")
    content = resolved.read_bytes()[: MAX_BYTES + 1]
    problem = undecodable(content)
    if problem:
        return reject(problem)
    return LearnerFile(exercise.number, shown, "ok", "", content)


def undecodable(content: bytes) -> str:
    """Why Python could not read `content` as source text ("" if it can): the PEP 263 rules."""
    head = b"\n".join(content.split(b"\n", 2)[:2])
    cookie = CODING.search(head)
    encoding = cookie.group(1).decode("ascii") if cookie else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        return f"declares the encoding {encoding!r}, which Python does not know. Remove the coding line."
    try:
        content.decode(encoding)
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return (f"is not valid {encoding.upper()} text (byte 0x{content[exc.start]:02x} on line {line}). "
                f"Save it with the UTF-8 encoding.")
    return ""


def collect(submission: Path, exercises: list[Exercise]) -> dict[str, LearnerFile]:
    """The vetted learner file (or the reason there is none) for every exercise."""
    root = layout_root(submission, exercises)
    found: dict[str, LearnerFile] = {}
    for exercise in exercises:
        path = next((p for p in candidates(root, exercise) if os.path.lexists(p)), None)
        if path is None:
            shown = f"exercises/{exercise.number}/{exercise.module}"
            found[exercise.number] = LearnerFile(
                exercise.number, shown, results.MISSING,
                f"{shown} is not in the submission. Exercise {exercise.number} ({exercise.title}) "
                f"is written in that file.")
        else:
            found[exercise.number] = vet(path, root, exercise)
    return found


def fingerprint(files: dict[str, LearnerFile]) -> str:
    """Changes when any learner file (or its verdict) changes: lets a batch skip what is done."""
    digest = hashlib.sha256()
    for number in sorted(files):
        f = files[number]
        digest.update(f"{number}\0{f.status}\0{f.shown}\0".encode())
        digest.update(hashlib.sha256(f.content).digest())
    return digest.hexdigest()

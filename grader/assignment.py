"""What is being graded: the exercises (from their metadata), their checks, and each check's points.

The grader knows the full set of expected checks before it runs any learner code: a trusted
set-up run (`grader.prepare`, no learner code) collects the pristine checks and the hidden ones
once per version of them and caches the manifest. A check that never reports is then a failure
with a reason, never a silent omission. Points: an exercise's `points` split evenly over its
checks, visible and hidden. Checks that need the real ImageNet weights are left out (and listed
as ungraded) when the grader's machine only has the stand-in.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kata.files import write_atomically
from kata.meta import REPO_ROOT, Exercise, all_exercises
from kata.outcomes import COLLECTED

from grader import channel, sandbox, workspace
from grader.files import readable_by_all
from grader.workspace import hidden_files

GRADER_DIR = Path(__file__).resolve().parent
PYTEST_INI = GRADER_DIR / "pytest.ini"
# Files whose change can change the set of checks or what they need: the cache key.
CODE_FILES = ("kata/*.py",  # the runtime only: kata/tools/ is the learner's, and changes no grade
              "grader/assignment.py", "grader/prepare.py", "grader/pytest.ini")


class GraderError(Exception):
    """The grader could not grade at all (as opposed to a submission that scores 0)."""


@dataclass(frozen=True)
class Check:
    nodeid: str
    exercise: str
    name: str
    hidden: bool
    max_points: float


@dataclass
class Assignment:
    exercises: list[Exercise]
    checks: dict[str, list[Check]]  # by exercise number, in run order
    ungraded: dict[str, str]  # check id: why this grader leaves it out
    weights: str
    key: str
    cache: Path

    @property
    def kata_home(self) -> Path:
        return self.cache / "kata"

    @property
    def torch_home(self) -> Path:
        return self.cache / "torch"


def check_files(exercise: Exercise) -> list[str]:
    """The exercise's check files in the workspace, visible first: the basics fail first."""
    visible = sorted(p.name for p in exercise.folder.glob("test_*.py"))
    return [f"exercises/{exercise.number}/{name}" for name in visible + [p.name for p in hidden_files(exercise)]]


def manifest_name(key: str) -> str:
    """One manifest per version of the checks, so two versions can share a cache."""
    return f"manifest-{key[:16]}.json"


def default_cache() -> Path:
    """`$KATA_GRADER_CACHE`, else the repository's git-ignored .kata/grader, else ~/.cache."""
    if os.environ.get("KATA_GRADER_CACHE"):
        return Path(os.environ["KATA_GRADER_CACHE"])
    local = REPO_ROOT / ".kata"
    if os.access(REPO_ROOT, os.W_OK) and (not local.exists() or os.access(local, os.W_OK)):
        return local / "grader"
    return Path.home() / ".cache" / "kata-grader"


def fingerprint(exercises: list[Exercise]) -> str:
    """Hash of everything the checks are made of: exercise folders, hidden checks, kata, grader glue."""
    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}\0".encode())
    files: list[Path] = []
    for exercise in exercises:
        files += [p for p in sorted(exercise.folder.rglob("*")) if p.is_file() and p.name != exercise.module
                  and not any(part == "__pycache__" or part.startswith(".")
                              for part in p.relative_to(exercise.folder).parts)]
        files += hidden_files(exercise)
    for pattern in CODE_FILES:
        files += sorted(REPO_ROOT.glob(pattern))
    for path in files:  # relative names: a copy of the same checks (a Gradescope package) shares the cache
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def pytest_args(paths: list[str], deselect: list[str] = ()) -> list[str]:
    """The child's pytest command line: the grader's own config, no conftest, no autoloading."""
    args = ["-c", str(PYTEST_INI), "--rootdir", ".", "--noconftest", "--import-mode=importlib",
            "-p", "no:cacheprovider", "-p", "no:stepwise", "-p", "kata.plugin",
            "-p", "_hypothesis_pytestplugin", "-p", "pytest_timeout", "-q", "--no-header"]
    for nodeid in deselect:
        args += ["--deselect", nodeid]
    return args + paths


def _stat(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
        return [info.st_size, int(info.st_mtime)]
    except OSError:
        return None


def _prepare(exercises: list[Exercise], cache: Path, key: str, limits: sandbox.Limits) -> dict:
    """Run the trusted set-up process (no learner code): weights provisioned, checks collected."""
    cache.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="kata-prepare-"))
    ws = workspace.build(exercises, {}, None, None, ["prepare"])
    read, write = os.pipe()
    env = sandbox.base_env(ws.home("prepare"), ws.tmp("prepare"), limits.threads)
    for name in ("HOME", "TORCH_HOME", "XDG_CACHE_HOME"):  # to find the grader's own ImageNet weights
        if name in os.environ:
            env[name] = os.environ[name]
    env.update({channel.FD_ENV: str(write), "KATA_GRADER_CACHE": str(cache), "KATA_HOME": str(cache / "kata")})
    args = pytest_args([f for e in exercises for f in check_files(e)]) + ["-p", "grader.prepare", "--collect-only"]
    try:
        process = sandbox.Process(sandbox.python_command(sandbox.PYTEST_BOOT, *args), ws.root, env,
                                  run_dir / "log.txt", limits, [write])
    finally:
        os.close(write)
    receiver, events = channel.Receiver(read), []
    deadline = time.monotonic() + limits.startup_s
    while not events and time.monotonic() < deadline and not (receiver.closed and process.proc.poll() is not None):
        events = [e for e in receiver.poll() if e.event == COLLECTED]
        time.sleep(0.05) if not events else None
    process.kill()
    receiver.close()
    log = process.log_tail()
    ws.remove()
    shutil.rmtree(run_dir, ignore_errors=True)
    if not events:
        raise GraderError(f"the grader's set-up run (collecting the checks) failed:\n{log}")
    manifest = events[0].fields
    if manifest["errors"]:
        raise GraderError("the grader's checks do not collect:\n" + "\n".join(manifest["errors"]))
    manifest["key"] = key
    write_atomically(cache / manifest_name(key), json.dumps(manifest, indent=1))
    readable_by_all(cache)  # the sandbox reads the weights and cannot change them
    return manifest


def load(limits: sandbox.Limits, cache: Path | None = None, exercises: list[Exercise] | None = None) -> Assignment:
    """The assignment, from the cached manifest when the checks have not changed since."""
    exercises = exercises if exercises is not None else all_exercises()
    if not exercises:
        raise GraderError(f"no exercises found under {REPO_ROOT / 'exercises'}")
    cache = (cache or default_cache()).resolve()
    key = fingerprint(exercises)
    manifest = None
    try:
        manifest = json.loads((cache / manifest_name(key)).read_text(encoding="utf-8"))
        if manifest.get("key") != key or _stat(manifest["candidate"]) != manifest["signature"]:
            manifest = None
    except (OSError, ValueError, KeyError):
        manifest = None
    if manifest is None:
        manifest = _prepare(exercises, cache, key, limits)
    return _from_manifest(exercises, manifest, cache)


def split(points: float, parts: int) -> list[float]:
    """`points` in `parts` near-equal shares of 4 decimals that add up to exactly `points`."""
    marks = [round(points * i / parts, 4) for i in range(parts + 1)]
    return [round(b - a, 4) for a, b in zip(marks, marks[1:])]


def _from_manifest(exercises: list[Exercise], manifest: dict, cache: Path) -> Assignment:
    by_exercise: dict[str, list[dict]] = {e.number: [] for e in exercises}
    ungraded = {}
    for check in manifest["checks"]:
        number = check["id"].split("/")[1]
        if check["imagenet"] and not manifest["imagenet"]:
            ungraded[check["id"]] = "needs the real ImageNet weights; this grader has the stand-in"
        elif number in by_exercise:
            by_exercise[number].append(check)
    checks = {}
    for exercise in exercises:
        found = by_exercise[exercise.number]
        if not found:
            raise GraderError(f"exercise {exercise.number} has no checks: nothing could earn its points")
        shares = split(exercise.points, len(found))
        checks[exercise.number] = [
            Check(c["id"], exercise.number, c["id"].split("::", 1)[1],
                  Path(c["id"].split("::", 1)[0]).name.startswith("test_hidden_"), share)
            for c, share in zip(found, shares)
        ]
    return Assignment(exercises, checks, ungraded, manifest["weights"], manifest["key"], cache)

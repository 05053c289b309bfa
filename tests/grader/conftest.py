"""Fixtures for the grader's self-tests: the corpus of submissions graded once, in one batch.

Each folder under submissions/ is a submission plus a CASE.toml that says what it is about and
what the test adds at run time (reference solutions, files git should not hold: a
symlink out of the submission, a huge file). The whole corpus is graded by ONE
`python -m grader batch --jobs 2` run, shared by every test that needs it. Hostile cases attack
exercise 01, whose time limit is cut to a few seconds for the run.
"""

from __future__ import annotations

import ast
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kata.meta import REPO_ROOT, Exercise, all_exercises

HERE = Path(__file__).resolve().parent
SUBMISSIONS = HERE / "submissions"
GOLDEN = HERE / "golden"
CORPUS_OPTIONS = ["--time-limit", "01=10", "--grace", "2"]


def run_grader(*args: str, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def case_settings(case: Path) -> dict:
    return tomllib.loads((case / "CASE.toml").read_text(encoding="utf-8"))


def chosen(value: object, exercises: list[Exercise]) -> list[Exercise]:
    if value == "all":
        return exercises
    return [e for e in exercises if e.number in (value or [])]


def materialize(case: Path, target: Path, exercises: list[Exercise]) -> None:
    """The submission as a learner would hand it in: case files, plus what CASE.toml asks for."""
    settings = case_settings(case)
    shutil.copytree(case, target, symlinks=True, ignore=shutil.ignore_patterns("CASE.toml"))
    for exercise in chosen(settings.get("solutions"), exercises):
        dest = target / "exercises" / exercise.number / exercise.module
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exercise.module_path(REPO_ROOT / "solutions"), dest)
    for made in settings.get("make", []):
        path = target / made["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        if made["kind"] == "symlink-outside":
            outside = target.parent.parent / "outside.py"
            outside.write_text("def load_pretrained():\n    return 'read from outside'\n", encoding="utf-8")
            path.symlink_to(outside)
        elif made["kind"] == "huge":
            path.write_text("# padding\n" * 300_000, encoding="utf-8")
        else:
            raise ValueError(f"{case.name}: unknown make kind {made['kind']!r}")


CASES = sorted(p.name for p in SUBMISSIONS.iterdir() if (p / "CASE.toml").is_file())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Checks that need the graded corpus run last: under `pytest -n`, a worker waiting for another
    to grade it then holds up nothing else."""
    items.sort(key=lambda item: "corpus" in getattr(item, "fixturenames", ()))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", CASES)


@pytest.fixture(scope="session")
def exercises() -> list[Exercise]:
    return all_exercises()


@dataclass(frozen=True)
class Corpus:
    folder: Path  # the class: one folder per submission
    out: Path  # the batch's results folder
    stdout: str
    options: tuple[str, ...] = tuple(CORPUS_OPTIONS)

    def result(self, case: str) -> dict:
        return json.loads((self.out / "results" / f"{case}.json").read_text(encoding="utf-8"))

    @staticmethod
    def settings(case: str) -> dict:
        return case_settings(SUBMISSIONS / case)

    @staticmethod
    def golden(case: str) -> Path:
        return GOLDEN / "submissions" / f"{case}.json"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory, exercises: list[Exercise]) -> Corpus:
    """The whole corpus, graded by one batch run with two jobs, once for the whole test run: under
    `pytest -n`, the first worker to need it grades it and the others wait for its results."""
    run = tmp_path_factory.getbasetemp()
    base = (run.parent if os.environ.get("PYTEST_XDIST_WORKER") else run) / "corpus"  # this run's workers share it
    base.mkdir(exist_ok=True)
    folder, out, log = base / "class", base / "graded", base / "batch-output.txt"
    with open(base / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            folder.mkdir()
            for case in CASES:
                materialize(SUBMISSIONS / case, folder / case, exercises)
            done = run_grader("batch", str(folder), "--jobs", "2", "--out", str(out), *CORPUS_OPTIONS)
            assert done.returncode == 0, done.stdout + done.stderr
            log.write_text(done.stdout, encoding="utf-8")
    return Corpus(folder, out, log.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def grader() -> Callable[..., subprocess.CompletedProcess]:
    return run_grader


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """`exported(command, name)`: what `python -m grader <command> <fresh folder>/<name>` wrote there."""

    def export(command: str, name: str) -> Path:
        out = tmp_path_factory.mktemp(command) / name
        done = run_grader(command, str(out))
        assert done.returncode == 0, done.stderr
        return out

    return export


def _processes_in(marker: str) -> list[tuple[str, bytes]]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in os.readlink(entry / "cwd"):
                found.append((entry.name, (entry / "cmdline").read_bytes()[:200]))
        except OSError:
            continue  # gone meanwhile, a zombie, or not ours to read
    return found


@pytest.fixture(scope="session")
def processes_in() -> Callable[[str], list[tuple[str, bytes]]]:
    """`processes_in(marker)`: (pid, command line) of every live process whose working folder's
    path contains `marker` (sandboxed processes run in their workspace)."""
    return _processes_in


def _secret_texts(hidden: bool) -> list[str]:
    """What learners must never get: every solution function, whole; every chaff file; the hidden
    checks too unless `hidden` is False (an instructor's bundle carries them on purpose)."""
    secret = []
    for path in sorted((REPO_ROOT / "solutions").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        secret += [ast.get_source_segment(source, node) for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.FunctionDef)]
    secret += [p.read_text(encoding="utf-8") for p in (REPO_ROOT / "tests" / "chaff").rglob("*.py")]
    if hidden:
        secret += [p.read_text(encoding="utf-8") for p in (REPO_ROOT / "grader" / "hidden").rglob("*.py")]
    return [s for s in secret if s]


def _leaks(root: Path, secrets: list[str]) -> list[tuple[Path, str]]:
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*") if p.is_file()}
    return [(path.relative_to(root), s.splitlines()[0]) for path, text in texts.items() for s in secrets if s in text]


@pytest.fixture(scope="session")
def leaks() -> Callable[..., list[tuple[Path, str]]]:
    """`leaks(root, hidden=True)`: (file, first line) of every secret text found under `root`."""
    cache: dict[bool, list[str]] = {}

    def find(root: Path, hidden: bool = True) -> list[tuple[Path, str]]:
        return _leaks(root, cache.setdefault(hidden, _secret_texts(hidden)))

    return find

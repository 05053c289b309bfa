"""Fixtures for the learner tools' self-tests: small throw-away katas to run the `kata` commands on.

`tiny_kata` builds a three-exercise kata whose checks need no model (fast, and every state is
under our control). `repo_copy` copies the real exercises with the first one solved, the second
replaced by one of its chaff (failing) and the third solved, the rest untouched.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from kata.meta import REPO_ROOT, all_exercises

HINTS = ["a nudge", "a bigger push", "almost the answer"]

TINY_CHECKS = '''
from kata.learner import fail


def test_answer_is_forty_two(learner):
    if learner.answer() != 42:
        fail("answer() should return 42")


def test_double_doubles(learner):
    if learner.double(3) != 6:
        fail("double(3) should be 6")


def test_double_of_zero(learner):
    if learner.double(0) != 0:
        fail("double(0) should be 0")
'''

STUB = '''
def answer():
    raise NotImplementedError("exercise: see README.md")


def double(x):
    raise NotImplementedError("exercise: see README.md")
'''

SOLVED = '''
def answer():
    return 42


def double(x):
    return 2 * x
'''

WRONG = '''
def answer():
    return 41


def double(x):
    return 2 * x
'''


def write_exercise(root: Path, number: str, title: str, code: str, trains: bool = False) -> Path:
    folder = root / "exercises" / number
    folder.mkdir(parents=True)
    hints = ", ".join(f'"{h} for {number}"' for h in HINTS)
    (folder / "exercise.toml").write_text(textwrap.dedent(f'''\
        title = "{title}"
        order = {int(number)}
        module = "tiny.py"
        points = 1
        time_limit = 30
        trains = {str(trains).lower()}
        hints = [{hints}]
    '''), encoding="utf-8")
    (folder / "README.md").write_text(f"# {number} · {title}\n", encoding="utf-8")
    (folder / "tiny.py").write_text(code, encoding="utf-8")
    (folder / "test_tiny.py").write_text(TINY_CHECKS, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_kata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kata_home: Path) -> Path:
    """A kata with 01 solved, 02 wrong (failing), 03 untouched (not started, `trains = true`); the working directory."""
    root = tmp_path / "kata"
    write_exercise(root, "01", "Answer", SOLVED)
    write_exercise(root, "02", "Answer again", WRONG)
    write_exercise(root, "03", "Answer once more", STUB, trains=True)  # what kata pictures draws
    shutil.copy(REPO_ROOT / "conftest.py", root / "conftest.py")
    (root / "pytest.ini").write_text("[pytest]\naddopts = --import-mode=importlib\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def rewrite(tiny_kata: Path):
    """`rewrite("02", "solved")` puts the solved ("stub", "wrong", or given) code in exercise 02."""
    codes = {"stub": STUB, "solved": SOLVED, "wrong": WRONG}

    def put(number: str, code: str) -> None:
        (tiny_kata / "exercises" / number / "tiny.py").write_text(codes.get(code, code), encoding="utf-8")

    return put


@pytest.fixture
def fake_progress(tiny_kata: Path, monkeypatch: pytest.MonkeyPatch):
    """`fake_progress({"01": Tally(...), ...})`: check_all answers that without running anything."""
    import kata.tools.progress
    from kata.tools.progress import Report

    def install(tallies: dict) -> None:
        found = all_exercises(tiny_kata / "exercises")

        def check_all(root: Path, on_done=None, *, fresh: bool = False) -> Report:
            for exercise in found:
                if on_done:
                    on_done(exercise, tallies[exercise.number])
            return Report(found, tallies, True, 0.1)

        monkeypatch.setattr(kata.tools.progress, "check_all", check_all)

    return install


@pytest.fixture
def kata_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_weights: Path) -> Path:
    """A private `$KATA_HOME` per test (hint state), holding the session's stand-in weights."""
    home = tmp_path / "kata-home"
    (home / "torch").mkdir(parents=True)
    (home / "torch" / "hub").symlink_to(shared_weights / "torch" / "hub", target_is_directory=True)
    monkeypatch.setenv("KATA_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def shared_weights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One stand-in checkpoint for the whole session (the plugin writes it on first use)."""
    from kata import weights

    home = tmp_path_factory.mktemp("weights")
    existing = weights.checkpoint_path(REPO_ROOT / ".kata" / "torch")
    target = weights.checkpoint_path(home / "torch")
    target.parent.mkdir(parents=True)
    if existing.is_file():
        shutil.copy(existing, target)
    return home


def copy_repo(target: Path) -> Path:
    """The learner's side of the repository: exercises, root conftest, pyproject (kata is installed)."""
    shutil.copytree(REPO_ROOT / "exercises", target / "exercises",
                    ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    for name in ("conftest.py", "pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, target / name)
    return target


def chaff_for(number: str) -> Path | None:
    found = sorted((REPO_ROOT / "tests" / "chaff" / number).glob("*.py"))
    return found[0] if found else None


@pytest.fixture(scope="session")
def repo_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of the real kata: 1st exercise solved, 2nd a chaff, 3rd solved, the rest untouched.

    Returns the copy's root and the state each exercise should show.
    """
    root = copy_repo(tmp_path_factory.mktemp("learner") / "kata")
    expected = {}
    for index, exercise in enumerate(all_exercises()):
        target = root / "exercises" / exercise.number / exercise.module
        chaff = chaff_for(exercise.number)
        if index in (0, 2):
            shutil.copy(exercise.module_path(REPO_ROOT / "solutions"), target)
            expected[exercise.number] = "passing"
        elif index == 1 and chaff:
            shutil.copy(chaff, target)
            expected[exercise.number] = "failing"
        else:
            expected[exercise.number] = "not started"
    return root, expected

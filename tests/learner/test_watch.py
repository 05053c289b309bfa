"""`kata watch`: re-run on save with watchfiles, follow the kata in order, explain the fallback."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from pathlib import Path

import pytest

from kata.tools.cli import main
from kata.meta import all_exercises
from kata.tools.progress import Tally
from kata.tools.watch import file_changes, watch


def saved(root: Path, *names: str) -> set:
    return {(2, str(root / "exercises" / name)) for name in names}


def recorder(passes: dict[str, list[bool]]):
    """A stand-in for `pytest exercises/NN`: returns the next planned result and logs the call."""
    calls: list[str] = []

    def check(_root, exercise):
        calls.append(exercise.number)
        return passes[exercise.number].pop(0)

    return check, calls


def test_without_watchfiles_it_says_how_to_install_and_the_manual_fallback(tiny_kata, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # makes `import watchfiles` fail
    assert main(["watch", "02"]) == 1
    out = capsys.readouterr().out
    assert "pip install -e '.[watch]'" in out
    assert "after each save, run\n    pytest exercises/02" in out


def test_reruns_only_when_a_file_of_the_exercise_is_saved(tiny_kata):
    exercise = all_exercises(tiny_kata / "exercises")[1]
    check, calls = recorder({"02": [False, False, True]})
    said = []
    changes = [saved(tiny_kata, "01/tiny.py"), saved(tiny_kata, "02/tiny.py"), saved(tiny_kata, "02/tiny.py")]
    code = watch(tiny_kata, exercise, changes=changes, check=check, say=said.append)
    assert calls == ["02", "02", "02"]  # at start, then once per save in exercises/02 (not 01)
    assert code == 0
    text = "\n".join(said)
    assert "(starting): pytest exercises/02" in text and "(saved tiny.py): pytest exercises/02" in text
    assert "Exercise 02 passes." in text and "Watching exercises/02/ for saved changes (Ctrl+C to stop)." in text


def test_following_the_kata_moves_on_when_the_current_exercise_passes(tiny_kata, fake_progress):
    fake_progress({"01": Tally(1, passed=["a"]), "02": Tally(1, not_done=["a"]), "03": Tally(1, not_done=["a"])})
    check, calls = recorder({"02": [False, True], "03": [False, True]})
    said = []
    changes = [saved(tiny_kata, "02/tiny.py"), saved(tiny_kata, "03/tiny.py")]
    code = watch(tiny_kata, None, changes=changes, check=check, say=said.append)
    assert calls == ["02", "02", "03", "03"]
    text = "\n".join(said)
    assert "Exercise 03 is next: Answer once more. Read exercises/03/README.md." in text
    assert "That was the last exercise." in text and code == 0


def test_ctrl_c_stops_quietly(tiny_kata):
    def interrupted():
        raise KeyboardInterrupt
        yield

    said = []
    exercise = all_exercises(tiny_kata / "exercises")[0]
    watch(tiny_kata, exercise, changes=interrupted(), check=lambda r, e: False, say=said.append)
    assert said[-1] == "\nStopped watching."


@pytest.mark.skipif(importlib.util.find_spec("watchfiles") is None, reason="watchfiles (the watch extra) not installed")
@pytest.mark.timeout(30)
def test_watchfiles_reports_a_saved_python_file(tiny_kata):
    target = tiny_kata / "exercises" / "02" / "tiny.py"

    def save_soon():
        time.sleep(0.5)
        (tiny_kata / "exercises" / "02" / "notes.txt").write_text("ignored")
        target.write_text(target.read_text() + "\n# saved\n")

    threading.Thread(target=save_soon, daemon=True).start()
    batch = next(iter(file_changes(tiny_kata)))
    assert {Path(p).name for _, p in batch} == {"tiny.py"}

"""`kata hint NN`: one more hint per call, nudge first, remembered in $KATA_HOME/hints.json."""

from __future__ import annotations

import json

import pytest

from kata.tools.cli import main
from kata.meta import all_exercises
from kata.tools.progress import Tally


def hint(capsys, *args: str) -> tuple[int, str]:
    code = main(["hint", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_each_call_reveals_one_more_hint_until_all_are_shown(tiny_kata, kata_home, capsys):
    code, out = hint(capsys, "02")
    assert code == 0
    assert "Exercise 02 · Answer again" in out
    assert "Hint 1 of 3, a nudge [new]:" in out and "a nudge for 02" in out
    assert "a bigger push" not in out
    assert "2 more hints left: run `kata hint 02` again" in out

    _, out = hint(capsys, "2")  # "2", "02" and "exercises/02" all name the same exercise
    assert "Hint 1 of 3, a nudge:" in out and "Hint 2 of 3 [new]:" in out
    assert "1 more hint left" in out and "almost the answer" not in out

    _, out = hint(capsys, "exercises/02/")
    assert "Hint 3 of 3, close to the answer [new]:" in out and "almost the answer for 02" in out
    assert "That was the last hint for exercise 02: all 3 are shown now." in out

    _, out = hint(capsys, "02")
    assert "[new]" not in out and out.count("Hint ") == 3
    assert "`kata hint 02 --reset` hides them again" in out


def test_progress_is_remembered_per_exercise_in_the_private_folder(tiny_kata, kata_home, capsys):
    hint(capsys, "01")
    hint(capsys, "01")
    hint(capsys, "03")
    assert json.loads((kata_home / "hints.json").read_text()) == {"01": 2, "03": 1}
    assert not list(tiny_kata.glob("**/hints.json"))  # nothing written into the learner's tree


def test_reset_starts_over_with_the_nudge(tiny_kata, kata_home, capsys):
    hint(capsys, "01")
    hint(capsys, "01")
    _, out = hint(capsys, "01", "--reset")
    assert "hints hidden again" in out
    _, out = hint(capsys, "01")
    assert "Hint 1 of 3, a nudge [new]:" in out and "Hint 2" not in out


def test_a_damaged_state_file_starts_over_instead_of_crashing(tiny_kata, kata_home, capsys):
    (kata_home / "hints.json").write_text("{not json", encoding="utf-8")
    code, out = hint(capsys, "01")
    assert code == 0 and "Hint 1 of 3, a nudge [new]:" in out


def test_an_unknown_exercise_lists_the_real_ones(tiny_kata, kata_home, capsys):
    code, out = hint(capsys, "9")
    assert code == 2
    assert "kata: There is no exercise '9'. The exercises are: 01, 02, 03." in out


def test_without_a_number_it_hints_at_the_current_exercise(kata_home, fake_progress, capsys):
    # the real run is tested in test_progress.py; here only its answer matters
    fake_progress({"01": Tally(3, passed=["a"]), "02": Tally(3, failed=[("a", "no")]), "03": Tally(3, not_done=["a"])})
    code, out = hint(capsys)
    assert code == 0
    assert "your current one is the first that kata progress does not find passing" in out
    assert "Exercise 02 · Answer again" in out  # 01 passes, 02 fails


def test_outside_a_kata_it_says_where_to_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out = hint(capsys, "01")
    assert code == 2 and "Run kata inside your copy of the repository" in out


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.number)
def test_every_real_exercise_has_tiered_hints(exercise):
    """A nudge first and a near-answer last: at least two hints, none empty, no duplicates."""
    assert len(exercise.hints) >= 2, f"exercises/{exercise.number}/exercise.toml needs a nudge and a near-answer"
    assert all(h.strip() for h in exercise.hints)
    assert len(set(exercise.hints)) == len(exercise.hints)

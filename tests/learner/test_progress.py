"""`kata progress`: states come from really running the checks, fast, and the view says what is next."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kata.tools.cli import main
from kata.meta import all_exercises
from kata.outcomes import COLLECTED, RESULT, START, Reader, encode
from kata.tools.progress import (FAILING, NOT_CHECKED, NOT_STARTED, PASSING, Records, Report, Tally, check_all,
                                 read_records, render, row, run_child)


def kata_command(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m kata ARGS` in `root`, as a learner runs it."""
    return subprocess.run([sys.executable, "-m", "kata", *args], cwd=root, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=600)


def states(output: str) -> dict[str, str]:
    """{"01": "passing", ...} read off the progress table."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"^  (?:ok|!!|\?\?|  ) (\d\d)  .*?  (passing|failing|not started|not checked)\b", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


@pytest.mark.parametrize(("outcomes", "state", "decided"), [
    ([("passed", "")] * 3, PASSING, False),
    ([("failed", "Not done yet: ...")] * 3, NOT_STARTED, False),
    ([("failed", "Not done yet: ..."), ("skipped", "needs ImageNet")], NOT_STARTED, False),
    ([("passed", ""), ("failed", "Not done yet: ...")], FAILING, True),
    ([("failed", "Not done yet: ..."), ("passed", "")], FAILING, True),
    ([("passed", ""), ("failed", "model.fc gives 1000 scores")], FAILING, True),
    ([("failed", "crashed: ValueError")], FAILING, True),
])
def test_tally_gives_the_state_and_knows_when_it_is_decided(outcomes, state, decided):
    tally = Tally(collected=5)
    for index, (outcome, message) in enumerate(outcomes):
        tally.add(f"check_{index}", outcome, message)
    assert (tally.state, tally.decided()) == (state, decided)


def test_an_exercise_the_run_never_reached_is_not_checked_and_one_without_checks_fails():
    assert Tally(collected=4).state == NOT_CHECKED
    assert Tally(collected=0).state == FAILING


def records_in(path: Path, numbers: list[str]) -> Records:
    records = Records({n: Tally() for n in numbers})
    read_records(Reader(path).poll(), records)
    return records


def test_records_survive_a_cut_off_last_line(tmp_path):
    lines = [encode(COLLECTED, counts={"01": 2}), encode(START, id="exercises/01/t.py::a", exercise="01"),
             encode(RESULT, exercise="01", check="a", outcome="passed", message=""),
             b'{"n": "", "e": "result", "exercise": "01", "check": "b", "outc']
    (tmp_path / "outcomes.jsonl").write_bytes(b"".join(lines))
    records = records_in(tmp_path / "outcomes.jsonl", ["01", "02"])
    assert records.tallies["01"].passed == ["a"] and records.tallies["02"].collected == 0
    assert not records.finished and records.last_started == "exercises/01/t.py::a"


def test_recorder_skips_the_rest_of_an_exercise_once_it_is_known_to_fail(tiny_kata, tmp_path):
    record = tmp_path / "outcomes.jsonl"
    run_child([str(record), "exercises/01", "exercises/02", "exercises/03"])
    records = records_in(record, ["01", "02", "03"])
    tallies = records.tallies
    assert records.finished
    assert tallies["01"].passed == ["test_answer_is_forty_two", "test_double_doubles", "test_double_of_zero"]
    assert [check for check, _ in tallies["02"].failed] == ["test_answer_is_forty_two"]
    assert tallies["02"].passed == [] and tallies["02"].collected == 3  # the two others were skipped
    assert len(tallies["03"].not_done) == 3  # "not started" needs every check to say so


def test_progress_lists_every_state_and_the_next_exercise(tiny_kata):
    done = kata_command(tiny_kata, "progress")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert states(out) == {"01": PASSING, "02": FAILING, "03": NOT_STARTED}
    assert "1 of 3 exercises pass" in out
    assert "Next: 02 · Answer again" in out
    assert "First failing check: test_answer_is_forty_two" in out
    assert "answer() should return 42" in out  # the learner-facing message, first lines
    assert "pytest exercises/02" in out and "kata hint 02" in out
    assert "Traceback" not in out


def test_list_is_an_alias_and_not_started_next_points_at_the_lesson(fake_progress, capsys):
    # the real run is tested above; this checks the command and the wording
    fake_progress({"01": Tally(3, passed=["a"] * 3), "02": Tally(3, passed=["a"] * 3),
                   "03": Tally(3, not_done=["a"] * 3)})
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert states(out) == {"01": PASSING, "02": PASSING, "03": NOT_STARTED}
    assert "2 of 3 exercises pass" in out and "Next: 03 · Answer once more" in out
    assert "Read exercises/03/README.md, then fill in the TODOs in exercises/03/tiny.py" in out


def test_a_run_killed_by_learner_code_names_where_it_stopped(tiny_kata, rewrite):
    rewrite("02", "import os\nos._exit(0)\n")
    done = []
    report = check_all(tiny_kata, on_done=lambda exercise, tally: done.append((exercise.number, tally.state)))
    assert done == [("01", PASSING), ("02", NOT_CHECKED), ("03", NOT_CHECKED)]  # each row once, in order
    out = render(report, tiny_kata)
    assert states(out) == {"01": PASSING, "02": NOT_CHECKED, "03": NOT_CHECKED}
    assert "stopped early, during exercises/02/test_tiny.py::test_answer_is_forty_two" in out
    assert "Run `pytest exercises/02`" in out


def test_a_passing_row_counts_the_checks_and_explains_imagenet_skips():
    tally = Tally(3)
    for check, outcome, message in (("a", "passed", ""), ("b", "passed", ""),
                                    ("c", "skipped", "needs the real ImageNet weights; no verified ...")):
        tally.add(check, outcome, message)
    exercise = (all_exercises() or pytest.skip("no exercises"))[0]
    line = row(exercise, tally, 10)
    assert "passing" in line and line.endswith("2 checks pass, 1 skipped (needs the real ImageNet weights; see kata doctor)")


def test_all_passing_says_so():
    exercises = all_exercises()[:2] or pytest.skip("no exercises")
    tallies = {e.number: Tally(collected=1, passed=["check"]) for e in exercises}
    out = render(Report(exercises, tallies, True, 1.0), exercises[0].folder.parent.parent)
    assert f"All {len(exercises)} exercises pass" in out and "Next:" not in out


def test_progress_on_a_copy_of_the_real_kata(repo_copy, shared_weights):
    """Some exercises solved, one wrong, the rest untouched: every state shows, not only the first."""
    root, expected = repo_copy
    started = time.perf_counter()
    done = kata_command(root, "progress", env={"KATA_HOME": str(shared_weights)})
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert states(done.stdout) == expected, done.stdout
    upcoming = next((n for n, s in expected.items() if s != PASSING), None)
    if upcoming:
        assert f"Next: {upcoming} · " in done.stdout
    print(f"kata progress over {len(expected)} exercises took {seconds:.1f} s")


def test_an_unchanged_exercise_keeps_its_last_result_and_an_edit_reruns_only_that_one(tiny_kata, rewrite,
                                                                                     monkeypatch):
    import kata.tools.progress

    first = check_all(tiny_kata)
    assert first.reused == [] and states(render(first, tiny_kata)) == {"01": PASSING, "02": FAILING,
                                                                       "03": NOT_STARTED}
    rewrite("02", "solved")
    edited = check_all(tiny_kata)  # a real run of 02 alone
    assert edited.reused == ["01", "03"] and edited.state(edited.exercises[1]) == PASSING
    assert edited.tallies["01"] == first.tallies["01"]
    ran = []

    def run_checks(root, todo, on_known):
        ran.append([e.number for e in todo])
        return Records({e.number: Tally(1, passed=["a"]) for e in todo}, finished=True)

    monkeypatch.setattr(kata.tools.progress, "run_checks", run_checks)
    again = check_all(tiny_kata)
    assert ran == [] and again.reused == ["01", "02", "03"]  # nothing changed: no check ran
    assert "`kata progress --fresh`" in render(again, tiny_kata)
    assert check_all(tiny_kata, fresh=True).reused == [] and ran == [["01", "02", "03"]]


def test_the_key_covers_the_runtime_the_weights_and_every_file_of_the_exercise(tiny_kata, monkeypatch, tmp_path):
    from kata.tools import results

    def keys(root, todo):
        shared = results.shared_key(root)
        return {e.number: results.exercise_key(e, shared) for e in todo}

    todo = all_exercises(tiny_kata / "exercises")
    start = keys(tiny_kata, todo)
    (tiny_kata / "exercises" / "01" / "README.md").write_text("# changed lesson\n", encoding="utf-8")
    assert [n for n, k in keys(tiny_kata, todo).items() if k != start[n]] == ["01"]
    (tiny_kata / "exercises" / "01" / "__pycache__").mkdir()
    (tiny_kata / "exercises" / "01" / "__pycache__" / "tiny.pyc").write_bytes(b"cache")  # not content
    now = keys(tiny_kata, todo)
    with (tiny_kata / "conftest.py").open("a", encoding="utf-8") as conftest:
        conftest.write("# the checks' runtime changed\n")
    assert all(k != now[n] for n, k in keys(tiny_kata, todo).items())
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    now = keys(tiny_kata, todo)
    (tmp_path / "torch" / "hub" / "checkpoints").mkdir(parents=True)
    (tmp_path / "torch" / "hub" / "checkpoints" / "resnet18-f37072fd.pth").write_bytes(b"fetched")
    assert all(k != now[n] for n, k in keys(tiny_kata, todo).items())


def test_an_unreadable_results_file_remembers_nothing(tiny_kata, kata_home):
    from kata.tools import results

    (kata_home / results.RESULTS_FILE).write_text("{not json", encoding="utf-8")
    assert results.recall(kata_home, {"01": "key"}) == {}
    (kata_home / results.RESULTS_FILE).write_text('{"01": {"key": "key", "tally": {"odd": 1}}}', encoding="utf-8")
    assert results.recall(kata_home, {"01": "key"}) == {}

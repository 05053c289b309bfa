"""Checks of the grader's parts one by one: most need no child process, a few grade a tiny submission."""

from __future__ import annotations

import base64
import csv
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import torch

from kata.meta import REPO_ROOT, all_exercises

import kata.checks
from grader import channel, results, sandbox, sanitize, submission, tamper
from grader.formats import classroom
from grader.gradebook import rows


def test_clean_neutralises_workflow_commands_escapes_and_controls():
    text = "ok\n::notice::x\n  ::error::y\r##[warning]z\x1b[31mred\x1b[0m\x00\x07\x1b]8;;u\x07link"
    cleaned = sanitize.clean(text)
    assert all(not line.lstrip().startswith(("::", "##[")) for line in cleaned.split("\n"))
    assert "\x1b" not in cleaned and "\x00" not in cleaned and "\x07" not in cleaned
    assert "red" in cleaned and "link" in cleaned and "::notice::x" in cleaned
    assert sanitize.clean(cleaned) == cleaned


def test_clean_bounds_what_it_keeps():
    many = sanitize.clean("line\n" * 500)
    assert many.count("\n") <= sanitize.MAX_LINES and "more lines" in many
    assert len(sanitize.clean("x" * 100_000)) < sanitize.MAX_CHARS + 100


def test_csv_cells_cannot_start_a_formula_and_fences_cannot_close_early():
    assert sanitize.csv_cell("=HYPERLINK(1)").startswith("'")
    assert sanitize.csv_cell("alice") == "alice"
    fenced = sanitize.code_fence("a ``` b ```` c")
    assert fenced.startswith("`````text\n") and fenced.endswith("\n`````")


@pytest.fixture
def exercise01():
    return next(e for e in all_exercises() if e.number == "01")


def _write(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("layout", ["exercises/01/{m}", "01/{m}", "{m}", "wrapped-zip/exercises/01/{m}"])
def test_learner_files_are_found_in_every_layout(tmp_path, exercise01, layout):
    _write(tmp_path, layout.format(m=exercise01.module), b"x = 1\n")
    found = submission.collect(tmp_path, [exercise01])["01"]
    assert found.ok and found.content == b"x = 1\n"


def test_a_symlink_out_of_the_submission_is_rejected_and_one_inside_accepted(tmp_path, exercise01):
    outside = _write(tmp_path, "outside.py", b"secret = 1\n")
    sub = tmp_path / "sub"
    link = sub / "exercises" / "01" / exercise01.module
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    assert submission.collect(sub, [exercise01])["01"].status == results.REJECTED
    inside = _write(sub, "mine.py", b"x = 2\n")
    link.unlink()
    link.symlink_to(inside)
    assert submission.collect(sub, [exercise01])["01"].content == b"x = 2\n"


def test_unreadable_kinds_of_file_are_rejected_with_a_reason(tmp_path, exercise01):
    target = tmp_path / "exercises" / "01" / exercise01.module
    target.parent.mkdir(parents=True)
    os.mkfifo(target)  # reading a FIFO would block the grader
    assert "not a regular file" in submission.collect(tmp_path, [exercise01])["01"].message
    target.unlink()
    target.write_bytes(b"# \xe9t\xe9\n")
    assert "not valid UTF-8 text (byte 0xe9 on line 1)" in submission.collect(tmp_path, [exercise01])["01"].message
    target.write_bytes(b"# -*- coding: latin-1 -*-\n# \xe9t\xe9\n")
    assert submission.collect(tmp_path, [exercise01])["01"].ok
    target.write_bytes(b"# coding: klingon\n")
    assert "does not know" in submission.collect(tmp_path, [exercise01])["01"].message
    target.write_bytes(b"#" * (submission.MAX_BYTES + 1))
    assert "KB" in submission.collect(tmp_path, [exercise01])["01"].message


def test_a_missing_file_says_where_it_belongs(tmp_path, exercise01):
    found = submission.collect(tmp_path, [exercise01])["01"]
    assert found.status == results.MISSING and f"exercises/01/{exercise01.module}" in found.message


def sample_result() -> results.SubmissionResult:
    check = results.CheckResult("exercises/01/test_a.py::test_one", "test_one", "01", 5.0, status=results.PASSED)
    other = results.CheckResult("exercises/01/test_hidden_a.py::test_two", "test_two", "01", 5.0, hidden=True,
                                status=results.FAILED, message="::error::nope")
    exercise = results.ExerciseResult("01", "Load", 10.0, "exercises/01/a.py", [check, other])
    return results.SubmissionResult("alice", [exercise])


def test_only_an_explicit_pass_earns_points_and_results_round_trip():
    result = sample_result()
    assert (result.score, result.max_score) == (5.0, 10.0)
    for status in (results.FAILED, results.SKIPPED, results.TIMEOUT, results.CRASHED, results.NOT_RUN):
        result.exercises[0].checks[0].status = status
        assert result.score == 0
    assert results.to_dict(results.loads(results.dumps(result))) == results.to_dict(result)


def test_classroom_output_decodes_to_one_reporter_payload_per_exercise():
    lines = classroom.render(sample_result()).splitlines()
    assert [line.split("=", 1)[0] for line in lines] == ["ex01"]
    payload = json.loads(base64.b64decode(lines[0].split("=", 1)[1]))
    assert payload["version"] == 1 and payload["status"] == "fail" and payload["max_score"] == 10.0
    assert [t["status"] for t in payload["tests"]] == ["pass", "fail"]
    assert sum(t["score"] for t in payload["tests"]) == 5.0
    assert payload["tests"][1]["message"] == "| ::error::nope"


def test_gradebook_gives_a_row_even_without_a_result_file(tmp_path):
    exercises = all_exercises()
    table = rows([("ghost", tmp_path / "missing.json")], exercises)
    assert table[1][0] == "ghost" and table[1][-2] == results.ERROR


def test_tamper_guard_names_and_restores_replaced_functions():
    guard = tamper.Guard()
    real_equal, real_diff = torch.equal, kata.checks.state_differences
    torch.equal = lambda *a, **k: True
    kata.checks.state_differences = lambda *a: []
    torch.Tensor.__fake__ = 1
    try:
        changed = guard.check_and_restore()
    finally:
        torch.equal, kata.checks.state_differences = real_equal, real_diff
    assert set(changed) >= {"torch.equal", "kata.checks.state_differences", "torch.Tensor.__fake__"}
    assert torch.equal is real_equal and not hasattr(torch.Tensor, "__fake__")
    assert guard.check_and_restore() == []


def test_a_line_without_the_key_scores_nothing_and_is_counted():
    read, write = os.pipe()
    send = channel.sender(write)
    receiver = channel.Receiver(read)
    send("result", id="exercises/01/test_x.py::test_a", outcome="failed")
    os.write(write, b'{"n": "", "e": "result", "seq": 2, "id": "exercises/01/test_x.py::test_a", "outcome": "passed"}\n')
    send("finished", exitstatus=1)
    events = receiver.poll()
    assert [(e.event, e.fields.get("outcome")) for e in events] == [("result", "failed"), ("finished", None)]
    assert receiver.forged == 1
    os.close(write)


AUDITED = r"""
import ctypes, gc, os, sys
sys.path[:0] = [{root!r}]
from grader import audit
audit.install(trusted=[os.path.dirname(os.__file__)], allowed=[], denied=[{root!r}])
for attempt in ("sys._getframe()", "gc.get_objects()", "os.listdir('/proc/self/fd')", "open({own!r})",
                "ctypes.string_at(id(1), 1)", "exec('1')", "__import__('inspect').currentframe()"):
    try:
        eval(compile(attempt, "<learner>", "eval"), {{"sys": sys, "gc": gc, "os": os, "ctypes": ctypes}})
        print("allowed", attempt)
    except audit.Denied:
        print("denied", attempt)
"""


def test_audit_hooks_deny_introspection_ctypes_and_the_grader_s_files(tmp_path):
    root = str(Path(__file__).resolve().parents[2])
    script = tmp_path / "learner.py"
    script.write_text(AUDITED.format(root=root, own=__file__), encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    assert len(lines) == 7 and all(line.startswith("denied") for line in lines), done.stdout + done.stderr


def test_kill_tree_leaves_no_process_of_the_tree_running():
    proc = subprocess.Popen(["sh", "-c", "sleep 60 & (setsid sleep 60 &) ; sleep 60"], start_new_session=True)
    time.sleep(0.5)
    tree = sandbox.descendants(proc.pid)
    assert len(tree) >= 2
    sandbox.kill_tree(proc.pid)
    proc.wait(timeout=10)
    time.sleep(0.2)
    alive = [pid for pid in tree if Path(f"/proc/{pid}").exists()
             and Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"]
    assert not alive


def test_a_killed_batch_leaves_no_process_and_no_temp_folder(tmp_path, processes_in):
    """SIGTERM while a submission's checks spin: the batch kills the sandboxed tree and removes every
    temp folder it made (the one it prepared the checks in too)."""
    first = all_exercises()[0]
    spinning = tmp_path / "class" / "spin" / "exercises" / first.number / first.module
    spinning.parent.mkdir(parents=True)
    spinning.write_text("def load_pretrained():\n    while True:\n        pass\n", encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    batch = subprocess.Popen([sys.executable, "-m", "grader", "batch", str(tmp_path / "class"), "--out",
                              str(tmp_path / "out")], cwd=REPO_ROOT, env={**os.environ, "TMPDIR": str(temp)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def spinning_exercise() -> bool:
        """An exercise process runs: forked by the zygote, it keeps the zygote's command line."""
        zygotes = {int(pid) for pid, cmdline in processes_in(str(temp)) if b"grader.zygote" in cmdline}
        return any(sandbox.descendants(pid) & zygotes for pid in zygotes)

    deadline = time.monotonic() + 120
    while not spinning_exercise() and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert spinning_exercise(), "the submission's checks never started"
    batch.terminate()
    try:
        batch.wait(timeout=30)
    except subprocess.TimeoutExpired:
        batch.kill()
        pytest.fail("the batch was still running 30 s after SIGTERM")
    time.sleep(0.5)  # what the batch killed is gone from /proc once reaped
    assert not processes_in(str(temp))
    assert not list(temp.iterdir())


def test_a_batch_gives_every_folder_and_zip_a_row_with_an_unambiguous_name(tmp_path, grader):
    klass = tmp_path / "class"
    for name in (".dotted", "alice\nsmith", "alice\njones"):
        (klass / name).mkdir(parents=True)
    with zipfile.ZipFile(klass / "upload.zip", "w") as archive:
        archive.writestr("upload/exercises/01/load_weights.py", "def load_pretrained():\n    return 1\n")
    (klass / "notes.txt").write_text("not a submission", encoding="utf-8")
    done = grader("batch", str(klass), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    with open(tmp_path / "out" / "gradebook.csv", newline="", encoding="utf-8") as f:
        names = sorted(row["submission"] for row in csv.DictReader(f))
    assert names == [".dotted", "alice\\njones", "alice\\nsmith", "upload.zip"]
    assert "skipped notes.txt: not a folder or a .zip archive" in done.stdout
    unpacked = results.loads((tmp_path / "out" / "results" / "upload.zip.json").read_text(encoding="utf-8"))
    assert unpacked.exercises[0].status != results.MISSING


def test_each_exercise_process_gets_the_threads_it_was_given(tmp_path, grader):
    """The zygote builds the pretrained model on one thread before forking; the exercise gets --threads back."""
    first = all_exercises()[0]
    learner = tmp_path / "learner" / "exercises" / first.number / first.module
    learner.parent.mkdir(parents=True)
    learner.write_text("import torch\n\ndef load_pretrained():\n"
                       "    raise RuntimeError(f'torch threads: {torch.get_num_threads()}')\n", encoding="utf-8")
    done = grader("grade", str(tmp_path / "learner"), "--format", "json", "--threads", "2")
    assert done.returncode == 0, done.stderr
    check = results.loads(done.stdout).exercises[0].checks[0]
    assert "torch threads: 2" in check.message, check.message

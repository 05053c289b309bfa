"""Bad and hostile submissions get a clear per-exercise result, and cost the others nothing.

The corpus (tests/grader/submissions/, see conftest.py) is graded by one batch run; each case's
result is compared with its golden file in golden/submissions/ (exercise 01 check by check, the
other exercises it holds by status and points). After a deliberate change, regenerate them with
`KATA_UPDATE_GOLDEN=1 pytest tests/grader` and read the diff.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path

from grader import results
from grader.formats import render
from grader.formats.classroom import payloads

SUBMISSIONS = Path(__file__).resolve().parent / "submissions"

ATTACKED = "01"
UPDATE = os.environ.get("KATA_UPDATE_GOLDEN") == "1"
COMMAND_LINE = re.compile(r"^\s*(::|##\[)", re.MULTILINE)


def normalized(result: dict, focus: list[str]) -> dict:
    """What a golden file pins down: stable across runs (no durations, no paths of the moment)."""
    exercises = {}
    for e in result["exercises"]:
        if e["number"] == ATTACKED:
            exercises[e["number"]] = {
                "status": e["status"], "points": e["points"], "message": e["message"],
                "checks": [{k: c[k] for k in ("name", "status", "points", "message")} for c in e["checks"]],
            }
        elif e["number"] in focus:
            exercises[e["number"]] = {"status": e["status"], "points": e["points"]}
    return {"status": result["status"], "score": result["score"], "exercises": exercises}


def test_case_matches_its_golden_result(corpus, case, exercises):
    settings = corpus.settings(case)
    result = corpus.result(case)
    assert result["status"] == results.GRADED, result["message"]
    expect = settings.get("expect")
    if expect == "full-marks":
        assert result["score"] == result["max_score"] > 0
        assert all(e["status"] == results.PASSED for e in result["exercises"])
        return
    focus = [e.number for e in exercises if settings.get("solutions") == "all" or e.number in settings.get("solutions", [])]
    for e in result["exercises"]:  # exercises the submission does not hold are missing, nothing else
        if e["number"] not in (ATTACKED, *focus):
            assert (e["status"], e["points"]) == (results.MISSING, 0), e
    got = normalized(result, focus)
    golden = corpus.golden(case)
    if UPDATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_every_check_that_did_not_pass_says_why(corpus, case):
    for e in corpus.result(case)["exercises"]:
        for c in e["checks"]:
            assert c["status"] == results.PASSED or c["message"].strip(), (case, c)
            assert c["points"] == (c["max_points"] if c["status"] == results.PASSED else 0)


def test_no_output_format_carries_a_workflow_command(corpus, case):
    result = results.loads((corpus.out / "results" / f"{case}.json").read_text(encoding="utf-8"))
    for name in ("table", "summary", "junit", "gradescope", "json"):
        text = render(name, result)
        assert not COMMAND_LINE.search(text), (name, COMMAND_LINE.search(text))
    for payload in payloads(result).values():
        for test in payload["tests"]:
            assert not COMMAND_LINE.search(test["message"])


def test_gradebook_has_a_row_per_submission_and_a_column_per_exercise(corpus, exercises):
    with open(corpus.out / "gradebook.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["submission"] for r in rows) == sorted(p.name for p in corpus.folder.iterdir())
    assert list(rows[0]) == ["submission", *[e.number for e in exercises], "total", "max_score", "status", "message"]
    for row in rows:
        result = corpus.result(row["submission"])
        assert float(row["total"]) == result["score"]
        assert row["status"] == results.GRADED


def test_nothing_a_submission_started_is_still_running(corpus, processes_in):
    """Sandboxed processes run in a workspace (kata-ws-*): none may outlive its grading."""
    assert not processes_in("kata-ws-")


def test_an_interrupted_batch_resumes_without_regrading(corpus, grader, tmp_path):
    out = tmp_path / "graded"
    shutil.copytree(corpus.out, out)  # a copy: other checks (and other xdist workers) read the corpus
    redo = out / "results" / "non_utf8.json"  # cheap to grade: rejected before anything runs
    before = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json") if p != redo}
    expected = json.loads(redo.read_text(encoding="utf-8"))
    redo.unlink()
    done = grader("batch", str(corpus.folder), "--out", str(out), *corpus.options)
    assert done.returncode == 0, done.stderr
    assert f"{len(before)} already graded, grading 1" in done.stdout
    after = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json") if p != redo}
    assert after == before
    again = json.loads(redo.read_text(encoding="utf-8"))
    assert normalized(again, []) == normalized(expected, [])


def test_process_isolation_still_scores_a_forged_channel_zero(grader, tmp_path):
    """Where bubblewrap cannot run, the fallback says so and still refuses forged lines."""
    done = grader("grade", str(SUBMISSIONS / "forged_channel"), "--isolation", "process", "--format", "json",
                  "--out", str(tmp_path / "result.json"), "--time-limit", "01=10")
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert result["sandbox"].startswith("isolation: process only")
    assert (result["exercises"][0]["status"], result["score"]) == (results.TAMPERED, 0)


def test_every_result_says_which_isolation_was_used(corpus, case):
    assert corpus.result(case)["sandbox"].startswith("isolation: ")


def test_a_killed_zygote_s_unfinished_exercises_are_graded_again_alone(corpus, grader, tmp_path):
    """kills_zygote with the exercise processes keeping the grader's uid, so its kill lands even when
    the grader is root (as root the processes drop to an unprivileged uid that cannot kill the
    zygote, and the corpus run never reaches the re-run path)."""
    done = grader("grade", str(corpus.folder / "kills_zygote"), "--sandbox-uid", "none", "--format", "json",
                  "--out", str(tmp_path / "result.json"), *corpus.options)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    by_number = {e["number"]: e for e in result["exercises"]}
    assert by_number["02"]["status"] == results.PASSED, by_number["02"]
    assert by_number["01"]["status"] == results.FAILED, by_number["01"]

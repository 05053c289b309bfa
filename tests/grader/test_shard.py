"""Grading a class in shards: `batch --shard K/N` then `merge`, against one `batch --jobs 2` run.

The class is three tiny submissions that touch exercise 01 only (a solution, a syntax error, an
empty folder: three different rows), so each grades in seconds. The shards run as separate
processes, at once; one of them is killed mid-way, `merge` refuses its unfinished part, and after a
re-run the merged gradebook is byte for byte the single-machine one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from yaml_subset import Yaml

from grader import install, shard
from kata.meta import REPO_ROOT, all_exercises

SHARDS = 2
ENV = {"KATA_GRADER_CACHE": str(REPO_ROOT / ".kata" / "grader")}  # reuse the stand-in weights


@pytest.fixture(scope="module")
def klass(tmp_path_factory) -> Path:
    first = all_exercises()[0]
    folder = tmp_path_factory.mktemp("class") / "class"
    for name, text in {"amy": first.module_path(REPO_ROOT / "solutions").read_text(encoding="utf-8"),
                       "cat": "def load_pretrained(:\n", "dan": None}.items():
        (folder / name).mkdir(parents=True)
        if text is None:
            (folder / name / "README.md").write_text("nothing here yet\n", encoding="utf-8")
        else:
            (folder / name / first.module).write_text(text, encoding="utf-8")
    return folder


def batch(*args: str) -> list[str]:
    return [sys.executable, "-m", "grader", "batch", *args]


def test_shards_merged_equal_one_machine_and_a_killed_shard_rerun_loses_and_doubles_nothing(klass, tmp_path, grader):
    single = grader("batch", str(klass), "--jobs", "2", "--out", str(tmp_path / "single"), env=ENV)
    assert single.returncode == 0, single.stdout + single.stderr
    parts = [tmp_path / f"part-{k}" for k in range(1, SHARDS + 1)]
    env = {**os.environ, **ENV}
    running = [subprocess.Popen(batch(str(klass), "--shard", f"{k}/{SHARDS}", "--out", str(part)), cwd=REPO_ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
               for k, part in enumerate(parts, 1)]
    doomed = running[-1]
    while not (parts[-1] / shard.MANIFEST).exists() and doomed.poll() is None:
        time.sleep(0.05)
    os.killpg(doomed.pid, signal.SIGKILL)  # the machine dies mid-shard
    doomed.wait()
    assert running[0].wait(timeout=600) == 0
    refused = grader("merge", *map(str, parts), str(tmp_path / "merged"))
    assert refused.returncode == 1 and "did not finish" in refused.stderr
    rerun = grader("batch", str(klass), "--shard", f"{SHARDS}/{SHARDS}", "--out", str(parts[-1]), env=ENV)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    merged = grader("merge", *map(str, reversed(parts)), str(tmp_path / "merged"))  # any order of parts
    assert merged.returncode == 0, merged.stderr
    expected = (tmp_path / "single" / "gradebook.csv").read_text(encoding="utf-8")
    assert (tmp_path / "merged" / "gradebook.csv").read_text(encoding="utf-8") == expected
    assert [line.split(",")[0] for line in expected.splitlines()[1:]] == ["amy", "cat", "dan"]
    assert sorted(p.name for p in (tmp_path / "merged" / "results").iterdir()) == ["amy.json", "cat.json", "dan.json"]


def test_a_shard_is_a_deterministic_balanced_share():
    assert shard.parse("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "3", "a/b"):
        with pytest.raises(ValueError):
            shard.parse(bad)
    people = [f"s{i:02d}" for i in range(10)]
    parts = [shard.select(people, k, 3) for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == people and [len(p) for p in parts] == [4, 3, 3]


def _part(root: Path, k: int, n: int, done: bool = True, names: tuple[str, ...] = ("a", "b", "c")) -> Path:
    part = root / f"part{len(list(root.iterdir()))}"
    entries = [(name, f"{name}.json") for name in names]
    (part / "results").mkdir(parents=True)
    for name, file in shard.select(entries, k, n):
        (part / "results" / file).write_text("{}", encoding="utf-8")
    shard.write_manifest(part, k, n, entries, "key", done)
    return part


@pytest.mark.parametrize("parts, why", [
    (lambda r: [_part(r, 1, 2)], "expected shards 1..2"),
    (lambda r: [_part(r, 1, 2), _part(r, 1, 2, names=("a", "b", "c"))], "expected shards 1..2"),
    (lambda r: [_part(r, 1, 2), _part(r, 2, 3)], "another run"),
    (lambda r: [_part(r, 1, 2), _part(r, 2, 2, names=("a", "b", "d"))], "another run"),
])
def test_merge_refuses_parts_that_do_not_add_up(tmp_path, parts, why):
    with pytest.raises(shard.MergeError, match=why):
        shard.check(parts(tmp_path))


def test_shard_templates_run_every_shard_then_merge(tmp_path, grader):
    done = grader("shard-templates", str(tmp_path), "--shards", "3")
    assert done.returncode == 0, done.stderr
    workflow = Yaml((tmp_path / "grade-class.yml").read_text(encoding="utf-8")).parse()
    jobs = workflow["jobs"]
    assert jobs["shard"]["strategy"]["matrix"]["shard"] == ["1", "2", "3"] and jobs["merge"]["needs"] == "shard"
    steps = {s["name"]: s for s in jobs["shard"]["steps"]}
    assert steps["Install the kata"]["run"].strip() == install.shell("python", ".")
    assert '--shard "${SHARD}/3"' in steps["Grade this shard"]["run"]
    assert "python -m grader merge parts/part-* graded" in jobs["merge"]["steps"][3]["run"]
    job = Yaml((tmp_path / "grade-class-job.yaml").read_text(encoding="utf-8")).parse()
    assert (job["apiVersion"], job["kind"], job["spec"]["completionMode"]) == ("batch/v1", "Job", "Indexed")
    assert job["spec"]["completions"] == job["spec"]["parallelism"] == "3"
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"  # required with backoffLimitPerIndex
    script = pod["containers"][0]["args"][0]
    assert install.shell("python", ".") in script and '"$((JOB_COMPLETION_INDEX + 1))"' in script
    assert '--shard "${shard}/3"' in script
    assert {m["mountPath"] for m in pod["containers"][0]["volumeMounts"]} == {"/kata", "/class", "/results"}
    assert json.loads(json.dumps(job))  # plain data all the way down

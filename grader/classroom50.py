"""`classroom50 OUT`: the kata as a Classroom 50 autograder bundle, and what that bundle runs.

The bundle goes in the classroom50 config repository at `CLASSROOM/autograders/ASSIGNMENT/`:
autograder.py (the entry point the runner starts in the learner's checkout), the grading tree the
Gradescope package also ships (exercises with their checks, kata/, grader/ with its hidden checks,
conftest.py, pyproject.toml: never solutions or chaff), settings.json (install steps and time
limits, from the exercises' metadata), runtime.json (the assignment's `runtime` block) and README.md
(how to set the assignment up).

`main` is the autograder: it writes a fallback result.json first, installs what is missing (CPU
torch, the kata's dependencies), grades the checkout with the kata's own sandboxed grader (only
the allowlisted learner files are copied in), then writes result.json, release-body.md and the
status/summary lines of `$GITHUB_OUTPUT`. Exit 0 whenever grading ran, whatever the score; 1 when
it could not grade (install or grader failure), with a valid result.json saying so.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kata.files import write_atomically
from kata.meta import Exercise, all_exercises

from grader import install, results, submitted
from grader.formats import classroom50, table
from grader.sanitize import clean

STARTER = Path(__file__).resolve().parent / "starter"
SETTINGS = "settings.json"
RUNTIME = "runtime.json"
NEEDS = ("torch", "torchvision", "pytest", "hypothesis", "pytest_timeout")  # importable, or install first
INSTALL_TIMEOUT_S = 900
GRADE_SLACK_S = 300  # start-up, collection and the re-runs of crashed exercises, beyond the time limits


def settings(exercises: list[Exercise]) -> dict:
    return {
        "python": install.PYTHON_VERSION,
        "needs": list(NEEDS),
        "install": [{"command": command, "required": required}
                    for command, required in install.steps("{python}", "{bundle}")],
        "install_timeout_s": INSTALL_TIMEOUT_S,
        "timeout_s": sum(e.time_limit for e in exercises) + GRADE_SLACK_S,
        "max_score": sum(e.points for e in exercises),
    }


def runtime() -> dict:
    """The assignment's `runtime` block: a GitHub-hosted Ubuntu runner and the Python torch supports."""
    return {"runs-on": "ubuntu-latest", "python": install.PYTHON_VERSION}


def build(out: Path, force: bool = False) -> list[str]:
    """Write the bundle into `out`; returns the names written, relative to it."""
    from grader import package

    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"{out} is not empty; pass --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, path in package.grading_tree().items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, out / name)
    exercises = all_exercises()
    shutil.copy2(STARTER / "autograder.py", out / "autograder.py")
    (out / "autograder.py").chmod(0o755)
    (out / SETTINGS).write_text(json.dumps(settings(exercises), indent=2) + "\n", encoding="utf-8")
    (out / RUNTIME).write_text(json.dumps(runtime(), indent=2) + "\n", encoding="utf-8")
    guide = (STARTER / "classroom50.md").read_text(encoding="utf-8")
    (out / "README.md").write_text(guide.replace("@TIMEOUT_MIN@", str(-(-settings(exercises)["timeout_s"] // 60))),
                                   encoding="utf-8")
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


# -- the autograder ---------------------------------------------------------------------------------
def not_graded(name: str, message: str, exercises: list[Exercise]) -> results.SubmissionResult:
    """An error result that still lists every exercise, so max-score says what was at stake."""
    return results.SubmissionResult(
        submission=name, status=results.ERROR, message=clean(message),
        exercises=[results.ExerciseResult(e.number, e.title, float(e.points), f"exercises/{e.number}/{e.module}")
                   for e in exercises])


def publish(result: results.SubmissionResult, identity: classroom50.Identity, checkout: Path,
            output: str | None) -> None:
    """result.json and release-body.md in the checkout; status and summary to `$GITHUB_OUTPUT`."""
    doc = classroom50.document(result, identity)
    write_atomically(checkout / "result.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    write_atomically(checkout / "release-body.md", classroom50.release_body(result, doc))
    if output:
        with open(output, "a", encoding="utf-8") as handle:
            handle.write(classroom50.outputs(result, doc))


def _run(command: list[str], timeout: float, cwd: Path) -> str:
    """'' when the command succeeded, else what went wrong (its output's tail)."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{command[0]}: {exc}"
    return "" if done.returncode == 0 else f"exit status {done.returncode}: {(done.stdout + done.stderr)[-1500:]}"


def prepare(bundle: Path, config: dict) -> str:
    """Install what this interpreter lacks; '' when ready, else why grading cannot start."""
    if all(importlib.util.find_spec(name) for name in config["needs"]):
        return ""
    for step in config["install"]:
        command = [part.replace("{python}", sys.executable).replace("{bundle}", str(bundle)) for part in step["command"]]
        print(f"install: {' '.join(command)}", flush=True)
        problem = _run(command, config["install_timeout_s"], bundle)
        if problem and step["required"]:
            return f"installing the grader's dependencies failed ({' '.join(command[2:5])}): {problem}"
    return ""


def grade(bundle: Path, checkout: Path, name: str, config: dict, exercises: list[Exercise]) -> results.SubmissionResult:
    """The kata's own grader on the checkout, in its own process (it sandboxes the learner's code)."""
    with tempfile.TemporaryDirectory(prefix="kata-classroom50-") as scratch:
        out = Path(scratch) / "result.json"
        command = [sys.executable, "-m", "grader", "grade", str(checkout), "--name", name, "--format", "json",
                   "--out", str(out)]
        problem = _run(command, config["timeout_s"], bundle)
        try:
            result = results.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            return not_graded(name, f"the grader wrote no result ({problem or 'no file'})", exercises)
    if result.status == results.ERROR and not result.exercises:
        return not_graded(name, result.message, exercises)
    return result


def main(bundle: Path, checkout: Path, env: dict[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    config = json.loads((bundle / SETTINGS).read_text(encoding="utf-8"))
    exercises = all_exercises(bundle / "exercises")
    identity = classroom50.Identity.from_env(env, submitted.commit_time(checkout))
    name = env.get("USERNAME") or env.get("OWNER") or checkout.name
    fallback = not_graded(name, "the autograder stopped before it finished grading", exercises)
    write_atomically(checkout / "result.json", classroom50.render(fallback, identity))  # valid even if killed
    token = secrets.token_hex(16)
    print(f"::stop-commands::{token}", flush=True)  # nothing below can issue workflow commands
    try:
        problem = prepare(bundle, config)
        result = not_graded(name, problem, exercises) if problem else grade(bundle, checkout, name, config, exercises)
    except Exception as exc:  # noqa: BLE001 - an infrastructure failure still leaves a valid result
        result = not_graded(name, f"the autograder failed: {exc!r}", exercises)
    finally:
        print(table.render(result) if "result" in locals() else "", flush=True)
        print(f"::{token}::", flush=True)
    publish(result, identity, checkout, env.get("GITHUB_OUTPUT"))
    return 1 if result.status == results.ERROR else 0

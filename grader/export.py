"""`export-template OUT`: the learners' starter repository, built from this one.

In: every exercise folder named by metadata (lesson, exercise.toml, stub, checks, data), the kata
package, the grader without its hidden checks, conftest.py, pyproject.toml (its pytest section
pointed at exercises/), the learner notebook, a README for learners (this repository's README up
to its maintainers' or instructors' section, plus how grading works), .gitignore, and the GitHub
Actions workflow generated from the exercises' metadata (left out for Classroom 50). Out: solutions, chaff, hidden checks, self-tests,
benchmarks, CI scripts and every cache.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from kata.files import CACHE_NAMES, ignore_caches
from kata.meta import REPO_ROOT, Exercise, all_exercises

from grader import install

STARTER = Path(__file__).resolve().parent / "starter"
GRADER_PRIVATE = ("hidden",)  # instructor-only parts of grader/
PRIVATE_HEADINGS = ("## For maintainers", "## For instructors")  # README from here on is not for learners


WORKFLOW = "grade.yml"
JOB_SLACK_MIN = 15  # installing torch and the grader's start-up, beyond the exercises' time limits


def workflow(exercises: list[Exercise]) -> str:
    """The plain-Actions workflow: install, grade, job summary, one annotation per exercise."""
    minutes = -(-sum(e.time_limit for e in exercises) // 60) + JOB_SLACK_MIN
    return ((STARTER / WORKFLOW).read_text(encoding="utf-8").replace("@TIMEOUT_MIN@", str(minutes))
            .replace("@PYTHON@", install.PYTHON_VERSION).replace("@INSTALL@", install.shell("python", ".", " " * 10)))


def learner_readme() -> str:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for heading in PRIVATE_HEADINGS:
        text = text.split(f"\n{heading}", 1)[0]
    text = text.rstrip()
    return text + "\n\n" + (STARTER / "grading.md").read_text(encoding="utf-8")


def learner_pyproject() -> str:
    """pyproject.toml with pytest pointed at the exercises (the self-tests are not shipped)."""
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^testpaths\s*=.*$", 'testpaths = ["exercises"]', text)
    text = re.sub(r"(?m)^pythonpath\s*=.*\n", "", text)
    assert tomllib.loads(text)["tool"]["pytest"]["ini_options"]["testpaths"] == ["exercises"]
    return text


def export_template(out: Path, force: bool = False, classroom50: bool = False) -> list[Path]:
    """Write the starter repository to `out`; returns the files written. For Classroom 50, without
    the plain workflow: Classroom 50 adds its own at accept time and grades with it."""
    if out.exists():
        if not force:
            raise SystemExit(f"{out} exists; pass --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    skip = ignore_caches()
    exercises = all_exercises()
    for exercise in exercises:
        shutil.copytree(exercise.folder, out / "exercises" / exercise.number, ignore=skip)
    shutil.copytree(REPO_ROOT / "kata", out / "kata", ignore=skip)
    shutil.copytree(REPO_ROOT / "grader", out / "grader", ignore=shutil.ignore_patterns(*CACHE_NAMES, *GRADER_PRIVATE))
    for notebook in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        (out / "notebooks").mkdir(exist_ok=True)
        shutil.copy2(notebook, out / "notebooks" / notebook.name)
    shutil.copy2(REPO_ROOT / "conftest.py", out / "conftest.py")
    (out / "pyproject.toml").write_text(learner_pyproject(), encoding="utf-8")
    (out / "README.md").write_text(learner_readme(), encoding="utf-8")
    (out / ".gitignore").write_text((STARTER / "gitignore").read_text(encoding="utf-8"), encoding="utf-8")
    if not classroom50:
        workflows = out / ".github" / "workflows"
        workflows.mkdir(parents=True)
        (workflows / WORKFLOW).write_text(workflow(exercises), encoding="utf-8")
    return sorted(p for p in out.rglob("*") if p.is_file())


def shard_templates(out: Path, shards: int) -> list[Path]:
    """A GitHub Actions matrix workflow and a Kubernetes Indexed Job that grade a class in `shards` parts."""
    if shards < 1:
        raise SystemExit("--shards must be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, indent in (("grade-class.yml", 10), ("grade-class-job.yaml", 14)):
        text = ((STARTER / name).read_text(encoding="utf-8").replace("@SHARDS@", str(shards))
                .replace("@MATRIX@", ", ".join(str(k) for k in range(1, shards + 1)))
                .replace("@PYTHON@", install.PYTHON_VERSION).replace("@INSTALL@", install.shell("python", ".", " " * indent)))
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written

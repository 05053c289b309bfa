"""Write notebooks/kata_colab.ipynb from the exercises' metadata, so the notebook never drifts.

    python notebooks/make_notebook.py           # rewrite the notebook
    python notebooks/make_notebook.py --check   # exit 1 if the committed notebook is out of date

Run it after adding, renaming or reordering an exercise. The self-tests (tests/learner/) fail
while the committed notebook differs from what this script writes.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kata.meta import Exercise, all_exercises, pictured  # noqa: E402
from kata.tools.pictures import TRAINING_NAMES  # noqa: E402
from kata.weights import FETCH_COMMAND  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "kata_colab.ipynb"
PLACEHOLDER = "https://github.com/YOUR-ORG/transfer-learning-kata.git"
FOLDER = "/content/transfer-learning-kata"
INSTALL = "%pip install --quiet -e '.[plot]'"
PICTURES = ".kata/pictures"  # where kata pictures saves by default


def markdown(cell_id: str, text: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": lines(text)}


def code(cell_id: str, text: str) -> dict:
    return {"cell_type": "code", "id": cell_id, "metadata": {}, "execution_count": None,
            "outputs": [], "source": lines(text)}


def lines(text: str) -> list[str]:
    """Notebook sources are lists of lines, each keeping its newline except the last."""
    parts = text.strip("\n").split("\n")
    return [line + "\n" for line in parts[:-1]] + [parts[-1]]


def setup_cells() -> list[dict]:
    return [
        markdown("intro", """
# Transfer-learning kata in Colab

You practise fine-tuning a pretrained resnet18, one move at a time, by making failing checks
pass. Each exercise below shows its lesson, then runs its checks with `!pytest exercises/NN`.
Edit the exercise's file in Colab's file browser (the folder icon on the left; double-click a
`.py` file to open it), then run the checks cell again.

Everything runs on a CPU. A GPU (Runtime > Change runtime type) only makes the last exercise's
training faster. Colab forgets your files when the runtime is recycled: download your
`exercises/` folder, or push to your own repository, before you leave.
"""),
        markdown("setup-md", """
## Set up

**Instructor:** set `REPO_URL` to the kata's repository (or the starter repository you give
learners) before sharing this notebook. Learners: run the cells below once per session.
"""),
        code("clone", f"""
REPO_URL = "{PLACEHOLDER}"  # INSTRUCTOR: set this
import os
assert "YOUR-ORG" not in REPO_URL, "REPO_URL still holds the placeholder: ask your instructor for the kata's address."
if not os.path.isdir("{FOLDER}"):
    !git clone --quiet {{REPO_URL}} {FOLDER}
%cd {FOLDER}
"""),
        code("install", f"""
{INSTALL}
"""),
        markdown("weights-md", """
Colab is online, so fetch resnet18's real ImageNet weights once (45 MB, a few seconds). Without
them the checks use an offline stand-in (a random network) and skip the few that need real
ImageNet behaviour. `kata doctor` then says what the checks will use.
"""),
        code("weights", f"""
!{FETCH_COMMAND}
!kata doctor
"""),
        code("helpers", """
from IPython.display import Markdown, display

def show_lesson(number):
    \"\"\"Show exercises/NN/README.md here, formatted.\"\"\"
    with open(f"exercises/{number}/README.md", encoding="utf-8") as lesson:
        display(Markdown(lesson.read()))
"""),
    ]


def exercise_cells(exercise: Exercise) -> list[dict]:
    n = exercise.number
    return [
        markdown(f"ex{n}-md", f"""
## {n} · {exercise.title}

Read the lesson, edit `exercises/{n}/{exercise.module}`, then run the checks. Stuck? The hint
cell below shows the next hint each time you run it (a nudge first, the near-answer last).
"""),
        code(f"ex{n}-lesson", f'show_lesson("{n}")'),
        code(f"ex{n}-check", f"!pytest exercises/{n}"),
        code(f"ex{n}-hint", f"!kata hint {n}"),
    ]


def defined_names(path: Path) -> set[str]:
    """Top-level functions and assignments of a module, read without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def picture_cells(last: Exercise | None) -> list[dict]:
    """`kata pictures` trains with the learner's finished training exercise; show what it saves."""
    if last is None or not set(TRAINING_NAMES) <= defined_names(last.folder / last.module):
        return []
    return [
        markdown("pictures-md", f"""
## Pictures of training

Once `!pytest exercises/{last.number}` passes, `kata pictures` trains with your own code twice,
on the pretrained backbone and on a freshly initialised one (same data, same seed), and saves two
pictures: loss and validation accuracy per epoch for both, and every validation image with your
model's guess, its confidence and the true class, mistakes first.
"""),
        code("pictures", f"""
import os
from IPython.display import Image, display

pictures = ["{PICTURES}/history.png", "{PICTURES}/predictions.png"]
for old in pictures:
    if os.path.exists(old):
        os.remove(old)  # only pictures of this run are shown
!kata pictures
if all(os.path.isfile(p) for p in pictures):
    display(*(Image(p) for p in pictures))
else:
    print("No pictures yet: make `!pytest exercises/{last.number}` pass first (the lines above say "
          "what stopped kata pictures), then run this cell again.")
"""),
    ]


def closing_cells() -> list[dict]:
    return [
        markdown("progress-md", """
## Where you stand

`kata progress` lists each exercise as not started, failing or passing, with what to do next.
It runs the checks of every exercise that changed since its last run (`--fresh`: all of them).
"""),
        code("progress", "!kata progress"),
    ]


def notebook(exercises: list[Exercise]) -> dict:
    cells = setup_cells()
    for exercise in exercises:
        cells += exercise_cells(exercise)
    cells += picture_cells(pictured(exercises))
    cells += closing_cells()
    return {
        "cells": cells,
        "metadata": {
            "colab": {"provenance": [], "toc_visible": True},
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def render(exercises: list[Exercise] | None = None) -> str:
    data = notebook(all_exercises(ROOT / "exercises") if exercises is None else exercises)
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not NOTEBOOK.is_file() or NOTEBOOK.read_text(encoding="utf-8") != text:
            print(f"{NOTEBOOK.relative_to(ROOT)} is out of date: run python notebooks/make_notebook.py")
            return 1
        print(f"{NOTEBOOK.relative_to(ROOT)} is up to date.")
        return 0
    NOTEBOOK.write_text(text, encoding="utf-8")
    print(f"wrote {NOTEBOOK.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

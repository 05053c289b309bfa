"""The Colab notebook: valid nbformat 4, one section per exercise, commands that match the repository."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import tomllib

import pytest

from kata.tools.cli import parser
from kata.meta import REPO_ROOT, all_exercises, pictured

NOTEBOOK = REPO_ROOT / "notebooks" / "kata_colab.ipynb"


def generator():
    spec = importlib.util.spec_from_file_location("make_notebook", REPO_ROOT / "notebooks" / "make_notebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def notebook() -> dict:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[str]:
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


def shell_commands(notebook: dict) -> list[str]:
    return [line.strip()[1:] for cell in code_cells(notebook) for line in cell.splitlines()
            if line.strip().startswith("!")]


def test_committed_notebook_is_what_the_generator_writes():
    assert NOTEBOOK.read_text(encoding="utf-8") == generator().render(), (
        "notebooks/kata_colab.ipynb is out of date: run python notebooks/make_notebook.py")


def test_notebook_has_the_nbformat_4_structure(notebook):
    assert (notebook["nbformat"], notebook["nbformat_minor"]) == (4, 5)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    ids = [cell["id"] for cell in notebook["cells"]]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", i) for i in ids)
    for cell in notebook["cells"]:
        assert cell["cell_type"] in ("markdown", "code")
        assert isinstance(cell["metadata"], dict)
        assert isinstance(cell["source"], list) and all(isinstance(s, str) for s in cell["source"])
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        else:
            assert set(cell) == {"cell_type", "id", "metadata", "source"}


def test_notebook_validates_against_the_nbformat_schema_when_available():
    nbformat = pytest.importorskip("nbformat")
    nbformat.validate(nbformat.read(str(NOTEBOOK), as_version=4))


def test_code_cells_are_valid_python_once_ipython_syntax_is_transformed(notebook):
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        transform = TransformerManager().transform_cell
    except ImportError:  # the same idea without IPython: shell and magic lines become calls
        def transform(cell):
            return re.sub(r"^(\s*)[!%].*$", r"\1pass", cell, flags=re.MULTILINE)
    for cell in code_cells(notebook):
        compile(transform(cell), "<notebook cell>", "exec")


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.number)
def test_every_exercise_has_its_title_lesson_and_check_cell(notebook, exercise):
    sources = ["".join(c["source"]) for c in notebook["cells"]]
    assert any(f"## {exercise.number} · {exercise.title}" in s for s in sources)
    assert f'show_lesson("{exercise.number}")' in sources
    assert f"!pytest exercises/{exercise.number}" in sources


def test_pytest_cells_follow_the_exercise_order_and_name_real_folders(notebook):
    checked = [c.split()[-1] for c in shell_commands(notebook) if c.startswith("pytest")]
    assert checked == [f"exercises/{e.number}" for e in all_exercises()]
    assert all((REPO_ROOT / folder).is_dir() for folder in checked)


def magic_commands(notebook: dict) -> list[str]:
    return [line.strip()[1:] for cell in code_cells(notebook) for line in cell.splitlines()
            if line.strip().startswith("%")]


def test_install_command_installs_this_project_with_extras_it_declares(notebook):
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [c for c in shell_commands(notebook) if "pip install" in c], "install with %pip, into the kernel"
    [install] = [shlex.split(c) for c in magic_commands(notebook) if c.startswith("pip install")]
    target = install[install.index("-e") + 1]
    match = re.fullmatch(r"\.(?:\[([\w,]+)\])?", target)
    assert match, f"the notebook installs {target!r}, not this repository"
    extras = (match.group(1) or "").split(",") if match.group(1) else []
    assert set(extras) <= set(project["optional-dependencies"])
    assert "pip install -e ." in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_kata_commands_in_the_notebook_exist(notebook):
    commands = [shlex.split(c) for c in shell_commands(notebook) if c.startswith("kata ")]
    assert {c[1] for c in commands} >= {"fetch-weights", "doctor", "hint", "pictures", "progress"}
    for command in commands:
        parser().parse_args(command[1:])  # exits (fails the test) on an unknown subcommand


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.number)
def test_every_exercise_has_a_hint_cell(notebook, exercise):
    assert f"!kata hint {exercise.number}" in code_cells(notebook)


def test_clone_url_is_a_marked_placeholder_the_instructor_sets(notebook):
    [clone] = [c for c in code_cells(notebook) if "git clone" in c]
    assert 'REPO_URL = "https://github.com/YOUR-ORG/' in clone and "INSTRUCTOR" in clone
    assert 'assert "YOUR-ORG" not in REPO_URL' in clone


def run_pictures_cell(notebook: dict, folder, monkeypatch, saves: bool) -> list:
    """Run the pictures cell in `folder`, `!kata pictures` replaced by saving both PNGs or nothing."""
    import sys
    import types

    [cell] = [c for c in code_cells(notebook) if "!kata pictures" in c]
    shown: list = []
    display = types.ModuleType("IPython.display")
    display.Image = lambda path: ("image", path)
    display.display = lambda *things: shown.extend(things)
    monkeypatch.setitem(sys.modules, "IPython", types.ModuleType("IPython"))
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    monkeypatch.chdir(folder)
    (folder / ".kata" / "pictures").mkdir(parents=True, exist_ok=True)
    for name in ("history.png", "predictions.png"):  # left over from an earlier run
        (folder / ".kata" / "pictures" / name).write_bytes(b"old")

    def kata_pictures():
        if saves:
            for name in ("history.png", "predictions.png"):
                (folder / ".kata" / "pictures" / name).write_bytes(b"new")

    namespace = {"kata_pictures": kata_pictures}
    exec(compile(cell.replace("!kata pictures", "kata_pictures()"), "<pictures cell>", "exec"), namespace)
    return shown


def test_the_pictures_cell_shows_both_pictures_of_this_run(notebook, tmp_path, monkeypatch):
    assert pictured(all_exercises()), "some exercise should say `trains = true` in its exercise.toml"
    shown = run_pictures_cell(notebook, tmp_path, monkeypatch, saves=True)
    assert shown == [("image", ".kata/pictures/history.png"), ("image", ".kata/pictures/predictions.png")]


def test_the_pictures_cell_on_an_unfinished_exercise_says_what_to_do_and_does_not_raise(
        notebook, tmp_path, monkeypatch, capsys):
    number = pictured(all_exercises()).number
    assert run_pictures_cell(notebook, tmp_path, monkeypatch, saves=False) == []  # nothing stale either
    assert f"No pictures yet: make `!pytest exercises/{number}` pass first" in capsys.readouterr().out

"""Exercise metadata: `exercises/NN/exercise.toml` is the one source of titles, points, limits and hints."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
METADATA_FILE = "exercise.toml"
# What each epoch's dict holds in the history of an exercise that trains (`trains = true`).
HISTORY_KEYS = ("epoch", "train_loss", "val_accuracy", "seconds")


@dataclass(frozen=True)
class Exercise:
    """One exercise folder and what its `exercise.toml` says about it."""

    folder: Path
    title: str
    order: int
    module: str
    points: int
    time_limit: int
    hints: tuple[str, ...]
    summary: str = ""  # what the learner learns, one line: README's exercise table
    gotchas: tuple[str, ...] = ()  # the mistakes its checks name; each has chaff in tests/chaff/NN/
    trains: bool = False  # its `train()` returns (model, history): kata pictures and the notebook use it

    @property
    def number(self) -> str:
        """The folder name, e.g. "03": what a learner types in `pytest exercises/03`."""
        return self.folder.name

    @property
    def lesson(self) -> Path:
        return self.folder / "README.md"

    def module_path(self, root: Path) -> Path:
        """Where this exercise's module lives under `root` (exercises/, solutions/ or a workspace)."""
        return root / self.number / self.module


def load_exercise(folder: Path) -> Exercise:
    """Read one exercise's metadata; a missing key is a maintainer error worth a clear KeyError."""
    data = tomllib.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    return Exercise(
        folder=folder,
        title=data["title"],
        order=int(data["order"]),
        module=data["module"],
        points=int(data["points"]),
        time_limit=int(data["time_limit"]),
        hints=tuple(data["hints"]),
        summary=data.get("summary", ""),
        gotchas=tuple(data.get("gotchas", ())),
        trains=bool(data.get("trains", False)),
    )


def pictured(exercises: list[Exercise]) -> Exercise | None:
    """The exercise `kata pictures` and the notebook draw: the first one that trains."""
    return next((e for e in exercises if e.trains), None)


def exercise_of(path: Path) -> Exercise | None:
    """The exercise a file belongs to (a check, a hidden check): the nearest folder with an exercise.toml."""
    for folder in path.parents:
        if (folder / METADATA_FILE).is_file():
            return load_exercise(folder)
    return None


def all_exercises(exercises_dir: Path = REPO_ROOT / "exercises") -> list[Exercise]:
    """Every exercise under `exercises_dir`, in the order learners should do them."""
    found = [load_exercise(p.parent) for p in exercises_dir.glob(f"*/{METADATA_FILE}")]
    return sorted(found, key=lambda e: (e.order, e.number))

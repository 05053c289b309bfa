"""`kata pictures`: train with the learner's own training exercise and save two pictures of it.

It trains twice, with the same code, data and seed: once on the backbone the checks provision (the
real ImageNet weights, or the offline stand-in), once on a freshly initialised resnet18. The gap
between the two is what pretraining buys; with the stand-in both backbones are random and the
pictures say so. kata.tools.plots only draws; this module loads, trains and times.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from kata.files import import_file
from kata.meta import Exercise
from kata.tools import plots
from kata.tools.checkout import KataError

TRAINING_NAMES = ("train", "make_loaders", "DATA")  # what a training exercise's module offers
FRESH_SEED = 0


@dataclass
class Trained:
    model: Any
    history: list[dict]
    seconds: float  # the whole train() call: feature extraction, every epoch, the fold

    @property
    def accuracy(self) -> float:
        """The last epoch's validation accuracy, in %: that of the model train() returns."""
        return 100 * float(self.history[-1]["val_accuracy"])


def load_training(exercise: Exercise) -> ModuleType:
    path = exercise.folder / exercise.module
    module = import_file(path, f"kata_pictures_{exercise.number}")
    missing = [name for name in TRAINING_NAMES if not hasattr(module, name)]
    if missing:
        raise KataError(f"{path} has no {', '.join(missing)}: kata pictures trains with the exercise's "
                        "own train() and make_loaders(DATA).")
    return module


def timed_training(train: Callable[[], tuple[Any, list[dict]]]) -> Trained:
    started = time.perf_counter()
    model, history = train()
    seconds = time.perf_counter() - started
    if not history:
        raise KataError("train() returned an empty history: nothing to draw.")
    return Trained(model, list(history), seconds)


@contextlib.contextmanager
def fresh_backbone() -> Iterator[None]:
    """Make `resnet18(weights=DEFAULT)` load a freshly initialised resnet18 inside this block.

    torchvision loads `$TORCH_HOME/hub/checkpoints/<name>` without a hash check when it exists, so
    a temporary TORCH_HOME holding a new random network under that name does it.
    """
    import torch
    from torchvision.models import resnet18

    from kata import weights

    before = os.environ.get("TORCH_HOME")
    with tempfile.TemporaryDirectory(prefix="kata-fresh-backbone-") as home:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(FRESH_SEED)
            state = resnet18().state_dict()
        target = weights.checkpoint_path(Path(home))
        target.parent.mkdir(parents=True)
        torch.save(state, target)
        # the same mark the stand-in's folder carries: code that asks (solutions/08) says "random"
        target.with_name(weights.STAND_IN_MARKER).write_text("a freshly initialised resnet18, for kata pictures")
        os.environ["TORCH_HOME"] = home
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("TORCH_HOME", None)
            else:
                os.environ["TORCH_HOME"] = before


def titles(weights_name: str, imagenet: bool, provided: Trained, fresh: Trained) -> tuple[str, str]:
    """The history picture's title and the predictions picture's title."""
    history = (f"Your head on {weights_name}\n"
               f"{provided.accuracy:.1f}% validation accuracy at the last epoch (the returned model); "
               f"{provided.seconds:.1f} s in all, feature extraction included\n"
               f"The same code, data and seed on a freshly initialised backbone: {fresh.accuracy:.1f}%")
    if not imagenet:
        history += "\nBoth backbones are random here: `kata fetch-weights` (online) for the real comparison"
    predictions = f"Validation images, mistakes first: the model trained on {weights_name}"
    return history, predictions


def save_pictures(exercise: Exercise, out: Path, private_home: Path,
                  say: Callable[[str], None] = print) -> list[Path]:
    """Train with the exercise twice (provisioned backbone, fresh backbone), save both PNGs in `out`.

    Checks for matplotlib before spending time on training; the weights are the ones the checks
    use (kata.weights.provision). A stub's NotImplementedError propagates.
    """
    from kata import weights

    plots.require_matplotlib()
    provision = weights.provision(private_home)
    module = load_training(exercise)
    weights_name = ("the ImageNet backbone" if provision.is_imagenet
                    else "the offline stand-in backbone (random weights, not ImageNet)")
    say(f"Training with your exercises/{exercise.number}/{exercise.module} on {weights_name}...")
    provided = timed_training(module.train)
    say("Again, same data and seed, on a freshly initialised backbone (its lines not shown)...")
    with fresh_backbone(), contextlib.redirect_stdout(io.StringIO()):
        fresh = timed_training(module.train)
    _, val_loader = module.make_loaders(module.DATA)
    history_title, predictions_title = titles(weights_name, provision.is_imagenet, provided, fresh)
    say(history_title)
    return [
        plots.plot_history(provided.history, out / "history.png", title=history_title,
                           label=f"head on {weights_name}", baseline=fresh.history,
                           baseline_label="same head on a freshly initialised backbone"),
        plots.plot_validation(provided.model, val_loader, out / "predictions.png", title=predictions_title),
    ]

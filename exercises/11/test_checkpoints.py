"""Checks for exercise 11: a checkpoint that loads safely, predicts identically and resumes exactly.

The first checks save a model the harness fine-tuned by hand (layer4's weights and every BatchNorm's
running statistics moved away from the pretrained ones, a trained head, an optimizer with state),
then load it back. The last trains on a tiny copy of the textures, stops, resumes, and compares.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from torch import nn
from torchvision.models import resnet18

from kata.checks import HEAD, expect_type, names, state_differences
from kata.learner import fail
from kata.training import Outcome, attempt, copy_subset, ran

DATA = Path(__file__).resolve().parent.parent / "08" / "data"  # the texture photos of exercise 08
CLASSES = 3
EPOCH = 4  # the epoch the harness's checkpoint was saved after
TINY_CLASSES = ["brick", "gravel"]
TINY_COUNTS = {"train": 4, "val": 2}
TINY = dict(lr=1e-3, batch_size=3, image_size=56, seed=0)  # 8 images in batches of 3: shuffling matters
EPOCHS, STOP_AFTER = 2, 1
BUFFERS = ("running_mean", "running_var", "num_batches_tracked")


def trained_by_hand(model: nn.Module) -> tuple[nn.Module, torch.optim.Optimizer]:
    """`model` as after fine-tuning: layer4 and the BatchNorm statistics moved, a trained head, Adam's state."""
    generator = torch.Generator().manual_seed(11)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, CLASSES)
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if name.endswith("running_var"):
                tensor.mul_(1 + 0.1 * torch.rand(tensor.shape, generator=generator))
            elif name.startswith(("layer4.", HEAD + ".")) or name.endswith("running_mean"):
                if tensor.is_floating_point():
                    tensor.add_(0.01 * torch.randn(tensor.shape, generator=generator))
    optimizer = torch.optim.Adam(model.fc.parameters(), lr=1e-3)
    model.fc(torch.randn(4, model.fc.in_features, generator=generator)).sum().backward()
    optimizer.step()
    return model.eval(), optimizer


def images() -> torch.Tensor:
    return torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(0))


def is_optimizer_state(value: object) -> bool:
    return isinstance(value, Mapping) and {"state", "param_groups"} <= set(value)


def model_state_in(checkpoint: Mapping, wanted: Mapping[str, torch.Tensor]) -> Mapping | None:
    """The value of `checkpoint` that is a state dict sharing the most names with `wanted`."""
    candidates = [v for v in [checkpoint, *checkpoint.values()] if isinstance(v, Mapping)
                  and any(isinstance(t, torch.Tensor) for t in v.values())]
    return max(candidates, key=lambda v: len(set(v) & set(wanted)), default=None)


# ---------------------------------------------------------------------------------------------
# Fixtures


@dataclass
class Saved:
    """The model the harness saved with the learner's save_checkpoint, and the file."""

    model: nn.Module
    path: Path


@pytest.fixture(scope="module")
def saved(learner, checkpoint: dict, tmp_path_factory: pytest.TempPathFactory) -> Saved | str:
    model = resnet18()
    model.load_state_dict(checkpoint)
    model, optimizer = trained_by_hand(model)
    path = tmp_path_factory.mktemp("checkpoint") / "model.pt"
    history = [{"epoch": e, "train_loss": 1.0 / e, "val_accuracy": 0.5, "seconds": 0.1} for e in range(1, EPOCH + 1)]
    try:
        learner.save_checkpoint(path, model, optimizer, EPOCH, history)
    except pytest.fail.Exception as failure:
        return str(failure)
    return Saved(model, path)


def expect_saved(saved: Saved | str) -> Saved:
    __tracebackhide__ = True
    if isinstance(saved, str):
        fail(saved)
    return saved


@pytest.fixture(scope="module")
def loaded(learner, saved: Saved | str) -> nn.Module | str:
    """load_for_inference on the saved file, or the message of its failure."""
    if isinstance(saved, str):
        return saved
    path = saved.path
    call = f"load_for_inference(path, num_classes={CLASSES})"
    try:
        model, error = learner.attempt("load_for_inference", path, CLASSES)
    except pytest.fail.Exception as failure:
        return str(failure)
    if error is not None:
        problem = f"{call} crashed: {type(error).__name__}: {error}"
        if "size mismatch" in str(error):
            problem += (f"\n    The file's head has {CLASSES} outputs; a fresh resnet18's has 1000. Build the model "
                        f"and swap its head first (model.{HEAD} = nn.Linear(512, num_classes)), then load: a "
                        f"state dict only fills tensors, it never changes a model's shape.")
        return problem
    if not isinstance(model, nn.Module):
        return f"{call} should return a torch.nn.Module, but it returned a {type(model).__name__}."
    return model


def expect_loaded(loaded: nn.Module | str) -> nn.Module:
    __tracebackhide__ = True
    if isinstance(loaded, str):
        fail(loaded)
    return loaded


# ---------------------------------------------------------------------------------------------
# The checks, most basic first


def test_file_loads_with_weights_only(saved):
    path = expect_saved(saved).path
    if not path.is_file():
        fail("save_checkpoint(path, ...) wrote nothing at `path`: torch.save(checkpoint_dict, path).")
    try:
        torch.load(path, weights_only=True)
    except pickle.UnpicklingError as error:
        problem = (f"The file does not load with torch.load(path, weights_only=True): {str(error).splitlines()[0]}\n"
                   f"    torch.save(model) pickles the model's classes by name, so loading it runs arbitrary "
                   f"code and breaks when the code moves; safe loading refuses it. Save plain tensors: "
                   f"model.state_dict() and optimizer.state_dict(), in a dict.")
    else:
        return
    fail(problem)


def test_checkpoint_holds_every_tensor_the_optimizer_state_and_the_epoch(saved):
    saved = expect_saved(saved)
    model = saved.model
    try:
        checkpoint = torch.load(saved.path, weights_only=True)
    except (OSError, pickle.UnpicklingError):
        fail("Not checked yet: the checkpoint does not load with weights_only=True (see above).")
    expect_type(checkpoint, dict, "torch.load(...) of the checkpoint")
    wanted = model.state_dict()
    state = model_state_in(checkpoint, wanted) or {}
    missing = [n for n in wanted if n not in state]
    if missing:
        lost_buffers = all(n.endswith(BUFFERS) for n in missing)
        why = ("Those are buffers, BatchNorm's running statistics: named_parameters() leaves them out, and "
               "the pretrained ones would be out of sync with the fine-tuned weights."
               if lost_buffers else
               "The frozen backbone is part of the model too: after fine-tuning (or BatchNorm in train mode) "
               "it is no longer the pretrained one.")
        fail(f"The checkpoint lacks {len(missing)} of the model's {len(wanted)} tensors: {names(missing)}. "
             f"{why} Save model.state_dict(): every parameter and every buffer.")
    differ = state_differences(state, wanted)
    if differ:
        fail(f"{len(differ)} tensors in the checkpoint differ from the model's: {names(differ)}. Save "
             f"model.state_dict() when the epoch ends, after the last optimizer step.")
    if not any(is_optimizer_state(v) for v in checkpoint.values()):
        fail("The checkpoint holds no optimizer state. Adam keeps a running mean and variance of every "
             "gradient, and a step count; a resumed run without them restarts those from zero and "
             "drifts away from the uninterrupted one. Save optimizer.state_dict() as well.")
    if EPOCH not in [v for v in checkpoint.values() if isinstance(v, int) and not isinstance(v, bool)]:
        fail(f"save_checkpoint(..., epoch={EPOCH}, ...) stored no epoch number: save it, so a resumed run "
             f"knows where to go on from.")


def test_loaded_model_is_in_eval_mode(loaded):
    model = expect_loaded(loaded)
    training = [n or "the model" for n, m in model.named_modules() if m.training]
    if training:
        fail(f"load_for_inference returned a model in train mode ({names(training)}): a freshly built "
             f"resnet18 starts in train mode, where BatchNorm normalises with each batch's statistics. "
             f"Return model.eval().")


def test_loaded_model_predicts_exactly_like_the_saved_one(saved, loaded):
    model = expect_loaded(loaded)
    original = expect_saved(saved).model
    differ = state_differences(model.state_dict(), original.state_dict())
    if differ:
        fail(f"{len(differ)} of the loaded model's {len(original.state_dict())} tensors differ from the saved "
             f"model's: {names(differ)}. They were never loaded, and load_state_dict(..., strict=False) "
             f"turns the keys it could not match into a report nobody reads: load with the default "
             f"strict=True, and pass it the model's own state dict from the checkpoint, not the whole "
             f"checkpoint.")
    with torch.no_grad():
        want, got = original.eval()(images()), model.eval()(images())
    if not torch.equal(want, got):
        fail(f"The loaded model's scores differ from the saved model's by up to "
             f"{(want - got).abs().max().item():.3g} although every tensor matches: load into a plain "
             f"resnet18 with the swapped head, and change nothing else.")


def test_loading_uses_weights_only(learner, saved, monkeypatch):
    path = expect_saved(saved).path
    calls = []  # weights_only of each torch.load of the checkpoint (torchvision loads its own weights too)
    real_load = torch.load

    def spy(file, *args, **kwargs):
        name = file if isinstance(file, (str, Path)) else getattr(file, "name", None)  # a path or an open file
        if isinstance(name, (str, Path)) and Path(name) == path:
            calls.append(kwargs.get("weights_only"))
        return real_load(file, *args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    learner.load_for_inference(path, CLASSES)
    if False in calls:
        fail("load_for_inference calls torch.load(..., weights_only=False): that unpickles whatever the "
             "file holds, running its code. A checkpoint of plain tensors loads with weights_only=True.")
    if not calls:
        fail("load_for_inference never read the checkpoint with torch.load: torch.load(path, weights_only=True).")


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_subset(DATA, tmp_path_factory.mktemp("tiny-textures"), TINY_CLASSES, TINY_COUNTS)


@pytest.fixture(scope="module")
def runs(learner, tiny_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome | Path]:
    """An uninterrupted run of EPOCHS, and one stopped after STOP_AFTER then resumed up to EPOCHS."""
    folder = tmp_path_factory.mktemp("runs")
    whole, part = folder / "whole.pt", folder / "part.pt"
    return {
        "whole": attempt(lambda: learner.train(whole, data_dir=tiny_data, epochs=EPOCHS, **TINY), EPOCHS,
                         what=f"train(path, epochs={EPOCHS})"),
        "stopped": attempt(lambda: learner.train(part, data_dir=tiny_data, epochs=STOP_AFTER, **TINY), STOP_AFTER,
                           what=f"train(path, epochs={STOP_AFTER})"),
        "resumed": attempt(lambda: learner.resume_training(part, data_dir=tiny_data, epochs=EPOCHS, **TINY), EPOCHS,
                           what=f"resume_training(path, epochs={EPOCHS})"),
        "file": part,
    }


def test_resumed_run_equals_an_uninterrupted_one(runs):
    whole, stopped = ran(runs["whole"]), ran(runs["stopped"])
    resumed = ran(runs["resumed"])

    def numbers(run) -> list[tuple]:
        return [(row["epoch"], row["train_loss"], row["val_accuracy"]) for row in run.history]

    if numbers(stopped) != numbers(whole)[:STOP_AFTER]:
        fail(f"Two runs with the same seed differ from the first epoch on ({numbers(stopped)[0]} and "
             f"{numbers(whole)[0]}): seed everything from `seed` (torch.manual_seed, a seeded generator "
             f"for the shuffling).")
    differ = state_differences(resumed.model.state_dict(), whole.model.state_dict())
    if numbers(resumed) == numbers(whole) and not differ:
        return
    epoch = next((a[0] for a, b in zip(numbers(resumed), numbers(whole)) if a != b), None)
    where = f"from epoch {epoch} on" if epoch else f"in {names(differ)}"
    checkpoint = torch.load(runs["file"], weights_only=True)
    if not any(is_optimizer_state(v) for v in checkpoint.values()):
        why = ("The checkpoint holds no optimizer state, so the resumed Adam restarted its moment estimates "
               "from zero: save optimizer.state_dict() and load it into the new optimizer.")
    else:
        why = ("Resume exactly where the run stopped: the model's and the optimizer's state dicts loaded "
               "(optimizer.load_state_dict), the history and the epoch from the file, and each epoch "
               "shuffled as the uninterrupted run shuffles it (a generator seeded from seed and the "
               "epoch number, or its saved state).")
    fail(f"Stopped after epoch {STOP_AFTER} and resumed to epoch {EPOCHS}, the run differs from an "
         f"uninterrupted one with the same seed {where}. {why}")

"""Pictures of training, saved as PNG files: the loss and accuracy per epoch, and predictions on images.

Optional: it needs matplotlib, the `plot` extra (`pip install -e '.[plot]'`). Nothing else in the
kata imports this module, so the checks never depend on it. It draws without pyplot, so it works
the same in a terminal, over SSH, in Jupyter or in Colab (show a saved file there with
`IPython.display.Image(path)`).

    from kata.tools.plots import plot_history, plot_predictions, plot_validation

    # history: one dict per epoch, as exercise 08's training returns it
    plot_history(history, "history.png")
    # a grid of validation images titled with the model's guesses (✓ right, ✗ wrong)
    plot_validation(model, val_loader, "predictions.png")
    # or from tensors you already have: images (B, 3, H, W) on any device, class indices
    plot_predictions(images, predicted, actual, class_names, "predictions.png")
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kata.meta import HISTORY_KEYS

INSTALL = "pip install -e '.[plot]'"
RIGHT, WRONG = "#1b7837", "#b2182b"  # green / red, plus a ✓ / ✗ so colour is never the only cue


class PlottingUnavailable(ImportError):
    """matplotlib is not installed; the message says how to get it."""


def _figure(**kwargs: Any):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise PlottingUnavailable(
            "Saving pictures of training needs the optional package matplotlib, which is not "
            f"installed. In your copy of the kata run: {INSTALL}   (Colab already has it.)"
        ) from None
    return Figure(layout="constrained", **kwargs)


def _save(figure, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, format="png")
    return path


def _check_history(history: Sequence[Mapping[str, float]]) -> None:
    if not history:
        raise ValueError("plot_history got an empty history: train for at least one epoch first.")
    for index, row in enumerate(history):
        if not isinstance(row, Mapping):
            raise TypeError(f"plot_history: history[{index}] is a {type(row).__name__}; "
                            f"each epoch should be a dict with keys {', '.join(HISTORY_KEYS)}.")
        lacking = [k for k in HISTORY_KEYS[:3] if k not in row]
        if lacking:
            raise ValueError(f"plot_history: history[{index}] has no {', '.join(lacking)}; "
                             f"each epoch should be a dict with keys {', '.join(HISTORY_KEYS)}.")


def plot_history(history: Sequence[Mapping[str, float]], path: str | Path) -> Path:
    """Save training loss and validation accuracy per epoch, side by side, as a PNG; returns the path.

    `history` is a list with one dict per epoch: `epoch`, `train_loss`, `val_accuracy` (0 to 1) and,
    optionally, `seconds` (that epoch's duration, summed into the title).
    """
    _check_history(history)
    figure = _figure(figsize=(8.4, 3.4))
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    epochs = [int(row["epoch"]) for row in history]
    losses = [float(row["train_loss"]) for row in history]
    accuracies = [100 * float(row["val_accuracy"]) for row in history]

    loss_axes.plot(epochs, losses, marker="o", color="#2166ac")
    loss_axes.set(title="Training loss (lower is better)", xlabel="epoch", ylabel="cross-entropy")
    loss_axes.set_ylim(bottom=0)
    accuracy_axes.plot(epochs, accuracies, marker="o", color=RIGHT)
    accuracy_axes.set(title="Validation accuracy (higher is better)", xlabel="epoch", ylabel="% right")
    accuracy_axes.set_ylim(0, 100)
    best = max(range(len(history)), key=lambda i: accuracies[i])
    accuracy_axes.annotate(f"{accuracies[best]:.0f}%", (epochs[best], accuracies[best]),
                           textcoords="offset points", ha="center",
                           xytext=(0, -16) if accuracies[best] > 85 else (0, 8))
    for axes in (loss_axes, accuracy_axes):
        axes.set_xticks(epochs if len(epochs) <= 12 else epochs[:: math.ceil(len(epochs) / 12)])
        axes.grid(alpha=0.3)

    seconds = sum(float(row.get("seconds", 0.0)) for row in history)
    timing = f" in {seconds:.1f} s" if seconds else ""
    figure.suptitle(f"{len(history)} epochs{timing}; best validation accuracy "
                    f"{accuracies[best]:.1f}% (epoch {epochs[best]})")
    return _save(figure, path)


def _as_list(values: Any) -> list[int]:
    """Class indices from a tensor (any device), a numpy array or a list."""
    if hasattr(values, "detach"):
        values = values.detach().cpu()
    if hasattr(values, "tolist"):
        values = values.tolist()
    return [int(v) for v in values]


def _displayable(images: Any, mean: Sequence[float] | None, std: Sequence[float] | None):
    """(B, H, W, C) floats in [0, 1]: undo the normalisation the model's inputs went through."""
    import torch

    batch = torch.as_tensor(images.detach().cpu() if hasattr(images, "detach") else images).float()
    if batch.dim() == 3:
        batch = batch.unsqueeze(0)
    if batch.dim() != 4:
        raise ValueError(f"plot_predictions expects images shaped (B, C, H, W); got {tuple(batch.shape)}.")
    if mean is not None and std is not None:
        channels = batch.shape[1]
        batch = batch * torch.tensor(std[:channels]).view(1, -1, 1, 1) + torch.tensor(mean[:channels]).view(1, -1, 1, 1)
    return batch.clamp(0, 1).permute(0, 2, 3, 1)


def imagenet_normalisation() -> tuple[list[float], list[float]]:
    """The mean and std resnet18's ImageNet transforms normalise with (read off the weights)."""
    from torchvision.models import ResNet18_Weights

    transforms = ResNet18_Weights.DEFAULT.transforms()
    return list(transforms.mean), list(transforms.std)


def plot_predictions(
    images: Any,
    predicted: Any,
    actual: Any,
    class_names: Sequence[str],
    path: str | Path,
    *,
    normalised: bool = True,
    limit: int = 16,
) -> Path:
    """Save a grid of images titled with the predicted class (✓ or ✗) and, when wrong, the true one.

    `images` is a batch (B, 3, H, W), on any device; by default it is taken to be normalised with
    ImageNet's mean and std, as resnet18's transforms leave it (`normalised=False` for raw [0, 1]
    pixels). `predicted` and `actual` are class indices; `class_names[i]` names class `i`.
    At most `limit` images are drawn.
    """
    mean, std = imagenet_normalisation() if normalised else (None, None)
    pictures = _displayable(images, mean, std)
    guesses, truths = _as_list(predicted), _as_list(actual)
    if not (len(pictures) == len(guesses) == len(truths)):
        raise ValueError(f"plot_predictions: {len(pictures)} images, {len(guesses)} predictions and "
                         f"{len(truths)} labels; give one prediction and one label per image.")
    count = min(len(pictures), limit)
    if count == 0:
        raise ValueError("plot_predictions got no images.")
    columns = min(4, count)
    rows = math.ceil(count / columns)
    figure = _figure(figsize=(2.3 * columns, 2.5 * rows + 0.4))
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, axes in enumerate(grid.flat):
        axes.axis("off")
        if index >= count:
            continue
        picture = pictures[index]
        axes.imshow(picture.squeeze(-1).numpy() if picture.shape[-1] == 1 else picture.numpy(),
                    cmap="gray" if picture.shape[-1] == 1 else None)
        guess, truth = class_names[guesses[index]], class_names[truths[index]]
        right = guesses[index] == truths[index]
        title = f"✓ {guess}" if right else f"✗ {guess}\n(true: {truth})"
        axes.set_title(title, color=RIGHT if right else WRONG, fontsize=10)
    correct = sum(g == t for g, t in zip(guesses[:count], truths[:count]))
    figure.suptitle(f"Validation images: {correct} of {count} predicted right")
    return _save(figure, path)


def predictions_of(model: Any, loader: Any, limit: int = 12) -> tuple[Any, Any, Any]:
    """`limit` images spread evenly over `loader`'s dataset (so every class shows, although
    ImageFolder sorts by class), the model's predicted classes and the true labels.

    Runs on the model's own device, in eval mode under `torch.no_grad()`, and puts the model back
    in the mode it was in.
    """
    import torch

    dataset = loader.dataset
    count = min(limit, len(dataset))
    picked = [dataset[i * len(dataset) // count] for i in range(count)]
    images = torch.stack([image for image, _ in picked])
    actual = torch.tensor([int(label) for _, label in picked])
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            predicted = model(images.to(device)).argmax(dim=1).cpu()
    finally:
        model.train(was_training)
    return images, predicted, actual


def plot_validation(model: Any, loader: Any, path: str | Path, limit: int = 12) -> Path:
    """Save a grid of the first `limit` images of `loader` with the model's predictions as a PNG.

    Class names come from the loader's dataset (`ImageFolder.classes`); returns the path.
    """
    images, predicted, actual = predictions_of(model, loader, limit)
    classes = getattr(loader.dataset, "classes", None) or [str(i) for i in range(int(max(predicted.max(), actual.max())) + 1)]
    return plot_predictions(images, predicted, actual, classes, path, limit=limit)


TRAINING_NAMES = ("train", "make_loaders", "DATA")  # what the training exercise's module offers


def save_pictures(exercise: Any, out: Path) -> list[Path]:
    """`kata pictures`: train with the learner's training exercise, then save both pictures in `out`.

    Checks for matplotlib before spending time on training.
    """
    import importlib.util

    _figure()  # raises PlottingUnavailable with the install command, before any training
    path = exercise.folder / exercise.module
    spec = importlib.util.spec_from_file_location(f"kata_pictures_{exercise.number}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = [name for name in TRAINING_NAMES if not hasattr(module, name)]
    if missing:
        raise ValueError(f"{path} has no {', '.join(missing)}: kata pictures trains with the "
                         "exercise's own train() and make_loaders(DATA).")
    model, history = module.train()
    _, val_loader = module.make_loaders(module.DATA)
    return [plot_history(history, out / "history.png"),
            plot_validation(model, val_loader, out / "predictions.png")]

"""Pictures of training, saved as PNG files: the loss and accuracy per epoch, and predictions on images.

Optional: it needs matplotlib, the `plot` extra (`pip install -e '.[plot]'`). Nothing else in the
kata imports this module, so the checks never depend on it. It draws without pyplot, so it works
the same in a terminal, over SSH, in Jupyter or in Colab (show a saved file there with
`IPython.display.Image(path)`).

    from kata.tools.plots import plot_history, plot_predictions, plot_validation

    # history: one dict per epoch, as exercise 08's training returns it
    plot_history(history, "history.png")
    # validation images titled with the model's guesses (✓ right, ✗ wrong), mistakes first
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


def require_matplotlib() -> None:
    """Raise PlottingUnavailable, with the install command, unless matplotlib is there."""
    _figure()


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


def _series(history: Sequence[Mapping[str, float]]) -> tuple[list[int], list[float], list[float]]:
    return ([int(row["epoch"]) for row in history], [float(row["train_loss"]) for row in history],
            [100 * float(row["val_accuracy"]) for row in history])


def plot_history(
    history: Sequence[Mapping[str, float]],
    path: str | Path,
    *,
    title: str | None = None,
    label: str = "your model",
    baseline: Sequence[Mapping[str, float]] | None = None,
    baseline_label: str = "baseline",
) -> Path:
    """Save training loss and validation accuracy per epoch, side by side, as a PNG; returns the path.

    `history` is a list with one dict per epoch: `epoch`, `train_loss`, `val_accuracy` (0 to 1) and,
    optionally, `seconds` (that epoch's duration). The default title gives the last epoch's
    accuracy (the model `train()` returns) and the summed seconds. A `baseline` history (another
    run, e.g. the same head on a random backbone) is drawn beside it, dashed; a legend names both.
    """
    _check_history(history)
    if baseline is not None:
        _check_history(baseline)
    figure = _figure(figsize=(9.6, 4.2))
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    runs = [(history, label, "-")] + ([(baseline, baseline_label, "--")] if baseline is not None else [])
    for run, name, style in runs:  # one colour per run in both panels, so one legend serves both
        epochs, losses, accuracies = _series(run)
        colour = "#2166ac" if style == "-" else "#8c8c8c"
        loss_axes.plot(epochs, losses, style, marker="o", markersize=3, color=colour, label=name)
        accuracy_axes.plot(epochs, accuracies, style, marker="o", markersize=3, color=colour, label=name)
    epochs, _, accuracies = _series(history)
    loss_axes.set(title="Training loss (lower is better)", xlabel="epoch", ylabel="cross-entropy")
    loss_axes.set_ylim(bottom=0)
    accuracy_axes.set(title="Validation accuracy (higher is better)", xlabel="epoch", ylabel="% right")
    accuracy_axes.set_ylim(0, 105)
    for axes in (loss_axes, accuracy_axes):
        axes.set_xticks(epochs if len(epochs) <= 12 else epochs[:: math.ceil(len(epochs) / 12)])
        axes.grid(alpha=0.3)
    if baseline is not None:  # the legend goes below the axes, where no line can run under it
        figure.legend(*loss_axes.get_legend_handles_labels(), loc="outside lower center", ncols=2, frameon=False)
    if title is None:
        seconds = sum(float(row.get("seconds", 0.0)) for row in history)
        timing = f" in {seconds:.1f} s" if seconds else ""
        title = (f"{len(history)} epochs{timing}; the returned model (last epoch): "
                 f"{accuracies[-1]:.1f}% validation accuracy")
    figure.suptitle(title, fontsize=10)
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
    confidence: Sequence[float] | None = None,
    normalised: bool = True,
    limit: int = 48,
    title: str | None = None,
) -> Path:
    """Save a grid of images, mistakes first, each titled with its predicted class (✓ or ✗), the
    model's confidence in it when given (0 to 1), and the true class when it is wrong.

    `images` is a batch (B, 3, H, W), on any device; by default it is taken to be normalised with
    ImageNet's mean and std, as resnet18's transforms leave it (`normalised=False` for raw [0, 1]
    pixels). `predicted` and `actual` are class indices; `class_names[i]` names class `i`.
    At most `limit` images are drawn (mistakes first, then in the order given).
    """
    mean, std = imagenet_normalisation() if normalised else (None, None)
    pictures = _displayable(images, mean, std)
    guesses, truths = _as_list(predicted), _as_list(actual)
    sure = [float(c) for c in (confidence.tolist() if hasattr(confidence, "tolist") else confidence)] \
        if confidence is not None else None
    if not (len(pictures) == len(guesses) == len(truths) == (len(sure) if sure is not None else len(truths))):
        raise ValueError(f"plot_predictions: {len(pictures)} images, {len(guesses)} predictions and "
                         f"{len(truths)} labels; give one prediction and one label per image.")
    order = sorted(range(len(pictures)), key=lambda i: guesses[i] == truths[i])[:limit]  # mistakes first
    count = len(order)
    if count == 0:
        raise ValueError("plot_predictions got no images.")
    columns = min(8, count)
    rows = math.ceil(count / columns)
    figure = _figure(figsize=(1.55 * columns + 0.4, 1.75 * rows + 0.6))
    grid = figure.subplots(rows, columns, squeeze=False)
    for slot, axes in enumerate(grid.flat):
        axes.axis("off")
        if slot >= count:
            continue
        index = order[slot]
        picture = pictures[index]
        axes.imshow(picture.squeeze(-1).numpy() if picture.shape[-1] == 1 else picture.numpy(),
                    cmap="gray" if picture.shape[-1] == 1 else None)
        guess, truth = class_names[guesses[index]], class_names[truths[index]]
        right = guesses[index] == truths[index]
        shown = f"{guess} {100 * sure[index]:.0f}%" if sure is not None else guess
        label = f"✓ {shown}" if right else f"✗ {shown}\ntrue: {truth}"
        axes.set_title(label, color=RIGHT if right else WRONG, fontsize=8)
    correct = sum(guesses[i] == truths[i] for i in order)
    figure.suptitle(title or f"Validation images, mistakes first: {correct} of {count} predicted right",
                    fontsize=10)
    return _save(figure, path)


def stratified(labels: Sequence[int], limit: int) -> list[int]:
    """Up to `limit` indices taking each class in turn, so every class shows however the data is sorted."""
    by_class: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        by_class.setdefault(int(label), []).append(index)
    queues = [list(reversed(found)) for _, found in sorted(by_class.items())]
    picked: list[int] = []
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                picked.append(queue.pop())
    return sorted(picked)


def predictions_of(model: Any, loader: Any, limit: int = 48) -> tuple[Any, Any, Any, Any]:
    """Images of `loader`'s dataset (all of them, or a stratified sample of `limit`), the model's
    predicted classes, its confidence in each (softmax probability) and the true labels.

    Runs on the model's own device, in eval mode under `torch.no_grad()`, and puts the model back
    in the mode it was in.
    """
    import torch

    dataset = loader.dataset
    labels = getattr(dataset, "targets", None) or [int(dataset[i][1]) for i in range(len(dataset))]
    picked = [dataset[i] for i in stratified(labels, limit)]
    images = torch.stack([image for image, _ in picked])
    actual = torch.tensor([int(label) for _, label in picked])
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            scores = torch.cat([model(chunk.to(device)).cpu() for chunk in images.split(64)])
    finally:
        model.train(was_training)
    confidence, predicted = scores.softmax(dim=1).max(dim=1)
    return images, predicted, confidence, actual


def plot_validation(model: Any, loader: Any, path: str | Path, limit: int = 48, title: str | None = None) -> Path:
    """Save `loader`'s validation images (or a stratified `limit` of them) with the model's
    predictions, confidence and the true class, mistakes first, as a PNG; returns the path.

    Class names come from the loader's dataset (`ImageFolder.classes`).
    """
    images, predicted, confidence, actual = predictions_of(model, loader, limit)
    classes = getattr(loader.dataset, "classes", None) or [str(i) for i in range(int(max(predicted.max(), actual.max())) + 1)]
    return plot_predictions(images, predicted, actual, classes, path, confidence=confidence, limit=limit,
                            title=title)

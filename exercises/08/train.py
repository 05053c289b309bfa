"""Exercise 08: train a texture classifier end to end, fast. Lesson: exercises/08/README.md.

Offline, `resnet18(weights=DEFAULT)` loads the kata's stand-in, a random network, so expect far
lower accuracy than with the real ImageNet weights (the lesson's "Which weights?" says how much).
The reference solution prints which weights it used and records them in each history row under
"weights"; the checks do not ask for that.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader

DATA = Path(__file__).resolve().parent / "data"


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """The device to train on: the one asked for, else CUDA, else Apple's MPS, else the CPU."""
    # TODO: a device passed in wins: torch.device(device)
    # TODO: otherwise ask torch.cuda.is_available(), then torch.backends.mps.is_available()
    raise NotImplementedError("exercise 08: see exercises/08/README.md")


def make_loaders(data_dir: Path, image_size: int = 224, batch_size: int = 32) -> tuple[DataLoader, DataLoader]:
    """Loaders over data_dir/train and data_dir/val, both through the weights' own transforms.

    image_size is the crop; the resize before it keeps the weights' ratio (256 for a 224 crop).
    """
    # TODO: ResNet18_Weights.DEFAULT.transforms(crop_size=image_size, resize_size=image_size * 256 // 224)
    # TODO: one torchvision.datasets.ImageFolder per split (it labels each image by its folder)
    raise NotImplementedError("exercise 08: see exercises/08/README.md")


def build_model(num_classes: int) -> nn.Module:
    """resnet18 with the ImageNet weights, backbone frozen, then a fresh trainable head."""
    # TODO: the weights, then freeze every parameter, then nn.Linear(model.fc.in_features, num_classes)
    raise NotImplementedError("exercise 08: see exercises/08/README.md")


def make_optimizer(model: nn.Module, lr: float = 1e-3) -> torch.optim.Optimizer:
    """Adam over the head's parameters, the only ones that train."""
    raise NotImplementedError("exercise 08: see exercises/08/README.md")


def train_one_epoch(module: nn.Module, optimizer: torch.optim.Optimizer,
                    batches: Iterable[tuple[torch.Tensor, torch.Tensor]], device: torch.device) -> float:
    """One pass over `batches` of (inputs, labels), one optimizer step each; the mean loss."""
    # TODO: module.train(); per batch: to(device), zero_grad, cross-entropy loss, backward, step
    raise NotImplementedError("exercise 08: see exercises/08/README.md")


def evaluate(module: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]], device: torch.device) -> float:
    """The fraction of `batches` that `module` classifies right, in eval mode, without autograd."""
    raise NotImplementedError("exercise 08: see exercises/08/README.md")


def extract_features(model: nn.Module, loader: DataLoader, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Every image's backbone output (N, in_features) and label (N,), computed once, on `device`."""
    # TODO (the last step): eval mode and torch.no_grad(); the backbone is every child but the head:
    #       nn.Sequential(*list(model.children())[:-1], nn.Flatten())
    raise NotImplementedError("exercise 08: see exercises/08/README.md")


def fold_into_head(head: nn.Linear, mean: torch.Tensor, std: torch.Tensor) -> None:
    """Make `head`, trained on (x - mean) / std, give the same scores on raw features x."""
    # TODO (the last step): in place, under torch.no_grad(): divide the weight by std, then
    #       subtract (the new weight @ mean) from the bias
    raise NotImplementedError("exercise 08: see exercises/08/README.md")


def train(
    data_dir: Path = DATA,
    epochs: int = 20,
    lr: float = 1e-3,
    batch_size: int = 16,
    image_size: int = 224,
    device: str | torch.device | None = None,
    seed: int = 0,
) -> tuple[nn.Module, list[dict]]:
    """Train a new head on a frozen resnet18; return the model and one history dict per epoch.

    Each history dict: {"epoch": 1, 2, ..., "train_loss": the epoch's mean loss,
    "val_accuracy": the fraction right on the validation set, "seconds": the epoch's wall time}.
    Each epoch prints one line, e.g. `epoch  3/20  train loss 0.4123  val accuracy 0.875  0.05 s`.
    Every argument counts (the checks pass other values than these defaults), and the same seed gives
    the same history whatever state the global random generators were in.
    """
    # TODO: device = pick_device(device); torch.manual_seed(seed) before the head is created
    # TODO: the loaders; the head's size comes from the data: len(train_loader.dataset.classes)
    # TODO: the model on the device, a head-only optimizer; per epoch train_one_epoch, evaluate,
    #       record and print
    # TODO (the last step): train model.fc on standardised cached features, then fold_into_head,
    #       so the returned model takes raw images again
    raise NotImplementedError("exercise 08: see exercises/08/README.md")

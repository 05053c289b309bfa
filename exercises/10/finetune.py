"""Exercise 10: unfreeze and fine-tune, the middle path. Lesson: exercises/10/README.md."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader

DATA = Path(__file__).resolve().parent.parent / "08" / "data"  # the texture photos of exercise 08
Batches = Iterable[tuple[torch.Tensor, torch.Tensor]]


def make_loaders(data_dir: Path, image_size: int = 224, batch_size: int = 32) -> tuple[DataLoader, DataLoader]:
    """Loaders over data_dir/train and data_dir/val, both through the weights' own transforms."""
    # TODO: as in exercise 08: ResNet18_Weights.DEFAULT.transforms(crop_size=image_size,
    #       resize_size=image_size * 256 // 224), one ImageFolder per split
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def build_model(num_classes: int) -> nn.Module:
    """resnet18 with the ImageNet weights, backbone frozen, then a fresh trainable head."""
    # TODO: as in exercise 08: weights, freeze everything, then nn.Linear(model.fc.in_features, num_classes)
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def split(model: nn.Module) -> tuple[nn.Module, nn.Module]:
    """(conv1 to layer3: frozen in both stages, layer4 to the head: what stage 2 fine-tunes)."""
    # TODO: nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool, model.layer1, model.layer2,
    #       model.layer3), and nn.Sequential(model.layer4, model.avgpool, nn.Flatten(), model.fc):
    #       the same layers (no copies), so training one trains the model
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def cache(module: nn.Module, batches: Batches, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """`module`'s output for every input of `batches`, and the labels, computed once in eval mode."""
    # TODO: module.eval() and torch.no_grad(); concatenate the outputs and the labels
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def fold_into_head(head: nn.Linear, mean: torch.Tensor, std: torch.Tensor) -> None:
    """Make `head`, trained on (x - mean) / std, give the same scores on raw features x."""
    # TODO: as in exercise 08, under torch.no_grad(): weight /= std, then bias -= weight @ mean
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def unfreeze_layer4(model: nn.Module, optimizer: torch.optim.Optimizer, lr: float) -> torch.optim.Optimizer:
    """Stage 2's optimizer: the head at `lr`, layer4 unfrozen in a group of its own at lr / 10."""
    # TODO: model.layer4.requires_grad_(True); then the optimizer must hear about it:
    #       set the head's group to lr, and optimizer.add_param_group({"params": ..., "lr": lr / 10})
    #       (or build a new optimizer with the two groups); return it
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def train_one_epoch(module: nn.Module, optimizer: torch.optim.Optimizer, batches: Batches,
                    device: torch.device) -> float:
    """One pass over `batches`, one step each; the mean loss. `module` stays in eval mode, so every
    BatchNorm keeps its pretrained statistics (gradients flow all the same)."""
    # TODO: module.eval(); per batch: to(device), zero_grad, cross-entropy loss, backward, step
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def evaluate(module: nn.Module, batches: Batches, device: torch.device) -> float:
    """The fraction of `batches` that `module` classifies right, in eval mode, without autograd."""
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def train(
    data_dir: Path = DATA,
    head_epochs: int = 10,
    fine_tune_epochs: int = 3,
    lr: float = 1e-3,
    batch_size: int = 16,
    image_size: int = 224,
    device: str | torch.device | None = None,
    seed: int = 0,
) -> tuple[nn.Module, list[dict]]:
    """Stage 1: the head alone at `lr`. Stage 2: layer4 and the head at lr / 100 and lr / 10.

    Returns the model and one history dict per epoch: {"epoch": 1, 2, ..., "stage": 1 or 2,
    "train_loss": ..., "val_accuracy": ..., "seconds": ...}, one printed line each.
    """
    # TODO: the device (CUDA when available, else the CPU) and torch.manual_seed(seed); the loaders
    #       (batch_size); the model, sized by len(train_loader.dataset.classes); bottom, top = split(model)
    # TODO: cache bottom's output for both splits once; then layer4's pooled features from those
    #       (cache(nn.Sequential(model.layer4, model.avgpool, nn.Flatten()), [(x, y)], device)),
    #       standardised with the training mean and std
    # TODO: stage 1: Adam over model.fc at lr, train model.fc on the standardised features
    # TODO: stage 2: fold_into_head, optimizer = unfreeze_layer4(model, optimizer, lr / 10), then train
    #       top on the cached layer3 outputs; shuffle both stages with a seeded torch.Generator
    raise NotImplementedError("exercise 10: see exercises/10/README.md")


def fine_tune_everything(
    data_dir: Path = DATA,
    epochs: int = 3,
    lr: float = 1e-4,
    batch_size: int = 16,
    image_size: int = 224,
    device: str | torch.device | None = None,
    seed: int = 0,
) -> tuple[nn.Module, list[dict]]:
    """Full fine-tuning from the start: every parameter trains, at one low learning rate.

    Returns the model and one history dict per epoch: {"epoch", "train_loss", "val_accuracy", "seconds"}.
    """
    # TODO: build_model, then unfreeze it all (model.requires_grad_(True)); Adam over model.parameters()
    #       at lr; per epoch train_one_epoch(model, ...) on the image loader, evaluate, record, print
    raise NotImplementedError("exercise 10: see exercises/10/README.md")

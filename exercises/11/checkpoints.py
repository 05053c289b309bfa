"""Exercise 11: save, load, resume. Lesson: exercises/11/README.md."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torchvision.models import ResNet18_Weights

WEIGHTS = ResNet18_Weights.DEFAULT
DATA = Path(__file__).resolve().parent.parent / "08" / "data"  # the texture photos of exercise 08


def build_model(num_classes: int, weights: ResNet18_Weights | None = WEIGHTS) -> nn.Module:
    """resnet18, backbone frozen, head swapped for `num_classes`: the same shape whether trained or loaded."""
    # TODO: resnet18(weights=weights), freeze it, then nn.Linear(model.fc.in_features, num_classes)
    raise NotImplementedError("exercise 11: see exercises/11/README.md")


def save_checkpoint(path: Path, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int,
                    history: list[dict]) -> None:
    """Everything a resumed run needs, as plain tensors and numbers: no pickled classes."""
    # TODO: torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": ...,
    #       "history": ...}, path), never torch.save(model, path)
    raise NotImplementedError("exercise 11: see exercises/11/README.md")


def load_for_inference(path: Path, num_classes: int) -> nn.Module:
    """A fresh resnet18 with its head swapped first, the saved tensors loaded strictly, in eval mode."""
    # TODO: build_model(num_classes, weights=None) (the head swapped BEFORE loading), then
    #       torch.load(path, weights_only=True), model.load_state_dict(checkpoint["model"]) (strict),
    #       and return model.eval()
    raise NotImplementedError("exercise 11: see exercises/11/README.md")


def features(model: nn.Module, data_dir: Path, image_size: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The frozen backbone's features and the labels of each split (train, val), computed once."""
    # TODO: as in exercise 08: the weights' transforms at image_size, one ImageFolder per split,
    #       nn.Sequential(*list(model.children())[:-1], nn.Flatten()) in eval mode under torch.no_grad()
    raise NotImplementedError("exercise 11: see exercises/11/README.md")


def fit(model: nn.Module, optimizer: torch.optim.Optimizer, path: Path, data_dir: Path, epochs: int,
        batch_size: int, image_size: int, seed: int, history: list[dict]) -> tuple[nn.Module, list[dict]]:
    """Train the head from epoch len(history) + 1 to `epochs`, saving a checkpoint after each epoch.

    Epoch e shuffles with a generator seeded by (seed, e), so a resumed run shuffles as an
    uninterrupted one would.
    """
    # TODO: features once; per epoch: torch.Generator().manual_seed(seed * 1000 + epoch) for the
    #       DataLoader's shuffling, one step per batch on model.fc, the validation accuracy, one history
    #       dict ({"epoch", "train_loss", "val_accuracy", "seconds"}), one printed line, save_checkpoint
    raise NotImplementedError("exercise 11: see exercises/11/README.md")


def train(path: Path, data_dir: Path = DATA, epochs: int = 5, lr: float = 1e-3, batch_size: int = 16,
          image_size: int = 224, seed: int = 0) -> tuple[nn.Module, list[dict]]:
    """A new head on the frozen backbone, checkpointed to `path` after every epoch."""
    # TODO: torch.manual_seed(seed); build_model (classes from the train folder); Adam over model.fc;
    #       fit(..., history=[])
    raise NotImplementedError("exercise 11: see exercises/11/README.md")


def resume_training(path: Path, data_dir: Path = DATA, epochs: int = 5, lr: float = 1e-3, batch_size: int = 16,
                    image_size: int = 224, seed: int = 0) -> tuple[nn.Module, list[dict]]:
    """Continue the run saved at `path` up to `epochs`, as if it had never stopped."""
    # TODO: torch.load(path, weights_only=True); a model built as train() builds it, its state loaded;
    #       a new Adam over model.fc with optimizer.load_state_dict(...); the history up to the saved
    #       epoch; then fit(...)
    raise NotImplementedError("exercise 11: see exercises/11/README.md")

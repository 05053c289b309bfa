"""Exercise 11, reference solution: save a trained model's state, load it for inference, resume training."""

from __future__ import annotations

import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets
from torchvision.models import ResNet18_Weights, resnet18

WEIGHTS = ResNet18_Weights.DEFAULT
DATA = Path(__file__).resolve().parents[2] / "exercises" / "08" / "data"


def build_model(num_classes: int, weights: ResNet18_Weights | None = WEIGHTS) -> nn.Module:
    """resnet18, backbone frozen, head swapped for `num_classes`: the same shape whether trained or loaded."""
    model = resnet18(weights=weights)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def save_checkpoint(path: Path, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int,
                    history: list[dict]) -> None:
    """Everything a resumed run needs, as plain tensors and numbers: no pickled classes."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                "history": history}, path)


def load_for_inference(path: Path, num_classes: int) -> nn.Module:
    """A fresh resnet18 with its head swapped first, the saved tensors loaded strictly, in eval mode."""
    model = build_model(num_classes, weights=None)  # every tensor comes from the file
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    return model.eval()


@torch.no_grad()
def features(model: nn.Module, data_dir: Path, image_size: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The frozen backbone's features and the labels of each split (train, val), computed once."""
    transform = WEIGHTS.transforms(crop_size=image_size, resize_size=image_size * 256 // 224)
    backbone = nn.Sequential(*list(model.children())[:-1], nn.Flatten()).eval()
    found = []
    for split in ("train", "val"):
        images, labels = zip(*datasets.ImageFolder(Path(data_dir) / split, transform))
        found.append((backbone(torch.stack(images)), torch.tensor(labels)))
    return found


def fit(model: nn.Module, optimizer: torch.optim.Optimizer, path: Path, data_dir: Path, epochs: int,
        batch_size: int, image_size: int, seed: int, history: list[dict]) -> tuple[nn.Module, list[dict]]:
    """Train the head from epoch len(history) + 1 to `epochs`, saving a checkpoint after each epoch.

    Epoch e shuffles with a generator seeded by (seed, e), so a resumed run shuffles as an
    uninterrupted one would.
    """
    (train_x, train_y), (val_x, val_y) = features(model, data_dir, image_size)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(len(history) + 1, epochs + 1):
        start = time.perf_counter()
        order = torch.Generator().manual_seed(seed * 1000 + epoch)
        total = 0.0
        for x, y in DataLoader(TensorDataset(train_x, train_y), batch_size=batch_size, shuffle=True, generator=order):
            optimizer.zero_grad()
            loss = loss_fn(model.fc(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
        with torch.no_grad():
            accuracy = (model.fc(val_x).argmax(dim=1) == val_y).float().mean().item()
        history.append({"epoch": epoch, "train_loss": total / len(train_y), "val_accuracy": accuracy,
                        "seconds": time.perf_counter() - start})
        print(f"epoch {epoch:>2}/{epochs}  train loss {history[-1]['train_loss']:.4f}  val accuracy {accuracy:.3f}")
        save_checkpoint(path, model, optimizer, epoch, history)
    return model.eval(), history


def train(path: Path, data_dir: Path = DATA, epochs: int = 5, lr: float = 1e-3, batch_size: int = 16,
          image_size: int = 224, seed: int = 0) -> tuple[nn.Module, list[dict]]:
    """A new head on the frozen backbone, checkpointed to `path` after every epoch."""
    torch.manual_seed(seed)
    model = build_model(len(datasets.ImageFolder(Path(data_dir) / "train").classes))
    optimizer = torch.optim.Adam(model.fc.parameters(), lr=lr)
    return fit(model, optimizer, path, data_dir, epochs, batch_size, image_size, seed, [])


def resume_training(path: Path, data_dir: Path = DATA, epochs: int = 5, lr: float = 1e-3, batch_size: int = 16,
                    image_size: int = 224, seed: int = 0) -> tuple[nn.Module, list[dict]]:
    """Continue the run saved at `path` up to `epochs`, as if it had never stopped."""
    checkpoint = torch.load(path, weights_only=True)
    model = build_model(len(datasets.ImageFolder(Path(data_dir) / "train").classes), weights=None)
    model.load_state_dict(checkpoint["model"])
    optimizer = torch.optim.Adam(model.fc.parameters(), lr=lr)
    optimizer.load_state_dict(checkpoint["optimizer"])
    history = checkpoint["history"][: checkpoint["epoch"]]  # the epochs done; fit goes on from the next
    return fit(model, optimizer, path, data_dir, epochs, batch_size, image_size, seed, history)

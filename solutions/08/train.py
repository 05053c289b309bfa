"""Exercise 08, reference solution: train a texture classifier end to end, on cached features."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets
from torchvision.models import ResNet18_Weights, resnet18

WEIGHTS = ResNet18_Weights.DEFAULT
DATA = Path(__file__).resolve().parents[2] / "exercises" / "08" / "data"


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """The device to train on: the one asked for, else CUDA, else Apple's MPS, else the CPU."""
    if device is not None:
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def weights_in_use() -> str:
    """What `resnet18(weights=WEIGHTS)` loads here: the real ImageNet weights, or the kata's offline
    stand-in, a random network (the kata marks the folder it keeps the stand-in in)."""
    if (Path(torch.hub.get_dir()) / "checkpoints" / "stand-in-version.txt").is_file():
        return "offline stand-in (random weights, not ImageNet)"
    return "ImageNet"


def make_loaders(data_dir: Path, image_size: int = 224, batch_size: int = 32) -> tuple[DataLoader, DataLoader]:
    """Loaders over data_dir/train and data_dir/val, both through the weights' own transforms.

    image_size is the crop; the resize before it keeps the weights' ratio (256 for a 224 crop).
    """
    transform = WEIGHTS.transforms(crop_size=image_size, resize_size=image_size * 256 // 224)
    train_set = datasets.ImageFolder(Path(data_dir) / "train", transform=transform)
    val_set = datasets.ImageFolder(Path(data_dir) / "val", transform=transform)
    return DataLoader(train_set, batch_size=batch_size), DataLoader(val_set, batch_size=batch_size)


def build_model(num_classes: int) -> nn.Module:
    """resnet18 with the ImageNet weights, backbone frozen, then a fresh trainable head."""
    model = resnet18(weights=WEIGHTS)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def make_optimizer(model: nn.Module, lr: float = 1e-3) -> torch.optim.Optimizer:
    """Adam over the head's parameters, the only ones that train."""
    return torch.optim.Adam(model.fc.parameters(), lr=lr)


def train_one_epoch(module: nn.Module, optimizer: torch.optim.Optimizer,
                    batches: Iterable[tuple[torch.Tensor, torch.Tensor]], device: torch.device) -> float:
    """One pass over `batches` of (inputs, labels), one optimizer step each; the mean loss."""
    module.train()
    loss_fn = nn.CrossEntropyLoss()
    total, count = 0.0, 0
    for inputs, labels in batches:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(module(inputs), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    return total / count


def evaluate(module: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]], device: torch.device) -> float:
    """The fraction of `batches` that `module` classifies right, in eval mode, without autograd."""
    module.eval()
    right, count = 0, 0
    with torch.no_grad():
        for inputs, labels in batches:
            labels = labels.to(device)
            right += (module(inputs.to(device)).argmax(dim=1) == labels).sum().item()
            count += len(labels)
    return right / count


@torch.no_grad()
def extract_features(model: nn.Module, loader: DataLoader, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Every image's backbone output (N, in_features) and label (N,), computed once, on `device`."""
    model.eval()  # BatchNorm keeps its pretrained statistics
    backbone = nn.Sequential(*list(model.children())[:-1], nn.Flatten())  # every layer but the head
    # On a CPU, convolutions run about twice as fast on channels-last tensors (same values).
    layout = torch.channels_last if device.type == "cpu" else torch.contiguous_format
    backbone.to(memory_format=layout)
    features, labels = [], []
    for images, targets in loader:
        features.append(backbone(images.to(device, memory_format=layout)))
        labels.append(targets.to(device))
    return torch.cat(features), torch.cat(labels)


@torch.no_grad()
def fold_into_head(head: nn.Linear, mean: torch.Tensor, std: torch.Tensor) -> None:
    """Make `head`, trained on (x - mean) / std, give the same scores on raw features x."""
    head.weight /= std  # W((x - m) / s) + b  ==  (W / s) x + (b - (W / s) m)
    head.bias -= head.weight @ mean


def feature_statistics(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each feature's mean and std over the rows; the std clamped, so a feature that never varies
    does not divide by zero."""
    return features.mean(dim=0), features.std(dim=0).clamp_min(1e-2)


def head_batches(features: torch.Tensor, labels: torch.Tensor, batch_size: int, seed: int) -> DataLoader:
    """Batches of cached features for the head, reshuffled every epoch, in an order fixed by `seed`."""
    return DataLoader(TensorDataset(features, labels), batch_size=batch_size, shuffle=True,
                      generator=torch.Generator().manual_seed(seed))


def fit(module: nn.Module, optimizer: torch.optim.Optimizer, train_batches: Iterable, val_batches: Iterable,
        epochs: int, device: torch.device) -> list[dict]:
    """The epochs: train, validate, print one line and keep one history dict each."""
    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        loss = train_one_epoch(module, optimizer, train_batches, device)
        accuracy = evaluate(module, val_batches, device)
        seconds = time.perf_counter() - start
        history.append({"epoch": epoch, "train_loss": loss, "val_accuracy": accuracy, "seconds": seconds})
        print(f"epoch {epoch:>2}/{epochs}  train loss {loss:.4f}  val accuracy {accuracy:.3f}  {seconds:.2f} s")
    return history


def fit_on_features(model: nn.Module, optimizer: torch.optim.Optimizer, train_loader: DataLoader,
                    val_loader: DataLoader, epochs: int, batch_size: int, seed: int,
                    device: torch.device) -> list[dict]:
    """Train model.fc on the backbone's features, computed once and standardised; then fold the
    scaling into the head, so the model takes raw images again. The history, one dict per epoch."""
    # The backbone never changes, so an image's features never change: compute them once.
    train_x, train_y = extract_features(model, train_loader, device)
    val_x, val_y = extract_features(model, val_loader, device)
    # A linear head learns faster on standardised features; the scaling is folded into it at the end.
    mean, std = feature_statistics(train_x)
    history = fit(model.fc, optimizer, head_batches((train_x - mean) / std, train_y, batch_size, seed),
                  [((val_x - mean) / std, val_y)], epochs, device)
    fold_into_head(model.fc, mean, std)
    return history


def train(
    data_dir: Path = DATA,
    epochs: int = 20,
    lr: float = 1e-3,
    batch_size: int = 16,
    image_size: int = 224,
    device: str | torch.device | None = None,
    seed: int = 0,
) -> tuple[nn.Module, list[dict]]:
    """Train a new head on a frozen resnet18; return the model and one history dict per epoch."""
    device = pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = make_loaders(data_dir, image_size)
    model = build_model(len(train_loader.dataset.classes)).to(device)
    optimizer = make_optimizer(model, lr)
    backbone = weights_in_use()
    print(f"backbone weights: {backbone}")
    history = fit_on_features(model, optimizer, train_loader, val_loader, epochs, batch_size, seed, device)
    for row in history:
        row["weights"] = backbone  # so a saved or plotted history says which backbone it came from
    return model.eval(), history

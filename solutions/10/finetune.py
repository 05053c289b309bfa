"""Exercise 10, reference solution: train the head on a frozen backbone, then unfreeze layer4 and
fine-tune it with the head at lower, discriminative learning rates."""

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
Batches = Iterable[tuple[torch.Tensor, torch.Tensor]]


def make_loaders(data_dir: Path, image_size: int = 224, batch_size: int = 32) -> tuple[DataLoader, DataLoader]:
    """Loaders over data_dir/train and data_dir/val, both through the weights' own transforms."""
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


def split(model: nn.Module) -> tuple[nn.Module, nn.Module]:
    """(conv1 to layer3: frozen in both stages, layer4 to the head: what stage 2 fine-tunes)."""
    bottom = nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool,
                           model.layer1, model.layer2, model.layer3)
    top = nn.Sequential(model.layer4, model.avgpool, nn.Flatten(), model.fc)
    return bottom, top


@torch.no_grad()
def cache(module: nn.Module, batches: Batches, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """`module`'s output for every input of `batches`, and the labels, computed once in eval mode."""
    module.eval()
    outputs, labels = [], []
    for inputs, targets in batches:
        outputs.append(module(inputs.to(device)))
        labels.append(targets.to(device))
    return torch.cat(outputs), torch.cat(labels)


@torch.no_grad()
def fold_into_head(head: nn.Linear, mean: torch.Tensor, std: torch.Tensor) -> None:
    """Make `head`, trained on (x - mean) / std, give the same scores on raw features x."""
    head.weight /= std
    head.bias -= head.weight @ mean


def unfreeze_layer4(model: nn.Module, optimizer: torch.optim.Optimizer, lr: float) -> torch.optim.Optimizer:
    """Stage 2's optimizer: the head at `lr`, layer4 unfrozen in a group of its own at lr / 10."""
    model.layer4.requires_grad_(True)
    for group in optimizer.param_groups:  # stage 1's only group: the head
        group["lr"] = lr
    optimizer.add_param_group({"params": list(model.layer4.parameters()), "lr": lr / 10})
    return optimizer


def train_one_epoch(module: nn.Module, optimizer: torch.optim.Optimizer, batches: Batches,
                    device: torch.device) -> float:
    """One pass over `batches`, one step each; the mean loss. `module` stays in eval mode, so every
    BatchNorm keeps its pretrained statistics (gradients flow all the same)."""
    module.eval()
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


@torch.no_grad()
def evaluate(module: nn.Module, batches: Batches, device: torch.device) -> float:
    """The fraction of `batches` that `module` classifies right, in eval mode, without autograd."""
    module.eval()
    right, count = 0, 0
    for inputs, labels in batches:
        labels = labels.to(device)
        right += (module(inputs.to(device)).argmax(dim=1) == labels).sum().item()
        count += len(labels)
    return right / count


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

    Returns the model and one history dict per epoch, each saying its stage (1 or 2).
    """
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    torch.manual_seed(seed)
    train_loader, val_loader = make_loaders(data_dir, image_size, batch_size)
    model = build_model(len(train_loader.dataset.classes)).to(device)
    bottom, top = split(model)
    shuffled = torch.Generator().manual_seed(seed)

    # conv1 to layer3 never change: their output for each image is computed once, for both stages.
    train_x, train_y = cache(bottom, train_loader, device)
    val_x, val_y = cache(bottom, val_loader, device)
    # Stage 1 trains the head on layer4's pooled features, standardised (folded into the head after).
    features = nn.Sequential(model.layer4, model.avgpool, nn.Flatten())
    train_f, _ = cache(features, [(train_x, train_y)], device)
    val_f, _ = cache(features, [(val_x, val_y)], device)
    mean, std = train_f.mean(dim=0), train_f.std(dim=0).clamp_min(1e-2)
    stage_data = {
        1: (model.fc, DataLoader(TensorDataset((train_f - mean) / std, train_y), batch_size=batch_size,
                                 shuffle=True, generator=shuffled), [((val_f - mean) / std, val_y)]),
        2: (top, DataLoader(TensorDataset(train_x, train_y), batch_size=batch_size, shuffle=True,
                            generator=shuffled), [(val_x, val_y)]),
    }

    optimizer = torch.optim.Adam(model.fc.parameters(), lr=lr)
    history = []
    for epoch in range(1, head_epochs + fine_tune_epochs + 1):
        stage = 1 if epoch <= head_epochs else 2
        if epoch == head_epochs + 1:
            fold_into_head(model.fc, mean, std)  # the head takes raw features again, before layer4 moves
            optimizer = unfreeze_layer4(model, optimizer, lr / 10)
        module, train_batches, val_batches = stage_data[stage]
        start = time.perf_counter()
        loss = train_one_epoch(module, optimizer, train_batches, device)
        accuracy = evaluate(module, val_batches, device)
        seconds = time.perf_counter() - start
        history.append({"epoch": epoch, "stage": stage, "train_loss": loss, "val_accuracy": accuracy,
                        "seconds": seconds})
        print(f"epoch {epoch:>2}  stage {stage}  train loss {loss:.4f}  val accuracy {accuracy:.3f}  {seconds:.2f} s")
    if fine_tune_epochs == 0:
        fold_into_head(model.fc, mean, std)
    return model.eval(), history


def fine_tune_everything(
    data_dir: Path = DATA,
    epochs: int = 3,
    lr: float = 1e-4,
    batch_size: int = 16,
    image_size: int = 224,
    device: str | torch.device | None = None,
    seed: int = 0,
) -> tuple[nn.Module, list[dict]]:
    """Full fine-tuning from the start: every parameter trains, at one low learning rate."""
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    torch.manual_seed(seed)
    train_loader, val_loader = make_loaders(data_dir, image_size, batch_size)
    model = build_model(len(train_loader.dataset.classes)).requires_grad_(True).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        loss = train_one_epoch(model, optimizer, train_loader, device)
        accuracy = evaluate(model, val_loader, device)
        seconds = time.perf_counter() - start
        history.append({"epoch": epoch, "train_loss": loss, "val_accuracy": accuracy, "seconds": seconds})
        print(f"epoch {epoch:>2}/{epochs}  train loss {loss:.4f}  val accuracy {accuracy:.3f}  {seconds:.2f} s")
    return model.eval(), history

"""Exercise 12, reference solution: the same fine-tuning loop, faster on a GPU (and correct on a CPU)."""

from __future__ import annotations

import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets
from torchvision.models import ResNet18_Weights, resnet18

WEIGHTS = ResNet18_Weights.DEFAULT
DATA = Path(__file__).resolve().parents[2] / "exercises" / "08" / "data"


def amp_dtype(device: torch.device) -> torch.dtype:
    """The low-precision type autocast computes in: float16 on CUDA, bfloat16 elsewhere."""
    return torch.float16 if device.type == "cuda" else torch.bfloat16


def make_scaler(device: torch.device) -> torch.amp.GradScaler:
    """A gradient scaler, enabled only where float16 needs one (CUDA); a no-op elsewhere."""
    return torch.amp.GradScaler(device.type, enabled=device.type == "cuda")


def make_loader(dataset: Dataset, batch_size: int, device: torch.device, shuffle: bool = False,
                seed: int = 0) -> DataLoader:
    """Batches of `dataset`, in page-locked (pinned) memory when they are bound for a GPU."""
    generator = torch.Generator().manual_seed(seed) if shuffle else None
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator,
                      pin_memory=device.type == "cuda")


def to_device(images: torch.Tensor, labels: torch.Tensor,
              device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch on `device`, copied asynchronously, images in channels-last layout."""
    images = images.to(device, non_blocking=True, memory_format=torch.channels_last)
    return images, labels.to(device, non_blocking=True)


def train_step(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, optimizer: torch.optim.Optimizer,
               scaler: torch.amp.GradScaler, device: torch.device, amp: bool = True) -> float:
    """One optimizer step under autocast, through the scaler; the batch's loss."""
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast(device.type, dtype=amp_dtype(device), enabled=amp):
        loss = nn.functional.cross_entropy(model(images), labels)
    scaler.scale(loss).backward()  # outside autocast: backward runs each op in its forward's dtype
    scaler.step(optimizer)  # unscales the gradients first; skips the step if any is inf or NaN
    scaler.update()
    return loss.item()


def evaluate(model: nn.Module, loader: DataLoader, device: torch.device, amp: bool = True) -> float:
    """The fraction of `loader` classified right, in eval mode, without autograd, under autocast."""
    model.eval()
    right, count = 0, 0
    with torch.no_grad(), torch.autocast(device.type, dtype=amp_dtype(device), enabled=amp):
        for images, labels in loader:
            images, labels = to_device(images, labels, device)
            right += (model(images).argmax(dim=1) == labels).sum().item()
            count += len(labels)
    return right / count


def build_model(num_classes: int) -> nn.Module:
    """resnet18 with the ImageNet weights and a fresh head, everything trainable (full fine-tuning)."""
    model = resnet18(weights=WEIGHTS)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """The device asked for, else CUDA, else Apple's MPS, else the CPU."""
    if device is not None:
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def train(
    model: nn.Module | None = None,
    data_dir: Path = DATA,
    epochs: int = 3,
    lr: float = 1e-4,
    batch_size: int = 16,
    image_size: int = 224,
    device: str | torch.device | None = None,
    amp: bool = True,
    seed: int = 0,
) -> tuple[nn.Module, list[dict]]:
    """Fine-tune `model` (by default build_model, all of resnet18) with mixed precision; return it and
    one history dict per epoch."""
    device = pick_device(device)
    torch.manual_seed(seed)
    transform = WEIGHTS.transforms(crop_size=image_size, resize_size=image_size * 256 // 224)
    train_set = datasets.ImageFolder(Path(data_dir) / "train", transform)
    val_set = datasets.ImageFolder(Path(data_dir) / "val", transform)
    if model is None:
        model = build_model(len(train_set.classes))
    model = model.to(device, memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scaler = make_scaler(device)
    train_loader = make_loader(train_set, batch_size, device, shuffle=True, seed=seed)
    val_loader = make_loader(val_set, batch_size, device)

    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        total, count = 0.0, 0
        for images, labels in train_loader:
            images, labels = to_device(images, labels, device)
            total += train_step(model, images, labels, optimizer, scaler, device, amp) * len(labels)
            count += len(labels)
        accuracy = evaluate(model, val_loader, device, amp)
        if device.type == "cuda":
            torch.cuda.synchronize()  # asynchronous work counts in the epoch that queued it
        seconds = time.perf_counter() - start
        history.append({"epoch": epoch, "train_loss": total / count, "val_accuracy": accuracy, "seconds": seconds})
        print(f"epoch {epoch:>2}/{epochs}  train loss {total / count:.4f}  val accuracy {accuracy:.3f}  {seconds:.2f} s")
    return model, history

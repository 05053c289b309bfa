"""Exercise 12: the same fine-tuning loop, faster on a GPU (and correct on a CPU). Lesson: exercises/12/README.md."""

from __future__ import annotations

import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets
from torchvision.models import ResNet18_Weights, resnet18

WEIGHTS = ResNet18_Weights.DEFAULT
DATA = Path(__file__).resolve().parents[1] / "08" / "data"


def amp_dtype(device: torch.device) -> torch.dtype:
    """The low-precision type autocast computes in: float16 on CUDA, bfloat16 elsewhere."""
    # TODO: float16 on CUDA (device.type == "cuda"), bfloat16 anywhere else
    raise NotImplementedError("exercise 12: see exercises/12/README.md")


def make_scaler(device: torch.device) -> torch.amp.GradScaler:
    """A gradient scaler, enabled only where float16 needs one (CUDA); a no-op elsewhere."""
    # TODO: torch.amp.GradScaler(device.type, enabled=...): enabled on CUDA only
    raise NotImplementedError("exercise 12: see exercises/12/README.md")


def make_loader(dataset: Dataset, batch_size: int, device: torch.device, shuffle: bool = False,
                seed: int = 0) -> DataLoader:
    """Batches of `dataset`, in page-locked (pinned) memory when they are bound for a GPU."""
    # TODO: a DataLoader; pin_memory only when the batches go to a CUDA device;
    #       when shuffling, a torch.Generator seeded with `seed`
    raise NotImplementedError("exercise 12: see exercises/12/README.md")


def to_device(images: torch.Tensor, labels: torch.Tensor,
              device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch on `device`, copied asynchronously, images in channels-last layout."""
    # TODO: both tensors .to(device, non_blocking=True); the images also in torch.channels_last
    raise NotImplementedError("exercise 12: see exercises/12/README.md")


def train_step(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, optimizer: torch.optim.Optimizer,
               scaler: torch.amp.GradScaler, device: torch.device, amp: bool = True) -> float:
    """One optimizer step under autocast, through the scaler; the batch's loss."""
    # TODO: zero_grad; forward and loss inside torch.autocast(device.type, dtype=amp_dtype(device), enabled=amp)
    # TODO: then, outside autocast: scaler.scale(loss).backward(), scaler.step(optimizer), scaler.update()
    # TODO: return loss.item()
    raise NotImplementedError("exercise 12: see exercises/12/README.md")


def evaluate(model: nn.Module, loader: DataLoader, device: torch.device, amp: bool = True) -> float:
    """The fraction of `loader` classified right, in eval mode, without autograd, under autocast."""
    # TODO: eval mode, torch.no_grad() and the same autocast; batches through to_device
    raise NotImplementedError("exercise 12: see exercises/12/README.md")


def build_model(num_classes: int) -> nn.Module:
    """resnet18 with the ImageNet weights and a fresh head, everything trainable (full fine-tuning)."""
    # TODO: resnet18(weights=WEIGHTS), a new nn.Linear head; freeze nothing
    raise NotImplementedError("exercise 12: see exercises/12/README.md")


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """The device asked for, else CUDA, else Apple's MPS, else the CPU."""
    # TODO: the device passed in, else CUDA, else MPS, else the CPU
    raise NotImplementedError("exercise 12: see exercises/12/README.md")


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
    one history dict per epoch.

    Each history dict, as in exercise 08: {"epoch": 1, 2, ..., "train_loss": the epoch's mean loss,
    "val_accuracy": the fraction right on the validation set, "seconds": the epoch's wall time}.
    amp=False runs the same loop in float32 (for comparison); each epoch prints one line.
    """
    # TODO: device, seed, datasets as in exercise 08; build_model when no model is given
    # TODO: model.to(device, memory_format=torch.channels_last); Adam over every parameter; make_scaler(device)
    # TODO: make_loader for both splits (shuffle the training one with the seed)
    # TODO: per epoch: model.train(), to_device + train_step per batch, evaluate, record and print one line
    raise NotImplementedError("exercise 12: see exercises/12/README.md")

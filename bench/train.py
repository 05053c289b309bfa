"""Exercise 08's reference against the usual recipes, on the same data and machine, in one run.

Times three ways to get a texture classifier out of resnet18 on exercises/08/data and scores each
returned model the same way (validation photos through the weights' transforms, eval mode), and
the floor under every frozen-backbone recipe: decoding and transforming every shipped image once
plus one backbone forward pass over all of them (the same layout and batch size as the reference):

1. the reference solution (solutions/08): features computed once, a head trained on them;
2. PyTorch's "Transfer Learning for Computer Vision" tutorial, fixed-feature-extractor mode:
   RandomResizedCrop(224) + flip for training, Resize(256) + CenterCrop(224) for validation,
   batch 4, SGD lr 1e-3 momentum 0.9, StepLR(step 7, gamma 0.1), 25 epochs, the backbone run on
   every batch, the best validation epoch kept;
3. the same network trained from scratch (no pretrained weights, everything trainable, Adam 1e-3,
   batch 16, the reference's input pipeline) for as long as (1) took.

    python bench/train.py [--device cpu|cuda|mps] [--tutorial-epochs 25]

Goals: (1) takes at most 1.3x the floor, and is at least 25x faster than (2) at equal or better
last-epoch accuracy. The rest of (1) beyond the floor is broken down (loading the weights, the
head's epochs, everything else). Data loading runs in the main process (num_workers=0) for every
recipe. Timings on a shared machine are noisy: compare ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402
from torchvision import datasets, transforms  # noqa: E402
from torchvision.models import ResNet18_Weights, resnet18  # noqa: E402

from kata import weights  # noqa: E402
from kata.files import import_file  # noqa: E402

DATA = ROOT / "exercises" / "08" / "data"
WEIGHTS = ResNet18_Weights.DEFAULT
GOAL = 25  # times faster than the tutorial recipe
FLOOR_GOAL = 1.3  # the reference's total over the floor
T = TypeVar("T")


def load_reference():
    return import_file(ROOT / "solutions" / "08" / "train.py", "reference_08")


def accuracy(model: nn.Module, device: torch.device) -> float:
    """The fraction of validation photos the model classifies right, through the weights' transforms."""
    val_set = datasets.ImageFolder(DATA / "val", WEIGHTS.transforms())
    model.eval()
    right = 0
    with torch.no_grad():
        for images, labels in DataLoader(val_set, batch_size=16):
            right += (model(images.to(device)).argmax(dim=1).cpu() == labels).sum().item()
    return right / len(val_set)


def timed(make: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = make()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return result, time.perf_counter() - start


def reference(device: torch.device) -> tuple[nn.Module, list[dict]]:
    with contextlib.redirect_stdout(io.StringIO()):  # its per-epoch lines
        return load_reference().train(DATA, device=device, seed=0)


def floor(device: torch.device) -> tuple[float, float]:
    """Seconds to decode and transform every shipped image once, and for one backbone forward over
    all of them: what any recipe that trains on a frozen backbone's outputs must pay."""
    model = resnet18(weights=WEIGHTS).eval().to(device)
    backbone = nn.Sequential(*list(model.children())[:-1], nn.Flatten())
    layout = torch.channels_last if device.type == "cpu" else torch.contiguous_format
    backbone.to(memory_format=layout)
    start = time.perf_counter()
    batches = [images for split in ("train", "val")
               for images, _ in DataLoader(datasets.ImageFolder(DATA / split, WEIGHTS.transforms()), batch_size=32)]
    decoded = time.perf_counter() - start
    start = time.perf_counter()
    with torch.no_grad():
        for images in batches:
            backbone(images.to(device, memory_format=layout))
    if device.type == "cuda":
        torch.cuda.synchronize()
    forward = time.perf_counter() - start
    return decoded, forward


def weight_loading(device: torch.device) -> float:
    """Seconds to build resnet18 with its weights on `device`: part of (1) that the floor leaves out."""
    return timed(lambda: resnet18(weights=WEIGHTS).to(device))[1]


def tutorial(device: torch.device, epochs: int) -> tuple[nn.Module, float]:
    """The tutorial's fixed-feature-extractor recipe, step for step (its train_model, condensed).

    Returns the model it keeps (the best validation epoch's) and the last epoch's val accuracy.
    """
    torch.manual_seed(0)
    normalize = transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    preprocessing = {
        "train": transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                                     transforms.ToTensor(), normalize]),
        "val": transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                   normalize]),
    }
    sets = {phase: datasets.ImageFolder(DATA / phase, preprocessing[phase]) for phase in ("train", "val")}
    loaders = {phase: DataLoader(sets[phase], batch_size=4, shuffle=True) for phase in sets}
    model = resnet18(weights=WEIGHTS)
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, len(sets["train"].classes))
    model = model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.fc.parameters(), lr=0.001, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=7, gamma=0.1)
    best_state, best_acc = copy.deepcopy(model.state_dict()), 0.0
    for _ in range(epochs):
        for phase in ("train", "val"):
            model.train() if phase == "train" else model.eval()
            right = 0
            for inputs, labels in loaders[phase]:
                inputs, labels = inputs.to(device), labels.to(device)
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    loss = criterion(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                right += (outputs.argmax(dim=1) == labels).sum().item()
            if phase == "train":
                scheduler.step()
            elif right / len(sets["val"]) > best_acc:
                best_acc, best_state = right / len(sets["val"]), copy.deepcopy(model.state_dict())
    last_acc = right / len(sets["val"])
    model.load_state_dict(best_state)
    return model, last_acc


def from_scratch(device: torch.device, seconds: float) -> nn.Module:
    """resnet18 with random weights, everything trainable, trained until `seconds` have passed."""
    torch.manual_seed(0)
    train_set = datasets.ImageFolder(DATA / "train", WEIGHTS.transforms())  # (1)'s input pipeline
    loader = DataLoader(train_set, batch_size=16, shuffle=True)
    model = resnet18(num_classes=len(train_set.classes)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    start = time.perf_counter()
    model.train()
    while time.perf_counter() - start < seconds:
        for images, labels in loader:
            optimizer.zero_grad()
            criterion(model(images.to(device)), labels.to(device)).backward()
            optimizer.step()
            if time.perf_counter() - start >= seconds:
                break
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", help="cpu, cuda or mps (default: CUDA, then MPS, then CPU)")
    parser.add_argument("--tutorial-epochs", type=int, default=25,
                        help="25 is the tutorial's recipe; fewer only to see that the script runs")
    args = parser.parse_args()
    provision = weights.provision(Path(os.environ.get("KATA_HOME") or ROOT / ".kata"))
    device = load_reference().pick_device(args.device)
    print(f"device {device} ({platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"{torch.get_num_threads()} torch threads), torch {torch.__version__}")
    print(f"weights: {'ImageNet (verified)' if provision.is_imagenet else 'offline stand-in (seeded random resnet18)'}")

    with torch.no_grad():  # one-time start-up costs (kernel selection, allocators) hit no recipe
        resnet18().eval().to(device)(torch.zeros(1, 3, 224, 224, device=device))
    rows = []
    (model, history), ref_seconds = timed(lambda: reference(device))
    ref_last = history[-1]["val_accuracy"]
    rows.append(("1. reference: features once, head on them", ref_seconds, accuracy(model, device)))
    (model, last_acc), seconds = timed(lambda: tutorial(device, args.tutorial_epochs))
    label = f"2. PyTorch tutorial, fixed feature extractor (best epoch kept; last epoch {last_acc:.3f})"
    if args.tutorial_epochs != 25:
        label += f" ({args.tutorial_epochs} epochs, NOT the recipe)"
    rows.append((label, seconds, accuracy(model, device)))
    model, seconds = timed(lambda: from_scratch(device, ref_seconds))
    rows.append(("3. from scratch, (1)'s wall time", seconds, accuracy(model, device)))

    tutorial_seconds = rows[1][1]
    print("\n| recipe | wall time (s) | val accuracy | speed-up over (2) |\n|---|---:|---:|---:|")
    for name, seconds, acc in rows:
        print(f"| {name} | {seconds:.1f} | {acc:.3f} | {tutorial_seconds / seconds:.1f}x |")
    speedup = tutorial_seconds / ref_seconds
    verdict = "met" if speedup >= GOAL and ref_last >= last_acc else "NOT met"
    print(f"\nGoal ({GOAL}x faster than (2) at equal or better last-epoch accuracy): {verdict} "
          f"({speedup:.1f}x, last epoch {ref_last:.3f} vs {last_acc:.3f}).")

    decoded, forward = floor(device)
    loading = weight_loading(device)
    epochs = sum(row["seconds"] for row in history)
    total_floor = decoded + forward
    rest = ref_seconds - total_floor
    print(f"\nFloor of any frozen-backbone recipe: {total_floor:.2f} s (decode + transform every image "
          f"once {decoded:.2f} s, one backbone forward over all {forward:.2f} s)")
    print(f"(1) takes {ref_seconds:.2f} s = {ref_seconds / total_floor:.2f}x the floor; the other {rest:.2f} s: "
          f"loading the weights {loading:.2f} s, the head's {len(history)} epochs {epochs:.2f} s, "
          f"everything else {rest - loading - epochs:.2f} s")
    print(f"Goal (at most {FLOOR_GOAL}x the floor): {'met' if ref_seconds / total_floor <= FLOOR_GOAL else 'NOT met'}.")

if __name__ == "__main__":
    main()

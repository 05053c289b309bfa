"""The reference solutions of the exercises that train, on a GPU: times and accuracies in one run.

For the lead (or anyone lent a GPU machine): runs every exercise whose exercise.toml says
`trains = true` that has a reference in solutions/ (08, 10 and 12 when they exist), each through
its own `train()` with its defaults, on the device picked by `--device`. Exercise 12 runs twice,
with mixed precision and without, so the ratio shows what autocast, the GradScaler, pinned
non-blocking copies and channels-last buy on that GPU. Each run gets one untimed warm-up epoch
first (CUDA context, cuDNN autotuning), then the timed call.

    python bench/gpu.py [--device cuda] [--only 08 12]

Prints one line per run: seconds (the sum of the history's epoch times, and wall time), the last
epoch's val_accuracy, and the returned model scored on the validation photos. Noisy on a shared
GPU: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402
from torchvision import datasets  # noqa: E402
from torchvision.models import ResNet18_Weights  # noqa: E402

from kata.files import import_file  # noqa: E402
from kata.meta import all_exercises  # noqa: E402

DATA = ROOT / "exercises" / "08" / "data"


def scored(model: torch.nn.Module, device: torch.device) -> float:
    """The returned model on the validation photos, through the weights' transforms, in eval mode."""
    model.eval()
    val_set = datasets.ImageFolder(DATA / "val", ResNet18_Weights.DEFAULT.transforms())
    right = 0
    with torch.no_grad():
        for images, labels in DataLoader(val_set, batch_size=32):
            right += (model(images.to(device)).argmax(1).cpu() == labels).sum().item()
    return right / len(val_set)


def timed(train, device: torch.device, **options) -> tuple[float, float, list[dict], torch.nn.Module]:
    """(wall seconds, summed epoch seconds, history, model) of train(device=..., **options), quietly."""
    accepted = inspect.signature(train).parameters
    options = {k: v for k, v in options.items() if k in accepted}
    if "device" in accepted:
        options["device"] = device
    with contextlib.redirect_stdout(io.StringIO()):
        if "epochs" in accepted:
            train(**{**options, "epochs": 1})  # warm-up: CUDA context, cuDNN autotuning, caches
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        model, history = train(**options)
        if device.type == "cuda":
            torch.cuda.synchronize()
    return time.perf_counter() - start, sum(row["seconds"] for row in history), history, model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--only", nargs="*", help="exercise numbers, e.g. 08 12")
    args = parser.parse_args()
    device = torch.device(args.device)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else device.type
    print(f"torch {torch.__version__}, device {name}")
    torch.backends.cudnn.benchmark = True
    times = {}
    for exercise in all_exercises():
        if not exercise.trains or (args.only and exercise.number not in args.only):
            continue
        path = exercise.module_path(ROOT / "solutions")
        if not path.is_file():
            continue
        module = import_file(path, f"bench_gpu_{exercise.number}")
        variants = [("amp", {"amp": True}), ("float32", {"amp": False})] \
            if "amp" in inspect.signature(module.train).parameters else [("", {})]
        for label, options in variants:
            wall, epochs, history, model = timed(module.train, device, **options)
            times[(exercise.number, label)] = wall
            print(f"{exercise.number} {label or '-':8s} {len(history):3d} epochs  wall {wall:7.2f} s  "
                  f"epochs {epochs:7.2f} s  val_accuracy {history[-1]['val_accuracy']:.3f}  "
                  f"scored {scored(model, device):.3f}")
    for number in sorted({n for n, label in times if label == "amp"}):
        print(f"{number}: float32 / amp wall time = {times[(number, 'float32')] / times[(number, 'amp')]:.2f}x")


if __name__ == "__main__":
    main()

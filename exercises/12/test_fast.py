"""Checks for exercise 12: mixed precision, pinned asynchronous copies and channels-last, on a CPU.

No check touches a GPU. The CUDA parts are checked where a CPU can show them: torch is told CUDA is
available (`pretend`) to see which scaler and loader the code builds for a GPU, and a real CUDA
GradScaler (it keeps its scale on the loss's device) runs one train_step on CPU tensors. The rest
runs on a CPU with bfloat16 autocast, on a tiny CNN and a tiny copy of exercise 08's photos.
"""

from __future__ import annotations

import copy
import math
import numbers
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import ResNet18_Weights

from kata.checks import count, expect_linear_head, expect_same_tensors, expect_type, names, without_head
from kata.learner import fail
from kata.training import Outcome, computing, copy_subset, pretend, ran, tensor_moves
from kata.training import attempt as attempt_training

DATA = Path(__file__).resolve().parents[1] / "08" / "data"
CPU, CUDA = torch.device("cpu"), torch.device("cuda")
TINY = dict(epochs=2, lr=1e-3, batch_size=4, image_size=32, device="cpu", seed=0)
LOSS_TOLERANCE = 0.01  # bfloat16 keeps 8 bits of mantissa: the tiny run's losses differ by ~2e-4 (measured)
LR = 0.1  # plain SGD in the scaler check: each parameter moves by exactly lr * its gradient


def tiny_cnn(num_classes: int = 2) -> nn.Module:
    """A convolution, BatchNorm and a linear head: every layer type the lesson's tricks touch, in ms."""
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, num_classes))


def batch() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(1)
    return torch.randn(4, 3, 16, 16, generator=generator), torch.tensor([0, 1, 1, 0])


def head_dtype(seen, model: nn.Module, grad: bool) -> set[torch.dtype]:
    return {c.dtype for c in seen if c.module is model[-1] and c.grad_enabled == grad}


# ---------------------------------------------------------------------------------------------
# The building blocks


def test_autocast_type_is_float16_on_cuda_and_bfloat16_on_cpu(learner):
    for device, wanted, why in (
        (CUDA, torch.float16, "every CUDA GPU runs float16 fast (bfloat16 needs an Ampere card or newer); "
                              "its narrow range is what the GradScaler makes up for"),
        (CPU, torch.bfloat16, "CPUs have fast bfloat16, and it keeps float32's range, so no scaler is needed"),
    ):
        got = learner.amp_dtype(device)
        if got != wanted:
            fail(f"amp_dtype(torch.device({device.type!r})) returned {got}; it should be {wanted}: {why}. "
                 f"Choose by device.type.")


def test_scaler_is_on_for_cuda_and_off_elsewhere(learner):
    with pretend(cuda=True, mps=False):  # a machine with a GPU: what the code builds for each device
        on_cuda = learner.make_scaler(CUDA)
        on_cpu = learner.make_scaler(CPU)
    expect_type(on_cuda, torch.amp.GradScaler, "make_scaler(torch.device('cuda'))")
    expect_type(on_cpu, torch.amp.GradScaler, "make_scaler(torch.device('cpu'))")
    if not on_cuda.is_enabled():
        fail("make_scaler(torch.device('cuda')) returned a disabled GradScaler. float16 gradients smaller "
             "than ~6e-8 round to zero; the scaler multiplies the loss before backward() and divides the "
             "gradients again before the step, so they survive. Enable it on CUDA: "
             "torch.amp.GradScaler('cuda', enabled=True).")
    if on_cpu.is_enabled():
        fail("make_scaler(torch.device('cpu')) returned an enabled GradScaler on a machine that has CUDA. "
             "Training on the CPU uses bfloat16, which has float32's range and needs no scaling: decide "
             "from the device you train on, torch.amp.GradScaler(device.type, enabled=device.type == 'cuda'), "
             "not from torch.cuda.is_available().")


def test_loader_pins_memory_only_for_a_gpu(learner):
    dataset = TensorDataset(torch.zeros(4, 3, 8, 8), torch.zeros(4, dtype=torch.long))
    with pretend(cuda=True, mps=False):
        for_cuda = learner.make_loader(dataset, 2, CUDA)
        for_cpu = learner.make_loader(dataset, 2, CPU)
    expect_type(for_cuda, DataLoader, "make_loader(dataset, 2, torch.device('cuda'))")
    expect_type(for_cpu, DataLoader, "make_loader(dataset, 2, torch.device('cpu'))")
    if not for_cuda.pin_memory:
        fail("make_loader(..., torch.device('cuda')) does not pin memory. A copy to the GPU from ordinary "
             "(pageable) memory goes through a staging buffer and blocks; from page-locked memory it can "
             "run while the GPU computes. Pass pin_memory=True when the device is CUDA.")
    if for_cpu.pin_memory:
        fail("make_loader(..., torch.device('cpu')) pins memory although the batches never leave the CPU: "
             "pinning costs a copy and locks RAM for nothing. pin_memory=(device.type == 'cuda').")


def test_to_device_copies_asynchronously_into_channels_last(learner):
    images, labels = batch()
    with tensor_moves() as moves:
        result = learner.to_device(images.clone(), labels.clone(), CPU)
    if not (isinstance(result, tuple) and len(result) == 2):
        fail(f"to_device(images, labels, device) should return a pair (images, labels), but it returned "
             f"{'None' if result is None else f'a {type(result).__name__}'}.")
    moved_images, moved_labels = result
    expect_type(moved_images, torch.Tensor, "to_device's images")
    if not (torch.equal(moved_images, images) and torch.equal(torch.as_tensor(moved_labels), labels)):
        fail("to_device changed the values of the batch: it should only move it (and change its layout).")
    if not moved_images.is_contiguous(memory_format=torch.channels_last):
        fail("to_device's images are not in channels-last layout. Convolutions on tensor cores (and on "
             "most CPUs) run fastest with the channels innermost: "
             "images.to(device, non_blocking=True, memory_format=torch.channels_last).")
    if not moves:
        fail("to_device never called .to(device, ...) on the images or the labels: move each with "
             "tensor.to(device, non_blocking=True).")
    blocking = [m.shape for m in moves if not m.non_blocking]
    if blocking:
        fail(f"to_device copied {len(blocking)} tensor{'s' if len(blocking) > 1 else ''} (shape "
             f"{names(map(str, blocking))}) with non_blocking=False, so the CPU waits for each copy to "
             f"finish. With pinned memory, non_blocking=True lets the copy overlap with the GPU's work: "
             f"pass it to both .to(device, ...) calls.")


@pytest.fixture(scope="module")
def bf16_step(learner) -> tuple | str:
    """One train_step on a CPU with a disabled scaler: (model, loss, what the layers computed in)."""
    model = tiny_cnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    scaler = torch.amp.GradScaler("cpu", enabled=False)
    try:
        with computing() as seen:
            loss = learner.train_step(model, *batch(), optimizer, scaler, CPU)
    except pytest.fail.Exception as failure:
        return str(failure)
    return model, loss, seen


def test_train_step_computes_in_bfloat16_on_cpu(bf16_step):
    model, loss, seen = ran(bf16_step)
    if not isinstance(loss, numbers.Real) or not math.isfinite(loss):
        fail(f"train_step(...) should return the batch's loss as a plain finite number (loss.item()), "
             f"but it returned {loss!r}.")
    dtypes = head_dtype(seen, model, grad=True)
    if not dtypes:
        fail("train_step never ran the model with autograd on: compute the loss from model(images).")
    if dtypes != {torch.bfloat16}:
        fail(f"On the CPU, the model's logits came out {names(map(str, dtypes))} inside train_step, so the "
             f"forward pass ran without CPU autocast. Wrap the forward pass and the loss in "
             f"torch.autocast(device.type, dtype=amp_dtype(device)): device.type, because autocast for "
             f"'cuda' leaves CPU operations alone.")


def test_master_weights_stay_float32(bf16_step):
    model, _, _ = ran(bf16_step)
    low = [n for n, p in model.named_parameters() if p.dtype != torch.float32]
    if low:
        dtype = next(p.dtype for p in model.parameters() if p.dtype != torch.float32)
        fail(f"After train_step, {len(low)} parameters are {dtype}: {names(low)}. Mixed precision keeps the "
             f"weights (the 'master' copy the optimizer updates) in float32 and lets autocast compute "
             f"each operation in low precision: tiny updates added to a bfloat16 or float16 weight round "
             f"away. Don't cast the model (.half(), .to(torch.bfloat16)); use torch.autocast.")


def test_train_step_goes_through_the_scaler(learner):
    model = tiny_cnn()
    images, labels = batch()
    reference = copy.deepcopy(model)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss = nn.functional.cross_entropy(reference(images), labels)
    loss.backward()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    with pretend(cuda=True, mps=False):
        scaler = torch.amp.GradScaler("cuda", init_scale=2.0 ** 16)  # a real CUDA scaler; it runs on CPU tensors
        learner.train_step(model, images, labels, optimizer, scaler, CPU)
    moved = torch.cat([(before[n] - p.detach()).flatten() / LR for n, p in model.named_parameters()])
    wanted = torch.cat([p.grad.flatten() for p in reference.parameters()])
    mask = wanted.abs() > 1e-4
    ratio = float((moved[mask].abs() / wanted[mask].abs()).median())
    if ratio > 100:
        fail(f"With a GradScaler, train_step moved the weights {ratio:,.0f} times too far: the optimizer "
             f"stepped on gradients still multiplied by the scale ({scaler.get_scale():,.0f}). Step through "
             f"the scaler, scaler.step(optimizer), which unscales them first (and skips a step whose "
             f"gradients overflowed).")
    if ratio < 0.01:
        fail(f"With a GradScaler, train_step moved the weights by {ratio:.2e} of what the gradients say: "
             f"scaler.step(optimizer) divided gradients by the scale ({scaler.get_scale():,.0f}) that "
             f"were never multiplied by it. Call backward on the scaled loss: scaler.scale(loss).backward().")
    if not 0.5 < ratio < 2:
        fail(f"With a GradScaler, train_step moved the weights by {ratio:.3g} of lr x gradient. One step "
             f"should be: zero_grad, the loss under autocast, scaler.scale(loss).backward(), "
             f"scaler.step(optimizer), scaler.update().")
    if scaler.state_dict().get("_growth_tracker", 0) != 1:
        fail("After train_step, the GradScaler it was given has not been updated: call scaler.update() "
             "after scaler.step(optimizer), every step, on the scaler passed in (it grows or shrinks the "
             "scale for the next step, and the next scaler.step() raises without it).")


def test_build_model_fine_tunes_all_of_resnet18(learner, checkpoint):
    model = learner.build_model(3)
    expect_type(model, nn.Module, "build_model(3)")
    expect_linear_head(model, 512, 3)
    frozen = [n for n, p in model.named_parameters() if not p.requires_grad]
    if frozen:
        fail(f"build_model(3) froze {len(frozen)} params ({names(frozen)}). Mixed precision pays where the "
             f"backbone trains and runs every batch: full fine-tuning keeps every parameter trainable.")
    expect_same_tensors(model.state_dict(), without_head(checkpoint), "tensors of the pretrained backbone",
                        "Load resnet18 with ResNet18_Weights.DEFAULT, then replace only model.fc.")


# ---------------------------------------------------------------------------------------------
# The training loop, on a tiny copy of the photos


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_subset(DATA, tmp_path_factory.mktemp("tiny-textures"), ["brick", "gravel"], {"train": 4, "val": 2})


def attempt(learner, tiny_data: Path, amp: bool) -> tuple[Outcome, list]:
    with computing() as seen:
        outcome = attempt_training(lambda: learner.train(tiny_cnn(), data_dir=tiny_data, amp=amp, **TINY),
                                   TINY["epochs"], what=f"train(model, ..., amp={amp})")
    return outcome, seen


@pytest.fixture(scope="module")
def mixed(learner, tiny_data: Path) -> tuple[Outcome, list]:
    return attempt(learner, tiny_data, amp=True)


@pytest.fixture(scope="module")
def full_precision(learner, tiny_data: Path) -> tuple[Outcome, list]:
    return attempt(learner, tiny_data, amp=False)


def test_train_returns_the_model_and_one_history_row_per_epoch(mixed):
    ran(mixed[0])


def test_training_runs_in_bfloat16_and_channels_last(mixed):
    run, seen = ran(mixed[0]), mixed[1]
    convs = [m for m in run.model.modules() if isinstance(m, nn.Conv2d)]
    dtypes = head_dtype(seen, run.model, grad=True)
    if dtypes != {torch.bfloat16}:
        fail(f"During train(..., amp=True) on the CPU, the model's logits were {names(map(str, dtypes))}: "
             f"each training step should run its forward pass under torch.autocast (train_step does).")
    flat = [c for c in seen if c.module in convs and c.grad_enabled and not c.channels_last]
    if flat:
        fail(f"{len(flat)} of the convolutions' training inputs were not channels-last: move every batch "
             f"with to_device, which puts the images in channels-last layout.")
    standard = [i for i, m in enumerate(convs) if not m.weight.is_contiguous(memory_format=torch.channels_last)]
    if standard:
        fail("The trained model's convolution weights are not channels-last: a channels-last input "
             "meeting standard-layout weights is converted back at every layer. Move the model once with "
             "model.to(device, memory_format=torch.channels_last).")


def test_mixed_precision_history_is_close_to_float32(mixed, full_precision):
    fast, slow = ran(mixed[0]), ran(full_precision[0])
    dtypes = head_dtype(full_precision[1], slow.model, grad=True)
    if dtypes != {torch.float32}:
        fail(f"train(..., amp=False) still computed the logits in {names(map(str, dtypes))}: with amp=False, "
             f"autocast should be off (torch.autocast(..., enabled=amp)).")
    for a, b in zip(fast.history, slow.history):
        if abs(a["train_loss"] - b["train_loss"]) > LOSS_TOLERANCE:
            fail(f"With the same seed, epoch {a['epoch']}'s train loss is {a['train_loss']:.4f} with mixed "
                 f"precision and {b['train_loss']:.4f} without: more than {LOSS_TOLERANCE} apart. Autocast "
                 f"should change rounding, not what is learned: keep the weights in float32, compute the "
                 f"loss inside autocast, and seed everything the same way in both runs.")

"""The training recorder: what a learner's training function did, for every check that trains.

A check calls the learner's `train(...)` (or any function returning `(model, history)`) under
`recording()`, which hooks every layer's forward pass and every optimizer step globally, whoever
built the layers and optimizers. The checks then read the `Run`: the model, the history, what was
printed, and the `Record` of forwards and steps. Exercises 08 and later and their hidden checks
share this module, so each states only what it demands of the run.
"""

from __future__ import annotations

import contextlib
import io
import math
import numbers
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

from kata.checks import expect_type, names, returned_nothing
from kata.learner import fail
from kata.meta import HISTORY_KEYS

WATCHED = (nn.Conv2d, nn.Linear, nn.modules.batchnorm._BatchNorm)
DEVICE_MISMATCH = re.compile(r"same device|should be the same|Expected all tensors", re.IGNORECASE)


@dataclass
class Forward:
    """One forward pass of one layer, as the layer saw it."""

    module: nn.Module
    training: bool
    grad_enabled: bool
    device: torch.device
    rows: int
    after_steps: int  # optimizer steps taken before this pass


@dataclass
class Record:
    forwards: list[Forward] = field(default_factory=list)
    optimizers: list[torch.optim.Optimizer] = field(default_factory=list)
    steps: int = 0
    before: dict[int, torch.Tensor] = field(default_factory=dict)  # param id: value before its first step with a grad
    after: dict[int, torch.Tensor] = field(default_factory=dict)  # param id: value after its last step with a grad


@dataclass
class Run:
    """What one call of a training function returned, printed and did."""

    model: nn.Module
    history: list[dict]
    printed: str
    record: Record

    def forwards_of_model(self) -> list[Forward]:
        mine = {id(m) for m in self.model.modules()}
        return [f for f in self.record.forwards if id(f.module) in mine]


Outcome = Run | str  # a run, or the message of the failure that stopped it


def held(optimizer: torch.optim.Optimizer) -> list[torch.Tensor]:
    """Every parameter an optimizer holds, over all its param groups."""
    return [p for group in optimizer.param_groups for p in group["params"]]


@contextlib.contextmanager
def recording() -> Iterator[Record]:
    """Global hooks: every layer's forward pass and every optimizer step, whoever built them."""
    record = Record()

    def before_forward(module: nn.Module, args: tuple) -> None:
        if isinstance(module, WATCHED) and args and isinstance(args[0], torch.Tensor):
            record.forwards.append(Forward(module, module.training, torch.is_grad_enabled(),
                                           args[0].device, len(args[0]), record.steps))

    def before_step(optimizer: torch.optim.Optimizer, *_: object) -> None:
        if not any(optimizer is o for o in record.optimizers):
            record.optimizers.append(optimizer)
        for p in held(optimizer):
            if p.grad is not None and id(p) not in record.before:
                record.before[id(p)] = p.detach().clone()

    def after_step(optimizer: torch.optim.Optimizer, *_: object) -> None:
        record.steps += 1
        for p in held(optimizer):
            if p.grad is not None:
                record.after[id(p)] = p.detach().clone()

    handles = [
        nn.modules.module.register_module_forward_pre_hook(before_forward),
        register_optimizer_step_pre_hook(before_step),
        register_optimizer_step_post_hook(after_step),
    ]
    try:
        yield record
    finally:
        for handle in handles:
            handle.remove()


def run_training(call: Callable[[], object], epochs: int, what: str = "train(...)",
                 extra_keys: Sequence[str] = ()) -> Run:
    """Call `call()` under the recorder; a bad return value or history is one clear line."""
    __tracebackhide__ = True
    printed = io.StringIO()
    try:
        with recording() as record, contextlib.redirect_stdout(printed):
            result = call()
    except pytest.fail.Exception as failure:
        if not DEVICE_MISMATCH.search(str(failure)):
            raise
        problem = (f"{failure}\n    A model and its inputs must live on the same device: move the model "
                   f"with model.to(device), and every batch (images and labels, or cached features) "
                   f"with .to(device).")
        fail(problem)
    if not (isinstance(result, tuple) and len(result) == 2):
        got = returned_nothing() if result is None else f"a {type(result).__name__}."
        fail(f"{what} should return a pair `(model, history)`, but it returned {got}")
    model, history = result
    expect_type(model, nn.Module, f"the first item of {what}")
    expect_history(history, epochs, what, extra_keys)
    return Run(model, history, printed.getvalue(), record)


def attempt(call: Callable[[], object], epochs: int, what: str = "train(...)",
            extra_keys: Sequence[str] = ()) -> Outcome:
    """run_training, with a failure kept as its message: each check that needs the run reports it."""
    try:
        return run_training(call, epochs, what, extra_keys)
    except pytest.fail.Exception as failure:
        return str(failure)


def ran(outcome: Outcome) -> Run:
    """The run, or the failure that stopped it, reported by the check that needs the run."""
    __tracebackhide__ = True
    if isinstance(outcome, str):
        fail(outcome)
    return outcome


def expect_history(history: object, epochs: int, what: str = "train(...)",
                   extra_keys: Sequence[str] = ()) -> None:
    """One dict per epoch, numbered from 1, with plain finite Python numbers under HISTORY_KEYS
    (and whatever an exercise adds under `extra_keys`, such as the stage of a two-stage run)."""
    __tracebackhide__ = True
    expect_type(history, list, f"the second item of {what} (the history)")
    if len(history) != epochs:
        fail(f"The history has {len(history)} entries for {epochs} epochs: append one dict per epoch.")
    for number, row in enumerate(history, start=1):
        expect_type(row, dict, f"history[{number - 1}] (each entry of the history)")
        keys = (*HISTORY_KEYS, *extra_keys)
        missing = [k for k in keys if k not in row]
        if missing:
            fail(f"history[{number - 1}] lacks the keys {names(missing)} (it has {names(map(str, row))}). "
                 f"Each epoch's dict needs exactly these names: {', '.join(keys)}.")
        odd = [k for k in HISTORY_KEYS if not isinstance(row[k], numbers.Real) or not math.isfinite(row[k])]
        if odd:
            kinds = ", ".join(f"{k}={type(row[k]).__name__}" for k in odd)
            fail(f"history[{number - 1}] holds {kinds}: store plain finite Python numbers (a tensor's "
                 f".item()), so the history can be printed, plotted and saved.")
        if row["epoch"] != number:
            fail(f"history[{number - 1}]['epoch'] is {row['epoch']}; number the epochs 1, 2, 3, ...")
        if not 0 <= row["val_accuracy"] <= 1:
            fail(f"history[{number - 1}]['val_accuracy'] is {row['val_accuracy']}: give the fraction of "
                 f"validation images classified right, between 0 and 1 (not a percentage, not a count).")
        if row["seconds"] < 0:
            fail(f"history[{number - 1}]['seconds'] is {row['seconds']}: time the epoch with "
                 f"time.perf_counter() at its start and end.")


def copy_subset(source: Path, root: Path, classes: Sequence[str], counts: dict[str, int]) -> Path:
    """An ImageFolder tree under `root`: the first `counts[split]` images of each class of `source`."""
    for split, count in counts.items():
        for name in classes:
            (root / split / name).mkdir(parents=True)
            for image in sorted((source / split / name).glob("*.jpg"))[:count]:
                shutil.copy(image, root / split / name / image.name)
    return root


def default_device() -> torch.device:
    """What a training function should pick when no device is given: CUDA, then MPS, then the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


@contextlib.contextmanager
def pretend(cuda: bool, mps: bool) -> Iterator[None]:
    """Make torch report CUDA and MPS as (un)available; nothing touches a real GPU unless asked to."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(torch.cuda, "is_available", lambda: cuda)
        patch.setattr(torch.backends.mps, "is_available", lambda: mps)
        yield


# ---------------------------------------------------------------------------------------------
# Exercise 12: the precision and memory layout layers computed in, and how tensors were copied


@dataclass
class Computed:
    """One forward pass of a Conv2d or Linear: its input's layout and its output's dtype."""

    module: nn.Module
    grad_enabled: bool
    channels_last: bool  # the input was a 4-d tensor in channels-last layout
    dtype: torch.dtype  # of the output: bfloat16 or float16 under autocast, float32 without


@contextlib.contextmanager
def computing() -> Iterator[list[Computed]]:
    """Global hook: what every Conv2d and Linear computed in, whoever built and called it."""
    seen: list[Computed] = []

    def after_forward(module: nn.Module, args: tuple, output: object) -> None:
        if isinstance(module, (nn.Conv2d, nn.Linear)) and args and isinstance(output, torch.Tensor):
            given = args[0]
            layout = given.dim() == 4 and given.is_contiguous(memory_format=torch.channels_last)
            seen.append(Computed(module, torch.is_grad_enabled(), layout, output.dtype))

    handle = nn.modules.module.register_module_forward_hook(after_forward)
    try:
        yield seen
    finally:
        handle.remove()


@dataclass
class Move:
    """One `tensor.to(device, ...)` call: which tensor, and whether the copy may run asynchronously."""

    shape: tuple[int, ...]
    non_blocking: bool


class _Moves(torch.overrides.TorchFunctionMode):
    def __init__(self) -> None:
        super().__init__()
        self.moves: list[Move] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):  # noqa: ANN001 (torch's protocol)
        kwargs = kwargs or {}
        if func is torch.Tensor.to and len(args) > 0 and isinstance(args[0], torch.Tensor):
            to_device = "device" in kwargs or (len(args) > 1 and isinstance(args[1], (str, torch.device)))
            if to_device:
                positional = [a for a in args[2:] if isinstance(a, bool)]  # to(device, dtype, non_blocking)
                non_blocking = bool(kwargs.get("non_blocking", positional[0] if positional else False))
                self.moves.append(Move(tuple(args[0].shape), non_blocking))
        return func(*args, **kwargs)


@contextlib.contextmanager
def tensor_moves() -> Iterator[list[Move]]:
    """Every `.to(device, ...)` call on a tensor while the block runs (nothing else changes)."""
    mode = _Moves()
    with mode:
        yield mode.moves


# ---------------------------------------------------------------------------------------------
# Exercises 10 and 11 (unfreeze and fine-tune; save, load, resume): what each optimizer step moved


@dataclass
class Step:
    """One optimizer step: which parameters it changed, and each held parameter's learning rate."""

    optimizer: torch.optim.Optimizer
    lrs: dict[int, list[float]]  # group_rates(optimizer) at this step
    moved: set[int]  # ids of the params whose value this step changed


def group_rates(optimizer: torch.optim.Optimizer) -> dict[int, list[float]]:
    """Param id: the learning rate of every group holding it (two entries: a param in two groups)."""
    lrs: dict[int, list[float]] = {}
    for group in optimizer.param_groups:
        for p in group["params"]:
            lrs.setdefault(id(p), []).append(float(group["lr"]))
    return lrs


@contextlib.contextmanager
def stepping() -> Iterator[list[Step]]:
    """Global hooks: one `Step` per optimizer step, whoever built the optimizer (tiny runs only:
    every step copies the parameters it holds)."""
    steps: list[Step] = []
    before: dict[int, torch.Tensor] = {}

    def before_step(optimizer: torch.optim.Optimizer, *_: object) -> None:
        before.clear()
        before.update({id(p): p.detach().clone() for p in held(optimizer)})

    def after_step(optimizer: torch.optim.Optimizer, *_: object) -> None:
        moved = {id(p) for p in held(optimizer) if not torch.equal(before[id(p)], p.detach())}
        steps.append(Step(optimizer, group_rates(optimizer), moved))

    handles = [register_optimizer_step_pre_hook(before_step), register_optimizer_step_post_hook(after_step)]
    try:
        yield steps
    finally:
        for handle in handles:
            handle.remove()


@dataclass
class Stepped:
    """A training run (or the failure that stopped it) and the steps it took."""

    outcome: Outcome
    steps: list[Step]


def attempt_stepped(call: Callable[[], object], epochs: int, what: str = "train(...)",
                    extra_keys: Sequence[str] = ()) -> Stepped:
    """`attempt`, with every optimizer step logged as well."""
    with stepping() as steps:
        outcome = attempt(call, epochs, what, extra_keys)
    return Stepped(outcome, steps)


def moved_names(model: nn.Module, steps: Sequence[Step]) -> list[str]:
    """The model's parameters that any of `steps` changed, in the model's order."""
    moved = set().union(*(step.moved for step in steps))
    return [n for n, p in model.named_parameters() if id(p) in moved]

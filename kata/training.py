"""The training recorder: what a learner's training function did, for every check that trains.

A check calls the learner's `train(...)` (or any function returning `(model, history)`) under
`recording()`, which hooks every layer's forward pass and every optimizer step globally, whoever
built the layers and optimizers. The checks then read the `Run`: the model, the history, what was
printed, and the `Record` of forwards and steps. Exercises 08 and later and their hidden checks
share this module, so each states only what it demands of the run.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import functools
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
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models import ResNet18_Weights

from kata import weights
from kata.checks import HEAD, expect_type, names, plural, returned_nothing
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
    shape: tuple[int, ...] = ()  # the input's shape: rows, then e.g. channels, height, width
    finite: bool = True  # for nn.Linear (a head) only: its input held no inf or nan
    inputs: torch.Tensor | None = None  # copies, kept only for the layer types `recording(keep=...)` names
    outputs: torch.Tensor | None = None


@dataclass
class Record:
    forwards: list[Forward] = field(default_factory=list)
    optimizers: list[torch.optim.Optimizer] = field(default_factory=list)
    steps: int = 0
    before: dict[int, torch.Tensor] = field(default_factory=dict)  # param id: value before its first step with a grad
    after: dict[int, torch.Tensor] = field(default_factory=dict)  # param id: value after its last step with a grad
    lrs: list[tuple[float, ...]] = field(default_factory=list)  # per step: the learning rate of each param group
    lines: list[tuple[int, str]] = field(default_factory=list)  # per printed line: (steps taken before it, line)

    def step_forwards(self) -> list[list[Forward]]:
        """Per optimizer step, the forwards of nn.Linear layers (the heads) with autograd on just before it."""
        per_step: list[list[Forward]] = [[] for _ in range(self.steps)]
        for f in self.forwards:
            if isinstance(f.module, nn.Linear) and f.grad_enabled and f.after_steps < self.steps:
                per_step[f.after_steps].append(f)
        return per_step

    def trained_rows(self) -> list[int]:
        """How many rows each optimizer step was computed from (the batch size as the head saw it)."""
        return [max((f.rows for f in forwards), default=0) for forwards in self.step_forwards()]


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

    def held_names(self) -> dict[int, str]:
        """A name for each tensor an optimizer held, as the returned model calls it.

        Its own parameters by identity; a held tensor the model no longer has, by the head parameter
        of its shape that no optimizer held: a fold that assigns new nn.Parameters (or builds a new
        nn.Linear) leaves the trained values behind in other tensors, and that is no mistake.
        """
        named = {id(p): n for n, p in self.model.named_parameters()}
        tensors = [p for optimizer in self.record.optimizers for p in held(optimizer)]
        held_ids = {id(p) for p in tensors}
        unheld = [(n, p.shape) for n, p in self.model.named_parameters()
                  if n.startswith(HEAD + ".") and id(p) not in held_ids]
        for tensor in tensors:
            match = next((i for i, (_, shape) in enumerate(unheld) if shape == tensor.shape), None)
            if id(tensor) not in named and match is not None:
                named[id(tensor)] = unheld.pop(match)[0]
        return named

    def trained(self, name: str) -> tuple[torch.Tensor, torch.Tensor] | None:
        """The model's parameter `name` as the optimizers found it at its first step and left it
        at its last, or None if no step changed it."""
        record = self.record
        ids = [i for i, n in self.held_names().items() if n == name and i in record.before]
        return (record.before[ids[0]], record.after[ids[0]]) if ids else None


Outcome = Run | str  # a run, or the message of the failure that stopped it


class Printed(io.StringIO):
    """stdout while a run trains: each finished line is stamped with the optimizer steps taken before it."""

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record
        self.pending = ""

    def write(self, text: str) -> int:
        *done, self.pending = (self.pending + text).split("\n")
        self.record.lines.extend((self.record.steps, line) for line in done)
        return super().write(text)


def held(optimizer: torch.optim.Optimizer) -> list[torch.Tensor]:
    """Every parameter an optimizer holds, over all its param groups."""
    return [p for group in optimizer.param_groups for p in group["params"]]


@contextlib.contextmanager
def recording(keep: tuple[type[nn.Module], ...] = ()) -> Iterator[Record]:
    """Global hooks: every layer's forward pass and every optimizer step, whoever built them.

    Layers of the types in `keep` also leave a copy of their inputs and outputs (for tiny runs only).
    """
    record = Record()

    def before_forward(module: nn.Module, args: tuple) -> None:
        if isinstance(module, WATCHED) and args and isinstance(args[0], torch.Tensor):
            x = args[0]
            finite = bool(torch.isfinite(x).all()) if isinstance(module, nn.Linear) else True
            record.forwards.append(Forward(module, module.training, torch.is_grad_enabled(), x.device,
                                           len(x), record.steps, tuple(x.shape), finite,
                                           x.detach().clone() if isinstance(module, keep) else None))

    def after_forward(module: nn.Module, args: tuple, output: object) -> None:
        if isinstance(module, keep) and isinstance(output, torch.Tensor) and record.forwards:
            last = record.forwards[-1]
            if last.module is module and last.outputs is None:
                last.outputs = output.detach().clone()

    def before_step(optimizer: torch.optim.Optimizer, *_: object) -> None:
        if not any(optimizer is o for o in record.optimizers):
            record.optimizers.append(optimizer)
        record.lrs.append(tuple(float(group["lr"]) for group in optimizer.param_groups))
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
        nn.modules.module.register_module_forward_hook(after_forward),
        register_optimizer_step_pre_hook(before_step),
        register_optimizer_step_post_hook(after_step),
    ]
    try:
        yield record
    finally:
        for handle in handles:
            handle.remove()


def run_training(call: Callable[[], object], epochs: int, what: str = "train(...)",
                 extra_keys: Sequence[str] = (), keep: tuple[type[nn.Module], ...] = ()) -> Run:
    """Call `call()` under the recorder (`keep`: see `recording`); a bad return value or history is one clear line."""
    __tracebackhide__ = True
    try:
        with recording(keep) as record, contextlib.redirect_stdout(Printed(record)) as printed:
            result = call()
    except pytest.fail.Exception as failure:
        if not DEVICE_MISMATCH.search(str(failure)):
            raise
        problem = (f"{failure}\n    A model and its inputs must live on the same device: move the model "
                   f"with model.to(device), and every batch (images and labels, or cached features) "
                   f"with .to(device).")
        fail(problem)
    if printed.pending:
        record.lines.append((record.steps, printed.pending))
    if not (isinstance(result, tuple) and len(result) == 2):
        got = returned_nothing() if result is None else f"a {type(result).__name__}."
        fail(f"{what} should return a pair `(model, history)`, but it returned {got}")
    model, history = result
    expect_type(model, nn.Module, f"the first item of {what}")
    expect_history(history, epochs, what, extra_keys, record)
    return Run(model, history, printed.getvalue(), record)


def attempt(call: Callable[[], object], epochs: int, what: str = "train(...)",
            extra_keys: Sequence[str] = (), keep: tuple[type[nn.Module], ...] = ()) -> Outcome:
    """run_training, with a failure kept as its message: each check that needs the run reports it."""
    try:
        return run_training(call, epochs, what, extra_keys, keep)
    except pytest.fail.Exception as failure:
        return str(failure)


def ran(outcome: Outcome) -> Run:
    """The run, or the failure that stopped it, reported by the check that needs the run."""
    __tracebackhide__ = True
    if isinstance(outcome, str):
        fail(outcome)
    return outcome


def expect_history(history: object, epochs: int, what: str = "train(...)",
                   extra_keys: Sequence[str] = (), record: Record | None = None) -> None:
    """One dict per epoch, numbered from 1, with plain finite Python numbers under HISTORY_KEYS
    (and whatever an exercise adds under `extra_keys`, such as the stage of a two-stage run).
    With the run's `record`, a nan or inf is explained from what the head saw."""
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
        odd = [k for k in HISTORY_KEYS if not isinstance(row[k], numbers.Real)]
        if odd:
            kinds = ", ".join(f"{k}={type(row[k]).__name__}" for k in odd)
            fail(f"history[{number - 1}] holds {kinds}: store plain finite Python numbers (a tensor's "
                 f".item()), so the history can be printed, plotted and saved.")
        broken = [k for k in HISTORY_KEYS if not math.isfinite(row[k])]
        if broken:
            values = ", ".join(f"{k}={row[k]}" for k in broken)
            fail(f"history[{number - 1}] holds {values}: the numbers stopped being numbers. "
                 f"{why_not_finite(record)}")
        if row["epoch"] != number:
            fail(f"history[{number - 1}]['epoch'] is {row['epoch']}; number the epochs 1, 2, 3, ...")
        if not 0 <= row["val_accuracy"] <= 1:
            fail(f"history[{number - 1}]['val_accuracy'] is {row['val_accuracy']}: give the fraction of "
                 f"validation images classified right, between 0 and 1 (not a percentage, not a count).")
        if row["seconds"] < 0:
            fail(f"history[{number - 1}]['seconds'] is {row['seconds']}: time the epoch with "
                 f"time.perf_counter() at its start and end.")


def why_not_finite(record: Record | None) -> str:
    """What the record shows about a nan or inf loss: broken inputs to the head, or a head that blew up."""
    if record is None:
        return "Find where a nan or inf first appears (a division by zero, a learning rate far too high)."
    head_inputs = [f for f in record.forwards if isinstance(f.module, nn.Linear)]
    broken = [f for f in head_inputs if not f.finite]
    if broken:
        return (f"The head's inputs already held inf or nan in {plural(len(broken), 'forward pass', 'forward passes')} "
                f"of {len(head_inputs)}, from the first one after {broken[0].after_steps} optimizer "
                f"steps: the features were broken before the head saw them. A feature whose std is 0 over "
                f"the training set (0 / 0 is nan) does this when you standardise: clamp the std, "
                f"std.clamp_min(1e-2).")
    blown = [i for i, t in record.after.items() if not torch.isfinite(t).all()]
    if blown:
        return (f"The head's inputs were finite, but {plural(len(blown), 'trained tensor')} became inf or nan "
                f"during the steps: the training diverged. Lower the learning rate.")
    return "The head's inputs and weights stayed finite: look at how the loss is computed and averaged."


def failing_checks(checks: Sequence[Callable[..., None]], available: dict[str, object]) -> list[str]:
    """The names of the `checks` that fail, each called with the fixtures it names from `available`:
    a costly run (the full data) waits until the cheap checks on a tiny copy pass."""
    failing = []
    for check in checks:
        try:
            check(**{name: available[name] for name in inspect.signature(check).parameters})
        except pytest.fail.Exception:
            failing.append(check.__name__)
    return failing


def copy_subset(source: Path, root: Path, classes: Sequence[str], counts: dict[str, int]) -> Path:
    """An ImageFolder tree under `root`: the first `counts[split]` images of each class of `source`."""
    for split, count in counts.items():
        for name in classes:
            (root / split / name).mkdir(parents=True)
            for image in sorted((source / split / name).glob("*.jpg"))[:count]:
                shutil.copy(image, root / split / name / image.name)
    return root


def sized_transforms(image_size: int) -> nn.Module:
    """The weights' own transforms for `image_size` px crops, resized in their 256:224 ratio first
    (exactly `transforms()` at 224): what exercise 08's `make_loaders` builds."""
    return ResNet18_Weights.DEFAULT.transforms(crop_size=image_size, resize_size=image_size * 256 // 224)


def pretrained_features(provision: weights.Provision, folder: Path,
                        image_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """resnet18's backbone output (N, 512) and the labels of every image of an ImageFolder `folder`,
    through the weights' own transforms at `image_size` px, on the CPU.

    Computed once per process and version of the checkpoint (whose model `kata.weights` builds once):
    a check can score a returned head on them instead of running the unchanged frozen backbone
    again for every implementation the self-tests try.
    """
    return _pretrained_features(weights.pretrained_resnet18(provision), str(folder), image_size)


@functools.cache
def _pretrained_features(pretrained: nn.Module, folder: str, image_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    backbone = nn.Sequential(*list(copy.deepcopy(pretrained).children())[:-1], nn.Flatten()).eval()
    images = datasets.ImageFolder(folder, sized_transforms(image_size))
    with torch.no_grad():
        batches = [(backbone(x), y) for x, y in DataLoader(images, batch_size=16)]
    return torch.cat([f for f, _ in batches]), torch.cat([y for _, y in batches])


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

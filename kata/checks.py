"""Assertions that explain a transfer-learning gotcha when they fail.

Checks call these instead of bare `assert`, so the first failure a learner reads names the concept,
the offending layers or values, and what to change. Shared by every exercise; add here, not in a
test file, anything a second exercise could use.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping

import torch
from torch import nn
from torchvision.models import resnet18

from kata.learner import fail

HEAD = "fc"


def names(items: Iterable[str], limit: int = 4) -> str:
    """`a, b, c, d, ... (12 more)`: enough names to act on without flooding the screen."""
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")


def returned_nothing() -> str:
    """How a check names a `None` result: most often a missing `return`."""
    return "None. Did you forget the `return`?"


def expect_type(value: object, expected: type | tuple[type, ...], call: str) -> None:
    """Fail with one line when `call` returned something of the wrong type (often None)."""
    __tracebackhide__ = True
    if not isinstance(value, expected):
        wanted = " or ".join(
            f"{t.__module__}.{t.__qualname__}" for t in (expected if isinstance(expected, tuple) else (expected,))
        )
        got = returned_nothing() if value is None else f"a {type(value).__name__}."
        fail(f"{call} should return a {wanted}, but it returned {got}")


def head_params(model: nn.Module) -> dict[str, nn.Parameter]:
    return {n: p for n, p in model.named_parameters() if n.startswith(HEAD + ".")}


def backbone_params(model: nn.Module) -> dict[str, nn.Parameter]:
    return {n: p for n, p in model.named_parameters() if not n.startswith(HEAD + ".")}


def count(params: Iterable[nn.Parameter]) -> int:
    return sum(p.numel() for p in params)


def batchnorm_param_names(model: nn.Module) -> set[str]:
    """Names of the affine weight/bias of every BatchNorm layer (the params partial freezes forget)."""
    return {
        f"{module_name}.{param_name}"
        for module_name, module in model.named_modules()
        if isinstance(module, nn.modules.batchnorm._BatchNorm)
        for param_name, _ in module.named_parameters(recurse=False)
    }


def expect_linear_head(model: nn.Module, in_features: int, num_classes: int, where: str = "") -> None:
    """The head is a fresh `nn.Linear(in_features, num_classes)` whose tensors really have that shape.

    `where` starts each message, e.g. "On a resnet50 (2048 features), " when the model is not resnet18.
    """
    __tracebackhide__ = True
    head = getattr(model, HEAD, None)
    if not isinstance(head, nn.Linear):
        fail(f"{where}model.{HEAD} should be an nn.Linear, but it is {type(head).__name__}. "
             f"Replace the head with nn.Linear(model.{HEAD}.in_features, num_classes).")
    if tuple(head.weight.shape) == (1000, in_features) and num_classes != 1000:
        fail(f"{where}model.{HEAD}.weight still has 1000 rows (one per ImageNet class) although you asked "
             f"for {num_classes} classes. Setting `out_features` on the old layer only changes a "
             f"label, not its weights: assign a new nn.Linear(model.{HEAD}.in_features, {num_classes}).")
    if head.in_features != in_features or head.weight.shape[1] != in_features:
        source = ("That is the old head's out_features (its 1000 ImageNet scores): the new head reads "
                  "the backbone's features, the old head's in_features." if head.in_features == 1000
                  else f"Read the size off the old head (model.{HEAD}.in_features) instead of typing "
                  "a number.")
        fail(f"{where}model.{HEAD} takes {head.in_features} inputs, but the backbone produces "
             f"{in_features} features. {source}")
    if head.out_features != num_classes or tuple(head.weight.shape) != (num_classes, in_features):
        fail(f"{where}model.{HEAD} gives {head.weight.shape[0]} scores but there are {num_classes} "
             f"class{'es' if num_classes != 1 else ''}. "
             f"Size the new head with the number of classes you were given: "
             f"nn.Linear(in_features, num_classes).")


def expect_head_trainable(model: nn.Module) -> None:
    """Every head param requires grad; 0 trainable params means the freeze came after the swap."""
    __tracebackhide__ = True
    frozen_head = [n for n, p in head_params(model).items() if not p.requires_grad]
    if not any(p.requires_grad for p in model.parameters()):
        fail("0 trainable parameters: the head was frozen too, so nothing will learn. "
             "Freeze the backbone first, then swap in the new head (a new layer starts trainable).")
    if frozen_head:
        fail(f"The new head has frozen params: {names(frozen_head)} (requires_grad=False) cannot "
             f"learn. Freeze first, then swap the head: a new layer starts trainable.")


def expect_backbone_frozen(model: nn.Module) -> None:
    """Every backbone param has requires_grad=False; the usual near misses are named when one doesn't."""
    __tracebackhide__ = True
    trainable = [n for n, p in backbone_params(model).items() if p.requires_grad]
    if not trainable:
        return
    backbone_modules = {n: m for n, m in model.named_modules() if n and n.split(".")[0] != HEAD}
    flagged = [n for n, m in backbone_modules.items() if isinstance(vars(m).get("requires_grad"), bool)]
    leftover = f"{len(trainable)} backbone params still require grad: {names(trainable)}."
    if flagged:
        fail(f"{leftover} Setting `requires_grad` on a module ({names(flagged)}) only adds a plain "
             f"Python attribute; the flag that counts lives on each parameter. Use "
             f"module.requires_grad_(False), or set p.requires_grad = False for p in model.parameters().")
    if any(not m.training for m in backbone_modules.values()):
        fail(f"{leftover} model.eval() freezes nothing: it switches BatchNorm and dropout to "
             f"inference behaviour, and every parameter still learns. Set requires_grad = False on "
             f"every parameter instead.")
    if set(trainable) <= batchnorm_param_names(model):
        fail(f"{len(trainable)} BatchNorm params still require grad: {names(trainable)}. A partial "
             f"freeze that skips BatchNorm's weight and bias still trains the backbone: freeze every "
             f"parameter of model.parameters().")
    fail(f"{leftover} Freeze the backbone (requires_grad = False on every parameter) before you "
         f"swap the head.")


def expect_only_head_trainable(model: nn.Module) -> None:
    """Feature extraction: every backbone param frozen, every head param trainable."""
    __tracebackhide__ = True
    expect_head_trainable(model)
    expect_backbone_frozen(model)


def state_differences(actual: Mapping[str, torch.Tensor], expected: Mapping[str, torch.Tensor]) -> list[str]:
    """Names of tensors in `expected` that `actual` lacks, reshaped or changed (bit for bit)."""
    return [
        name for name, want in expected.items()
        if name not in actual
        or actual[name].shape != want.shape
        or not torch.equal(actual[name].detach().cpu(), want.cpu())
    ]


def expect_same_tensors(
    actual: Mapping[str, torch.Tensor], expected: Mapping[str, torch.Tensor], what: str, advice: str
) -> None:
    """Fail naming every tensor of `expected` that `actual` lost or changed."""
    __tracebackhide__ = True
    differ = state_differences(actual, expected)
    if differ:
        fail(f"{len(differ)} of {len(expected)} {what} differ: {names(differ)}. {advice}")


def backbone_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """Every backbone tensor, BatchNorm running statistics included, copied for later comparison."""
    return {n: t.detach().clone() for n, t in model.state_dict().items() if not n.startswith(HEAD + ".")}


@functools.cache
def _on_meta(build: Callable[[], nn.Module]) -> nn.Module:
    with torch.device("meta"):
        return build()


def shapes_only(build: Callable[[], nn.Module] = resnet18) -> nn.Module:
    """A fresh model of `build`'s architecture on the meta device: shapes, no values, ~5 ms each.

    For checks about structure (the head's size, requires_grad flags, what an optimizer holds), where
    a deepcopy of the pretrained resnet18 (~50 ms) would only copy numbers nobody reads.
    """
    return copy.deepcopy(_on_meta(build))


def without_head(state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The backbone's share of a state dict: compare a model with the `checkpoint` without copying it."""
    return {n: t for n, t in state.items() if not n.startswith(HEAD + ".")}


def reset(model: nn.Module, head: nn.Module) -> nn.Module:
    """Undo a head swap and a freeze in place: a copy of `head` back as the head, every param trainable.

    Hypothesis examples reuse one model this way; a deepcopy of resnet18 per example costs ~50 ms.
    """
    setattr(model, HEAD, copy.deepcopy(head))
    return model.requires_grad_(True)


def run_model(model: nn.Module, images: torch.Tensor, call: str) -> torch.Tensor:
    """`model(images)`, a crash or a result that is not a tensor read as one line naming `call`."""
    __tracebackhide__ = True
    try:
        out = model(images)
    except Exception as exc:  # the model's own layers raise: a shape mismatch, a wrong dtype...
        problem = (f"The model from {call} crashed on a batch of shape {tuple(images.shape)}: "
                   f"{type(exc).__name__}: {exc}")
    else:
        expect_type(out, torch.Tensor, f"the model from {call}, called on images,")
        return out
    fail(problem)  # outside `except`, so pytest shows no chained traceback


def expect_model_and_optimizer(result: object, call: str) -> tuple[nn.Module, torch.optim.Optimizer]:
    """`call` returned `(model, optimizer)`: one clear line for a bare model, a None, a swapped pair."""
    __tracebackhide__ = True
    if not (isinstance(result, tuple) and len(result) == 2):
        got = returned_nothing() if result is None else f"a {type(result).__name__}."
        fail(f"{call} should return a pair `(model, optimizer)`, but it returned {got}")
    model, optimizer = result
    expect_type(model, nn.Module, f"the first item of {call}")
    expect_type(optimizer, torch.optim.Optimizer, f"the second item of {call}")
    return model, optimizer


def expect_optimizer_holds(
    optimizer: torch.optim.Optimizer, model: nn.Module, wanted: Iterable[str], advice: str,
    also: Mapping[int, str] | None = None,
) -> None:
    """The optimizer holds exactly the model's params named in `wanted`: none missing, none extra.

    `also` names tensors by id that stand for a model param without being it (a head re-made after training).
    """
    __tracebackhide__ = True
    by_id = {id(p): n for n, p in model.named_parameters()} | dict(also or {})
    held = [p for group in optimizer.param_groups for p in group["params"]]
    held_names = {by_id[id(p)] for p in held if id(p) in by_id}
    foreign = sum(id(p) not in by_id for p in held)
    wanted = set(wanted)
    missing = [n for n in by_id.values() if n in wanted and n not in held_names]
    extra = [n for n in by_id.values() if n in held_names and n not in wanted]
    if missing:
        stale = (f" It holds {foreign} tensors that are not in the model: was it built before the "
                 f"head swap?" if foreign else "")
        fail(f"The optimizer lacks {len(missing)} of the {len(wanted)} params that should train: "
             f"{names(missing)}.{stale} {advice}")
    if extra:
        fail(f"The optimizer holds {len(extra)} params that should stay frozen: {names(extra)}. {advice}")
    if foreign:
        fail(f"The optimizer holds {foreign} tensors that are not parameters of the returned model. {advice}")


def learning_rates(optimizer: torch.optim.Optimizer) -> list[float]:
    """The learning rate of every param group (a tensor lr read as a float)."""
    return [float(group["lr"]) for group in optimizer.param_groups]


def buffer_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """Every buffer (BatchNorm's running_mean, running_var, num_batches_tracked), copied for comparison."""
    return {n: b.detach().clone() for n, b in model.named_buffers()}


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """`1 class`, `2 classes`: a count with its noun agreeing (plural_form defaults to singular + s)."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"

"""Assertions that explain a transfer-learning gotcha when they fail.

Checks call these instead of bare `assert`, so the first failure a learner reads names the concept,
the offending layers or values, and what to change. Shared by every exercise; add here, not in a
test file, anything a second exercise could use.
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections.abc import Callable, Iterable, Mapping

import pytest
import torch
from torch import nn
from torchvision.models import resnet18

from kata.learner import Learner, fail

HEAD = "fc"


def names(items: Iterable[str], limit: int = 4) -> str:
    """`a, b, c, d, ... (12 more)`: enough names to act on without flooding the screen."""
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """`1 class`, `2 classes`: a count with its noun agreeing (plural_form defaults to singular + s)."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


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


def linear_heads_elsewhere(model: nn.Module) -> list[str]:
    """Children other than the head that hold a Linear layer: a new head put under another name
    (`model.classifier`, VGG's and DenseNet's name for it), which a ResNet's forward never calls."""
    return [name for name, child in model.named_children()
            if name != HEAD and any(isinstance(m, nn.Linear) for m in child.modules())]


def expect_linear_head(model: nn.Module, in_features: int, num_classes: int, where: str = "") -> None:
    """The head is a fresh `nn.Linear(in_features, num_classes)` whose tensors really have that shape.

    `where` starts each message, e.g. "On a resnet50 (2048 features), " when the model is not resnet18.
    """
    __tracebackhide__ = True
    head = getattr(model, HEAD, None)
    classes = plural(num_classes, "class", "classes")
    if not isinstance(head, nn.Linear):
        fail(f"{where}model.{HEAD} should be an nn.Linear, but it is {type(head).__name__}. "
             f"Replace the head with nn.Linear(model.{HEAD}.in_features, num_classes).")
    rows, columns = head.weight.shape
    elsewhere = linear_heads_elsewhere(model)
    if elsewhere and (rows, columns) != (num_classes, in_features):
        fail(f"{where}model.{HEAD} is still {rows} x {columns}, and a new layer sits in model."
             f"{elsewhere[0]}, which this model's forward never calls: a ResNet's head is model.{HEAD} "
             f"(`classifier` is the name in VGG or DenseNet). Assign the new layer to model.{HEAD}: "
             f"model.{HEAD} = nn.Linear(model.{HEAD}.in_features, num_classes).")
    if (rows, columns) == (1000, in_features) and num_classes != 1000:
        edited = (f"Setting `out_features` on the old layer only changes a label (it now says "
                  f"{head.out_features}), not its weights" if head.out_features != 1000
                  else "It is still ImageNet's head")
        fail(f"{where}model.{HEAD}.weight still has 1000 rows (one per ImageNet class) although you asked "
             f"for {classes}. {edited}: assign a new nn.Linear(model.{HEAD}.in_features, {num_classes}).")
    if (columns, rows) == (num_classes, in_features) and num_classes != in_features:
        fail(f"{where}model.{HEAD} is nn.Linear({columns}, {rows}): the arguments are the wrong way "
             f"round. nn.Linear takes (in_features, out_features): the backbone's {in_features} "
             f"features in, one score per class out: nn.Linear(model.{HEAD}.in_features, num_classes).")
    if head.in_features != in_features or columns != in_features:
        source = ("That is the old head's out_features (its 1000 ImageNet scores): the new head reads "
                  "the backbone's features, the old head's in_features." if head.in_features == 1000
                  else f"Read the size off the old head (model.{HEAD}.in_features) instead of typing "
                  "a number.")
        fail(f"{where}model.{HEAD} takes {head.in_features} inputs, but the backbone produces "
             f"{in_features} features. {source}")
    if head.out_features != num_classes or rows != num_classes:
        fail(f"{where}model.{HEAD} gives {rows} scores but there are {classes}. "
             f"Size the new head with the number of classes you were given: "
             f"nn.Linear(in_features, num_classes).")
    if head.bias is None:
        fail(f"{where}model.{HEAD} has no bias (bias=False): each class score loses its own offset, "
             f"which the head learns beside its weights ({in_features} x {num_classes} weights + "
             f"{num_classes} biases). Keep nn.Linear's default bias=True.")


def expect_the_model_given(returned: nn.Module, given: nn.Module, call: str) -> None:
    """`call` changed the model it was given and returned that very object (not its head, a copy or a
    model built inside): callers keep using the model they passed in."""
    __tracebackhide__ = True
    if returned is given:
        return
    if returned is getattr(given, HEAD, None) or isinstance(returned, nn.Linear):
        fail(f"{call} returned a {type(returned).__name__} layer, the new head, instead of the model. "
             f"Put the head in model.{HEAD}, then `return model`.")
    fail(f"{call} returned a different {type(returned).__name__} object from the model it was given: "
         f"a copy, or a model built inside the function. Change the model you receive in place (its "
         f"flags, its model.{HEAD}) and return that same object: `return model`.")


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
    backbone = backbone_params(model)
    trainable = [n for n, p in backbone.items() if p.requires_grad]
    if not trainable:
        return
    backbone_modules = {n or "model": m for n, m in model.named_modules() if n.split(".")[0] != HEAD}
    flagged = [n for n, m in backbone_modules.items() if isinstance(vars(m).get("requires_grad"), bool)]
    shadowed = [n for n, item in [*backbone_modules.items(), *backbone.items()] if "requires_grad_" in vars(item)]
    leftover = f"{len(trainable)} backbone params still require grad: {names(trainable)}."
    if shadowed:
        fail(f"{leftover} `requires_grad_ = False` on {names(shadowed)} replaced a method with a plain "
             f"value and froze nothing: requires_grad_ is a method, call it: model.requires_grad_(False).")
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
    if len(trainable) == len(backbone):
        fail(f"{leftover} None of them was frozen. Freeze every parameter with an assignment, "
             f"p.requires_grad = False (`p.requires_grad == False` only compares), or with "
             f"model.requires_grad_(False), before the new head goes in.")
    fail(f"{leftover} Freeze every backbone parameter: requires_grad = False on each of "
         f"model.parameters(), not only some layers.")


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
def structure_of(build: Callable[[], nn.Module]) -> nn.Module:
    """`build`'s architecture on the meta device (shapes, no values), built once: read it, never hand
    it to code under test (which may change it) and never move it."""
    try:
        with torch.device("meta"):
            return build()
    except NotImplementedError:  # a builder that computes its widths from tensors (regnet) needs real ones
        return build().to("meta")


def shapes_only(build: Callable[[], nn.Module] = resnet18) -> nn.Module:
    """A fresh model of `build`'s architecture on the CPU, its tensors allocated but never filled.

    For checks about structure (the head's size, requires_grad flags, what an optimizer holds), where
    a deepcopy of the pretrained resnet18 (~50 ms) would only copy numbers nobody reads. Built once on
    the meta device and copied from there; its real (if meaningless) CPU tensors let the code under
    test move or copy the model (`model.to(device)`, `copy.deepcopy(model)`) as it would any other.
    """
    return copy.deepcopy(structure_of(build)).to_empty(device="cpu")


def without_head(state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The backbone's share of a state dict: compare a model with the `checkpoint` without copying it."""
    return {n: t for n, t in state.items() if not n.startswith(HEAD + ".")}


def reset(model: nn.Module, head: nn.Module) -> nn.Module:
    """Undo a head swap and a freeze in place: a copy of `head` back as the head, every param trainable.

    Hypothesis examples reuse one model this way; a deepcopy of resnet18 per example costs ~50 ms.
    """
    setattr(model, HEAD, copy.deepcopy(head))
    return nn.Module.requires_grad_(model, True)  # the class's method: code under test may have hidden it


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


def expect_adam(optimizer: torch.optim.Optimizer, call: str) -> None:
    """The lessons' learning rates are Adam's: another optimizer (SGD, AdamW...) needs other ones."""
    __tracebackhide__ = True
    if not isinstance(optimizer, torch.optim.Adam):
        fail(f"{call} built a {type(optimizer).__name__} optimizer; this exercise asks for "
             f"torch.optim.Adam (the learning rates it checks are Adam's). Its options, such as "
             f"foreach= or fused=, are yours to choose.")


def empty_optimizer_cause(model: nn.Module, num_classes: int) -> str:
    """Why an optimizer built by the code under test got no parameters, read off the model it left."""
    if any(p.requires_grad for p in model.parameters()):
        return ("Some of the model's params do require grad, yet none reached the optimizer: an "
                "iterator of them (filter(...), a generator) had been used up already. Make a list.")
    head = getattr(model, HEAD, None)
    if isinstance(head, nn.Linear) and head.out_features == num_classes:
        return (f"Every param is frozen, the new model.{HEAD} included: the freeze came after the head "
                f"swap and caught the new head too. Freeze first, then swap in the head (a new layer "
                f"starts trainable), then build the optimizer.")
    return (f"Every param is frozen and model.{HEAD} is still the old head, so none required grad when "
            f"it was built: the optimizer came after the freeze, before the new head. Build it last.")


def model_and_optimizer(
    learner: Learner, name: str, model: nn.Module, num_classes: int, *args: object, **options: object
) -> tuple[nn.Module, torch.optim.Optimizer]:
    """`learner.<name>(model, num_classes, *args, **options)`, checked to return `(model, optimizer)`
    with the very model it was given; an optimizer that got no params is explained from the model."""
    __tracebackhide__ = True
    shown_args = "".join(f", {a!r}" for a in args) + "".join(f", {k}={v!r}" for k, v in options.items())
    call = f"{name}(model, {num_classes}{shown_args})"
    result, error = learner.attempt(name, model, num_classes, *args, **options)
    if error is not None:
        cause = empty_optimizer_cause(model, num_classes) if "empty parameter list" in str(error) else ""
        learner.crashed(name, error, cause)
    returned, optimizer = expect_model_and_optimizer(result, call)
    expect_the_model_given(returned, model, call)
    return returned, optimizer


def legacy_weights_request(caught: Iterable[warnings.WarningMessage]) -> str:
    """What torchvision's deprecation warnings say about how weights were asked for ("" if nothing):
    `pretrained=True`, `weights=True`, weights passed by position all still load, with a warning."""
    said = [str(w.message) for w in caught if "deprecated since 0.13" in str(w.message)]
    if not said:
        return ""
    how = ("the deprecated `pretrained=True`" if any("'pretrained'" in m for m in said)
           else "the weights as a positional argument" if any("positional" in m for m in said)
           else "weights= set to something other than a weights enum (True, say)")
    return f"{how}; torchvision warned: \"{said[0]}\""


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


# ---------------------------------------------------------------------------------------------
# Exercise 09: the final layer of any model family (fc, classifier[i], heads.head, a 1x1 conv)


def spelled(path: str) -> str:
    """A dotted module name as a learner writes it: `classifier.1` -> `model.classifier[1]`."""
    return "model" + "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in path.split(".") if part)


def layer_width(layer: nn.Module) -> int:
    """What a final layer reads: a Linear's in_features, a 1x1 Conv2d's in_channels."""
    return layer.in_features if isinstance(layer, nn.Linear) else layer.in_channels


def swapped_final_layer(learner, family: str, model: nn.Module, num_classes: int, head: str) -> nn.Module:
    """`learner.swap_classifier(model, num_classes)`; a crash on a missing attribute (most often
    `fc`) says where this family keeps its final layer."""
    __tracebackhide__ = True
    try:
        result = learner.swap_classifier(model, num_classes)
    except pytest.fail.Exception as failure:
        if "AttributeError" not in str(failure):
            raise
        fc = " Not every family calls its head `fc`." if "'fc'" in str(failure) else ""
        problem = (f"{failure}\n    That was on {family}, whose final layer is {spelled(head)}.{fc} Find "
                   f"the last layer of whatever family you are given (the last nn.Linear it registers, "
                   f"or its last nn.Conv2d where it has no Linear), rather than one family's name for it.")
    else:
        expect_type(result, nn.Module, f"swap_classifier({family}, {num_classes})")
        return result
    fail(problem)  # outside `except`, so pytest shows no chained traceback


def _tensor_shapes(model: nn.Module) -> dict[str, tuple[int, ...]]:
    return {n: tuple(t.shape) for n, t in (*model.named_parameters(), *model.named_buffers())}


def expect_final_layer_swapped(model: nn.Module, original: nn.Module, head: str, num_classes: int,
                               family: str) -> None:
    """`model` is `original` with the layer at `head` (a dotted name) replaced by a fresh one of the
    same kind, as wide as the old one and giving `num_classes` scores; nothing else added, lost or reshaped."""
    __tracebackhide__ = True
    where = f"On {family}, "
    before, after = dict(original.named_modules()), dict(model.named_modules())

    def outside(name: str) -> bool:
        return name != head and not name.startswith(head + ".")

    lost = [n for n in before if outside(n) and type(after.get(n)) is not type(before[n])]
    if lost:
        gone = [f"{spelled(n)} (a {type(before[n]).__name__}"
                + (f", now a {type(after[n]).__name__})" if n in after else ")") for n in lost]
        fail(f"{where}swap_classifier replaced more than the final layer: {names(gone)} "
             f"{'is' if len(lost) == 1 else 'are'} gone or changed. Only {spelled(head)} scores the "
             f"classes; the layers before it in the same container (dropout, and on convnext a "
             f"LayerNorm2d and a Flatten) are part of the model. Replace that one layer and keep the rest.")
    added = [n for n in after if outside(n) and n not in before]
    if added:
        fc = f" {family} has no `fc`: not every family calls its head that." if "fc" in added else ""
        fail(f"{where}swap_classifier added {names(map(spelled, added))}, which {family}'s forward never "
             f"calls.{fc} Its final layer is {spelled(head)}: replace that one, so the scores come from it.")
    old, new = before[head], after.get(head)
    kind = type(old)
    if not isinstance(new, kind):
        conv = (f" {family} scores its classes with a 1x1 convolution over the feature map, then averages: "
                f"nn.Conv2d(old.in_channels, num_classes, kernel_size=1)." if kind is nn.Conv2d else "")
        fail(f"{where}{spelled(head)} should be a new nn.{kind.__name__}, but it is "
             f"{type(new).__name__ if new is not None else 'missing'}.{conv}")
    rows, columns = new.weight.shape[:2]
    outputs = "out_features" if kind is nn.Linear else "out_channels"
    if rows == old.weight.shape[0] != num_classes:
        fail(f"{where}{spelled(head)}.weight still has {rows} rows (one per class of the old head) although "
             f"you asked for {num_classes} classes. Setting `{outputs}` on the old layer only changes a "
             f"label, not its weights: put a new layer in its place.")
    width = layer_width(old)
    if layer_width(new) != width or columns != width:
        fail(f"{where}{spelled(head)} takes {layer_width(new)} inputs, but the layer it replaces took "
             f"{width}. A width typed in (512, 1280, ...) fits some families only: read it off the old "
             f"layer ({'in_features' if kind is nn.Linear else 'in_channels'}) before you replace it.")
    if getattr(new, outputs) != num_classes or rows != num_classes:
        fail(f"{where}{spelled(head)} gives {rows} scores but there are {num_classes} classes: size the "
             f"new layer with the number of classes you were given.")
    if kind is nn.Conv2d and new.kernel_size != old.kernel_size:
        fail(f"{where}{spelled(head)} has kernel_size {new.kernel_size}; the layer it replaces had "
             f"{old.kernel_size}. Keep the old layer's kernel size.")
    old_shapes, new_shapes = _tensor_shapes(original), _tensor_shapes(model)
    changed = [n for n, shape in old_shapes.items() if outside(n.rpartition(".")[0]) and new_shapes.get(n) != shape]
    if changed:
        fail(f"{where}swap_classifier removed or reshaped {len(changed)} tensors outside the final layer: "
             f"{names(changed)}. Replace only {spelled(head)}.")

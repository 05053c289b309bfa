"""Checks for exercise 04: the optimizer holds exactly the trainable params, and a step moves only them."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from torchvision.models import resnet50

from kata.checks import (
    backbone_params, empty_optimizer_cause, expect_adam, expect_linear_head, expect_only_head_trainable,
    expect_optimizer_holds, expect_same_tensors, expect_type, head_params, learning_rates,
    model_and_optimizer, names, run_model, shapes_only, state_differences,
)
from kata.learner import fail

FEATURES = 512  # what resnet18's backbone hands its head
K = 3
BLOCKS = ("conv1", "bn1", "layer1", "layer2", "layer3", "layer4", "fc")  # resnet18's parameter owners
ONLY_TRAINABLE = ("Give the optimizer the params that require grad when it is built, and nothing else: "
                  "[p for p in model.parameters() if p.requires_grad].")


def feature_extractor(model: nn.Module, num_classes: int = K) -> nn.Module:
    """The checks' own freeze-then-swap, so that this exercise does not depend on your exercise 03."""
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def optimizer_for(learner, model: nn.Module, **options: float) -> torch.optim.Optimizer:
    """make_optimizer's answer, checked to be an Adam that left every requires_grad flag as it was."""
    call = "make_optimizer(model" + "".join(f", {key}={value}" for key, value in options.items()) + ")"
    flags = {name: p.requires_grad for name, p in model.named_parameters()}  # before: the call may change them
    optimizer, error = learner.attempt("make_optimizer", model, **options)
    if error is not None:
        learner.crashed("make_optimizer", error,
                        empty_optimizer_cause(model, K) if "empty parameter list" in str(error) else "")
    changed = [name for name, p in model.named_parameters() if p.requires_grad != flags[name]]
    if changed:
        fail(f"{call} changed requires_grad on {len(changed)} params ({names(changed)}). It should read "
             f"the flags the caller set, not set them: freezing is the caller's choice, and the optimizer "
             f"holds whatever requires grad when it is built. Remove the freezing from make_optimizer.")
    expect_type(optimizer, torch.optim.Optimizer, call)
    expect_adam(optimizer, call)
    return optimizer


def advice_for(optimizer: torch.optim.Optimizer, model: nn.Module) -> str:
    """The general fix, plus why it matters for the mistake this optimizer shows."""
    held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    if held == {id(p) for p in head_params(model).values()}:
        return (ONLY_TRAINABLE + " model.fc.parameters() is the head alone: it misses whatever else "
                "was left trainable.")
    if any(id(p) in held and not p.requires_grad for p in model.parameters()):
        return ("An optimizer may keep state (memory) for the frozen params it holds, and weight decay "
                "can still move them. " + ONLY_TRAINABLE)
    return ONLY_TRAINABLE


def snapshot(params: dict[str, nn.Parameter]) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in params.items()}


def one_step(model: nn.Module, optimizer: torch.optim.Optimizer, call: str) -> None:
    """One training step on two tiny random images."""
    scores = run_model(model, torch.rand(2, 3, 32, 32), call)
    if not scores.requires_grad:
        fail(f"Nothing in the model from {call} requires grad, so there is nothing to train. "
             "Freeze the backbone first, then swap in the new head.")
    optimizer.zero_grad(set_to_none=False)  # zeroes grads in place: PyTorch's default before 2.0
    scores.square().mean().backward()
    optimizer.step()


def expect_head_moved(model: nn.Module, before: dict[str, torch.Tensor], call: str) -> None:
    if not state_differences(dict(model.named_parameters()), before):
        fail(f"One step with the optimizer from {call} left the new head exactly where it was "
             f"({names(before)} unchanged): the optimizer does not update it. Build the optimizer "
             f"after the head swap, over the params that require grad.")


# What an optimizer holds, and with which settings, does not depend on the values: checks about it
# run on shapes_only(), a resnet18 without numbers, and only the training steps use real weights.

def test_optimizer_holds_exactly_the_trainable_params(learner):
    model = feature_extractor(shapes_only())
    optimizer = optimizer_for(learner, model)
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    expect_optimizer_holds(optimizer, model, trainable, advice_for(optimizer, model))


def test_any_freezing_pattern_gives_exactly_the_trainable_params(learner):
    model = feature_extractor(shapes_only())

    @given(blocks=st.sets(st.sampled_from(BLOCKS), min_size=1))
    def optimizer_matches(blocks: set[str]) -> None:
        for name, param in model.named_parameters():
            param.requires_grad = name.split(".")[0] in blocks
        optimizer = optimizer_for(learner, model)
        trainable = [n for n, p in model.named_parameters() if p.requires_grad]
        expect_optimizer_holds(
            optimizer, model, trainable,
            f"(Trainable: {', '.join(b for b in BLOCKS if b in blocks)}.) {advice_for(optimizer, model)}",
        )

    optimizer_matches()


def test_lr_and_weight_decay_reach_the_optimizer(learner):
    call = "make_optimizer(model, lr=0.02, weight_decay=0.05)"
    optimizer = optimizer_for(learner, feature_extractor(shapes_only()), lr=0.02, weight_decay=0.05)
    rates = learning_rates(optimizer)
    decays = [group.get("weight_decay") for group in optimizer.param_groups]
    if any(rate != 0.02 for rate in rates):
        fail(f"{call} built an optimizer with lr {names(map(str, rates))}. Pass the lr you are given "
             f"through (lr=lr) instead of a fixed rate.")
    if any(decay != 0.05 for decay in decays):
        fail(f"{call} built an optimizer with weight_decay {names(map(str, decays))}. Pass "
             f"weight_decay=weight_decay through to the optimizer.")


def test_one_step_moves_the_head_and_no_frozen_param(learner, pretrained, checkpoint):
    model = feature_extractor(pretrained)
    for param in backbone_params(model).values():
        # Earlier training leaves a .grad on each param; zero_grad(set_to_none=False) zeroes it but
        # keeps it. Frozen params with such a zero .grad are exactly what weight decay moves.
        param.grad = torch.zeros_like(param)
    frozen = {name: checkpoint[name] for name in backbone_params(model)}
    head = snapshot(head_params(model))
    call = "make_optimizer(model, lr=0.01, weight_decay=0.05)"
    one_step(model, optimizer_for(learner, model, lr=0.01, weight_decay=0.05), call)
    expect_head_moved(model, head, call)
    expect_same_tensors(
        dict(model.named_parameters()), frozen, "frozen params",
        "They moved in one step although they are frozen: each carried a .grad of zeros (left by "
        "earlier training, zeroed in place), and weight decay pulls every param the optimizer holds "
        "that has a .grad, zero or not. " + ONLY_TRAINABLE,
    )


def prepared(learner, model: nn.Module, lr: float = 1e-3) -> tuple[nn.Module, torch.optim.Optimizer]:
    model, optimizer = model_and_optimizer(learner, "prepare", model, K, lr=lr)
    expect_adam(optimizer, f"prepare(model, {K}, lr={lr})")
    return model, optimizer


def test_prepare_freezes_the_backbone_and_swaps_the_head(learner):
    model, _ = prepared(learner, shapes_only())
    expect_linear_head(model, FEATURES, K)
    expect_only_head_trainable(model)


def test_prepare_reads_the_head_width_off_the_old_head(learner):
    wide = shapes_only(resnet50)  # its backbone gives 2048 features, not 512
    model, _ = prepared(learner, wide)
    expect_linear_head(model, 2048, K, where="On a resnet50, ")


def test_prepare_optimizer_holds_the_new_head_only(learner):
    model, optimizer = prepared(learner, shapes_only(), lr=0.02)
    expect_optimizer_holds(
        optimizer, model, head_params(model),
        "Build the optimizer last: freeze, swap in the new head, then make_optimizer(model, lr=lr).",
    )
    rates = learning_rates(optimizer)
    if any(rate != 0.02 for rate in rates):
        fail(f"prepare(model, {K}, lr=0.02) built an optimizer with lr {names(map(str, rates))}. "
             f"Pass lr on: make_optimizer(model, lr=lr).")


def test_prepare_one_step_trains_the_new_head_only(learner, pretrained, checkpoint):
    model, optimizer = prepared(learner, pretrained)
    backbone = {name: checkpoint[name] for name in backbone_params(model) if name in checkpoint}
    head = snapshot(head_params(model))
    call = f"prepare(model, {K})"
    one_step(model, optimizer, call)
    expect_head_moved(model, head, call)
    expect_same_tensors(dict(model.named_parameters()), backbone, "backbone params",
                        "They moved in one step: only the new head should. Freeze the backbone, "
                        "and give the optimizer only what requires grad.")
